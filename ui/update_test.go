package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"sync"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
	"chainscope/inspect/trust"
)

// run executes a command and the commands it batches, feeding every
// message back into the model, until nothing is left. A spinner tick is
// fed but what it returns is not followed: the next tick waits for a timer.
// It returns the messages fed, spinner ticks and batches left out.
func run(m *Model, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg:
			m.Update(msg)
		default:
			out = append(out, msg)
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	return out
}

// fakeInspector returns canned reports by target after reporting steps.
type fakeInspector struct {
	mu      sync.Mutex
	reports map[string]*inspect.Report
	calls   []string
	ctxs    []context.Context
}

func (f *fakeInspector) inspect(ctx context.Context, target string, progress func(inspect.Progress)) (inspect.Report, error) {
	f.mu.Lock()
	f.calls = append(f.calls, target)
	f.ctxs = append(f.ctxs, ctx)
	r, ok := f.reports[target]
	f.mu.Unlock()
	progress(inspect.Progress{Target: target, Step: "policy handshake"})
	progress(inspect.Progress{Target: target, Step: "versions", Done: 2, Total: 4})
	if !ok {
		return inspect.Report{Target: target, Verdict: inspect.VerdictError, Error: "no such fixture"}, errors.New("no such fixture")
	}
	return *r, nil
}

func TestInspectionFlow(t *testing.T) {
	t.Parallel()
	f := &fakeInspector{reports: map[string]*inspect.Report{"hooks.example.com:443": passingReport(t)}}
	m := NewModel(context.Background(), Config{Targets: []string{"hooks.example.com:443"}, Inspect: f.inspect})
	defer m.cancel()
	msgs := run(m, m.Init())
	var reports, steps int
	for _, msg := range msgs {
		switch msg.(type) {
		case reportMsg:
			reports++
		case progressMsg:
			steps++
		}
	}
	if reports != 1 {
		t.Errorf("Init() delivered %d reports, want 1", reports)
	}
	if m.targets[0].pending || m.targets[0].report == nil || m.targets[0].report.Verdict != inspect.VerdictPass {
		t.Errorf("after the report, target = %+v, want a passing report, not pending", m.targets[0])
	}
	if m.state != stateTarget {
		t.Errorf("one target: state = %v, want stateTarget", m.state)
	}
	if cmd := m.tick(m.spin.Tick().(spinner.TickMsg)); cmd != nil || m.spinning {
		t.Errorf("the spinner keeps ticking with nothing pending")
	}
}

func TestStaleResultsDropped(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "hooks.example.com:443")
	old := m.targets[0].id
	press(m, "r") // inspect again: a new id, the old job cancelled
	if m.targets[0].id == old {
		t.Fatalf("r did not hand out a new request id")
	}
	m.Update(reportMsg{id: old, report: *errorReport(t)})
	if m.targets[0].report != nil {
		t.Errorf("a stale report was taken: %+v", m.targets[0].report)
	}
	if cmd := m.handleResult(progressMsg{id: old, progress: inspect.Progress{Step: "stale"}, job: newJob(m.ctx, old)}); cmd != nil {
		t.Errorf("a stale progress message keeps listening to its job")
	}
	if m.targets[0].progress.Step == "stale" {
		t.Errorf("a stale progress step was shown")
	}
	deliver(m, 0, passingReport(t))
	if m.targets[0].report == nil || m.targets[0].pending {
		t.Errorf("the current report was not taken")
	}
}

func TestProgressNeverBlocks(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j := newJob(ctx, 1)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				j.report(inspect.Progress{Step: "cipher suites", Done: g*1000 + i, Total: 8000})
			}
		}()
	}
	wg.Wait() // nobody reads: the callback must still return
	msg, ok := j.wait().(progressMsg)
	if !ok || msg.progress.Step != "cipher suites" {
		t.Errorf("wait() = %v, want the latest step", msg)
	}
	cancel()
	if msg := j.wait(); msg != nil {
		t.Errorf("wait() after cancel = %v, want nil", msg)
	}
}

func TestQuitCancels(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"q", "ctrl+c"} {
		m := newTestModel(t, 80, 24, "a.example:443", "b.example:443")
		cmd := press(m, k)
		if cmd == nil || cmd() != tea.Quit() {
			t.Errorf("%s: command is not tea.Quit", k)
		}
		if m.ctx.Err() == nil {
			t.Errorf("%s: inspections were not cancelled", k)
		}
	}
}

func TestListNavigation(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "a.example:443", "b.example:443", "c.example:443")
	if m.state != stateList {
		t.Fatalf("three targets: state = %v, want stateList", m.state)
	}
	press(m, "down", "down", "down", "up", "enter")
	if m.state != stateTarget || m.cur != 1 {
		t.Errorf("down down down up enter: state %v, target %d, want the second target open", m.state, m.cur)
	}
	press(m, "esc")
	if m.state != stateList || m.list.sel != 1 {
		t.Errorf("esc: state %v, selection %d, want the list on the second target", m.state, m.list.sel)
	}
}

func TestOpenNewTarget(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "a.example:443")
	deliver(m, 0, passingReport(t))
	press(m, "o")
	if !m.prompt.active() {
		t.Fatal("o did not open the prompt")
	}
	typeText(m, "new.example.org:8443x")
	press(m, "backspace")
	if !strings.Contains(frame(m), "inspect: new.example.org:8443") {
		t.Errorf("the prompt does not show what was typed:\n%s", frame(m))
	}
	cmd := press(m, "enter")
	if len(m.targets) != 2 || m.targets[1].name != "new.example.org:8443" || !m.targets[1].pending || m.cur != 1 {
		t.Errorf("enter: targets %+v, current %d, want new.example.org:8443 open and pending", m.targets, m.cur)
	}
	if cmd == nil {
		t.Errorf("enter started no inspection")
	}
	press(m, "esc")
	if m.state != stateList {
		t.Errorf("esc with two targets: state %v, want the list", m.state)
	}
}

func TestPromptCancel(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "a.example:443")
	press(m, "o", "q", "esc")
	if m.prompt.active() || len(m.targets) != 1 || m.ctx.Err() != nil {
		t.Errorf("o q esc: prompt %v, %d targets, ctx %v; want the prompt closed, q typed not obeyed", m.prompt.active(), len(m.targets), m.ctx.Err())
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		report    *inspect.Report
		wantOrder []int
		wantFile  string
	}{
		{"as presented", passingReport(t), []int{0, 1}, "example.test_443-chain.pem"},
		{"reordered", outOfOrderReport(t), []int{0, 2, 1}, "real-bing.com-2026-out-of-order-fixed.pem"},
		{"reordered, the presented root left out", fixture(t, "testdata/chain-out-of-order.pem"), []int{0, 2}, "chain-out-of-order-fixed.pem"},
		{"standard input", stdinReport(outOfOrderReport(t)), []int{0, 2, 1}, "chain-fixed.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var gotName string
			var gotData []byte
			m := NewModel(context.Background(), Config{
				Targets: []string{tt.report.Target},
				WriteFile: func(name string, data []byte) error {
					gotName, gotData = name, data
					return nil
				},
			})
			defer m.cancel()
			m.Init()
			deliver(m, 0, tt.report)
			press(m, "e")
			if v := m.prompt.input.Value(); v != tt.wantFile {
				t.Errorf("proposed file name = %q, want %q", v, tt.wantFile)
			}
			run(m, press(m, "enter"))
			if gotName != tt.wantFile {
				t.Errorf("WriteFile name = %q, want %q", gotName, tt.wantFile)
			}
			var want strings.Builder
			for _, p := range tt.wantOrder {
				want.WriteString(tt.report.Chain[p].PEM)
			}
			if string(gotData) != want.String() {
				t.Errorf("WriteFile data is not the chain in order %v", tt.wantOrder)
			}
			if !strings.Contains(m.status, "wrote") {
				t.Errorf("status = %q, want a line saying what was written", m.status)
			}
		})
	}
}

// stdinReport is r as if its chain had come on standard input ("-").
func stdinReport(r *inspect.Report) *inspect.Report {
	r.Target = "-"
	return r
}

// TestFixHintIsTheRepair: the order "e" announces under chain.order is the
// one the engine's repair writes (inspect.Repair, which main gives the
// interface): a presented root is left out.
func TestFixHintIsTheRepair(t *testing.T) {
	t.Parallel()
	testRoots, err := trust.LoadFile("../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	mozilla, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fixture string
		store   *trust.Store
		want    string
	}{
		{"testdata/real-bing.com-2026-out-of-order.pem", mozilla, "e writes the chain in this order: #0, #2, #1"},
		{"testdata/chain-out-of-order.pem", testRoots, "e writes the chain in this order: #0, #2"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			r := fixture(t, tt.fixture)
			c, _ := r.Check(inspect.CheckOrder)
			m := NewModel(context.Background(), Config{Targets: []string{r.Target}})
			defer m.cancel()
			if got := m.fixHint(r, c); got != tt.want {
				t.Errorf("fixHint(%s) = %q, want %q", tt.fixture, got, tt.want)
			}
			fc, _, err := inspect.Repair(context.Background(), r, inspect.Options{Store: tt.store, At: r.EvaluatedAt}, inspect.RepairOptions{})
			if err != nil {
				t.Fatalf("Repair(%s): %v", tt.fixture, err)
			}
			var order []string
			for _, fcc := range fc.Certificates {
				order = append(order, fmt.Sprintf("#%d", fcc.Presented))
			}
			if want := "e writes the chain in this order: " + strings.Join(order, ", "); want != tt.want {
				t.Errorf("the engine's repair of %s writes %q, the hint says %q", tt.fixture, want, tt.want)
			}
		})
	}
}

func TestExportError(t *testing.T) {
	t.Parallel()
	m := NewModel(context.Background(), Config{
		Targets:   []string{"x"},
		WriteFile: func(string, []byte) error { return errors.New("permission denied") },
	})
	defer m.cancel()
	m.Init()
	deliver(m, 0, passingReport(t))
	press(m, "e")
	run(m, press(m, "enter"))
	if !strings.Contains(m.status, "permission denied") || !strings.Contains(m.status, "✗") {
		t.Errorf("status = %q, want the write error", m.status)
	}
}

func TestCopyPEM(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "hooks.example.com:443")
	deliver(m, 0, passingReport(t))
	cmd := press(m, "j", "y")
	if cmd == nil {
		t.Fatal("y returned no command")
	}
	if got, want := cmd(), tea.SetClipboard(passingReport(t).Chain[1].PEM)(); got != want {
		t.Errorf("y = %#v, want the clipboard set to the PEM of #1", got)
	}
	// The store root was not presented: y does nothing there, and the
	// footer does not offer it.
	if cmd := press(m, "j", "y"); cmd != nil || strings.Contains(frame(m), "y copy") {
		t.Errorf("y on the store root: command %v, footer %q; want neither", cmd, lastLine(frame(m)))
	}
}

// lastLine is the footer of a frame.
func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func TestFocusAndScroll(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 120, 24, bingOutOfOrder)
	deliver(m, 0, outOfOrderReport(t))
	if c, _ := m.checks.selected(m.targets[0].report); m.focus != focusChecks || c.ID != inspect.CheckOrder {
		t.Fatalf("opened on focus %v, check %q; want chain.order, the first failing check", m.focus, c.ID)
	}
	press(m, "shift+tab") // to the chain: the details follow the certificate
	if m.focus != focusTree || !strings.HasPrefix(m.details.title, "Certificate #0") {
		t.Fatalf("shift+tab: focus %v, details %q; want the chain and certificate #0", m.focus, m.details.title)
	}
	press(m, "shift+tab") // to the details, which keep their subject
	press(m, "j", "j")
	if m.focus != focusDetails || m.details.off != 2 || !strings.HasPrefix(m.details.title, "Certificate #0") {
		t.Errorf("shift+tab j j: focus %v, offset %d, details %q; want the details of #0 scrolled by 2", m.focus, m.details.off, m.details.title)
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.details.off <= 2 {
		t.Errorf("mouse wheel down: offset %d, want more than 2", m.details.off)
	}
	press(m, "shift+tab", "j")
	if c, _ := m.checks.selected(m.targets[0].report); m.focus != focusChecks || c.ID != inspect.CheckComplete || m.details.title != "Check chain.complete" {
		t.Errorf("shift+tab j: focus %v, check %q, details %q; want chain.complete", m.focus, c.ID, m.details.title)
	}
	press(m, "shift+tab", "j")
	if m.chain.sel != 1 || m.details.off != 0 || !strings.HasPrefix(m.details.title, "Certificate #1") {
		t.Errorf("selecting #1: selection %d, offset %d, details %q; want #1 from the top", m.chain.sel, m.details.off, m.details.title)
	}
}

func TestBackgroundColor(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24, "hooks.example.com:443")
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.isDark {
		t.Errorf("white background: isDark = true")
	}
	light := m.st.warn.Render("x")
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if !m.isDark || m.st.warn.Render("x") == light {
		t.Errorf("black background: styles were not rebuilt")
	}
}

// sgr matches what the interface may write itself: colour sequences, and
// OSC 8 hyperlinks whose target holds no control character.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m|\x1b\]8;;[^\x00-\x1f\x7f]*(\x07|\x1b\\)`)

// TestViewHostile checks that escape sequences and bidi controls from a
// certificate or server never reach the terminal through the interface.
func TestViewHostile(t *testing.T) {
	t.Parallel()
	for _, noColor := range []bool{true, false} {
		m := NewModel(context.Background(), Config{Targets: []string{"evil.example:443"}, NoColor: noColor})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		deliver(m, 0, hostileReport(t))
		var views []string
		for _, keys := range [][]string{nil, {"tab", "tab"}, {"t"}, {"t", "tab", "j"}, {"p"}, {"down", "down", "down"}} {
			press(m, keys...)
			views = append(views, m.View().Content)
		}
		m.cancel()
		for i, v := range views {
			if noColor && strings.ContainsAny(v, "\x1b\x07") {
				t.Errorf("NoColor view %d holds ESC or BEL:\n%q", i, v)
			}
			rest := sgr.ReplaceAllString(v, "")
			for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u2066", "\u009b"} {
				if strings.Contains(rest, bad) {
					t.Errorf("view %d (NoColor %v) holds %q outside colour sequences", i, noColor, bad)
				}
			}
		}
		if !strings.Contains(views[0], `CN=evil\x1b]0;pwned\x07\x1b[2J`) {
			t.Errorf("the view does not show the escaped subject")
		}
	}
}

// TestViewSizes draws every scenario at awkward sizes: nothing may panic,
// and the frame must fill the window exactly.
func TestViewSizes(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{1, 1}, {20, 5}, {40, 10}, {99, 24}, {100, 24}, {100, 12}, {250, 70}} {
		for _, sc := range append(append([]scenario(nil), firstFrames...), interactions...) {
			m := newScenarioModel(t, sc, size[0], size[1])
			for _, k := range []string{"", "tab", "tab", "tab", "j", "p", "right", "esc", "t", "s", "?"} {
				if k != "" {
					press(m, k)
				}
				got := frame(m)
				w, h := max(size[0], 20), max(size[1], 5)
				if n := strings.Count(got, "\n") + 1; n != h {
					t.Errorf("%s at %v after %q: %d lines, want %d", sc.name, size, k, n, h)
				}
				for i, l := range strings.Split(got, "\n") {
					if lw := ansi.StringWidth(l); lw != w {
						t.Errorf("%s at %v after %q: line %d is %d wide, want %d", sc.name, size, k, i+1, lw, w)
						break
					}
				}
			}
		}
	}
}

func TestNoTargets(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, 80, 24)
	if !strings.Contains(frame(m), "press o to inspect one") {
		t.Errorf("no targets: the list does not say what to do:\n%s", frame(m))
	}
	press(m, "enter", "r", "j") // nothing to act on
	press(m, "o")
	typeText(m, "a.example")
	if cmd := press(m, "enter"); cmd == nil || len(m.targets) != 1 || m.state != stateTarget {
		t.Errorf("o a.example enter: %d targets, state %v; want it open and inspecting", len(m.targets), m.state)
	}
}

// TestExportFixChain: with the engine's repair configured, "e" writes what
// it returns and says where each certificate came from; a chain that still
// fails is not written.
func TestExportFixChain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		written bool
		status  string
	}{
		{"repaired", nil, true, "wrote 2 certificates to real-bing.com-2026-out-of-order-fixed.pem: presented #0, caIssuers http://ca.test/int.crt"},
		{"still fails", &inspect.StillFailsError{Checks: []string{"chain.complete"}, Detail: "an issuer is missing"}, false,
			"real-bing.com-2026-out-of-order-fixed.pem not written: the repaired chain still fails chain.complete: an issuer is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			written := false
			m := NewModel(context.Background(), Config{
				Targets: []string{"x"},
				FixChain: func(_ context.Context, r *inspect.Report) (*inspect.FixedChain, []byte, error) {
					if tt.err != nil {
						return &inspect.FixedChain{}, nil, tt.err
					}
					return &inspect.FixedChain{Certificates: []inspect.FixedCertificate{
						{Source: "presented #0"}, {Source: "caIssuers http://ca.test/int.crt"},
					}}, []byte("pem"), nil
				},
				WriteFile: func(_ string, data []byte) error {
					written = string(data) == "pem"
					return nil
				},
			})
			defer m.cancel()
			m.Init()
			m.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
			deliver(m, 0, outOfOrderReport(t))
			press(m, "e")
			run(m, press(m, "enter"))
			if written != tt.written {
				t.Errorf("written = %v, want %v", written, tt.written)
			}
			if !strings.Contains(m.status, tt.status) {
				t.Errorf("status = %q, want %q", m.status, tt.status)
			}
			// The outcome is read whole at 60 columns: wrapped above
			// the footer, not cut at the edge.
			scr := frame(m)
			if got := strings.Join(strings.Fields(scr), " "); !strings.Contains(got, tt.status) {
				t.Errorf("the screen does not show the whole outcome %q:\n%s", tt.status, scr)
			}
			if n := strings.Count(scr, "\n") + 1; n != 20 {
				t.Errorf("the frame has %d lines, want 20", n)
			}
			// On a window of 5 lines, the outcome leaves a line of the body.
			m.Update(tea.WindowSizeMsg{Width: 20, Height: 5})
			if scr := frame(m); strings.Count(scr, "\n")+1 != 5 || !strings.HasSuffix(strings.TrimRight(scr, " "), "…") && !tt.written {
				t.Errorf("at 20x5 the frame is not 5 lines ending in a cut outcome:\n%s", scr)
			}
		})
	}
}

// TestMalformedTargetNoReinspect: the error screen of a target that cannot
// be parsed offers no "r" (it would fail the same way); an error that may
// pass on a second try (a refused connection) keeps it. The job marks the
// first from the inspection's error (inspect.ErrMalformedTarget).
func TestMalformedTargetNoReinspect(t *testing.T) {
	t.Parallel()
	_, parseErr := inspect.ParseTarget("[::1")
	if !errors.Is(parseErr, inspect.ErrMalformedTarget) {
		t.Fatalf("ParseTarget([::1) error = %v, want ErrMalformedTarget", parseErr)
	}
	for _, tt := range []struct {
		name string
		err  error
		r    bool
	}{
		{"malformed", parseErr, false},
		{"refused", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newTestModel(t, 80, 24, "[::1")
			j := newJob(context.Background(), m.targets[0].id)
			msg := j.run(func(context.Context, string, func(inspect.Progress)) (inspect.Report, error) {
				return failedReport("[::1", tt.err.Error()), tt.err
			}, "[::1")()
			m.Update(msg)
			if got := m.keys.Reinspect.Enabled(); got != tt.r {
				t.Errorf("r offered = %v, want %v\n%s", got, tt.r, frame(m))
			}
		})
	}
}
