package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrapWords wraps s, which may hold ANSI styles, to w columns at spaces.
// A word longer than a line is broken only where it can be read back:
// never inside a URL, a path or a flag (it keeps a line of its own, wider
// than w if need be, so that it can still be selected, copied and
// opened; see unbreakable), after a ':' or ',' in colon-hex (SKI, AKI)
// and RFC 4514 names, else at an even column so that plain hex breaks
// between bytes.
func wrapWords(s string, w int) []string {
	if w <= 0 || ansi.StringWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, word := range codeSpans(strings.Split(s, " "), w) {
		ww := ansi.StringWidth(word)
		switch {
		case curW > 0 && curW+1+ww <= w:
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += 1 + ww
			continue
		case curW > 0:
			flush()
		}
		if ww <= w || unbreakable(ansi.Strip(word)) {
			cur.WriteString(word)
			curW = ww
			continue
		}
		parts := breakWord(word, w)
		lines = append(lines, parts[:len(parts)-1]...)
		last := parts[len(parts)-1]
		cur.WriteString(last)
		curW = ansi.StringWidth(last)
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// isURL reports whether a word is a URL, which must never be split.
func isURL(word string) bool {
	for _, scheme := range []string{"http://", "https://", "ldap://", "ldaps://"} {
		if i := strings.Index(word, scheme); i >= 0 && i <= 1 {
			return true
		}
	}
	return false
}

// codeSpans joins back the words of a `code span` (a command, a server
// line) that fits in w columns, so that it wraps as one word and is never
// split across lines; a longer span is left to break at its spaces.
func codeSpans(words []string, w int) []string {
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		if strings.Count(ansi.Strip(words[i]), "`")%2 == 0 {
			out = append(out, words[i])
			continue
		}
		j := i + 1
		for j < len(words) && strings.Count(ansi.Strip(words[j]), "`")%2 == 0 {
			j++
		}
		if j == len(words) { // not closed
			out = append(out, words[i])
			continue
		}
		span := strings.Join(words[i:j+1], " ")
		if ansi.StringWidth(span) > w {
			out = append(out, words[i])
			continue
		}
		out = append(out, span)
		i = j
	}
	return out
}

// unbreakable reports whether a word must never be split across lines:
// a URL, a flag (--fix-chain) or a path (a '/' outside an RFC 4514 name,
// whose '=' tells it apart), with any quotes, backticks or brackets
// around it. Split, each would be wrong to copy.
func unbreakable(word string) bool {
	bare := strings.Trim(word, "`'\"()[]{},;.")
	return isURL(word) || strings.HasPrefix(bare, "-") || (strings.Contains(bare, "/") && !strings.Contains(bare, "="))
}

// breakWord cuts a word wider than w into pieces of at most w columns,
// after the last ':' or ',' that fits (colon-hex, RFC 4514 names), else
// at an even column.
func breakWord(word string, w int) []string {
	var out []string
	for ansi.StringWidth(word) > w {
		plain := ansi.Strip(word)
		cut := w - w%2
		if i := strings.LastIndexAny(plain[:min(len(plain), w)], ":,"); i > 0 {
			cut = i + 1
		}
		cut = max(cut, 1)
		out = append(out, ansi.Cut(word, 0, cut))
		word = ansi.Cut(word, cut, ansi.StringWidth(word))
	}
	return append(out, word)
}

// hangingWrap wraps one line of the text report to w columns with a
// hanging indent: continuation lines start under the text the line is
// about, after its decoration (indent, tree branches, a status symbol), a
// key column (a gap of two spaces or more) or a "fix:" label. Tree
// branches carry on down the continuation, so the tree stays whole.
func hangingWrap(line string, w int) []string {
	if w <= 0 || ansi.StringWidth(line) <= w {
		return []string{line}
	}
	plain := []rune(ansi.Strip(line))
	n := hangColumn(plain, w) // in runes
	hang := ansi.StringWidth(string(plain[:n]))
	if hang >= w/2 {
		n, hang = min(n, 4), ansi.StringWidth(string(plain[:min(n, 4)]))
	}
	body := wrapWords(ansi.Cut(line, hang, ansi.StringWidth(line)), w-hang)
	cont := continuation(plain[:n])
	out := []string{ansi.Cut(line, 0, hang) + body[0]}
	for _, b := range body[1:] {
		out = append(out, cont+b)
	}
	return out
}

// hangColumn is where the text of a report line starts, in runes: after leading
// spaces and tree glyphs, a status symbol and its space, and the first gap
// of two spaces or more (a key column) or a "fix: " label.
func hangColumn(plain []rune, w int) int {
	i := 0
	for i < len(plain) && strings.ContainsRune(" │├└─", plain[i]) {
		i++
	}
	if i+1 < len(plain) && strings.ContainsRune("✓✗!·-▸", plain[i]) && plain[i+1] == ' ' {
		i += 2
	}
	rest := string(plain[i:])
	if strings.HasPrefix(rest, "fix: ") {
		return i + len("fix: ")
	}
	if gap := strings.Index(rest, "  "); gap > 0 && i+gap < w/2 {
		j := i + len([]rune(rest[:gap]))
		for j < len(plain) && plain[j] == ' ' {
			j++
		}
		return j
	}
	return i
}

// continuation is the prefix of a continuation line under a prefix: tree
// branches carry on as "│", everything else becomes spaces.
func continuation(prefix []rune) string {
	out := make([]rune, len(prefix))
	for i, r := range prefix {
		switch r {
		case '│', '├':
			out[i] = '│'
		default:
			out[i] = ' '
		}
	}
	return string(out)
}
