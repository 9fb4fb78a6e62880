package verify

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

// hasNameConstraints reports whether c carries a name constraints
// extension.
func hasNameConstraints(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oidNameConstraints) {
			return true
		}
	}
	return false
}

var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

func hasSAN(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oidSubjectAltName) {
			return true
		}
	}
	return false
}

// checkNameConstraints applies the name constraints of ca to the
// subject alternative names of every certificate below it (self-issued
// intermediates aside), with
// crypto/x509's semantics (constraints.go): a DNS constraint matches the
// name and its subdomains, one with a leading period only subdomains; an
// excluded name also excludes a wildcard that could cover it; e-mail
// constraints are a mailbox or a domain; URI constraints apply to the
// host, and a URI whose host is an IP address cannot be matched. Names in
// the subject are not judged, as the sender matches host names against
// SANs only.
func checkNameConstraints(ca *x509.Certificate, below []*x509.Certificate) error {
	if err := checkOtherConstraints(ca, below); err != nil {
		return err
	}
	for i, c := range below {
		// RFC 5280 §6.1.3 (b): self-issued intermediates are not
		// constrained; the leaf always is.
		if !hasSAN(c) || i > 0 && bytes.Equal(c.RawSubject, c.RawIssuer) {
			continue
		}
		for _, ip := range c.IPAddresses {
			if err := checkIP(ca, ip); err != nil {
				return err
			}
		}
		for _, d := range c.DNSNames {
			if !domainNameValid(d, false) {
				return fmt.Errorf("cannot parse dnsName %q", d)
			}
			if err := checkDomain("DNS name", d, d, ca.PermittedDNSDomains, ca.ExcludedDNSDomains); err != nil {
				return err
			}
		}
		for _, u := range c.URIs {
			host := strings.ToLower(u.Host)
			if host == "" {
				return fmt.Errorf("URI with empty host (%q) cannot be matched against constraints", u)
			}
			if strings.Contains(host, ":") && !strings.HasSuffix(host, "]") {
				h, _, err := net.SplitHostPort(u.Host)
				if err != nil {
					return fmt.Errorf("cannot parse URI host %q: %v", u.Host, err)
				}
				host = strings.ToLower(h)
			}
			if _, err := netip.ParseAddr(host); err == nil || strings.HasPrefix(host, "[") {
				return fmt.Errorf("URI with IP (%q) cannot be matched against constraints", u)
			}
			if !domainNameValid(host, false) {
				return fmt.Errorf("cannot parse URI host %q", host)
			}
			if err := checkDomain("URI", u.String(), host, ca.PermittedURIDomains, ca.ExcludedURIDomains); err != nil {
				return err
			}
		}
		for _, e := range c.EmailAddresses {
			if err := checkEmail(ca, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkIP(ca *x509.Certificate, ip net.IP) error {
	in := func(nets []*net.IPNet) (string, bool) {
		for _, n := range nets {
			if len(n.IP) == len(ip) && n.Contains(ip) {
				return n.String(), true
			}
		}
		return "", false
	}
	if len(ca.PermittedIPRanges) > 0 {
		if _, ok := in(ca.PermittedIPRanges); !ok {
			return fmt.Errorf("IP address %q is not permitted by any constraint", ip)
		}
	}
	if n, ok := in(ca.ExcludedIPRanges); ok {
		return fmt.Errorf("IP address %q is excluded by constraint %q", ip, n)
	}
	return nil
}

// checkDomain applies DNS-style constraints to a domain; shown is what
// the message names.
func checkDomain(kind, shown, domain string, permitted, excluded []string) error {
	if len(permitted) > 0 {
		ok := false
		for _, p := range permitted {
			if p == "" || dnsHasSuffix(p, domain) {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("%s %q is not permitted by any constraint", kind, shown)
		}
	}
	for _, x := range excluded {
		if x == "" || dnsHasSuffix(x, domain) || excludedByWildcard(x, domain) {
			return fmt.Errorf("%s %q is excluded by constraint %q", kind, shown, x)
		}
	}
	return nil
}

// excludedByWildcard reports whether a wildcard name could cover a name
// the excluded constraint x names: *.example.com against
// www.example.com.
func excludedByWildcard(x, name string) bool {
	if !strings.HasPrefix(name, "*") {
		return false
	}
	t := trimFirstLabel(strings.ToLower(x))
	return t != "" && t == trimFirstLabel(strings.ToLower(name))
}

func trimFirstLabel(s string) string {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return ""
	}
	return s[i:]
}

func checkEmail(ca *x509.Certificate, e string) error {
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 {
		return fmt.Errorf("cannot parse rfc822Name %q", e)
	}
	local, domain := e[:at], strings.ToLower(e[at+1:])
	if !domainNameValid(domain, false) {
		return fmt.Errorf("cannot parse rfc822Name %q", e)
	}
	match := func(c string) bool {
		if i := strings.LastIndexByte(c, '@'); i >= 0 {
			return c[:i] == local && strings.EqualFold(c[i+1:], domain)
		}
		return c == "" || dnsHasSuffix(c, domain)
	}
	if len(ca.PermittedEmailAddresses) > 0 {
		ok := false
		for _, c := range ca.PermittedEmailAddresses {
			if match(c) {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("email address %q is not permitted by any constraint", e)
		}
	}
	for _, c := range ca.ExcludedEmailAddresses {
		if match(c) {
			return fmt.Errorf("email address %q is excluded by constraint %q", e, c)
		}
	}
	return nil
}

// dnsHasSuffix reports whether name is constraint or, label-wise, below
// it; a constraint with a leading period matches only names below it
// (crypto/x509's dnsHasSuffix, RFC 5280 errata 5997).
func dnsHasSuffix(constraint, name string) bool {
	if len(constraint) > len(name) || !strings.EqualFold(name[len(name)-len(constraint):], constraint) {
		return false
	}
	return constraint[0] == '.' || len(name) == len(constraint) || name[len(name)-len(constraint)-1] == '.'
}

// domainNameValid is crypto/x509's check of a name before constraints
// are applied (parser.go, as of Go 1.26): printable ASCII, no trailing
// period, no empty label.
func domainNameValid(s string, constraint bool) bool {
	if s == "" {
		return true
	}
	if s[len(s)-1] == '.' {
		return false
	}
	if constraint && s[0] == '.' {
		s = s[1:]
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		for j := 0; j < len(label); j++ {
			if label[j] < 33 || label[j] > 126 {
				return false
			}
		}
	}
	return true
}

// GeneralName forms (RFC 5280 §4.2.1.6) crypto/x509 does not parse in name
// constraints.
var generalNameForms = map[int]string{0: "otherName", 3: "x400Address", 4: "directoryName", 5: "ediPartyName", 8: "registeredID"}

// subtree is one name constraint crypto/x509 leaves unparsed: its
// GeneralName form (context tag) and its raw value.
type subtree struct {
	form  int
	value []byte
}

// otherSubtrees reads the permitted and excluded subtrees of forms
// crypto/x509 does not parse from c's name constraints extension.
func otherSubtrees(c *x509.Certificate) (permitted, excluded []subtree) {
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidNameConstraints) {
			continue
		}
		in := cryptobyte.String(e.Value)
		var nc cryptobyte.String
		if !in.ReadASN1(&nc, cbasn1.SEQUENCE) {
			return nil, nil
		}
		read := func(tag cbasn1.Tag) []subtree {
			var subtrees cryptobyte.String
			var present bool
			if !nc.ReadOptionalASN1(&subtrees, &present, tag) || !present {
				return nil
			}
			var out []subtree
			for !subtrees.Empty() {
				var seq, value cryptobyte.String
				var t cbasn1.Tag
				if !subtrees.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadAnyASN1(&value, &t) {
					return out
				}
				form := int(t & 0x1f)
				if _, ok := generalNameForms[form]; ok {
					out = append(out, subtree{form, value})
				}
			}
			return out
		}
		permitted = read(cbasn1.Tag(0).ContextSpecific().Constructed())
		excluded = read(cbasn1.Tag(1).ContextSpecific().Constructed())
	}
	return permitted, excluded
}

// sanForms lists the GeneralName forms of c's subject alternative names.
func sanForms(c *x509.Certificate) map[int]bool {
	out := map[int]bool{}
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidSubjectAltName) {
			continue
		}
		in := cryptobyte.String(e.Value)
		var names cryptobyte.String
		if !in.ReadASN1(&names, cbasn1.SEQUENCE) {
			return out
		}
		for !names.Empty() {
			var v cryptobyte.String
			var t cbasn1.Tag
			if !names.ReadAnyASN1(&v, &t) {
				return out
			}
			out[int(t&0x1f)] = true
		}
	}
	return out
}

// checkOtherConstraints applies the constraints of forms crypto/x509 leaves
// unparsed. directoryName constraints are applied to subjects (RFC 5280
// §4.2.1.10: the constraint's RDNs must begin the subject's); a name of
// another unparsed form on the path under such a constraint cannot be
// judged, and the sender's OTP fails on it (measured: internal_error), so
// it fails here too.
func checkOtherConstraints(ca *x509.Certificate, below []*x509.Certificate) error {
	permitted, excluded := otherSubtrees(ca)
	if len(permitted)+len(excluded) == 0 {
		return nil
	}
	for i, c := range below {
		if i > 0 && bytes.Equal(c.RawSubject, c.RawIssuer) {
			continue
		}
		forms := sanForms(c)
		var dnPermitted []subtree
		for _, st := range permitted {
			if st.form == 4 {
				dnPermitted = append(dnPermitted, st)
			} else if forms[st.form] {
				return fmt.Errorf("an %s name is constrained, which the sender cannot check", generalNameForms[st.form])
			}
		}
		for _, st := range excluded {
			switch {
			case st.form == 4 && !isEmptyName(c.RawSubject) && dnWithin(c.RawSubject, st.value):
				return fmt.Errorf("subject %q is excluded by a directoryName constraint", c.Subject.String())
			case st.form != 4 && forms[st.form]:
				return fmt.Errorf("an %s name is constrained, which the sender cannot check", generalNameForms[st.form])
			}
		}
		if len(dnPermitted) > 0 && !isEmptyName(c.RawSubject) {
			ok := false
			for _, st := range dnPermitted {
				ok = ok || dnWithin(c.RawSubject, st.value)
			}
			if !ok {
				return fmt.Errorf("subject %q is not permitted by any directoryName constraint", c.Subject.String())
			}
		}
	}
	return nil
}

// dnWithin reports whether the raw subject begins with the RDNs of the raw
// constraint name (an explicit [4] tag around a Name), RDN by RDN.
func dnWithin(subject, constraint []byte) bool {
	in := cryptobyte.String(constraint)
	var name cryptobyte.String
	if !in.ReadASN1(&name, cbasn1.SEQUENCE) {
		return false
	}
	sub := cryptobyte.String(subject)
	var subRDNs cryptobyte.String
	if !sub.ReadASN1(&subRDNs, cbasn1.SEQUENCE) {
		return false
	}
	for !name.Empty() {
		var want, got cryptobyte.String
		if !name.ReadASN1Element(&want, cbasn1.SET) || !subRDNs.ReadASN1Element(&got, cbasn1.SET) ||
			!bytes.Equal(want, got) {
			return false
		}
	}
	return true
}
