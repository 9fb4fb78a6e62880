package main

import (
	"fmt"
	"io"
	"sync"

	"chainscope/inspect"
	"chainscope/ui"
)

// progressLine shows on stderr, when it is a terminal and stdout is not,
// how many targets are done and what the latest inspection is doing, on
// one line redrawn in place. clear erases it before any other stderr line.
type progressLine struct {
	mu          sync.Mutex
	w           io.Writer // nil: progress is not shown
	total, done int
	last        string
	shown       bool
}

func newProgressLine(w io.Writer, total int) *progressLine {
	return &progressLine{w: w, total: total}
}

// step records what an inspection is doing and redraws the line.
func (p *progressLine) step(pr inspect.Progress) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = ui.Sanitize(pr.Target) + ": " + pr.Step
	if pr.Total > 0 {
		p.last += fmt.Sprintf(" %d/%d", pr.Done, pr.Total)
	} else if pr.Done > 0 {
		p.last += fmt.Sprintf(" %d", pr.Done)
	}
	p.draw()
}

// finished counts one more target done and redraws the line.
func (p *progressLine) finished() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.draw()
}

func (p *progressLine) draw() {
	line := fmt.Sprintf("chainscope: %d/%d done", p.done, p.total)
	if p.last != "" && p.done < p.total {
		line += " · " + p.last
	}
	if len(line) > 120 {
		line = line[:119] + "…"
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown = true
}

// clear erases the line, so that the next stderr line starts clean.
func (p *progressLine) clear() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
