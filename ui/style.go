package ui

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"

	"chainscope/inspect"
)

// styles is the one severity→style table shared by the text report and the
// interface. Colour always doubles a symbol or a word: nothing is said by
// colour alone, so the output reads the same under NO_COLOR.
type styles struct {
	pass, fail, warn, info, skip lipgloss.Style

	title    lipgloss.Style // section and pane titles
	label    lipgloss.Style // the key column of key/value lines
	dim      lipgloss.Style // secondary text: a store root not presented, tree branches
	selected lipgloss.Style // the selected row of a list or tree
	focused  lipgloss.Style // the title of the focused pane
	pending  lipgloss.Style // spinner and progress text

	badgePass, badgeFail, badgeError lipgloss.Style

	// links allows OSC 8 hyperlinks: escape sequences are welcome.
	links bool
}

// newStyles builds the styles for a dark or light background. With color
// false every style is empty and renders no escape sequence at all; the
// text report relies on that for its ANSI-free output.
//
// The colours are from the 16-colour ANSI palette (plus two from the 256
// palette on light backgrounds, where yellow and bright black are
// unreadable), so they follow the user's terminal theme and need no
// down-sampling when the text report is forced to colour.
func newStyles(isDark, colour bool) styles {
	if !colour {
		return styles{}
	}
	ld := lipgloss.LightDark(isDark)
	var (
		green  = ld(lipgloss.Green, lipgloss.BrightGreen)
		red    = ld(lipgloss.Red, lipgloss.BrightRed)
		yellow = ld(lipgloss.ANSIColor(130), lipgloss.Yellow)
		blue   = ld(lipgloss.Blue, lipgloss.BrightCyan)
		grey   = ld(lipgloss.ANSIColor(244), lipgloss.BrightBlack)
		onBad  = color.Color(lipgloss.BrightWhite)
	)
	s := lipgloss.NewStyle()
	return styles{
		pass:       s.Foreground(green),
		fail:       s.Foreground(red).Bold(true),
		warn:       s.Foreground(yellow),
		info:       s.Foreground(blue),
		skip:       s.Foreground(grey),
		title:      s.Bold(true),
		label:      s.Foreground(grey),
		dim:        s.Foreground(grey),
		selected:   s.Reverse(true),
		focused:    s.Bold(true).Foreground(blue),
		pending:    s.Foreground(blue),
		badgePass:  s.Bold(true).Foreground(lipgloss.Black).Background(green),
		badgeFail:  s.Bold(true).Foreground(onBad).Background(lipgloss.Red),
		badgeError: s.Bold(true).Foreground(onBad).Background(lipgloss.Magenta),
		links:      true,
	}
}

// statusSymbol is the one symbol of a status, the same everywhere: ✓ pass,
// ✗ fail, ! warn, · info, - skip.
func statusSymbol(s inspect.Status) string {
	switch s {
	case inspect.StatusPass:
		return "✓"
	case inspect.StatusFail:
		return "✗"
	case inspect.StatusWarn:
		return "!"
	case inspect.StatusInfo:
		return "·"
	case inspect.StatusSkip:
		return "-"
	}
	return "?"
}

// status is the style of a status.
func (st styles) status(s inspect.Status) lipgloss.Style {
	switch s {
	case inspect.StatusPass:
		return st.pass
	case inspect.StatusFail:
		return st.fail
	case inspect.StatusWarn:
		return st.warn
	case inspect.StatusInfo:
		return st.info
	}
	return st.skip
}

// mark renders the symbol of a status in its colour.
func (st styles) mark(s inspect.Status) string {
	return st.status(s).Render(statusSymbol(s))
}

// verdictText is the verdict in words: "PASS", "PASS (1 warning)",
// "FAIL (2 of 10 checks fail)" or "ERROR: <error>".
func verdictText(r *inspect.Report) string {
	switch r.Verdict {
	case inspect.VerdictPass:
		if n := countStatus(r, inspect.StatusWarn); n > 0 {
			return fmt.Sprintf("PASS (%s)", plural(n, "warning"))
		}
		return "PASS"
	case inspect.VerdictFail:
		n := r.Failed()
		verb := "fail"
		if n == 1 {
			verb = "fails"
		}
		return fmt.Sprintf("FAIL (%d of %s %s)", n, plural(len(r.Checks), "check"), verb)
	case inspect.VerdictError:
		msg := r.Error
		if msg == "" {
			msg = "the inspection could not run"
		}
		return "ERROR: " + Sanitize(msg)
	}
	return "UNKNOWN (" + Sanitize(string(r.Verdict)) + ")"
}

// verdictStatus maps a verdict onto the status whose style and symbol show it.
func verdictStatus(v inspect.Verdict) inspect.Status {
	switch v {
	case inspect.VerdictPass:
		return inspect.StatusPass
	case inspect.VerdictFail, inspect.VerdictError:
		return inspect.StatusFail
	}
	return inspect.StatusSkip
}

// badge is the short verdict of the interface header and target list:
// "PASS", "FAIL 2" or "ERROR", padded and coloured as a badge.
func (st styles) badge(r *inspect.Report) string {
	switch r.Verdict {
	case inspect.VerdictPass:
		return st.badgePass.Render(" PASS ")
	case inspect.VerdictFail:
		return st.badgeFail.Render(fmt.Sprintf(" FAIL %d ", r.Failed()))
	case inspect.VerdictError:
		return st.badgeError.Render(" ERROR ")
	}
	return st.dim.Render(" ? ")
}

func countStatus(r *inspect.Report, s inspect.Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// plural returns "1 check" or "2 checks".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
