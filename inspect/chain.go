package inspect

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"

	"chainscope/inspect/trust"
)

// maxPathLen bounds the path walk; no real chain is longer.
const maxPathLen = 16

// chain is the analysis of certificates as presented: who signed whom, which
// one is the leaf, and the path from it towards a root of the store.
type chain struct {
	certs []*x509.Certificate
	sums  [][32]byte
	// leaf is the position of the end-entity certificate; usually 0.
	leaf int
	// path lists presented positions from the leaf towards the root.
	path []int
	// anchor is the store root the path ends at, nil when none was found.
	anchor *trust.Root
	// anchorAt is the position of the presented certificate that is the
	// anchor itself (same subject and key), or -1 when the anchor was taken
	// from the store.
	anchorAt int
	// anchorSeen is the position of the presented certificate the anchor
	// was found as: the root itself, or another certificate with its
	// subject and key (a cross-signed or re-signed copy); -1 when the
	// anchor came from the store as the issuer of the path's last
	// certificate.
	anchorSeen int
	// missing is the certificate whose issuer is neither presented nor in
	// the store, -1 when none.
	missing int
	// selfSignedTop is true when the path ends at a self-signed certificate
	// that is not in the store.
	selfSignedTop bool
	selfSigned    []bool
	issuedByNext  []bool
	// duplicateOf is the earlier position of the same certificate, or -1.
	duplicateOf []int
	onPath      []bool
	signsMemo   map[[2]int]bool
}

func analyzeChain(certs []*x509.Certificate, store *trust.Store) *chain {
	n := len(certs)
	ch := &chain{
		certs:        certs,
		sums:         make([][32]byte, n),
		anchorAt:     -1,
		anchorSeen:   -1,
		missing:      -1,
		selfSigned:   make([]bool, n),
		issuedByNext: make([]bool, n),
		duplicateOf:  make([]int, n),
		onPath:       make([]bool, n),
		signsMemo:    make(map[[2]int]bool),
	}
	first := make(map[[32]byte]int, n)
	for i, c := range certs {
		ch.sums[i] = sha256.Sum256(c.Raw)
		ch.duplicateOf[i] = -1
		if j, ok := first[ch.sums[i]]; ok {
			ch.duplicateOf[i] = j
		} else {
			first[ch.sums[i]] = i
		}
		ch.selfSigned[i] = bytes.Equal(c.RawSubject, c.RawIssuer) &&
			c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
	}
	for i := 0; i+1 < n; i++ {
		ch.issuedByNext[i] = ch.signs(i+1, i)
	}
	ch.leaf = ch.findLeaf()
	ch.walk(store)
	for _, p := range ch.path {
		ch.onPath[p] = true
	}
	return ch
}

// signs reports whether the certificate at parent signed the one at child:
// the names chain and the signature verifies with the parent's key.
// Signatures are checked, not names alone, so a look-alike issuer fails.
func (ch *chain) signs(parent, child int) bool {
	if parent == child {
		return false
	}
	key := [2]int{parent, child}
	if v, ok := ch.signsMemo[key]; ok {
		return v
	}
	p, c := ch.certs[parent], ch.certs[child]
	ok := bytes.Equal(c.RawIssuer, p.RawSubject) &&
		(len(c.AuthorityKeyId) == 0 || len(p.SubjectKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, p.SubjectKeyId)) &&
		p.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
	ch.signsMemo[key] = ok
	return ok
}

// issuesAny reports whether the certificate at i signed another presented
// certificate (its duplicates and itself aside).
func (ch *chain) issuesAny(i int) bool {
	byIssuer := ch.certs[i].RawSubject
	for j, c := range ch.certs {
		if j == i || ch.sums[j] == ch.sums[i] || !bytes.Equal(c.RawIssuer, byIssuer) {
			continue
		}
		if ch.signs(i, j) {
			return true
		}
	}
	return false
}

// findLeaf picks the end-entity certificate: position 0 when it signed no
// other presented certificate (the usual case), else the first non-CA
// certificate that signed none (a root-first or reversed bundle), else 0.
func (ch *chain) findLeaf() int {
	if len(ch.certs) == 0 || !ch.issuesAny(0) {
		return 0
	}
	fallback := -1
	for i, c := range ch.certs {
		if ch.duplicateOf[i] >= 0 || ch.issuesAny(i) {
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

// walk follows issuers from the leaf: first a store root that is the
// current certificate itself, then a presented issuer (the next position
// first), then a store root that signed it; it stops where none is found.
func (ch *chain) walk(store *trust.Store) {
	if len(ch.certs) == 0 {
		return
	}
	cur := ch.leaf
	seen := map[[32]byte]bool{}
	for len(ch.path) < maxPathLen {
		ch.path = append(ch.path, cur)
		seen[ch.sums[cur]] = true
		c := ch.certs[cur]
		if r := store.Find(c); r != nil {
			ch.anchor = r
			ch.anchorSeen = cur
			if bytes.Equal(r.Cert.Raw, c.Raw) {
				ch.anchorAt = cur
			}
			return
		}
		if ch.selfSigned[cur] {
			ch.selfSignedTop = true
			return
		}
		next := -1
		if cur+1 < len(ch.certs) && !seen[ch.sums[cur+1]] && ch.signs(cur+1, cur) {
			next = cur + 1
		} else {
			for j := range ch.certs {
				if !seen[ch.sums[j]] && ch.duplicateOf[j] < 0 && bytes.Equal(ch.certs[j].RawSubject, c.RawIssuer) && ch.signs(j, cur) {
					next = j
					break
				}
			}
		}
		if next >= 0 {
			cur = next
			continue
		}
		if roots := store.Issuers(c); len(roots) > 0 {
			ch.anchor = roots[0]
			for _, r := range roots {
				if r.Constraint == nil || r.Constraint(ch.pathCerts(r)) == nil {
					ch.anchor = r
					break
				}
			}
			return
		}
		ch.missing = cur
		return
	}
}

// judgedCert is a certificate on the path as a verifier judges it; pos is
// its presented position, or -1 for the store root.
type judgedCert struct {
	pos  int
	cert *x509.Certificate
}

// name names the certificate in a sentence.
func (j judgedCert) name() string {
	if j.pos < 0 {
		return "store root " + shortName(j.cert)
	}
	return at(j.pos, j.cert)
}

// judged returns the path as a verifier judges it: the presented
// certificates from the leaf, then the store root. A presented certificate
// with the anchor's subject and key stands for the anchor and is replaced
// by the store's copy, as verifiers do (Java's PKIXValidator stops at such
// a certificate; Go's path builder anchors there): an expired cross-sign of
// a trusted root costs nothing.
func (ch *chain) judged(root *trust.Root) []judgedCert {
	out := make([]judgedCert, 0, len(ch.path)+1)
	for _, p := range ch.path {
		if p == ch.anchorSeen && p != ch.anchorAt {
			break
		}
		out = append(out, judgedCert{p, ch.certs[p]})
	}
	if root != nil && ch.anchorAt < 0 {
		out = append(out, judgedCert{-1, root.Cert})
	}
	return out
}

// pathCerts returns the certificates of the path as a verifier judges it
// (see judged).
func (ch *chain) pathCerts(root *trust.Root) []*x509.Certificate {
	var out []*x509.Certificate
	for _, j := range ch.judged(root) {
		out = append(out, j.cert)
	}
	return out
}

// inOrder reports whether the path occupies positions 0, 1, 2, … in order.
func (ch *chain) inOrder() bool {
	for i, p := range ch.path {
		if p != i {
			return false
		}
	}
	return true
}

// role names the part a presented certificate plays.
func (ch *chain) role(i int) string {
	switch {
	case ch.duplicateOf[i] >= 0:
		return "duplicate"
	case i == ch.leaf:
		return "leaf"
	case !ch.onPath[i]:
		return "unrelated"
	case i == ch.anchorAt || ch.selfSigned[i]:
		return "root"
	default:
		return "intermediate"
	}
}
