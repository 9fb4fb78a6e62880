package inspect

import (
	"bytes"
	"crypto/x509"
	"time"

	"chainscope/inspect/trust"
	"chainscope/inspect/verify"
)

// chain is the analysis of certificates as presented: who certifies whom,
// which one is the server's certificate, every candidate path from it and
// the one the sender would take (see package verify).
type chain struct {
	certs []*x509.Certificate
	a     *verify.Analysis
	// live is set for a chain a server sent: position 0 is the server's
	// certificate, whatever its role (sender-model.md section 3).
	live bool
	// keyAt is the position whose key signed the handshake, -1 when not
	// known (a file, or no signature to check).
	keyAt int
	// leaf is the position the paths start at: 0 for a live target, the
	// end-entity certificate for a file (usually 0 too).
	leaf int
	// endEntity is the end-entity certificate by role, found as for a
	// file; it differs from leaf when a server sends a CA first.
	endEntity int
	// best is the path the sender would take, or the one to explain.
	best *verify.Path
	// path lists its presented positions from the leaf towards the root.
	path []int
	// anchor is the store root the path ends at, nil when none was found.
	anchor *trust.Root
	// anchorAt is the position of the presented certificate that is the
	// anchor itself (the same bytes), or -1.
	anchorAt int
	// anchorSeen is the position of the presented certificate the anchor
	// was found as: the root itself, or another certificate with its
	// subject and key (a cross-signed or re-signed copy); -1 when the
	// store's copy issued the path's last certificate.
	anchorSeen int
	// missing is the certificate whose issuer is neither presented nor in
	// the store, -1 when none.
	missing int
	// stuck is the certificate the path stops at although an issuer of
	// it exists: its issuers are already on the path (a loop of
	// cross-signs), or the search's bounds stopped it; -1 when none.
	stuck int
	// selfSignedTop is true when the path ends at a self-signed
	// certificate that is not in the store.
	selfSignedTop bool
	selfSigned    []bool
	issuedByNext  []bool
	// duplicateOf is the earlier position of the same certificate, or -1.
	duplicateOf []int
	onPath      []bool
}

// chainFacts is what the handshake adds to the certificates: whether they
// came from a live server, and whose key signed its ServerKeyExchange.
type chainFacts struct {
	live  bool
	keyAt int
}

func analyzeChain(certs []*x509.Certificate, store *trust.Store, at time.Time, facts chainFacts) *chain {
	n := len(certs)
	a := verify.Analyze(certs, verify.Options{Store: store, At: at, Leaf: 0, FindLeaf: !facts.live})
	ch := &chain{
		certs:        certs,
		a:            a,
		live:         facts.live,
		keyAt:        facts.keyAt,
		leaf:         a.Leaf,
		endEntity:    a.Leaf,
		best:         a.Best(),
		anchorAt:     -1,
		anchorSeen:   -1,
		missing:      -1,
		stuck:        -1,
		selfSigned:   make([]bool, n),
		issuedByNext: make([]bool, n),
		duplicateOf:  make([]int, n),
		onPath:       make([]bool, n),
	}
	if facts.live {
		ch.endEntity = verify.Analyze(certs, verify.Options{Store: store, At: at, FindLeaf: true}).Leaf
	}
	for i := range certs {
		ch.duplicateOf[i] = a.DuplicateOf(i)
		ch.selfSigned[i] = a.SelfSigned(i)
	}
	for i := 0; i+1 < n; i++ {
		ch.issuedByNext[i] = a.Certifies(i+1, i)
	}
	b := ch.best
	ch.path = b.Positions
	for _, p := range ch.path {
		ch.onPath[p] = true
	}
	switch b.End {
	case verify.EndAnchor:
		ch.anchor = b.Anchor
		ch.anchorSeen = b.Seen
		if b.Seen >= 0 && bytes.Equal(certs[b.Seen].Raw, b.Anchor.Cert.Raw) {
			ch.anchorAt = b.Seen
		}
	case verify.EndSelfSigned:
		ch.selfSignedTop = true
	case verify.EndMissing:
		ch.missing = b.Top()
	default:
		ch.stuck = b.Top()
	}
	return ch
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
// a certificate; Go's path builder anchors there): an expired cross-sign
// of a trusted root costs nothing.
func (ch *chain) judged() []judgedCert {
	out := make([]judgedCert, len(ch.best.Certs))
	for i, c := range ch.best.Certs {
		out[i] = judgedCert{ch.best.Pos[i], c}
	}
	return out
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

// refusedSignature reports whether a signature on the path uses an
// algorithm the sender refuses: such a link does not hold for it.
func (ch *chain) refusedSignature() bool {
	for _, f := range ch.best.Failures {
		if f.Reason == verify.SignatureRefused {
			return true
		}
	}
	return false
}
