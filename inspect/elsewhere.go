package inspect

import (
	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// policySuiteElsewhere returns a suite of the policy the server negotiated
// at a version the policy allows with a ClientHello other than the
// policy's (the full crypto/tls handshake, or the enumeration's probes),
// and whether there is one: when the policy's own hello is refused, the
// suites are then not the cause; the groups or the signature algorithms
// the sender offers are (sender-model.md section 2).
func policySuiteElsewhere(pol *policy.Policy, info *TLSInfo) (string, bool) {
	allowed := func(version, name string) bool {
		s, ok := wire.SuiteByName(name)
		v, err := wire.ParseVersion(version)
		return ok && err == nil && pol.AllowsVersion(v) && pol.AllowsSuite(s.ID)
	}
	if fh := info.FullHandshake; fh != nil && fh.Error == "" && allowed(fh.Version, fh.CipherSuite) {
		return fh.CipherSuite, true
	}
	for _, v := range pol.Versions {
		name := wire.VersionName(v)
		for _, s := range info.AcceptedCipherSuites[name] {
			if allowed(name, s) {
				return s, true
			}
		}
	}
	return "", false
}

// suiteElsewhere reports whether another ClientHello than the policy's
// got a policy suite (see policySuiteElsewhere).
func suiteElsewhere(pol *policy.Policy, info *TLSInfo) bool {
	_, ok := policySuiteElsewhere(pol, info)
	return ok
}
