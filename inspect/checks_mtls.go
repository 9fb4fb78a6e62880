package inspect

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// senderSchemes returns the names of the schemes of the policy's
// signature_algorithms that the sender's client key signs with (RSA:
// rsa_pkcs1_*, ECDSA: ecdsa_*), in the policy's order; nil when the key
// type is not known.
func senderSchemes(pol *policy.Policy, at time.Time) []string {
	want := map[x509.PublicKeyAlgorithm]uint8{x509.RSA: 1, x509.DSA: 2, x509.ECDSA: 3}[pol.ClientAuth.KeyAlgorithm(at)]
	if want == 0 {
		return nil
	}
	var out []string
	for _, s := range pol.Hello.SignatureAlgorithms {
		if uint8(s) == want && s>>8 >= 2 && s>>8 <= 6 { // a TLS 1.2 SignatureAndHashAlgorithm, SHA-1 to SHA-512
			out = append(out, wire.SignatureSchemeName(s))
		}
	}
	return out
}

// keyName names a public key algorithm for a detail: "RSA".
func keyName(a x509.PublicKeyAlgorithm) string { return a.String() }

// openSSLSigalgs writes scheme names as an OpenSSL signature algorithm
// list ("RSA+SHA512:RSA+SHA256"): rsa_pkcs1_sha256 → RSA+SHA256, rsa_sha224 → RSA+SHA224,
// ecdsa_secp256r1_sha256 → ECDSA+SHA256, ecdsa_sha1 → ECDSA+SHA1.
func openSSLSigalgs(names []string) string {
	var out []string
	for _, n := range names {
		alg, hash := "", n[strings.LastIndexByte(n, '_')+1:]
		switch {
		case strings.HasPrefix(n, "rsa_pss_"):
			continue
		case strings.HasPrefix(n, "rsa_"): // rsa_pkcs1_sha256, rsa_sha224
			alg = "RSA"
		case strings.HasPrefix(n, "ecdsa_"):
			alg = "ECDSA"
		case strings.HasPrefix(n, "dsa_"):
			alg = "DSA"
		default:
			continue
		}
		out = append(out, alg+"+"+strings.ToUpper(hash))
	}
	return strings.Join(out, ":")
}

// clientAuthCheck judges the server's request for a client certificate as
// sender-model.md section 4 says. The sender sends its certificate
// whenever asked, whatever CAs the request lists; what decides is whether
// the server trusts its root:
//
//   - not requested: info;
//   - a TLS 1.2 request whose signature algorithms hold none the sender's
//     key signs with (RFC 5246 §7.4.8; OTP fails its handshake, measured):
//     required, fail; optional, warn;
//   - the CA list names the root of the sender's chain in use: pass (a list
//     is what the server advertises, not proof: only a request made with a
//     certificate of that chain proves it); warn when required and mtls
//     check's client under a throw-away CA got in (it verifies no issuer);
//   - it names only the intermediate: warn (nginx and Apache refuse every
//     client unless the root is in their CA file too);
//   - it names only roots the sender no longer uses, or excludes its chain:
//     then a throwaway certificate from a CA the server cannot know shows
//     whether it verifies the issuer at all (needsUnknownCAProbe); required
//     and that certificate let through: the sender gets through, as would
//     anyone: warn; required otherwise, the delivery is dropped: fail;
//     optional, refusing that certificate: fail; letting it through, the
//     handshake completes unauthenticated: warn;
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
	if !ca.Requested && ca.Mode == "unknown" {
		// tls.handshake fails for the cause; this check cannot tell.
		c.Status = StatusSkip
		c.Detail = "not known whether the server asks for a client certificate: " + ca.UnknownReason + " (see tls.handshake)"
		return c
	}
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
	if signs := senderSchemes(pol, at); len(ca.SignatureAlgorithms) > 0 && len(signs) > 0 && !namesAny(ca.SignatureAlgorithms, signs) {
		// RFC 5246 §7.4.8: the client signs its CertificateVerify with a
		// scheme of the request's list; the sender's key signs none of
		// them, and OTP's handshake fails (handshake_failure, measured).
		c.Detail += fmt.Sprintf("; it accepts client signatures %s only, and the sender's %s certificate signs with %s",
			joinOr(truncateList(ca.SignatureAlgorithms, 6)), keyName(pca.KeyAlgorithm(at)), joinOr(signs))
		if ca.Mode == "required" {
			c.Status = StatusFail
			c.Detail += ": the sender cannot prove its certificate and the delivery is dropped"
		} else {
			c.Status = StatusWarn
			c.Detail += ": the sender is not authenticated"
		}
		var add []string // SHA-256 and up: what to add, SHA-1 and SHA-224 left out
		for _, n := range signs {
			if strings.HasSuffix(n, "sha256") || strings.HasSuffix(n, "sha384") || strings.HasSuffix(n, "sha512") {
				add = append(add, n)
			}
		}
		list := openSSLSigalgs(append(append([]string{}, ca.SignatureAlgorithms...), add...))
		c.Fix = fmt.Sprintf("let clients sign with %s too (OpenSSL's ClientSignatureAlgorithms — nginx: `ssl_conf_command ClientSignatureAlgorithms %s;`; Apache: `SSLOpenSSLConfCmd ClientSignatureAlgorithms %s`)",
			joinOr(add), list, list)
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
	case rootListed && required && ca.UnknownCARefused != nil && !*ca.UnknownCARefused:
		// mtls check knows: its client under a throw-away CA got in.
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; %s, the root of the sender's certificate, is among them, yet %s — the server does not verify who issued a certificate, so anyone's gets through", rootText, unknownCAText(ca))
		c.Fix = fmt.Sprintf("make the server verify client certificates against %s — %s", rootText, verifyLines(rootText))
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
		letsUnknownIn := ca.UnknownCARefused != nil && !*ca.UnknownCARefused
		switch {
		case required && letsUnknownIn:
			// The list is what the server advertises, not what it
			// accepts: the stand-in shows it verifies no issuer, and the
			// sender, which sends its certificate whatever the list
			// says, gets through (sender-model.md section 4).
			c.Status = StatusWarn
			c.Detail += "; " + why + ", yet " + unknownCAText(ca) + " — the server refuses a client without a certificate but does not verify who issued one, so the sender's certificate gets through, and so would anyone's"
			c.Fix = fmt.Sprintf("make the server verify client certificates against %s — %s; the sender's deliveries go through meanwhile", rootText, verifyLines(rootText))
		case required:
			c.Status = StatusFail
			c.Detail += "; " + why + ": the sender's certificate is refused and the delivery dropped"
			if refusesUnknown {
				c.Detail += " (" + unknownCAText(ca) + ")"
			}
		case refusesUnknown:
			// The model's "required": the request fails without an
			// acceptable certificate, and the sender's is none here.
			c.Status = StatusFail
			c.Detail += "; " + why + ", and " + unknownCAText(ca) + ": so is the sender's, and the delivery is dropped"
		default:
			c.Status = StatusWarn
			c.Detail += "; " + why + ": the handshake completes, but the sender is not authenticated"
			if letsUnknownIn {
				c.Detail += " (" + unknownCAText(ca) + ": it does not verify what it is given)"
			}
		}
		if c.Fix == "" {
			c.Fix = fmt.Sprintf("add %s to the CA file (%s)%s, so that the server trusts the sender's client certificate", rootText, caFileLines(rootText), rootURLText(pca, at))
		}
	}
	if c.Status != StatusPass && pca.VerifyDepth > 0 && c.Fix != "" {
		c.Fix += fmt.Sprintf("; verify depth %d (nginx: `ssl_verify_depth %d;`, as nginx counts intermediates only; Apache: `SSLVerifyDepth %d`), and check the subject CN=%s (`chainscope mtls nginx` or `chainscope mtls apache` writes the lines)",
			pca.VerifyDepth, max(0, pca.VerifyDepth-1), pca.VerifyDepth, joinOr(pca.CommonNames(at)))
	}
	return c
}

// unknownCAText says what chainscope's throwaway client certificate, from a
// CA the server cannot know, met: "a client certificate from a CA the
// server cannot know (chainscope's throwaway probe) was let through: the
// handshake completed and the request over it answered 200 OK".
func unknownCAText(ca ClientAuth) string {
	s := "a client certificate from a CA the server cannot know (chainscope's throwaway probe) was "
	if *ca.UnknownCARefused {
		s += "refused"
		switch {
		case ca.UnknownCAError != "":
			s += ": " + ca.UnknownCAError
		case ca.UnknownCAHTTPStatus != "":
			s += ": the request over it answered " + ca.UnknownCAHTTPStatus
		}
		return s
	}
	s += "let through: the handshake completed"
	if ca.UnknownCAHTTPStatus != "" {
		s += " and the request over it answered " + ca.UnknownCAHTTPStatus
	}
	return s
}

// verifyLines names the configuration lines that make a server require a
// client certificate and verify it against the CA file.
func verifyLines(what string) string {
	return fmt.Sprintf("nginx: ssl_verify_client on; ssl_client_certificate /path/to/client-ca.pem; Apache: SSLVerifyClient require; SSLCACertificateFile \"/path/to/client-ca.pem\" — the file holding %s (openssl s_server: -verify_return_error with -CAfile)", what)
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
