package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// wideWidth is the width from which the details may sit beside the chain
// and the checks.
const wideWidth = 100

// minDetailsW is the narrowest the details pane gets beside the others.
const minDetailsW = 40

// roomyDetailsW is the width from which a fix reads in a few lines beside
// the others (a fix runs to some 600 characters); narrower, the details of
// a check go below the chain and the checks, across the screen, when
// minBelowH lines are free there (issue 11: the largest free area holds
// the fix). A certificate's details and the TLS facts, lists of short
// lines, keep the taller pane beside.
const (
	roomyDetailsW = 72
	minBelowH     = 8
)

// View draws the whole screen: two header lines, the body and one footer
// line, in the alternate screen with the mouse wheel reported. Nothing is
// drawn until the terminal's size is known, so that the first frame is
// laid out for the real screen.
func (m *Model) View() tea.View {
	content := ""
	if m.sized {
		content = m.render()
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if m.prompt.active() {
		_, x := m.prompt.view(max(m.width, 20))
		v.Cursor = tea.NewCursor(x, max(m.height, 5)-1)
	}
	return v
}

func (m *Model) render() string {
	w := max(m.width, 20)
	lines := block(m.header(w), w, 2)
	footer := m.footerLines(w)
	bodyH := m.bodyHeight(w)
	switch {
	case m.help.ShowAll:
		lines = append(lines, block(m.fullHelp(w), w, bodyH)...)
	case m.state == stateList:
		lines = append(lines, m.list.view(m.targets, m.st, m.spin.View(), w, bodyH)...)
	default:
		lines = append(lines, m.targetBody(w, bodyH)...)
	}
	for _, f := range footer {
		lines = append(lines, fit(f, w))
	}
	return strings.Join(lines, "\n")
}

// bodyHeight is the height between the two header lines and the footer.
func (m *Model) bodyHeight(w int) int {
	return max(m.height, 5) - 2 - max(1, len(m.statusLines(w)))
}

// maxStatusLines bounds the outcome of an action shown above the keys.
const maxStatusLines = 6

// footerLines is the footer: the keys or the prompt on one line, or the
// outcome of the last action (statusLines).
func (m *Model) footerLines(w int) []string {
	if l := m.statusLines(w); l != nil {
		return l
	}
	return []string{m.footer(w)}
}

// statusLines is the outcome of the last action wrapped over as many
// lines as it needs (at most maxStatusLines, the last cut with "…"), so
// that a reason such as why e wrote nothing is read whole, not cut at the
// screen's edge; nil when there is none to show.
func (m *Model) statusLines(w int) []string {
	if m.status == "" || m.prompt.active() {
		return nil
	}
	lines := wrap(m.status, w-2)
	for i := 1; i < len(lines); i++ {
		lines[i] = "  " + lines[i]
	}
	// At least one line of the body stays.
	if limit := max(1, min(maxStatusLines, max(m.height, 5)-3)); len(lines) > limit {
		lines = lines[:limit]
		lines[limit-1] = ansi.Truncate(lines[limit-1], w-1, "") + "…"
	}
	return lines
}

// fullHelp lists every key that acts where the help was opened, the
// groups of the key map in two rows so that it fits 80 columns.
func (m *Model) fullHelp(w int) []string {
	s := m.situation()
	s.help = false
	groups := m.keys.forSituation(s).FullHelp()
	out := []string{paneTitle(m.st, "Keys", w, true), ""}
	for _, row := range [][][]key.Binding{groups[:2], groups[2:]} {
		if v := m.help.FullHelpView(row); v != "" {
			out = append(out, indent(strings.Split(v, "\n"), "  ")...)
			out = append(out, "")
		}
	}
	return append(out, m.st.dim.Render("  ? or esc closes this help"))
}

// header is the verdict, what it amounts to and the target on the first
// line (the target's name gives way first when the width runs out), then
// the servername, policy and trust store.
func (m *Model) header(w int) []string {
	st := m.st
	if m.state == stateList || len(m.targets) == 0 {
		var tally Tally
		for _, t := range m.targets {
			if t.pending {
				tally.Add(nil)
			} else {
				tally.Add(t.report)
			}
		}
		first := st.title.Render("chainscope") + "  " + tally.text(st)
		if tally.Pending > 0 {
			first += "  " + st.pending.Render(m.spin.View())
		}
		return []string{first, m.names(nil, w)}
	}
	t := m.targets[m.cur]
	r := t.report
	name := Sanitize(t.name)
	var lead, tail string
	switch {
	case r == nil:
		lead = st.pending.Render(m.spin.View()) + "  "
		tail = "  " + st.pending.Render(ProgressText(t.progress))
	case r.Verdict == inspect.VerdictFail:
		lead = st.badge(r) + "  " + strings.TrimSuffix(strings.TrimPrefix(verdictText(r), "FAIL ("), ")") + st.dim.Render(" · ")
	case r.Verdict == inspect.VerdictPass:
		lead = st.badge(r) + "  " + statusCounts(r) + st.dim.Render(" · ")
	default:
		lead = st.badge(r) + "  " + st.fail.Render("could not inspect") + st.dim.Render(" · ")
	}
	if t.pending && r != nil {
		tail = "  " + st.pending.Render(m.spin.View()+" "+ProgressText(t.progress))
	}
	room := w - ansi.StringWidth(lead) - ansi.StringWidth(tail)
	if ansi.StringWidth(name) > room {
		name = truncateLeft(name, max(room, 8))
	}
	return []string{lead + st.title.Render(name) + tail, m.names(r, w)}
}

// truncateLeft keeps the end of s within w columns: "…out-of-order.pem".
func truncateLeft(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w {
		return s
	}
	return "…" + ansi.Cut(s, n-w+1, n)
}

// names is the second header line: servername, policy and trust store,
// from the report when there is one, else from the configuration.
func (m *Model) names(r *inspect.Report, w int) string {
	st := m.st
	policy, store, server, version := m.cfg.Policy, StoreLabel(m.cfg.Store), "", ""
	if r != nil {
		policy, server = r.Policy, Sanitize(r.ServerName)
		if r.ServerNameUnicode != "" {
			server += " (" + Sanitize(r.ServerNameUnicode) + ")"
		}
		if s := reportStore(r); s != "" {
			store = s
		}
		if r.TLS != nil && r.TLS.Version != "" {
			version = Sanitize(r.TLS.Version)
		}
	}
	first := [2]string{"servername ", server}
	switch {
	case server != "" && version != "":
		first[1] += st.dim.Render(" · ") + version
	case version != "":
		first = [2]string{"", version} // a client that sent no SNI: its version alone
	}
	line := func(labels bool, sep string) string {
		var parts []string
		for _, p := range [][2]string{first, {"policy ", Sanitize(policy)}, {"store ", store}} {
			if p[1] == "" {
				continue
			}
			if labels && p[0] != "" {
				p[1] = st.label.Render(p[0]) + p[1]
			}
			parts = append(parts, p[1])
		}
		return strings.Join(parts, st.dim.Render(sep))
	}
	// The labels give way first when the width runs out.
	if l := line(true, "  │  "); ansi.StringWidth(l) <= w {
		return l
	}
	return line(false, " │ ")
}

// footer is the prompt, the outcome of the last action, or the keys that
// act now: as many as fit, most useful first, and always "? help" and
// "q quit" at the end.
func (m *Model) footer(w int) string {
	switch {
	case m.prompt.active():
		line, _ := m.prompt.view(w)
		return line
	case m.status != "":
		return m.status
	}
	k := m.keys
	h := m.help
	h.SetWidth(0) // fitted here, keeping help and quit
	var always []key.Binding
	for _, b := range []key.Binding{k.Help, k.Quit} {
		if b.Enabled() {
			always = append(always, b)
		}
	}
	var shown []key.Binding
	for _, b := range k.shortHelp(m.situation().fixChain) {
		if !b.Enabled() {
			continue
		}
		try := append(append(append([]key.Binding(nil), shown...), b), always...)
		if ansi.StringWidth(h.ShortHelpView(try)) > w {
			break
		}
		shown = append(shown, b)
	}
	return h.ShortHelpView(append(shown, always...))
}

// geometry is the size of each pane of the open target.
type geometry struct {
	wide bool
	// below: the details go under the chain and the checks, across the
	// screen, and the checks stay closed (the details show the selected
	// one).
	below              bool
	leftW              int // wide: the chain and checks column
	chainH, checksH    int
	detailsW, detailsH int
}

// geometry lays the open target out. From wideWidth columns the details
// sit on the right, the chain over the checks on the left, the left
// column as wide as the tree (within bounds) and the chain as tall as it;
// when that leaves the details of a check (and its fix) narrower than
// roomyDetailsW and the chain and the checks leave minBelowH lines or
// more under them, the details go there, across the screen.
// Below, the panes stack: the chain on top and under it the checks with
// the selected one opened in place (checks focused), or the details of
// what is selected (chain or details focused); the chain gives way to
// what is focused.
func (m *Model) geometry() geometry {
	w := max(m.width, 20)
	bodyH := m.bodyHeight(w)
	t := m.targets[m.cur]
	r := t.report
	treeH := treeHeight(r) + 1
	checksWant := 2
	if r != nil && len(r.Checks) > 0 {
		checksWant = len(r.Checks) + 1
	}
	// Side by side when the tree fits beside a details pane of useful
	// width (or the screen is very wide); stacked otherwise, where the tree
	// gets the whole width.
	if w >= wideWidth && (w-t.treeW-1 >= minDetailsW || w >= 2*wideWidth-60) {
		leftW := max(min(max(t.treeW, checkIDWidth+42), w-minDetailsW-1), 40)
		chainH := max(min(treeH, bodyH-min(checksWant, bodyH/2)), min(3, bodyH))
		if w-leftW-1 < roomyDetailsW && m.details.kind == showSelection && m.subject == focusChecks {
			if rest := bodyH - treeH - checksWant; rest >= minBelowH {
				return geometry{below: true, leftW: w, chainH: treeH, checksH: checksWant, detailsW: w, detailsH: rest}
			}
		}
		return geometry{wide: true, leftW: leftW, chainH: chainH, checksH: bodyH - chainH,
			detailsW: w - leftW - 1, detailsH: bodyH}
	}
	g := geometry{detailsW: w}
	switch m.focus {
	case focusChecks:
		expanded := checksWant
		if c, ok := m.checks.selected(r); ok {
			expanded += len(checkDetailLines(c, m.st, w-4, m.fixHint(r, c)))
		}
		g.chainH = min(treeH, max(3, bodyH-expanded))
		g.checksH = bodyH - g.chainH
	case focusDetails:
		g.chainH = min(treeH, 3)
		g.detailsH = bodyH - g.chainH
	default:
		// The chain whole when it fits in half, then the checks, closed;
		// the details of the selected certificate get what is left when
		// that is a few lines (tab gives them the screen otherwise).
		g.chainH = min(treeH, max(3, bodyH/2))
		rest := bodyH - g.chainH
		g.checksH = rest
		if rest-checksWant >= 4 {
			g.checksH = checksWant
		}
		g.detailsH = rest - g.checksH
	}
	return g
}

// sideBySide reports whether the details show beside the lists or below
// them, so that the lists need not open the selected check in place.
func (g geometry) sideBySide() bool { return g.wide || g.below }

// targetBody draws the open target: its panes, the PEM view, the error
// screen, or the inspection in flight.
func (m *Model) targetBody(w, h int) []string {
	t := m.targets[m.cur]
	r := t.report
	switch {
	case r == nil:
		return block(m.pendingBody(t, w), w, h)
	case len(r.Chain) == 0 && r.Verdict == inspect.VerdictError:
		return block(m.errorBody(t, w), w, h)
	case m.pem.open:
		return m.pem.view(r, m.st, w, h)
	}
	g := m.geometry()
	colW := w
	if g.wide {
		colW = g.leftW
	}
	left := m.chain.view(r, &m.st, colW, g.chainH, m.focus == focusTree)
	checksMarked := m.focus == focusChecks || m.subject == focusChecks && m.details.kind == showSelection
	fixHint := ""
	if c, ok := m.checks.selected(r); ok {
		fixHint = m.fixHint(r, c)
	}
	left = append(left, m.checks.view(r, m.st, colW, g.checksH, m.focus == focusChecks, checksMarked, !g.sideBySide(), fixHint)...)
	details := m.details.view(m.st, g.detailsW, g.detailsH, m.focus == focusDetails)
	if g.wide {
		return block(beside(block(left, colW, h), details, m.st.dim.Render("│")), w, h)
	}
	return block(append(left, details...), w, h)
}

// pendingBody is the screen of a target whose first report is on its way.
func (m *Model) pendingBody(t target, w int) []string {
	lines := []string{"", "  " + m.st.pending.Render(m.spin.View()) + " " + m.st.title.Render("inspecting "+Sanitize(t.name))}
	for _, l := range wrap(ProgressText(t.progress), w-6) {
		lines = append(lines, "    "+m.st.pending.Render(l))
	}
	return lines
}

// errorBody is the screen of a target that could not be inspected: the
// error and what to try, large, without the checks that did not run.
func (m *Model) errorBody(t target, w int) []string {
	st := m.st
	r := t.report
	lines := []string{""}
	msg := r.Error
	if msg == "" {
		msg = "the inspection could not run"
	}
	for i, l := range sanitizeLines(msg) {
		for j, wl := range wrap(l, w-6) {
			lead := "    "
			if i == 0 && j == 0 {
				lead = "  " + st.fail.Render(statusSymbol(inspect.StatusFail)) + " "
			}
			lines = append(lines, lead+st.fail.Render(wl))
		}
	}
	for _, h := range t.hints {
		lines = append(lines, "")
		for i, wl := range wrap(Sanitize(h), w-10) {
			label := "          "
			if i == 0 {
				label = "    " + st.title.Render("hint:") + " "
			}
			lines = append(lines, label+wl)
		}
	}
	// The keys that act here: none of r and o for listen's clients.
	var keys []string
	if m.cfg.Feed == nil {
		keys = append(keys, "r inspects again", "o inspects another target")
	}
	if len(m.targets) > 1 || m.cfg.Feed != nil {
		keys = append(keys, "esc shows all targets")
	}
	return append(lines, "", "    "+st.dim.Render(strings.Join(keys, " · ")))
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
