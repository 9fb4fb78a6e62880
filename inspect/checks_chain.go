package inspect

import (
	"bytes"
	"crypto/dsa" //lint:ignore SA1019 DSA keys are still met in the wild and must be named
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/verify"
)

// expiryWarning is how close to its end a certificate on the path draws a
// warning: renewal automation (ACME clients renew at 30 days left) should
// have replaced it by then.
const expiryWarning = 30 * 24 * time.Hour

// chainChecks judges the analysed chain by the policy's rules.
func chainChecks(ch *chain, pol *policy.Policy, storeName storeRef, serverName string, now time.Time) []Check {
	return []Check{
		orderCheck(ch, pol, storeName),
		completeCheck(ch, storeName),
		extraCheck(ch, storeName),
		rootCheck(ch, storeName),
		validityCheck(ch, now),
		hostnameCheck(ch, serverName),
	}
}

// orderCheck: the sender reads the list as a path (sender-model.md
// section 3; RFC 5246 §7.4.2: "each following certificate MUST directly
// certify the one preceding it"): the server's certificate first, each
// one certified by the next. A duplicate or an unrelated certificate
// anywhere breaks it; a root at the end certifies the one before it and is
// fine.
func orderCheck(ch *chain, pol *policy.Policy, storeName storeRef) Check {
	c := newCheck(CheckOrder)
	n := len(ch.certs)
	var broken []string
	for i := 0; i+1 < n; i++ {
		if !ch.issuedByNext[i] {
			broken = append(broken, orderBreak(ch, i))
		}
	}
	firstOK := ch.leaf == 0 && ch.endEntity == 0
	if firstOK && len(broken) == 0 {
		c.Status = StatusPass
		c.Detail = "only one certificate is presented; there is nothing to order"
		if n > 1 {
			c.Detail = fmt.Sprintf("each of the %d presented certificates is issued by the one after it, leaf first", n)
		}
		return c
	}
	c.Status = StatusFail
	if !pol.RequireOrder {
		c.Status = StatusWarn
	}
	var parts []string
	switch {
	case ch.leaf != 0:
		parts = append(parts, fmt.Sprintf("the leaf %s is not first: %s is at position 0", at(ch.leaf, ch.certs[ch.leaf]), shortName(ch.certs[0])))
	case ch.endEntity != 0:
		parts = append(parts, fmt.Sprintf("#0 %s, a CA certificate, is sent first, so the sender takes it as the server's certificate; the end-entity certificate is %s", shortName(ch.certs[0]), at(ch.endEntity, ch.certs[ch.endEntity])))
	}
	if len(broken) > 3 {
		broken = append(broken[:3], fmt.Sprintf("%d more breaks", len(broken)-3))
	}
	parts = append(parts, broken...)
	c.Detail = strings.Join(parts, "; ")
	c.Fix = orderFix(ch, storeName)
	return c
}

// orderBreak says why the certificate at i is not issued by the next
// (the words of RFC 5280 and of the tree: "issued by").
func orderBreak(ch *chain, i int) string {
	j := i + 1
	if ch.duplicateOf[j] >= 0 {
		return fmt.Sprintf("#%d is a copy of #%d", j, ch.duplicateOf[j])
	}
	return fmt.Sprintf("%s is not issued by #%d %s", at(i, ch.certs[i]), j, shortName(ch.certs[j]))
}

// orderFix is the list that would pass, exactly as --fix-chain writes it
// ([Repair]): the path's presented certificates in path order, the root
// left out (the sender has it in its store), everything else dropped. A
// live server that sends a CA certificate first needs its own certificate
// first, and the key that goes with it.
func orderFix(ch *chain, storeName storeRef) string {
	var want, drop []string
	root := ""
	for _, p := range ch.path {
		if p == ch.anchorAt || (p == ch.anchorSeen && p != ch.leaf) {
			root = fmt.Sprintf("the root %s left out: the sender has it in its store", at(p, ch.certs[p]))
			continue
		}
		want = append(want, at(p, ch.certs[p]))
	}
	if root != "" && len(want) > 0 {
		want[len(want)-1] += " (" + root + ")"
	}
	for i := range ch.certs {
		if !ch.onPath[i] || ch.duplicateOf[i] >= 0 {
			drop = append(drop, fmt.Sprintf("#%d", i))
		}
	}
	if ch.live && ch.endEntity != 0 {
		ee := at(ch.endEntity, ch.certs[ch.endEntity])
		switch ch.keyAt {
		case ch.endEntity:
			return fmt.Sprintf("send the end-entity certificate %s first (the server's key belongs to it), then its issuers in order", ee)
		case 0:
			return fmt.Sprintf("the server's private key belongs to #0 %s, a CA certificate, not to %s: configure the server with %s and its own private key (or get a new certificate for the key it has)", shortName(ch.certs[0]), ee, ee)
		}
		return fmt.Sprintf("configure the server with %s first and its issuers after it, with that certificate's private key; if the key the server holds belongs to #0 %s, a CA certificate, a new certificate for the server's own key is needed", ee, shortName(ch.certs[0]))
	}
	if ch.missing >= 0 {
		m := ch.certs[ch.missing]
		fix := fmt.Sprintf("add the missing %s right after %s (see chain.complete), each certificate followed by its issuer", issuerName(m), at(ch.missing, m))
		if ch.leaf != 0 {
			fix = fmt.Sprintf("put the leaf %s first, ", at(ch.leaf, ch.certs[ch.leaf])) + fix
		}
		return fix
	}
	fix := "present the certificates in this order: " + strings.Join(want, ", ")
	if ch.leaf == 0 && len(ch.path) > 1 && ch.path[1] != 1 {
		p := ch.path[1]
		fix = fmt.Sprintf("put the intermediate %s right after the leaf in your certificate file; the full order is %s", shortName(ch.certs[p]), strings.Join(want, ", "))
	}
	if len(drop) > 0 {
		fix += "; drop " + joinAnd(drop) + " (see chain.extra)"
	}
	return fix
}

// completeCheck: the sender builds the path from what the server sends and
// its own roots; it fetches nothing (no AIA chasing), so every
// intermediate must be presented (RFC 5246 §7.4.2). OTP releases of the
// sender's era verify at most one intermediate below the root by default
// (ssl option depth, 1 in OTP 21-22; sender-model.md section 3): a longer
// path works only if the sender raised it.
func completeCheck(ch *chain, storeName storeRef) Check {
	c := newCheck(CheckComplete)
	switch {
	case ch.anchor != nil:
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("the path reaches %s in the %s with no intermediate missing", shortName(ch.anchor.Cert), storeName)
		if k := ch.intermediates(); k >= 2 {
			c.Status = StatusWarn
			c.Detail += fmt.Sprintf("; it holds %d intermediates below the root, and OTP releases of the sender's era verify at most 1 by default (ssl option depth 1): the delivery works only if the sender raised its verify depth", k)
			c.Fix = "serve a chain with at most one intermediate below the root (ask your CA for the shorter chain or another cross-sign), or confirm the sender's verify depth"
		}
	case ch.missing >= 0:
		m := ch.certs[ch.missing]
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the issuer of %s, %s, is neither presented nor in the %s", at(ch.missing, m), issuerName(m), storeName)
		for _, j := range ch.a.Imposters(ch.missing) {
			c.Detail += fmt.Sprintf("; %s has that name but a different key: it did not sign %s", at(j, ch.certs[j]), at(ch.missing, m))
		}
		// Without the issuer in hand there is no telling an intermediate
		// left out from a root the store does not include (a removed or
		// private CA), so the fix covers both.
		c.Fix = fmt.Sprintf("if %s is an intermediate, add it right after %s in your certificate file", issuerName(m), shortName(m))
		if len(m.IssuingCertificateURL) > 0 {
			c.Fix += fmt.Sprintf(" (its CA publishes it at %s)", m.IssuingCertificateURL[0])
		}
		c.Fix += "; " + missingRootFix(storeName, issuerName(m))
	case ch.stuck >= 0:
		c.Status = StatusFail
		c.Detail = failureText(worstFailure(ch.best), storeName)
		c.Fix = stuckFix(ch, storeName)
	default:
		top := ch.path[len(ch.path)-1]
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("nothing is missing in between, but the path ends at the self-signed %s, which is not in the %s", at(top, ch.certs[top]), storeName)
		c.Fix = "use a certificate issued under a root in the store (see trust.root)"
	}
	return c
}

// stuckFix says what makes a path that stopped with an issuer in hand
// reach a root: for a loop of cross-signs, a certificate of one of the
// looping CAs issued under a root of the store (or that CA's own root in
// a file store); for the search's bounds, a file holding only the path.
func stuckFix(ch *chain, storeName storeRef) string {
	f := worstFailure(ch.best)
	if f.Reason != verify.Loop || f.IssuerPos < 0 {
		return "present only the leaf and its intermediates in order: the file holds more certificates than the search for a path goes through"
	}
	var names []string
	for _, p := range ch.path[max(0, slices.Index(ch.path, f.IssuerPos)):] {
		if n := shortName(ch.certs[p]); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	fix := fmt.Sprintf("present a certificate for %s issued by a root of the %s (the cross-sign its CA publishes)", joinOr(names), storeName)
	if storeName.kind != "mozilla" {
		fix += fmt.Sprintf("; if one of them is your own CA, add its self-signed root to the %s", storeName)
	}
	return fix
}

// intermediates counts the certificates between the leaf and the root on
// the path, self-issued ones aside (OTP's depth counts "non-self-issued
// intermediate certificates").
func (ch *chain) intermediates() int {
	certs := ch.best.Certs
	n := 0
	for i := 1; i+1 < len(certs); i++ {
		if !bytes.Equal(certs[i].RawSubject, certs[i].RawIssuer) {
			n++
		}
	}
	return n
}

// extraCheck: certificates off the path cost every handshake bytes and
// break the order the sender reads (see chain.order); each is named for
// what it is.
func extraCheck(ch *chain, storeName storeRef) Check {
	c := newCheck(CheckExtra)
	var items, drop []string
	for i, cert := range ch.certs {
		if note := offPathNote(ch, i, storeName); note != "" {
			items = append(items, fmt.Sprintf("%s is %s", at(i, cert), note))
			drop = append(drop, fmt.Sprintf("#%d", i))
		}
	}
	if len(items) == 0 {
		c.Status = StatusPass
		c.Detail = "every presented certificate is on the path"
		if ch.anchorAt >= 0 && ch.anchorAt != ch.leaf {
			c.Detail += fmt.Sprintf("; the root %s is presented too, which RFC 5246 allows and senders ignore", at(ch.anchorAt, ch.certs[ch.anchorAt]))
		}
		return c
	}
	c.Status = StatusWarn
	c.Detail = strings.Join(items, "; ")
	c.Fix = "remove " + joinAnd(drop) + " from your certificate file"
	if ch.missing >= 0 {
		c.Fix = "once the missing intermediate is added (see chain.complete), remove what is still off the path"
	}
	if ch.live && ch.endEntity != 0 {
		c.Fix = "see chain.order: the server sends its CA certificate first"
	}
	return c
}

// rootCheck: the sender trusts only the roots of its store (PagerDuty:
// "We will drop webhooks if your certificate is self-signed or if your
// certificate uses a CA outside of this list"), honours the store's
// distrust-after dates (Mozilla Root Store Policy §7.4), and validates the
// path by RFC 5280: issuers are CAs allowed to sign, path length and name
// constraints hold, the extended key usage allows serverAuth.
func rootCheck(ch *chain, storeName storeRef) Check {
	c := newCheck(CheckRoot)
	top := ch.path[len(ch.path)-1]
	others := othersText(ch, storeName)
	switch {
	case ch.anchor != nil:
		var fails []string
		distrusted := false
		for _, f := range ch.best.Failures {
			if trustReason(f.Reason) {
				fails = append(fails, failureText(f, storeName))
				distrusted = distrusted || f.Reason == verify.Distrusted
			}
		}
		if len(fails) > 0 {
			c.Status = StatusFail
			c.Detail = fmt.Sprintf("the path ends at %s, a root of the %s, but the sender refuses it: %s%s", shortName(ch.anchor.Cert), storeName, strings.Join(fails, "; "), others)
			c.Fix = "get the certificate reissued by your CA: every issuer must be a CA allowed to sign it (basic constraints, keyCertSign, path length, name constraints), and the leaf must allow serverAuth"
			if distrusted {
				c.Fix = "get a certificate from a CA whose root the store fully trusts, or a chain that cross-signs to one"
			}
			return c
		}
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("the path ends at %s, a root of the %s", shortName(ch.anchor.Cert), storeName)
		if ch.anchorAt >= 0 {
			c.Detail += " (presented)"
		}
	case ch.selfSignedTop && top == ch.leaf:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the leaf %s is self-signed%s", at(top, ch.certs[top]), others)
		c.Fix = selfSignedLeafFix(storeName)
	case ch.selfSignedTop:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the path ends at the self-signed %s, which is not in the %s (a private or removed CA)%s", at(top, ch.certs[top]), storeName, others)
		c.Fix = rootNotInStoreFix(storeName, at(top, ch.certs[top]))
	case ch.stuck >= 0:
		c.Status = StatusFail
		c.Detail = failureText(worstFailure(ch.best), storeName) + others
		c.Fix = "see chain.complete: " + stuckFix(ch, storeName)
	default:
		m := ch.certs[ch.missing]
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("no root of the %s was reached: the path stops at %s, whose issuer %s is missing%s", storeName, at(ch.missing, m), issuerName(m), others)
		c.Fix = "add the missing intermediate (see chain.complete); " + missingRootFix(storeName, issuerName(m))
	}
	return c
}

// validityCheck: RFC 5280 §4.1.2.5 — every certificate on the path must be
// within its validity period at the evaluation time.
func validityCheck(ch *chain, now time.Time) Check {
	c := newCheck(CheckValidity)
	items := ch.judged()
	var bad, soon []string
	for _, it := range items {
		switch {
		case now.Before(it.cert.NotBefore):
			bad = append(bad, fmt.Sprintf("%s is not valid before %s", it.name(), it.cert.NotBefore.UTC().Format(time.RFC3339)))
		case now.After(it.cert.NotAfter):
			bad = append(bad, fmt.Sprintf("%s expired on %s", it.name(), it.cert.NotAfter.UTC().Format(time.RFC3339)))
		case it.cert.NotAfter.Sub(now) < expiryWarning:
			soon = append(soon, fmt.Sprintf("%s expires in %s, on %s", it.name(), daysLeft(it.cert.NotAfter.Sub(now)), it.cert.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	when := now.Format(time.RFC3339)
	switch {
	case len(bad) > 0:
		c.Status = StatusFail
		c.Detail = strings.Join(append(bad, soon...), "; ") + " (evaluated at " + when + ")"
		c.Fix = "renew the expired or not-yet-valid certificates and install the new chain"
	case len(soon) > 0:
		c.Status = StatusWarn
		c.Detail = strings.Join(soon, "; ")
		c.Fix = "renew before it expires"
	default:
		c.Status = StatusPass
		leaf := ch.certs[ch.leaf]
		c.Detail = fmt.Sprintf("%s valid at %s; the leaf expires in %s", allValid(len(items)), when, daysLeft(leaf.NotAfter.Sub(now)))
	}
	return c
}

func daysLeft(d time.Duration) string {
	days := int(d.Hours() / 24)
	return plural(days, "day")
}

// hostnameCheck: RFC 6125 / RFC 9525 — the leaf must cover the name the
// sender connects to, by a DNS name or IP address in its SANs.
func hostnameCheck(ch *chain, name string) Check {
	c := newCheck(CheckHostname)
	if name == "" {
		c.Status = StatusSkip
		c.Detail = "no server name to check (give --servername to check one)"
		return c
	}
	leaf := ch.certs[ch.leaf]
	if err := leaf.VerifyHostname(name); err != nil {
		c.Status = StatusFail
		names := append([]string(nil), leaf.DNSNames...)
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 {
			c.Detail = fmt.Sprintf("%s has no subject alternative names, so it covers no host name (the CN is not used)", shortName(leaf))
		} else {
			c.Detail = fmt.Sprintf("%s covers %s, not %s", shortName(leaf), joinAnd(truncateList(names, 8)), name)
		}
		c.Fix = fmt.Sprintf("get a certificate whose subject alternative names include %s", name)
		return c
	}
	c.Status = StatusPass
	c.Detail = fmt.Sprintf("%s covers %s", shortName(leaf), name)
	return c
}

// strengthCheck judges the signatures and keys on the path as the sender
// does (sender-model.md section 3): a signature algorithm outside OTP's
// list (MD5, MD2, …) fails; SHA-1, which OTP accepts, warns because Go,
// Java, NSS and OpenSSL 3 refuse it; OTP sets no floor on key sizes, so
// small keys warn, naming the clients that refuse them. A root's own
// signature is never checked.
func strengthCheck(ch *chain) Check {
	c := newCheck(CheckStrength)
	var refused, weak, rekey, resign []string
	for k, j := range ch.judged() {
		if w := weakKey(j.cert); w != "" {
			weak = append(weak, fmt.Sprintf("%s has %s", j.name(), w))
			rekey = append(rekey, j.name())
		}
		if k >= len(ch.best.Algorithms) {
			continue
		}
		switch alg := ch.best.Algorithms[k]; alg.Verdict {
		case verify.Refused:
			refused = append(refused, fmt.Sprintf("%s is signed with %s, which the sender refuses: it is outside OTP's signature algorithms", j.name(), alg.Name))
			resign = append(resign, j.name())
		case verify.Weak:
			weak = append(weak, fmt.Sprintf("%s is signed with %s: the sender (OTP) accepts it, but Go, Java, NSS (Firefox) and OpenSSL 3 refuse SHA-1", j.name(), alg.Name))
			resign = append(resign, j.name())
		}
	}
	if len(refused)+len(weak) == 0 {
		c.Status = StatusPass
		c.Detail = strengthDetail(ch)
		return c
	}
	c.Status = StatusWarn
	if len(refused) > 0 {
		c.Status = StatusFail
	}
	c.Detail = strings.Join(append(refused, weak...), "; ")
	var fix []string
	if len(rekey) > 0 {
		fix = append(fix, fmt.Sprintf("reissue %s with an RSA key of 2048 bits or more (or ECDSA P-256)", joinAnd(rekey)))
	}
	if len(resign) > 0 {
		fix = append(fix, fmt.Sprintf("have the CA sign %s again with SHA-256", joinAnd(resign)))
	}
	c.Fix = strings.Join(fix, "; ")
	return c
}

// strengthDetail describes the keys and signatures of the path at hand:
// "keys RSA 2048 bits (#0, #1) and RSA 4096 bits (store root);
// signatures SHA256-RSA (#0, #1)". A root's own signature is checked by no
// verifier, so it is named apart, as a self-signed leaf's is.
func strengthDetail(ch *chain) string {
	type group struct {
		what string
		who  []string
	}
	add := func(gs []*group, what, who string) []*group {
		for _, g := range gs {
			if g.what == what {
				g.who = append(g.who, who)
				return gs
			}
		}
		return append(gs, &group{what, []string{who}})
	}
	join := func(gs []*group) string {
		var parts []string
		for _, g := range gs {
			parts = append(parts, fmt.Sprintf("%s (%s)", g.what, strings.Join(g.who, ", ")))
		}
		return joinAnd(parts)
	}
	var keys, sigs []*group
	selfLeaf := ""
	for _, j := range ch.judged() {
		who := "store root"
		if j.pos >= 0 {
			who = fmt.Sprintf("#%d", j.pos)
		}
		typ, bits := keyInfo(j.cert)
		keys = add(keys, fmt.Sprintf("%s %d bits", typ, bits), who)
		isRoot := j.pos < 0 || j.pos == ch.anchorAt || ch.selfSigned[j.pos]
		switch {
		case isRoot && j.pos == ch.leaf:
			selfLeaf = fmt.Sprintf("#%d signs itself (%s), which no verifier checks: a self-signed leaf is judged by trust.root", j.pos, verify.AlgorithmOf(j.cert).Name)
		case !isRoot:
			sigs = add(sigs, verify.AlgorithmOf(j.cert).Name, who)
		}
	}
	out := "keys " + join(keys)
	if len(sigs) > 0 {
		out += "; signatures " + join(sigs)
	}
	if selfLeaf != "" {
		out += "; " + selfLeaf
	}
	return out
}

// weakKey names a key the sender accepts (OTP sets no floor) but other
// clients refuse, with who refuses it.
func weakKey(c *x509.Certificate) string {
	typ, bits := keyInfo(c)
	switch {
	case typ == "RSA" && bits < 1024:
		return fmt.Sprintf("a %d-bit RSA key (Go, Java and OpenSSL 3 refuse RSA under 1024 bits)", bits)
	case typ == "RSA" && bits < 2048:
		return fmt.Sprintf("a %d-bit RSA key (OpenSSL 3 at security level 2, the Debian and Ubuntu default, and browsers refuse RSA under 2048 bits)", bits)
	case typ == "DSA":
		return fmt.Sprintf("a %d-bit DSA key (Go, browsers and OpenSSL 3's defaults do not verify DSA)", bits)
	case typ == "ECDSA" && bits < 256:
		return fmt.Sprintf("a %d-bit EC key (browsers accept only P-256 and P-384)", bits)
	}
	return ""
}

// keyInfo returns the key type and size of a certificate.
func keyInfo(c *x509.Certificate) (string, int) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	case *dsa.PublicKey:
		return "DSA", k.P.BitLen()
	}
	return c.PublicKeyAlgorithm.String(), 0
}

func allValid(n int) string {
	if n == 1 {
		return "the one certificate on the path is"
	}
	return fmt.Sprintf("all %d certificates on the path are", n)
}
