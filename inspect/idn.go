package inspect

import (
	"fmt"
	"strings"

	"golang.org/x/net/idna"
)

// ASCIIName returns a host name as the wire carries it: internationalised
// labels as IDNA A-labels (RFC 5891, UTS #46 lookup profile, as the
// sender's HTTP client converts a URL's host), so that SNI (RFC 6066 §3)
// and the certificate match (RFC 6125 §6.4.2) both use "xn--bcher-kva"
// for "bücher". An ASCII name is returned as given: its underscores and
// case are the server's business. An IP address is returned unchanged.
func ASCIIName(name string) (string, error) {
	if isASCII(name) {
		return name, nil
	}
	a, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid internationalised host name: %w", name, err)
	}
	return a, nil
}

// unicodeName returns the Unicode form of a name with A-labels, for a
// report to show beside the A-label; "" when the name has none or they do
// not decode.
func unicodeName(name string) string {
	if !strings.Contains(strings.ToLower(name), "xn--") {
		return ""
	}
	u, err := idna.Lookup.ToUnicode(name)
	if err != nil || u == name {
		return ""
	}
	return u
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
