// Package testpki builds small certificate hierarchies for tests: roots,
// intermediates and leaves from an issuer→subject graph, with pinned
// validity so no fixture expires under a test.
package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync/atomic"
	"testing"
	"time"
)

// Epoch is the default start of validity; [Now] lies inside every default
// validity period.
var (
	Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	Now   = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
)

var serial atomic.Int64

// Cert is a certificate with its key.
type Cert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Option adjusts a certificate template before it is signed.
type Option func(*x509.Certificate, *keySpec)

type keySpec struct {
	rsaBits int
	key     crypto.Signer
}

// Validity sets the validity period.
func Validity(from, to time.Time) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.NotBefore, t.NotAfter = from, to }
}

// DNS sets the DNS names of a leaf.
func DNS(names ...string) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.DNSNames = names }
}

// RSA gives the certificate an RSA key of the given size instead of P-256.
func RSA(bits int) Option {
	return func(_ *x509.Certificate, k *keySpec) { k.rsaBits = bits }
}

// SignatureAlgorithm sets the algorithm the issuer signs with.
func SignatureAlgorithm(a x509.SignatureAlgorithm) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.SignatureAlgorithm = a }
}

// Subject replaces the subject name.
func Subject(n pkix.Name) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.Subject = n }
}

// AIA sets the issuing-certificate (caIssuers) URLs, in order.
func AIA(urls ...string) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.IssuingCertificateURL = urls }
}

func newKey(t testing.TB, k keySpec) crypto.Signer {
	t.Helper()
	if k.key != nil {
		return k.key
	}
	var key crypto.Signer
	var err error
	if k.rsaBits > 0 {
		key, err = rsa.GenerateKey(rand.Reader, k.rsaBits)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func template(cn string, ca bool) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"chainscope test"}},
		NotBefore:             Epoch,
		NotAfter:              End,
		BasicConstraintsValid: true,
		IsCA:                  ca,
	}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	return tmpl
}

func sign(t testing.TB, tmpl *x509.Certificate, ks keySpec, parent *Cert) *Cert {
	t.Helper()
	key := newKey(t, ks)
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), parentKey)
	if err != nil {
		t.Fatalf("create %s: %v", tmpl.Subject.CommonName, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{Cert: c, Key: key}
}

// Root returns a self-signed CA.
func Root(t testing.TB, cn string, opts ...Option) *Cert {
	tmpl := template(cn, true)
	var ks keySpec
	for _, o := range opts {
		o(tmpl, &ks)
	}
	return sign(t, tmpl, ks, nil)
}

// Intermediate returns a CA issued by parent.
func Intermediate(t testing.TB, parent *Cert, cn string, opts ...Option) *Cert {
	tmpl := template(cn, true)
	var ks keySpec
	for _, o := range opts {
		o(tmpl, &ks)
	}
	return sign(t, tmpl, ks, parent)
}

// Leaf returns an end-entity certificate issued by parent; a nil parent
// makes it self-signed. Its DNS name is cn unless DNS says otherwise.
func Leaf(t testing.TB, parent *Cert, cn string, opts ...Option) *Cert {
	tmpl := template(cn, false)
	tmpl.DNSNames = []string{cn}
	var ks keySpec
	for _, o := range opts {
		o(tmpl, &ks)
	}
	return sign(t, tmpl, ks, parent)
}

// PEM encodes certificates as PEM blocks, in order.
func PEM(certs ...*Cert) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})...)
	}
	return out
}

// X509 returns the parsed certificates.
func X509(certs ...*Cert) []*x509.Certificate {
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		out[i] = c.Cert
	}
	return out
}

// ClientAuth lets a leaf authenticate TLS clients too.
func ClientAuth() Option {
	return func(t *x509.Certificate, _ *keySpec) {
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	}
}

// EKU replaces the extended key usages.
func EKU(usages ...x509.ExtKeyUsage) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.ExtKeyUsage = usages }
}

// KeyUsage replaces the key usages (a leaf has digitalSignature and
// keyEncipherment, a CA certSign and cRLSign).
func KeyUsage(u x509.KeyUsage) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.KeyUsage = u }
}

// Extension adds an extension crypto/x509 does not write itself (e.g.
// Netscape's certificate type).
func Extension(e pkix.Extension) Option {
	return func(t *x509.Certificate, _ *keySpec) { t.ExtraExtensions = append(t.ExtraExtensions, e) }
}

// Key gives the certificate an existing key: with the same subject, a
// cross-signed or re-signed copy of another certificate.
func Key(k crypto.Signer) Option {
	return func(_ *x509.Certificate, ks *keySpec) { ks.key = k }
}

// KeyPEM encodes the certificate's private key as PKCS #8 PEM, for outside
// programs (servers, curl, openssl s_client).
func KeyPEM(t testing.TB, c *Cert) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// PermitDNS sets the permitted DNS name constraints of a CA (RFC 5280
// §4.2.1.10), marked critical.
func PermitDNS(domains ...string) Option {
	return func(t *x509.Certificate, _ *keySpec) {
		t.PermittedDNSDomains = domains
		t.PermittedDNSDomainsCritical = true
	}
}

// MaxPathLen sets a CA's path length constraint; 0 means none below it.
func MaxPathLen(n int) Option {
	return func(t *x509.Certificate, _ *keySpec) {
		t.MaxPathLen = n
		t.MaxPathLenZero = n == 0
	}
}

// NotCA makes a certificate a non-CA, keeping its other fields.
func NotCA() Option {
	return func(t *x509.Certificate, _ *keySpec) { t.IsCA = false }
}
