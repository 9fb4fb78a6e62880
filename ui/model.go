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
// chain tree, the checks, the details viewport, the prompt and the help.
// Use it through a pointer; [NewModel] returns one.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	cfg    Config

	width, height int
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
	chain   chainPane
	checks  checksPane
	details detailsPane
	prompt  prompt
	status  string // the outcome of the last action, shown until the next key
}

// NewModel returns the root model for cfg. Its inspections start when the
// program calls Init; they run under ctx and are cancelled when the user
// quits.
func NewModel(ctx context.Context, cfg Config) *Model {
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{
		ctx:     ctx,
		cancel:  cancel,
		cfg:     cfg,
		width:   80,
		height:  24,
		keys:    defaultKeyMap(),
		help:    help.New(),
		spin:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		details: newDetailsPane(),
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
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.MouseWheelMsg:
		if m.state == stateTarget && !m.help.ShowAll {
			m.details.vp, cmd = m.details.vp.Update(msg)
		}
	case spinner.TickMsg:
		cmd = m.tick(msg)
	case progressMsg, reportMsg, writtenMsg:
		cmd = m.handleResult(msg)
	case feedMsg:
		cmd = m.handleFeed(msg)
	default:
		if m.prompt.active() {
			cmd = m.prompt.update(msg) // cursor blinks, pastes
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
	m.help.Styles = help.Styles{}
	if !m.cfg.NoColor {
		m.help.Styles = help.DefaultStyles(isDark)
	}
	m.spin.Style = m.st.pending
}

// handleKey acts on a key press: global keys first, then the prompt, the
// help, the target list or the open target.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.status = ""
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.quit()
	case m.prompt.active():
		return m.promptKey(msg)
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	case m.help.ShowAll:
		if key.Matches(msg, k.CloseHelp) {
			m.help.ShowAll = false
		}
		return nil
	case key.Matches(msg, k.NewTarget):
		return m.prompt.start(promptOpen, "inspect: ", "")
	case m.state == stateList:
		return m.listKey(msg)
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
	case key.Matches(msg, k.Open) && n > 0:
		m.open(m.list.sel)
	case key.Matches(msg, k.Reinspect) && n > 0:
		return m.inspect(m.list.sel)
	}
	return nil
}

func (m *Model) targetKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	r := m.targets[m.cur].report
	switch {
	case key.Matches(msg, k.Back):
		m.state, m.list.sel = stateList, m.cur
	case key.Matches(msg, k.NextPane):
		m.focus = (m.focus + 1) % numFocus
	case key.Matches(msg, k.PrevPane):
		m.focus = (m.focus + numFocus - 1) % numFocus
	case key.Matches(msg, k.PageUp):
		m.details.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		m.details.vp.PageDown()
	case key.Matches(msg, k.Up, k.Down):
		delta := 1
		if key.Matches(msg, k.Up) {
			delta = -1
		}
		m.move(delta)
	case key.Matches(msg, k.PEM):
		m.details.pem = !m.details.pem
		m.details.kind = showNode
		m.revealDetails()
	case key.Matches(msg, k.TLS):
		if m.details.kind == showTLS {
			m.details.kind = showNode
		} else {
			m.details.kind = showTLS
		}
		m.revealDetails()
	case key.Matches(msg, k.Copy):
		return m.copyPEM()
	case key.Matches(msg, k.Export):
		if r == nil || len(r.Chain) == 0 {
			m.status = m.st.mark(inspect.StatusWarn) + " no certificates to write yet"
			return nil
		}
		_, _, order := chainPEM(r)
		return m.prompt.start(promptExport, "write chain to: ", exportName(r, order != ""))
	case key.Matches(msg, k.Reinspect):
		return m.inspect(m.cur)
	case m.focus == focusDetails:
		var cmd tea.Cmd
		m.details.vp, cmd = m.details.vp.Update(msg) // the viewport's own keys
		return cmd
	}
	return nil
}

// revealDetails focuses the details pane when the layout hides it, so
// that what p and t ask for is on the screen.
func (m *Model) revealDetails() {
	if m.geometry().detailsH == 0 {
		m.focus = focusDetails
	}
}

// move moves the selection of the focused pane.
func (m *Model) move(delta int) {
	r := m.targets[m.cur].report
	switch m.focus {
	case focusTree:
		if r != nil {
			m.chain = m.chain.move(delta, len(chainNodes(r)))
			m.details.kind = showNode
		}
	case focusChecks:
		if r != nil {
			m.checks = m.checks.move(delta, len(r.Checks))
		}
	case focusDetails:
		if delta < 0 {
			m.details.vp.ScrollUp(1)
		} else {
			m.details.vp.ScrollDown(1)
		}
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

// open shows one target.
func (m *Model) open(i int) {
	m.state, m.cur = stateTarget, i
	m.focus = focusTree
	m.chain, m.checks = chainPane{}, checksPane{}
	m.details.kind, m.details.pem = showNode, false
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

// copyPEM puts the selected certificate on the clipboard with OSC 52.
func (m *Model) copyPEM() tea.Cmd {
	r := m.targets[m.cur].report
	n, ok := m.selectedNode()
	if !ok || n.pos < 0 || r.Chain[n.pos].PEM == "" {
		m.status = m.st.mark(inspect.StatusWarn) + " nothing to copy: the selected certificate was not presented"
		return nil
	}
	m.status = m.st.mark(inspect.StatusPass) + fmt.Sprintf(" copied the PEM of #%d to the clipboard (OSC 52)", n.pos)
	return tea.SetClipboard(r.Chain[n.pos].PEM)
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

func noInspector(_ context.Context, target string, _ func(inspect.Progress)) inspect.Report {
	return failedReport(target, "inspect "+target+": no inspector configured")
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
		t := m.byID(msg.id)
		if t == nil {
			return nil
		}
		r := msg.report
		t.report, t.pending, t.treeW = &r, false, contentWidth(&r)
		if t.cancel != nil {
			t.cancel()
			t.cancel = nil
		}
	case writtenMsg:
		if msg.err != nil {
			m.status = m.st.mark(inspect.StatusFail) + " " + Sanitize(msg.err.Error())
			return nil
		}
		m.status = m.st.mark(inspect.StatusPass) + fmt.Sprintf(" wrote %s to %s", plural(msg.count, "certificate"), Sanitize(msg.name))
		if msg.reordered != "" {
			m.status += ", reordered along the trust path: " + msg.reordered
		}
		if msg.sources != "" {
			m.status += ": " + Sanitize(msg.sources)
		}
	}
	return nil
}

// byID finds the target whose current inspection has the id.
func (m *Model) byID(id int) *target {
	for i := range m.targets {
		if m.targets[i].id == id {
			return &m.targets[i]
		}
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
// enabled keys, the selections within range and the details content and
// size for the current layout.
func (m *Model) sync() {
	m.keys = m.keys.forState(m.state, len(m.targets), m.prompt.active())
	if m.cfg.Feed != nil {
		m.keys = m.keys.feedKeys(m.state, m.prompt.active())
	}
	m.help.SetWidth(m.width)
	m.list = m.list.move(0, len(m.targets))
	if m.state != stateTarget || m.cur >= len(m.targets) {
		return
	}
	t := m.targets[m.cur]
	if r := t.report; r != nil {
		m.chain = m.chain.move(0, len(chainNodes(r)))
		m.checks = m.checks.move(0, len(r.Checks))
	}
	g := m.geometry()
	m.details.vp.SetWidth(g.detailsW)
	m.details.vp.SetHeight(max(0, g.detailsH-1))
	key, title, lines := m.detailsContent(g.detailsW)
	m.details.title = title
	m.details.setContent(key, lines)
}

// detailsContent is what the details pane shows now, with a key that
// changes when its subject does.
func (m *Model) detailsContent(w int) (key, title string, lines []string) {
	t := m.targets[m.cur]
	r := t.report
	switch {
	case r == nil:
		return "waiting", "Details", []string{m.st.pending.Render("inspecting " + Sanitize(t.name) + ": " + progressText(t.progress))}
	case m.details.kind == showTLS:
		return fmt.Sprintf("%d/tls", t.id), "TLS", tlsDetails(r, m.st, w)
	case len(r.Chain) == 0:
		return fmt.Sprintf("%d/error", t.id), "Details", errorDetails(r, m.st, w)
	}
	n, ok := m.selectedNode()
	if !ok {
		return "none", "Details", nil
	}
	title, lines = nodeDetails(r, m.st, n, m.details.pem, w)
	return fmt.Sprintf("%d/%d/%v", t.id, m.chain.sel, m.details.pem), title, lines
}
