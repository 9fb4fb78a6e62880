package serve

import (
	"crypto/x509/pkix"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"chainscope/internal/testpki"
)

func TestLabelValue(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 300)
	tests := []struct {
		in, want string
	}{
		{"CN=example.com,O=Example", "CN=example.com,O=Example"},
		{"CN=Zürich Trust", "CN=Zürich Trust"},
		{"CN=a\x1b[31mred", `CN=a\x1b[31mred`},
		{"CN=a\nb\rc\x00", `CN=a\x0ab\x0dc\x00`},
		{"CN=\u202egnp.exe", `CN=\u202egnp.exe`},
		{"CN=zero\u200bwidth", `CN=zero\u200bwidth`},
		{"CN=\xff\xfe", `CN=\xff\xfe`},
		{"CN=\U000e0001tag", `CN=\U000e0001tag`},
		{long[:maxLabelRunes], long[:maxLabelRunes]},
		{long, long[:maxLabelRunes-1] + "…"},
		{strings.Repeat("\x01", 100), strings.Repeat(`\x01`, 63) + "…"},
	}
	for _, tt := range tests {
		if got := labelValue(tt.in); got != tt.want {
			t.Errorf("labelValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLabelValue: whatever a certificate holds, the label value is valid
// UTF-8, at most maxLabelRunes runes, and has no character that is not
// graphic.
func FuzzLabelValue(f *testing.F) {
	for _, s := range []string{"CN=example.com", "\x1b]0;x\x07", "\u202e", "\xff", strings.Repeat("é", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := labelValue(s)
		if !utf8.ValidString(got) {
			t.Fatalf("labelValue(%q) = %q: not UTF-8", s, got)
		}
		if n := utf8.RuneCountInString(got); n > maxLabelRunes {
			t.Fatalf("labelValue(%q) has %d runes, more than %d", s, n, maxLabelRunes)
		}
		for _, r := range got {
			if !unicode.IsGraphic(r) {
				t.Fatalf("labelValue(%q) = %q keeps %U", s, got, r)
			}
		}
	})
}

// TestHostileCertificates: a server presenting 40 certificates with
// hostile subjects yields at most maxCertSeries expiry series, each subject
// sanitized and bounded, and the count of what it sent.
func TestHostileCertificates(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	chain := []*testpki.Cert{p.leaf}
	for i := range 40 {
		cn := strings.Repeat("\u202e\x1b[2J", i) + strings.Repeat("x", 1000)
		chain = append(chain, testpki.Root(t, "", testpki.Subject(pkix.Name{CommonName: cn})))
	}
	target := serveChain(t, p.leaf, chain...)
	_, hs := newServer(t, Config{})
	code, body := get(t, hs.URL, probePath(target))
	if code != http.StatusOK {
		t.Fatalf("GET /probe = %d: %s", code, body)
	}
	fams := families(t, body)
	if v, _ := value(fams, "chainscope_chain_presented_certificates", nil); v != 41 {
		t.Errorf("chainscope_chain_presented_certificates = %v, want 41", v)
	}
	subjects := labelsOf(fams, "chainscope_cert_not_after_timestamp_seconds", "subject", nil)
	if len(subjects) != maxCertSeries {
		t.Errorf("chainscope_cert_not_after_timestamp_seconds has %d series, want %d", len(subjects), maxCertSeries)
	}
	for _, s := range subjects {
		if n := utf8.RuneCountInString(s); n > maxLabelRunes || strings.ContainsAny(s, "\x1b\u202e") {
			t.Errorf("subject label of %d runes %q: not bounded or not sanitized", n, s)
		}
	}
}
