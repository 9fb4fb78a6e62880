package inspect

import (
	"fmt"
	"time"

	"chainscope/inspect/verify"
)

// expiryOf judges a validity period at now: RFC 5280 §4.1.2.5, with the
// 30-day warning of [expiryWarning].
func expiryOf(notBefore, notAfter, now time.Time) Expiry {
	e := Expiry{DaysLeft: int(notAfter.Sub(now).Hours() / 24)}
	switch {
	case now.Before(notBefore):
		e.State, e.Status = ExpiryNotYetValid, StatusFail
	case now.After(notAfter):
		e.State, e.Status = ExpiryExpired, StatusFail
	case notAfter.Sub(now) < expiryWarning:
		e.State, e.Status = ExpiryExpiring, StatusWarn
	default:
		e.State, e.Status = ExpiryValid, StatusPass
	}
	return e
}

// linkOf says how the presented certificate at i is tied to its issuer on
// the path; root is the trust.root check, whose outcome decides whether a
// store root that was reached is accepted, and fr the root Mozilla's list
// dropped that the path ends at, or nil.
func linkOf(ch *chain, i int, root Check, fr *FormerRoot) Link {
	l := Link{Position: -1}
	if !ch.onPath[i] || ch.duplicateOf[i] >= 0 {
		l.Kind, l.Status = LinkOffPath, StatusSkip
		return l
	}
	c := ch.certs[i]
	refusedRoot := func() {
		if root.Status == StatusFail {
			l.Status, l.Reason = StatusFail, fmt.Sprintf("store root %s refused (see trust.root)", shortName(ch.anchor.Cert))
		}
	}
	if i == ch.anchorSeen {
		l.Kind, l.Issuer, l.Status = LinkAnchor, shortName(ch.anchor.Cert), StatusPass
		refusedRoot()
		return l
	}
	b := ch.best
	k := indexOf(b.Pos, i)
	if k+1 < len(b.Certs) {
		j := b.Pos[k+1]
		if j < 0 {
			// The store's copy of the root stands for the presented one.
			j = ch.anchorSeen
		}
		l.Issuer, l.Status = shortName(b.Certs[k+1]), StatusPass
		if j >= 0 {
			l.Kind, l.Position = LinkPresented, j
			switch {
			case j == i+1:
			case i+1 < len(ch.certs):
				l.Status, l.Reason = StatusFail, fmt.Sprintf("not issued by #%d (issued by #%d)", i+1, j)
			default:
				l.Status, l.Reason = StatusFail, fmt.Sprintf("issued by #%d, which is sent before it", j)
			}
		} else {
			l.Kind = LinkStore
			refusedRoot()
		}
		for _, f := range b.Failures {
			if f.Index == k+1 && issuerReason(f.Reason) && l.Status != StatusFail {
				l.Status, l.Reason = StatusFail, fmt.Sprintf("issued by %s, which may not issue it (see trust.root)", l.Issuer)
			}
		}
		switch alg := b.Algorithms[k]; alg.Verdict {
		case verify.Refused:
			l.Status, l.Reason = StatusFail, fmt.Sprintf("signed with %s, which the sender refuses", alg.Name)
		case verify.Weak:
			if l.Status == StatusPass {
				l.Status, l.Reason = StatusWarn, fmt.Sprintf("signed with %s, which clients other than the sender refuse", alg.Name)
			}
		}
		return l
	}
	// The end of a path that reached no root of the store.
	switch f := worstFailure(b); {
	case f.Reason == verify.Loop && f.IssuerPos >= 0:
		l.Kind, l.Position, l.Issuer = LinkPresented, f.IssuerPos, shortName(f.Issuer)
		l.Status, l.Reason = StatusFail, fmt.Sprintf("issued by #%d, already on the path: no root of the store above it", f.IssuerPos)
	case f.Reason == verify.SearchLimit:
		l.Kind, l.Issuer = LinkMissing, issuerName(c)
		l.Status, l.Reason = StatusFail, "not reached: the search for a path stopped at its bounds"
	case ch.selfSignedTop:
		l.Kind, l.Issuer = LinkSelfSigned, shortName(c)
		l.Status, l.Reason = StatusFail, "self-signed, not in store"
		if fr != nil {
			l.Reason = "self-signed, a root Mozilla's list dropped"
		}
	default:
		l.Kind, l.Issuer = LinkMissing, issuerName(c)
		l.Status, l.Reason = StatusFail, "issuer not presented, not in store"
		if fr != nil {
			l.Reason = "issued by a root Mozilla's list dropped"
		}
	}
	return l
}

// issuerReason reports whether a failure at a certificate says it may not
// issue the one below it.
func issuerReason(r verify.Reason) bool {
	switch r {
	case verify.NotCA, verify.NoKeyCertSign, verify.PathLength, verify.NameConstraint:
		return true
	}
	return false
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
