package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"chainscope/inspect"
)

// progressMsg is a step of inspection id; the job is passed along so that
// Update can wait for the next message of the same job.
type progressMsg struct {
	id       int
	progress inspect.Progress
	job      *job
}

// reportMsg is the finished report of inspection id, with the hints for
// an inspection that could not run.
type reportMsg struct {
	id     int
	report inspect.Report
	hints  []string
	// malformed: the target itself is malformed (inspect.ErrMalformedTarget):
	// inspecting it again cannot go otherwise.
	malformed bool
}

// writtenMsg says how writing the chain to a file went.
type writtenMsg struct {
	name      string
	count     int
	reordered string // the order written, when it differs from the presented one
	sources   string // where each certificate of a repaired chain came from
	err       error
}

// job is one inspection in flight. The Inspector runs in its own goroutine
// and talks to the interface through two buffered channels, so neither it
// nor Update ever blocks on the other: progress keeps only the latest step
// (a slow screen skips steps, it never holds back the probes) and done
// holds the one report.
type job struct {
	id       int
	ctx      context.Context
	progress chan inspect.Progress
	done     chan reportMsg
}

func newJob(ctx context.Context, id int) *job {
	return &job{id: id, ctx: ctx, progress: make(chan inspect.Progress, 1), done: make(chan reportMsg, 1)}
}

// report is the progress callback given to the Inspector; it is safe for
// concurrent use and never blocks: a step not yet shown is replaced by the
// newer one.
func (j *job) report(p inspect.Progress) {
	for range 4 {
		select {
		case j.progress <- p:
			return
		default:
		}
		select {
		case <-j.progress:
		default:
		}
	}
}

// wait is the tea.Cmd that delivers the job's next message: a step, the
// report, or nothing once the job is cancelled (superseded or quitting).
func (j *job) wait() tea.Msg {
	select {
	case r := <-j.done:
		return r
	case p := <-j.progress:
		return progressMsg{id: j.id, progress: p, job: j}
	case <-j.ctx.Done():
		return nil
	}
}

// run is the tea.Cmd that starts the inspection and returns its first
// message, with the [Hints] for an error. A panicking Inspector becomes an
// error report rather than a broken terminal.
func (j *job) run(inspectFn Inspector, target string) tea.Cmd {
	return func() tea.Msg {
		go func() {
			defer func() {
				if p := recover(); p != nil {
					j.done <- reportMsg{id: j.id, report: failedReport(target, fmt.Sprintf("inspect %s: panic: %v", target, p))}
				}
			}()
			r, err := inspectFn(j.ctx, target, j.report)
			msg := reportMsg{id: j.id, report: r}
			if err != nil {
				msg.hints = Hints(err)
				msg.malformed = errors.Is(err, inspect.ErrMalformedTarget)
			}
			j.done <- msg
		}()
		return j.wait()
	}
}

// failedReport is an error report made by the interface itself.
func failedReport(target, msg string) inspect.Report {
	return inspect.Report{
		Schema: inspect.Schema, Target: target, Verdict: inspect.VerdictError,
		Error: msg,
	}
}

// fixWriteCmd repairs the chain of r through the engine function main
// gave (it may fetch intermediates, so it runs as a command), then writes
// it; a chain that still fails is not written.
func fixWriteCmd(ctx context.Context, fix func(context.Context, *inspect.Report) (*inspect.FixedChain, []byte, error),
	write func(string, []byte) error, name string, r *inspect.Report) tea.Cmd {
	return func() tea.Msg {
		fc, data, err := fix(ctx, r)
		if err != nil {
			return writtenMsg{name: name, err: fmt.Errorf("%s not written: %w", name, err)}
		}
		var from []string
		for _, c := range fc.Certificates {
			from = append(from, c.Source)
		}
		msg := writeCmd(write, name, data, len(fc.Certificates), "")().(writtenMsg)
		msg.sources = strings.Join(from, ", ")
		return msg
	}
}

// writeCmd writes the chain to a file through the function main gave.
func writeCmd(write func(string, []byte) error, name string, data []byte, count int, reordered string) tea.Cmd {
	return func() tea.Msg {
		if write == nil {
			return writtenMsg{name: name, err: fmt.Errorf("write %s: no file writer configured", name)}
		}
		err := write(name, data)
		if err != nil {
			err = fmt.Errorf("write %s: %w", name, err)
		}
		return writtenMsg{name: name, count: count, reordered: reordered, err: err}
	}
}
