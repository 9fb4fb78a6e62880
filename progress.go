package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"chainscope/inspect"
	"chainscope/ui"
)

// progressLine shows on stderr, when it is a terminal and stdout is not,
// how many targets are done and what the run is waiting for, on one line
// redrawn in place: the first target whose report is not written yet
// (reports are written in order, so that is the one holding the output
// back) with the step it is really at, and how many more are in flight.
// A target drops out of the line as soon as its inspection returns. clear
// erases the line before any other stderr line. The line is cut to the
// terminal's width, read at each redraw: a line that wrapped would leave
// its first part behind at every redraw, since "\r" returns only to the
// start of the last row.
type progressLine struct {
	mu       sync.Mutex
	w        io.Writer  // nil: progress is not shown
	width    func() int // columns of the terminal, 0 when unknown
	total    int
	written  int                     // reports written, in order
	inFlight map[int]*targetProgress // by index, from started until the inspection returns
	shown    bool
}

// targetProgress is the latest step of one target in flight.
type targetProgress struct {
	arg  string
	step inspect.Progress
}

func newProgressLine(w io.Writer, total int) *progressLine {
	return &progressLine{w: w, width: func() int { return termWidth(w) }, total: total, inFlight: map[int]*targetProgress{}}
}

// termWidth is the width of w when it is a terminal, else 0.
func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return cols
}

// started records that the inspection of target i, given as arg, began.
func (p *progressLine) started(i int, arg string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight[i] = &targetProgress{arg: arg}
	p.draw()
}

// step records what the inspection of target i is doing and redraws.
func (p *progressLine) step(i int, pr inspect.Progress) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.inFlight[i]; ok {
		t.step = pr
		p.draw()
	}
}

// inspected records that the inspection of target i returned.
func (p *progressLine) inspected(i int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.inFlight, i)
	p.draw()
}

// finished counts one more report written and redraws, unless it was the
// last: then nothing is left to wait for, and a line drawn now would sit
// in front of the output of a pipe that shares the terminal
// (chainscope … | head).
func (p *progressLine) finished() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.written++
	if p.written < p.total {
		p.draw()
	}
}

// text is the line: "chainscope: 1/5 done · host:443: handshakes 2/5 · 2
// more in flight".
func (p *progressLine) text() string {
	line := fmt.Sprintf("chainscope: %d/%d done", p.written, p.total)
	if p.written >= p.total {
		return line
	}
	// The target the output waits for, else the lowest one in flight.
	cur, ok := p.inFlight[p.written]
	if !ok {
		for i := p.written + 1; i < p.total && len(p.inFlight) > 0; i++ {
			if cur, ok = p.inFlight[i]; ok {
				break
			}
		}
	}
	if ok {
		line += " · " + ui.Sanitize(cur.arg) + ": " + ui.ProgressText(cur.step)
		if n := len(p.inFlight) - 1; n > 0 {
			line += fmt.Sprintf(" · %d more in flight", n)
		}
	}
	return line
}

// draw redraws the line, within the terminal's width less one column
// (writing the last column makes some terminals wrap), or 119 columns when
// the width is unknown.
func (p *progressLine) draw() {
	limit := 119
	if cols := p.width(); cols > 1 {
		limit = cols - 1
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", ansi.Truncate(p.text(), limit, "…"))
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
