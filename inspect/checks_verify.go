package inspect

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect/impostor"
	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// verifyJudge turns what the server did with each client of mtls check
// into checks, naming the mistake of the seed's five steps that explains
// each wrong outcome (the list, reproduced on nginx 1.22 and
// Apache 2.4: see the end-to-end tests).
type verifyJudge struct {
	clients  []impostor.Client
	outcomes []clientOutcome
	path     string
	standIn  impostor.CA
	chains   []policy.ClientChain
}

// outcome returns the outcome of the first client with the id.
func (j *verifyJudge) outcome(id string) (clientOutcome, bool) {
	for i, c := range j.clients {
		if c.ID == id {
			return j.outcomes[i], true
		}
	}
	return clientOutcome{}, false
}

func (j *verifyJudge) client(id string) (impostor.Client, bool) {
	for _, c := range j.clients {
		if c.ID == id {
			return c, true
		}
	}
	return impostor.Client{}, false
}

// standInRoot is the stand-in's root; standInNames its CAs' names.
func (j *verifyJudge) standInRoot() *x509.Certificate {
	return j.standIn.Chain[len(j.standIn.Chain)-1]
}

// standInChains describes the stand-in as chains of the sender's, one per
// CN, in a region of their own ("stand-in"), so that they neither
// replace nor retire the policy's.
func (j *verifyJudge) standInChains(at time.Time) []policy.ClientChain {
	var inter *x509.Certificate
	if len(j.standIn.Chain) > 1 {
		inter = j.standIn.Chain[len(j.standIn.Chain)-2]
	}
	var out []policy.ClientChain
	for _, c := range j.chains {
		out = append(out, policy.ClientChain{Name: "stand-in " + c.CN, Region: "stand-in", CN: c.CN, From: at,
			Intermediate: inter, Root: j.standInRoot(), Source: "chainscope mtls check --ca-cert"})
	}
	return out
}

// tlsInfo is what the handshake without a certificate showed: the
// version, the suite, and the server's request.
func (j *verifyJudge) tlsInfo(addr string) *TLSInfo {
	info := &TLSInfo{Address: addr, Versions: map[string]bool{}}
	o, _ := j.outcome(impostor.NoCert)
	if o.err == nil {
		v := wire.VersionName(o.version)
		info.Version, info.CipherSuite = v, wire.SuiteName(o.suite)
		info.Versions[v] = true
	}
	ca := &info.ClientAuth
	ca.AcceptableCAs = []string{}
	ca.Requested = o.asked || o.askedLater
	if o.cas != nil {
		ca.AcceptableCAs = o.cas
	}
	ca.HTTPStatus = o.status
	switch {
	case !ca.Requested:
		ca.Mode = "none"
	case o.refused():
		ca.Mode = "required"
	default:
		ca.Mode = "optional"
	}
	return info
}

// unknownCA fills in what the client from a CA the server cannot know met
// — the stranger when there is one, else the other-CA client, issued then
// under a throw-away root, both with the sender's CN — as a live
// inspection's throwaway certificate does (probeUnknownCA), so that
// mtls.client_auth never reads a server that lets any CA in as one that
// verifies.
func (j *verifyJudge) unknownCA(ca *ClientAuth) {
	o, ok := j.outcome(impostor.Stranger)
	if !ok {
		o, ok = j.outcome(impostor.OtherCA)
	}
	if !ok || !ca.Requested || !o.asked && !o.askedLater {
		return
	}
	refused := o.refused()
	ca.UnknownCARefused, ca.UnknownCAHTTPStatus = &refused, o.status
	switch {
	case o.err != nil:
		ca.UnknownCAError = oneLine(o.err.Error())
	case o.httpErr != nil:
		ca.UnknownCAError = "HEAD " + j.path + ": " + oneLine(o.httpErr.Error())
	}
}

// checks returns the checks of the clients, in [MTLSCheckIDs] order.
func (j *verifyJudge) checks() []Check {
	out := []Check{j.requestCheck(), j.senderCheck()}
	if _, ok := j.client(impostor.SenderLeaf); ok {
		out = append(out, j.senderLeafCheck())
	}
	sender, _ := j.outcome(impostor.Sender)
	for _, id := range []string{impostor.NoCert, impostor.OtherCN, impostor.EvilSuffix, impostor.LookAlike, impostor.OtherCA, impostor.Depth, impostor.Expired} {
		out = append(out, j.impostorCheck(id, sender))
	}
	return out
}

func newVerifyCheck(id string) Check { return Check{ID: id, Title: mtlsCheckTitles[id]} }

// asked reports whether the server asked any client for a certificate,
// in the handshake or later.
func (j *verifyJudge) asked() bool {
	for _, o := range j.outcomes {
		if o.asked || o.askedLater {
			return true
		}
	}
	return false
}

// requestCheck: the seed's step 2 turns client verification on; at server
// level, the request comes in the handshake. SSLVerifyClient in a
// <Location> or <Directory> asks only once the URL is known, by
// renegotiation (TLS 1.2) or post-handshake authentication (TLS 1.3),
// which some clients do not offer (measured with Apache 2.4).
func (j *verifyJudge) requestCheck() Check {
	c := newVerifyCheck(CheckMTLSRequest)
	var asked, later bool
	for _, o := range j.outcomes {
		asked = asked || o.asked
		later = later || o.askedLater
	}
	switch {
	case asked:
		c.Status = StatusPass
		c.Detail = "the server asks for a client certificate in the handshake"
	case later:
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("the server asks for a client certificate only once the request for %s has come, by renegotiation: SSLVerifyClient inside a <Location> or <Directory> (Apache). Clients that do not renegotiate, and TLS 1.3 clients without post-handshake authentication, are refused", j.path)
		c.Fix = "put `SSLVerifyClient require` at VirtualHost level (`chainscope mtls apache` writes it)"
	default:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the server never asks for a client certificate, in the handshake or for %s: it does not verify the sender (step 2 of the sender's document). If a proxy or load balancer terminates TLS in front of the server, the server behind it never sees the sender's certificate: the proxy must verify it, or pass TLS through", j.path)
		c.Fix = "turn client verification on at server level, on whatever terminates TLS for this address: nginx: `ssl_verify_client on;`; Apache: `SSLVerifyClient require` (`chainscope mtls nginx` or `chainscope mtls apache` writes the lines)"
	}
	return c
}

// listed says which of the stand-in's CAs the CertificateRequest names.
func (j *verifyJudge) listed() (root, inter bool) {
	o, _ := j.outcome(impostor.NoCert)
	root = namesAny(o.cas, []string{j.standInRoot().Subject.String()})
	for _, c := range j.standIn.Chain[:len(j.standIn.Chain)-1] {
		inter = inter || namesAny(o.cas, []string{c.Subject.String()})
	}
	return root, inter
}

// senderCheck: the server must accept the sender's certificate (issued
// under the stand-in CA, intermediates sent, each of the policy's CNs).
// When it refuses, the CA list and a certificate issued by the root
// directly tell a CA file without the root, a verify depth too low and a
// CA that is named but not used (SSLCACertificatePath without hash links)
// apart — refusals read alike on the wire (OpenSSL sends unknown_ca for
// each, nginx answers 400).
func (j *verifyJudge) senderCheck() Check {
	c := newVerifyCheck(CheckMTLSSender)
	var refused []string
	var first clientOutcome
	for i, cl := range j.clients {
		if cl.ID != impostor.Sender {
			continue
		}
		if o := j.outcomes[i]; o.refused() {
			if len(refused) == 0 {
				first = o
			}
			refused = append(refused, cl.What+": "+o.how(j.path))
		}
	}
	if len(refused) == 0 {
		sc, _ := j.client(impostor.Sender)
		o, _ := j.outcome(impostor.Sender)
		c.Status = StatusPass
		c.Detail = sc.What + ": " + o.how(j.path)
		return c
	}
	c.Status = StatusFail
	root := shortName(j.standInRoot())
	rootListed, interListed := j.listed()
	nc, _ := j.outcome(impostor.NoCert)
	depth := max(0, j.senderIntermediates())
	var why string
	direct, hasDirect := j.outcome(impostor.Direct)
	switch {
	case !nc.asked && !nc.askedLater:
		why = "the server never asks for a client certificate (see mtls.request)"
	case len(nc.cas) > 0 && !rootListed && interListed:
		why = fmt.Sprintf("its CA file holds the stand-in's intermediate but not its root %s: OpenSSL verifies up to a root, so nginx and Apache refuse every client", root)
		c.Fix = fmt.Sprintf("add the root %s to the CA file (`chainscope mtls nginx --ca-out FILE` writes roots and intermediates)", root)
	case len(nc.cas) > 0 && !rootListed:
		why = fmt.Sprintf("the server does not list %s, so its CA file lacks the stand-in's root (while testing, the CA file needs it beside the sender's CAs)", root)
		c.Fix = fmt.Sprintf("add %s to the server's CA file", root)
	case hasDirect && !direct.refused():
		why = fmt.Sprintf("a certificate issued by %s itself is accepted, so the verify depth is too low for the sender's %s: nginx needs ssl_verify_depth %d, Apache SSLVerifyDepth %d (Apache's default, 1, refuses the sender)",
			root, plural(depth, "intermediate"), depth, depth+1)
		c.Fix = fmt.Sprintf("set nginx: `ssl_verify_depth %d;` or Apache: `SSLVerifyDepth %d`", depth, depth+1)
	case first.err == nil && refusingStatus(first.status) && strings.HasPrefix(first.status, "403"):
		why = "the handshake completes and the request is forbidden: the subject test does not admit the sender's CN"
		c.Fix = "check the subject test against the sender's CN (`chainscope mtls nginx` or `chainscope mtls apache` writes an exact one)"
	case rootListed:
		why = fmt.Sprintf("the server lists %s yet refuses a certificate under it: a CA directory without its hash links (SSLCACertificatePath needs c_rehash), or a verify depth below the sender's %s (nginx ssl_verify_depth %d, Apache SSLVerifyDepth %d)",
			root, plural(depth, "intermediate"), depth, depth+1)
		c.Fix = "use SSLCACertificateFile (or run c_rehash on the directory) and the depths above"
	default:
		why = fmt.Sprintf("the server names no CA; its CA file may lack %s, or its verify depth be below %d intermediates", root, depth)
	}
	c.Detail = strings.Join(refused, "; ") + ": " + why
	if c.Fix == "" {
		c.Fix = "`chainscope mtls nginx` or `chainscope mtls apache` writes a configuration that accepts the sender"
	}
	return c
}

// senderIntermediates is the number of intermediates the sender's path has.
func (j *verifyJudge) senderIntermediates() int {
	sc, ok := j.client(impostor.Sender)
	if !ok || sc.Certificate == nil {
		return 0
	}
	return len(sc.Certificate.Certificate) - 1
}

// senderLeafCheck: a sender that sends only its certificate is accepted
// only when the server's CA file holds the intermediate too (the seed's
// step 1 file holds the root alone).
func (j *verifyJudge) senderLeafCheck() Check {
	c := newVerifyCheck(CheckMTLSSenderLeaf)
	cl, _ := j.client(impostor.SenderLeaf)
	o, _ := j.outcome(impostor.SenderLeaf)
	c.Detail = cl.What + ": " + o.how(j.path)
	if !o.refused() {
		c.Status = StatusPass
		if !j.asked() {
			c.Detail += " (no certificate was asked for: see mtls.request)"
		}
		return c
	}
	c.Status = StatusWarn
	if sender, _ := j.outcome(impostor.Sender); sender.refused() {
		c.Detail += ": as is the sender's certificate sent with its intermediates (see mtls.sender)"
		c.Fix = "make the server accept the sender's certificate first (see mtls.sender); `chainscope mtls nginx --ca-out FILE` writes a CA file with the intermediates, so the certificate alone is accepted too"
		return c
	}
	c.Detail += ": the server finds the sender's intermediate only when the client sends it; its CA file holds the root alone (the seed's step 1), so a sender that sends only its certificate is refused"
	c.Fix = "add the sender's intermediate to the CA file (`chainscope mtls nginx --ca-out FILE` writes roots and intermediates)"
	return c
}

// impostorCheck: each impostor must be refused; one that gets in names
// the mistake that lets it in.
func (j *verifyJudge) impostorCheck(id string, sender clientOutcome) Check {
	c := newVerifyCheck("mtls." + id)
	cl, _ := j.client(id)
	o, _ := j.outcome(id)
	c.Detail = cl.What + ": " + o.how(j.path)
	if o.refused() {
		c.Status = StatusPass
		if sender.refused() {
			c.Detail += " (as is the sender's own certificate: see mtls.sender)"
		}
		return c
	}
	c.Status = StatusFail
	if !j.asked() {
		// No mistake of its own: nothing was asked for.
		c.Detail += ": the server asks for no client certificate (see mtls.request), so it cannot tell this client from the sender"
		c.Fix = "turn client verification on (see mtls.request)"
		return c
	}
	depth := j.senderIntermediates()
	otherCN, _ := j.outcome(impostor.OtherCN)
	switch id {
	case impostor.NoCert:
		c.Detail += ": client verification is optional and nothing checks its result (nginx ssl_verify_client optional, Apache SSLVerifyClient optional, without a test of $ssl_client_verify or SSL_CLIENT_VERIFY)"
		c.Fix = "require the certificate: nginx: `ssl_verify_client on;`; Apache: `SSLVerifyClient require` (`chainscope mtls nginx` or `chainscope mtls apache` writes the lines)"
	case impostor.OtherCN:
		c.Detail += fmt.Sprintf(": no subject test applies to %s (step 5): nginx's CN test sits in another location, Apache's in a <Directory>, which does not apply to a proxied URL, or there is none", j.path)
		c.Fix = "test the subject CN at server level: nginx: an `if` at server level; Apache: `<Location />` (`chainscope mtls nginx` or `chainscope mtls apache` writes them)"
	case impostor.EvilSuffix:
		c.Detail += ": the subject test is not anchored, like the seed's nginx sample ($ssl_client_s_dn !~ \"CN=…\") which matches the CN as a prefix"
		if !otherCN.refused() {
			c.Detail = cl.What + ": " + o.how(j.path) + ": no subject test applies (see mtls.other_cn)"
		}
		c.Fix = "anchor the CN at the RDN boundaries of the DN and escape its dots (`chainscope mtls nginx` writes such a regex; Apache: `%{SSL_CLIENT_S_DN_CN} == '…'`)"
	case impostor.LookAlike:
		c.Detail += ": the dots of the subject test are not escaped (and it is not anchored), so any character matches them"
		if !otherCN.refused() {
			c.Detail = cl.What + ": " + o.how(j.path) + ": no subject test applies (see mtls.other_cn)"
		}
		c.Fix = "escape the dots and anchor the CN (`chainscope mtls nginx` writes such a regex)"
	case impostor.OtherCA:
		nc, _ := j.outcome(impostor.NoCert)
		root := cl.Certificate.Leaf.Issuer.String()
		if len(cl.Certificate.Certificate) > 1 {
			if top, err := x509.ParseCertificate(cl.Certificate.Certificate[len(cl.Certificate.Certificate)-1]); err == nil {
				root = top.Issuer.String()
			}
		}
		stranger, hasStranger := j.outcome(impostor.Stranger)
		switch {
		case !hasStranger || !stranger.refused():
			c.Detail += ": the server does not check who issued the certificate: nginx ssl_verify_client optional_no_ca, Apache SSLVerifyClient optional_no_ca, without a test of $ssl_client_verify or SSL_CLIENT_VERIFY"
			c.Fix = "require verification: nginx: `ssl_verify_client on;`; Apache: `SSLVerifyClient require`"
		case namesAny(nc.cas, []string{root}):
			c.Detail += fmt.Sprintf(": the server's CA file trusts %s", shortRDN(root))
			c.Fix = "keep only the sender's CAs in the CA file (`chainscope mtls nginx --ca-out FILE` writes it)"
		default:
			c.Detail += fmt.Sprintf(": the server trusts %s without listing it in its CertificateRequest — nginx trusts the CAs of ssl_trusted_certificate (meant for OCSP stapling) for client certificates too", shortRDN(root))
			c.Fix = "keep other CAs out of ssl_trusted_certificate on a server that verifies clients (or move OCSP stapling verification elsewhere)"
		}
	case impostor.Depth:
		c.Detail += fmt.Sprintf(": the verify depth admits %s where the sender has %d: nginx counts intermediates only (ssl_verify_depth %d, not the seed's %d), Apache counts the root (SSLVerifyDepth %d)",
			plural(depth+1, "intermediate"), depth, depth, depth+1, depth+1)
		c.Fix = fmt.Sprintf("set nginx: `ssl_verify_depth %d;` or Apache: `SSLVerifyDepth %d` (`chainscope mtls nginx` or `chainscope mtls apache` writes the lines)", depth, depth+1)
	case impostor.Expired:
		c.Detail += ": the server does not check the certificate's validity: its verification is off or its result is ignored"
		c.Fix = "require verification: nginx: `ssl_verify_client on;`; Apache: `SSLVerifyClient require`"
	}
	return c
}
