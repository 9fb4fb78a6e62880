package ui

import (
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// promptKind says what a prompt asks for.
type promptKind int

const (
	promptNone   promptKind = iota
	promptOpen              // a new target to inspect
	promptExport            // the file to write the chain to
)

// prompt is the one-line text input at the bottom of the screen. It is a
// small line editor rather than bubbles' textinput, which would pull in a
// system-clipboard package this module does not carry; pasting works
// through the terminal's bracketed paste.
type prompt struct {
	kind  promptKind
	label string
	value []rune
	pos   int // cursor, in runes
}

func (p prompt) active() bool { return p.kind != promptNone }

// start asks a question with a proposed answer, the cursor at its end.
func (p *prompt) start(kind promptKind, label, value string) tea.Cmd {
	p.kind, p.label = kind, label
	p.value = []rune(value)
	p.pos = len(p.value)
	return nil
}

// stop closes the prompt and returns what was typed.
func (p *prompt) stop() string {
	v := string(p.value)
	*p = prompt{}
	return v
}

// update edits the line: printable keys insert, and the usual readline
// keys move and delete.
func (p *prompt) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		p.insert(msg.Content)
	case tea.KeyPressMsg:
		k := defaultLineKeys()
		switch {
		case key.Matches(msg, k.Left):
			p.pos = max(0, p.pos-1)
		case key.Matches(msg, k.Right):
			p.pos = min(len(p.value), p.pos+1)
		case key.Matches(msg, k.Home):
			p.pos = 0
		case key.Matches(msg, k.End):
			p.pos = len(p.value)
		case key.Matches(msg, k.Backspace):
			if p.pos > 0 {
				p.value = append(p.value[:p.pos-1], p.value[p.pos:]...)
				p.pos--
			}
		case key.Matches(msg, k.Delete):
			if p.pos < len(p.value) {
				p.value = append(p.value[:p.pos], p.value[p.pos+1:]...)
			}
		case key.Matches(msg, k.KillStart):
			p.value, p.pos = p.value[p.pos:], 0
		case key.Matches(msg, k.KillEnd):
			p.value = p.value[:p.pos]
		case key.Matches(msg, k.KillWord):
			i := p.pos
			for i > 0 && p.value[i-1] == ' ' {
				i--
			}
			for i > 0 && p.value[i-1] != ' ' {
				i--
			}
			p.value = append(p.value[:i], p.value[p.pos:]...)
			p.pos = i
		case msg.Mod&^tea.ModShift == 0:
			p.insert(msg.Text)
		}
	}
	return nil
}

// insert adds text at the cursor, leaving out control characters (a
// pasted newline included).
func (p *prompt) insert(s string) {
	var rs []rune
	for _, r := range s {
		if !mustEscape(r) && unicode.IsPrint(r) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 || len(p.value)+len(rs) > 4096 {
		return
	}
	p.value = append(p.value[:p.pos], append(rs, p.value[p.pos:]...)...)
	p.pos += len(rs)
}

// view is the prompt line fitted to w columns, scrolled so the cursor is
// visible, and the column of the cursor.
func (p prompt) view(st styles, w int) (string, int) {
	label := st.title.Render(p.label)
	room := max(1, w-ansi.StringWidth(p.label)-1)
	from := max(0, p.pos-room+1)
	to := min(len(p.value), from+room)
	shown := string(p.value[from:to])
	return label + shown, ansi.StringWidth(p.label) + ansi.StringWidth(string(p.value[from:p.pos]))
}
