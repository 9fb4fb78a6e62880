// Package filegraph draws the graph of one Go package's files: which file
// uses a name another file declares. A test of a package asserts with
// [Cycles] that its files depend on each other one way only, so that each
// file can be read knowing only the files below it (shared/STYLE.md, "One
// file, one concern").
package filegraph

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
)

// Graph maps a file's base name to the base names of the files whose
// package-level names (functions, types, variables, constants, methods and
// fields) it uses. A file never lists itself.
type Graph map[string][]string

// Build reads the non-test .go files of the package in dir and returns its
// graph. Imports are not read: only names declared in the package count,
// and the type checker resolves them without the imported packages, so
// Build takes milliseconds. It fails when dir holds no Go file or one does
// not parse.
func Build(dir string) (Graph, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("file graph: %w", err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("file graph: %s: no Go files", dir)
	}
	conf := types.Config{Importer: noImports{}, Error: func(error) {}}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	pkg, _ := conf.Check(files[0].Name.Name, fset, files, info) // errors come from the missing imports
	edges := map[string]map[string]bool{}
	for _, f := range files {
		edges[filepath.Base(fset.File(f.Pos()).Name())] = map[string]bool{}
	}
	for id, obj := range info.Uses {
		// Package-level names, and methods and fields (which have no scope).
		if obj.Pkg() != pkg || !obj.Pos().IsValid() || obj.Parent() != nil && obj.Parent() != pkg.Scope() {
			continue
		}
		from := filepath.Base(fset.Position(id.Pos()).Filename)
		to := filepath.Base(fset.Position(obj.Pos()).Filename)
		if from != to {
			edges[from][to] = true
		}
	}
	g := Graph{}
	for from, tos := range edges {
		g[from] = []string{}
		for to := range tos {
			g[from] = append(g[from], to)
		}
		slices.Sort(g[from])
	}
	return g, nil
}

// noImports fails every import: Build needs only the package's own names.
type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("%s: not read", path)
}

// Cycles returns every set of files that depend on each other, directly or
// through other files (the strongly connected components of more than one
// file), each sorted, in sorted order; nil when the files depend on each
// other one way only.
func (g Graph) Cycles() [][]string {
	// Tarjan's algorithm.
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		if len(comp) > 1 {
			slices.Sort(comp)
			out = append(out, comp)
		}
	}
	var names []string
	for v := range g {
		names = append(names, v)
	}
	slices.Sort(names)
	for _, v := range names {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// Path returns a chain of files from one file of cycle back to itself, for
// a failure message: "a.go -> b.go -> a.go".
func (g Graph) Path(cycle []string) string {
	in := map[string]bool{}
	for _, f := range cycle {
		in[f] = true
	}
	start := cycle[0]
	// Breadth-first from start's successors back to start, inside the cycle.
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range g[v] {
			if !in[w] {
				continue
			}
			if w == start {
				path := []string{start}
				for u := v; u != start; u = prev[u] {
					path = append(path, u)
				}
				path = append(path, start)
				slices.Reverse(path[1 : len(path)-1])
				return strings.Join(path, " -> ")
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return strings.Join(cycle, ", ")
}
