//go:debug rsa1024min=0
package verify

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

func TestAlgorithmOf(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Alg Root", testpki.RSA(2048))
	leaf := func(opts ...testpki.Option) *testpki.Cert { return testpki.Leaf(t, root, "alg.test", opts...) }
	tests := []struct {
		name    string
		cert    *testpki.Cert
		want    string
		verdict Verdict
	}{
		{"SHA-256", leaf(), "SHA256-RSA", Accepted},
		{"SHA-1", leaf(testpki.SignatureAlgorithm(x509.SHA1WithRSA)), "SHA1-RSA", Weak},
		{"MD5", testpki.Resign(t, leaf(), root, testpki.OIDMD5WithRSA, crypto.MD5, nil), "MD5-RSA", Refused},
		{"SHA-224, which Go does not parse", testpki.Resign(t, leaf(), root, testpki.OIDSHA224WithRSA, crypto.SHA224, nil), "SHA224-RSA", Accepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := AlgorithmOf(tt.cert.Cert)
			if a.Name != tt.want || a.Verdict != tt.verdict {
				t.Errorf("AlgorithmOf() = %s %v, want %s %v", a.Name, a.Verdict, tt.want, tt.verdict)
			}
			// Whatever the verdict, the signature is checked for real.
			if err := checkSignature(root.Cert, tt.cert.Cert, a); err != nil {
				t.Errorf("checkSignature(issuer) = %v, want nil", err)
			}
			if err := checkSignature(testpki.Root(t, "Other", testpki.RSA(2048)).Cert, tt.cert.Cert, a); err == nil {
				t.Errorf("checkSignature(another key) = nil, want an error")
			}
		})
	}
}

// TestSmallRSAKeys checks signatures by RSA keys under 1024 bits, which
// crypto/rsa refuses and the sender accepts (sender-model.md section 3).
func TestSmallRSAKeys(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Small Root", testpki.RSA(768))
	for _, alg := range []x509.SignatureAlgorithm{x509.SHA256WithRSA, x509.SHA1WithRSA} {
		leaf := testpki.Leaf(t, root, "small.test", testpki.SignatureAlgorithm(alg))
		if err := checkSignature(root.Cert, leaf.Cert, AlgorithmOf(leaf.Cert)); err != nil {
			t.Errorf("%v: checkSignature(768-bit issuer) = %v, want nil", alg, err)
		}
		other := testpki.Root(t, "Small Other", testpki.RSA(768))
		if err := checkSignature(other.Cert, leaf.Cert, AlgorithmOf(leaf.Cert)); err == nil {
			t.Errorf("%v: checkSignature(another 768-bit key) = nil, want an error", alg)
		}
	}
}

func TestNameConstraints(t *testing.T) {
	t.Parallel()
	_, ten, _ := net.ParseCIDR("10.0.0.0/8")
	tests := []struct {
		name              string
		permitted, banned []string
		ips               []*net.IPNet
		sans              []string
		ip                net.IP
		email, uri        string
		ok                bool
	}{
		{name: "exact", permitted: []string{"example.com"}, sans: []string{"example.com"}, ok: true},
		{name: "subdomain", permitted: []string{"example.com"}, sans: []string{"a.b.example.com"}, ok: true},
		{name: "label boundary", permitted: []string{"example.com"}, sans: []string{"badexample.com"}},
		{name: "leading period excludes the domain", permitted: []string{".example.com"}, sans: []string{"example.com"}},
		{name: "leading period allows subdomains", permitted: []string{".example.com"}, sans: []string{"www.example.com"}, ok: true},
		{name: "case", permitted: []string{"EXAMPLE.com"}, sans: []string{"www.Example.COM"}, ok: true},
		{name: "excluded", banned: []string{"bad.example.com"}, sans: []string{"x.bad.example.com"}},
		{name: "wildcard could cover an excluded name", banned: []string{"bad.example.com"}, sans: []string{"*.example.com"}},
		{name: "wildcard under a permitted domain", permitted: []string{"example.com"}, sans: []string{"*.example.com"}, ok: true},
		{name: "IP inside", ips: []*net.IPNet{ten}, ip: net.IPv4(10, 1, 2, 3).To4(), ok: true},
		{name: "IP outside", ips: []*net.IPNet{ten}, ip: net.IPv4(192, 168, 1, 1).To4()},
		{name: "email domain", permitted: []string{"example.com"}, email: "a@example.com", ok: true},
		{name: "URI host", permitted: []string{"example.com"}, uri: "https://other.test/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ca := &x509.Certificate{PermittedDNSDomains: tt.permitted, ExcludedDNSDomains: tt.banned, PermittedIPRanges: tt.ips}
			if tt.email != "" || tt.uri != "" {
				ca = &x509.Certificate{PermittedEmailAddresses: tt.permitted, PermittedURIDomains: tt.permitted}
			}
			leaf := &x509.Certificate{DNSNames: tt.sans}
			if tt.ip != nil {
				leaf.IPAddresses = []net.IP{tt.ip}
			}
			if tt.email != "" {
				leaf.EmailAddresses = []string{tt.email}
			}
			if tt.uri != "" {
				u, _ := url.Parse(tt.uri)
				leaf.URIs = []*url.URL{u}
			}
			leaf.Extensions = append(leaf.Extensions, sanExtension())
			err := checkNameConstraints(ca, []*x509.Certificate{leaf})
			if (err == nil) != tt.ok {
				t.Errorf("checkNameConstraints() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestNameConstraintsSkipSelfIssued: RFC 5280 §6.1.3 (b) exempts
// self-issued intermediates, not the leaf.
func TestNameConstraintsSkipSelfIssued(t *testing.T) {
	t.Parallel()
	ca := &x509.Certificate{PermittedDNSDomains: []string{"example.com"}}
	mid := &x509.Certificate{DNSNames: []string{"not-example.com"}, RawSubject: []byte("A"), RawIssuer: []byte("A"), Extensions: []pkix.Extension{sanExtension()}}
	leaf := &x509.Certificate{DNSNames: []string{"www.example.com"}, RawSubject: []byte("L"), RawIssuer: []byte("A"), Extensions: []pkix.Extension{sanExtension()}}
	if err := checkNameConstraints(ca, []*x509.Certificate{leaf, mid}); err != nil {
		t.Errorf("self-issued intermediate: checkNameConstraints() = %v, want nil", err)
	}
	leaf.RawIssuer = leaf.RawSubject
	leaf.DNSNames = []string{"not-example.com"}
	if err := checkNameConstraints(ca, []*x509.Certificate{leaf}); err == nil {
		t.Errorf("self-issued leaf: checkNameConstraints() = nil, want an error")
	}
}

// TestSearchBounds feeds bundles built to make a path builder work hard:
// the search stays within its bounds and says so.
func TestSearchBounds(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Bound Root")
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})
	// 40 certificates named like the leaf's issuer, none of them its
	// issuer: one signature check each, up to the bound.
	leaf := testpki.Leaf(t, testpki.Intermediate(t, root, "Bound Int"), "bound.test")
	certs := []*x509.Certificate{leaf.Cert}
	for range 40 {
		certs = append(certs, testpki.Intermediate(t, root, "Bound Int").Cert)
	}
	a := Analyze(certs, Options{Store: store, At: testpki.Now})
	if a.g.checks > MaxSignatureChecks {
		t.Errorf("%d signature checks, want at most %d", a.g.checks, MaxSignatureChecks)
	}
	if a.Best().Valid() {
		t.Errorf("a path validated without the leaf's issuer")
	}
	// The real issuer after more impostors than the bound on signature
	// checks: it is never checked, so the path stops at the bound, and
	// the issuer is not called missing.
	inter := testpki.Intermediate(t, root, "Late Int")
	late := []*x509.Certificate{testpki.Leaf(t, inter, "late.test").Cert}
	for range MaxSignatureChecks + 5 {
		late = append(late, testpki.Intermediate(t, root, "Late Int").Cert)
	}
	late = append(late, inter.Cert)
	if b := Analyze(late, Options{Store: store, At: testpki.Now}).Best(); b.End != EndLimit || worst(b) != SearchLimit {
		t.Errorf("issuer past the bound: best path ends %v failing %v, want EndLimit failing SearchLimit", b.End, worst(b))
	}
	// Mutual cross-signs with no root of the store above them: the
	// path loops back, and says to which position.
	caA, caB := testpki.Root(t, "Loop A"), testpki.Root(t, "Loop B")
	xA := testpki.Intermediate(t, caB, "Loop A", testpki.Key(caA.Key))
	xB := testpki.Intermediate(t, caA, "Loop B", testpki.Key(caB.Key))
	loop := Analyze(testpki.X509(testpki.Leaf(t, xA, "loop.test"), xA, xB), Options{Store: store, At: testpki.Now}).Best()
	if loop.End != EndLoop || loop.LoopsTo != 1 || worst(loop) != Loop {
		t.Errorf("mutual cross-signs: best path ends %v at %d failing %v, want EndLoop at 1 failing Loop", loop.End, loop.LoopsTo, worst(loop))
	}
	// A mesh of mutual cross-signs among five CAs under the root: 20
	// cross-signs, exponentially many loop-free paths.
	var keys []*testpki.Cert
	for i := range 5 {
		keys = append(keys, testpki.Intermediate(t, root, fmt.Sprintf("Mesh %d", i)))
	}
	mesh := []*x509.Certificate{testpki.Leaf(t, keys[0], "mesh.test").Cert}
	for i, a := range keys {
		for j, b := range keys {
			if i != j {
				mesh = append(mesh, testpki.Intermediate(t, b, fmt.Sprintf("Mesh %d", i), testpki.Key(a.Key)).Cert)
			}
		}
	}
	// Only the last CA's certificate from the root is sent: every path
	// goes through the mesh to it.
	mesh = append(mesh, keys[4].Cert)
	an := Analyze(mesh, Options{Store: store, At: testpki.Now})
	if len(an.Paths) > MaxPaths {
		t.Errorf("%d paths, want at most %d", len(an.Paths), MaxPaths)
	}
	var names []string
	for _, p := range an.Best().Certs {
		names = append(names, p.Subject.CommonName)
	}
	if !an.Best().Valid() {
		t.Errorf("mesh: best path %s fails: %+v", strings.Join(names, " -> "), an.Best().Failures)
	}
}

// sanExtension marks a hand-made certificate as carrying a subject
// alternative name extension (its names are in the parsed fields).
func sanExtension() pkix.Extension { return pkix.Extension{Id: oidSubjectAltName} }
