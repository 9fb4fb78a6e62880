package inspect

import (
	"testing"

	"chainscope/internal/filegraph"
)

// TestFilesDependOneWay keeps the package's files layered: no file uses a
// name of a file that uses one of its own, directly or through others
// (shared/STYLE.md, "One file, one concern").
func TestFilesDependOneWay(t *testing.T) {
	t.Parallel()
	g, err := filegraph.Build(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Cycles() {
		t.Errorf("files depend on each other: %s; move the shared names to a file below both", g.Path(c))
	}
}
