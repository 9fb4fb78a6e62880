package inspect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"chainscope/inspect/wire"
)

// fullHandshakeResult is what a complete crypto/tls handshake showed.
type fullHandshakeResult struct {
	version   uint16
	suite     uint16
	certs     []*x509.Certificate
	requested bool
	cas       []string
	alpn      string
	ocsp      bool
	err       error
	// cause is err without the address, for messages that name it already.
	cause error
}

// fullHandshake completes a handshake with crypto/tls: it shows the chain
// of a TLS 1.3-only server (encrypted on the wire), the CA names of a TLS
// 1.3 CertificateRequest, ALPN and a stapled OCSP response, and whether a
// server accepts the --client-cert certificate. The chain is judged by
// chainscope, not by crypto/tls, hence InsecureSkipVerify.
func (p *prober) fullHandshake(ctx context.Context, sni string, opts Options) fullHandshakeResult {
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
		NextProtos:         []string{"h2", "http/1.1"},
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			res.requested = true
			res.cas = caNames(cri.AcceptableCAs)
			if opts.ClientCertificate != nil {
				return opts.ClientCertificate, nil
			}
			return &tls.Certificate{}, nil
		},
	}
	if opts.ClientCertificate != nil && !opts.Policy.AllowsVersion(wire.VersionTLS13) {
		// Present the certificate as the sender would: in TLS 1.2 the
		// server's Finished proves it accepted it.
		cfg.MaxVersion = tls.VersionTLS12
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	err = tc.HandshakeContext(hctx)
	st := tc.ConnectionState()
	res.certs = st.PeerCertificates
	if err == nil {
		res.version, res.suite = st.Version, st.CipherSuite
		res.alpn = st.NegotiatedProtocol
		res.ocsp = len(st.OCSPResponse) > 0
		if st.Version == tls.VersionTLS13 && res.requested {
			// In TLS 1.3 the server judges the client's certificate after
			// the client's Finished: an alert arrives on the first read.
			_ = tc.SetReadDeadline(time.Now().Add(min(opts.timeout(), 500*time.Millisecond)))
			var b [1]byte
			if _, rerr := tc.Read(b[:]); rerr != nil && !errors.Is(rerr, os.ErrDeadlineExceeded) && !errors.Is(rerr, net.ErrClosed) {
				var ae tls.AlertError
				if errors.As(rerr, &ae) || strings.Contains(rerr.Error(), "alert") {
					err = rerr
				}
			}
		}
	}
	if err != nil {
		res.cause = fmt.Errorf("full handshake: %w", err)
		res.err = markTimeout(fmt.Errorf("%s: %w", p.addr, res.cause))
	}
	return res
}

func (f fullHandshakeResult) summary() *FullHandshake {
	out := &FullHandshake{ALPN: f.alpn, OCSPStapled: f.ocsp}
	if f.err != nil {
		out.Error = oneLine(f.err.Error())
		return out
	}
	out.Version = wire.VersionName(f.version)
	out.CipherSuite = wire.SuiteName(f.suite)
	return out
}
