package ui

import (
	"fmt"
	"slices"
	"strings"

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
	hints    []string // what to try, when the inspection could not run
	// malformed: the target cannot be parsed; "r" would fail the same way.
	malformed bool
	treeW     int // the width of the report's chain tree, for the layout
	cancel    func()
}

// targetList is the list of targets with their verdicts, in the order
// given or, on request, failures first.
type targetList struct {
	sel           int // the selected row
	failuresFirst bool
	// empty is what an empty list says; "" means the default.
	empty string
}

func (l targetList) move(delta, n int) targetList {
	l.sel = max(0, min(n-1, l.sel+delta))
	return l
}

// order lists the targets' indexes in the order the rows show them:
// as given, or errors, then failures, then warnings, pending and passes.
func (l targetList) order(ts []target) []int {
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	if l.failuresFirst {
		slices.SortStableFunc(idx, func(a, b int) int { return rank(ts[a]) - rank(ts[b]) })
	}
	return idx
}

// rank orders targets for "failures first".
func rank(t target) int {
	r := t.report
	switch {
	case t.pending || r == nil:
		return 3
	case r.Verdict == inspect.VerdictError:
		return 0
	case r.Verdict == inspect.VerdictFail:
		return 1
	case countStatus(r, inspect.StatusWarn) > 0:
		return 2
	}
	return 4
}

// target is the index of the selected target, or -1 without targets.
func (l targetList) target(ts []target) int {
	o := l.order(ts)
	if l.sel < 0 || l.sel >= len(o) {
		return -1
	}
	return o[l.sel]
}

// selectTarget selects the row of target i.
func (l targetList) selectTarget(ts []target, i int) targetList {
	if j := slices.Index(l.order(ts), i); j >= 0 {
		l.sel = j
	}
	return l
}

// toggleFailuresFirst switches the order, keeping the same target selected.
func (l targetList) toggleFailuresFirst(ts []target) targetList {
	i := l.target(ts)
	l.failuresFirst = !l.failuresFirst
	return l.selectTarget(ts, i)
}

// view draws the list into w×h; spin is the current spinner frame.
func (l targetList) view(ts []target, st styles, spin string, w, h int) []string {
	title := fmt.Sprintf("Targets · %d", len(ts))
	if l.failuresFirst {
		title += " · failures first"
	}
	out := []string{paneTitle(st, title, w, true)}
	if len(ts) == 0 {
		empty := "no targets: press o to inspect one"
		if l.empty != "" {
			empty = Sanitize(l.empty)
		}
		for _, l := range wrap(empty, w-4) { // read whole: it says where to point the sender
			out = append(out, st.dim.Render("  "+l))
		}
		return block(out, w, h)
	}
	nameW := 0
	for _, t := range ts {
		nameW = max(nameW, ansi.StringWidth(Sanitize(t.name)))
	}
	nameW = min(nameW, max(20, w*2/5))
	var lines []string
	for row, i := range l.order(ts) {
		t := ts[i]
		var badge, note string
		switch {
		case t.pending:
			badge = st.pending.Render(spin + " …")
			note = st.pending.Render(ProgressText(t.progress))
		case t.report == nil:
			badge = st.dim.Render("- none")
		default:
			r := t.report
			badge = st.status(verdictStatus(r.Verdict)).Render(statusSymbol(verdictStatus(r.Verdict)) + " " + shortVerdict(r))
			note = listNote(r, st)
		}
		line := fit(badge, 9) + "  " + fit(truncateLeft(Sanitize(t.name), nameW), nameW)
		if note != "" {
			line += "  " + note
		}
		if row == l.sel {
			// Highlight the plain text: inner colours would end the
			// reverse video at their first reset.
			lines = append(lines, "▸ "+st.selected.Render(ansi.Strip(line)))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	off := scrollAround(0, l.sel, l.sel, len(lines), h-1)
	return block(append(out, window(st, lines, off, h-1, "")...), w, h)
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

// listNote is the last column of the list: the error, or the failing and
// warning checks, each id in normal weight after its coloured symbol.
func listNote(r *inspect.Report, st styles) string {
	if r.Verdict == inspect.VerdictError {
		return Sanitize(r.Error)
	}
	var ids []string
	for _, s := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		for _, c := range r.Checks {
			if c.Status == s {
				ids = append(ids, st.mark(s)+" "+Sanitize(c.ID))
			}
		}
	}
	return strings.Join(ids, "  ")
}
