package inspect

import (
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// judgeCerts runs the chain analysis on certs as presented, at the pinned
// clock, against a store of the given roots.
func judgeCerts(t *testing.T, certs []*x509.Certificate, roots []*trust.Root, serverName string) Report {
	t.Helper()
	opts := Options{
		Policy: policy.PagerDuty(),
		Store:  trust.New("test", "v1", roots),
		At:     testpki.Now,
	}
	r := newReport(Target{Arg: "test.pem", Kind: TargetFile}, opts, SourceFile, serverName)
	judge(&r, certs, opts, chainFacts{keyAt: -1})
	return r
}

// pathString draws the path as crypto/x509's TestPathBuilding does:
// "CN=leaf -> CN=int -> CN=root".
func pathString(r Report) string {
	var parts []string
	for _, p := range r.Trust.Path {
		parts = append(parts, "#"+fmt.Sprint(p))
	}
	if r.Trust.RootSubject != "" && !r.Trust.RootPresented {
		parts = append(parts, "store")
	}
	return strings.Join(parts, " -> ")
}

func TestChainChecks(t *testing.T) {
	t.Parallel()
	// root -> int -> leaf, all in one hierarchy; root is in the store.
	root := testpki.Root(t, "Test Root")
	inter := testpki.Intermediate(t, root, "Test Int")
	leaf := testpki.Leaf(t, inter, "example.test")
	// root -> int -> int2 -> leaf2, for a missing intermediate.
	int2 := testpki.Intermediate(t, inter, "Test Int 2")
	leaf2 := testpki.Leaf(t, int2, "deep.test", testpki.AIA("http://ca.test/int2.der"))
	// A private root outside the store.
	priv := testpki.Root(t, "Private Root")
	privInt := testpki.Intermediate(t, priv, "Private Int")
	privLeaf := testpki.Leaf(t, privInt, "example.test")
	selfSigned := testpki.Leaf(t, nil, "example.test")
	other := testpki.Leaf(t, inter, "other.test")
	expired := testpki.Leaf(t, inter, "example.test", testpki.Validity(testpki.Epoch, testpki.Now.Add(-time.Hour)))
	future := testpki.Leaf(t, inter, "example.test", testpki.Validity(testpki.Now.Add(time.Hour), testpki.End))
	soon := testpki.Leaf(t, inter, "example.test", testpki.Validity(testpki.Epoch, testpki.Now.Add(5*24*time.Hour)))
	weak := testpki.Leaf(t, inter, "example.test", testpki.RSA(1024))
	// Issued by a leaf, which may not sign; a leaf for clients only.
	notCA := testpki.Leaf(t, inter, "Not A CA")
	underLeaf := testpki.Leaf(t, notCA, "example.test")
	clientOnly := testpki.Leaf(t, inter, "example.test", testpki.EKU(x509.ExtKeyUsageClientAuth))
	// The store root cross-signed by an old root, that copy long expired:
	// verifiers anchor at the trusted root and never judge the copy.
	oldRoot := testpki.Root(t, "Old Root", testpki.Validity(testpki.Epoch.AddDate(-10, 0, 0), testpki.Epoch.AddDate(-1, 0, 0)))
	crossExpired := testpki.Intermediate(t, oldRoot, "Test Root", testpki.Key(root.Key), testpki.Validity(testpki.Epoch.AddDate(-5, 0, 0), testpki.Epoch.AddDate(-1, 0, 0)))
	// A look-alike: same subject name as inter, different key.
	fakeInt := testpki.Intermediate(t, priv, "Test Int")

	storeRoots := []*trust.Root{{Cert: root.Cert}}
	distrusted := []*trust.Root{{Cert: root.Cert, Constraint: func([]*x509.Certificate) error {
		return fmt.Errorf("certificate issued after distrust-after date")
	}}}

	type want map[string]Status
	tests := []struct {
		name       string
		certs      []*testpki.Cert
		roots      []*trust.Root
		serverName string
		want       want
		path       string
		trusted    bool
		roles      string
		fix        map[string]string // check id -> substring of its fix
	}{
		{
			name:  "in order without root",
			certs: []*testpki.Cert{leaf, inter}, serverName: "example.test",
			want:    want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass, CheckValidity: StatusPass, CheckHostname: StatusPass, CheckStrength: StatusPass},
			path:    "#0 -> #1 -> store",
			trusted: true, roles: "leaf intermediate",
		},
		{
			name:  "root presented",
			certs: []*testpki.Cert{leaf, inter, root}, serverName: "example.test",
			want:    want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass},
			path:    "#0 -> #1 -> #2",
			trusted: true, roles: "leaf intermediate root",
		},
		{
			name:  "root before intermediate",
			certs: []*testpki.Cert{leaf, root, inter},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass},
			path:  "#0 -> #2 -> #1", trusted: true, roles: "leaf root intermediate",
			fix: map[string]string{CheckOrder: "put the intermediate CN=Test Int right after the leaf"},
		},
		{
			name:  "reversed",
			certs: []*testpki.Cert{inter, leaf},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckRoot: StatusPass},
			path:  "#1 -> #0 -> store", trusted: true, roles: "intermediate leaf",
			fix: map[string]string{CheckOrder: "present the certificates in this order: #1 CN=example.test, #0 CN=Test Int"},
		},
		{
			name:  "root first bundle",
			certs: []*testpki.Cert{root, inter, leaf},
			want:  want{CheckOrder: StatusFail, CheckRoot: StatusPass},
			path:  "#2 -> #1 -> #0", trusted: true, roles: "root intermediate leaf",
			fix: map[string]string{CheckOrder: "#2 CN=example.test, #1 CN=Test Int (the root #0 CN=Test Root left out: the sender has it in its store)"},
		},
		{
			name:  "missing intermediate",
			certs: []*testpki.Cert{leaf2, inter},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusFail, CheckExtra: StatusWarn, CheckRoot: StatusFail},
			path:  "#0", roles: "leaf unrelated",
			fix: map[string]string{CheckComplete: "if CN=Test Int 2 is an intermediate, add it right after CN=deep.test in your certificate file (its CA publishes it at http://ca.test/int2.der); if CN=Test Int 2 is a root, add it to the roots file"},
		},
		{
			name:  "duplicate intermediate",
			certs: []*testpki.Cert{leaf, inter, inter},
			want:  want{CheckOrder: StatusFail, CheckExtra: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate duplicate",
			fix: map[string]string{CheckExtra: "remove #2 from", CheckOrder: "drop #2"},
		},
		{
			name:  "unrelated extra",
			certs: []*testpki.Cert{leaf, inter, other},
			want:  want{CheckOrder: StatusFail, CheckExtra: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate unrelated",
		},
		{
			name:  "unrelated between leaf and intermediate",
			certs: []*testpki.Cert{leaf, other, inter},
			want:  want{CheckOrder: StatusFail, CheckExtra: StatusWarn, CheckRoot: StatusPass},
			path:  "#0 -> #2 -> store", trusted: true, roles: "leaf unrelated intermediate",
		},
		{
			name:  "look-alike issuer is not an issuer",
			certs: []*testpki.Cert{leaf, fakeInt},
			want:  want{CheckOrder: StatusFail, CheckComplete: StatusFail, CheckExtra: StatusWarn, CheckRoot: StatusFail},
			path:  "#0", roles: "leaf unrelated",
		},
		{
			name:  "self-signed leaf",
			certs: []*testpki.Cert{selfSigned}, serverName: "example.test",
			want: want{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckExtra: StatusPass, CheckRoot: StatusFail, CheckHostname: StatusPass},
			path: "#0", roles: "leaf",
			fix: map[string]string{CheckRoot: "issue the leaf from the private CA whose root is in the roots file"},
		},
		{
			name:  "private root presented",
			certs: []*testpki.Cert{privLeaf, privInt, priv},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckRoot: StatusFail},
			path:  "#0 -> #1 -> #2", roles: "leaf intermediate root",
		},
		{
			name:  "private root not presented",
			certs: []*testpki.Cert{privLeaf, privInt},
			want:  want{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckRoot: StatusFail},
			path:  "#0 -> #1", roles: "leaf intermediate",
		},
		{
			name:  "distrusted root",
			certs: []*testpki.Cert{leaf, inter}, roots: distrusted,
			want: want{CheckComplete: StatusPass, CheckRoot: StatusFail},
			path: "#0 -> #1 -> store", roles: "leaf intermediate",
		},
		{
			name: "expired leaf", certs: []*testpki.Cert{expired, inter},
			want: want{CheckValidity: StatusFail, CheckRoot: StatusPass},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
		},
		{
			name: "not yet valid leaf", certs: []*testpki.Cert{future, inter},
			want: want{CheckValidity: StatusFail},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
		},
		{
			name: "leaf expires soon", certs: []*testpki.Cert{soon, inter},
			want: want{CheckValidity: StatusWarn},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
		},
		{
			name: "wrong name", certs: []*testpki.Cert{leaf, inter}, serverName: "wrong.test",
			want: want{CheckHostname: StatusFail},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
			fix: map[string]string{CheckHostname: "include wrong.test"},
		},
		{
			name: "no server name", certs: []*testpki.Cert{leaf, inter},
			want: want{CheckHostname: StatusSkip},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
		},
		{
			name: "expired cross-sign of the store root", certs: []*testpki.Cert{leaf, inter, crossExpired},
			want: want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckExtra: StatusPass, CheckRoot: StatusPass, CheckValidity: StatusPass},
			path: "#0 -> #1 -> #2 -> store", trusted: true, roles: "leaf intermediate intermediate",
		},
		{
			name: "issuer is not a CA", certs: []*testpki.Cert{underLeaf, notCA, inter},
			want: want{CheckOrder: StatusPass, CheckComplete: StatusWarn, CheckRoot: StatusFail},
			path: "#0 -> #1 -> #2 -> store", roles: "leaf intermediate intermediate",
			fix: map[string]string{CheckRoot: "every issuer must be a CA"},
		},
		{
			name: "leaf without serverAuth", certs: []*testpki.Cert{clientOnly, inter},
			want: want{CheckOrder: StatusPass, CheckComplete: StatusPass, CheckRoot: StatusFail},
			path: "#0 -> #1 -> store", roles: "leaf intermediate",
		},
		{
			name: "weak key", certs: []*testpki.Cert{weak, inter},
			want: want{CheckStrength: StatusWarn, CheckRoot: StatusPass},
			path: "#0 -> #1 -> store", trusted: true, roles: "leaf intermediate",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			roots := tt.roots
			if roots == nil {
				roots = storeRoots
			}
			var certs []*x509.Certificate
			for _, c := range tt.certs {
				certs = append(certs, c.Cert)
			}
			r := judgeCerts(t, certs, roots, tt.serverName)
			if len(r.Checks) != len(CheckIDs) {
				t.Fatalf("%d checks, want %d", len(r.Checks), len(CheckIDs))
			}
			for i, id := range CheckIDs {
				if r.Checks[i].ID != id {
					t.Errorf("checks[%d] = %s, want %s", i, r.Checks[i].ID, id)
				}
			}
			for id, st := range tt.want {
				c, _ := r.Check(id)
				if c.Status != st {
					t.Errorf("%s = %s, want %s (detail: %s)", id, c.Status, st, c.Detail)
				}
				if (st == StatusFail || st == StatusWarn) && c.Fix == "" {
					t.Errorf("%s is %s without a fix", id, st)
				}
			}
			for id, sub := range tt.fix {
				if c, _ := r.Check(id); !strings.Contains(c.Fix, sub) {
					t.Errorf("%s fix = %q, want it to contain %q", id, c.Fix, sub)
				}
			}
			if got := pathString(r); got != tt.path {
				t.Errorf("path = %s, want %s", got, tt.path)
			}
			if r.Trust.Trusted != tt.trusted {
				t.Errorf("trusted = %v, want %v", r.Trust.Trusted, tt.trusted)
			}
			var roles []string
			for _, c := range r.Chain {
				roles = append(roles, c.Role)
			}
			if got := strings.Join(roles, " "); got != tt.roles {
				t.Errorf("roles = %s, want %s", got, tt.roles)
			}
			wantVerdict := VerdictPass
			if r.Failed() > 0 {
				wantVerdict = VerdictFail
			}
			if r.Verdict != wantVerdict {
				t.Errorf("verdict = %s with %d failing checks", r.Verdict, r.Failed())
			}
		})
	}
}

func TestIssuedByNextIsBySignature(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	inter := testpki.Intermediate(t, root, "Test Int")
	leaf := testpki.Leaf(t, inter, "example.test")
	fake := testpki.Intermediate(t, testpki.Root(t, "Other Root"), "Test Int")
	r := judgeCerts(t, testpki.X509(leaf, fake), []*trust.Root{{Cert: root.Cert}}, "")
	if r.Chain[0].IssuedByNext {
		t.Errorf("chain[0].issued_by_next = true for a look-alike issuer with another key")
	}
	r = judgeCerts(t, testpki.X509(leaf, inter), []*trust.Root{{Cert: root.Cert}}, "")
	if !r.Chain[0].IssuedByNext || r.Chain[1].IssuedByNext {
		t.Errorf("issued_by_next = %v, %v, want true, false", r.Chain[0].IssuedByNext, r.Chain[1].IssuedByNext)
	}
}

// TestReportCarriesJudgement checks the fields front ends draw from: each
// certificate's link to its issuer, its expiry and its name, and the store
// root's status; none of them is left for a front end to work out.
func TestReportCarriesJudgement(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Judged Root")
	inter := testpki.Intermediate(t, root, "Judged Int")
	leaf := testpki.Leaf(t, inter, "judged.test", testpki.Validity(testpki.Epoch, testpki.Now.Add(10*24*time.Hour)))
	expired := testpki.Leaf(t, inter, "judged.test", testpki.Validity(testpki.Epoch, testpki.Now.Add(-49*time.Hour)))
	other := testpki.Leaf(t, inter, "other.test")
	trusted := []*trust.Root{{Cert: root.Cert}}
	distrusted := []*trust.Root{{Cert: root.Cert, Constraint: func([]*x509.Certificate) error { return fmt.Errorf("distrusted") }}}

	r := judgeCerts(t, testpki.X509(leaf, inter, other), trusted, "")
	if got, want := r.Chain[0].IssuedBy, (Link{Kind: LinkPresented, Position: 1, Issuer: "CN=Judged Int", Status: StatusPass}); got != want {
		t.Errorf("chain[0].issued_by = %+v, want %+v", got, want)
	}
	if got := r.Chain[1].IssuedBy; got.Kind != LinkStore || got.Status != StatusPass || got.Issuer != "CN=Judged Root" {
		t.Errorf("chain[1].issued_by = %+v, want the store root, pass", got)
	}
	if got := r.Chain[2].IssuedBy; got.Kind != LinkOffPath || r.Chain[2].Note == "" {
		t.Errorf("chain[2].issued_by = %+v, note %q, want off the path with a note", got, r.Chain[2].Note)
	}
	if got, want := r.Chain[0].Expiry, (Expiry{State: ExpiryExpiring, Status: StatusWarn, DaysLeft: 10}); got != want {
		t.Errorf("chain[0].expiry = %+v, want %+v", got, want)
	}
	if r.Chain[1].Name != "CN=Judged Int" || r.Trust.RootName != "CN=Judged Root" || r.Trust.RootStatus != StatusPass {
		t.Errorf("names = %q, %q, root status %s", r.Chain[1].Name, r.Trust.RootName, r.Trust.RootStatus)
	}

	r = judgeCerts(t, testpki.X509(expired, inter), trusted, "")
	if got, want := r.Chain[0].Expiry, (Expiry{State: ExpiryExpired, Status: StatusFail, DaysLeft: -2}); got != want {
		t.Errorf("expired: chain[0].expiry = %+v, want %+v", got, want)
	}

	r = judgeCerts(t, testpki.X509(leaf, inter), distrusted, "")
	if got := r.Chain[1].IssuedBy; got.Kind != LinkStore || got.Status != StatusFail || got.Reason == "" {
		t.Errorf("distrusted: chain[1].issued_by = %+v, want the store root, fail, with a reason", got)
	}
	if r.Trust.RootStatus != StatusFail || r.Trust.RootReason == "" {
		t.Errorf("distrusted: root status %s reason %q, want fail with a reason", r.Trust.RootStatus, r.Trust.RootReason)
	}
}
