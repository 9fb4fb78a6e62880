package inspect

import (
	"fmt"
	"slices"
	"strings"

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
// "supports only TLS v1.2"); the server must answer the sender's
// ClientHello at one. A version counts once its ServerHello decoded, whatever
// came after it (tls.handshake judges the rest).
func protocolCheck(pol *policy.Policy, pr probe, info *TLSInfo) Check {
	c := newCheck(CheckProtocol)
	sup := supported(info)
	supText := "none of TLS 1.0 to 1.3"
	if len(sup) > 0 {
		supText = joinAnd(sup)
	}
	if pr.answered() && pol.AllowsVersion(pr.flight.Version) {
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("the policy's handshake negotiated %s; the server accepts %s", wire.VersionName(pr.flight.Version), supText)
		return c
	}
	for _, v := range pol.Versions {
		if info.Versions[wire.VersionName(v)] {
			c.Status = StatusPass
			name := wire.VersionName(v)
			c.Detail = "the server accepts " + name
			if others := slices.DeleteFunc(sup, func(s string) bool { return s == name }); len(others) > 0 {
				c.Detail += " (and " + joinAnd(others) + ")"
			}
			c.Detail += ", though not with the policy's ClientHello: see tls.cipher"
			return c
		}
	}
	if v, ok := noSuiteVersion(pol, info); ok {
		// One root cause, one failure: the version is there, the suites
		// are not (sender-model.md section 3); tls.cipher fails for it.
		return skipCheck(CheckProtocol, fmt.Sprintf("%s appears enabled: the server refused every %s hello, even offering every suite, with %s rather than protocol_version, so what fails is the suites, not the version (see tls.cipher); it accepts %s",
			v, v, alertText(info, v), supText))
	}
	c.Status = StatusFail
	c.Detail = fmt.Sprintf("the policy needs %s; the server accepts %s", versionNames(pol.Versions), supText)
	if pr.answered() {
		c.Detail += fmt.Sprintf(", and answered the policy's ClientHello with %s", wire.VersionName(pr.flight.Version))
	}
	// The fix, the server lines for the policy, is written by tlsFixes
	// once the chain (the key type) is known.
	return c
}

// cipherCheck: offered exactly the policy's suites, in its order, the
// server must pick one of them (RFC 5246 §7.4.1.3). With no handshake at a
// version the policy allows, the suites are not judged: tls.protocol fails
// for that one cause (sender-model.md section 3).
func cipherCheck(pol *policy.Policy, pr probe, info *TLSInfo) Check {
	c := newCheck(CheckCipher)
	speaksPolicy := false
	for _, v := range pol.Versions {
		speaksPolicy = speaksPolicy || info.Versions[wire.VersionName(v)]
	}
	switch {
	case pr.answered() && !pol.AllowsVersion(pr.flight.Version):
		return skipCheck(CheckCipher, fmt.Sprintf("the server answered the policy's ClientHello with %s; the suites are judged once it negotiates %s (see tls.protocol)",
			wire.VersionName(pr.flight.Version), versionNames(pol.Versions)))
	case !pr.answered() && !speaksPolicy && !hasNoSuite(pol, info):
		return skipCheck(CheckCipher, fmt.Sprintf("no %s handshake: the server accepts none of the policy's versions (see tls.protocol)", versionNames(pol.Versions)))
	case pr.answered() && pol.AllowsSuite(pr.flight.CipherSuite):
		c.Status = StatusPass
		c.Detail = fmt.Sprintf("offered the policy's %d suites, the server picked %s", len(pol.CipherSuites), wire.SuiteName(pr.flight.CipherSuite))
		if info.KeyExchange != "" {
			c.Detail += " (" + info.KeyExchange + ")"
		}
		return c
	}
	c.Status = StatusFail
	switch a := pr.alert(); {
	case pr.answered():
		c.Detail = fmt.Sprintf("the server picked %s, which the policy does not allow", wire.SuiteName(pr.flight.CipherSuite))
	case a != nil:
		c.Detail = fmt.Sprintf("offered the policy's %d suites, the server refused them all (%s)", len(pol.CipherSuites), a.Error())
	default:
		c.Detail = fmt.Sprintf("the policy's handshake failed: %s", oneLine(pr.err.Error()))
	}
	if v, ok := noSuiteVersion(pol, info); ok && !pr.answered() {
		c.Detail += fmt.Sprintf("; %s appears enabled, yet even offering all %d %s suites chainscope knows, every hello was refused with %s, not protocol_version: the server has no %s suite it can use — typically DHE suites alone with no DH parameters (nginx without ssl_dhparam, OpenSSL 3), or suites only for another key type than its certificate's",
			v, len(probeSuites(noSuiteProbed(v))), v, alertText(info, v), v)
	}
	if s, ok := policySuiteElsewhere(pol, info); ok && !pr.answered() {
		c.Detail += fmt.Sprintf("; yet it negotiated %s, one of the policy's suites, with another ClientHello (Go's, other groups and signature algorithms): what it refuses is the sender's key-exchange groups or signature algorithms, not the suites", s)
	}
	if acc := info.AcceptedCipherSuites["TLS 1.2"]; len(acc) > 0 {
		c.Detail += "; over TLS 1.2 the server accepts " + joinAnd(truncateList(acc, 6))
	}
	// The fix is written by tlsFixes (see protocolCheck).
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
