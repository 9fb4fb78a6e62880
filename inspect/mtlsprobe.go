package inspect

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// needsUnknownCAProbe reports whether the server asks for a client
// certificate without requiring one while its CA list leaves out the
// sender's root and intermediate: then what decides the delivery is how the
// server treats a certificate from a CA it does not trust — the sender
// sends its own whatever the list says (sender-model.md section 4).
func needsUnknownCAProbe(ca ClientAuth, pca policy.ClientAuth, at time.Time) bool {
	return ca.Requested && ca.Mode == "optional" && len(ca.AcceptableCAs) > 0 && pca.Presents() && !ca.Presented &&
		!namesAny(ca.AcceptableCAs, append(pca.RootNames(at), pca.IntermediateNames(at)...))
}

// probeUnknownCA presents a fresh self-signed client certificate, which no
// server trusts, at the policy's highest version, with a HEAD / over the
// handshake, and reports whether the server refused it: a server that
// verifies the certificates it is given (nginx's and Apache's "optional")
// refuses the sender's as well, while one that does not
// ("optional_no_ca") lets it through unauthenticated.
func (p *prober) probeUnknownCA(ctx context.Context, sni string) (refused bool, err error) {
	cert, err := throwawayClientCert(p.opts.now())
	if err != nil {
		return false, err
	}
	r := p.fullHandshake(ctx, sni, cert, min(p.opts.Policy.MaxVersion(), wire.VersionTLS13))
	if r.err != nil && !r.presented {
		return false, r.err // it never got as far as asking
	}
	return r.err != nil || r.httpRefused, nil
}

// throwawayClientCert returns a self-signed ECDSA P-256 client certificate
// made for one probe.
func throwawayClientCert(now time.Time) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "chainscope unknown-CA probe"},
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
