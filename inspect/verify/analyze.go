package verify

import (
	"crypto/x509"
	"sort"
)

// Analysis is what the presented certificates are to each other and to the
// store, and every candidate path from the leaf, judged.
type Analysis struct {
	g *graph
	// Leaf is the position the paths start at.
	Leaf int
	// Paths are the candidate paths, best first (see [Reason] for the
	// order); never empty when certificates were given.
	Paths []*Path
	// Limited is set when a bound of the search ([MaxDepth],
	// [MaxSignatureChecks], [MaxPaths]) stopped it: more paths may exist.
	Limited bool
}

// Analyze builds every candidate path from the leaf through certs (as
// presented) and the store's roots, judges each at opts.At and orders them
// best first. certs must not be empty.
func Analyze(certs []*x509.Certificate, opts Options) *Analysis {
	g := newGraph(certs, opts.Store)
	a := &Analysis{g: g, Leaf: opts.Leaf}
	if opts.FindLeaf {
		a.Leaf = g.findLeaf()
	}
	a.Paths = g.search(a.Leaf)
	for _, p := range a.Paths {
		g.judged(p)
		validate(p, opts.At)
		for i, f := range p.Failures {
			if f.Reason == Loop && p.LoopsTo >= 0 {
				p.Failures[i].IssuerPos, p.Failures[i].Issuer = p.LoopsTo, g.certs[p.LoopsTo]
			}
		}
	}
	sort.SliceStable(a.Paths, func(i, j int) bool { return better(a.Paths[i], a.Paths[j]) })
	a.Limited = g.limited
	return a
}

// Best is the path the sender would take, or the one to explain when none
// validates.
func (a *Analysis) Best() *Path { return a.Paths[0] }

// DuplicateOf returns the earlier position of the same certificate, or -1.
func (a *Analysis) DuplicateOf(i int) int { return a.g.duplicateOf[i] }

// Sum returns the SHA-256 of the certificate at i.
func (a *Analysis) Sum(i int) [32]byte { return a.g.sums[i] }

// Certifies reports whether the presented certificate at parent issued the
// one at child (issuer name and signature, whatever the algorithm); a copy
// never certifies its original.
func (a *Analysis) Certifies(parent, child int) bool { return a.g.certifies(parent, child) }

// SelfSigned reports whether the certificate at i is issued under its own
// name by its own key.
func (a *Analysis) SelfSigned(i int) bool { return a.g.selfSigned(i) }

// StandsForRoot reports whether the presented certificate at i has the
// subject and key of a store root, which verifiers treat as that root.
func (a *Analysis) StandsForRoot(i int) bool { return a.g.anchorOf[i] != nil }

// Imposters lists the presented certificates that carry the issuer name of
// the one at i but whose key does not verify its signature.
func (a *Analysis) Imposters(i int) []int { return a.g.imposter[i] }

// HasCandidates reports whether any presented certificate or store root
// issued the one at i.
func (a *Analysis) HasCandidates(i int) bool { return len(a.g.candidates(i)) > 0 }

// worst is the least useful reason a path fails for, 0 when it validates.
func worst(p *Path) Reason {
	var w Reason
	for _, f := range p.Failures {
		w = max(w, f.Reason)
	}
	return w
}

// inOrder counts the links of a path that follow the presented order: the
// issuer is the next position.
func inOrder(p *Path) int {
	n := 0
	for i := 0; i+1 < len(p.Positions); i++ {
		if p.Positions[i+1] == p.Positions[i]+1 {
			n++
		}
	}
	return n
}

// better orders paths: valid first, then by their worst failure, then the
// one following the presented order more closely, then the shorter.
func better(p, q *Path) bool {
	if wp, wq := worst(p), worst(q); wp != wq {
		return wp < wq
	}
	if op, oq := inOrder(p), inOrder(q); op != oq {
		return op > oq
	}
	return len(p.Certs) < len(q.Certs)
}
