package inspect

import (
	"cmp"
	"fmt"
	"strings"

	"chainscope/inspect/policy"
	"chainscope/inspect/serverconf"
	"chainscope/inspect/trust"
	"chainscope/inspect/wire"
)

// Fixes are derived from the policy and the findings, never canned: the
// server lines come from the policy's versions and IANA suites translated
// by serverconf, and the trust advice from the kind of store the chain was
// judged against.

// storeRef is the trust store as checks speak of it: %s prints its name in
// a sentence ("Mozilla root store", "roots file ca.pem"), and kind picks
// the advice: "mozilla", "system" or "file".
type storeRef struct {
	phrase, kind string
}

func (s storeRef) String() string { return s.phrase }

// storePhrase describes a store for the checks.
func storePhrase(s *trust.Store) storeRef {
	switch s.Name {
	case "mozilla":
		return storeRef{"Mozilla root store", "mozilla"}
	case "system":
		return storeRef{"system root store (" + s.Version + ")", "system"}
	}
	return storeRef{"roots file " + s.Version, "file"}
}

// selfSignedLeafFix: a public store needs a certificate from a public CA
// (the seed: "We will drop webhooks if your certificate is self-signed");
// under a private roots file the leaf comes from the private CA instead.
func selfSignedLeafFix(s storeRef) string {
	switch s.kind {
	case "mozilla":
		return "replace it with a certificate from a CA in Mozilla's list (Let's Encrypt and other ACME CAs issue them free)"
	case "system":
		return fmt.Sprintf("replace it with a certificate from a CA in the %s, or add this certificate to that store on every client that must trust it", s)
	}
	return fmt.Sprintf("issue the leaf from the private CA whose root is in the %s, or, if the sender trusts this very certificate, add it to that file", s)
}

// rootNotInStoreFix: the path ends at root, which the store lacks.
func rootNotInStoreFix(s storeRef, root string) string {
	switch s.kind {
	case "mozilla":
		return fmt.Sprintf("get a certificate from a CA whose root is in Mozilla's list; %s is not, and no server setting changes that", root)
	case "system":
		return fmt.Sprintf("get a certificate from a CA whose root is in the %s, or add %s to that store if it is your own CA", s, root)
	}
	return fmt.Sprintf("add %s to the %s if it is your private CA, or get the leaf issued under a root the file holds", root, s)
}

// missingRootFix: the issuer the path stops at may be a root the store
// lacks rather than an intermediate left out.
func missingRootFix(s storeRef, issuer string) string {
	switch s.kind {
	case "mozilla":
		return fmt.Sprintf("if %s is a root, Mozilla's list does not include it: get a certificate that chains to a root it does", issuer)
	case "system":
		return fmt.Sprintf("if %s is a root, the %s lacks it: add it there if it is your own CA, or get a certificate that chains to a root the store holds", issuer, s)
	}
	return fmt.Sprintf("if %s is a root, add it to the %s (your private CA)", issuer, s)
}

// ServerTLS is the TLS part of the server configuration the policy asks
// of the server r describes: the policy's suites for its leaf's key type,
// the versions it accepts today from TLS 1.2 up kept beside the policy's.
// A file shows no versions; TLS 1.3 is kept then, as servers of today
// speak it. The fixes of tls.protocol and tls.cipher quote its lines and
// chainscope config writes them all, so both say the same.
func ServerTLS(r *Report, pol *policy.Policy) serverconf.TLS {
	o := serverconf.Options{KeyType: leafKeyType(r)}
	if r.TLS == nil {
		o.Keep = []uint16{wire.VersionTLS13}
	} else {
		for _, v := range []uint16{wire.VersionTLS12, wire.VersionTLS13} {
			if r.TLS.Versions[wire.VersionName(v)] {
				o.Keep = append(o.Keep, v)
			}
		}
	}
	return serverconf.ForPolicy(pol, o)
}

// quoteLines quotes the directives each server needs, as a fix says them:
// "nginx: `a;` `b;`; Apache: `A` `B`".
func quoteLines(nodes func(serverconf.Server) []serverconf.Node) string {
	var parts []string
	for _, s := range serverconf.Servers {
		var lines []string
		for _, n := range nodes(s) {
			lines = append(lines, "`"+n.Line(s)+"`")
		}
		name := "nginx"
		if s == serverconf.Apache {
			name = "Apache"
		}
		parts = append(parts, name+": "+strings.Join(lines, " "))
	}
	return strings.Join(parts, "; ")
}

// configHint points at the command that prints the whole block.
func configHint(target string) string {
	return fmt.Sprintf(" (`chainscope config nginx %s`, or apache, prints the whole server block)", target)
}

// tlsFixes writes the fixes of tls.protocol and tls.cipher when they fail
// or warn: the one or two lines of the server's configuration that change,
// for nginx and Apache, from the policy's versions and suites.
func tlsFixes(have map[string]Check, pol *policy.Policy, r *Report) {
	t := ServerTLS(r, pol)
	info := r.TLS
	bad := func(id string) bool {
		c, ok := have[id]
		return ok && (c.Status == StatusFail || c.Status == StatusWarn)
	}
	versions := versionNames(pol.Versions)
	if bad(CheckProtocol) {
		c := have[CheckProtocol]
		c.Fix = fmt.Sprintf("enable %s — %s", versions, quoteLines(func(s serverconf.Server) []serverconf.Node {
			return []serverconf.Node{t.ProtocolNode(s)}
		}))
		if cc := have[CheckCipher]; cc.Status == StatusSkip {
			c.Fix += fmt.Sprintf("; then inspect again: tls.cipher is judged once %s answers", versions)
		}
		have[CheckProtocol] = c
	}
	if bad(CheckCipher) {
		c := have[CheckCipher]
		withVersion := info != nil && info.Version != "" && !pol.AllowsVersion(versionByName(info.Version))
		lines := quoteLines(func(s serverconf.Server) []serverconf.Node {
			nodes := t.CipherNodes(s)
			if withVersion {
				nodes = append([]serverconf.Node{t.ProtocolNode(s)}, nodes...)
			}
			return nodes
		}) + configHint(r.Target)
		switch {
		case t.NeedKey != "":
			// No suite of the policy authenticates with the certificate's
			// key: no cipher list changes that, a second certificate does.
			c.Fix = fmt.Sprintf("%s; add %s certificate and its key beside the %s pair (nginx and Apache serve one of each, OpenSSL picks the one the suite needs) and offer the policy's suites for it — %s",
				t.NoSuite, serverconf.Article(t.NeedKey), leafKeyType(r), lines)
		case t.NoSuite != "":
			c.Fix = t.NoSuite + ": no server line makes the sender's handshake work; the sender has to offer a suite OpenSSL serves, or TLS 1.3"
		case info != nil && hasNoSuite(pol, info) && !withVersion:
			// The version is enabled; the suites the server has are of
			// no use (TLSInfo.NoSuiteVersions): the lines that repair it
			// are the suites, and DH parameters for those that need them.
			c.Fix = fmt.Sprintf("give the server %s suites it can use with its %s certificate, the policy's — %s", versions, cmp.Or(leafKeyType(r), "own"), lines)
			if t.DHE {
				c.Fix += "; its DHE suites need DH parameters, the ECDHE ones none: " + dhFix()
			}
		case info != nil && info.Version == "" && suiteElsewhere(pol, info):
			// The server has a policy suite (another hello got it): what
			// it refuses is the sender's groups or signature algorithms.
			c.Fix = "keep the suites; let the server use a key-exchange group the sender offers and RSA PKCS#1 or ECDSA signatures in TLS 1.2 (remove a SignatureAlgorithms setting that allows only RSA-PSS)"
			if _, ok := t.GroupNode(serverconf.Nginx); ok {
				c.Fix += " — " + quoteLines(func(s serverconf.Server) []serverconf.Node {
					n, _ := t.GroupNode(s)
					return []serverconf.Node{n}
				})
			}
		default:
			c.Fix = "offer the policy's suites — " + lines
		}
		have[CheckCipher] = c
	}
}

// leafKeyType is the key type of the report's leaf ("RSA", "ECDSA"), or "".
func leafKeyType(r *Report) string {
	for _, c := range r.Chain {
		if c.Role == "leaf" {
			return c.KeyType
		}
	}
	return ""
}

func versionByName(name string) uint16 {
	v, _ := wire.ParseVersion(name)
	return v
}

// chainFixes adds to the fixes of chain.order, chain.complete and
// chain.extra the command that writes the repaired chain and the line that
// points the server at it.
func chainFixes(have map[string]Check, target string, missing, fetchable bool) {
	// Each command is quoted whole, so it runs as written.
	cmd := "`chainscope --fix-chain chain.pem " + target + "`"
	switch {
	case missing && fetchable:
		cmd = "`chainscope --fix-chain chain.pem --intermediates FILE " + target + "` (or `--fetch-intermediates` in place of `--intermediates FILE`)"
	case missing:
		cmd = "`chainscope --fix-chain chain.pem --intermediates FILE " + target + "`"
	}
	lines := quoteLines(func(s serverconf.Server) []serverconf.Node {
		return serverconf.TLS{}.FileNodes(s, "chain.pem", "")[:1]
	})
	for _, id := range []string{CheckOrder, CheckComplete, CheckExtra} {
		c, ok := have[id]
		if !ok || (c.Status != StatusFail && c.Status != StatusWarn) || c.Fix == "" {
			continue
		}
		if id == CheckComplete && !missing {
			continue // nothing to add: the root is the matter (trust.root)
		}
		c.Fix += fmt.Sprintf("; %s writes that file, judged again first — %s", cmd, lines)
		have[id] = c
	}
}

// groupsFix is the line that limits the server's ECDHE groups to the
// policy's (plus X25519 for other clients), for tls.key_exchange.
func groupsFix(pol *policy.Policy) string {
	t := serverconf.ForPolicy(pol, serverconf.Options{})
	return quoteLines(func(s serverconf.Server) []serverconf.Node {
		if n, ok := t.GroupNode(s); ok {
			return []serverconf.Node{n}
		}
		return nil
	})
}

// dhFix points the server at the RFC 7919 ffdhe2048 group, a published
// group rather than one generated on the fly, for tls.key_exchange.
func dhFix() string {
	t := serverconf.TLS{DHE: true}
	return "use the RFC 7919 ffdhe2048 group (`chainscope config --dhparam ffdhe2048.pem` writes it) — " + quoteLines(func(s serverconf.Server) []serverconf.Node {
		n, _ := t.DHNode(s, "ffdhe2048.pem")
		return []serverconf.Node{n}
	}) + " — or prefer ECDHE suites"
}
