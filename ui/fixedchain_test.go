package ui

import (
	"bytes"
	"strings"
	"testing"

	"chainscope/inspect"
)

// TestFixedChainText: the text report says where the repaired chain went,
// where each certificate came from and what was dropped; a caIssuers URL
// or a name from a certificate reaches the terminal sanitized.
func TestFixedChainText(t *testing.T) {
	t.Parallel()
	r := outOfOrderReport(t)
	r.FixedChain = &inspect.FixedChain{
		File: "fixed.pem", Written: true, Verdict: inspect.VerdictPass,
		Certificates: []inspect.FixedCertificate{
			{Name: "CN=hooks.example.com", Source: "presented #0", Presented: 0},
			{Name: "CN=Evil\x1b[2J CA", Source: "caIssuers http://ca.test/\x1b]52;c;x\x07", Presented: -1},
		},
		Dropped: []inspect.DroppedCertificate{{Position: 1, Name: "CN=Root", Why: "the root: the sender has it in its store"}},
		Fetches: []inspect.Fetch{{URL: "http://ca.test/\x1b]52;c;x\x07", For: "CN=hooks.example.com", Got: 1}},
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Fixed chain → fixed.pem  written",
		"#0 CN=hooks.example.com  (presented #0)",
		`#1 CN=Evil\x1b[2J CA  (caIssuers http://ca.test/\x1b]52;c;x\x07)`,
		"dropped #1 CN=Root: the root: the sender has it in its store",
		"judged again: pass\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.IndexByte(out, 0x1b) >= 0 || strings.IndexByte(out, 0x07) >= 0 {
		t.Errorf("text report carries a raw control byte")
	}
}

// TestFixedChainWarns: a repaired chain that passes with warnings says
// which checks still warn, not a bare "pass".
func TestFixedChainWarns(t *testing.T) {
	t.Parallel()
	r := outOfOrderReport(t)
	r.FixedChain = &inspect.FixedChain{
		File: "fixed.pem", Written: true, Verdict: inspect.VerdictPass,
		Checks: []inspect.Check{
			{ID: inspect.CheckOrder, Status: inspect.StatusPass},
			{ID: inspect.CheckComplete, Status: inspect.StatusWarn},
			{ID: inspect.CheckStrength, Status: inspect.StatusWarn},
		},
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "judged again: pass, warns: chain.complete, cert.strength"; !strings.Contains(b.String(), want) {
		t.Errorf("text report lacks %q:\n%s", want, b.String())
	}
}
