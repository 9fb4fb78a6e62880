package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapWords(t *testing.T) {
	t.Parallel()
	url := "http://www.microsoft.com/pkiops/certs/Microsoft%20TLS%20RSA%20Root%20G2%20-%20xsign.crt"
	tests := []struct {
		name string
		s    string
		w    int
		want []string
	}{
		{"fits", "one two", 10, []string{"one two"}},
		{"at spaces", "one two three four", 9, []string{"one two", "three", "four"}},
		{"a URL keeps a line of its own, whole", "get it at " + url + " now", 30, []string{"get it at", url, "now"}},
		{"a URL in brackets", "(at " + url + ")", 30, []string{"(at", url + ")"}},
		{"colon-hex breaks after a colon", "AB:CD:EF:01:23:45:67:89", 10, []string{"AB:CD:EF:", "01:23:45:", "67:89"}},
		{"plain hex breaks between bytes", "0123456789abcdef", 7, []string{"012345", "6789ab", "cdef"}},
		{"a path keeps a line of its own, whole", "run ../testdata/real-bing.com-2026-out-of-order.pem` now", 20,
			[]string{"run", "../testdata/real-bing.com-2026-out-of-order.pem`", "now"}},
		{"a code span that fits stays whole", "lines (`chainscope mtls nginx` or `chainscope mtls apache` writes them)", 30,
			[]string{"lines (`chainscope mtls nginx`", "or `chainscope mtls apache`", "writes them)"}},
		{"a code span wider than a line breaks at its spaces", "`a b c d e f`", 6, []string{"`a b c", "d e f`"}},
		{"a flag is never split", "`--fix-chain-and-more-words` here", 10, []string{"`--fix-chain-and-more-words`", "here"}},
		{"an RFC 4514 name breaks after a comma", "CN=a/b,O=Example,C=US", 10, []string{"CN=a/b,", "O=Example,", "C=US"}},
		{"no width", "one two three", 0, []string{"one two three"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := wrapWords(tt.s, tt.w)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
			}
		})
	}
}

func TestHangingWrap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		w    int
		want []string
	}{
		{"key column", "verdict      FAIL (2 of 10 checks fail)", 30,
			[]string{"verdict      FAIL (2 of 10", "             checks fail)"}},
		{"check title", "  ✗ chain.order       Chain presented in order, leaf first", 50,
			[]string{"  ✗ chain.order       Chain presented in order,", "                      leaf first"}},
		{"a key column past half the width is no hang", "  ✗ chain.order       Chain presented in order", 36,
			[]string{"  ✗ chain.order       Chain", "    presented in order"}},
		{"fix label", "      fix: put the intermediate right after the leaf", 34,
			[]string{"      fix: put the intermediate", "           right after the leaf"}},
		{"tree link keeps its branch", "│   ✗ issuer not presented, not in store · expires 2029-06-03", 36,
			[]string{"│   ✗ issuer not presented, not in", "│     store · expires 2029-06-03"}},
		{"tree node", "├── #1 intermediate  CN=Microsoft TLS G2 RSA CA OCSP 04", 46,
			[]string{"├── #1 intermediate  CN=Microsoft TLS G2 RSA", "│                    CA OCSP 04"}},
		{"styled", "\x1b[1mverdict\x1b[m      \x1b[31mFAIL (2 of 10 checks fail)\x1b[m", 30,
			[]string{"verdict      FAIL (2 of 10", "             checks fail)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := hangingWrap(tt.line, tt.w)
			for i := range got {
				if ansi.StringWidth(got[i]) > tt.w {
					t.Errorf("line %q is wider than %d", got[i], tt.w)
				}
				got[i] = ansi.Strip(got[i])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("hangingWrap(%q, %d) =\n%q, want\n%q", tt.line, tt.w, got, tt.want)
			}
		})
	}
}
