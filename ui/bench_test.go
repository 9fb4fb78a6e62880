package ui

import (
	"context"
	"io"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeyPress measures one key press and the frame after it on a
// chain of ten certificates.
func BenchmarkKeyPress(b *testing.B) {
	m := newTestModel(b, 120, 40, "hooks.example.com:443")
	deliver(m, 0, chainOf(b, 10))
	down, up := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%20 >= 10 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	}
}

// BenchmarkFirstFrame measures creating the model for a file's report and
// drawing its first frame.
func BenchmarkFirstFrame(b *testing.B) {
	r := outOfOrderReport(b)
	b.ReportAllocs()
	for b.Loop() {
		m := NewModel(context.Background(), Config{Targets: []string{r.Target}})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.Update(reportMsg{id: m.targets[0].id, report: *r})
		_ = m.View()
		m.cancel()
	}
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
