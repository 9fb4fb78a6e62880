package inspect

import (
	"context"
	"crypto/tls"
	"fmt"

	"chainscope/inspect/impostor"
)

// The check ids of mtls check, chainscope's additions after [CheckIDs], in
// the order [MTLSCheckIDs] lists them; each is the outcome of one client
// made by [impostor.Clients] (mtls.request of them all).
const (
	CheckMTLSRequest    = "mtls.request"
	CheckMTLSSender     = "mtls." + impostor.Sender
	CheckMTLSSenderLeaf = "mtls." + impostor.SenderLeaf
	CheckMTLSNoCert     = "mtls." + impostor.NoCert
	CheckMTLSOtherCN    = "mtls." + impostor.OtherCN
	CheckMTLSEvilSuffix = "mtls." + impostor.EvilSuffix
	CheckMTLSLookAlike  = "mtls." + impostor.LookAlike
	CheckMTLSOtherCA    = "mtls." + impostor.OtherCA
	CheckMTLSDepth      = "mtls." + impostor.Depth
	CheckMTLSExpired    = "mtls." + impostor.Expired
)

// MTLSCheckIDs lists the checks of an mtls check report after [CheckIDs]
// (all skipped there but mtls.client_auth); mtls.sender_leaf only when
// the stand-in's chain holds the sender's intermediates.
var MTLSCheckIDs = []string{
	CheckMTLSRequest, CheckMTLSSender, CheckMTLSSenderLeaf, CheckMTLSNoCert, CheckMTLSOtherCN,
	CheckMTLSEvilSuffix, CheckMTLSLookAlike, CheckMTLSOtherCA, CheckMTLSDepth, CheckMTLSExpired,
}

var mtlsCheckTitles = map[string]string{
	CheckMTLSRequest:    "Client certificate asked for in the handshake",
	CheckMTLSSender:     "Sender's certificate accepted",
	CheckMTLSSenderLeaf: "Sender's certificate accepted without its intermediate",
	CheckMTLSNoCert:     "Client without a certificate refused",
	CheckMTLSOtherCN:    "Another CN from the sender's CA refused",
	CheckMTLSEvilSuffix: "Sender's CN with a suffix refused",
	CheckMTLSLookAlike:  "Look-alike of the sender's CN refused",
	CheckMTLSOtherCA:    "Sender's CN from another CA refused",
	CheckMTLSDepth:      "Chain one intermediate deeper refused",
	CheckMTLSExpired:    "Expired certificate refused",
}

// clientOutcome is what the server did with one client.
type clientOutcome struct {
	// asked is true when the handshake carried a CertificateRequest,
	// askedLater when one came after it (a renegotiation), cas the CA
	// names of the first request, nil when none came.
	asked, askedLater bool
	cas               []string
	version, suite    uint16
	// err says why the handshake failed; status is the HTTP status line
	// of the request, httpErr why the request failed.
	err     error
	status  string
	httpErr error
}

// refused reports whether the server refused the client: at the
// handshake, with an alert during the request (a renegotiation refused,
// TLS 1.3's verdict after the handshake), by closing the connection
// without an answer (nginx's "return 444", as the live inspection counts
// it: the sender's delivery gets no answer either), or with a refusing
// status. A request that timed out is not a refusal.
func (o clientOutcome) refused() bool {
	return o.err != nil || remoteAlert(o.httpErr) || o.status == "" && closedUnanswered(o.httpErr) || refusingStatus(o.status)
}

// how says in a phrase what the server did.
func (o clientOutcome) how(path string) string {
	switch {
	case o.err != nil:
		return "refused at the handshake (" + oneLine(o.err.Error()) + ")"
	case remoteAlert(o.httpErr):
		return "refused during the request for " + path + " (" + oneLine(o.httpErr.Error()) + ")"
	case o.status == "" && closedUnanswered(o.httpErr):
		return "refused: the server closed the connection without answering HEAD " + path + " (" + oneLine(o.httpErr.Error()) + ")"
	case o.status != "" && refusingStatus(o.status):
		return fmt.Sprintf("refused: HEAD %s answered %s", path, o.status)
	case o.status != "":
		return fmt.Sprintf("accepted: HEAD %s answered %s", path, o.status)
	case o.httpErr != nil:
		return "accepted at the handshake; the request for " + path + " then failed (" + oneLine(o.httpErr.Error()) + ")"
	}
	return "accepted"
}

// clientProbe connects as one client: a TLS 1.2 handshake that presents
// cert when asked (an empty Certificate message when cert is nil), a
// renegotiation allowed once (a server that asks for the certificate only
// for some URLs renegotiates, TLS 1.2), then HEAD path over HTTP/1.1.
func (p *prober) clientProbe(ctx context.Context, sni, host, path string, cert *tls.Certificate) clientOutcome {
	var o clientOutcome
	conn, err := p.dial(ctx)
	if err != nil {
		o.err = err
		return o
	}
	defer conn.Close()
	// The callback runs in this goroutine: in the handshake, or in the
	// read of the response when the server renegotiates.
	handshaken := false
	cfg := &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, //nolint:gosec // the server's chain is not what is tested here
		MinVersion:         tls.VersionTLS12,
		MaxVersion:         tls.VersionTLS12,
		NextProtos:         []string{"http/1.1"},
		Renegotiation:      tls.RenegotiateOnceAsClient,
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if handshaken {
				o.askedLater = true
			} else {
				o.asked = true
			}
			if o.cas == nil {
				o.cas = caNames(cri.AcceptableCAs)
			}
			if cert != nil {
				return cert, nil
			}
			return &tls.Certificate{}, nil
		},
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, p.opts.timeout())
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		o.err = err
		return o
	}
	handshaken = true
	st := tc.ConnectionState()
	o.version, o.suite = st.Version, st.CipherSuite
	o.status, o.httpErr = head11(tc, host, path, min(p.opts.timeout(), httpTimeout))
	return o
}
