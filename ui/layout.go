package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// block fits lines into a w×h rectangle: each line cut to w columns (with
// "…") and padded with spaces, missing lines blank, extra lines dropped.
func block(lines []string, w, h int) []string {
	out := make([]string, max(h, 0))
	for i := range out {
		var l string
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = fit(l, w)
	}
	return out
}

// fit cuts or pads one line to exactly w columns.
func fit(l string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(l)
	if n > w {
		l = ansi.Truncate(l, w, "…")
		n = ansi.StringWidth(l)
	}
	if n < w {
		l += strings.Repeat(" ", w-n)
	}
	return l
}

// beside joins two blocks of the same height side by side with a separator.
func beside(left, right []string, sep string) []string {
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = l + sep + r
	}
	return out
}

// scrollTo returns the first line to show so that lines [from, to] are
// visible in a window of h lines, moving as little as possible from off.
func scrollTo(off, from, to, total, h int) int {
	if h <= 0 {
		return 0
	}
	if to-from+1 > h {
		to = from + h - 1
	}
	if from < off {
		off = from
	}
	if to >= off+h {
		off = to - h + 1
	}
	return max(0, min(off, total-h))
}

// window shows h lines of lines from off on, with a marker wherever the
// content continues: "↑ N more" on the first line when lines are hidden
// above, "↓ N more" on the last when lines are hidden below (more names
// the keys that scroll). The marker takes the place of a line, which is
// counted among the hidden ones.
func window(st styles, lines []string, off, h int, more string) []string {
	if h <= 0 {
		return nil
	}
	if len(lines) <= h {
		return append([]string(nil), lines...)
	}
	off = max(0, min(off, len(lines)-h))
	out := append([]string(nil), lines[off:off+h]...)
	if off > 0 {
		out[0] = st.dim.Render(fmt.Sprintf("  ↑ %d more", off+1))
	}
	if below := len(lines) - off - h; below > 0 {
		m := fmt.Sprintf("  ↓ %d more", below+1)
		if more != "" {
			m += " · " + more
		}
		out[h-1] = st.dim.Render(m)
	}
	return out
}

// scrollAround is the offset at which the lines [from, to] show inside a
// window of h lines without being covered by its markers.
func scrollAround(off, from, to, total, h int) int {
	if total <= h {
		return 0
	}
	return scrollTo(off, max(0, from-1), min(total-1, to+1), total, h)
}

// paneTitle is the title rule of a pane: heavy and coloured when focused,
// light and dim when not, so focus shows without colour too.
func paneTitle(st styles, title string, w int, focused bool) string {
	rule, style := "─", st.dim
	if focused {
		rule, style = "━", st.focused
	}
	head := rule + rule + " " + title + " "
	return style.Render(head + strings.Repeat(rule, max(0, w-ansi.StringWidth(head))))
}

// wrap wraps text to w columns for a pane: at spaces, long words where
// they can be read back (see wrapWords). A URL keeps a line of its own,
// wider than w if need be; linkURLs fits it to the pane.
func wrap(s string, w int) []string {
	return wrapWords(s, w)
}

// linkURLs fits the lines of a pane that hold one URL wider than the pane
// (wrap leaves them whole): cut with "…" and, when the interface writes
// escape sequences, linked to the whole URL with OSC 8, so that the URL
// is never split across lines and can still be opened. The URL was
// sanitized: it carries no ESC or BEL that could end the sequence early.
func linkURLs(st styles, lines []string, w int) []string {
	for i, l := range lines {
		if w < 2 || ansi.StringWidth(l) <= w {
			continue
		}
		lead := len(l) - len(strings.TrimLeft(l, " "))
		plain := ansi.Strip(l[lead:])
		url := strings.TrimRight(plain, ").,;")
		if !st.links || !isURL(url) || strings.ContainsAny(url, "\x1b\x07") {
			continue
		}
		lines[i] = l[:lead] + ansi.SetHyperlink(url) + ansi.Truncate(plain, w-lead, "…") + ansi.ResetHyperlink()
	}
	return lines
}

// wrapKV is kv with every value wrapped to the width left after the key.
func wrapKV(st styles, key string, keyWidth, w int, values ...string) []string {
	var vs []string
	for _, v := range values {
		if w <= 0 {
			vs = append(vs, v)
			continue
		}
		vs = append(vs, wrap(v, w-keyWidth)...)
	}
	return kv(st, key, keyWidth, vs...)
}
