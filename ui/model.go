package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"chainscope/inspect"
)

// state is what the screen shows.
type state int

const (
	stateList   state = iota // several targets: the list with their verdicts
	stateTarget              // one target open: chain, checks and details
)

// focus is the pane the arrow keys act on.
type focus int

const (
	focusTree focus = iota
	focusChecks
	focusDetails
	numFocus
)

// Model is the root model of the interface. It owns the window size, the
// targets and their inspections, and its children: the target list, the
// chain tree, the checks, the details, the PEM view, the prompt and the
// help. Use it through a pointer; [NewModel] returns one.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	cfg    Config

	width, height int
	sized         bool // the terminal's size is known: nothing is drawn before
	isDark        bool
	st            styles
	keys          keyMap
	help          help.Model
	spin          spinner.Model
	spinning      bool

	state   state
	targets []target
	cur     int // the open target
	nextID  int // the last request id handed out

	list    targetList
	focus   focus
	subject focus // the list pane the details follow: focusTree or focusChecks
	chain   chainPane
	checks  checksPane
	details detailsPane
	pem     pemView
	prompt  prompt
	status  string // the outcome of the last action, shown until the next key
}

// NewModel returns the root model for cfg. Its inspections start when the
// program calls Init; they run under ctx and are cancelled when the user
// quits.
func NewModel(ctx context.Context, cfg Config) *Model {
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{
		ctx:    ctx,
		cancel: cancel,
		cfg:    cfg,
		width:  80,
		height: 24,
		keys:   defaultKeyMap(),
		help:   help.New(),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		prompt: newPrompt(),
		chain:  chainPane{cache: &treeCache{}},
	}
	m.setStyles(true)
	m.list.empty = cfg.Waiting
	for _, t := range cfg.Targets {
		m.targets = append(m.targets, target{name: t})
	}
	if len(m.targets) == 1 {
		m.state = stateTarget
	}
	m.sync()
	return m
}

// Init starts the inspection of every target and asks the terminal for its
// background colour.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	for i := range m.targets {
		cmds = append(cmds, m.inspect(i))
	}
	if m.cfg.Feed != nil {
		cmds = append(cmds, waitFeed(m.ctx, m.cfg.Feed))
	}
	return tea.Batch(cmds...)
}

// Update handles resizes, keys and the results of inspections, then brings
// the children in line with the new state.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height, m.sized = msg.Width, msg.Height, true
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.MouseWheelMsg:
		m.wheel(msg)
	case spinner.TickMsg:
		cmd = m.tick(msg)
	case progressMsg, reportMsg, writtenMsg:
		cmd = m.handleResult(msg)
	case feedMsg:
		cmd = m.handleFeed(msg)
	default:
		if m.prompt.active() {
			cmd = m.prompt.update(msg) // pastes
		}
	}
	m.sync()
	return m, cmd
}

// setStyles rebuilds every style for a dark or light background. With
// Config.NoColor the model writes no escape sequence of its own at all;
// otherwise the program's colour-profile writer downgrades what the
// terminal cannot show.
func (m *Model) setStyles(isDark bool) {
	m.isDark = isDark
	m.st = newStyles(isDark, !m.cfg.NoColor)
	m.chain.cache = &treeCache{} // drawn with the old styles
	m.help.Styles = help.Styles{}
	if !m.cfg.NoColor {
		m.help.Styles = help.DefaultStyles(isDark)
	}
	m.spin.Style = m.st.pending
	m.prompt.setStyles(m.st, isDark, !m.cfg.NoColor)
}

// handleKey acts on a key press: global keys first, then the prompt, the
// help, the PEM view, the target list or the open target.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.status = ""
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt), key.Matches(msg, k.Quit):
		return m.quit()
	case m.prompt.active():
		return m.promptKey(msg)
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	case m.help.ShowAll:
		if key.Matches(msg, k.Close) {
			m.help.ShowAll = false
		}
		return nil
	case key.Matches(msg, k.NewTarget):
		return m.prompt.start(promptOpen, "inspect: ", "", "host:port, URL or file")
	case m.state == stateList:
		return m.listKey(msg)
	case m.pem.open:
		return m.pemKey(msg)
	}
	return m.targetKey(msg)
}

func (m *Model) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k, n := m.keys, len(m.targets)
	switch {
	case key.Matches(msg, k.Up):
		m.list = m.list.move(-1, n)
	case key.Matches(msg, k.Down):
		m.list = m.list.move(1, n)
	case key.Matches(msg, k.Home):
		m.list = m.list.move(-n, n)
	case key.Matches(msg, k.End):
		m.list = m.list.move(n, n)
	case key.Matches(msg, k.FailuresFirst):
		m.list = m.list.toggleFailuresFirst(m.targets)
	case key.Matches(msg, k.Open):
		m.open(m.list.target(m.targets))
	case key.Matches(msg, k.Reinspect):
		return m.inspect(m.list.target(m.targets))
	}
	return nil
}

func (m *Model) pemKey(msg tea.KeyPressMsg) tea.Cmd {
	k, r := m.keys, m.targets[m.cur].report
	switch {
	case key.Matches(msg, k.Close), msg.String() == "p":
		m.pem.open = false
	case key.Matches(msg, k.Up):
		m.pem.scroll(r, -1, 0)
	case key.Matches(msg, k.Down):
		m.pem.scroll(r, 1, 0)
	case key.Matches(msg, k.PageUp):
		m.pem.scroll(r, -m.pem.h, 0)
	case key.Matches(msg, k.PageDown):
		m.pem.scroll(r, m.pem.h, 0)
	case key.Matches(msg, k.Home):
		m.pem.scroll(r, -len(m.pem.lines(r)), 0)
	case key.Matches(msg, k.End):
		m.pem.scroll(r, len(m.pem.lines(r)), 0)
	case key.Matches(msg, k.Left):
		m.pem.scroll(r, 0, -8)
	case key.Matches(msg, k.Right):
		m.pem.scroll(r, 0, 8)
	case key.Matches(msg, k.Copy):
		return m.copyPEM(m.pem.pos)
	}
	return nil
}

func (m *Model) targetKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	r := m.targets[m.cur].report
	switch {
	case key.Matches(msg, k.Back):
		m.state = stateList
		m.list = m.list.selectTarget(m.targets, m.cur)
	case key.Matches(msg, k.NextPane):
		m.setFocus((m.focus + 1) % numFocus)
	case key.Matches(msg, k.PrevPane):
		m.setFocus((m.focus + numFocus - 1) % numFocus)
	case key.Matches(msg, k.PageUp):
		m.details.scroll(-max(1, m.details.h-1))
	case key.Matches(msg, k.PageDown):
		m.details.scroll(max(1, m.details.h-1))
	case key.Matches(msg, k.Home) && m.focus == focusDetails:
		m.details.scroll(-len(m.details.lines))
	case key.Matches(msg, k.End) && m.focus == focusDetails:
		m.details.scroll(len(m.details.lines))
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PEM):
		if n, ok := m.selectedNode(); ok && n.pos >= 0 {
			m.pem.show(n.pos)
		}
	case key.Matches(msg, k.TLS):
		if m.details.kind == showTLS {
			m.details.kind = showSelection
		} else {
			m.details.kind = showTLS
		}
		m.revealDetails()
	case key.Matches(msg, k.SANs):
		m.details.sans = true
	case key.Matches(msg, k.Copy):
		if n, ok := m.selectedNode(); ok {
			return m.copyPEM(n.pos)
		}
	case key.Matches(msg, k.Export):
		if r == nil || len(r.Chain) == 0 {
			return nil
		}
		_, _, order := chainPEM(r)
		return m.prompt.start(promptExport, "write chain to: ", exportName(r, order != ""), "file name")
	case key.Matches(msg, k.Reinspect):
		return m.inspect(m.cur)
	}
	return nil
}

// setFocus moves the focus; a list pane taking it becomes what the
// details follow.
func (m *Model) setFocus(f focus) {
	m.focus = f
	if f != focusDetails && m.subject != f {
		m.subject = f
		m.details.kind = showSelection
	}
}

// revealDetails focuses the details pane when the layout stacks the
// panes, so that what t asks for gets the screen.
func (m *Model) revealDetails() {
	if !m.geometry().sideBySide() {
		m.focus = focusDetails
	}
}

// move moves the selection of the focused pane, or scrolls the details.
func (m *Model) move(delta int) {
	r := m.targets[m.cur].report
	switch {
	case r == nil:
	case m.focus == focusTree:
		m.chain = m.chain.move(delta, len(chainNodes(r)))
		m.details.kind, m.details.sans = showSelection, false
	case m.focus == focusChecks:
		m.checks = m.checks.move(delta, len(r.Checks))
		m.details.kind = showSelection
	case m.focus == focusDetails:
		m.details.scroll(delta)
	}
}

// wheel scrolls what is under the pointer: the details, the PEM view or
// the list.
func (m *Model) wheel(msg tea.MouseWheelMsg) {
	delta := 3
	if msg.Button == tea.MouseWheelUp {
		delta = -3
	}
	switch {
	case m.help.ShowAll || m.prompt.active():
	case m.state == stateList:
		m.list = m.list.move(delta/3, len(m.targets))
	case m.pem.open:
		m.pem.scroll(m.targets[m.cur].report, delta, 0)
	default:
		m.details.scroll(delta)
	}
}

func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.prompt.stop()
		return nil
	case key.Matches(msg, m.keys.Submit):
		kind := m.prompt.kind
		v := strings.TrimSpace(m.prompt.stop())
		if v == "" {
			return nil
		}
		if kind == promptOpen {
			m.targets = append(m.targets, target{name: v})
			m.open(len(m.targets) - 1)
			return m.inspect(m.cur)
		}
		return m.export(v)
	}
	return m.prompt.update(msg)
}

// open shows one target. Its panes are placed when its report arrives
// (place).
func (m *Model) open(i int) {
	m.state, m.cur = stateTarget, i
	m.chain, m.checks = chainPane{cache: &treeCache{}}, checksPane{}
	m.details.kind, m.details.sans = showSelection, false
	m.pem.open = false
	m.place()
}

// place puts the selection where a newcomer needs it: on a failing
// report, the first failing check (else the first warning) is selected
// and focused, so that its fix is on the first screen; on a passing one,
// the leaf.
func (m *Model) place() {
	m.focus, m.subject = focusTree, focusTree
	r := m.targets[m.cur].report
	if r == nil {
		return
	}
	for _, s := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		for i, c := range r.Checks {
			if c.Status == s {
				m.focus, m.subject = focusChecks, focusChecks
				m.checks = m.checks.selectIndex(r, i)
				return
			}
		}
	}
}

// export writes the chain of the open target to a file.
func (m *Model) export(name string) tea.Cmd {
	r := m.targets[m.cur].report
	if r == nil {
		return nil
	}
	if m.cfg.FixChain != nil {
		return fixWriteCmd(m.ctx, m.cfg.FixChain, m.cfg.WriteFile, name, r)
	}
	data, n, order := chainPEM(r)
	return writeCmd(m.cfg.WriteFile, name, data, n, order)
}

// copyPEM puts the PEM of the certificate at position pos on the
// clipboard with OSC 52.
func (m *Model) copyPEM(pos int) tea.Cmd {
	r := m.targets[m.cur].report
	if r == nil || pos < 0 || pos >= len(r.Chain) || r.Chain[pos].PEM == "" {
		m.status = m.st.mark(inspect.StatusWarn) + " nothing to copy: the selected certificate was not presented"
		return nil
	}
	m.status = m.st.mark(inspect.StatusPass) + fmt.Sprintf(" copied the PEM of #%d to the clipboard (OSC 52)", pos)
	return tea.SetClipboard(r.Chain[pos].PEM)
}

// selectedNode is the selected node of the chain tree of the open target.
func (m *Model) selectedNode() (chainNode, bool) {
	if m.cur >= len(m.targets) || m.targets[m.cur].report == nil {
		return chainNode{}, false
	}
	nodes := chainNodes(m.targets[m.cur].report)
	if m.chain.sel >= len(nodes) {
		return chainNode{}, false
	}
	return nodes[m.chain.sel], true
}

// inspect starts (or restarts) the inspection of target i. A running one
// is cancelled; its late messages carry an old id and are dropped.
func (m *Model) inspect(i int) tea.Cmd {
	if i < 0 || i >= len(m.targets) {
		return nil
	}
	t := &m.targets[i]
	if t.cancel != nil {
		t.cancel()
	}
	m.nextID++
	ctx, cancel := context.WithCancel(m.ctx)
	t.id, t.cancel, t.pending, t.progress = m.nextID, cancel, true, inspect.Progress{Target: t.name}
	fn := m.cfg.Inspect
	if fn == nil {
		fn = noInspector
	}
	return tea.Batch(newJob(ctx, t.id).run(fn, t.name), m.startSpinner())
}

func noInspector(_ context.Context, target string, _ func(inspect.Progress)) (inspect.Report, error) {
	return failedReport(target, "inspect "+target+": no inspector configured"), nil
}

// handleResult takes in the messages of inspections and file writes.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case progressMsg:
		t := m.byID(msg.id)
		if t == nil || !t.pending {
			return nil // stale: stop listening to that job
		}
		t.progress = msg.progress
		return msg.job.wait
	case reportMsg:
		i := m.indexByID(msg.id)
		if i < 0 {
			return nil
		}
		t := &m.targets[i]
		first := t.report == nil
		r := msg.report
		t.report, t.hints, t.pending, t.treeW = &r, msg.hints, false, contentWidth(&r)
		t.malformed = msg.malformed
		if t.cancel != nil {
			t.cancel()
			t.cancel = nil
		}
		if i == m.cur && m.state == stateTarget && first {
			m.place()
		}
	case writtenMsg:
		if msg.err != nil {
			m.status = m.st.mark(inspect.StatusFail) + " " + Sanitize(msg.err.Error())
			return nil
		}
		m.status = m.st.mark(inspect.StatusPass) + fmt.Sprintf(" wrote %s to %s", plural(msg.count, "certificate"), Sanitize(msg.name))
		if msg.reordered != "" {
			m.status += ", in the order " + msg.reordered
		}
		if msg.sources != "" {
			m.status += ": " + Sanitize(msg.sources)
		}
	}
	return nil
}

// indexByID finds the target whose current inspection has the id, or -1.
func (m *Model) indexByID(id int) int {
	for i := range m.targets {
		if m.targets[i].id == id {
			return i
		}
	}
	return -1
}

// byID finds the target whose current inspection has the id.
func (m *Model) byID(id int) *target {
	if i := m.indexByID(id); i >= 0 {
		return &m.targets[i]
	}
	return nil
}

func (m *Model) anyPending() bool {
	for _, t := range m.targets {
		if t.pending {
			return true
		}
	}
	return false
}

// startSpinner starts the spinner unless it is already turning.
func (m *Model) startSpinner() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// tick turns the spinner while something is pending and lets it stop
// otherwise, so an idle interface schedules no timers.
func (m *Model) tick(msg spinner.TickMsg) tea.Cmd {
	if !m.anyPending() {
		m.spinning = false
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg)
	return cmd
}

// quit cancels every inspection in flight and ends the program.
func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

// sync brings the children in line with the state after an update: the
// selections within range, the details content for the current layout and
// the keys that act now.
func (m *Model) sync() {
	m.help.SetWidth(m.width)
	m.list = m.list.move(0, len(m.targets))
	if m.state == stateTarget && m.cur < len(m.targets) {
		if r := m.targets[m.cur].report; r != nil {
			m.chain = m.chain.move(0, len(chainNodes(r)))
			m.checks = m.checks.move(0, len(r.Checks))
		}
		g := m.geometry()
		key, title, lines := m.detailsContent(g.detailsW)
		m.details.setContent(key, title, lines, max(0, g.detailsH-1))
	}
	m.keys = m.keys.forSituation(m.situation())
}

// situation says what the keys can act on now.
func (m *Model) situation() situation {
	s := situation{state: m.state, targets: len(m.targets), prompting: m.prompt.active(), help: m.help.ShowAll, feed: m.cfg.Feed != nil}
	if m.state != stateTarget || m.cur >= len(m.targets) {
		return s
	}
	r := m.targets[m.cur].report
	if r == nil {
		return s
	}
	if m.pem.open {
		w := max(m.width, 20)
		m.pem.layout(r, w, m.bodyHeight(w))
		s.pem, s.sideways, s.pemScroll = true, m.pem.sideways(), m.pem.scrolls(r)
	}
	s.failed = r.Verdict == inspect.VerdictError && len(r.Chain) == 0
	s.malformed = m.targets[m.cur].malformed
	s.report = len(r.Chain) > 0
	s.tls = r.TLS != nil && s.report
	if n, ok := m.selectedNode(); ok && n.pos >= 0 && r.Chain[n.pos].PEM != "" {
		s.hasPEM = true
		s.sans = m.showsCert() && !m.details.sans && sanCount(r.Chain[n.pos]) > maxSANsShown+1
	}
	_, _, order := chainPEM(r)
	s.fixChain = order != ""
	s.scroll = m.geometry().detailsH > 0 && m.details.overflows()
	return s
}

// showsCert reports whether the details show the selected certificate.
func (m *Model) showsCert() bool {
	return m.details.kind == showSelection && m.subject == focusTree
}

// fixHint says what "e" does for the failing check c, when it fixes it.
func (m *Model) fixHint(r *inspect.Report, c inspect.Check) string {
	if c.ID != inspect.CheckOrder || c.Status == inspect.StatusPass {
		return ""
	}
	if _, _, order := chainPEM(r); order != "" {
		return "e writes the chain in this order: " + order
	}
	return ""
}

// detailsContent is what the details pane shows now, with a key that
// changes when its subject does.
func (m *Model) detailsContent(w int) (key, title string, lines []string) {
	t := m.targets[m.cur]
	r := t.report
	switch {
	case r == nil:
		return "waiting", "Details", []string{m.st.pending.Render("inspecting " + Sanitize(t.name) + ": " + ProgressText(t.progress))}
	case len(r.Chain) == 0:
		return fmt.Sprintf("%d/none", t.id), "Details", nil
	case m.details.kind == showTLS:
		return fmt.Sprintf("%d/tls", t.id), "TLS", tlsDetails(r, m.st, w)
	case m.subject == focusChecks && m.checks.sel < len(r.Checks):
		c, _ := m.checks.selected(r)
		title, lines = checkDetails(c, m.st, m.fixHint(r, c), w)
		return fmt.Sprintf("%d/check/%d", t.id, m.checks.sel), title, lines
	}
	n, ok := m.selectedNode()
	if !ok {
		return "none", "Details", nil
	}
	title, lines = nodeDetails(r, m.st, n, m.details.sans, w)
	return fmt.Sprintf("%d/node/%d", t.id, m.chain.sel), title, lines
}
