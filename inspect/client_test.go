package inspect

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/internal/testpki"
)

// TestJudgeClient: each client check fails where a server set up for the
// sender refuses the chain, and passes where it accepts it.
//
//	Sender Root ─ Sender CA ─┬─ CN=webhooks.test (and the impostors)
//	                         └─ Sender CA 2 ─ CN=webhooks.test (two intermediates)
//	Other Root ─ Other CA ─ CN=webhooks.test
func TestJudgeClient(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA")
	inter2 := testpki.Intermediate(t, inter, "Sender CA 2")
	otherRoot := testpki.Root(t, "Other Root")
	otherInter := testpki.Intermediate(t, otherRoot, "Other CA")
	clientEKU := testpki.EKU(x509.ExtKeyUsageClientAuth)
	leaf := func(issuer *testpki.Cert, cn string, opts ...testpki.Option) *testpki.Cert {
		return testpki.Leaf(t, issuer, cn, append([]testpki.Option{clientEKU}, opts...)...)
	}
	sender := leaf(inter, "webhooks.test")
	pol := policy.PagerDuty()
	pol.ClientAuth.VerifyDepth = 2
	pol.ClientAuth.Chains = []policy.ClientChain{
		{Name: "us", Region: "US", CN: "webhooks.test", Intermediate: inter.Cert, Root: root.Cert},
		{Name: "eu", Region: "EU", CN: "webhooks.eu.test", Intermediate: inter.Cert, Root: root.Cert},
	}
	// Netscape's certificate type (2.16.840.1.113730.1.1), a BIT STRING
	// whose first bit is "SSL client", the second "SSL server".
	nsType := func(bits byte) testpki.Option {
		v, err := asn1.Marshal(asn1.BitString{Bytes: []byte{bits}, BitLength: 8})
		if err != nil {
			t.Fatal(err)
		}
		return testpki.Extension(pkix.Extension{Id: asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}, Value: v})
	}
	inter1024 := testpki.Intermediate(t, root, "Sender CA 1024", testpki.RSA(1024))
	twoCNs := leaf(inter, "webhooks.test", testpki.Subject(pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{
		{Type: oidCN, Value: "webhooks.test"}, {Type: oidCN, Value: "evil.example"}}}))
	tests := []struct {
		name  string
		chain []*testpki.Cert
		at    time.Time
		want  map[string]Status // checks not named must pass
	}{
		{"sender", []*testpki.Cert{sender, inter}, testpki.Now, nil},
		{"sender, leaf only", []*testpki.Cert{sender}, testpki.Now, map[string]Status{CheckClientIssuer: StatusWarn}},
		{"sender, with the root", []*testpki.Cert{sender, inter, root}, testpki.Now, nil},
		{"eu region", []*testpki.Cert{leaf(inter, "webhooks.eu.test"), inter}, testpki.Now, nil},
		{"out of order", []*testpki.Cert{sender, root, inter}, testpki.Now, map[string]Status{CheckClientOrder: StatusWarn}},
		{"other CN", []*testpki.Cert{leaf(inter, "other.example"), inter}, testpki.Now, map[string]Status{CheckClientSubject: StatusFail}},
		{"evil suffix", []*testpki.Cert{leaf(inter, "webhooks.test.evil.example"), inter}, testpki.Now, map[string]Status{CheckClientSubject: StatusFail}},
		{"case differs", []*testpki.Cert{leaf(inter, "Webhooks.test"), inter}, testpki.Now, map[string]Status{CheckClientSubject: StatusFail}},
		{"two CNs", []*testpki.Cert{twoCNs, inter}, testpki.Now, map[string]Status{CheckClientSubject: StatusWarn}},
		{"other CA", []*testpki.Cert{leaf(otherInter, "webhooks.test"), otherInter}, testpki.Now,
			map[string]Status{CheckClientIssuer: StatusFail, CheckClientDepth: StatusSkip}},
		{"other CA, root sent", []*testpki.Cert{leaf(otherInter, "webhooks.test"), otherInter, otherRoot}, testpki.Now,
			map[string]Status{CheckClientIssuer: StatusFail, CheckClientDepth: StatusSkip}},
		{"two intermediates", []*testpki.Cert{leaf(inter2, "webhooks.test"), inter2, inter}, testpki.Now, map[string]Status{CheckClientDepth: StatusFail}},
		{"expired", []*testpki.Cert{sender, inter}, testpki.End.Add(time.Hour), map[string]Status{CheckClientValidity: StatusFail}},
		{"expires soon", []*testpki.Cert{sender, inter}, testpki.End.Add(-24 * time.Hour), map[string]Status{CheckClientValidity: StatusWarn}},
		{"server EKU only", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.EKU(x509.ExtKeyUsageServerAuth)), inter}, testpki.Now,
			map[string]Status{CheckClientEKU: StatusFail}},
		{"no EKU", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.EKU()), inter}, testpki.Now, nil},
		// OpenSSL's SSL client purpose refuses a Netscape certificate type
		// without "SSL client" (nginx 400, Apache handshake failure).
		{"Netscape type SSL server only", []*testpki.Cert{leaf(inter, "webhooks.test", nsType(0x40)), inter}, testpki.Now,
			map[string]Status{CheckClientEKU: StatusFail}},
		{"Netscape type SSL client", []*testpki.Cert{leaf(inter, "webhooks.test", nsType(0x80)), inter}, testpki.Now, nil},
		// OpenSSL at security level 2 (Debian's default) refuses keys of
		// less than 112 bits of security anywhere on the path.
		{"RSA 1024 client key", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.RSA(1024)), inter}, testpki.Now,
			map[string]Status{CheckClientStrength: StatusFail}},
		{"RSA 1024 intermediate", []*testpki.Cert{leaf(inter1024, "webhooks.test"), inter1024}, testpki.Now,
			map[string]Status{CheckClientStrength: StatusFail}},
		{"RSA 2048 client key", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.RSA(2048)), inter}, testpki.Now, nil},
		{"key agreement only", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.KeyUsage(x509.KeyUsageKeyAgreement)), inter}, testpki.Now,
			map[string]Status{CheckClientKeyUsage: StatusWarn}},
		{"key encipherment only", []*testpki.Cert{leaf(inter, "webhooks.test", testpki.KeyUsage(x509.KeyUsageKeyEncipherment)), inter}, testpki.Now,
			map[string]Status{CheckClientKeyUsage: StatusFail}},
		{"no certificate", nil, testpki.Now, map[string]Status{CheckClientIssuer: StatusFail, CheckClientDepth: StatusSkip, CheckClientSubject: StatusSkip,
			CheckClientEKU: StatusSkip, CheckClientKeyUsage: StatusSkip, CheckClientValidity: StatusSkip, CheckClientOrder: StatusSkip,
			CheckClientStrength: StatusSkip}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newReport(Target{Arg: "client.pem", Kind: TargetFile}, Options{Policy: pol, At: tt.at}, SourceFile, "")
			if err := judgeClient(&r, testpki.X509(tt.chain...), Options{Policy: pol, At: tt.at}); err != nil {
				t.Fatalf("judgeClient() error = %v", err)
			}
			if len(r.Checks) != len(CheckIDs)+len(ClientCheckIDs) || r.As != AsClient {
				t.Fatalf("report has %d checks, as %q; want %d, client", len(r.Checks), r.As, len(CheckIDs)+len(ClientCheckIDs))
			}
			for i, c := range r.Checks {
				want := StatusPass
				if i < len(CheckIDs) {
					want = StatusSkip
				} else if s, ok := tt.want[c.ID]; ok {
					want = s
				}
				if c.Status != want {
					t.Errorf("%s = %s (%s), want %s", c.ID, c.Status, c.Detail, want)
				}
				if (c.Status == StatusFail || c.Status == StatusWarn) && c.Fix == "" {
					t.Errorf("%s is %s without a fix", c.ID, c.Status)
				}
			}
			wantVerdict := VerdictPass
			for _, s := range tt.want {
				if s == StatusFail {
					wantVerdict = VerdictFail
				}
			}
			if r.Verdict != wantVerdict {
				t.Errorf("verdict = %s, want %s", r.Verdict, wantVerdict)
			}
		})
	}
}

// TestJudgeClientDetails: the details name what a reader needs.
func TestJudgeClientDetails(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA")
	inter2 := testpki.Intermediate(t, inter, "Sender CA 2")
	pol := policy.PagerDuty()
	pol.ClientAuth.Chains = []policy.ClientChain{{Name: "us", Region: "US", CN: "webhooks.test", Intermediate: inter.Cert, Root: root.Cert}}
	tests := []struct {
		name  string
		chain []*testpki.Cert
		id    string
		want  string
	}{
		{"path from the CA file", []*testpki.Cert{testpki.Leaf(t, inter, "webhooks.test")}, CheckClientIssuer,
			"CN=webhooks.test → CN=Sender CA (the sender's CA file) → CN=Sender Root reaches"},
		{"depth in both countings", []*testpki.Cert{testpki.Leaf(t, inter2, "webhooks.test"), inter2}, CheckClientDepth,
			"2 intermediates and the root above the client certificate (3 certificates); the sender's verify depth is 2 (nginx ssl_verify_depth 1, Apache SSLVerifyDepth 2)"},
		{"subject", []*testpki.Cert{testpki.Leaf(t, inter, "webhooks.test.evil.example")}, CheckClientSubject,
			"has CN=webhooks.test.evil.example, not CN=webhooks.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Policy: pol, At: testpki.Now}
			r := newReport(Target{Arg: "x.pem", Kind: TargetFile}, opts, SourceFile, "")
			if err := judgeClient(&r, testpki.X509(tt.chain...), opts); err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(tt.id)
			if !strings.Contains(c.Detail, tt.want) {
				t.Errorf("%s detail = %q, want it to contain %q", tt.id, c.Detail, tt.want)
			}
		})
	}
}

// TestJudgeClientNoChains: a policy without client chains cannot judge a
// client chain; that is an error, not a finding.
func TestJudgeClientNoChains(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	opts := Options{Policy: &policy.Policy{Name: "bare"}, At: testpki.Now}
	r := newReport(Target{Arg: "x.pem", Kind: TargetFile}, opts, SourceFile, "")
	err := judgeClient(&r, testpki.X509(testpki.Leaf(t, root, "a.test")), opts)
	if err == nil || !strings.Contains(err.Error(), "client_auth.chains") {
		t.Errorf("judgeClient() error = %v, want one saying the policy has no client_auth.chains", err)
	}
}
