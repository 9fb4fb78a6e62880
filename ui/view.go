package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// wideWidth is the width from which the panes sit side by side.
const wideWidth = 100

// View draws the whole screen: two header lines, the body and one footer
// line, in the alternate screen with the mouse wheel reported.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if m.prompt.active() {
		_, x := m.prompt.view(m.st, max(m.width, 20))
		v.Cursor = tea.NewCursor(x, max(m.height, 5)-1)
	}
	return v
}

func (m *Model) render() string {
	w, h := max(m.width, 20), max(m.height, 5)
	lines := block(m.header(), w, 2)
	bodyH := h - 3
	switch {
	case m.help.ShowAll:
		lines = append(lines, block(m.fullHelp(w), w, bodyH)...)
	case m.state == stateList:
		lines = append(lines, m.list.view(m.targets, m.st, m.spin.View(), w, bodyH)...)
	default:
		lines = append(lines, m.targetBody(w, bodyH)...)
	}
	lines = append(lines, fit(m.footer(w), w))
	return strings.Join(lines, "\n")
}

// fullHelp lists every key that acts now, the groups of the key map in
// two rows so that it fits 80 columns.
func (m *Model) fullHelp(w int) []string {
	groups := m.keys.FullHelp()
	out := []string{paneTitle(m.st, "Keys", w, true), ""}
	for _, row := range [][][]key.Binding{groups[:2], groups[2:]} {
		if v := m.help.FullHelpView(row); v != "" {
			out = append(out, indent(strings.Split(v, "\n"), "  ")...)
			out = append(out, "")
		}
	}
	return append(out, m.st.dim.Render("  ? or esc closes this help"))
}

// header is the target and its verdict, then the names of the servername,
// policy and trust store.
func (m *Model) header() []string {
	st := m.st
	if m.state == stateList || len(m.targets) == 0 {
		first := st.title.Render("chainscope") + "  " + plural(len(m.targets), "target")
		pending := 0
		for _, t := range m.targets {
			if t.pending {
				pending++
			}
		}
		if pending > 0 {
			first += st.pending.Render(fmt.Sprintf("  %s %d pending", m.spin.View(), pending))
		}
		return []string{first, m.names(nil)}
	}
	t := m.targets[m.cur]
	r := t.report
	if r == nil {
		return []string{st.pending.Render(m.spin.View()) + "  " + st.title.Render(Sanitize(t.name)) + "  " +
			st.pending.Render(progressText(t.progress)), m.names(nil)}
	}
	var first string
	switch {
	default:
		first = st.badge(r) + "  " + st.title.Render(Sanitize(t.name))
		switch r.Verdict {
		case inspect.VerdictFail:
			first += "  " + strings.TrimSuffix(strings.TrimPrefix(verdictText(r), "FAIL ("), ")")
		case inspect.VerdictError:
			first += "  " + st.fail.Render(Sanitize(r.Error))
		case inspect.VerdictPass:
			first += "  " + statusCounts(r)
		}
	}
	if t.pending {
		first += "  " + st.pending.Render(m.spin.View()+" "+progressText(t.progress))
	}
	return []string{first, m.names(r)}
}

// names is the second header line: servername, policy and trust store,
// from the report when there is one, else from the configuration.
func (m *Model) names(r *inspect.Report) string {
	st := m.st
	policy, store, server := m.cfg.Policy, m.cfg.Store, ""
	if r != nil {
		policy, server = r.Policy, Sanitize(r.ServerName)
		if r.Trust.Store != "" {
			store = r.Trust.Store
		}
		if r.TLS != nil && r.TLS.Version != "" {
			server += st.dim.Render(" · ") + Sanitize(r.TLS.Version)
		}
	}
	var parts []string
	if server != "" {
		parts = append(parts, st.label.Render("servername ")+server)
	}
	if policy != "" {
		parts = append(parts, st.label.Render("policy ")+Sanitize(policy))
	}
	if store != "" {
		parts = append(parts, st.label.Render("store ")+Sanitize(store))
	}
	return strings.Join(parts, st.dim.Render("  │  "))
}

// footer is the prompt, the outcome of the last action, or the short help.
func (m *Model) footer(w int) string {
	switch {
	case m.prompt.active():
		line, _ := m.prompt.view(m.st, w)
		return line
	case m.status != "":
		return m.status
	}
	return m.help.ShortHelpView(m.keys.ShortHelp())
}

// geometry is the size of each pane of the open target.
type geometry struct {
	wide               bool
	leftW              int // wide: the chain and checks column
	chainH, checksH    int
	detailsW, detailsH int
}

// geometry lays the open target out: side by side from wideWidth columns
// (chain over checks on the left, details on the right), stacked below
// (chain on top; under it the checks, the details, or both when they fit).
func (m *Model) geometry() geometry {
	w, bodyH := max(m.width, 20), max(m.height, 5)-3
	t := m.targets[m.cur]
	r := t.report
	treeH := treeHeight(r) + 1
	checksWant := 2
	if r != nil && len(r.Checks) > 0 {
		checksWant = len(r.Checks) + 1
	}
	if w >= wideWidth {
		leftW := min(max(t.treeW, 58), w*11/20)
		chainH := max(min(treeH, bodyH-min(checksWant, bodyH/2)), min(3, bodyH))
		return geometry{wide: true, leftW: leftW, chainH: chainH, checksH: bodyH - chainH,
			detailsW: w - leftW - 1, detailsH: bodyH}
	}
	chainH := min(treeH, max(3, bodyH*2/5), bodyH)
	if m.focus == focusTree {
		chainH = min(treeH, max(3, bodyH*2/5, bodyH-checksWant), bodyH)
	}
	rest := bodyH - chainH
	g := geometry{chainH: chainH, detailsW: w}
	switch m.focus {
	case focusChecks:
		g.checksH = rest
	case focusDetails:
		g.detailsH = rest
	default:
		g.checksH = min(checksWant, rest)
		g.detailsH = rest - g.checksH
		if g.detailsH < 4 {
			g.checksH, g.detailsH = rest, 0
		}
	}
	return g
}

// targetBody draws the panes of the open target.
func (m *Model) targetBody(w, h int) []string {
	g := m.geometry()
	r := m.targets[m.cur].report
	colW := w
	if g.wide {
		colW = g.leftW
	}
	left := m.chain.view(r, m.st, colW, g.chainH, m.focus == focusTree)
	left = append(left, m.checks.view(r, m.st, colW, g.checksH, m.focus == focusChecks)...)
	details := m.details.view(m.st, g.detailsW, g.detailsH, m.focus == focusDetails)
	if g.wide {
		return block(beside(left, details, m.st.dim.Render("│")), w, h)
	}
	return block(append(left, details...), w, h)
}

// contentWidth is the width the chain tree of r would like.
func contentWidth(r *inspect.Report) int {
	if r == nil {
		return 0
	}
	w := 0
	for _, l := range treeLines(r, styles{}, 0) {
		w = max(w, ansi.StringWidth(l))
	}
	return w + 1
}

// statusCounts counts the checks by status: "9 pass, 1 info".
func statusCounts(r *inspect.Report) string {
	var parts []string
	for _, s := range []inspect.Status{inspect.StatusPass, inspect.StatusFail, inspect.StatusWarn, inspect.StatusInfo, inspect.StatusSkip} {
		if n := countStatus(r, s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}
