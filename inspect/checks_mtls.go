package inspect

import (
	"fmt"
	"time"

	"chainscope/inspect/policy"
)

// clientAuthCheck judges the server's request for a client certificate as
// sender-model.md section 4 says. The sender sends its certificate
// whenever asked, whatever CAs the request lists; what decides is whether
// the server trusts its root:
//
//   - not requested: info;
//   - the CA list names the root of the sender's chain in use: pass (a list
//     is what the server advertises, not proof: only a request made with a
//     certificate of that chain proves it);
//   - it names only the intermediate: warn (nginx and Apache refuse every
//     client unless the root is in their CA file too);
//   - it names only roots the sender no longer uses, or excludes its chain:
//     required, the delivery is dropped: fail; optional, the handshake
//     completes unauthenticated: warn;
//   - it names no CA: required, warn (nothing shows whether the server
//     trusts the sender's root); optional, pass;
//   - with --client-cert, the server accepted that certificate (the
//     handshake and a request over it went through): pass; refused: fail.
func clientAuthCheck(pol *policy.Policy, info *TLSInfo, at time.Time) Check {
	c := newCheck(CheckClientAuth)
	ca := info.ClientAuth
	pca := pol.ClientAuth
	roots := pca.RootNames(at)
	rootText := joinOr(shortRDNs(roots))
	if !ca.Requested {
		c.Status = StatusInfo
		c.Detail = "the server does not ask for a client certificate"
		if pca.Presents() {
			c.Detail += fmt.Sprintf("; to verify the sender, trust %s with verify depth %d and check the subject CN=%s (nginx: `ssl_verify_client on;` `ssl_verify_depth %d;` — nginx counts intermediates only; `chainscope mtls nginx` or `chainscope mtls apache` writes the lines)",
				rootText, pca.VerifyDepth, joinOr(pca.CommonNames(at)), max(0, pca.VerifyDepth-1))
		}
		return c
	}
	asks := "asks for a client certificate (optional: a handshake without one completes"
	if ca.HTTPStatus != "" {
		asks += ", and HEAD / answers " + ca.HTTPStatus
	}
	asks += ")"
	if ca.Renegotiated {
		asks = "asks for a client certificate once it has read the request, in a renegotiation (optional: a request without one is answered"
		if ca.HTTPStatus != "" {
			asks += " " + ca.HTTPStatus
		}
		asks += ")"
		if ca.Mode == "required" {
			asks = "requires a client certificate once it has read the request, in a renegotiation (a request without one is refused"
			if ca.HTTPStatus != "" {
				asks += ": " + ca.HTTPStatus
			}
			asks += ")"
		}
	} else if ca.Mode == "required" {
		asks = "requires a client certificate (a handshake without one is refused"
		if ca.HTTPStatus != "" {
			asks = "requires a client certificate (the handshake without one completes, then HEAD / answers " + ca.HTTPStatus
		}
		asks += ")"
	}
	listed := "names no CA"
	if n := len(ca.AcceptableCAs); n > 0 {
		listed = fmt.Sprintf("lists %s (%s)", plural(n, "CA"), joinAnd(shortRDNs(truncateList(ca.AcceptableCAs, 4))))
	}
	c.Detail = fmt.Sprintf("the server %s and %s", asks, listed)
	if ca.Presented {
		if ca.Accepted {
			c.Status = StatusPass
			c.Detail += "; the --client-cert certificate was accepted: the handshake completed"
			if ca.AcceptHTTPStatus != "" {
				c.Detail += " and HEAD / answered " + ca.AcceptHTTPStatus
			}
			return c
		}
		c.Status = StatusFail
		c.Detail += "; the --client-cert certificate was refused: " + ca.AcceptError
		c.Fix = "make the server trust the issuer of that certificate: its root in the CA file (" + caFileLines("the root") + "), with a verify depth that covers its intermediates"
		return c
	}
	if !pca.Presents() {
		c.Status = StatusInfo
		c.Detail += "; the policy describes no client certificate of the sender's"
		return c
	}
	rootListed := namesAny(ca.AcceptableCAs, roots)
	intListed := namesAny(ca.AcceptableCAs, pca.IntermediateNames(at))
	retired := pca.RetiredRootNames(at)
	required := ca.Mode == "required"
	switch {
	case len(ca.AcceptableCAs) == 0 && required:
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; nothing shows whether it trusts %s, the root of the sender's certificate", rootText)
		c.Fix = fmt.Sprintf("check that the server's CA file holds %s (%s)", rootText, caFileLines(rootText))
	case len(ca.AcceptableCAs) == 0:
		c.Status = StatusPass
		c.Detail += "; the sender's certificate is offered and the handshake completes without one"
	case rootListed:
		c.Status = StatusPass
		c.Detail += fmt.Sprintf("; %s, the root of the sender's certificate, is among them (the list is what the server advertises; only a request with a certificate of that chain proves it is trusted)", rootText)
	case intListed:
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; it names the sender's intermediate %s but not its root %s: nginx and Apache refuse every client unless the root is in their CA file too",
			joinOr(shortRDNs(pca.IntermediateNames(at))), rootText)
		c.Fix = fmt.Sprintf("add %s to the CA file (%s)", rootText, caFileLines(rootText))
	default:
		why := "none of them is " + rootText + ", the root of the sender's certificate"
		if old := namedOf(ca.AcceptableCAs, retired); len(old) > 0 {
			why = fmt.Sprintf("it trusts %s, which the sender's certificate chained to until %s, not %s, its root since then",
				joinAnd(shortRDNs(old)), sinceText(pca, roots), rootText)
		}
		refusesUnknown := ca.UnknownCARefused != nil && *ca.UnknownCARefused
		switch {
		case required:
			c.Status = StatusFail
			c.Detail += "; " + why + ": the sender's certificate is refused and the delivery dropped"
		case refusesUnknown:
			// The model's "required": the request fails without an
			// acceptable certificate, and the sender's is none here.
			c.Status = StatusFail
			c.Detail += "; " + why + ", and a client certificate from a CA it does not trust (chainscope's throwaway one) was refused: so is the sender's, and the delivery is dropped"
		default:
			c.Status = StatusWarn
			c.Detail += "; " + why + ": the handshake completes, but the sender is not authenticated"
			if ca.UnknownCARefused != nil {
				c.Detail += " (a certificate from a CA the server does not trust was let through: it does not verify what it is given)"
			}
		}
		c.Fix = fmt.Sprintf("add %s to the CA file (%s)%s, so that the server trusts the sender's client certificate", rootText, caFileLines(rootText), rootURLText(pca, at))
	}
	if c.Status != StatusPass && pca.VerifyDepth > 0 && c.Fix != "" {
		c.Fix += fmt.Sprintf("; verify depth %d (nginx: `ssl_verify_depth %d;`, as nginx counts intermediates only; Apache: `SSLVerifyDepth %d`), and check the subject CN=%s (`chainscope mtls nginx` or `chainscope mtls apache` writes the lines)",
			pca.VerifyDepth, max(0, pca.VerifyDepth-1), pca.VerifyDepth, joinOr(pca.CommonNames(at)))
	}
	return c
}

// caFileLines names the configuration lines of the CA file a server
// checks client certificates against.
func caFileLines(what string) string {
	return fmt.Sprintf("nginx: `ssl_client_certificate /path/to/client-ca.pem;`; Apache: `SSLCACertificateFile /path/to/client-ca.pem` — the file holding %s", what)
}

// rootURLText says where the sender's root is published, when the policy
// knows: "; DigiCert publishes it at https://…".
func rootURLText(pca policy.ClientAuth, at time.Time) string {
	for _, ch := range pca.Current(at) {
		if ch.RootURL != "" {
			return "; it is published at " + ch.RootURL
		}
	}
	return ""
}

// sinceText is the date the sender's chains moved to roots: "January
// 2024", or "recently" when the data has no date.
func sinceText(pca policy.ClientAuth, roots []string) string {
	for _, r := range roots {
		if t, ok := pca.RootSince(r); ok && !t.IsZero() {
			return t.Format("January 2006")
		}
	}
	return "recently"
}
