package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"chainscope/inspect"
)

// contains is a WaitFor condition; the output is the renderer's stream
// (cursor moves between cells), so the strings waited for are short.
func contains(subs ...string) func([]byte) bool {
	return func(b []byte) bool {
		for _, s := range subs {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}
}

var waitLong = teatest.WithDuration(5 * time.Second)

// TestProgramSingleTarget runs the whole program on one target: the
// report arrives from a fake Inspector, the PEM toggles, q quits and
// cancels.
func TestProgramSingleTarget(t *testing.T) {
	t.Parallel()
	f := &fakeInspector{reports: map[string]*inspect.Report{"hooks.example.com:443": passingReport(t)}}
	m := NewModel(context.Background(), Config{Targets: []string{"hooks.example.com:443"}, Inspect: f.inspect, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), contains("PASS", "issued by store root"), waitLong)
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("p"))
	teatest.WaitFor(t, tm.Output(), contains("BEGIN CERTIFICATE"), waitLong)
	tm.Send(keyMsg("q"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.chain.sel != 1 || !final.pem.open || final.pem.pos != 1 {
		t.Errorf("final model: selection %d, PEM view %v of #%d; want #1 with its PEM", final.chain.sel, final.pem.open, final.pem.pos)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.ctxs) != 1 || f.ctxs[0].Err() == nil {
		t.Errorf("the inspection's context was not cancelled on quit")
	}
}

// blockingInspector holds every inspection until released, after a step.
type blockingInspector struct {
	release chan struct{}
	reports map[string]*inspect.Report
}

func (b *blockingInspector) inspect(ctx context.Context, target string, progress func(inspect.Progress)) (inspect.Report, error) {
	progress(inspect.Progress{Target: target, Step: "cipher suites", Done: 12, Total: 37})
	select {
	case <-b.release:
	case <-ctx.Done():
		return inspect.Report{Target: target, Verdict: inspect.VerdictError, Error: ctx.Err().Error()}, ctx.Err()
	}
	return *b.reports[target], nil
}

// TestProgramTargets runs several targets: the list shows progress while
// they are pending and verdicts once they arrive; enter opens one.
func TestProgramTargets(t *testing.T) {
	t.Parallel()
	b := &blockingInspector{release: make(chan struct{}), reports: map[string]*inspect.Report{
		"hooks.example.com:443":  passingReport(t),
		"chain-out-of-order.pem": outOfOrderReport(t),
		"down.example.com:443":   errorReport(t),
	}}
	m := NewModel(context.Background(), Config{
		Targets: []string{"hooks.example.com:443", "chain-out-of-order.pem", "down.example.com:443"},
		Inspect: b.inspect, NoColor: true,
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	teatest.WaitFor(t, tm.Output(), contains("3 pending", "cipher suites 12/37"), waitLong)
	close(b.release)
	teatest.WaitFor(t, tm.Output(), contains("FAIL 1", "ERROR", "PASS"), waitLong)
	tm.Send(keyMsg("down"))
	tm.Send(keyMsg("enter"))
	teatest.WaitFor(t, tm.Output(), contains("chain.order", "fix:"), waitLong)
	tm.Send(keyMsg("q"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.state != stateTarget || final.cur != 1 {
		t.Errorf("final model: state %v, target %d; want the second target open", final.state, final.cur)
	}
}

// TestRun runs the program through Run with a scripted input.
func TestRun(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := &fakeInspector{reports: map[string]*inspect.Report{"hooks.example.com:443": passingReport(t)}}
	var out bytes.Buffer
	reports, err := Run(ctx, Config{Targets: []string{"hooks.example.com:443"}, Inspect: f.inspect}, strings.NewReader("q"), &out)
	if err != nil {
		t.Fatalf("Run() = %v, want nil", err)
	}
	// q may come before the report: it is then nil, never another one.
	if len(reports) != 1 || reports[0] != nil && reports[0].Verdict != inspect.VerdictPass {
		t.Errorf("Run() reports = %v, want one pass report or nil", reports)
	}
}

var _ tea.Model = (*Model)(nil)
