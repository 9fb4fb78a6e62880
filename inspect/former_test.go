package inspect

import (
	"context"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/trust"
)

// TestFormerRoot: real chains that end at a root Mozilla's list dropped say
// which root, when it left, and what to ask the CA for; chains anchored in
// the store, chains whose root the history never held, and stores other
// than Mozilla's say nothing of it.
func TestFormerRoot(t *testing.T) {
	t.Parallel()
	mozilla, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	files, err := trust.LoadFile("../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	h := mozilla.History()
	digicertG1 := h.ByHash("4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161").Cert
	akamai, err := os.ReadFile("../testdata/real-akamai.com-2024-digicert-g1.pem")
	if err != nil {
		t.Fatal(err)
	}
	withRoot := string(akamai) + string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: digicertG1.Raw}))

	tests := []struct {
		name, file, stdin, at string
		store                 *trust.Store
		subject               string // "" when no former root is expected
		presented             bool
		removed, distrust     string
		successor             string // a root the fix must name, or ""
	}{
		{name: "DigiCert Global Root CA", file: "real-akamai.com-2024-digicert-g1.pem", at: "2025-01-01", store: mozilla,
			subject: "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US", removed: "2026-09-29", successor: "CN=DigiCert Global Root G2"},
		{name: "DigiCert Global Root CA presented", stdin: withRoot, at: "2025-01-01", store: mozilla,
			subject: "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US", presented: true, removed: "2026-09-29", successor: "CN=DigiCert Global Root G2"},
		{name: "Baltimore CyberTrust Root", file: "real-cloudflare.com-2024-baltimore.pem", at: "2024-06-01", store: mozilla,
			subject: "CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE", removed: "2026-01-13"},
		{name: "Entrust Root Certification Authority", file: "real-www.squareup.com-2016-entrust.pem", at: "2017-01-01", store: mozilla,
			subject: "CN=Entrust Root Certification Authority,OU=www.entrust.net/CPS is incorporated by reference+OU=(c) 2006 Entrust\\, Inc.,O=Entrust\\, Inc.,C=US",
			removed: "2026-09-29", distrust: "2024-11-30"},
		{name: "DigiCert High Assurance EV Root CA", file: "real-facebook.com-2025-digicert-ha-ev.pem", at: "2025-06-01", store: mozilla,
			subject: "CN=DigiCert High Assurance EV Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US", removed: "2026-09-29", successor: "CN=DigiCert"},
		// Anchored in the store today.
		{name: "anchored", file: "real-bing.com-2026.pem", at: "2026-03-01", store: mozilla},
		// Symantec's roots left before the oldest release read.
		{name: "before the history", file: "real-amazon.com-2016-unsorted-symantec.pem", at: "2016-06-01", store: mozilla},
		// A roots file keeps no history.
		{name: "roots file", file: "real-akamai.com-2024-digicert-g1.pem", at: "2025-01-01", store: files},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := Target{Arg: "-", Kind: TargetStdin}
			if tt.file != "" {
				var err error
				if target, err = ParseTarget("../testdata/" + tt.file); err != nil {
					t.Fatal(err)
				}
			}
			at, _ := time.Parse(time.DateOnly, tt.at)
			r, err := Inspect(context.Background(), target, Options{Store: tt.store, At: at, Stdin: strings.NewReader(tt.stdin)})
			if err != nil {
				t.Fatal(err)
			}
			fr := r.Trust.FormerRoot
			root, _ := r.Check(CheckRoot)
			if tt.subject == "" {
				if fr != nil {
					t.Errorf("former_root = %+v, want none", fr)
				}
				if strings.Contains(root.Detail, "Mozilla's list no longer includes") {
					t.Errorf("trust.root detail = %q, want no removal", root.Detail)
				}
				return
			}
			if fr == nil {
				t.Fatalf("former_root = nil, want %s (trust.root: %s)", tt.subject, root.Detail)
			}
			if fr.Subject != tt.subject || fr.Presented != tt.presented {
				t.Errorf("former_root = %s presented %v, want %s presented %v", fr.Subject, fr.Presented, tt.subject, tt.presented)
			}
			if got := fr.RemovedDate.Format(time.DateOnly); got != tt.removed {
				t.Errorf("removed_date = %s, want %s", got, tt.removed)
			}
			if got := ""; fr.DistrustAfter != nil {
				got = fr.DistrustAfter.Format(time.DateOnly)
				if got != tt.distrust {
					t.Errorf("distrust_after = %s, want %q", got, tt.distrust)
				}
			} else if tt.distrust != "" {
				t.Errorf("distrust_after = none, want %s", tt.distrust)
			}
			if root.Status != StatusFail || !strings.Contains(root.Detail, "Mozilla's list no longer includes") || !strings.Contains(root.Detail, tt.removed) {
				t.Errorf("trust.root = %s %q, want fail naming the removal and %s", root.Status, root.Detail, tt.removed)
			}
			if tt.distrust != "" && !strings.Contains(root.Detail, "after "+tt.distrust) {
				t.Errorf("trust.root detail = %q, want the distrust-after date %s", root.Detail, tt.distrust)
			}
			if !strings.Contains(root.Fix, "ask ") || !strings.Contains(root.Fix, tt.successor) {
				t.Errorf("trust.root fix = %q, want what to ask the CA for (%s)", root.Fix, tt.successor)
			}
			if c, _ := r.Check(CheckComplete); c.Status != StatusFail || !strings.Contains(c.Detail, "no intermediate is missing") {
				t.Errorf("chain.complete = %s %q, want fail saying nothing is missing", c.Status, c.Detail)
			}
			if r.Verdict != VerdictFail {
				t.Errorf("verdict = %s, want fail", r.Verdict)
			}
		})
	}
}
