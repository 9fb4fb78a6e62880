package ui

import (
	"fmt"
	"strings"

	"chainscope/inspect"
)

// checksPane lists every check with its status; when focused, the selected
// check opens to show its detail and fix.
type checksPane struct {
	sel int
}

func (p checksPane) move(delta, n int) checksPane {
	p.sel = max(0, min(n-1, p.sel+delta))
	return p
}

// view draws the pane into w×h.
func (p checksPane) view(r *inspect.Report, st styles, w, h int, focused bool) []string {
	title := "Checks"
	if r != nil && len(r.Checks) > 0 {
		title += " · " + checkSummary(r)
	}
	out := []string{paneTitle(st, title, w, focused)}
	if r == nil || len(r.Checks) == 0 {
		return block(append(out, st.dim.Render("  no checks yet")), w, h)
	}
	idWidth := 17
	var lines []string
	from, to := 0, 0
	for i, c := range r.Checks {
		id := Sanitize(c.ID)
		pad := strings.Repeat(" ", max(1, idWidth-len(id)))
		line := fmt.Sprintf("%s %s%s%s", st.mark(c.Status), id, pad, Sanitize(c.Title))
		if focused && i == p.sel {
			from = len(lines)
			plain := fmt.Sprintf("%s %s%s%s", statusSymbol(c.Status), id, pad, Sanitize(c.Title))
			lines = append(lines, "▸ "+st.selected.Render(plain))
			lines = append(lines, checkDetail(c, st, w-4)...)
			to = len(lines) - 1
			continue
		}
		lines = append(lines, "  "+line)
	}
	off := scrollTo(0, from, to, len(lines), h-1)
	return block(append(out, lines[off:]...), w, h)
}

// checkDetail is the detail and fix of a check, wrapped to w and indented.
func checkDetail(c inspect.Check, st styles, w int) []string {
	var lines []string
	for _, d := range sanitizeLines(c.Detail) {
		lines = append(lines, wrap(d, w)...)
	}
	for i, f := range sanitizeLines(c.Fix) {
		if i == 0 {
			f = st.title.Render("fix:") + " " + f
		}
		lines = append(lines, wrap(f, w)...)
	}
	if len(lines) == 0 {
		lines = []string{st.dim.Render("(no detail)")}
	}
	return indent(lines, "    ")
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
