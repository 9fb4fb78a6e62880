package verify

import (
	"bytes"
	"crypto/x509"
	"time"

	"chainscope/inspect/trust"
)

// Options is what an analysis takes beside the certificates.
type Options struct {
	// Store holds the trust anchors.
	Store *trust.Store
	// At is the instant validity is judged at.
	At time.Time
	// Leaf is the position the paths start at: the server's certificate,
	// position 0 on the wire (sender-model.md section 3). FindLeaf asks
	// for the end-entity certificate to be found instead, for files,
	// which may be root-first.
	Leaf     int
	FindLeaf bool
}

// End says where a path stops.
type End int

// The ends of a path.
const (
	// EndAnchor: at a root of the store.
	EndAnchor End = iota
	// EndSelfSigned: at a self-signed certificate that is not in the
	// store.
	EndSelfSigned
	// EndMissing: at a certificate no presented certificate and no store
	// root issued.
	EndMissing
	// EndLoop: at a certificate whose only issuers are already on the
	// path.
	EndLoop
	// EndLimit: where the search's bounds stopped it.
	EndLimit
)

// Path is one candidate certification path and how it fares.
type Path struct {
	// Positions are the presented certificates on the path, the leaf
	// first; the last may be a presented copy of the anchor (see Seen).
	Positions []int
	End       End
	// Anchor is the store root the path ends at, when End is EndAnchor.
	Anchor *trust.Root
	// Seen is the position of the presented certificate that stands for
	// the anchor (the root itself or a copy with its subject and key), or
	// -1 when the store's copy was used.
	Seen int
	// Certs are the certificates a verifier judges, leaf first: the
	// presented ones up to Seen, then the store's copy of the anchor.
	// Pos gives each one's presented position, -1 for the store's root.
	Certs []*x509.Certificate
	Pos   []int
	// Algorithms are the signature algorithms of Certs[i] as issued by
	// Certs[i+1], one fewer than Certs when anchored.
	Algorithms []Algorithm
	// Failures lists every rule the path breaks, in path order; none
	// means the path validates.
	Failures []Failure
	// LoopsTo is, when End is EndLoop, the position on the path of the
	// certificate (or one with its subject and key) that issued the last
	// one: the search came back to it. -1 otherwise.
	LoopsTo int
}

// Valid reports whether the path validates.
func (p *Path) Valid() bool { return len(p.Failures) == 0 }

// Top is the last presented position on the path.
func (p *Path) Top() int { return p.Positions[len(p.Positions)-1] }

// search enumerates the paths from the leaf, depth first, trying each
// certificate's issuers in the order [graph.candidates] gives.
func (g *graph) search(leaf int) []*Path {
	var paths []*Path
	visits := 0
	record := func(stack []int, end End, root *trust.Root, seen int) *Path {
		p := &Path{Positions: append([]int(nil), stack...), End: end, Anchor: root, Seen: seen, LoopsTo: -1}
		if seen >= 0 && (len(stack) == 0 || stack[len(stack)-1] != seen) {
			p.Positions = append(p.Positions, seen)
		}
		paths = append(paths, p)
		return p
	}
	var visit func(stack []int)
	visit = func(stack []int) {
		visits++
		if len(paths) >= MaxPaths || visits > MaxPaths*MaxDepth {
			g.limited = true
			return
		}
		cur := stack[len(stack)-1]
		if r := g.anchorOf[cur]; r != nil && len(stack) == 1 {
			record(stack, EndAnchor, r, cur)
			return
		}
		found, loop, limit := false, -1, false
		for _, is := range g.candidates(cur) {
			if is.root != nil {
				found = true
				record(stack, EndAnchor, is.root, is.pos)
				continue
			}
			if k := g.onPath(is.pos, stack); k >= 0 {
				if loop < 0 {
					loop = k
				}
				continue
			}
			if len(stack)+1 >= MaxDepth {
				limit = true
				g.limited = true
				continue
			}
			found = true
			visit(append(stack, is.pos))
		}
		switch {
		case found:
		case g.selfSigned(cur):
			record(stack, EndSelfSigned, nil, -1)
		case limit || g.unchecked[cur]:
			record(stack, EndLimit, nil, -1)
		case loop >= 0:
			record(stack, EndLoop, nil, -1).LoopsTo = loop
		default:
			record(stack, EndMissing, nil, -1)
		}
	}
	visit([]int{leaf})
	return paths
}

// onPath returns the position on the path of a certificate with j's
// subject and key, or -1 (crypto/x509's alreadyInChain, without its SAN
// nuance): mutual cross-signs would loop otherwise.
func (g *graph) onPath(j int, stack []int) int {
	c := g.certs[j]
	for _, p := range stack {
		o := g.certs[p]
		if bytes.Equal(o.RawSubject, c.RawSubject) && bytes.Equal(o.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) {
			return p
		}
	}
	return -1
}

// judged fills in the certificates a verifier judges and the signature
// algorithm of each link.
func (g *graph) judged(p *Path) {
	for _, pos := range p.Positions {
		if p.End == EndAnchor && pos == p.Seen {
			break
		}
		p.Certs = append(p.Certs, g.certs[pos])
		p.Pos = append(p.Pos, pos)
	}
	if p.End == EndAnchor {
		p.Certs = append(p.Certs, p.Anchor.Cert)
		p.Pos = append(p.Pos, -1)
	}
	for i := 0; i+1 < len(p.Certs); i++ {
		p.Algorithms = append(p.Algorithms, g.check(p.Certs[i+1], p.Pos[i]).alg)
	}
}
