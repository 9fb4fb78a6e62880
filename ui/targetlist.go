package ui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// target is one target of the session and its latest inspection.
type target struct {
	name     string
	id       int // the request id of the inspection in flight or last started
	pending  bool
	progress inspect.Progress
	report   *inspect.Report
	treeW    int // the width of the report's chain tree, for the layout
	cancel   func()
}

// targetList is the list of targets with their verdicts.
type targetList struct {
	sel int
	// empty is what an empty list says; "" means the default.
	empty string
}

func (l targetList) move(delta, n int) targetList {
	l.sel = max(0, min(n-1, l.sel+delta))
	return l
}

// view draws the list into w×h; spin is the current spinner frame.
func (l targetList) view(ts []target, st styles, spin string, w, h int) []string {
	out := []string{paneTitle(st, fmt.Sprintf("Targets · %d", len(ts)), w, true)}
	var lines []string
	if len(ts) == 0 {
		empty := "no targets: press o to inspect one"
		if l.empty != "" {
			empty = Sanitize(l.empty)
		}
		lines = append(lines, st.dim.Render("  "+empty))
	}
	for i, t := range ts {
		var badge, note string
		switch {
		case t.pending:
			badge = st.pending.Render(spin + " …")
			note = st.pending.Render(progressText(t.progress))
		case t.report == nil:
			badge = st.dim.Render("- none")
		default:
			r := t.report
			badge = st.status(verdictStatus(r.Verdict)).Render(statusSymbol(verdictStatus(r.Verdict)) + " " + shortVerdict(r))
			note = listNote(r)
		}
		line := fmt.Sprintf("%s  %s", fit(badge, 9), Sanitize(t.name))
		if note != "" {
			line += "  " + st.dim.Render(note)
		}
		if i == l.sel {
			// Highlight the plain text: inner colours would end the
			// reverse video at their first reset.
			lines = append(lines, "▸ "+st.selected.Render(ansi.Strip(line)))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	off := scrollTo(0, l.sel, l.sel, len(lines), h-1)
	return block(append(out, lines[off:]...), w, h)
}

// shortVerdict is "PASS", "FAIL 2" or "ERROR".
func shortVerdict(r *inspect.Report) string {
	switch r.Verdict {
	case inspect.VerdictPass:
		return "PASS"
	case inspect.VerdictFail:
		return fmt.Sprintf("FAIL %d", r.Failed())
	case inspect.VerdictError:
		return "ERROR"
	}
	return "?"
}

// listNote is the second column of the list: the error, the failing
// checks, or the warnings.
func listNote(r *inspect.Report) string {
	switch r.Verdict {
	case inspect.VerdictError:
		return Sanitize(r.Error)
	}
	var ids []string
	for _, s := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		for _, c := range r.Checks {
			if c.Status == s {
				ids = append(ids, statusSymbol(s)+" "+Sanitize(c.ID))
			}
		}
	}
	note := ""
	for i, id := range ids {
		if i > 0 {
			note += "  "
		}
		note += id
	}
	return note
}
