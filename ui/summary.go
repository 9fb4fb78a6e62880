package ui

import (
	"fmt"
	"io"
	"strings"

	"chainscope/inspect"
)

// Tally counts the verdicts of a run.
type Tally struct {
	Pass, Fail, Error int
	// Pending counts targets without a report (still in flight).
	Pending int
}

// Add counts one report; nil counts as pending.
func (t *Tally) Add(r *inspect.Report) {
	switch {
	case r == nil:
		t.Pending++
	case r.Verdict == inspect.VerdictPass:
		t.Pass++
	case r.Verdict == inspect.VerdictFail:
		t.Fail++
	default:
		t.Error++
	}
}

// Total is the number of targets counted.
func (t Tally) Total() int { return t.Pass + t.Fail + t.Error + t.Pending }

// text is "5 targets: 2 pass, 2 fail, 1 error", with each count that is
// not zero in its colour.
func (t Tally) text(st styles) string {
	var parts []string
	add := func(n int, word string, s inspect.Status) {
		if n > 0 {
			parts = append(parts, st.status(s).Render(fmt.Sprintf("%s %d %s", statusSymbol(s), n, word)))
		}
	}
	add(t.Pass, "pass", inspect.StatusPass)
	add(t.Fail, "fail", inspect.StatusFail)
	add(t.Error, "error", inspect.StatusFail)
	add(t.Pending, "pending", inspect.StatusSkip)
	if len(parts) == 0 {
		return plural(t.Total(), "target") // none yet: no colon before nothing
	}
	return plural(t.Total(), "target") + ": " + strings.Join(parts, ", ")
}

// WriteTally writes the closing line of a text run of several targets:
// "summary      5 targets: ✓ 2 pass, ✗ 2 fail, ✗ 1 error", after a blank
// line.
func WriteTally(w io.Writer, t Tally, opt TextOptions) error {
	st := newStyles(true, opt.Color)
	line := kv(st, "summary", labelWidth, t.text(st))[0]
	_, err := io.WriteString(w, "\n"+strings.Join(hangingWrap(line, opt.Width), "\n")+"\n")
	return err
}

// WriteOutcomes writes what stays on the terminal after the interface
// quits: one line per target with its verdict and the first thing to fix
// (the error of a target that could not be inspected; nothing for a
// pass), in the order of targets; a nil report is a target still in
// flight. With opt.Width a long line wraps under the target's text.
func WriteOutcomes(w io.Writer, targets []string, reports []*inspect.Report, opt TextOptions) error {
	st := newStyles(true, opt.Color)
	var b strings.Builder
	for i, name := range targets {
		var r *inspect.Report
		if i < len(reports) {
			r = reports[i]
		}
		for _, l := range hangingWrap(outcomeLine(st, name, r), opt.Width) {
			b.WriteString(l)
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// outcomeLine is "✗ FAIL 1  target  chain.order: put the intermediate …".
func outcomeLine(st styles, name string, r *inspect.Report) string {
	if r == nil {
		return st.skip.Render(statusSymbol(inspect.StatusSkip)+" not inspected") + "  " + Sanitize(name) + "  " + st.dim.Render("(quit before its report)")
	}
	vs := verdictStatus(r.Verdict)
	line := st.status(vs).Render(statusSymbol(vs)+" "+shortVerdict(r)) + "  " + Sanitize(name)
	switch {
	case r.Verdict == inspect.VerdictError:
		return line + "  " + Sanitize(r.Error)
	}
	if c, ok := firstFix(r); ok {
		fix := strings.Join(sanitizeProse(c.Fix), " ")
		return line + "  " + Sanitize(c.ID) + ": " + fix
	}
	return line
}

// firstFix is the first check that fails with a fix, else the first that
// warns with one.
func firstFix(r *inspect.Report) (inspect.Check, bool) {
	for _, s := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		for _, c := range r.Checks {
			if c.Status == s && c.Fix != "" {
				return c, true
			}
		}
	}
	return inspect.Check{}, false
}
