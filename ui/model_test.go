package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// newTestModel is a model for targets, sized w×h, whose inspections are
// started (ids handed out) but never run: tests deliver the reports.
func newTestModel(tb testing.TB, w, h int, targets ...string) *Model {
	tb.Helper()
	m := NewModel(context.Background(), Config{
		Targets: targets, Policy: "pagerduty", Store: "mozilla",
		Inspect: func(context.Context, string, func(inspect.Progress)) inspect.Report {
			panic("the synchronous tests deliver reports themselves")
		},
	})
	tb.Cleanup(m.cancel)
	_ = m.Init()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// deliver hands target i its report, as the inspection would.
func deliver(m *Model, i int, r *inspect.Report) tea.Cmd {
	_, cmd := m.Update(reportMsg{id: m.targets[i].id, report: *r})
	return cmd
}

// keyMsg is the key press that key.Matches sees as s.
func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends key presses and returns the command of the last one.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

// typeText types text into a prompt.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// frame is the screen as text, without escape sequences.
func frame(m *Model) string {
	return ansi.Strip(m.View().Content)
}

type scenario struct {
	name  string
	setup func(m *Model)
	// targets are the command-line targets; one by default.
	targets []string
}

var scenarios = []scenario{
	{name: "pass", setup: func(m *Model) { deliver(m, 0, passingReport()) }},
	{name: "out-of-order", targets: []string{"chain-out-of-order.pem"}, setup: func(m *Model) { deliver(m, 0, outOfOrderReport()) }},
	{name: "missing-intermediate", setup: func(m *Model) { deliver(m, 0, missingIntermediateReport()) }},
	{name: "error", targets: []string{"down.example.com:443"}, setup: func(m *Model) { deliver(m, 0, errorReport()) }},
	{name: "pending", setup: func(m *Model) {
		m.Update(progressMsg{id: m.targets[0].id, progress: inspect.Progress{Step: "cipher suites", Done: 12, Total: 37}, job: newJob(m.ctx, 0)})
	}},
	{name: "list", targets: []string{"hooks.example.com:443", "chain-out-of-order.pem", "down.example.com:443", "mtls.example.net:8443", "slow.example.org"},
		setup: func(m *Model) {
			deliver(m, 0, passingReport())
			deliver(m, 1, outOfOrderReport())
			deliver(m, 2, errorReport())
			deliver(m, 3, mtlsReport())
			m.Update(progressMsg{id: m.targets[4].id, progress: inspect.Progress{Step: "versions", Done: 2, Total: 4}, job: newJob(m.ctx, 0)})
			press(m, "down")
		}},
	{name: "list-open", targets: []string{"hooks.example.com:443", "chain-out-of-order.pem"},
		setup: func(m *Model) {
			deliver(m, 0, passingReport())
			deliver(m, 1, outOfOrderReport())
			press(m, "down", "enter")
		}},
	{name: "help", setup: func(m *Model) {
		deliver(m, 0, passingReport())
		press(m, "?")
	}},
	{name: "navigate", setup: func(m *Model) {
		deliver(m, 0, outOfOrderReport())
		press(m, "j", "j")
	}},
	{name: "navigate-store-root", setup: func(m *Model) {
		deliver(m, 0, passingReport())
		press(m, "down", "down", "down")
	}},
	{name: "checks", setup: func(m *Model) {
		deliver(m, 0, outOfOrderReport())
		press(m, "tab", "j", "j")
	}},
	{name: "details", targets: []string{"mtls.example.net:8443"}, setup: func(m *Model) {
		deliver(m, 0, mtlsReport())
		press(m, "tab", "tab")
	}},
	{name: "pem", setup: func(m *Model) {
		deliver(m, 0, passingReport())
		press(m, "j", "p")
	}},
	{name: "tls", targets: []string{"mtls.example.net:8443"}, setup: func(m *Model) {
		deliver(m, 0, mtlsReport())
		press(m, "t", "tab", "tab")
	}},
	{name: "export-prompt", setup: func(m *Model) {
		deliver(m, 0, outOfOrderReport())
		press(m, "e")
	}},
}

// TestViewGolden compares each scenario's screen, without escape
// sequences, with its golden file at 80×24 and 120×40.
func TestViewGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range scenarios {
			name := fmt.Sprintf("tui-%s-%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				targets := sc.targets
				if targets == nil {
					targets = []string{"hooks.example.com:443"}
				}
				m := newTestModel(t, size[0], size[1], targets...)
				sc.setup(m)
				got := frame(m)
				if n := strings.Count(got, "\n") + 1; n != size[1] {
					t.Errorf("View() has %d lines, want %d", n, size[1])
				}
				for i, l := range strings.Split(got, "\n") {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("View() line %d is %d columns wide, want at most %d", i+1, w, size[0])
					}
				}
				golden(t, name, []byte(got))
			})
		}
	}
}
