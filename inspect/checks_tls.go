package inspect

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

func versionNames(vs []uint16) string {
	var names []string
	for _, v := range vs {
		names = append(names, wire.VersionName(v))
	}
	return joinOr(names)
}

func supported(info *TLSInfo) []string {
	var out []string
	for _, v := range probeVersions {
		if n := wire.VersionName(v); info.Versions[n] {
			out = append(out, n)
		}
	}
	return out
}

// protocolCheck: the sender negotiates only its own versions (PagerDuty:
// "supports only TLS v1.2"); the server must complete a handshake at one.
func protocolCheck(pol *policy.Policy, pr probe, info *TLSInfo) Check {
	c := newCheck(CheckProtocol)
	sup := supported(info)
	supText := "none of TLS 1.0 to 1.3"
	if len(sup) > 0 {
		supText = joinAnd(sup)
	}
	if pr.err == nil && pol.AllowsVersion(pr.flight.Version) {
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("the policy's handshake negotiated %s; the server accepts %s", wire.VersionName(pr.flight.Version), supText)
		return c
	}
	for _, v := range pol.Versions {
		if info.Versions[wire.VersionName(v)] {
			c.Status = StatusPass
			c.Detail = fmt.Sprintf("the server accepts %s (and %s), though the policy's own handshake failed: see tls.cipher", wire.VersionName(v), supText)
			return c
		}
	}
	c.Status = StatusFail
	c.Detail = fmt.Sprintf("the policy needs %s; the server accepts %s", versionNames(pol.Versions), supText)
	if pr.err == nil {
		c.Detail += fmt.Sprintf(", and answered the policy's ClientHello with %s", wire.VersionName(pr.flight.Version))
	}
	// The fix, the server lines for the policy, is written by tlsFixes
	// once the chain (the key type) is known.
	return c
}

// cipherCheck: offered exactly the policy's suites, in its order, the
// server must pick one of them (RFC 5246 §7.4.1.3).
func cipherCheck(pol *policy.Policy, pr probe, info *TLSInfo) Check {
	c := newCheck(CheckCipher)
	if pr.err == nil && !pol.AllowsVersion(pr.flight.Version) {
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the server answered the policy's ClientHello with %s and %s; the sender aborts there (see tls.protocol)", wire.VersionName(pr.flight.Version), wire.SuiteName(pr.flight.CipherSuite))
		return c
	}
	if pr.err == nil && pol.AllowsSuite(pr.flight.CipherSuite) {
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("offered the policy's %d suites, the server picked %s", len(pol.CipherSuites), wire.SuiteName(pr.flight.CipherSuite))
		if info.KeyExchange != "" {
			c.Detail += " (" + info.KeyExchange + ")"
		}
		return c
	}
	c.Status = StatusFail
	var alert *wire.AlertError
	switch {
	case pr.err == nil:
		c.Detail = fmt.Sprintf("the server picked %s, which the policy does not allow", wire.SuiteName(pr.flight.CipherSuite))
	case errors.As(pr.err, &alert):
		c.Detail = fmt.Sprintf("offered the policy's %d suites, the server refused them all (%s)", len(pol.CipherSuites), alert.Error())
	default:
		c.Detail = fmt.Sprintf("the policy's handshake failed: %s", oneLine(pr.err.Error()))
	}
	if acc := info.AcceptedCipherSuites["TLS 1.2"]; len(acc) > 0 {
		c.Detail += "; over TLS 1.2 the server accepts " + joinAnd(truncateList(acc, 6))
	}
	// The fix is written by tlsFixes (see protocolCheck).
	return c
}

// clientAuthCheck reports, as information, whether the server asks for a
// client certificate and whether the policy's one would be accepted: the
// server should list the sender's CA (or no CA names) and verify to the
// depth the sender's chain needs.
func clientAuthCheck(pol *policy.Policy, info *TLSInfo, at time.Time) Check {
	c := newCheck(CheckClientAuth)
	c.Status = StatusInfo
	ca := info.ClientAuth
	pca := pol.ClientAuth
	roots := shortRDNs(pca.RootNames(at))
	switch {
	case !ca.Requested:
		c.Detail = "the server does not ask for a client certificate"
		if pca.Presents() {
			c.Detail += fmt.Sprintf("; to verify the sender, trust %s with verify depth %d and check the subject CN=%s (nginx: ssl_verify_client on; ssl_verify_depth %d)",
				joinOr(roots), pca.VerifyDepth, joinOr(pca.CommonNames(at)), pca.VerifyDepth)
		}
	case len(ca.AcceptableCAs) == 0:
		c.Detail = "the server asks for a client certificate and names no CA, so it accepts any issuer; the sender's certificate is offered"
	case ca.PolicyCAAccepted:
		c.Detail = fmt.Sprintf("the server asks for a client certificate from %s; the sender's CA %s is among them", plural(len(ca.AcceptableCAs), "CA"), joinOr(roots))
	default:
		c.Detail = fmt.Sprintf("the server asks for a client certificate from %s (%s), but not the sender's CA %s: its certificate would be refused",
			plural(len(ca.AcceptableCAs), "CA"), joinAnd(truncateList(ca.AcceptableCAs, 4)), joinOr(roots))
	}
	if ca.Presented {
		if ca.Accepted {
			c.Detail += "; the --client-cert certificate was accepted"
		} else {
			c.Detail += "; the --client-cert certificate was refused: " + ca.AcceptError
		}
	}
	return c
}

// shortRDNs applies shortRDN to each name.
func shortRDNs(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = shortRDN(n)
	}
	return out
}

// shortRDN keeps the CN of an RFC 4514 name for sentences.
func shortRDN(name string) string {
	for _, part := range strings.Split(name, ",") {
		if strings.HasPrefix(part, "CN=") {
			return part
		}
	}
	return name
}
