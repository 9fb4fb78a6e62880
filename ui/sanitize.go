package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxField caps one untrusted field (a subject, a CA name, an error) so that
// a hostile certificate cannot flood the terminal or the CI log.
const maxField = 512

// maxProse caps one line of the engine's own prose (a check's detail or
// fix), which quotes untrusted names but is legitimately longer.
const maxProse = 2048

// Sanitize makes a string that came from a certificate or a server safe to
// write to a terminal: C0 and C1 control characters, DEL, Unicode format
// characters (among them the bidi overrides and isolates U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F and U+061C), line and paragraph separators
// and invalid UTF-8 are shown escaped, as \x1b, \u202e or \xff, never
// written raw; so an ESC, CSI or OSC sequence in a subject is displayed as
// text instead of being obeyed. The result is capped at 512 runes, ending
// in "…" when cut. Sanitize is deterministic and does not escape
// backslashes, so RFC 4514 names keep their own escapes.
func Sanitize(s string) string {
	return sanitize(s, maxField)
}

// sanitizeLines sanitizes engine prose that may span lines: each line is
// sanitized on its own (so the newline between them survives) and capped at
// maxProse runes.
func sanitizeLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = sanitize(strings.TrimSuffix(l, "\r"), maxProse)
	}
	return lines
}

// sanitizeProse sanitizes a check's detail or fix: one line of the
// engine's prose (the engine writes no line break in them), so a CR or LF
// in it came from a name it quotes — a subject with "\r\nverdict PASS" —
// and is shown escaped like any control character, never starting a line
// of the report's own. It returns nil for "" and one line otherwise, capped
// at maxProse runes.
func sanitizeProse(s string) []string {
	if s == "" {
		return nil
	}
	return []string{sanitize(s, maxProse)}
}

// sanitize is Sanitize with a cap of max runes (max >= 1).
func sanitize(s string, max int) string {
	if plainASCII(s) && len(s) <= max {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), 4*max) + 3)
	n, cut := 0, 0 // runes written; bytes written while n <= max-1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := s[i : i+size]
		switch {
		case r == utf8.RuneError && size <= 1:
			piece = fmt.Sprintf(`\x%02x`, s[i])
		case mustEscape(r) && r < 0x80:
			piece = fmt.Sprintf(`\x%02x`, r)
		case mustEscape(r) && r <= 0xffff:
			piece = fmt.Sprintf(`\u%04x`, r)
		case mustEscape(r):
			piece = fmt.Sprintf(`\U%08x`, r)
		}
		i += size
		pr := utf8.RuneCountInString(piece)
		if n+pr > max {
			return b.String()[:cut] + "…"
		}
		b.WriteString(piece)
		n += pr
		if n <= max-1 {
			cut = b.Len()
		}
	}
	return b.String()
}

// plainASCII reports whether s is printable ASCII only, the common case
// that needs no work.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// mustEscape reports whether r may change what a terminal does or how the
// text around it is ordered, rather than just print a glyph.
func mustEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	}
	// Cf holds the bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9),
	// zero-width characters, soft hyphen, BOM and the tag characters.
	return unicode.Is(unicode.Cf, r)
}
