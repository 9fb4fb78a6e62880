package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every key of the interface with its help label. Bindings
// that do nothing in the current situation are disabled, which also
// hides them from the footer and the help: no key is offered that does
// nothing.
type keyMap struct {
	Up, Down           key.Binding
	Move               key.Binding // Up and Down as one footer entry
	Left, Right        key.Binding // sideways in the PEM view
	NextPane, PrevPane key.Binding
	PageUp, PageDown   key.Binding
	Home, End          key.Binding
	Open, Back         key.Binding
	NewTarget          key.Binding
	Reinspect          key.Binding
	Export, Copy       key.Binding
	PEM, TLS, SANs     key.Binding
	FailuresFirst      key.Binding
	Help, Quit         key.Binding
	Submit, Cancel     key.Binding // in a prompt
	Interrupt          key.Binding // ctrl+c, which quits even in a prompt
	Close              key.Binding // esc, which closes the help or the PEM view
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Move:          key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "move")),
		Left:          key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "left")),
		Right:         key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "right")),
		NextPane:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		PageUp:        key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:      key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn", "page down")),
		Home:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		End:           key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Open:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "all targets")),
		NewTarget:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "inspect another target")),
		Reinspect:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "inspect again")),
		Export:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "write the chain to a file")),
		Copy:          key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy PEM")),
		PEM:           key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "PEM")),
		TLS:           key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "TLS")),
		SANs:          key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "all SANs")),
		FailuresFirst: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "failures first")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:          key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Submit:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Cancel:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Interrupt:     key.NewBinding(key.WithKeys("ctrl+c")),
		Close:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// situation is what the keys can act on now.
type situation struct {
	state     state
	targets   int
	prompting bool
	help      bool // the full help is open
	pem       bool // the PEM view is open
	sideways  bool // the PEM view is narrower than its lines
	pemScroll bool // the PEM view is shorter than its lines
	report    bool // the open target has a report with certificates
	failed    bool // the open target's report is an error (the error screen)
	tls       bool // the report has TLS facts
	hasPEM    bool // the selected certificate was presented, with its PEM
	sans      bool // the details show a certificate whose SANs are collapsed
	fixChain  bool // "e" writes a chain reordered to pass chain.order
	scroll    bool // the focused pane has more lines than it shows
	feed      bool // the targets come from Config.Feed: none is inspected here
	malformed bool // the open target cannot be parsed: "r" would fail the same way
}

// forSituation enables the bindings that act in s, and names "e" after
// what it does: writing the fixed chain when the order is wrong.
func (k keyMap) forSituation(s situation) keyMap {
	all := []*key.Binding{&k.Up, &k.Down, &k.Move, &k.Left, &k.Right, &k.NextPane, &k.PrevPane,
		&k.PageUp, &k.PageDown, &k.Home, &k.End, &k.Open, &k.Back, &k.NewTarget, &k.Reinspect,
		&k.Export, &k.Copy, &k.PEM, &k.TLS, &k.SANs, &k.FailuresFirst, &k.Help, &k.Quit,
		&k.Submit, &k.Cancel, &k.Close}
	for _, b := range all {
		b.SetEnabled(false)
	}
	on := func(bs ...*key.Binding) {
		for _, b := range bs {
			b.SetEnabled(true)
		}
	}
	switch {
	case s.prompting:
		on(&k.Submit, &k.Cancel)
		return k
	case s.help:
		on(&k.Help, &k.Quit, &k.Close)
		return k
	}
	on(&k.Help, &k.Quit)
	if !s.feed {
		on(&k.NewTarget)
	}
	switch {
	case s.state == stateList:
		if s.targets > 0 {
			on(&k.Up, &k.Down, &k.Move, &k.Open, &k.Home, &k.End)
		}
		if s.targets > 0 && !s.feed {
			on(&k.Reinspect)
		}
		if s.targets > 1 {
			on(&k.FailuresFirst)
		}
		return k
	case s.pem:
		on(&k.Close, &k.Copy)
		if s.pemScroll {
			on(&k.Up, &k.Down, &k.Move, &k.PageUp, &k.PageDown, &k.Home, &k.End)
		}
		if s.sideways {
			on(&k.Left, &k.Right)
		}
		return k
	}
	if !s.feed && !s.malformed {
		on(&k.Reinspect)
	}
	if s.targets > 1 || s.feed {
		on(&k.Back)
	}
	if !s.report {
		return k
	}
	on(&k.Up, &k.Down, &k.Move, &k.NextPane, &k.PrevPane, &k.Export)
	if s.scroll {
		on(&k.PageUp, &k.PageDown, &k.Home, &k.End)
	}
	if s.tls {
		on(&k.TLS)
	}
	if s.hasPEM {
		on(&k.PEM, &k.Copy)
	}
	if s.sans {
		on(&k.SANs)
	}
	if s.fixChain {
		k.Export.SetHelp("e", "write fixed chain")
	}
	return k
}

// shortHelp lists the footer's keys, most useful first; the footer drops
// them from the end when the width runs out, but always keeps help and
// quit (footer in view.go).
func (k keyMap) shortHelp(fixChain bool) []key.Binding {
	out := []key.Binding{k.Submit, k.Cancel}
	if fixChain {
		out = append(out, k.Export)
	}
	return append(out, k.Open, k.Move, k.Back, k.NextPane, k.Close, k.PEM, k.TLS, k.SANs, k.Left, k.Right,
		k.Copy, k.FailuresFirst, k.Reinspect, k.NewTarget)
}

// FullHelp is the help shown by "?", in four groups: moving, targets,
// the certificate, the program.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.NextPane, k.PrevPane, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.Back, k.NewTarget, k.Reinspect, k.FailuresFirst},
		{k.PEM, k.TLS, k.SANs, k.Copy, k.Export},
		{k.Help, k.Close, k.Quit},
	}
}
