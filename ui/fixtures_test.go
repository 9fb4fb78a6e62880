package ui

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"chainscope/inspect"
)

// The reports below are built by hand, as the engine would fill them, so
// that the renderings are tested apart from the engine. The clock is pinned:
// every date is measured from evalAt.

var evalAt = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const (
	storeMozilla = "mozilla (golang.org/x/crypto/x509roots/fallback v0.0.0-20261030153154-30a33513ff6d, 144 roots)"
	subjLeaf     = "CN=hooks.example.com,O=Example Corp,L=San Francisco,ST=California,C=US"
	subjIssuing  = "CN=Example TLS Issuing CA 1,O=Example Corp,C=US"
	subjPolicy   = "CN=Example Policy CA,O=Example Corp,C=US"
	subjRoot     = "CN=Example Root CA 2020,O=Example Trust Services,C=US"
	subjPDClient = "CN=PagerDuty Webhook Client CA,O=PagerDuty Inc,C=US"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// fakePEM is a PEM-looking block, unique per name; the interface never
// parses it, it only shows, copies and writes it.
func fakePEM(name string) string {
	sum := sha256.Sum256([]byte(name))
	body := base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(sum[:]), 4)))
	var b strings.Builder
	b.WriteString("-----BEGIN CERTIFICATE-----\n")
	for len(body) > 64 {
		b.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	b.WriteString(body + "\n-----END CERTIFICATE-----\n")
	return b.String()
}

// cert builds a certificate entry at position pos.
func cert(pos int, role, subject, issuer string, notBefore, notAfter time.Time) inspect.Certificate {
	s256 := sha256.Sum256([]byte(subject + issuer))
	s1 := sha1.Sum([]byte(subject + issuer))
	c := inspect.Certificate{
		Position:           pos,
		Subject:            subject,
		Issuer:             issuer,
		Serial:             hex.EncodeToString(s1[:9]),
		NotBefore:          notBefore,
		NotAfter:           notAfter,
		SHA256:             hex.EncodeToString(s256[:]),
		SHA1:               hex.EncodeToString(s1[:]),
		Role:               role,
		DNSNames:           []string{},
		KeyType:            "RSA",
		KeyBits:            2048,
		SignatureAlgorithm: "SHA256-RSA",
		SubjectKeyID:       colonHexTest(s256[:20]),
		AuthorityKeyID:     colonHexTest(s1[:20]),
		MaxPathLen:         -1,
		PEM:                fakePEM(subject),
	}
	switch role {
	case "leaf":
		c.DNSNames = []string{"hooks.example.com", "www.hooks.example.com"}
		c.ExtKeyUsage = []string{"serverAuth", "clientAuth"}
		c.KeyUsage = []string{"digitalSignature", "keyEncipherment"}
		c.OCSPServers = []string{"http://ocsp.example.com"}
		c.IssuingCertificateURLs = []string{"http://crt.example.com/issuing-ca-1.crt"}
	default:
		c.IsCA = true
		c.KeyBits = 4096
		c.SignatureAlgorithm = "SHA384-RSA"
		c.KeyUsage = []string{"digitalSignature", "certSign", "cRLSign"}
		c.CRLDistributionPoints = []string{"http://crl.example.com/" + strings.ToLower(strings.Fields(subject)[1]) + ".crl"}
		c.MaxPathLen = 0
	}
	if role == "root" {
		c.SelfSigned = true
		c.MaxPathLen = -1
		c.AuthorityKeyID = ""
	}
	return c
}

func colonHexTest(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

// checks returns the ten checks in spec order, all passing or skipped, with
// the overrides applied by id.
func checks(over ...inspect.Check) []inspect.Check {
	base := []inspect.Check{
		{ID: inspect.CheckProtocol, Status: inspect.StatusPass, Title: "Protocol version allowed", Detail: "TLS 1.2 negotiated with the policy's ClientHello"},
		{ID: inspect.CheckCipher, Status: inspect.StatusPass, Title: "Cipher suite allowed", Detail: "offered the policy's 4 suites; the server picked TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
		{ID: inspect.CheckOrder, Status: inspect.StatusPass, Title: "Chain presented in order", Detail: "each of the 3 certificates on the path is issued by the one after it, leaf first"},
		{ID: inspect.CheckComplete, Status: inspect.StatusPass, Title: "Chain complete up to a trusted root", Detail: "the path reaches CN=Example Root CA 2020 in the mozilla store with no intermediate missing"},
		{ID: inspect.CheckExtra, Status: inspect.StatusPass, Title: "No duplicate or unrelated certificates", Detail: "every presented certificate is on the path"},
		{ID: inspect.CheckRoot, Status: inspect.StatusPass, Title: "Root in the trust store", Detail: "the path ends at CN=Example Root CA 2020, a root of the mozilla store"},
		{ID: inspect.CheckValidity, Status: inspect.StatusPass, Title: "Certificates within their validity", Detail: "all 3 certificates on the path are valid at 2026-12-01T00:00:00Z; the leaf expires in 90 days"},
		{ID: inspect.CheckHostname, Status: inspect.StatusPass, Title: "Leaf covers the server name", Detail: "CN=hooks.example.com covers hooks.example.com"},
		{ID: inspect.CheckClientAuth, Status: inspect.StatusInfo, Title: "Client certificate request", Detail: "the server does not ask for a client certificate"},
		{ID: inspect.CheckStrength, Status: inspect.StatusPass, Title: "Keys and signatures strong enough", Detail: "keys of 2048 bits RSA or 256 bits EC and more, SHA-2 signatures"},
	}
	for _, o := range over {
		for i := range base {
			if base[i].ID == o.ID {
				if o.Title == "" {
					o.Title = base[i].Title
				}
				base[i] = o
			}
		}
	}
	return base
}

func liveTLS() *inspect.TLSInfo {
	return &inspect.TLSInfo{
		Address:              "203.0.113.10:443",
		Version:              "TLS 1.2",
		CipherSuite:          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		Versions:             map[string]bool{"TLS 1.0": false, "TLS 1.1": false, "TLS 1.2": true, "TLS 1.3": true},
		KeyExchange:          "ECDHE X25519",
		SecureRenegotiation:  true,
		ExtendedMasterSecret: true,
		ALPN:                 "http/1.1",
		ClientAuth:           inspect.ClientAuth{AcceptableCAs: []string{}},
		Handshakes:           6,
	}
}

// passingReport is a live endpoint with a 3-certificate chain in order,
// leading to a store root that was not presented.
func passingReport() *inspect.Report {
	rootAfter := date(2045, 1, 1)
	r := &inspect.Report{
		Schema: inspect.Schema, Target: "hooks.example.com:443", Source: inspect.SourceTLS,
		ServerName: "hooks.example.com", Policy: "pagerduty", EvaluatedAt: evalAt,
		Verdict: inspect.VerdictPass,
		TLS:     liveTLS(),
		Chain: []inspect.Certificate{
			cert(0, "leaf", subjLeaf, subjIssuing, date(2026, 9, 1), date(2027, 3, 1)),
			cert(1, "intermediate", subjIssuing, subjPolicy, date(2024, 1, 1), date(2030, 1, 1)),
			cert(2, "intermediate", subjPolicy, subjRoot, date(2020, 6, 1), date(2035, 6, 1)),
		},
		Trust: inspect.Trust{
			Store: storeMozilla, Trusted: true, RootSubject: subjRoot,
			RootSHA256: strings.Repeat("ab", 32), RootNotAfter: &rootAfter, Path: []int{0, 1, 2},
		},
		Checks: checks(),
	}
	r.Chain[0].IssuedByNext, r.Chain[1].IssuedByNext = true, true
	return linked(r)
}

// outOfOrderReport is a PEM file with the two intermediates swapped and the
// issuing CA sent twice; its leaf expires in 20 days.
func outOfOrderReport() *inspect.Report {
	r := passingReport()
	r.Target, r.Source, r.ServerName, r.TLS = "chain-out-of-order.pem", inspect.SourceFile, "", nil
	r.Verdict = inspect.VerdictFail
	r.Chain = []inspect.Certificate{
		cert(0, "leaf", subjLeaf, subjIssuing, date(2026, 3, 23), date(2026, 12, 21)),
		cert(1, "intermediate", subjPolicy, subjRoot, date(2020, 6, 1), date(2035, 6, 1)),
		cert(2, "intermediate", subjIssuing, subjPolicy, date(2024, 1, 1), date(2030, 1, 1)),
		cert(3, "duplicate", subjIssuing, subjPolicy, date(2024, 1, 1), date(2030, 1, 1)),
	}
	r.Trust.Path = []int{0, 2, 1}
	r.Checks = checks(
		inspect.Check{ID: inspect.CheckProtocol, Status: inspect.StatusSkip, Detail: "a file has no TLS handshake"},
		inspect.Check{ID: inspect.CheckCipher, Status: inspect.StatusSkip, Detail: "a file has no TLS handshake"},
		inspect.Check{ID: inspect.CheckOrder, Status: inspect.StatusFail,
			Detail: "#0 CN=hooks.example.com is not issued by #1",
			Fix:    "put the intermediate CN=Example TLS Issuing CA 1 right after the leaf in your certificate file; the full order is #0 CN=hooks.example.com, #2 CN=Example TLS Issuing CA 1, #1 CN=Example Policy CA; drop #3"},
		inspect.Check{ID: inspect.CheckExtra, Status: inspect.StatusWarn,
			Detail: "#3 is a duplicate of #2",
			Fix:    "remove #3 from your certificate file"},
		inspect.Check{ID: inspect.CheckValidity, Status: inspect.StatusWarn,
			Detail: "#0 CN=hooks.example.com expires in 20 days (2026-12-21)",
			Fix:    "renew before it expires"},
		inspect.Check{ID: inspect.CheckHostname, Status: inspect.StatusSkip, Detail: "no server name to check (give --servername to check one)"},
		inspect.Check{ID: inspect.CheckClientAuth, Status: inspect.StatusSkip, Detail: "a file has no TLS handshake"},
	)
	return linked(r)
}

// missingIntermediateReport is a live endpoint that sends its leaf alone.
func missingIntermediateReport() *inspect.Report {
	r := passingReport()
	r.Verdict = inspect.VerdictFail
	r.Chain = r.Chain[:1]
	r.Trust = inspect.Trust{Store: storeMozilla, Path: []int{0}, MissingIssuer: subjIssuing}
	r.Checks = checks(
		inspect.Check{ID: inspect.CheckOrder, Status: inspect.StatusPass, Detail: "only the leaf is on the path; there is nothing to order"},
		inspect.Check{ID: inspect.CheckComplete, Status: inspect.StatusFail,
			Detail: "the issuer of #0 CN=hooks.example.com, CN=Example TLS Issuing CA 1, is neither presented nor in the mozilla store",
			Fix:    "add the intermediate CN=Example TLS Issuing CA 1 right after CN=hooks.example.com in your certificate file (its CA publishes it at http://crt.example.com/issuing-ca-1.crt)"},
		inspect.Check{ID: inspect.CheckRoot, Status: inspect.StatusFail,
			Detail: "no root of the mozilla store was reached: the path stops at #0 CN=hooks.example.com, whose issuer CN=Example TLS Issuing CA 1 is missing",
			Fix:    "add the missing intermediate (see chain.complete); if it still ends outside the store, get a certificate from a CA in the store"},
		inspect.Check{ID: inspect.CheckValidity, Status: inspect.StatusPass, Detail: "the one certificate on the path is valid at 2026-12-01T00:00:00Z; the leaf expires in 90 days"},
	)
	return linked(r)
}

// errorReport is an endpoint that refused the connection.
func errorReport() *inspect.Report {
	cs := checks()
	for i := range cs {
		cs[i].Status, cs[i].Detail = inspect.StatusSkip, "not inspected: dial down.example.com:443: connect: connection refused"
	}
	return &inspect.Report{
		Schema: inspect.Schema, Target: "down.example.com:443", Source: inspect.SourceTLS,
		ServerName: "down.example.com", Policy: "pagerduty", EvaluatedAt: evalAt,
		Verdict: inspect.VerdictError,
		Error:   "dial down.example.com:443: connect: connection refused",
		Trust:   inspect.Trust{Store: storeMozilla},
		Checks:  cs,
	}
}

// mtlsReport is a live endpoint that asks for a client certificate, accepts
// old protocol versions, lists its suites (--ciphers), presents its root
// and an unrelated certificate.
func mtlsReport() *inspect.Report {
	r := passingReport()
	r.Target, r.ServerName = "mtls.example.net:8443", "mtls.example.net"
	r.TLS.Address = "198.51.100.7:8443"
	r.TLS.Versions = map[string]bool{"TLS 1.0": true, "TLS 1.1": true, "TLS 1.2": true, "TLS 1.3": false}
	r.TLS.ALPN = ""
	r.TLS.OCSPStapled = true
	r.TLS.Handshakes = 61
	r.TLS.ClientAuth = inspect.ClientAuth{
		Requested:        true,
		AcceptableCAs:    []string{subjPDClient, "CN=Example Internal Clients,O=Example Corp,C=US"},
		PolicyCAAccepted: true,
		Presented:        true,
		Accepted:         false,
		AcceptError:      "remote error: tls: unknown certificate authority",
	}
	r.TLS.AcceptedCipherSuites = map[string][]string{
		"TLS 1.2": {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
		"TLS 1.0": {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
		"TLS 1.1": {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
	}
	r.TLS.CipherDetails = map[string][]inspect.CipherSuite{
		"TLS 1.2": {
			{Name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ID: "0xC02F", InPolicy: true},
			{Name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", ID: "0xC030", InPolicy: true},
			{Name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", ID: "0x000A", Weakness: "3DES"},
			{Name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", ID: "0xC013", InPolicy: true, Note: "CBC with SHA-1 MAC"},
		},
	}
	r.TLS.ServerOrder = map[string]bool{"TLS 1.2": true}
	r.Chain = []inspect.Certificate{
		cert(0, "leaf", "CN=mtls.example.net,O=Example Corp,C=US", subjIssuing, date(2026, 9, 1), date(2027, 3, 1)),
		cert(1, "intermediate", subjIssuing, subjRoot, date(2024, 1, 1), date(2030, 1, 1)),
		cert(2, "root", subjRoot, subjRoot, date(2020, 1, 1), date(2045, 1, 1)),
		cert(3, "unrelated", "CN=Old Internal CA,O=Example Corp,C=US", "CN=Old Internal CA,O=Example Corp,C=US", date(2015, 1, 1), date(2025, 1, 1)),
	}
	r.Chain[0].IssuedByNext, r.Chain[1].IssuedByNext = true, true
	r.Chain[0].DNSNames = []string{"mtls.example.net"}
	r.Chain[0].IPAddresses = []string{"198.51.100.7"}
	r.Trust.RootPresented = true
	r.Trust.Path = []int{0, 1, 2}
	r.Verdict = inspect.VerdictPass
	r.Checks = checks(
		inspect.Check{ID: inspect.CheckExtra, Status: inspect.StatusWarn,
			Detail: "#3 CN=Old Internal CA is not on the path; the root #2 CN=Example Root CA 2020 is presented too, which RFC 5246 allows and senders ignore",
			Fix:    "remove #3 from your certificate file"},
		inspect.Check{ID: inspect.CheckHostname, Status: inspect.StatusPass, Detail: "CN=mtls.example.net covers mtls.example.net"},
		inspect.Check{ID: inspect.CheckClientAuth, Status: inspect.StatusInfo,
			Detail: "the server asks for a client certificate and names 2 CAs, among them the policy's CN=PagerDuty Webhook Client CA"},
	)
	return linked(r)
}

// hostileReport carries escape sequences, bidi controls and an oversized
// name in every untrusted field.
func hostileReport() *inspect.Report {
	r := mtlsReport()
	evil := "CN=evil\x1b]0;pwned\x07\x1b[2J"
	r.Target = "evil.example:443"
	r.Chain[0].Subject = evil
	r.Chain[0].Issuer = "CN=\u202egpj.exe\x9b31m"
	r.Chain[0].DNSNames = []string{"evil.example", "\x1b[31mred\x1b[0m.example"}
	r.Chain[0].OCSPServers = []string{"http://ocsp.example/\x1b]8;;http://phish\x07click\x1b]8;;\x07"}
	r.Chain[1].Subject = "CN=" + strings.Repeat("A", 2000)
	r.TLS.ClientAuth.AcceptableCAs = []string{"CN=ca\x1b[1;1H\x1b[2Jwiped", "CN=\u2066isolate\u2069"}
	r.TLS.ALPN = "h2\x1b[5m"
	r.TLS.ClientAuth.AcceptError = "remote error: \x1b]52;c;ZXZpbA==\x07"
	r.Trust.MissingIssuer = "CN=\x1b[6nquery"
	return linked(r)
}

// chainOf returns a live report with a chain of n certificates in order.
func chainOf(n int) *inspect.Report {
	r := passingReport()
	r.Chain = nil
	r.Trust.Path = nil
	for i := range n {
		role := "intermediate"
		if i == 0 {
			role = "leaf"
		}
		subj := fmt.Sprintf("CN=Example CA %d,O=Example Corp,C=US", i)
		issuer := fmt.Sprintf("CN=Example CA %d,O=Example Corp,C=US", i+1)
		if i == 0 {
			subj = subjLeaf
		}
		c := cert(i, role, subj, issuer, date(2024, 1, 1), date(2030, 1, 1))
		c.IssuedByNext = i+1 < n
		r.Chain = append(r.Chain, c)
		r.Trust.Path = append(r.Trust.Path, i)
	}
	return linked(r)
}

// linked fills in what the engine judges for each hand-made chain: names,
// expiry at evalAt, and each certificate's link along r.Trust.Path (the
// next position passes, any other is out of order; the path's end is the
// store root, or the missing issuer).
func linked(r *inspect.Report) *inspect.Report {
	onPath := map[int]int{}
	for k, p := range r.Trust.Path {
		onPath[p] = k
	}
	for i := range r.Chain {
		c := &r.Chain[i]
		c.Name = nameOf(c.Subject)
		c.Expiry = expiryAt(c.NotBefore, c.NotAfter)
		k, ok := onPath[i]
		switch {
		case !ok:
			c.IssuedBy = inspect.Link{Kind: inspect.LinkOffPath, Position: -1, Status: inspect.StatusSkip}
			c.Note = "not on the path to the root"
			for j := range i {
				if r.Chain[j].SHA256 == c.SHA256 {
					c.Note = fmt.Sprintf("a copy of #%d", j)
					break
				}
			}
		case k+1 < len(r.Trust.Path):
			j := r.Trust.Path[k+1]
			c.IssuedBy = inspect.Link{Kind: inspect.LinkPresented, Position: j, Status: inspect.StatusPass}
			if j != i+1 {
				c.IssuedBy.Status = inspect.StatusFail
				c.IssuedBy.Reason = fmt.Sprintf("not issued by #%d (issued by #%d)", i+1, j)
			}
		case r.Trust.Trusted && r.Trust.RootPresented:
			c.IssuedBy = inspect.Link{Kind: inspect.LinkAnchor, Position: -1, Status: inspect.StatusPass}
		case r.Trust.Trusted:
			c.IssuedBy = inspect.Link{Kind: inspect.LinkStore, Position: -1, Status: inspect.StatusPass}
		default:
			c.IssuedBy = inspect.Link{Kind: inspect.LinkMissing, Position: -1, Status: inspect.StatusFail, Reason: "issuer not presented, not in store"}
		}
	}
	if r.Trust.RootSubject != "" {
		r.Trust.RootName = nameOf(r.Trust.RootSubject)
		r.Trust.RootStatus = inspect.StatusPass
		if r.Trust.RootNotAfter != nil {
			e := expiryAt(time.Time{}, *r.Trust.RootNotAfter)
			r.Trust.RootExpiry = &e
		}
	}
	if r.Trust.MissingIssuer != "" {
		r.Trust.MissingIssuerName = nameOf(r.Trust.MissingIssuer)
	}
	return r
}

// nameOf is the engine's short name of a hand-made subject: its first
// attribute when that is the CN.
func nameOf(subject string) string {
	first, _, _ := strings.Cut(subject, ",")
	if strings.HasPrefix(first, "CN=") {
		return first
	}
	return subject
}

func expiryAt(notBefore, notAfter time.Time) inspect.Expiry {
	e := inspect.Expiry{DaysLeft: int(notAfter.Sub(evalAt).Hours() / 24), State: inspect.ExpiryValid, Status: inspect.StatusPass}
	switch {
	case evalAt.Before(notBefore):
		e.State, e.Status = inspect.ExpiryNotYetValid, inspect.StatusFail
	case evalAt.After(notAfter):
		e.State, e.Status = inspect.ExpiryExpired, inspect.StatusFail
	case e.DaysLeft < 30:
		e.State, e.Status = inspect.ExpiryExpiring, inspect.StatusWarn
	}
	return e
}
