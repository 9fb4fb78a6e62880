package ui

import (
	"context"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeyPress measures one key press and the frame after it on a
// chain of ten certificates.
func BenchmarkKeyPress(b *testing.B) {
	m := newTestModel(b, 120, 40, "hooks.example.com:443")
	deliver(m, 0, chainOf(b, 10))
	down, up := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%20 >= 10 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	}
	reportCPU(b, cpu)
}

// reportCPU adds the process's CPU time per operation since start, in
// milliseconds: the figure to read on a machine shared with other work,
// where ns/op counts the waiting too.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkFirstFrame measures creating the model for a file's report and
// drawing its first frame.
func BenchmarkFirstFrame(b *testing.B) {
	r := outOfOrderReport(b)
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m := NewModel(context.Background(), Config{Targets: []string{r.Target}})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.Update(reportMsg{id: m.targets[0].id, report: *r})
		_ = m.View()
		m.cancel()
	}
	reportCPU(b, cpu)
}

// BenchmarkWriteText measures the text report of a ten-certificate chain.
func BenchmarkWriteText(b *testing.B) {
	r := chainOf(b, 10)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteText(io.Discard, r, TextOptions{Color: true}); err != nil {
			b.Fatal(err)
		}
	}
}
