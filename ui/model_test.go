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
		Targets: targets, Policy: "pagerduty", Store: inspect.StoreInfo{Name: "mozilla", Date: "2026-10-30", Roots: 117},
		Inspect: func(context.Context, string, func(inspect.Progress)) (inspect.Report, error) {
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
	setup func(tb testing.TB, m *Model)
	// targets are the command-line targets; one by default.
	targets []string
}

// deliverFixture hands target i the engine's report on fixture name, with
// the hints for its error, as the inspection would.
func deliverFixture(tb testing.TB, m *Model, i int, name string) {
	var hints []string
	if err := fixtureErr(tb, name); err != nil {
		hints = Hints(err)
	}
	m.Update(reportMsg{id: m.targets[i].id, report: *fixture(tb, name), hints: hints})
}

// one opens a single fixture target and applies keys.
func one(name string, keys ...string) scenario {
	return scenario{targets: []string{name}, setup: func(tb testing.TB, m *Model) {
		deliverFixture(tb, m, 0, name)
		press(m, keys...)
	}}
}

// named gives a scenario its name.
func named(name string, sc scenario) scenario {
	sc.name = name
	return sc
}

var (
	bingOutOfOrder = "testdata/real-bing.com-2026-out-of-order.pem"
	bingMissing    = "testdata/real-bing.com-2026-missing-intermediate.pem"
)

// tenTargetsScenario is the list of ten targets, every report in, the
// second one selected.
func tenTargetsScenario(keys ...string) scenario {
	return scenario{targets: tenTargets, setup: func(tb testing.TB, m *Model) {
		for i, name := range tenTargets {
			deliverFixture(tb, m, i, name)
		}
		press(m, append([]string{"down"}, keys...)...)
	}}
}

// firstFrames are the first screen of each kind of target, at every size
// the issue names.
var firstFrames = []scenario{
	named("pass", one(targetPass)),
	named("out-of-order", one(bingOutOfOrder)),
	named("missing-intermediate", one(bingMissing)),
	named("mtls", one(targetMTLS)),
	named("error", one(targetDown)),
	named("ten-targets", tenTargetsScenario()),
}

// interactions are screens after keys, at 80×24 and 120×40.
var interactions = []scenario{
	named("pending", scenario{setup: func(tb testing.TB, m *Model) {
		m.Update(progressMsg{id: m.targets[0].id, progress: inspect.Progress{Step: "handshakes", Done: 2, Total: 5}, job: newJob(m.ctx, 0)})
	}}),
	named("ten-targets-failures-first", tenTargetsScenario("f")),
	named("ten-targets-open", tenTargetsScenario("enter")),
	named("help", one(bingOutOfOrder, "?")),
	named("check-details", one(bingOutOfOrder, "tab")),
	named("chain", one(bingOutOfOrder, "shift+tab")),
	named("chain-sans", one(bingOutOfOrder, "shift+tab", "s")),
	named("chain-store-root", one(bingOutOfOrder, "shift+tab", "j", "j", "j")),
	named("missing-issuer", one(bingMissing, "shift+tab", "j", "j")),
	named("details-scrolled", one(bingOutOfOrder, "shift+tab", "shift+tab", "pgdown")),
	named("checks-next", one(targetMTLS, "j")),
	named("pem", one(bingOutOfOrder, "p")),
	named("pem-sideways", one(bingOutOfOrder, "p", "right", "pgdown")),
	named("tls", one(targetMTLS, "t")),
	named("export-prompt", one(bingOutOfOrder, "e")),
	named("open-prompt", one(bingOutOfOrder, "o")),
}

// TestViewGolden compares each screen, without escape sequences, with its
// golden file: the first frames at 60×20, 80×24, 120×40 and 200×50, the
// interactions at 80×24 and 120×40.
func TestViewGolden(t *testing.T) {
	t.Parallel()
	type job struct {
		sc   scenario
		size [2]int
	}
	var jobs []job
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}, {200, 50}} {
		for _, sc := range firstFrames {
			jobs = append(jobs, job{sc, size})
		}
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range interactions {
			jobs = append(jobs, job{sc, size})
		}
	}
	for _, j := range jobs {
		name := fmt.Sprintf("tui-%s-%dx%d", j.sc.name, j.size[0], j.size[1])
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := newScenarioModel(t, j.sc, j.size[0], j.size[1])
			got := frame(m)
			if n := strings.Count(got, "\n") + 1; n != j.size[1] {
				t.Errorf("View() has %d lines, want %d", n, j.size[1])
			}
			for i, l := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(l); w > j.size[0] {
					t.Errorf("View() line %d is %d columns wide, want at most %d", i+1, w, j.size[0])
				}
			}
			golden(t, name, []byte(got))
		})
	}
}

// newScenarioModel is a model of the scenario's targets at w×h, set up.
func newScenarioModel(tb testing.TB, sc scenario, w, h int) *Model {
	targets := sc.targets
	if targets == nil {
		targets = []string{targetPass}
	}
	m := newTestModel(tb, w, h, targets...)
	sc.setup(tb, m)
	return m
}

// TestFixReadsInAFewLines: on the first frame of a failing chain the fix
// is whole on screen, in the largest free area: at 120×40 and 200×50 in a
// few lines across the screen, never broken inside the path, the flag or
// the URL it names; at 80×24 and 60×20 whole as well.
func TestFixReadsInAFewLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target   string
		w, h     int
		maxLines int
		whole    []string
	}{
		{bingOutOfOrder, 120, 40, 5, []string{"../testdata/real-bing.com-2026-out-of-order.pem", "--fix-chain"}},
		{bingOutOfOrder, 200, 50, 5, []string{"../testdata/real-bing.com-2026-out-of-order.pem", "--fix-chain"}},
		{bingOutOfOrder, 80, 24, 8, []string{"../testdata/real-bing.com-2026-out-of-order.pem", "--fix-chain"}},
		{bingOutOfOrder, 60, 20, 12, []string{"../testdata/real-bing.com-2026-out-of-order.pem", "--fix-chain"}},
		{targetMTLS, 120, 40, 6, []string{"https://cacerts.digicert.com/DigiCertGlobalRootG2.crt.pem", "/path/to/client-ca.pem"}},
		{bingMissing, 120, 40, 7, []string{"--intermediates"}},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %dx%d", tt.target, tt.w, tt.h)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := newScenarioModel(t, one(tt.target), tt.w, tt.h)
			lines := strings.Split(frame(m), "\n")
			// The fix's column, beside the tree or across the screen; its
			// lines are the "fix:" one and those hanging under it.
			first, col := -1, 0
			for i, l := range lines {
				if j := strings.Index(l, "fix: "); j >= 0 {
					first, col = i, len([]rune(l[:j]))
					break
				}
			}
			if first < 0 {
				t.Fatalf("no fix on the first frame:\n%s", strings.Join(lines, "\n"))
			}
			pane := func(i int) string {
				r := []rune(lines[i])
				return strings.TrimRight(string(r[min(col, len(r)):]), " ")
			}
			last := first
			for last+1 < len(lines) && strings.HasPrefix(pane(last+1), "     ") && strings.TrimSpace(pane(last+1)) != "" && !strings.Contains(pane(last+1), "↓") {
				last++
			}
			var fix []string
			for i := first; i <= last; i++ {
				fix = append(fix, pane(i))
			}
			if len(fix) > tt.maxLines {
				t.Errorf("the fix takes %d lines, want at most %d:\n%s", len(fix), tt.maxLines, strings.Join(fix, "\n"))
			}
			if last+1 < len(lines) && strings.Contains(pane(last+1), "↓") {
				t.Errorf("the fix goes on below the screen:\n%s", strings.Join(lines, "\n"))
			}
			joined, flat := strings.Join(fix, "\n"), ""
			for _, l := range fix {
				flat += strings.TrimSpace(l)
			}
			for _, w := range tt.whole {
				if strings.Contains(flat, w) && !strings.Contains(joined, w) {
					t.Errorf("%q is broken across lines:\n%s", w, joined)
				}
			}
		})
	}
}
