package inspect

import (
	"fmt"
	"sync"
)

// progressTracker tells Options.Progress what a live inspection is really
// doing: the step (set by the orchestration) and what that step waits for
// right now, from the connections actually being dialled and actually
// open. So a front end never says "dialling" while connected, nor shows a
// finished step while a probe still waits for its ServerHello.
type progressTracker struct {
	opts   *Options
	target string
	addr   string

	mu      sync.Mutex
	step    Progress // Step, Done, Total of the step in progress
	dialing int      // connections being opened
	open    int      // connections open: a handshake waits on each
}

// setStep starts or advances a step and reports it.
func (t *progressTracker) setStep(step string, done, total int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.step = Progress{Step: step, Done: done, Total: total}
	t.emit()
}

// dialStarted, dialEnded and closed follow the connections.
func (t *progressTracker) dialStarted() { t.count(1, 0) }

func (t *progressTracker) dialEnded(ok bool) {
	if ok {
		t.count(-1, 1)
		return
	}
	t.count(-1, 0)
}

func (t *progressTracker) closed() { t.count(0, -1) }

func (t *progressTracker) count(dialing, open int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dialing += dialing
	t.open += open
	t.emit()
}

// emit reports the step with what it waits for; called with mu held.
func (t *progressTracker) emit() {
	if t.opts.Progress == nil {
		return
	}
	p := t.step
	p.Target = t.target
	switch {
	case t.open > 0 && t.dialing > 0:
		p.Waiting = fmt.Sprintf("the server's answer on %s, %d more connecting", plural(t.open, "connection"), t.dialing)
	case t.open > 0:
		p.Waiting = fmt.Sprintf("the server's answer on %s", plural(t.open, "connection"))
	case t.dialing > 0:
		p.Waiting = "a connection to " + t.addr
	}
	t.opts.Progress(p)
}
