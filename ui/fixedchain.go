package ui

import (
	"fmt"
	"strings"

	"chainscope/inspect"
)

// fixedChainLines draws the repaired chain of --fix-chain: where it was
// written, each certificate with its origin, what was dropped, and the
// verdict of the new chain judged again.
func fixedChainLines(fc *inspect.FixedChain, st styles) []string {
	head := "Fixed chain"
	if fc.File != "" {
		head += " → " + Sanitize(fc.File)
	}
	switch {
	case fc.Written:
		head += "  " + st.status(inspect.StatusPass).Render("written")
	case fc.Error != "":
		head += "  " + st.status(inspect.StatusFail).Render("not written")
	}
	lines := []string{st.title.Render(head)}
	for i, c := range fc.Certificates {
		lines = append(lines, fmt.Sprintf("  #%d %s  %s", i, sanitize(c.Name, nameWidth), st.dim.Render("("+Sanitize(c.Source)+")")))
	}
	for _, d := range fc.Dropped {
		lines = append(lines, st.dim.Render(fmt.Sprintf("  dropped #%d %s: %s", d.Position, sanitize(d.Name, nameWidth), Sanitize(d.Why))))
	}
	for _, f := range fc.Fetches {
		got := fmt.Sprintf("%d certificate(s)", f.Got)
		if f.Error != "" {
			got = Sanitize(f.Error)
		}
		lines = append(lines, st.dim.Render(fmt.Sprintf("  fetched %s for %s: %s", Sanitize(f.URL), Sanitize(f.For), got)))
	}
	if fc.Error != "" {
		lines = append(lines, "  "+st.status(inspect.StatusFail).Render(Sanitize(fc.Error)))
	} else {
		// A pass may still warn: name the checks, so "pass" is not read
		// as "nothing left to do".
		var warns []string
		for _, c := range fc.Checks {
			if c.Status == inspect.StatusWarn {
				warns = append(warns, Sanitize(c.ID))
			}
		}
		line := "  judged again: " + st.status(inspect.StatusPass).Render(string(fc.Verdict))
		if len(warns) > 0 {
			line += ", " + st.status(inspect.StatusWarn).Render("warns: "+strings.Join(warns, ", "))
		}
		lines = append(lines, line)
	}
	return lines
}
