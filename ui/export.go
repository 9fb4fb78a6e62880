package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"chainscope/inspect"
)

// chainPEM is the chain of r as one PEM file: as presented, or, when
// chain.order fails (or warns, under a policy that does not require order),
// reordered along the trust path, leaf first, leaving out what is off the
// path and, as the engine's repair does (inspect.Repair, RFC 5246
// §7.4.2), a presented store root (the certificate the engine linked as
// the anchor), which the sender has already. order describes the
// reordering ("#0, #2, #1"), empty when the chain is written as presented.
func chainPEM(r *inspect.Report) (data []byte, count int, order string) {
	positions := make([]int, len(r.Chain))
	for i := range positions {
		positions[i] = i
	}
	if c, ok := r.Check(inspect.CheckOrder); ok && (c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn) && validPath(r) {
		positions = nil
		var names []string
		for i, p := range r.Trust.Path {
			if i > 0 && r.Chain[p].IssuedBy.Kind == inspect.LinkAnchor {
				continue // the root: the sender has it in its store
			}
			positions = append(positions, p)
			names = append(names, fmt.Sprintf("#%d", p))
		}
		order = strings.Join(names, ", ")
	}
	var b strings.Builder
	for _, p := range positions {
		pem := r.Chain[p].PEM
		if pem == "" {
			continue
		}
		b.WriteString(pem)
		if !strings.HasSuffix(pem, "\n") {
			b.WriteString("\n")
		}
		count++
	}
	return []byte(b.String()), count, order
}

// validPath reports whether every position of the trust path is presented.
func validPath(r *inspect.Report) bool {
	if len(r.Trust.Path) == 0 {
		return false
	}
	for _, p := range r.Trust.Path {
		if p < 0 || p >= len(r.Chain) {
			return false
		}
	}
	return true
}

// exportName proposes a file name for the chain of a target:
// "hooks.example.com_443-chain.pem", "chain-fixed.pem" (standard input).
func exportName(r *inspect.Report, reordered bool) string {
	base := r.Target
	if r.Source == inspect.SourceFile {
		base = strings.TrimSuffix(filepath.Base(base), filepath.Ext(base))
	}
	var b strings.Builder
	for _, c := range base {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			b.WriteRune(c)
		default:
			b.WriteRune('_')
		}
	}
	// No leading '-': a file named like a flag ("-" gives "--fixed.pem")
	// is one that rm and cp misread.
	name := strings.TrimLeft(strings.Trim(b.String(), "._"), "-")
	if name == "" {
		name = "chain"
	}
	if reordered {
		return name + "-fixed.pem"
	}
	return name + "-chain.pem"
}
