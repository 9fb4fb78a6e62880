package ui

import "chainscope/inspect"

// chainPane is the chain tree with a selected node.
type chainPane struct {
	sel   int        // index into chainNodes
	cache *treeCache // the last tree drawn, shared by the pane's copies
}

// treeCache keeps the lines of the last tree drawn: a key press that moves
// another pane's selection does not draw the tree again.
type treeCache struct {
	r     *inspect.Report
	sel   int
	st    *styles
	lines []string
}

// lines is treeLines(r, st, p.sel), from the cache when nothing changed.
func (p chainPane) lines(r *inspect.Report, st *styles) []string {
	c := p.cache
	if c != nil && c.r == r && c.sel == p.sel && c.st == st {
		return c.lines
	}
	lines := treeLines(r, *st, p.sel)
	if c != nil {
		*c = treeCache{r: r, sel: p.sel, st: st, lines: lines}
	}
	return lines
}

// move moves the selection by delta among n nodes.
func (p chainPane) move(delta, n int) chainPane {
	p.sel = max(0, min(n-1, p.sel+delta))
	return p
}

// view draws the pane into w×h: a title rule and the tree, scrolled so
// that the selected node (and its link line) is visible, with a marker
// where the tree continues.
func (p chainPane) view(r *inspect.Report, stp *styles, w, h int, focused bool) []string {
	st := *stp
	title := "Chain"
	if r != nil && len(r.Chain) > 0 {
		title += " · " + plural(len(r.Chain), "certificate")
	}
	out := []string{paneTitle(st, title, w, focused)}
	if h <= 1 {
		return block(out, w, h)
	}
	var lines []string
	switch {
	case r == nil:
		lines = []string{st.dim.Render("  waiting for the report…")}
	case len(r.Chain) == 0:
		lines = []string{st.dim.Render("  (no certificates)")}
	default:
		lines = p.lines(r, stp)
	}
	at, end := nodeSpan(r, p.sel)
	off := scrollAround(0, at, end, len(lines), h-1)
	return block(append(out, window(st, lines, off, h-1, "")...), w, h)
}

// nodeSpan returns the first and last tree line of node sel.
func nodeSpan(r *inspect.Report, sel int) (from, to int) {
	if r == nil {
		return 0, 0
	}
	line, extra := 0, false
	for i, node := range chainNodes(r) {
		h := 1
		if node.kind == nodeCert {
			h = 2 // name and link
		}
		if node.kind == nodeExtra && !extra {
			extra = true
			line++ // the "not on the path" branch
		}
		if i == sel {
			return line, line + h - 1
		}
		line += h
	}
	return 0, 0
}

// treeHeight is the number of lines the tree of r takes.
func treeHeight(r *inspect.Report) int {
	if r == nil || len(r.Chain) == 0 {
		return 1
	}
	nodes := chainNodes(r)
	_, to := nodeSpan(r, len(nodes)-1)
	return to + 1
}
