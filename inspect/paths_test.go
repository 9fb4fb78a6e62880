package inspect

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// TestPathBuilding judges BetterTLS-style graphs: several candidate
// issuers per certificate, dead branches, refused anchors, refused
// algorithms. Each case draws its graph (issuer -> subject) the way
// crypto/x509's TestPathBuilding does and checks the path chosen, the
// verdict of each check, and the explanation.
func TestPathBuilding(t *testing.T) {
	t.Parallel()
	// A leaf under "Int" (key K), which exists twice: IntA signed by a
	// root outside the store, IntB by a store root.
	root := testpki.Root(t, "Trusted Root")
	dead := testpki.Root(t, "Dead Root")
	intB := testpki.Intermediate(t, root, "Int")
	intA := testpki.Intermediate(t, dead, "Int", testpki.Key(intB.Key))
	leaf := testpki.Leaf(t, intB, "example.test")

	// Two store roots; the first distrusted.
	distrusted := testpki.Root(t, "Distrusted Root")
	int1 := testpki.Intermediate(t, distrusted, "Int D", testpki.Key(intB.Key))
	int2 := testpki.Intermediate(t, root, "Int D", testpki.Key(intB.Key))
	leafD := testpki.Leaf(t, int1, "example.test")
	// A distrusted store root cross-signed by a trusted one.
	distrustedCross := testpki.Intermediate(t, root, "Distrusted Root", testpki.Key(distrusted.Key))

	// The store root cross-signed by an old root, that copy expired; and
	// an intermediate re-issued under the old root, expired.
	old := testpki.Root(t, "Old Root")
	rootCrossExpired := testpki.Intermediate(t, old, "Trusted Root", testpki.Key(root.Key),
		testpki.Validity(testpki.Epoch.AddDate(-3, 0, 0), testpki.Epoch.AddDate(-1, 0, 0)))
	intExpired := testpki.Intermediate(t, old, "Int", testpki.Key(intB.Key),
		testpki.Validity(testpki.Epoch.AddDate(-3, 0, 0), testpki.Epoch.AddDate(-1, 0, 0)))

	// Name constraints: "Int N" under a root that permits only
	// other.test, and again under the trusted root without constraints.
	ncRoot := testpki.Root(t, "Constrained Root")
	intNC := testpki.Intermediate(t, ncRoot, "Int N", testpki.PermitDNS("other.test"))
	intN := testpki.Intermediate(t, root, "Int N", testpki.Key(intNC.Key))
	leafN := testpki.Leaf(t, intNC, "example.test")

	// RSA hierarchy for SHA-1 and MD5 signatures.
	rsaRoot := testpki.Root(t, "RSA Root", testpki.RSA(2048))
	sha1Int := testpki.Intermediate(t, rsaRoot, "SHA-1 Int", testpki.RSA(2048), testpki.SignatureAlgorithm(x509.SHA1WithRSA))
	sha1Leaf := testpki.Leaf(t, sha1Int, "example.test")
	rsaInt := testpki.Intermediate(t, rsaRoot, "RSA Int", testpki.RSA(2048))
	md5Leaf := testpki.Resign(t, testpki.Leaf(t, rsaInt, "example.test"), rsaInt, testpki.OIDMD5WithRSA, crypto.MD5, nil)
	sha1LeafRSA := testpki.Leaf(t, rsaInt, "example.test", testpki.SignatureAlgorithm(x509.SHA1WithRSA))
	sha224Leaf := testpki.Resign(t, testpki.Leaf(t, rsaInt, "example.test"), rsaInt, testpki.OIDSHA224WithRSA, crypto.SHA224, nil)

	// Two intermediates below the root: OTP's default depth is 1.
	int2a := testpki.Intermediate(t, intB, "Int 2")
	leafDeep := testpki.Leaf(t, int2a, "example.test")

	// Two private CAs that cross-sign each other, neither root in the
	// store: the search comes back to a certificate already on the path.
	caA := testpki.Root(t, "CA A")
	caB := testpki.Root(t, "CA B")
	xA := testpki.Intermediate(t, caB, "CA A", testpki.Key(caA.Key))
	xB := testpki.Intermediate(t, caA, "CA B", testpki.Key(caB.Key))
	leafX := testpki.Leaf(t, xA, "example.test")

	// The leaf's issuer sent after more same-named certificates than the
	// search checks signatures for.
	lateInt := testpki.Intermediate(t, root, "Late Int")
	late := []*testpki.Cert{testpki.Leaf(t, lateInt, "example.test")}
	for range 105 {
		late = append(late, testpki.Intermediate(t, root, "Late Int"))
	}
	late = append(late, lateInt)

	store := []*trust.Root{{Cert: root.Cert}, {Cert: rsaRoot.Cert}, {Cert: ncRoot.Cert}, {Cert: old.Cert},
		{Cert: distrusted.Cert, Constraint: func([]*x509.Certificate) error {
			return fmt.Errorf("certificate issued after distrust-after date %q", testpki.Epoch.Add(-time.Hour))
		}}}

	type want map[string]Status
	tests := []struct {
		name  string
		graph string // the issuer -> subject edges, for the reader
		certs []*testpki.Cert
		live  bool
		want  want
		path  string
		// root is the store root the path ends at, "" when none.
		root    string
		trusted bool
		missing string
		// detail and fix hold substrings of a check's detail and fix.
		detail, fix map[string]string
	}{
		{
			name:  "cross-signed intermediates, one dead branch",
			graph: "Dead Root -> IntA(K) -> leaf; Trusted Root -> IntB(K) -> leaf; sent: leaf, IntA, IntB",
			certs: []*testpki.Cert{leaf, intA, intB},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckExtra: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{
				CheckOrder: "#1 CN=Int is not issued by #2 CN=Int",
				CheckExtra: "#1 CN=Int is another certificate for the key of #2 CN=Int (a cross-sign or a re-issue), issued by CN=Dead Root; the path through it fails: the issuer of #1 CN=Int, CN=Dead Root, is neither presented nor in the roots file v1",
			},
			fix: map[string]string{CheckOrder: "put the intermediate CN=Int right after the leaf in your certificate file; the full order is #0 CN=example.test, #2 CN=Int; drop #1"},
		},
		{
			name:  "the live branch sent first",
			graph: "as above; sent: leaf, IntB, IntA",
			certs: []*testpki.Cert{leaf, intB, intA},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckExtra: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #1 -> store", root: "CN=Trusted Root", trusted: true,
			fix: map[string]string{CheckOrder: "present the certificates in this order: #0 CN=example.test, #1 CN=Int; drop #2"},
		},
		{
			name:  "only the dead branch",
			graph: "Dead Root -> IntA -> leaf; sent: leaf, IntA",
			certs: []*testpki.Cert{leaf, intA},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckRoot: StatusFail},
			path:  "#0 -> #1", missing: "CN=Dead Root",
		},
		{
			name:  "distrusted first anchor, a trusted alternative sent",
			graph: "Distrusted Root -> Int1(K) -> leaf; Trusted Root -> Int2(K); sent: leaf, Int1, Int2",
			certs: []*testpki.Cert{leafD, int1, int2},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckRoot: StatusPass},
			path:  "#0 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{CheckExtra: "distrusts CN=Distrusted Root for this path: a certificate on it was issued after 2025-12-31"},
		},
		{
			name:  "distrusted store root cross-signed by a trusted one",
			graph: "Distrusted Root -> Int1 -> leaf; Trusted Root -> Distrusted Root (cross-sign); sent: leaf, Int1, cross-sign",
			certs: []*testpki.Cert{leafD, int1, distrustedCross},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusWarn, CheckExtra: StatusPass, CheckRoot: StatusPass},
			path:  "#0 -> #1 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
		},
		{
			name:  "distrusted root, no alternative",
			graph: "Distrusted Root -> Int1 -> leaf; sent: leaf, Int1",
			certs: []*testpki.Cert{leafD, int1},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusFail},
			path:  "#0 -> #1 -> store", root: "CN=Distrusted Root",
			detail: map[string]string{CheckRoot: "the roots file v1 distrusts CN=Distrusted Root for this path: a certificate on it was issued after 2025-12-31, the root's distrust-after date"},
			fix:    map[string]string{CheckRoot: "whose root the store fully trusts"},
		},
		{
			name:  "expired cross-sign of the store root",
			graph: "Old Root -> Trusted Root (expired cross-sign); Trusted Root -> IntB -> leaf; sent: leaf, IntB, cross-sign",
			certs: []*testpki.Cert{leaf, intB, rootCrossExpired},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass, CheckValidity: StatusPass},
			path:  "#0 -> #1 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
		},
		{
			name:  "expired re-issue beside the valid intermediate",
			graph: "Old Root -> Int (expired, key K); Trusted Root -> IntB(K) -> leaf; sent: leaf, expired Int, IntB",
			certs: []*testpki.Cert{leaf, intExpired, intB},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckRoot: StatusPass, CheckValidity: StatusPass},
			path:  "#0 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{CheckExtra: "the path through it fails: #1 CN=Int expired on 2025-01-01"},
		},
		{
			name:  "name-constraint dead end beside an open path",
			graph: "Constrained Root (other.test only) -> IntNC(K) -> leaf; Trusted Root -> IntN(K); sent: leaf, IntNC, IntN",
			certs: []*testpki.Cert{leafN, intNC, intN},
			want:  want{CheckOrder: StatusFail, CheckRoot: StatusPass},
			path:  "#0 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{CheckExtra: `#1 CN=Int N's name constraints refuse the path: DNS name "example.test" is not permitted by any constraint`},
		},
		{
			name:  "name-constraint dead end alone",
			graph: "Constrained Root -> IntNC -> leaf; sent: leaf, IntNC",
			certs: []*testpki.Cert{leafN, intNC},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusFail},
			path:  "#0 -> #1 -> store", root: "CN=Constrained Root",
			detail: map[string]string{CheckRoot: `name constraints refuse the path: DNS name "example.test" is not permitted`},
		},
		{
			name:  "SHA-1 intermediate under a store root, root not sent",
			graph: "RSA Root =SHA-1=> SHA-1 Int -> leaf; sent: leaf, Int",
			certs: []*testpki.Cert{sha1Leaf, sha1Int},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusPass, CheckStrength: StatusWarn},
			path:  "#0 -> #1 -> store", root: "CN=RSA Root", trusted: true,
			detail: map[string]string{CheckStrength: "#1 CN=SHA-1 Int is signed with SHA1-RSA: the sender (OTP) accepts it, but Go, Java, NSS (Firefox) and OpenSSL 3 refuse SHA-1"},
		},
		{
			name:  "SHA-1 intermediate under a store root, root sent",
			graph: "as above; sent: leaf, Int, RSA Root",
			certs: []*testpki.Cert{sha1Leaf, sha1Int, rsaRoot},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusPass, CheckStrength: StatusWarn},
			path:  "#0 -> #1 -> #2", root: "CN=RSA Root", trusted: true,
			detail: map[string]string{CheckStrength: "#1 CN=SHA-1 Int is signed with SHA1-RSA: the sender (OTP) accepts it, but Go, Java, NSS (Firefox) and OpenSSL 3 refuse SHA-1"},
		},
		{
			name:  "SHA-1 leaf",
			graph: "RSA Root -> RSA Int =SHA-1=> leaf",
			certs: []*testpki.Cert{sha1LeafRSA, rsaInt},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusPass, CheckStrength: StatusWarn},
			path:  "#0 -> #1 -> store", root: "CN=RSA Root", trusted: true,
		},
		{
			name:  "MD5 leaf",
			graph: "RSA Root -> RSA Int =MD5=> leaf",
			certs: []*testpki.Cert{md5Leaf, rsaInt},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass, CheckStrength: StatusFail},
			path:  "#0 -> #1 -> store", root: "CN=RSA Root",
			detail: map[string]string{CheckStrength: "#0 CN=example.test is signed with MD5-RSA, which the sender refuses"},
		},
		{
			name:  "SHA-224 leaf, in the sender's list",
			graph: "RSA Root -> RSA Int =SHA-224=> leaf",
			certs: []*testpki.Cert{sha224Leaf, rsaInt},
			want:  want{CheckComplete: StatusPass, CheckRoot: StatusPass, CheckStrength: StatusPass},
			path:  "#0 -> #1 -> store", root: "CN=RSA Root", trusted: true,
		},
		{
			name:  "two intermediates below the root",
			graph: "Trusted Root -> IntB -> Int 2 -> leaf",
			certs: []*testpki.Cert{leafDeep, int2a, intB},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #1 -> #2 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{CheckComplete: "it holds 2 intermediates below the root, and OTP releases of the sender's era verify at most 1 by default"},
		},
		{
			name:  "mutual cross-signs, no root in the store",
			graph: "CA B -> CA A(KA) -> leaf; CA A -> CA B(KB); sent: leaf, CA A, CA B",
			certs: []*testpki.Cert{leafX, xA, xB},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckExtra: StatusPass, CheckRoot: StatusFail},
			path:  "#0 -> #1 -> #2",
			detail: map[string]string{
				CheckComplete: "#2 CN=CA B is issued by #1 CN=CA A, which is already on the path: the cross-signs lead back to each other and reach no root of the roots file v1",
				CheckRoot:     "#2 CN=CA B is issued by #1 CN=CA A, which is already on the path",
			},
			fix: map[string]string{CheckComplete: "present a certificate for CN=CA A or CN=CA B issued by a root of the roots file v1"},
		},
		{
			name:  "the issuer past the search's bounds",
			graph: "Trusted Root -> Late Int -> leaf; sent: leaf, 105 other CN=Late Int, Late Int",
			certs: late,
			want:  want{CheckComplete: StatusFail, CheckRoot: StatusFail},
			path:  "#0",
			detail: map[string]string{
				CheckComplete: "the search for a path stopped at #0 CN=example.test, at its bounds (at most 16 certificates per path, 100 signature checks, 64 paths), before any root of the roots file v1",
			},
			fix: map[string]string{CheckComplete: "present only the leaf and its intermediates in order"},
		},
		{
			name:  "the intermediate left out, the root sent",
			graph: "Trusted Root -> IntB -> leaf; sent: leaf, Trusted Root",
			certs: []*testpki.Cert{leaf, root},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusFail, CheckExtra: StatusWarn},
			path:  "#0", missing: "CN=Int",
			detail: map[string]string{CheckExtra: "#1 CN=Trusted Root is the self-signed root CN=Trusted Root, which the path does not reach: an intermediate is missing below it (see chain.complete), or it does not belong in the file"},
		},
		{
			name:  "live: a CA certificate sent first",
			graph: "Trusted Root -> IntB -> leaf; sent: IntB, leaf",
			certs: []*testpki.Cert{intB, leaf}, live: true,
			want: want{CheckOrder: StatusFail, CheckRoot: StatusPass, CheckHostname: StatusFail},
			path: "#0 -> store", root: "CN=Trusted Root", trusted: true,
			detail: map[string]string{CheckOrder: "#0 CN=Int, a CA certificate, is sent first, so the sender takes it as the server's certificate; the end-entity certificate is #1 CN=example.test"},
			fix:    map[string]string{CheckOrder: "if the key the server holds belongs to #0 CN=Int, a CA certificate, a new certificate for the server's own key is needed"},
		},
		{
			name:  "file: the same list is reordered",
			graph: "Trusted Root -> IntB -> leaf; file: IntB, leaf",
			certs: []*testpki.Cert{intB, leaf},
			want:  want{CheckOrder: StatusFail, CheckRoot: StatusPass, CheckHostname: StatusPass},
			path:  "#1 -> #0 -> store", root: "CN=Trusted Root", trusted: true,
			fix: map[string]string{CheckOrder: "present the certificates in this order: #1 CN=example.test, #0 CN=Int"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Policy: policy.PagerDuty(), Store: trust.New("test", "v1", store), At: testpki.Now}
			r := newReport(Target{Arg: "test.pem", Kind: TargetFile}, opts, SourceFile, "example.test")
			judge(&r, testpki.X509(tt.certs...), opts, chainFacts{live: tt.live, keyAt: -1})
			if t.Failed() {
				return
			}
			for id, st := range tt.want {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (detail: %s)", id, c.Status, st, c.Detail)
				}
			}
			for id, sub := range tt.detail {
				if c, _ := r.Check(id); !strings.Contains(c.Detail, sub) {
					t.Errorf("%s detail = %q, want it to hold %q", id, c.Detail, sub)
				}
			}
			for id, sub := range tt.fix {
				if c, _ := r.Check(id); !strings.Contains(c.Fix, sub) {
					t.Errorf("%s fix = %q, want it to hold %q", id, c.Fix, sub)
				}
			}
			if got := pathString(r); got != tt.path {
				t.Errorf("path = %s, want %s (%s)", got, tt.path, tt.graph)
			}
			if got := r.Trust.RootName; got != tt.root {
				t.Errorf("root = %q, want %q", got, tt.root)
			}
			if r.Trust.Trusted != tt.trusted {
				t.Errorf("trusted = %v, want %v", r.Trust.Trusted, tt.trusted)
			}
			if got := r.Trust.MissingIssuerName; got != tt.missing {
				t.Errorf("missing issuer = %q, want %q", got, tt.missing)
			}
		})
	}
}

// TestSHA1SameExplanation: a SHA-1 intermediate under a store root is
// judged the same whether the root is sent or not (issue 9: store issuers
// were matched with a check that refuses SHA-1, presented ones with one
// that accepts it). Both ways the path validates, nothing is missing, the
// link warns for the algorithm and cert.strength says the same words.
func TestSHA1SameExplanation(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "RSA Root", testpki.RSA(2048))
	inter := testpki.Intermediate(t, root, "SHA-1 Int", testpki.RSA(2048), testpki.SignatureAlgorithm(x509.SHA1WithRSA))
	leaf := testpki.Leaf(t, inter, "example.test")
	opts := Options{Policy: policy.PagerDuty(), Store: trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}}), At: testpki.Now}
	judged := func(certs ...*testpki.Cert) Report {
		r := newReport(Target{Arg: "test.pem", Kind: TargetFile}, opts, SourceFile, "example.test")
		judge(&r, testpki.X509(certs...), opts, chainFacts{keyAt: -1})
		return r
	}
	without, with := judged(leaf, inter), judged(leaf, inter, root)
	for _, r := range []Report{without, with} {
		if r.Verdict != VerdictPass || !r.Trust.Trusted || r.Trust.MissingIssuer != "" {
			t.Errorf("%d certificates sent: verdict %s, trusted %v, missing issuer %q; want pass, trusted, none", len(r.Chain), r.Verdict, r.Trust.Trusted, r.Trust.MissingIssuer)
		}
	}
	for _, id := range []string{CheckStrength, CheckOrder, CheckComplete, CheckValidity} {
		a, _ := without.Check(id)
		b, _ := with.Check(id)
		if a.Status != b.Status {
			t.Errorf("%s = %s without the root, %s with it", id, a.Status, b.Status)
		}
		if id == CheckStrength && (a.Detail != b.Detail || !strings.Contains(a.Detail, "#1 CN=SHA-1 Int is signed with SHA1-RSA: the sender (OTP) accepts it, but Go, Java, NSS (Firefox) and OpenSSL 3 refuse SHA-1")) {
			t.Errorf("cert.strength without the root = %q, with it = %q; want the same SHA-1 warning", a.Detail, b.Detail)
		}
	}
	if a, b := without.Chain[1].IssuedBy, with.Chain[1].IssuedBy; a.Status != StatusWarn || a.Status != b.Status || a.Reason != b.Reason {
		t.Errorf("link of #1: %+v without the root, %+v with it; want the same SHA-1 warning", a, b)
	}
}
