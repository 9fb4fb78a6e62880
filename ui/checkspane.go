package ui

import (
	"fmt"
	"strings"

	"chainscope/inspect"
)

// checksPane lists every check with its status and a selected one: the
// checks that ran in the report's order, then those skipped, which say
// nothing about the target (a file's handshake checks, a client chain's
// server checks), so that what matters comes first.
type checksPane struct {
	sel int // the selected row
}

// checkRows lists the indexes of r's checks in the order the pane shows
// them: those that ran, then the skipped ones, each in report order.
func checkRows(r *inspect.Report) []int {
	rows := make([]int, 0, len(r.Checks))
	for _, skipped := range []bool{false, true} {
		for i, c := range r.Checks {
			if (c.Status == inspect.StatusSkip) == skipped {
				rows = append(rows, i)
			}
		}
	}
	return rows
}

// selected is the selected check of r.
func (p checksPane) selected(r *inspect.Report) (inspect.Check, bool) {
	if r == nil {
		return inspect.Check{}, false
	}
	rows := checkRows(r)
	if p.sel < 0 || p.sel >= len(rows) {
		return inspect.Check{}, false
	}
	return r.Checks[rows[p.sel]], true
}

// selectIndex selects the row of check i of r.
func (p checksPane) selectIndex(r *inspect.Report, i int) checksPane {
	for row, j := range checkRows(r) {
		if j == i {
			p.sel = row
		}
	}
	return p
}

func (p checksPane) move(delta, n int) checksPane {
	p.sel = max(0, min(n-1, p.sel+delta))
	return p
}

// checkIDWidth is the id column of the checks pane.
const checkIDWidth = 17

// view draws the pane into w×h. marked shows the selection (the pane is
// focused, or the details show the selected check); expand opens the
// selected check in place to show its detail and fix, for the stacked
// layout that has no details pane beside it.
func (p checksPane) view(r *inspect.Report, st styles, w, h int, focused, marked, expand bool, fixHint string) []string {
	title := "Checks"
	if r != nil && len(r.Checks) > 0 {
		title += " · " + checkSummary(r)
	}
	out := []string{paneTitle(st, title, w, focused)}
	if r == nil || len(r.Checks) == 0 {
		return block(append(out, st.dim.Render("  no checks yet")), w, h)
	}
	var lines []string
	from, to := 0, 0
	for i, ci := range checkRows(r) {
		c := r.Checks[ci]
		id := Sanitize(c.ID)
		pad := strings.Repeat(" ", max(1, checkIDWidth-len(id)))
		if marked && i == p.sel {
			from = len(lines)
			plain := fmt.Sprintf("%s %s%s%s", statusSymbol(c.Status), id, pad, Sanitize(c.Title))
			lines = append(lines, "▸ "+st.selected.Render(plain))
			if expand {
				lines = append(lines, indent(checkDetailLines(c, st, w-4, fixHint), "    ")...)
			}
			to = len(lines) - 1
			continue
		}
		lines = append(lines, "  "+fmt.Sprintf("%s %s%s%s", st.mark(c.Status), id, pad, Sanitize(c.Title)))
	}
	off := scrollAround(0, from, to, len(lines), h-1)
	return block(append(out, linkURLs(st, window(st, lines, off, h-1, ""), w)...), w, h)
}

// checkDetailLines are the detail and fix of a check, wrapped to w: the
// fix under a "fix:" label with a hanging indent, then fixHint (what a key
// does about it), when set.
func checkDetailLines(c inspect.Check, st styles, w int, fixHint string) []string {
	var lines []string
	for _, d := range sanitizeProse(c.Detail) {
		lines = append(lines, wrap(d, w)...)
	}
	for i, f := range sanitizeProse(c.Fix) {
		for j, l := range wrap(f, w-5) {
			label := "     "
			if i == 0 && j == 0 {
				label = st.title.Render("fix:") + " "
			}
			lines = append(lines, label+l)
		}
	}
	if c.Fix != "" && fixHint != "" {
		for _, l := range wrap(fixHint, w) {
			lines = append(lines, st.dim.Render(l))
		}
	}
	if len(lines) == 0 {
		lines = []string{st.dim.Render("(no detail)")}
	}
	return lines
}

// checkSummary counts the checks by status: "1 fail, 2 warn".
func checkSummary(r *inspect.Report) string {
	var parts []string
	for _, s := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		if n := countStatus(r, s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	switch {
	case len(parts) > 0:
	case countStatus(r, inspect.StatusSkip) == len(r.Checks):
		return "none run"
	default:
		return "none fail"
	}
	return strings.Join(parts, ", ")
}
