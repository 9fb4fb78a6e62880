package filegraph

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestBuildAndCycles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  map[string]string
		graph  Graph
		cycles [][]string
		path   string
	}{
		{
			name: "one way",
			files: map[string]string{
				"a.go": "package p\nimport \"fmt\"\nfunc A() { B(); fmt.Println(T{}.F) }",
				"b.go": "package p\nfunc B() { var t T; t.M() }",
				"c.go": "package p\ntype T struct{ F int }\nfunc (T) M() {}",
			},
			graph: Graph{"a.go": {"b.go", "c.go"}, "b.go": {"c.go"}, "c.go": {}},
		},
		{
			name: "method and field uses count",
			files: map[string]string{
				"a.go": "package p\ntype T struct{ F int }\nfunc use(u U) int { return u.G }",
				"b.go": "package p\ntype U struct{ G int }\nfunc (u U) m(t T) int { return t.F }",
				"c.go": "package p\nfunc x() {}",
			},
			graph:  Graph{"a.go": {"b.go"}, "b.go": {"a.go"}, "c.go": {}},
			cycles: [][]string{{"a.go", "b.go"}},
			path:   "a.go -> b.go -> a.go",
		},
		{
			name: "cycle through a third file",
			files: map[string]string{
				"a.go": "package p\nfunc A() { B() }",
				"b.go": "package p\nfunc B() { C() }",
				"c.go": "package p\nfunc C() { A() }",
			},
			graph:  Graph{"a.go": {"b.go"}, "b.go": {"c.go"}, "c.go": {"a.go"}},
			cycles: [][]string{{"a.go", "b.go", "c.go"}},
			path:   "a.go -> b.go -> c.go -> a.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			g, err := Build(dir)
			if err != nil {
				t.Fatalf("Build = %v", err)
			}
			for f, want := range tt.graph {
				if !slices.Equal(g[f], want) {
					t.Errorf("Build()[%s] = %v, want %v", f, g[f], want)
				}
			}
			cy := g.Cycles()
			if !slices.EqualFunc(cy, tt.cycles, slices.Equal) {
				t.Fatalf("Cycles() = %v, want %v", cy, tt.cycles)
			}
			if len(cy) > 0 {
				if got := g.Path(cy[0]); got != tt.path {
					t.Errorf("Path(%v) = %q, want %q", cy[0], got, tt.path)
				}
			}
		})
	}
}

func TestBuildNoFiles(t *testing.T) {
	t.Parallel()
	if _, err := Build(t.TempDir()); err == nil {
		t.Error("Build(empty dir) = nil error, want one")
	}
}
