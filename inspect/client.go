package inspect

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/inspect/verify"
)

// AsClient is the value of [Report.As] for a client certificate chain.
const AsClient = "client"

// The check ids of a client certificate chain (--as client, and every
// client of listen mode), chainscope's additions after [CheckIDs], in the
// order [ClientCheckIDs] lists them. They judge the chain as a receiving
// server set up by the sender's document does (nginx and Apache httpd on
// OpenSSL 3, measured), against the policy's client chains
// (policy.ClientAuth.Chains).
const (
	CheckClientIssuer   = "client.issuer"
	CheckClientDepth    = "client.depth"
	CheckClientSubject  = "client.subject"
	CheckClientEKU      = "client.eku"
	CheckClientKeyUsage = "client.key_usage"
	CheckClientValidity = "client.validity"
	CheckClientOrder    = "client.order"
	CheckClientStrength = "client.strength"
)

// ClientCheckIDs lists the client checks in the order client reports carry
// them, after every id of [CheckIDs] (all skipped there: a client chain
// has no server handshake to judge).
var ClientCheckIDs = []string{
	CheckClientIssuer, CheckClientDepth, CheckClientSubject, CheckClientEKU,
	CheckClientKeyUsage, CheckClientValidity, CheckClientOrder, CheckClientStrength,
}

var clientCheckTitles = map[string]string{
	CheckClientIssuer:   "Issued under the sender's client CA",
	CheckClientDepth:    "Within the sender's verify depth",
	CheckClientSubject:  "Subject CN is the sender's",
	CheckClientEKU:      "Extended key usage allows clientAuth",
	CheckClientKeyUsage: "Key usage allows signing",
	CheckClientValidity: "Certificates within their validity",
	CheckClientOrder:    "Chain presented in order",
	CheckClientStrength: "Keys strong enough for the server",
}

func newClientCheck(id string) Check { return Check{ID: id, Title: clientCheckTitles[id]} }

// clientSkips lists every check of a client report, each skipped for why.
func clientSkips(why string) []Check {
	var out []Check
	for _, id := range CheckIDs {
		out = append(out, skipCheck(id, why))
	}
	for _, id := range ClientCheckIDs {
		c := newClientCheck(id)
		c.Status, c.Detail = StatusSkip, why
		out = append(out, c)
	}
	return out
}

// clientStore is the trust store of a client chain: the roots of the
// policy's client chains current at t, named after the policy.
func clientStore(pol *policy.Policy, chains []policy.ClientChain) *trust.Store {
	var roots []*trust.Root
	for _, c := range chains {
		roots = append(roots, &trust.Root{Cert: c.Root})
	}
	return trust.New("client", "client CAs of policy "+pol.Name, roots)
}

// judgeClient fills r with the chain as a client presented it and the
// client checks. certs may be empty (a client that sent no certificate).
// The spec's ids are all skipped; r.As is [AsClient]. It fails with an
// error wrapping [ErrNoClientChains] when the policy has no client chain
// current at r.EvaluatedAt.
func judgeClient(r *Report, certs []*x509.Certificate, opts Options) error {
	chains, err := opts.Policy.RequireClientChains(r.EvaluatedAt, policy.RegionAll)
	if err != nil {
		return err
	}
	r.As = AsClient
	store := clientStore(opts.Policy, chains)
	r.Trust.Store = store.Label()
	si := DescribeStore(store)
	r.Trust.StoreInfo = &si
	checks := clientSkips("not for a client chain")[:len(CheckIDs)]
	if len(certs) == 0 {
		c := newClientCheck(CheckClientIssuer)
		c.Status = StatusFail
		c.Detail = "the client presented no certificate; a server that verifies the sender refuses it"
		c.Fix = "present the sender's client certificate and its intermediates"
		checks = append(checks, c)
		checks = append(checks, clientSkips("no certificate was presented")[len(CheckIDs)+1:]...)
		r.Checks = checks
		r.Verdict = VerdictFail
		return nil
	}
	ch := analyzeChain(certs, store, r.EvaluatedAt, chainFacts{live: true, keyAt: -1})
	cj := newClientJudge(certs, chains, opts.Policy.ClientAuth.VerifyDepthFor(chains), r.EvaluatedAt)
	issuer := cj.issuerCheck()
	for i := range certs {
		c := describe(ch, i, r.EvaluatedAt)
		if cj.path != nil {
			c.IssuedBy = cj.link(i)
			c.Role = cj.role(i)
		} else {
			c.IssuedBy = linkOf(ch, i, issuer, nil)
		}
		c.Note = offPathNote(ch, i, storePhrase(store))
		r.Chain = append(r.Chain, c)
	}
	r.Trust.Path = cj.positions()
	if root := cj.root(); root != nil {
		r.Trust.RootSubject = root.Subject.String()
		r.Trust.RootName = shortName(root)
		r.Trust.RootPresented = slices.ContainsFunc(certs, root.Equal)
		r.Trust.RootSHA256 = sha256Hex(root.Raw)
		na := root.NotAfter.UTC()
		r.Trust.RootNotAfter = &na
		e := expiryOf(root.NotBefore, root.NotAfter, r.EvaluatedAt)
		r.Trust.RootExpiry = &e
		r.Trust.RootStatus = StatusPass
	}
	r.Trust.Trusted = issuer.Status != StatusFail
	if cj.path == nil && ch.missing >= 0 {
		m := ch.certs[ch.missing]
		r.Trust.MissingIssuer = m.Issuer.String()
		r.Trust.MissingIssuerName = issuerName(m)
	}
	checks = append(checks, issuer, cj.depthCheck(), cj.subjectCheck(chains), cj.ekuCheck(), cj.keyUsageCheck(),
		cj.validityCheck(), clientOrderCheck(ch), cj.strengthCheck())
	r.Checks = checks
	r.Verdict = VerdictPass
	if r.Failed() > 0 {
		r.Verdict = VerdictFail
	}
	return nil
}

// link says how the presented certificate at i is tied to its issuer on
// the verified path: the next certificate (pass), another presented one
// (warn: servers reorder), a CA of the sender's CA file that the client
// did not send (warn: a CA file holding only the root refuses it), or it
// is the root itself.
func (cj *clientJudge) link(i int) Link {
	l := Link{Position: -1}
	k := slices.IndexFunc(cj.path, cj.certs[i].Equal)
	switch {
	case k < 0:
		l.Kind, l.Status = LinkOffPath, StatusSkip
	case k == len(cj.path)-1:
		l.Kind, l.Issuer, l.Status = LinkAnchor, shortName(cj.certs[i]), StatusPass
	default:
		next := cj.path[k+1]
		j := slices.IndexFunc(cj.certs, next.Equal)
		switch {
		case j == i+1:
			l.Kind, l.Position, l.Issuer, l.Status = LinkPresented, j, shortName(next), StatusPass
		case j >= 0:
			l.Kind, l.Position, l.Issuer = LinkPresented, j, shortName(next)
			l.Status, l.Reason = StatusWarn, fmt.Sprintf("issued by #%d, not by #%d (servers reorder)", j, i+1)
		case k+1 == len(cj.path)-1:
			l.Kind, l.Issuer, l.Status = LinkStore, shortName(next), StatusPass
		default:
			l.Kind, l.Issuer = LinkStore, shortName(next)
			l.Status, l.Reason = StatusWarn, fmt.Sprintf("issued by %s, not sent (in the sender's CA file)", shortName(next))
		}
	}
	return l
}

// role names the part a presented certificate plays on the verified path.
func (cj *clientJudge) role(i int) string {
	k := slices.IndexFunc(cj.path, cj.certs[i].Equal)
	switch {
	case slices.IndexFunc(cj.certs, cj.certs[i].Equal) != i:
		return "duplicate"
	case k == 0:
		return "leaf"
	case k < 0:
		return "unrelated"
	case k == len(cj.path)-1:
		return "root"
	}
	return "intermediate"
}

// clientJudge holds a client chain and the path a verifier builds from it
// to one of the sender's roots.
type clientJudge struct {
	certs  []*x509.Certificate
	chains []policy.ClientChain
	depth  int
	at     time.Time
	// path is the verified path, the client certificate first and the
	// root last; nil when none reaches a sender's root.
	path []*x509.Certificate
	// err says why no path was found.
	err error
}

// newClientJudge builds the path with crypto/x509 (RFC 5280: signatures,
// basic constraints, path length, name constraints), the presented
// certificates and the chains' intermediates as intermediates, the chains'
// roots as anchors — as nginx and Apache do with a CA file holding the
// roots and intermediates ("chainscope mtls --ca-out"). EKU, key usage and
// validity are judged separately, so one finding does not hide another:
// the path is built at an instant inside every certificate's validity
// when --at is outside one.
func newClientJudge(certs []*x509.Certificate, chains []policy.ClientChain, depth int, at time.Time) *clientJudge {
	cj := &clientJudge{certs: certs, chains: chains, depth: depth, at: at}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for _, c := range chains {
		roots.AddCert(c.Root)
		if c.Intermediate != nil {
			inter.AddCert(c.Intermediate)
		}
	}
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	leaf := certs[0]
	times := []time.Time{at, leaf.NotBefore.Add(time.Second), leaf.NotAfter.Add(-time.Second)}
	var firstErr error
	for _, t := range times {
		found, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: t, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if err == nil {
			cj.path = shortest(found)
			return cj
		}
		if firstErr == nil {
			firstErr = err
		}
		var inv x509.CertificateInvalidError
		if !errors.As(err, &inv) || inv.Reason != x509.Expired {
			break
		}
	}
	cj.err = firstErr
	return cj
}

// shortest returns the shortest path: the one that fits the verify depth
// when any does.
func shortest(paths [][]*x509.Certificate) []*x509.Certificate {
	best := paths[0]
	for _, p := range paths[1:] {
		if len(p) < len(best) {
			best = p
		}
	}
	return best
}

func (cj *clientJudge) root() *x509.Certificate {
	if len(cj.path) == 0 {
		return nil
	}
	return cj.path[len(cj.path)-1]
}

// positions returns the presented positions of the path's certificates,
// leaf first, stopping at the first that was not presented.
func (cj *clientJudge) positions() []int {
	out := []int{}
	for _, p := range cj.path {
		i := slices.IndexFunc(cj.certs, p.Equal)
		if i < 0 {
			break
		}
		out = append(out, i)
	}
	return out
}

// caNames names the sender's CAs: "CN=A under CN=Root".
func (cj *clientJudge) caNames() string {
	var parts []string
	for _, c := range cj.chains {
		var names []string
		for _, ca := range c.CAs() {
			names = append(names, shortName(ca))
		}
		s := strings.Join(names, " under ")
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return joinOr(parts)
}

// pathText is "CN=leaf → CN=A (the sender's CA file) → CN=Root".
func (cj *clientJudge) pathText() string {
	var parts []string
	for i, c := range cj.path {
		s := shortName(c)
		if i+1 < len(cj.path) && !slices.ContainsFunc(cj.certs, c.Equal) {
			s += " (the sender's CA file)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " → ")
}

// issuerCheck: the server trusts the roots of the sender's chains (seed,
// steps 1 and 3) and builds the path with the intermediates presented or
// in its CA file, as OpenSSL does.
func (cj *clientJudge) issuerCheck() Check {
	c := newClientCheck(CheckClientIssuer)
	if cj.path != nil {
		c.Status = StatusPass
		c.Detail = "the path " + cj.pathText() + " reaches the sender's root"
		var unsent []string
		for _, x := range cj.path[1 : len(cj.path)-1] {
			if !slices.ContainsFunc(cj.certs, x.Equal) {
				unsent = append(unsent, shortName(x))
			}
		}
		if len(unsent) > 0 {
			c.Status = StatusWarn
			c.Detail += fmt.Sprintf("; the client did not send %s, so a server whose CA file holds only the root (the seed's step 1) refuses it", joinAnd(unsent))
			c.Fix = "keep the sender's intermediates in the server's CA file (`chainscope mtls nginx --ca-out FILE` writes them)"
		}
		return c
	}
	c.Status = StatusFail
	leaf := cj.certs[0]
	var ua x509.UnknownAuthorityError
	switch {
	case errors.As(cj.err, &ua):
		top := cj.certs[0]
		for _, p := range cj.certs[1:] {
			if bytes.Equal(top.RawIssuer, p.RawSubject) {
				top = p
			}
		}
		c.Detail = fmt.Sprintf("%s is not issued under the sender's CAs (%s): the path stops at %s, issued by %s", shortName(leaf), cj.caNames(), shortName(top), issuerName(top))
		c.Fix = "a server that verifies the sender refuses this certificate; present a certificate issued under " + cj.caNames()
	default:
		c.Detail = fmt.Sprintf("no valid path from %s to the sender's CAs (%s): %v", shortName(leaf), cj.caNames(), cj.err)
		c.Fix = "present a certificate issued under " + cj.caNames() + ", each issuer a CA allowed to sign it"
	}
	return c
}

// depthCheck: the sender's document sets the verify depth to its own path
// (seed step 4), so a longer path is refused: nginx's ssl_verify_depth
// counts the intermediates, Apache's SSLVerifyDepth the root too.
func (cj *clientJudge) depthCheck() Check {
	c := newClientCheck(CheckClientDepth)
	if cj.path == nil {
		c.Status, c.Detail = StatusSkip, "no path to the sender's CAs (see client.issuer)"
		return c
	}
	above := len(cj.path) - 1
	inter := max(0, above-1)
	if above <= cj.depth {
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("%s above the client certificate, the root included; the sender's verify depth is %d", plural(above, "certificate"), cj.depth)
		return c
	}
	c.Status = StatusFail
	c.Detail = fmt.Sprintf("the path has %s and the root above the client certificate (%d certificates); the sender's verify depth is %d (nginx ssl_verify_depth %d, Apache SSLVerifyDepth %d), so a server set up for the sender refuses it",
		plural(inter, "intermediate"), above, cj.depth, max(0, cj.depth-1), cj.depth)
	c.Fix = fmt.Sprintf("present a certificate issued directly under the sender's path (%s)", cj.caNames())
	return c
}

// oidCN is the attribute type of a common name (X.520).
var oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}

// subjectCheck: the server checks the subject CN (seed step 5), exactly:
// Apache's SSL_CLIENT_S_DN_CN equality and chainscope's anchored nginx
// regex are both case-sensitive and whole-value.
func (cj *clientJudge) subjectCheck(chains []policy.ClientChain) Check {
	c := newClientCheck(CheckClientSubject)
	var want []string
	for _, ch := range chains {
		if cn := "CN=" + ch.CN; !slices.Contains(want, cn) {
			want = append(want, cn)
		}
	}
	var cns []string
	for _, a := range cj.certs[0].Subject.Names {
		if a.Type.Equal(oidCN) {
			if s, ok := a.Value.(string); ok {
				cns = append(cns, "CN="+s)
			}
		}
	}
	match := slices.ContainsFunc(cns, func(s string) bool { return slices.Contains(want, s) })
	switch {
	case match && len(cns) == 1:
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("the subject %s holds %s, the sender's", cj.certs[0].Subject, cns[0])
	case match:
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("the subject holds %s: servers differ on which CN counts (Apache's SSL_CLIENT_S_DN_CN is the first, an nginx regex may match any)", joinAnd(cns))
		c.Fix = "the sender's certificate has one CN; this one may be refused or let in depending on the server"
	default:
		c.Status = StatusFail
		got := "no CN"
		if len(cns) > 0 {
			got = joinAnd(cns)
		}
		c.Detail = fmt.Sprintf("the subject %s has %s, not %s", cj.certs[0].Subject, got, joinOr(want))
		c.Fix = fmt.Sprintf("the sender's certificate has %s; a server that checks the CN exactly refuses this one (the seed's unanchored nginx regex would let a look-alike in: `chainscope mtls nginx` writes an anchored one)", joinOr(want))
	}
	return c
}

// ekuCheck: OpenSSL's "SSL client" purpose (crypto/x509/v3_purp.c,
// check_purpose_ssl_client) refuses a certificate on the path whose
// extended key usage is present without clientAuth; so does crypto/x509.
func (cj *clientJudge) ekuCheck() Check {
	c := newClientCheck(CheckClientEKU)
	certs := cj.path
	if certs == nil {
		certs = cj.certs[:1]
	} else {
		certs = certs[:len(certs)-1] // a root's own EKU is not judged
	}
	var bad []string
	for _, x := range certs {
		if len(x.ExtKeyUsage)+len(x.UnknownExtKeyUsage) == 0 {
			continue
		}
		if !slices.Contains(x.ExtKeyUsage, x509.ExtKeyUsageClientAuth) && !slices.Contains(x.ExtKeyUsage, x509.ExtKeyUsageAny) {
			bad = append(bad, fmt.Sprintf("%s allows only %s", shortName(x), strings.Join(verify.ExtKeyUsageNames(x), ", ")))
		}
	}
	if t, ok := netscapeCertType(cj.certs[0]); ok && t&nsSSLClient == 0 {
		bad = append(bad, fmt.Sprintf("%s has a Netscape certificate type without SSL client", shortName(cj.certs[0])))
	}
	if len(bad) > 0 {
		c.Status = StatusFail
		c.Detail = strings.Join(bad, "; ") + ": nginx and Apache (OpenSSL's SSL client purpose) refuse it"
		c.Fix = "the client certificate and its intermediates need the clientAuth extended key usage (or none), and the client certificate no Netscape certificate type, or one with SSL client"
		return c
	}
	c.Status = StatusPass
	if eku := verify.ExtKeyUsageNames(cj.certs[0]); len(eku) > 0 {
		c.Detail = "the client certificate allows " + strings.Join(eku, ", ")
	} else {
		c.Detail = "the client certificate has no extended key usage, so any use"
	}
	return c
}

// oidNetscapeCertType is Netscape's certificate type extension, which
// crypto/x509 ignores and OpenSSL still reads.
var oidNetscapeCertType = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}

// nsSSLClient is the "SSL client" bit of a Netscape certificate type, the
// first bit of its BIT STRING (OpenSSL's NS_SSL_CLIENT, 0x80).
const nsSSLClient = 0x80

// netscapeCertType returns the first byte of the certificate's Netscape
// certificate type, and whether it has one. OpenSSL's SSL client purpose
// (crypto/x509/v3_purp.c, check_purpose_ssl_client: ns_reject) refuses a
// client certificate whose type lacks SSL client; nginx and Apache refuse
// it (measured: nginx 400, Apache a failed handshake). An extension that
// does not parse makes OpenSSL refuse the certificate as invalid: it reads
// here as a type without SSL client.
func netscapeCertType(c *x509.Certificate) (byte, bool) {
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidNetscapeCertType) {
			continue
		}
		var bits asn1.BitString
		if rest, err := asn1.Unmarshal(e.Value, &bits); err != nil || len(rest) > 0 || len(bits.Bytes) == 0 {
			return 0, true
		}
		return bits.Bytes[0], true
	}
	return 0, false
}

// keyUsageCheck: the client signs CertificateVerify with its key (RFC 5246
// §7.4.8, RFC 8446 §4.4.3), which RFC 5280 §4.2.1.3 calls digitalSignature.
// OpenSSL's SSL client purpose refuses a key usage with neither
// digitalSignature nor keyAgreement (measured with nginx and Apache), and
// accepts keyAgreement alone, which RFC 5280 does not: a warning.
func (cj *clientJudge) keyUsageCheck() Check {
	c := newClientCheck(CheckClientKeyUsage)
	ku := cj.certs[0].KeyUsage
	switch {
	case ku == 0:
		c.Status, c.Detail = StatusPass, "no key usage extension, so any use"
	case ku&x509.KeyUsageDigitalSignature != 0:
		c.Status, c.Detail = StatusPass, "key usage "+strings.Join(keyUsages(ku), ", ")
	case ku&x509.KeyUsageKeyAgreement != 0:
		c.Status = StatusWarn
		c.Detail = "key usage " + strings.Join(keyUsages(ku), ", ") + " without digitalSignature: OpenSSL servers accept it, but the client signs CertificateVerify with this key, which RFC 5280 §4.2.1.3 reserves to digitalSignature"
		c.Fix = "reissue the client certificate with digitalSignature in its key usage"
	default:
		c.Status = StatusFail
		c.Detail = "key usage " + strings.Join(keyUsages(ku), ", ") + " has neither digitalSignature nor keyAgreement: nginx and Apache (OpenSSL's SSL client purpose) refuse it"
		c.Fix = "reissue the client certificate with digitalSignature in its key usage"
	}
	return c
}

// validityCheck: RFC 5280 §4.1.2.5, every certificate on the path at --at
// (OpenSSL checks the root's validity too).
func (cj *clientJudge) validityCheck() Check {
	c := newClientCheck(CheckClientValidity)
	certs := cj.path
	if certs == nil {
		certs = cj.certs[:1]
	}
	var bad, soon []string
	for _, x := range certs {
		switch {
		case cj.at.Before(x.NotBefore):
			bad = append(bad, fmt.Sprintf("%s is not valid before %s", shortName(x), x.NotBefore.UTC().Format(time.RFC3339)))
		case cj.at.After(x.NotAfter):
			bad = append(bad, fmt.Sprintf("%s expired on %s", shortName(x), x.NotAfter.UTC().Format(time.RFC3339)))
		case x.NotAfter.Sub(cj.at) < expiryWarning:
			soon = append(soon, fmt.Sprintf("%s expires in %s, on %s", shortName(x), daysLeft(x.NotAfter.Sub(cj.at)), x.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	when := cj.at.Format(time.RFC3339)
	switch {
	case len(bad) > 0:
		c.Status = StatusFail
		c.Detail = strings.Join(append(bad, soon...), "; ") + " (evaluated at " + when + ")"
		c.Fix = "a server refuses an expired client certificate: the sender must present its current one"
	case len(soon) > 0:
		c.Status = StatusWarn
		c.Detail = strings.Join(soon, "; ")
		c.Fix = "the sender rotates its certificate: make sure the CA file holds its next chain (`chainscope mtls nginx --ca-out FILE` writes it)"
	default:
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("%s valid at %s; the client certificate expires in %s", allValid(len(certs)), when, daysLeft(cj.certs[0].NotAfter.Sub(cj.at)))
	}
	return c
}

// securityBits is OpenSSL's count of a key's bits of security
// (EVP_PKEY_get_security_bits): for RSA and DSA the NIST SP 800-57 steps
// of BN_security_bits, for EC half the curve's order, 128 for Ed25519;
// -1 for a key crypto/x509 does not know (Ed448…), which is not judged.
func securityBits(c *x509.Certificate) int {
	typ, bits := keyInfo(c)
	switch typ {
	case "RSA", "DSA":
		for _, s := range []struct{ size, bits int }{{15360, 256}, {7680, 192}, {3072, 128}, {2048, 112}, {1024, 80}} {
			if bits >= s.size {
				return s.bits
			}
		}
		return 0
	case "ECDSA":
		return bits / 2
	case "Ed25519":
		return 128
	}
	return -1
}

// minSecurityBits is what OpenSSL's security level 2 asks of every key
// of a verified chain: Debian's and Ubuntu's openssl.cnf
// (CipherString = DEFAULT:@SECLEVEL=2), RHEL's DEFAULT crypto policy.
const minSecurityBits = 112

// strengthCheck: nginx and Apache verify the client's chain at OpenSSL's
// security level (crypto/x509/x509_vfy.c: check_key_level on the client
// certificate, check_auth_level on every issuer, the root included), so a
// key of less than 112 bits — RSA or DSA under 2048 bits — is refused
// ("EE certificate key too weak", "CA certificate key too weak"; measured
// with nginx 1.22 and Apache 2.4 on Debian's OpenSSL 3), although
// crypto/x509 accepts it. The signatures that level refuses, SHA-1 and
// MD5, crypto/x509 refuses too: client.issuer fails on them.
func (cj *clientJudge) strengthCheck() Check {
	c := newClientCheck(CheckClientStrength)
	certs := cj.path
	if certs == nil {
		certs = cj.certs[:1]
	}
	var weak, keys []string
	for _, x := range certs {
		typ, bits := keyInfo(x)
		key := fmt.Sprintf("%s %d bits", typ, bits)
		if typ == "Ed25519" {
			key = typ
		}
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
		if sb := securityBits(x); sb >= 0 && sb < minSecurityBits {
			weak = append(weak, fmt.Sprintf("%s has a %s key (%d bits of security)", shortName(x), key, sb))
		}
	}
	if len(weak) > 0 {
		c.Status = StatusFail
		c.Detail = strings.Join(weak, "; ") + fmt.Sprintf(": OpenSSL at security level 2 (Debian's and Ubuntu's default, RHEL's DEFAULT policy), which nginx and Apache verify client certificates with, wants %d bits, so they refuse it", minSecurityBits)
		c.Fix = "reissue the certificate with an RSA key of 2048 bits or more, or ECDSA P-256"
		return c
	}
	c.Status = StatusPass
	c.Detail = "keys " + joinAnd(keys) + fmt.Sprintf(" on the path: each has %d bits of security or more (OpenSSL security level 2)", minSecurityBits)
	return c
}

// clientOrderCheck: RFC 5246 §7.4.2 and RFC 8446 §4.4.2 want the client's
// certificate first, each next one certifying the one before; OpenSSL and
// Go servers build the path from any order, so disorder is a warning.
func clientOrderCheck(ch *chain) Check {
	c := newClientCheck(CheckClientOrder)
	var broken []string
	for i := 0; i+1 < len(ch.certs); i++ {
		if !ch.issuedByNext[i] {
			broken = append(broken, fmt.Sprintf("%s is not issued by #%d", at(i, ch.certs[i]), i+1))
		}
	}
	switch {
	case len(ch.certs) == 1:
		c.Status = StatusPass
		c.Detail = "only the client certificate was sent"
	case len(broken) == 0:
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("each of the %s is issued by the one after it", plural(len(ch.certs), "certificate"))
	default:
		c.Status = StatusWarn
		c.Detail = strings.Join(broken, "; ") + ": OpenSSL and Go servers reorder, stricter ones refuse"
		c.Fix = "send the client certificate first, then each issuer in turn"
	}
	return c
}
