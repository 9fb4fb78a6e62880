package inspect

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect/policy"
)

// caNames turns the raw DistinguishedNames of a CertificateRequest into
// RFC 4514 strings; an unparseable one is shown by its length.
func caNames(raw [][]byte) []string {
	out := make([]string, 0, len(raw))
	for _, der := range raw {
		var seq pkix.RDNSequence
		if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) > 0 {
			out = append(out, fmt.Sprintf("(malformed name, %d bytes)", len(der)))
			continue
		}
		var n pkix.Name
		n.FillFromRDNSequence(&seq)
		out = append(out, n.String())
	}
	return out
}

// acceptsCA reports whether a server listing cas would accept the policy's
// client certificate at t: an empty list accepts any CA (RFC 5246 §7.4.4),
// else the root or the intermediate of a chain in use must be named.
func acceptsCA(cas []string, ca policy.ClientAuth, t time.Time) bool {
	return len(cas) == 0 || namesAny(cas, append(ca.RootNames(t), ca.IntermediateNames(t)...))
}

// namesAny reports whether list names one of names (RFC 4514 strings,
// compared case-insensitively).
func namesAny(list, names []string) bool { return len(namedOf(list, names)) > 0 }

// namedOf returns the entries of names that list names.
func namedOf(list, names []string) []string {
	var out []string
	for _, n := range names {
		for _, l := range list {
			if strings.EqualFold(l, n) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}
