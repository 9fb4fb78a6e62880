package inspect

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProgressSaysWhatItWaitsFor: while a silent server holds the
// handshakes, the latest step says so — the handshakes not all done, and
// waiting for the server's answer on the connections really open — never
// "dialling" while connected. When the inspection returns, no connection
// is left counted.
func TestProgressSaysWhatItWaitsFor(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go serveRaw(ln, nil) // reads the ClientHello, answers nothing
	var mu sync.Mutex
	var steps []Progress
	opts := Options{Timeout: 1500 * time.Millisecond, Progress: func(p Progress) {
		mu.Lock()
		steps = append(steps, p)
		mu.Unlock()
	}}
	target, err := ParseTarget(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = Inspect(context.Background(), target, opts)
	}()
	latest := func() Progress {
		mu.Lock()
		defer mu.Unlock()
		if len(steps) == 0 {
			return Progress{}
		}
		return steps[len(steps)-1]
	}
	var held Progress
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if p := latest(); strings.HasPrefix(p.Waiting, "the server's answer on") {
			held = p
			break
		}
	}
	if held.Step != "handshakes" || held.Done >= held.Total || held.Target != target.Arg {
		t.Errorf("while the server is silent, progress = %+v; want the handshakes, not all done, waiting for the server's answer", held)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, p := range steps {
		if p.Step == "dialling" || p.Step == "" {
			t.Errorf("progress step %+v: want a step that says what runs", p)
		}
	}
	if last := steps[len(steps)-1]; last.Waiting != "" {
		t.Errorf("last progress = %+v, want nothing left to wait for", last)
	}
}
