package inspect

import (
	"crypto/x509"
	"fmt"
	"strings"
)

// shortName names a certificate in a sentence: its CN when it has one,
// else its whole RFC 4514 subject.
func shortName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	if s := c.Subject.String(); s != "" {
		return s
	}
	return "(empty subject)"
}

// at names a presented certificate with its position: "#1 CN=R3".
func at(pos int, c *x509.Certificate) string {
	return fmt.Sprintf("#%d %s", pos, shortName(c))
}

// plural returns "1 certificate" or "2 certificates".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string { return joinWith(items, "and") }

// joinOr joins items as "a, b or c".
func joinOr(items []string) string { return joinWith(items, "or") }

func joinWith(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// truncateList keeps the first n items and names how many more there are:
// ["a", "b", "3 more"].
func truncateList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("%d more", len(s)-n))
}

// oneLine keeps an error on one line for the report and stderr.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

// issuerName names a certificate's issuer by CN when it has one.
func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return "CN=" + c.Issuer.CommonName
	}
	return c.Issuer.String()
}
