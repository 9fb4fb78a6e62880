package inspect

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"chainscope/inspect/trust"
)

// formerRoot finds the root Mozilla's list used to include that the path
// ends at, when it reaches no root of the store: the path's self-signed top
// when it is such a root (presented), or the removed root that signed the
// certificate the path stops at. It returns nil when the path is anchored,
// when the store keeps no history (system roots, a roots file), or when the
// top is no root the history knows.
func formerRoot(ch *chain, store *trust.Store) (*FormerRoot, *x509.Certificate) {
	h := store.History()
	if h == nil || ch.anchor != nil || len(ch.path) == 0 {
		return nil, nil
	}
	var p *trust.PastRoot
	presented := false
	switch {
	case ch.selfSignedTop:
		p = h.Former(ch.certs[ch.path[len(ch.path)-1]])
		presented = true
	case ch.missing >= 0:
		p = h.FormerIssuer(ch.certs[ch.missing])
	}
	if p == nil || p.Removed == nil {
		return nil, nil
	}
	fr := &FormerRoot{
		Subject:           p.Subject,
		SHA256:            p.SHA256,
		Presented:         presented,
		FirstRelease:      p.First.Version,
		FirstDate:         p.First.Date,
		FirstIsOldestRead: h.OldestRead(p),
		LastRelease:       p.Last.Version,
		LastDate:          p.Last.Date,
		RemovedRelease:    p.Removed.Version,
		RemovedDate:       p.Removed.Date,
		Successors:        successors(p.Cert, store),
	}
	if !p.DistrustAfter.IsZero() {
		d := p.DistrustAfter.UTC()
		fr.DistrustAfter = &d
	}
	return fr, p.Cert
}

// successors names the roots of the store from the same organisation as
// old, the most alike by name first (DigiCert Global Root CA → DigiCert
// Global Root G2), at most three: the roots to ask that CA for.
func successors(old *x509.Certificate, store *trust.Store) []string {
	if len(old.Subject.Organization) == 0 {
		return nil
	}
	org := old.Subject.Organization[0]
	type cand struct {
		name   string
		common int
	}
	var cs []cand
	for _, r := range store.Roots() {
		if !slices.Contains(r.Cert.Subject.Organization, org) {
			continue
		}
		name := shortName(r.Cert)
		cs = append(cs, cand{name, commonPrefix(name, shortName(old))})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.common != b.common {
			return b.common - a.common
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for i, c := range cs {
		if i == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// explainFormerRoot rewrites trust.root and chain.complete for a path that
// ends at a root Mozilla's list dropped: the reason is the removal, not an
// unknown CA or a missing intermediate, and the fix is a new chain from
// the CA (Mozilla Root Store Policy §7: a removed root is not trusted for
// any certificate, whatever its issuance date).
func explainFormerRoot(have map[string]Check, ch *chain, fr *FormerRoot, cert *x509.Certificate, storeName storeRef) {
	name := shortName(cert)
	where := "not presented"
	if fr.Presented {
		where = "presented"
	}
	since := "from " + day(fr.FirstDate)
	if fr.FirstIsOldestRead {
		since = "from at least " + day(fr.FirstDate) + " (the oldest release read)"
	}
	history := fmt.Sprintf("which Mozilla's list no longer includes: its releases held it %s to %s and dropped it by the release of %s (x509roots/fallback %s)",
		since, day(fr.LastDate), day(fr.RemovedDate), fr.RemovedRelease)
	if fr.DistrustAfter != nil {
		history += fmt.Sprintf("; before that, Mozilla stopped trusting certificates issued under it after %s", day(*fr.DistrustAfter))
	}
	ask := "ask your CA for a certificate that chains to a root in Mozilla's list today (an intermediate cross-signed by such a root will do)"
	if len(fr.Successors) > 0 {
		ask = fmt.Sprintf("ask the CA for a certificate that chains to one of its roots in Mozilla's list today (%s), or for an intermediate cross-signed by one", joinOr(fr.Successors))
	}
	ask += ", and install that chain; no server setting brings the old root back"

	root := newCheck(CheckRoot)
	root.Status = StatusFail
	root.Detail = fmt.Sprintf("the path ends at %s (%s), %s", name, where, history)
	root.Fix = ask
	have[CheckRoot] = root

	complete := have[CheckComplete]
	if complete.Status == StatusFail {
		top := ch.path[len(ch.path)-1]
		if fr.Presented {
			complete.Detail = fmt.Sprintf("no intermediate is missing: the path ends at the presented %s, a root Mozilla's list no longer includes (dropped between %s and %s; see trust.root)", at(top, ch.certs[top]), day(fr.LastDate), day(fr.RemovedDate))
		} else {
			complete.Detail = fmt.Sprintf("no intermediate is missing: %s is issued by %s, a root Mozilla's list no longer includes (dropped between %s and %s; see trust.root)", at(top, ch.certs[top]), name, day(fr.LastDate), day(fr.RemovedDate))
		}
		complete.Fix = "get a certificate under a root the " + storeName.String() + " includes today (see trust.root)"
		have[CheckComplete] = complete
	}
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
