package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "CN=hooks.example.com,O=Example Corp", "CN=hooks.example.com,O=Example Corp"},
		{"rfc 4514 escapes kept", `CN=a\,b\+c`, `CN=a\,b\+c`},
		{"unicode kept", "CN=Zürich Bücher 证书", "CN=Zürich Bücher 证书"},
		{"osc title", "CN=evil\x1b]0;pwned\x07\x1b[2J", `CN=evil\x1b]0;pwned\x07\x1b[2J`},
		{"csi", "\x1b[31mred", `\x1b[31mred`},
		{"c1 csi", "a\u009b31mb", `a\u009b31mb`},
		{"newline and tab", "a\nb\tc\r", `a\x0ab\x09c\x0d`},
		{"nul and del", "a\x00b\x7f", `a\x00b\x7f`},
		{"rlo", "CN=\u202egpj.exe", `CN=\u202egpj.exe`},
		{"isolates", "\u2066x\u2069\u2067\u2068", `\u2066x\u2069\u2067\u2068`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"zero width and bom", "a\u200bb\ufeff", `a\u200bb\ufeff`},
		{"line separator", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"tag characters", "x\U000E0041", `x\U000e0041`},
		{"invalid utf-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSanitizeCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want int // runes
		cut  bool
	}{
		{"short", strings.Repeat("a", 10), 10, false},
		{"exactly the cap", strings.Repeat("a", maxField), maxField, false},
		{"one over", strings.Repeat("a", maxField+1), maxField, true},
		{"huge", strings.Repeat("é", 100000), maxField, true},
		{"escapes are not cut in half", strings.Repeat("\x1b", 200), 127*4 + 1, true},
	}
	for _, tt := range tests {
		got := Sanitize(tt.in)
		if n := utf8.RuneCountInString(got); n != tt.want {
			t.Errorf("Sanitize(%s) has %d runes, want %d", tt.name, n, tt.want)
		}
		if cut := strings.HasSuffix(got, "…"); cut != tt.cut {
			t.Errorf("Sanitize(%s) ends in … = %v, want %v", tt.name, cut, tt.cut)
		}
		if strings.Contains(got, `\x1`) && strings.HasSuffix(strings.TrimSuffix(got, "…"), `\x1`) {
			t.Errorf("Sanitize(%s) cuts an escape in half: %q", tt.name, got[len(got)-10:])
		}
	}
}

func TestSanitizeLines(t *testing.T) {
	t.Parallel()
	got := sanitizeLines("first\x1b[2J\nsecond\r\n")
	want := []string{`first\x1b[2J`, "second"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sanitizeLines() = %q, want %q", got, want)
	}
}

// FuzzSanitize checks the promises of Sanitize on any input: no C0 byte,
// no DEL, no C1 or bidi control, valid UTF-8, at most maxField runes, and
// the same answer twice.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"CN=evil\x1b]0;pwned\x07\x1b[2J", "\u202egpj.exe", "a\xffb", "\u009b2J",
		strings.Repeat("\x1b", 600), "CN=Zürich", "\u2066\u2069\u200e\u061c", "",
	} {
		f.Add(s)
	}
	// The untrusted fields of hostileReport.
	for _, s := range []string{"CN=\u202egpj.exe\x9b31m", "CN=ca\x1b[1;1H\x1b[2Jwiped", "remote error: \x1b]52;c;ZXZpbA==\x07"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if got != Sanitize(s) {
			t.Fatalf("Sanitize(%q) is not deterministic", s)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Sanitize(%q) = %q, not valid UTF-8", s, got)
		}
		if n := utf8.RuneCountInString(got); n > maxField {
			t.Fatalf("Sanitize(%q) has %d runes, more than %d", s, n, maxField)
		}
		for i := 0; i < len(got); i++ {
			if got[i] < 0x20 || got[i] == 0x7f {
				t.Fatalf("Sanitize(%q) = %q holds byte %#x", s, got, got[i])
			}
		}
		for _, r := range got {
			if (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
				r == 0x200e || r == 0x200f || r == 0x061c || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Sanitize(%q) = %q holds control %U", s, got, r)
			}
		}
		if plainASCII(s) && len(s) <= maxField && got != s {
			t.Fatalf("Sanitize(%q) = %q, want it unchanged", s, got)
		}
	})
}
