// Package impostor makes the client certificates of "chainscope mtls
// check": the sender's certificate as a throw-away CA standing in for the
// sender's CA would issue it, and the impostors a server that verifies the
// sender must refuse — the mistakes operators make with the five steps of
// the sender's document (shared/seed/pagerduty-webhooks-mutual-tls.md):
// an unanchored or unescaped CN test, a verify depth one too high, a
// verification that is optional or does not check the CA, a test placed
// where it does not apply. Every key is made on the fly and lives in
// memory only.
package impostor

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// The ids of the clients, one per mistake they reveal; the check ids of
// mtls check are "mtls." followed by these.
const (
	Sender     = "sender"      // the sender's chain, intermediates sent
	SenderLeaf = "sender_leaf" // the sender's certificate alone
	NoCert     = "no_cert"     // no certificate at all
	OtherCN    = "other_cn"    // another CN from the stand-in CA
	EvilSuffix = "evil_suffix" // the sender's CN with a suffix
	LookAlike  = "look_alike"  // the sender's CN with its dots as dashes
	OtherCA    = "other_ca"    // the sender's CN from another CA
	Depth      = "depth"       // the sender's CN one intermediate deeper
	Expired    = "expired"     // the sender's CN, expired
	// Direct and Stranger are no checks of their own. A certificate
	// issued by the stand-in root with no intermediate tells a verify
	// depth that is too low from a CA the server does not trust; one from
	// a throw-away CA, made when Spec.Other is given, tells a server that
	// trusts that other CA from one that does not check the CA at all.
	Direct   = "direct"
	Stranger = "stranger"
)

// CA is a certificate authority the clients are issued under: Chain holds
// the issuing CA first, then its issuers up to the root (a root alone is
// fine), and Key is the issuing CA's key.
type CA struct {
	Chain []*x509.Certificate
	Key   crypto.Signer
}

// Check reports whether the CA can issue: a chain that ends at a
// self-signed root, each certificate issued by the next, whose first
// certificate is a CA and holds the public half of Key.
func (ca CA) Check() error {
	if len(ca.Chain) == 0 {
		return errors.New("no CA certificate")
	}
	first := ca.Chain[0]
	if !first.IsCA || first.KeyUsage != 0 && first.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fmt.Errorf("%s is not a CA that may sign certificates", first.Subject)
	}
	pub, ok := ca.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(first.PublicKey) {
		return fmt.Errorf("the key does not belong to %s", first.Subject)
	}
	for i, c := range ca.Chain {
		if i+1 == len(ca.Chain) {
			if !bytes.Equal(c.RawIssuer, c.RawSubject) {
				return fmt.Errorf("%s is not a self-signed root: end the file with the root", c.Subject)
			}
			break
		}
		if err := c.CheckSignatureFrom(ca.Chain[i+1]); err != nil {
			return fmt.Errorf("%s is not issued by %s, the certificate after it: %w", c.Subject, ca.Chain[i+1].Subject, err)
		}
	}
	return nil
}

// intermediates counts the chain's certificates below the root.
func (ca CA) intermediates() int { return len(ca.Chain) - 1 }

// Client is one client of the check.
type Client struct {
	// ID says which client it is ([Sender], [EvilSuffix], …).
	ID string
	// What describes the certificate: "CN=… from the stand-in CA, with 1
	// intermediate".
	What string
	// Certificate is the chain the client sends and its key; nil for a
	// client without a certificate.
	Certificate *tls.Certificate
	// Accept says what a server that verifies the sender does with it.
	Accept bool
}

// Spec is what to make.
type Spec struct {
	// StandIn stands in for the sender's CA.
	StandIn CA
	// Other is a CA the server must not accept clients from; nil means a
	// throw-away root made here.
	Other *CA
	// CNs are the sender's client certificate CNs; the first one is used
	// for the impostors.
	CNs []string
	// Intermediates is how many intermediates the sender's path has below
	// the root (the policy's verify depth less one).
	Intermediates int
	// Now is the clock the validity is set around.
	Now time.Time
}

// Clients makes the clients of the check: one [Sender] per CN, then, when
// the stand-in's chain holds the sender's intermediates, [SenderLeaf];
// then [NoCert], [OtherCN], [EvilSuffix], [LookAlike], [OtherCA], [Depth],
// [Expired], [Stranger] when Spec.Other is given, and [Direct] when the
// stand-in is a root and the sender's path has intermediates.
func Clients(s Spec) ([]Client, error) {
	if err := s.StandIn.Check(); err != nil {
		return nil, fmt.Errorf("stand-in CA: %w", err)
	}
	if len(s.CNs) == 0 {
		return nil, errors.New("no CN for the sender's certificate")
	}
	m := &maker{now: s.Now}
	// The sender's path: the stand-in's chain, and as many intermediates
	// made here as it lacks.
	path, err := m.deepen(s.StandIn, s.Intermediates-s.StandIn.intermediates(), "Stand-in")
	if err != nil {
		return nil, err
	}
	made := s.Intermediates - s.StandIn.intermediates()
	what := fmt.Sprintf("from the stand-in CA %s, %s", cnOf(s.StandIn.Chain[0]), plural(path.intermediates(), "intermediate"))
	if made > 0 {
		what += fmt.Sprintf(" (%d made here)", made)
	}
	cn := s.CNs[0]
	var out []Client
	add := func(id, what string, ca CA, cn string, accept bool, opts ...func(*x509.Certificate)) error {
		cert, err := m.leaf(ca, cn, opts...)
		if err != nil {
			return err
		}
		out = append(out, Client{ID: id, What: what, Certificate: cert, Accept: accept})
		return nil
	}
	for _, c := range s.CNs {
		if err := add(Sender, "CN="+c+" "+what, path, c, true); err != nil {
			return nil, err
		}
	}
	if made <= 0 && path.intermediates() > 0 {
		leaf, err := m.leaf(path, cn)
		if err != nil {
			return nil, err
		}
		leaf.Certificate = leaf.Certificate[:1]
		out = append(out, Client{ID: SenderLeaf, What: "CN=" + cn + " " + what + ", sent without its intermediates", Certificate: leaf, Accept: true})
	}
	out = append(out, Client{ID: NoCert, What: "no client certificate"})
	if err := add(OtherCN, "CN=other.example "+what, path, "other.example", false); err != nil {
		return nil, err
	}
	if err := add(EvilSuffix, "CN="+cn+".evil.example "+what, path, cn+".evil.example", false); err != nil {
		return nil, err
	}
	lookAlike := strings.ReplaceAll(cn, ".", "-") + ".evil.example"
	if err := add(LookAlike, "CN="+lookAlike+" "+what, path, lookAlike, false); err != nil {
		return nil, err
	}
	other := s.Other
	if other == nil {
		root, err := m.root("chainscope throw-away other root")
		if err != nil {
			return nil, err
		}
		other = &root
	} else if err := other.Check(); err != nil {
		return nil, fmt.Errorf("other CA: %w", err)
	}
	otherPath, err := m.deepen(*other, s.Intermediates-other.intermediates(), "Other")
	if err != nil {
		return nil, err
	}
	if err := add(OtherCA, fmt.Sprintf("CN=%s from another CA, %s, %s", cn, cnOf(otherPath.Chain[len(otherPath.Chain)-1]), plural(otherPath.intermediates(), "intermediate")), otherPath, cn, false); err != nil {
		return nil, err
	}
	deeper, err := m.deepen(path, 1, "Deeper")
	if err != nil {
		return nil, err
	}
	if err := add(Depth, fmt.Sprintf("CN=%s from the stand-in CA, %s (one more than the sender's)", cn, plural(deeper.intermediates(), "intermediate")), deeper, cn, false); err != nil {
		return nil, err
	}
	expired := func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = s.Now.Add(-48*time.Hour), s.Now.Add(-24*time.Hour)
	}
	if err := add(Expired, "CN="+cn+" "+what+", expired a day ago", path, cn, false, expired); err != nil {
		return nil, err
	}
	if s.Other != nil {
		root, err := m.root("chainscope throw-away stranger root")
		if err != nil {
			return nil, err
		}
		if err := add(Stranger, "CN="+cn+" from a throw-away CA, "+cnOf(root.Chain[0]), root, cn, false); err != nil {
			return nil, err
		}
	}
	if s.StandIn.intermediates() == 0 && s.Intermediates > 0 {
		if err := add(Direct, "CN="+cn+" issued by the stand-in root itself, no intermediate", s.StandIn, cn, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maker issues certificates with fresh P-256 keys.
type maker struct {
	now    time.Time
	serial int64
}

func (m *maker) next() *big.Int {
	m.serial++
	return big.NewInt(m.now.Unix()<<16 + m.serial)
}

func (m *maker) sign(tmpl *x509.Certificate, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, crypto.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		return nil, nil, fmt.Errorf("issue %s: %w", tmpl.Subject.CommonName, err)
	}
	c, err := x509.ParseCertificate(der)
	return c, key, err
}

func (m *maker) caTemplate(cn string) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          m.next(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"chainscope mtls check"}},
		NotBefore:             m.now.Add(-time.Hour),
		NotAfter:              m.now.Add(48 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

// root makes a throw-away root.
func (m *maker) root(cn string) (CA, error) {
	c, key, err := m.sign(m.caTemplate(cn), nil, nil)
	if err != nil {
		return CA{}, err
	}
	return CA{Chain: []*x509.Certificate{c}, Key: key}, nil
}

// deepen adds n intermediates made here below the CA's issuing CA.
func (m *maker) deepen(ca CA, n int, name string) (CA, error) {
	for i := 0; i < n; i++ {
		c, key, err := m.sign(m.caTemplate(fmt.Sprintf("chainscope %s Intermediate %d", name, i+1)), ca.Chain[0], ca.Key)
		if err != nil {
			return CA{}, err
		}
		ca = CA{Chain: append([]*x509.Certificate{c}, ca.Chain...), Key: key}
	}
	return ca, nil
}

// leaf issues a client certificate for cn under ca and returns it with the
// chain a client sends: the certificate, then the CA's intermediates (not
// its root).
func (m *maker) leaf(ca CA, cn string, opts ...func(*x509.Certificate)) (*tls.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber:          m.next(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"chainscope mtls check"}},
		NotBefore:             m.now.Add(-time.Hour),
		NotAfter:              m.now.Add(24 * time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	for _, o := range opts {
		o(tmpl)
	}
	c, key, err := m.sign(tmpl, ca.Chain[0], ca.Key)
	if err != nil {
		return nil, err
	}
	out := &tls.Certificate{Certificate: [][]byte{c.Raw}, PrivateKey: key, Leaf: c}
	for _, i := range ca.Chain[:ca.intermediates()] {
		out.Certificate = append(out.Certificate, i.Raw)
	}
	return out, nil
}

func cnOf(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	return c.Subject.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
