package inspect

import (
	"slices"
	"strings"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// noSuiteVersion returns the first of the policy's versions the server
// appears to enable without any suite it can negotiate
// (TLSInfo.NoSuiteVersions), when it accepts none of them.
func noSuiteVersion(pol *policy.Policy, info *TLSInfo) (string, bool) {
	for _, v := range pol.Versions {
		if info.Versions[wire.VersionName(v)] {
			return "", false
		}
	}
	for _, v := range pol.Versions {
		if n := wire.VersionName(v); slices.Contains(info.NoSuiteVersions, n) {
			return n, true
		}
	}
	return "", false
}

func hasNoSuite(pol *policy.Policy, info *TLSInfo) bool {
	_, ok := noSuiteVersion(pol, info)
	return ok
}

// alertText is the alert that refused version v's probes, without its
// code: "handshake_failure".
func alertText(info *TLSInfo, v string) string {
	a, _, _ := strings.Cut(info.VersionAlerts[v], " (")
	return a
}

// noSuiteProbed is the version named v ("TLS 1.2").
func noSuiteProbed(v string) uint16 {
	n, _ := wire.ParseVersion(v)
	return n
}
