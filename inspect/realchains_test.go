package inspect

import (
	"context"
	"testing"
	"time"

	"chainscope/inspect/trust"
)

// TestRealChains judges chains real public sites presented (testdata/README.md
// says where each came from) against the embedded Mozilla roots, at a fixed
// instant inside their validity.
func TestRealChains(t *testing.T) {
	t.Parallel()
	store, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		file, at, servername string
		verdict              Verdict
		root                 string
		rootPresented        bool
		want                 map[string]Status
	}{
		{"real-google.com-2026.pem", "2026-03-01", "www.google.com", VerdictPass,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHostname: StatusPass}},
		{"real-stackoverflow.com-2026.pem", "2026-03-01", "stackoverflow.com", VerdictPass,
			"CN=ISRG Root X1,O=Internet Security Research Group,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckRoot: StatusPass}},
		{"real-bing.com-2026.pem", "2026-03-01", "www.bing.com", VerdictPass,
			"CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusWarn}},
		{"real-bing.com-2026-out-of-order.pem", "2026-03-01", "www.bing.com", VerdictFail,
			"CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US", false,
			map[string]Status{CheckOrder: StatusFail, CheckComplete: StatusWarn, CheckRoot: StatusPass}},
		{"real-bing.com-2026-missing-intermediate.pem", "2026-03-01", "www.bing.com", VerdictFail,
			"", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckRoot: StatusFail}},
		{"real-google.com-2026-reversed.pem", "2026-03-01", "", VerdictFail,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusFail, CheckRoot: StatusPass}},
		{"real-cryptography.io-2023-root-presented.pem", "2023-07-01", "cryptography.io", VerdictPass,
			"CN=ISRG Root X1,O=Internet Security Research Group,C=US", true,
			map[string]Status{CheckOrder: StatusPass, CheckExtra: StatusPass}},
		{"real-www.google.com-2022-cross-signed.pem", "2022-11-01", "www.google.com", VerdictPass,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusPass}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			target, err := ParseTarget("../testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Inspect(context.Background(), target, Options{Store: store, At: date(tt.at), ServerName: tt.servername})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict {
				for _, c := range r.Checks {
					t.Logf("%s %s: %s", c.ID, c.Status, c.Detail)
				}
				t.Errorf("verdict = %s, want %s", r.Verdict, tt.verdict)
			}
			if r.Trust.RootSubject != tt.root || r.Trust.RootPresented != tt.rootPresented {
				t.Errorf("root = %q presented %v, want %q presented %v", r.Trust.RootSubject, r.Trust.RootPresented, tt.root, tt.rootPresented)
			}
			for id, st := range tt.want {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (%s)", id, c.Status, st, c.Detail)
				}
			}
		})
	}
}
