package ui

import (
	"charm.land/bubbles/v2/textinput"
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

// maxPromptLen bounds what may be typed or pasted into a prompt.
const maxPromptLen = 4096

// prompt is the one-line question at the bottom of the screen: bubbles'
// textinput, with the terminal's real cursor and the usual readline keys.
//
// textinput reads the system clipboard on ctrl+v through
// github.com/atotto/clipboard, which runs xclip, xsel or wl-paste. That
// binding is disabled: pasting goes through the terminal's own bracketed
// paste, which works over SSH too and runs nothing. The package's init
// looks those programs up on PATH (a handful of stat calls), which the
// first-frame benchmark includes.
type prompt struct {
	kind  promptKind
	input textinput.Model
}

func newPrompt() prompt {
	in := textinput.New()
	in.CharLimit = maxPromptLen
	in.SetVirtualCursor(false)
	in.KeyMap.Paste.SetEnabled(false)
	return prompt{input: in}
}

func (p prompt) active() bool { return p.kind != promptNone }

// start asks a question: label is the prompt ("inspect: "), value a
// proposed answer with the cursor at its end, placeholder what shows
// while the line is empty.
func (p *prompt) start(kind promptKind, label, value, placeholder string) tea.Cmd {
	p.kind = kind
	p.input.Prompt = label
	p.input.Placeholder = placeholder
	p.input.SetValue(value)
	p.input.CursorEnd()
	return p.input.Focus()
}

// stop closes the prompt and returns what was typed.
func (p *prompt) stop() string {
	v := p.input.Value()
	p.kind = promptNone
	p.input.Reset()
	p.input.Blur()
	return v
}

// update edits the line.
func (p *prompt) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// setStyles styles the prompt for the background, or plainly without
// colour.
func (p *prompt) setStyles(st styles, isDark, colour bool) {
	s := textinput.DefaultStyles(isDark)
	if !colour {
		s = textinput.Styles{Cursor: s.Cursor}
	}
	s.Focused.Prompt = st.title
	p.input.SetStyles(s)
}

// view is the prompt line fitted to w columns and the column of the
// cursor.
func (p *prompt) view(w int) (string, int) {
	p.input.SetWidth(max(1, w-ansi.StringWidth(p.input.Prompt)-1))
	x := 0
	if c := p.input.Cursor(); c != nil {
		x = c.Position.X
	}
	return p.input.View(), x
}
