package trust

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestHistoryRemovedRoots: the roots Mozilla's list dropped are in the
// history with the releases that held them, the first release without
// them, and their distrust-after dates; the certificate is kept so a chain
// can be matched by signature.
func TestHistoryRemovedRoots(t *testing.T) {
	t.Parallel()
	h, err := MozillaHistory()
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			d, err = time.Parse(time.RFC3339, s)
		}
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name, sha256, subject            string
		first, last, removed, distrustAt string
	}{
		// The seed's root: PagerDuty's documentation tells servers to
		// trust it for mutual TLS; Mozilla ended its TLS trust in 2026.
		{"DigiCert Global Root CA", "4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161",
			"CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US",
			"2024-05-07", "2026-02-13", "2026-09-29", ""},
		// Expired on 2025-05-12 and left the list before it.
		{"Baltimore CyberTrust Root", "16af57a9f676b0ab126095aa5ebadef22ab31119d644ac95cd4b93dbf3f26aeb",
			"CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE",
			"2024-05-07", "2025-04-06", "2026-01-13", ""},
		// Entrust: distrusted for certificates issued after 2024-11-30,
		// then removed.
		{"Entrust Root Certification Authority - G2", "43df5774b03e7fef5fe40d931a7bedf1bb2e6b42738c4e6d3841103d3aa7f339",
			"CN=Entrust Root Certification Authority - G2,OU=See www.entrust.net/legal-terms+OU=(c) 2009 Entrust\\, Inc. - for authorized use only,O=Entrust\\, Inc.,C=US",
			"2024-05-07", "2026-02-13", "2026-09-29", "2024-11-30T23:59:59Z"},
		{"Entrust Root Certification Authority", "73c176434f1bc6d5adf45b0e76e727287c8de57616c1e6e6141a2b2cbc7d8e4c",
			"CN=Entrust Root Certification Authority,OU=www.entrust.net/CPS is incorporated by reference+OU=(c) 2006 Entrust\\, Inc.,O=Entrust\\, Inc.,C=US",
			"2024-05-07", "2026-02-13", "2026-09-29", "2024-11-30T23:59:59Z"},
		// Still included: no removal, no certificate kept.
		{"ISRG Root X1", "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6",
			"CN=ISRG Root X1,O=Internet Security Research Group,C=US",
			"2024-05-07", "2026-10-30", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := h.ByHash(tt.sha256)
			if r == nil {
				t.Fatalf("ByHash(%s) = nil, want %s", tt.sha256, tt.name)
			}
			if r.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", r.Subject, tt.subject)
			}
			if !r.First.Date.Equal(date(tt.first)) || !r.Last.Date.Equal(date(tt.last)) {
				t.Errorf("First, Last = %s, %s, want %s, %s", r.First.Date, r.Last.Date, tt.first, tt.last)
			}
			if !h.OldestRead(r) {
				t.Errorf("OldestRead = false, want true (held since the oldest release read)")
			}
			switch {
			case tt.removed == "" && r.Removed != nil:
				t.Errorf("Removed = %v, want nil", r.Removed)
			case tt.removed != "" && (r.Removed == nil || !r.Removed.Date.Equal(date(tt.removed))):
				t.Errorf("Removed = %v, want the release of %s", r.Removed, tt.removed)
			}
			if !r.DistrustAfter.Equal(date(tt.distrustAt)) {
				t.Errorf("DistrustAfter = %s, want %q", r.DistrustAfter, tt.distrustAt)
			}
			if (r.Cert != nil) != (tt.removed != "") {
				t.Fatalf("Cert = %v, want one exactly for removed roots", r.Cert != nil)
			}
			if r.Cert == nil {
				return
			}
			if got := h.Former(r.Cert); got != r {
				t.Errorf("Former(root) = %v, want the root", got)
			}
			if r.Cert.Subject.String() != tt.subject {
				t.Errorf("Cert.Subject = %s, want %s", r.Cert.Subject, tt.subject)
			}
		})
	}
}

// TestHistoryMatchesStore: the history ends at the release the binary
// embeds, so a root is "removed" exactly when the Mozilla store lacks it
// (a go.mod bump without go generate fails here).
func TestHistoryMatchesStore(t *testing.T) {
	t.Parallel()
	s, err := Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	h := s.History()
	newest := h.Releases[len(h.Releases)-1]
	// Test binaries carry no module versions; go.mod says what builds.
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if want := bundleModule + " " + newest.Version; !strings.Contains(string(gomod), "\t"+want+"\n") {
		t.Fatalf("go.mod does not require %s, where the history ends: run go generate ./inspect/trust", want)
	}
	inStore := map[string]bool{}
	for _, r := range s.Roots() {
		sum := sha256Hex(r.Cert.Raw)
		inStore[sum] = true
		p := h.ByHash(sum)
		if p == nil || p.Removed != nil || p.Cert != nil {
			t.Errorf("%s: in the store, history says %+v", r.Cert.Subject, p)
		}
		if h.Former(r.Cert) != nil {
			t.Errorf("Former(%s) != nil for a root of the store", r.Cert.Subject)
		}
	}
	for sum, p := range h.bySHA {
		if (p.Removed == nil) != inStore[sum] {
			t.Errorf("%s: removed %v, in store %v", p.Subject, p.Removed != nil, inStore[sum])
		}
	}
	if len(h.Releases) < 5 {
		t.Errorf("%d releases read, want a series over the years", len(h.Releases))
	}
}

func TestParseHistoryErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, txt string }{
		{"bad date", "release\tv1\t2024-13-01\n"},
		{"unknown release", "root\tab\tv1\t2024-01-01\tv2\t2024-01-01\t-\tCN=x\n"},
		{"short line", "root\tab\n"},
		{"bad distrust", "release\tv1\t2024-01-01\nroot\tab\tv1\t2024-01-01\tv1\t2024-01-01\tsoon\tCN=x\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseHistory([]byte(tt.txt), nil); err == nil {
				t.Errorf("parseHistory(%q) = nil error, want one", tt.txt)
			}
		})
	}
}
