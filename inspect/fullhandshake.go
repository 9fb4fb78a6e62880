package inspect

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"chainscope/inspect/wire"
)

// fullHandshakeResult is what a complete crypto/tls handshake showed.
type fullHandshakeResult struct {
	// version is the version the server chose, 0 when no ServerHello came.
	version   uint16
	suite     uint16
	certs     []*x509.Certificate
	requested bool
	cas       []string
	alpn      string
	ocsp      []byte
	// presented is true when a client certificate was sent.
	presented bool
	// http is the status line a HEAD / request got over the connection,
	// when the server asked for a client certificate and the handshake
	// completed; httpRefused is true when that status refuses the request
	// (see refusingStatus), and httpErr says why the request failed
	// (an alert in TLS 1.3, where the server judges the client's
	// certificate after its Finished).
	http        string
	httpRefused bool
	httpErr     error
	// renegotiated is true when the server asked for a client
	// certificate only after the HEAD / request, in a renegotiation (TLS
	// 1.2 and below: Apache's SSLVerifyClient in a per-directory context);
	// the request's outcome above is then the one over it.
	renegotiated bool
	// unaskedHTTP is the status line HEAD / got when the server asked for
	// no certificate, not even in a renegotiation.
	unaskedHTTP string
	err         error
	// cause is err without the address, for messages that name it already.
	cause error
}

// fullHandshake completes a handshake with crypto/tls: it shows the chain
// of a TLS 1.3-only server (encrypted on the wire), the CA names of a TLS
// 1.3 CertificateRequest, ALPN and a stapled OCSP response, and how the
// server treats a client certificate: cert is presented when the server
// asks for one, else an empty Certificate message is sent. maxVersion
// bounds the version (0: TLS 1.3). When the handshake completed, one
// HEAD / request over the connection shows whether the server refuses it
// at the HTTP level, as nginx does with ssl_verify_client on
// (sender-model.md section 4), and whether it asks for a certificate only
// then, in a renegotiation (Apache's SSLVerifyClient in a per-directory
// context). The
// chain is judged by chainscope, not by crypto/tls, hence
// InsecureSkipVerify.
func (p *prober) fullHandshake(ctx context.Context, sni string, cert *tls.Certificate, maxVersion uint16) fullHandshakeResult {
	var res fullHandshakeResult
	conn, err := p.dial(ctx)
	if err != nil {
		res.err, res.cause = err, err
		return res
	}
	defer conn.Close()
	cfg := &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, //nolint:gosec // the chain is judged by chainscope itself
		MinVersion:         tls.VersionTLS10,
		MaxVersion:         maxVersion,
		NextProtos:         []string{"h2", "http/1.1"},
		// A server may ask for a client certificate only once it has
		// read the request, by renegotiating (TLS 1.2 and below); the
		// sender's OTP client follows it.
		Renegotiation: tls.RenegotiateOnceAsClient,
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			res.requested = true
			res.cas = caNames(cri.AcceptableCAs)
			if cert != nil {
				res.presented = true
				return cert, nil
			}
			return &tls.Certificate{}, nil
		},
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, p.opts.timeout())
	defer cancel()
	err = tc.HandshakeContext(hctx)
	p.note(err, err == nil || !timedOut(err))
	st := tc.ConnectionState()
	// The version is known from the ServerHello on, even when the
	// handshake failed after it.
	res.version = st.Version
	res.certs = st.PeerCertificates
	if err == nil {
		res.suite = st.CipherSuite
		res.alpn = st.NegotiatedProtocol
		res.ocsp = st.OCSPResponse
		host := sni
		if host == "" {
			host, _, _ = net.SplitHostPort(p.addr)
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
		// Asked or not, one request: a server that asks only after
		// reading it (a renegotiation) is asking all the same.
		asked := res.requested
		status, herr := headRequest(hctx, tc, host, min(p.opts.timeout(), httpTimeout))
		if res.requested {
			res.renegotiated = !asked
			res.http, res.httpErr = status, herr
			res.httpRefused = remoteAlert(herr) || closedUnanswered(herr) || refusingStatus(status)
		} else {
			res.unaskedHTTP = status
		}
	}
	if err != nil {
		res.cause = fmt.Errorf("full handshake: %w", err)
		res.err = markTimeout(fmt.Errorf("%s: %w", p.addr, res.cause))
	}
	return res
}

// httpTimeout bounds the HEAD request after a handshake: an HTTP server
// answers at once, and one that does not is no refusal.
const httpTimeout = 3 * time.Second

// headRequest sends "HEAD /" over the established connection, HTTP/2 when
// ALPN chose it, and returns the response's status line ("400 Bad
// Request"), or the error that ended the request: an alert from the
// server (TLS 1.3 sends its verdict on the client's certificate after the
// handshake, see remoteAlert), the connection closed or reset, a timeout.
func headRequest(ctx context.Context, tc *tls.Conn, host string, timeout time.Duration) (string, error) {
	if tc.ConnectionState().NegotiatedProtocol != "h2" {
		return head11(tc, host, "/", timeout)
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	used := false
	tr := &http.Transport{
		DialTLSContext: func(context.Context, string, string) (net.Conn, error) {
			if used {
				return nil, errors.New("one connection only")
			}
			used = true
			return tc, nil
		},
		ForceAttemptHTTP2:      true,
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 16 << 10,
	}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(rctx, http.MethodHead, "https://"+host+"/", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", "chainscope")
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return resp.Status, nil
}

// head11 is headRequest in HTTP/1.1, for path, written and read by hand so
// that a server closing the connection reads as that, whenever it closes.
func head11(tc *tls.Conn, host, path string, timeout time.Duration) (string, error) {
	if err := tc.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err := tc.Write([]byte("HEAD " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: chainscope\r\nConnection: close\r\n\r\n")); err != nil {
		return "", err
	}
	line, err := bufio.NewReaderSize(io.LimitReader(tc, 4096), 4096).ReadString('\n')
	if err != nil {
		return "", err
	}
	proto, status, ok := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") {
		return "", fmt.Errorf("not an HTTP response: %q", oneLine(line))
	}
	return status, nil
}

// closedUnanswered reports a request the server answered by closing or
// resetting the connection: how a server that wants a client certificate
// at the application level turns away a client without one.
func closedUnanswered(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// remoteAlert reports an error caused by an alert from the peer: crypto/tls
// reports those as a *net.OpError whose Op is "remote error".
func remoteAlert(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "remote error"
}

// refusingStatus reports whether an HTTP status line refuses a request for
// want of a client certificate: 400 (nginx maps its 495 and 496, "The SSL
// certificate error" and "No required SSL certificate was sent", to it),
// 403 (Apache's SSLVerifyClient in a per-directory context, an
// application's own check), 495 and 496 themselves.
func refusingStatus(status string) bool {
	var code int
	if _, err := fmt.Sscanf(status, "%d", &code); err != nil {
		return false
	}
	switch code {
	case 400, 403, 495, 496:
		return true
	}
	return false
}

func (f fullHandshakeResult) summary() *FullHandshake {
	out := &FullHandshake{ALPN: f.alpn, OCSPStapled: len(f.ocsp) > 0}
	if f.err != nil {
		out.Error = oneLine(f.err.Error())
		return out
	}
	out.Version = wire.VersionName(f.version)
	out.CipherSuite = wire.SuiteName(f.suite)
	return out
}
