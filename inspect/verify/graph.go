package verify

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"

	"chainscope/inspect/trust"
)

// Limits of the search, so a hostile bundle costs little (crypto/x509's
// buildChains stops at 100 signature checks for the same reason).
const (
	// MaxDepth is the most certificates one path holds, root included.
	MaxDepth = 16
	// MaxSignatureChecks bounds the distinct signature checks of one
	// analysis.
	MaxSignatureChecks = 100
	// MaxPaths bounds the candidate paths judged.
	MaxPaths = 64
)

// issuer is a candidate issuer of a certificate: a presented certificate
// at pos, or a root of the store (root set; pos is the presented copy
// standing for it, or -1).
type issuer struct {
	pos  int
	root *trust.Root
	sig  signature
}

// signature is the outcome of checking one certificate's signature with a
// candidate issuer's key.
type signature struct {
	alg Algorithm
	// verified: the key verifies the signature. unverifiable: the
	// algorithm has no implementation here and the names and key
	// identifiers match, so the certificate is taken as the issuer and the
	// path fails for the algorithm. unchecked: the search's bound on
	// signature checks came first, so nobody knows.
	verified, unverifiable, unchecked bool
}

func (s signature) issues() bool { return s.verified || s.unverifiable }

// edge names one signature check: the issuer's certificate and the
// presented certificate it may have signed.
type edge struct {
	parent *x509.Certificate
	child  int
}

// graph holds the presented certificates and what may have issued what.
type graph struct {
	certs       []*x509.Certificate
	sums        [][32]byte
	duplicateOf []int
	store       *trust.Store
	// anchorOf is the store root each presented certificate stands for
	// (same subject and key), or nil.
	anchorOf []*trust.Root
	sigs     map[edge]signature
	checks   int
	// limited is set once a limit stopped the search.
	limited bool
	// unchecked marks the presented certificates some candidate issuer of
	// which was left unchecked at the bound: their issuer is not known
	// to be missing.
	unchecked map[int]bool
	issuers   map[int][]issuer
	imposter  map[int][]int
	// unanchored lists, per presented certificate, the store
	// certificates that issued it but are no self-signed root: the sender
	// (OTP, ssl_certificate:trusted_cert_and_path) anchors only at a
	// self-signed certificate of its store.
	unanchored map[int][]*trust.Root
	selfRoot   map[*trust.Root]bool
}

func newGraph(certs []*x509.Certificate, store *trust.Store) *graph {
	n := len(certs)
	g := &graph{
		certs:       certs,
		sums:        make([][32]byte, n),
		duplicateOf: make([]int, n),
		anchorOf:    make([]*trust.Root, n),
		store:       store,
		sigs:        make(map[edge]signature),
		issuers:     make(map[int][]issuer),
		unchecked:   make(map[int]bool),
		imposter:    make(map[int][]int),
		unanchored:  make(map[int][]*trust.Root),
		selfRoot:    make(map[*trust.Root]bool),
	}
	first := make(map[[32]byte]int, n)
	for i, c := range certs {
		g.sums[i] = sha256.Sum256(c.Raw)
		g.duplicateOf[i] = -1
		if j, ok := first[g.sums[i]]; ok {
			g.duplicateOf[i] = j
			g.anchorOf[i] = g.anchorOf[j]
			continue
		}
		first[g.sums[i]] = i
		if r := store.Find(c); r != nil && g.rootSelfSigned(r) {
			g.anchorOf[i] = r
		}
	}
	return g
}

// rootSelfSigned reports whether a store certificate can anchor a path:
// it is self-signed (OTP's ssl_certificate:trusted_cert_and_path: "Trusted
// must be selfsigned or it is an incomplete chain"). A signature whose
// algorithm cannot be checked counts when the names match.
func (g *graph) rootSelfSigned(r *trust.Root) bool {
	if v, ok := g.selfRoot[r]; ok {
		return v
	}
	c := r.Cert
	v := false
	if bytes.Equal(c.RawSubject, c.RawIssuer) {
		err := checkSignature(c, c, AlgorithmOf(c))
		v = err == nil || err == errUnverifiable
	}
	g.selfRoot[r] = v
	return v
}

// isEmptyName reports whether a raw DER name is the empty sequence.
func isEmptyName(raw []byte) bool {
	return len(raw) == 2 && raw[0] == 0x30 && raw[1] == 0
}

// check verifies the signature of the presented certificate child with
// parent's key, once per pair; past [MaxSignatureChecks] it verifies
// nothing more and marks the search limited.
func (g *graph) check(parent *x509.Certificate, child int) signature {
	e := edge{parent, child}
	if s, ok := g.sigs[e]; ok {
		return s
	}
	c := g.certs[child]
	s := signature{alg: AlgorithmOf(c)}
	if g.checks >= MaxSignatureChecks {
		g.limited = true
		s.unchecked = true
		return s
	}
	g.checks++
	err := checkSignature(parent, c, s.alg)
	switch {
	case err == nil:
		s.verified = true
	case err == errUnverifiable:
		// The signature cannot be checked: names and key identifiers are
		// all there is, and the path fails for the algorithm anyway.
		s.unverifiable = len(c.AuthorityKeyId) == 0 || len(parent.SubjectKeyId) == 0 ||
			bytes.Equal(c.AuthorityKeyId, parent.SubjectKeyId)
	}
	g.sigs[e] = s
	return s
}

// certifies reports whether the presented certificate at parent issued the
// one at child: issuer name and signature, any algorithm. A copy never
// certifies its original.
func (g *graph) certifies(parent, child int) bool {
	if parent == child || g.sums[parent] == g.sums[child] ||
		!bytes.Equal(g.certs[child].RawIssuer, g.certs[parent].RawSubject) {
		return false
	}
	return g.check(g.certs[parent], child).issues()
}

// selfSigned reports whether the certificate at i is issued by its own
// key under its own name.
func (g *graph) selfSigned(i int) bool {
	c := g.certs[i]
	return bytes.Equal(c.RawSubject, c.RawIssuer) && g.check(c, i).verified
}

// candidates lists the issuers of the presented certificate at i: the
// next position first (the sender's order), then the other presented
// certificates in order, then the store's roots. Presented certificates
// with the issuer's name whose signature does not verify are kept as
// imposters, to be named.
func (g *graph) candidates(i int) []issuer {
	if out, ok := g.issuers[i]; ok {
		return out
	}
	c := g.certs[i]
	var out []issuer
	if isEmptyName(c.RawIssuer) {
		// RFC 5280 §4.1.2.4: the issuer name must not be empty; the
		// sender (OTP) finds no issuer for such a certificate.
		g.issuers[i] = nil
		return nil
	}
	seenRoot := map[*trust.Root]bool{}
	try := func(j int) {
		if j == i || j >= len(g.certs) || g.duplicateOf[j] >= 0 || g.sums[j] == g.sums[i] ||
			!bytes.Equal(g.certs[j].RawSubject, c.RawIssuer) {
			return
		}
		s := g.check(g.certs[j], i)
		if s.unchecked {
			g.unchecked[i] = true
			return
		}
		if !s.issues() {
			g.imposter[i] = append(g.imposter[i], j)
			return
		}
		if r := g.anchorOf[j]; r != nil && !seenRoot[r] && g.rootSelfSigned(r) {
			seenRoot[r] = true
			out = append(out, issuer{pos: j, root: r, sig: s})
		}
		// A copy of a store root that another CA signed (a cross-sign)
		// may also lead on, to another root: crypto/x509 tries both, and
		// so does the sender when the store's root is refused.
		if g.anchorOf[j] == nil || !g.selfSigned(j) {
			out = append(out, issuer{pos: j, sig: s})
		}
	}
	try(i + 1)
	for j := range g.certs {
		if j != i+1 {
			try(j)
		}
	}
	for _, r := range g.store.Named(c.RawIssuer) {
		if seenRoot[r] {
			continue
		}
		s := g.check(r.Cert, i)
		g.unchecked[i] = g.unchecked[i] || s.unchecked
		if s.issues() {
			seenRoot[r] = true
			if !g.rootSelfSigned(r) {
				g.unanchored[i] = append(g.unanchored[i], r)
				continue
			}
			out = append(out, issuer{pos: -1, root: r, sig: s})
		}
	}
	g.issuers[i] = out
	return out
}

// issuesAny reports whether the presented certificate at i issued another
// presented certificate (its copies aside).
func (g *graph) issuesAny(i int) bool {
	for j := range g.certs {
		if g.certifies(i, j) {
			return true
		}
	}
	return false
}

// findLeaf picks the end-entity certificate of a file: position 0 when it
// issued no other presented certificate (the usual case), else the first
// non-CA certificate that issued none (a root-first or reversed bundle),
// else the first certificate that issued none, else 0.
func (g *graph) findLeaf() int {
	if len(g.certs) == 0 || !g.issuesAny(0) {
		return 0
	}
	fallback := -1
	for i, c := range g.certs {
		if g.duplicateOf[i] >= 0 || g.issuesAny(i) {
			continue
		}
		if !c.IsCA {
			return i
		}
		if fallback < 0 {
			fallback = i
		}
	}
	if fallback >= 0 {
		return fallback
	}
	return 0
}
