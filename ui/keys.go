package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every key of the interface with its help label. Bindings
// that do nothing in the current state are disabled, which also hides them
// from the help.
type keyMap struct {
	Up, Down           key.Binding
	NextPane, PrevPane key.Binding
	PageUp, PageDown   key.Binding
	Open, Back         key.Binding
	NewTarget          key.Binding
	Reinspect          key.Binding
	Export, Copy       key.Binding
	PEM, TLS           key.Binding
	Help, Quit         key.Binding
	Submit, Cancel     key.Binding // in a prompt
	Interrupt          key.Binding // ctrl+c, which quits even in a prompt
	CloseHelp          key.Binding // esc, which closes the full help
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll details up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll details down")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "all targets")),
		NewTarget: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "inspect another target")),
		Reinspect: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "inspect again")),
		Export:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "write the chain to a file")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the PEM (OSC 52)")),
		PEM:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "PEM")),
		TLS:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "TLS")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c")),
		CloseHelp: key.NewBinding(key.WithKeys("esc")),
	}
}

// forState enables the bindings that act in the given state.
func (k keyMap) forState(s state, targets int, prompting bool) keyMap {
	inTarget := s == stateTarget
	for _, b := range []*key.Binding{&k.NextPane, &k.PrevPane, &k.PageUp, &k.PageDown, &k.Export, &k.Copy, &k.PEM, &k.TLS} {
		b.SetEnabled(inTarget && !prompting)
	}
	k.Open.SetEnabled(s == stateList && !prompting)
	k.Back.SetEnabled(inTarget && targets > 1 && !prompting)
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.NewTarget, &k.Reinspect, &k.Help, &k.Quit} {
		b.SetEnabled(!prompting)
	}
	k.Submit.SetEnabled(prompting)
	k.Cancel.SetEnabled(prompting)
	return k
}

// ShortHelp is the one-line help at the bottom of the screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Cancel, k.Up, k.Down, k.NextPane, k.Open, k.PEM, k.TLS, k.Back, k.Help, k.Quit}
}

// FullHelp is the help shown by "?", in four groups: moving, targets,
// the certificate, the program.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.NextPane, k.PrevPane, k.PageUp, k.PageDown},
		{k.Open, k.Back, k.NewTarget, k.Reinspect},
		{k.PEM, k.TLS, k.Copy, k.Export},
		{k.Help, k.Quit},
	}
}

// lineKeys are the editing keys of the prompt, the usual readline ones.
type lineKeys struct {
	Left, Right, Home, End       key.Binding
	Backspace, Delete            key.Binding
	KillStart, KillEnd, KillWord key.Binding
}

func defaultLineKeys() lineKeys {
	return lineKeys{
		Left:      key.NewBinding(key.WithKeys("left", "ctrl+b")),
		Right:     key.NewBinding(key.WithKeys("right", "ctrl+f")),
		Home:      key.NewBinding(key.WithKeys("home", "ctrl+a")),
		End:       key.NewBinding(key.WithKeys("end", "ctrl+e")),
		Backspace: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		Delete:    key.NewBinding(key.WithKeys("delete", "ctrl+d")),
		KillStart: key.NewBinding(key.WithKeys("ctrl+u")),
		KillEnd:   key.NewBinding(key.WithKeys("ctrl+k")),
		KillWord:  key.NewBinding(key.WithKeys("ctrl+w", "alt+backspace")),
	}
}
