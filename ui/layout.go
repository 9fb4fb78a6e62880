package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// block fits lines into a w×h rectangle: each line cut to w columns (with
// "…") and padded with spaces, missing lines blank, extra lines dropped.
func block(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range h {
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
	if ansi.StringWidth(l) > w {
		l = ansi.Truncate(l, w, "…")
	}
	if pad := w - ansi.StringWidth(l); pad > 0 {
		l += strings.Repeat(" ", pad)
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

// wrap wraps text to w columns, breaking long words (hashes, names without
// spaces) where needed and preferring the commas of RFC 4514 names.
func wrap(s string, w int) []string {
	if w <= 0 || ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, ","), "\n")
}

// wrapKV is kv with every value wrapped to the width left after the key.
func wrapKV(st styles, key string, keyWidth, w int, values ...string) []string {
	var vs []string
	for _, v := range values {
		vs = append(vs, wrap(v, w-keyWidth)...)
	}
	return kv(st, key, keyWidth, vs...)
}
