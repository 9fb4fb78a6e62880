package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// TestProgressLine: the line names the target the output waits for, at
// the step it is really at; a target whose inspection returned drops out.
func TestProgressLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := newProgressLine(&buf, 3)
	p.started(0, "evil\x1b[2J.test:443")
	p.started(1, "b.test:443")
	p.step(0, inspect.Progress{Target: "evil\x1b[2J.test:443", Step: "handshakes", Done: 2, Total: 4})
	p.step(1, inspect.Progress{Target: "b.test:443", Step: "cipher suites", Done: 12, Waiting: "the server's answer on 2 connections"})
	tests := []struct {
		name string
		act  func()
		want string
	}{
		{"first in flight", func() {}, "chainscope: 0/3 done · evil\\x1b[2J.test:443: handshakes 2/4 · 1 more in flight"},
		{"first returned, not written", func() { p.inspected(0) }, "chainscope: 0/3 done · b.test:443: cipher suites 12 · waiting for the server's answer on 2 connections"},
		{"first written", func() { p.finished() }, "chainscope: 1/3 done · b.test:443: cipher suites 12 · waiting for the server's answer on 2 connections"},
		{"second returned", func() { p.inspected(1) }, "chainscope: 1/3 done"},
		{"third started", func() { p.started(2, "c.test:443") }, "chainscope: 1/3 done · c.test:443: starting"},
	}
	for _, tt := range tests {
		tt.act()
		if got := p.text(); got != tt.want {
			t.Errorf("%s: text() = %q, want %q", tt.name, got, tt.want)
		}
	}
	p.clear()
	out := buf.String()
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q does not end by clearing the line", out)
	}
	if strings.Contains(out, "\x1b[2J") {
		t.Errorf("a target's escape sequence reached the terminal: %q", out)
	}

	// Without a terminal the line is off: every call is a no-op, not a
	// nil-writer panic.
	q := newProgressLine(nil, 1)
	q.started(0, "x")
	q.step(0, inspect.Progress{Target: "x", Step: "dialling"})
	q.inspected(0)
	q.finished()
	q.clear()
}

// TestProgressLineFitsTheTerminal: each redraw is cut to the terminal's
// width less one column, so that the line never wraps (a wrapped line
// leaves a copy behind at every redraw), and nothing is drawn once every
// report is written.
func TestProgressLineFitsTheTerminal(t *testing.T) {
	t.Parallel()
	for _, cols := range []int{40, 60, 80} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			p := newProgressLine(&buf, 2)
			p.width = func() int { return cols }
			p.started(0, "a-rather-long-host-name.example.test:8443")
			p.step(0, inspect.Progress{Target: "x", Step: "handshakes", Done: 2, Total: 4, Waiting: "the server's answer on 3 connections"})
			for _, l := range strings.Split(buf.String(), "\r\x1b[K") {
				if w := ansi.StringWidth(l); w >= cols {
					t.Errorf("a redraw is %d columns wide on a %d-column terminal: %q", w, cols, l)
				}
			}
			p.inspected(0)
			p.clear()
			p.finished()
			p.started(1, "b.test:443")
			p.inspected(1)
			p.clear()
			buf.Reset()
			p.finished()
			if buf.Len() != 0 {
				t.Errorf("after the last report, finished() wrote %q, want nothing", buf.String())
			}
		})
	}
}
