package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// TestWriteOutcomes: what stays on the terminal after the interface
// quits is one line per target, its verdict and the first fix.
func TestWriteOutcomes(t *testing.T) {
	t.Parallel()
	names := []string{targetPass, bingOutOfOrder, targetDown, "slow.example.test:443"}
	reports := []*inspect.Report{passingReport(t), outOfOrderReport(t), errorReport(t), nil}
	var b bytes.Buffer
	if err := WriteOutcomes(&b, names, reports, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"✓ PASS  example.test:443",
		"✗ FAIL 1  testdata/real-bing.com-2026-out-of-order.pem  chain.order: put the intermediate CN=Microsoft TLS G2 RSA CA OCSP 04 right after the leaf",
		"✗ ERROR  down.example.test:443  connect down.example.test:443: connection refused",
		"- not inspected  slow.example.test:443  (quit before its report)",
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("WriteOutcomes() wrote %d lines, want %d:\n%s", len(lines), len(want), b.String())
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i+1, lines[i], want[i])
		}
	}

	// On a terminal, long lines wrap under the target's text.
	b.Reset()
	if err := WriteOutcomes(&b, names[1:2], reports[1:2], TextOptions{Width: 60}); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")[1:] {
		if ansi.StringWidth(l) > 60 || !strings.HasPrefix(l, "          ") {
			t.Errorf("continuation line %q: want at most 60 columns, under the target", l)
		}
	}
}

func TestWriteTally(t *testing.T) {
	t.Parallel()
	var tally Tally
	for _, r := range []*inspect.Report{passingReport(t), outOfOrderReport(t), missingIntermediateReport(t), errorReport(t), nil} {
		tally.Add(r)
	}
	var b bytes.Buffer
	if err := WriteTally(&b, tally, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\nsummary      5 targets: ✓ 1 pass, ✗ 2 fail, ✗ 1 error, - 1 pending\n"; got != want {
		t.Errorf("WriteTally() = %q, want %q", got, want)
	}
}

// TestOpensOnTheFix: a failing report opens on its first failing check,
// whose fix is on the first frame at every size; a passing one on the
// chain.
func TestOpensOnTheFix(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}, {200, 50}} {
		for _, tt := range []struct {
			name, fix string
		}{
			{bingOutOfOrder, "fix: put the intermediate CN=Microsoft"},
			{bingMissing, "fix: if CN=Microsoft TLS RSA Root G2"},
		} {
			m := newScenarioModel(t, one(tt.name), size[0], size[1])
			if c, _ := m.checks.selected(m.targets[0].report); m.focus != focusChecks || c.Status != inspect.StatusFail {
				t.Errorf("%s at %v: focus %v on check %d, want the first failing check", tt.name, size, m.focus, m.checks.sel)
			}
			if f := frame(m); !strings.Contains(f, tt.fix) {
				t.Errorf("%s at %v: the first frame lacks %q:\n%s", tt.name, size, tt.fix, f)
			}
		}
	}
	m := newScenarioModel(t, one(targetPass), 80, 24)
	if m.focus != focusTree {
		t.Errorf("a passing report opens with focus %v, want the chain", m.focus)
	}
}

// TestFooter: help and quit are always offered, "e write fixed chain"
// when it applies, and no key that does nothing.
func TestFooter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		sc        scenario
		w         int
		want, not []string
	}{
		{"out of order, narrow", one(bingOutOfOrder), 60, []string{"e write fixed chain", "? help", "q quit"}, nil},
		{"out of order", one(bingOutOfOrder), 120, []string{"e write fixed chain", "p PEM", "? help", "q quit"}, []string{"t TLS", "s all SANs"}},
		{"a file has no TLS facts", one(bingOutOfOrder, "shift+tab"), 120, []string{"s all SANs"}, []string{"t TLS"}},
		{"in order: e is no fix", one(targetPass), 120, []string{"t TLS", "? help", "q quit"}, []string{"e write"}},
		{"the store root has no PEM", one(targetPass, "j", "j"), 120, nil, []string{"p PEM", "y copy"}},
		{"error screen", one(targetDown), 60, []string{"r inspect again", "? help", "q quit"}, []string{"tab", "p PEM", "e write"}},
		{"list", tenTargetsScenario(), 60, []string{"enter open", "? help", "q quit"}, []string{"tab", "p PEM"}},
		// The PEM view: ↑↓ only when the certificate is taller than the
		// view, ← → as soon as it opens on a screen narrower than its lines.
		{"a PEM that fits", one(targetPass, "p"), 120, []string{"esc back", "y copy PEM"}, []string{"↑↓ move", "←/h", "→/l"}},
		{"a PEM taller than the view", one(bingOutOfOrder, "p"), 120, []string{"↑↓ move", "esc back"}, []string{"←/h"}},
		{"a PEM wider than the view", one(targetPass, "p"), 60, []string{"←/h left", "? help"}, []string{"↑↓ move"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newScenarioModel(t, tt.sc, tt.w, 24)
			footer := lastLine(frame(m))
			for _, w := range tt.want {
				if !strings.Contains(footer, w) {
					t.Errorf("footer %q lacks %q", footer, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(footer, n) {
					t.Errorf("footer %q offers %q, which does nothing here", footer, n)
				}
			}
		})
	}
}
