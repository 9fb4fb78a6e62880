package inspect

import (
	"fmt"
	"time"
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
	k := indexOf(ch.path, i)
	if k+1 < len(ch.path) {
		j := ch.path[k+1]
		l.Kind, l.Position, l.Issuer = LinkPresented, j, shortName(ch.certs[j])
		switch {
		case j == i+1:
			l.Status = StatusPass
		case i+1 < len(ch.certs):
			l.Status, l.Reason = StatusFail, fmt.Sprintf("not issued by #%d (issued by #%d)", i+1, j)
		default:
			l.Status, l.Reason = StatusFail, fmt.Sprintf("issued by #%d, which is sent before it", j)
		}
		return l
	}
	// The end of the path: a store root, a self-signed certificate, or a
	// missing issuer.
	c := ch.certs[i]
	switch {
	case ch.anchor != nil:
		l.Kind, l.Issuer = LinkStore, shortName(ch.anchor.Cert)
		if ch.anchorSeen == i {
			l.Kind = LinkAnchor
		}
		l.Status = StatusPass
		if root.Status == StatusFail {
			l.Status, l.Reason = StatusFail, fmt.Sprintf("store root %s refused (see trust.root)", shortName(ch.anchor.Cert))
		}
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

// offPathNote says what a presented certificate off the path is.
func offPathNote(ch *chain, i int) string {
	switch {
	case ch.duplicateOf[i] >= 0:
		return fmt.Sprintf("a copy of #%d", ch.duplicateOf[i])
	case !ch.onPath[i]:
		return "not on the path to the root"
	}
	return ""
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
