package ui

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"chainscope/inspect"
	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// TestTreeReadsTheEngine draws chains the engine judged and checks that
// each link line says what the report says, never a state of its own: a
// store root that was reached but refused is drawn refused, not missing.
func TestTreeReadsTheEngine(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Tree Root")
	inter := testpki.Intermediate(t, root, "Tree Int")
	leaf := testpki.Leaf(t, inter, "tree.test")
	other := testpki.Leaf(t, inter, "other.test")
	distrusted := &trust.Root{Cert: root.Cert, Constraint: func([]*x509.Certificate) error {
		return errors.New("distrusted after 2026-01-01")
	}}
	tests := []struct {
		name    string
		certs   []*testpki.Cert
		root    *trust.Root
		want    []string
		notWant []string
	}{
		{"trusted", []*testpki.Cert{leaf, inter}, &trust.Root{Cert: root.Cert},
			[]string{"✓ issued by #1", "✓ issued by store root", "root  CN=Tree Root  (in store, not presented)"},
			[]string{"✗"}},
		{"distrusted root", []*testpki.Cert{leaf, inter}, distrusted,
			[]string{"✓ issued by #1", "✗ store root CN=Tree Root refused", "✗ root  CN=Tree Root  (in store, refused)"},
			[]string{"no issuer found", "missing"}},
		{"extra named", []*testpki.Cert{leaf, inter, other}, &trust.Root{Cert: root.Cert},
			[]string{"#2 unrelated  CN=other.test  (an end-entity certificate for other.test that issued nothing on the path: drop it)"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := inspect.Inspect(context.Background(), inspect.Target{Arg: "-", Kind: inspect.TargetStdin, Path: "-"}, inspect.Options{
				Stdin: bytes.NewReader(testpki.PEM(tt.certs...)),
				Store: trust.New("test", "v1", []*trust.Root{tt.root}),
				At:    testpki.Now,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(treeLines(&r, styles{}, -1), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("tree lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("tree holds %q:\n%s", w, got)
				}
			}
		})
	}
}
