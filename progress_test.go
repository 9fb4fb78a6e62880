package main

import (
	"bytes"
	"strings"
	"testing"

	"chainscope/inspect"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := newProgressLine(&buf, 3)
	p.step(inspect.Progress{Target: "evil\x1b[2J.test:443", Step: "handshakes", Done: 2, Total: 4})
	p.finished()
	p.clear()
	out := buf.String()
	for _, want := range []string{"chainscope: 0/3 done · evil\\x1b[2J.test:443: handshakes 2/4", "chainscope: 1/3 done"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q does not end by clearing the line", out)
	}
	if strings.Contains(out, "\x1b[2J") {
		t.Errorf("a target's escape sequence reached the terminal: %q", out)
	}

	// Without a terminal the line is off: every call is a no-op, not a
	// nil-writer panic.
	q := newProgressLine(nil, 1)
	q.step(inspect.Progress{Target: "x", Step: "dialling"})
	q.finished()
	q.clear()
}
