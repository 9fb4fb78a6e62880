package inspect

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// needsUnknownCAProbe reports whether the server asks for a client
// certificate with a CA list that leaves out the sender's root and
// intermediate: then what decides the delivery is how the server treats a
// certificate from a CA it does not trust — the sender sends its own
// whatever the list says (sender-model.md section 4), and the list is what
// the server advertises, not proof of what it accepts. Required or
// optional alike: "required" says only that a client without a
// certificate is refused (openssl s_server's -Verify without
// -verify_return_error, Go's RequireAnyClientCert then let any
// certificate through).
func needsUnknownCAProbe(ca ClientAuth, pca policy.ClientAuth, at time.Time) bool {
	return ca.Requested && len(ca.AcceptableCAs) > 0 && pca.Presents() && !ca.Presented &&
		!namesAny(ca.AcceptableCAs, append(pca.RootNames(at), pca.IntermediateNames(at)...))
}

// unknownCAOutcome is what the server did with chainscope's throwaway
// client certificate: refused, in the handshake or the request over it,
// with the status line of that request (when it got one) and, when the
// handshake or the request failed, why.
type unknownCAOutcome struct {
	refused bool
	http    string
	err     string
}

// probeUnknownCA presents a fresh self-signed client certificate, which no
// server trusts, at the policy's highest version, with a HEAD / over the
// handshake — one connection — and reports whether the server refused it:
// a server that verifies the certificates it is given (nginx's and
// Apache's "on"/"require" and "optional") refuses the sender's as well,
// while one that does not ("optional_no_ca", s_server without
// -verify_return_error) lets it through. It fails when the handshake ended
// before the server asked for a certificate.
func (p *prober) probeUnknownCA(ctx context.Context, sni string) (unknownCAOutcome, error) {
	cert, err := throwawayClientCert(p.opts.now())
	if err != nil {
		return unknownCAOutcome{}, err
	}
	r := p.fullHandshake(ctx, sni, cert, min(p.opts.Policy.MaxVersion(), wire.VersionTLS13))
	if r.err != nil && !r.presented {
		return unknownCAOutcome{}, r.err // it never got as far as asking
	}
	out := unknownCAOutcome{refused: r.err != nil || r.httpRefused, http: r.http}
	switch {
	case r.err != nil:
		cause := r.cause
		if inner := errors.Unwrap(cause); inner != nil {
			cause = inner // without "full handshake:"
		}
		out.err = oneLine(cause.Error())
	case r.httpErr != nil:
		out.err = "HEAD /: " + oneLine(r.httpErr.Error())
	}
	return out, nil
}

// throwawayClientCert returns a self-signed ECDSA P-256 client certificate
// made for one probe, in memory, with a fresh key: no server can know its
// CA, and its subject says whose probe it is.
func throwawayClientCert(now time.Time) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "chainscope unknown-CA probe", Organization: []string{"chainscope probe, not a client"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
