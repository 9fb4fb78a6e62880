package ui

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"chainscope/inspect"
)

func TestWriteText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report *inspect.Report
		color  bool
	}{
		{"text-pass", passingReport(t), false},
		{"text-pass-color", passingReport(t), true},
		{"text-out-of-order", outOfOrderReport(t), false},
		{"text-missing-intermediate", missingIntermediateReport(t), false},
		{"text-error", errorReport(t), false},
		{"text-mtls", mtlsReport(t), false},
		{"text-hostile", hostileReport(t), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := WriteText(&b, tt.report, TextOptions{Color: tt.color}); err != nil {
				t.Fatalf("WriteText() = %v, want nil", err)
			}
			if !tt.color && bytes.IndexByte(b.Bytes(), 0x1b) >= 0 {
				t.Errorf("WriteText(Color: false) wrote an ESC byte at %d", bytes.IndexByte(b.Bytes(), 0x1b))
			}
			if tt.color && !bytes.Contains(b.Bytes(), []byte("\x1b[")) {
				t.Errorf("WriteText(Color: true) wrote no SGR sequence")
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestWriteTextHostile checks that escape sequences in certificate and
// server fields never reach the terminal, with or without colour.
func TestWriteTextHostile(t *testing.T) {
	t.Parallel()
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, hostileReport(t), TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, bad := range []string{"\x07", "\x1b]", "\x1b[2J", "\x1b[1;1H", "\x1b[6n", "\x1b[5m", "\u202e", "\u2066", "\x9b"} {
			if strings.Contains(out, bad) {
				t.Errorf("WriteText(hostile, Color: %v) contains %q", color, bad)
			}
		}
		if !strings.Contains(out, `CN=evil\x1b]0;pwned\x07\x1b[2J`) {
			t.Errorf("WriteText(hostile, Color: %v) does not show the escaped subject", color)
		}
		if !color && strings.ContainsRune(out, 0x1b) {
			t.Errorf("WriteText(hostile, Color: false) contains ESC")
		}
	}
}

// TestWriteTextDeterministic renders the same report twice; days left come
// from EvaluatedAt, never the wall clock.
func TestWriteTextDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	r := outOfOrderReport(t)
	if err := WriteText(&a, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("WriteText() is not deterministic")
	}
	if !strings.Contains(a.String(), "expires 2026-08-01, 153 days") {
		t.Errorf("WriteText() does not count days from EvaluatedAt:\n%s", a.String())
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteTextError(t *testing.T) {
	t.Parallel()
	err := WriteText(failingWriter{}, passingReport(t), TextOptions{})
	if !errors.Is(err, errDiskFull) {
		t.Errorf("WriteText(failing writer) = %v, want %v", err, errDiskFull)
	}
}

func TestVerdictText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report *inspect.Report
		want   string
	}{
		{"pass", passingReport(t), "PASS"},
		{"pass with warning", fixture(t, "testdata/real-bing.com-2026.pem"), "PASS (1 warning)"},
		{"fail one", outOfOrderReport(t), "FAIL (1 of 13 checks fails)"},
		{"fail two", missingIntermediateReport(t), "FAIL (2 of 13 checks fail)"},
		{"error", errorReport(t), "ERROR: connect down.example.test:443: connection refused"},
	}
	for _, tt := range tests {
		if got := verdictText(tt.report); got != tt.want {
			t.Errorf("verdictText(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestClientAuthLinesBounded: a CertificateRequest with hundreds of CA
// names lists maxCANames of them and says how many more the JSON holds.
func TestClientAuthLinesBounded(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 3, maxCANames, maxCANames + 1, 501} {
		ca := inspect.ClientAuth{Requested: true, AcceptableCAs: []string{}}
		for i := range n {
			ca.AcceptableCAs = append(ca.AcceptableCAs, fmt.Sprintf("CN=CA %d", i))
		}
		lines := clientAuthLines(ca, newStyles(true, false))
		shown, more := 0, ""
		for _, l := range lines {
			if strings.HasPrefix(l, "CA ") {
				shown++
			}
			if strings.Contains(l, "more CA names") {
				more = l
			}
		}
		wantShown := min(n, maxCANames)
		if shown != wantShown || (n > maxCANames) != (more != "") {
			t.Errorf("%d CA names: %d listed, more line %q; want %d listed and a more line only past %d", n, shown, more, wantShown, maxCANames)
		}
		if n > maxCANames && !strings.Contains(more, fmt.Sprintf("and %d more", n-maxCANames)) {
			t.Errorf("%d CA names: more line %q, want the count %d", n, more, n-maxCANames)
		}
	}
}
