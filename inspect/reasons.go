package inspect

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect/verify"
)

// failureName names the certificate a failure is about: "#1 CN=R3", or
// "store root CN=ISRG Root X1".
func failureName(f verify.Failure) string {
	return judgedCert{f.Pos, f.Cert}.name()
}

// failureText says in one phrase why a path fails; the README's section
// "How a path is chosen" lists the same reasons.
func failureText(f verify.Failure, storeName storeRef) string {
	name := failureName(f)
	switch f.Reason {
	case verify.Expired:
		return fmt.Sprintf("%s expired on %s", name, f.Detail)
	case verify.NotYetValid:
		return fmt.Sprintf("%s is not valid before %s", name, f.Detail)
	case verify.SignatureRefused:
		return fmt.Sprintf("%s is signed with %s, which the sender refuses (outside OTP's signature algorithms)", name, f.Detail)
	case verify.ExtKeyUsage:
		return fmt.Sprintf("%s's extended key usage (%s) does not allow server authentication", name, f.Detail)
	case verify.NameConstraint:
		return fmt.Sprintf("%s's name constraints refuse the path: %s", name, f.Detail)
	case verify.PathLength:
		return fmt.Sprintf("%s's path length constraint is exceeded (%s)", name, f.Detail)
	case verify.NotCA:
		return fmt.Sprintf("%s issues a certificate on the path but is not a CA (basic constraints)", name)
	case verify.NoKeyCertSign:
		return fmt.Sprintf("%s issues a certificate on the path but its key usage lacks keyCertSign", name)
	case verify.CriticalExtension:
		return fmt.Sprintf("%s has a critical extension the sender does not process (%s)", name, f.Detail)
	case verify.Distrusted:
		return fmt.Sprintf("the %s distrusts %s for this path: %s", storeName, shortName(f.Cert), distrustText(f.Detail))
	case verify.UntrustedRoot:
		return fmt.Sprintf("the path ends at the self-signed %s, which is not in the %s", name, storeName)
	case verify.MissingIssuer:
		return fmt.Sprintf("the issuer of %s, %s, is neither presented nor in the %s", name, issuerName(f.Cert), storeName)
	case verify.Loop:
		if f.Issuer == nil {
			return fmt.Sprintf("the issuers of %s are already on the path, which reaches no root of the %s", name, storeName)
		}
		return fmt.Sprintf("%s is issued by %s, which is already on the path: the cross-signs lead back to each other and reach no root of the %s", name, at(f.IssuerPos, f.Issuer), storeName)
	case verify.SearchLimit:
		return fmt.Sprintf("the search for a path stopped at %s, at its bounds (%s), before any root of the %s", name, f.Detail, storeName)
	}
	return name + " fails"
}

// distrustText rewrites the distrust-after constraint's message of
// golang.org/x/crypto/x509roots/fallback ("certificate issued after
// distrust-after date "2024-11-30 23:59:59 +0000 UTC"") as a sentence
// with the date and the rule.
func distrustText(msg string) string {
	const prefix = "certificate issued after distrust-after date "
	d, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		return msg
	}
	d = strings.Trim(d, `"`)
	for _, layout := range []string{"2006-01-02 15:04:05 -0700 MST", time.RFC3339} {
		if t, err := time.Parse(layout, d); err == nil {
			return "a certificate on it was issued after " + t.UTC().Format(time.DateOnly) + ", the root's distrust-after date (Mozilla Root Store Policy §7.4)"
		}
	}
	return msg
}

// trustReasons are the failures trust.root answers for; validity,
// algorithms and a missing issuer have checks of their own.
func trustReason(r verify.Reason) bool {
	switch r {
	case verify.ExtKeyUsage, verify.NameConstraint, verify.PathLength, verify.NotCA,
		verify.NoKeyCertSign, verify.CriticalExtension, verify.Distrusted:
		return true
	}
	return false
}

// pathText draws a path as its positions and its end: "#0 → #2 → store
// root CN=ISRG Root X1".
func pathText(p *verify.Path) string {
	var parts []string
	for _, pos := range p.Positions {
		parts = append(parts, fmt.Sprintf("#%d", pos))
	}
	switch p.End {
	case verify.EndAnchor:
		if p.Seen < 0 {
			parts = append(parts, "store root "+shortName(p.Anchor.Cert))
		}
	case verify.EndMissing:
		parts = append(parts, "missing "+issuerName(p.Certs[len(p.Certs)-1]))
	case verify.EndLoop:
		if p.LoopsTo >= 0 {
			parts = append(parts, fmt.Sprintf("back to #%d", p.LoopsTo))
		}
	}
	return strings.Join(parts, " → ")
}

// worstFailure is the failure that explains a path: its least useful one.
func worstFailure(p *verify.Path) verify.Failure {
	w := p.Failures[0]
	for _, f := range p.Failures[1:] {
		if f.Reason > w.Reason {
			w = f
		}
	}
	return w
}

// otherPaths describes the candidate paths not chosen, best first.
func otherPaths(ch *chain, storeName storeRef) []CandidatePath {
	var out []CandidatePath
	for _, p := range ch.a.Paths[1:] {
		cp := CandidatePath{Path: append([]int{}, p.Positions...), Summary: pathText(p), Valid: p.Valid()}
		if !p.Valid() {
			cp.Reason = failureText(worstFailure(p), storeName)
		}
		out = append(out, cp)
	}
	return out
}

// othersText lists the failing paths not chosen, for a check's detail.
func othersText(ch *chain, storeName storeRef) string {
	var parts []string
	for _, p := range ch.a.Paths[1:] {
		if p.Valid() {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s", pathText(p), failureText(worstFailure(p), storeName)))
		if len(parts) == 3 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; other paths fail too (" + strings.Join(parts, "; ") + ")"
}

// offPathNote says what a presented certificate off the path is, and
// what to do with it.
func offPathNote(ch *chain, i int, storeName storeRef) string {
	c := ch.certs[i]
	switch {
	case ch.duplicateOf[i] >= 0:
		return fmt.Sprintf("a copy of #%d: drop it", ch.duplicateOf[i])
	case ch.onPath[i]:
		return ""
	case ch.live && i == ch.endEntity:
		return fmt.Sprintf("the end-entity certificate, but the sender takes #0 %s as the server's certificate", shortName(ch.certs[0]))
	}
	// Another certificate for the key of one on the path: a cross-sign
	// or a re-issued intermediate.
	for _, p := range ch.path {
		o := ch.certs[p]
		if bytes.Equal(o.RawSubject, c.RawSubject) && bytes.Equal(o.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) {
			return fmt.Sprintf("another certificate for the key of #%d %s (a cross-sign or a re-issue), issued by %s%s: drop it",
				p, shortName(o), issuerName(c), viaText(ch, i, storeName))
		}
	}
	if ch.missing >= 0 && ch.selfSigned[i] {
		return fmt.Sprintf("the self-signed root %s, which the path does not reach: an intermediate is missing below it (see chain.complete), or it does not belong in the file", shortName(c))
	}
	if ch.missing >= 0 && c.IsCA {
		return fmt.Sprintf("a CA certificate issued by %s that the path does not reach: an intermediate is missing below it (see chain.complete), or it does not belong in the file", issuerName(c))
	}
	if ch.a.StandsForRoot(i) {
		return fmt.Sprintf("a copy of a store root, %s, that the path does not use: drop it", shortName(c))
	}
	if via := viaText(ch, i, storeName); via != "" {
		return fmt.Sprintf("%s, issued by %s%s: drop it", kindOf(c), issuerName(c), via)
	}
	return fmt.Sprintf("%s that issued nothing on the path: drop it", kindOf(c))
}

// kindOf says what a certificate is: "a CA certificate" or "an
// end-entity certificate for …".
func kindOf(c *x509.Certificate) string {
	if c.IsCA {
		return "a CA certificate"
	}
	if len(c.DNSNames) > 0 {
		return "an end-entity certificate for " + joinAnd(truncateList(c.DNSNames, 3))
	}
	return "an end-entity certificate"
}

// viaText says how the best candidate path through the presented
// certificate at i fares, or "" when none passes through it.
func viaText(ch *chain, i int, storeName storeRef) string {
	for _, p := range ch.a.Paths[1:] {
		for _, pos := range p.Positions {
			if pos != i {
				continue
			}
			if p.Valid() {
				return "; a valid path goes through it too, but the sender reads the list as sent"
			}
			return "; the path through it fails: " + failureText(worstFailure(p), storeName)
		}
	}
	return ""
}
