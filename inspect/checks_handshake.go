package inspect

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// Handshake message size limits (sender-model.md section 3).
const (
	// senderMaxMessage is OTP's max_handshake_size default, 256 KiB
	// (lib/ssl/src/ssl_internal.hrl, ?DEFAULT_MAX_HANDSHAKE_SIZE): a longer
	// message aborts the handshake.
	senderMaxMessage = 256 << 10
	// javaMaxMessage is Java's jdk.tls.maxHandshakeMessageSize default.
	javaMaxMessage = 32 << 10
	// opensslMaxCertList is OpenSSL's default bound on a Certificate
	// message (SSL_CTX_set_max_cert_list, 100 KiB).
	opensslMaxCertList = 100 << 10
)

// flightUsable reports whether the policy handshake got a valid ServerHello
// at a version the policy allows and below TLS 1.3, whose flight is in the
// clear: what tls.handshake and tls.key_exchange judge.
func flightUsable(pol *policy.Policy, pr probe) (string, bool) {
	switch {
	case !pr.answered() || !pol.AllowsVersion(pr.flight.Version):
		return "the policy's handshake got no ServerHello at a version the policy allows (see tls.protocol and tls.cipher)", false
	case pr.flight.Version == wire.VersionTLS13:
		return "TLS 1.3 encrypts the server's flight after its ServerHello; the full handshake completed it", false
	}
	return "", true
}

// handshakeCheck judges the policy handshake's flight after ServerHello as
// the sender reads it (sender-model.md section 3): a fatal alert ends the
// delivery, whatever was learned before it; a message over 256 KiB is one
// the sender refuses, and over Java's or OpenSSL's bounds one others
// refuse; a flight out of the protocol is refused too. A ServerKeyExchange
// the sender refuses is tls.key_exchange's.
func handshakeCheck(pol *policy.Policy, pr probe) Check {
	c := newCheck(CheckHandshake)
	if why, ok := flightUsable(pol, pr); !ok {
		return skipCheck(CheckHandshake, why)
	}
	fl := pr.flight
	after := fl.Messages[len(fl.Messages)-1].Name
	largest := fl.LargestMessage()
	var tooLarge *wire.MessageTooLargeError
	var fe *wire.FlightError
	switch {
	case errors.As(pr.err, &tooLarge):
		return tooLargeCheck(c, tooLarge.Message, tooLarge.Length)
	case largest.Length > senderMaxMessage:
		return tooLargeCheck(c, largest.Name, largest.Length)
	case pr.alert() != nil && pr.alert().Level == 1:
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("after %s the server sent a warning alert, %s; the rest of its flight was not read", after, alertName(pr.alert()))
		c.Fix = "check the server's log for what the warning is about"
		return c
	case pr.alert() != nil:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("after its %s the server sent the fatal alert %s: the sender's handshake, and the delivery, end there", after, alertName(pr.alert()))
		c.Fix = "the server aborts its own handshake: its error log says why (a CertificateRequest too large for its CA list, a key it cannot use, a missing file)"
		return c
	case errors.As(pr.err, &fe) && fe.Message == "server_key_exchange":
		return skipCheck(CheckHandshake, "the ServerKeyExchange is judged by tls.key_exchange")
	case errors.Is(pr.err, wire.ErrLimit):
		return skipCheck(CheckHandshake, "chainscope stopped reading the flight at one of its own bounds, no rule of the sender's: "+oneLine(pr.err.Error()))
	case pr.err != nil:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the sender refuses the server's flight after %s: %s", after, oneLine(strings.TrimPrefix(pr.err.Error(), "handshake: ")))
		c.Fix = "the server breaks the TLS 1.2 handshake protocol (RFC 5246 §7.3): update or reconfigure its TLS library"
		return c
	}
	sizes := fmt.Sprintf("%s, the largest the %s of %s bytes", plural(len(fl.Messages), "message"), largest.Name, thousands(largest.Length))
	others := othersRefusing(largest)
	if others != "" {
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("the server's flight reached ServerHelloDone in %s: the sender accepts messages up to %s bytes, but %s", sizes, thousands(senderMaxMessage), others)
		c.Fix = shortenFix(largest.Name)
		return c
	}
	c.Status = StatusPass
	c.Detail = fmt.Sprintf("the server's flight reached ServerHelloDone in %s, within the sender's %s", sizes, thousands(senderMaxMessage))
	return c
}

// tooLargeCheck fails c for a message of n bytes: the sender aborts.
func tooLargeCheck(c Check, msg string, n int) Check {
	c.Status = StatusFail
	c.Detail = fmt.Sprintf("the server's %s message is %s bytes; the sender refuses handshake messages over %s bytes (OTP's max_handshake_size) and aborts",
		msg, thousands(n), thousands(senderMaxMessage))
	c.Fix = shortenFix(msg)
	return c
}

// othersRefusing names the clients that refuse a message of m's size.
func othersRefusing(m wire.Message) string {
	var who []string
	if m.Length > javaMaxMessage {
		who = append(who, fmt.Sprintf("Java refuses messages over %s bytes (jdk.tls.maxHandshakeMessageSize)", thousands(javaMaxMessage)))
	}
	if m.Name == "certificate" && m.Length > opensslMaxCertList {
		who = append(who, fmt.Sprintf("OpenSSL certificate lists over %s bytes", thousands(opensslMaxCertList)))
	}
	return joinAnd(who)
}

// shortenFix says how to make a message shorter.
func shortenFix(msg string) string {
	switch msg {
	case "certificate":
		return "send a shorter chain: the leaf and its intermediates only, no root or unrelated certificates, and a leaf without thousands of names"
	case "certificate_request":
		return "list fewer CA names in the CertificateRequest: only the CAs of the clients you accept (nginx: `ssl_client_certificate`; Apache: `SSLCACertificateFile`, or `SSLCADNRequestFile` for the names alone)"
	}
	return "make the server's " + msg + " message shorter"
}

// alertName spells an alert for sentences: "internal_error (80)".
func alertName(a *wire.AlertError) string {
	return fmt.Sprintf("%s (%d)", wire.AlertName(a.Description), a.Description)
}

// thousands writes n with thousands separators: 262,144.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// commonGroups are the named groups clients at large support for ECDHE:
// P-256, P-384, P-521, X25519 and X448.
var commonGroups = []uint16{wire.GroupSecp256r1, wire.GroupSecp384r1, wire.GroupSecp521r1, wire.GroupX25519, wire.GroupX448}

// kxFinding is one thing tls.key_exchange found.
type kxFinding struct {
	status      Status
	detail, fix string
}

// keyExchangeCheck judges the key exchange of the policy handshake
// (sender-model.md section 3): the ServerKeyExchange signature must verify
// with the key of position 0 under a scheme the sender offered, else the
// sender aborts with decrypt_error; a DH group under 512 bits is refused by
// the sender's crypto library, under 2048 by others; a curve the sender
// offered but others lack, and a leaf whose keyUsage does not allow the key
// exchange (RFC 5246 §7.4.2: OTP does not check it, Java does), are
// warnings.
func keyExchangeCheck(pol *policy.Policy, pr probe, certs []*x509.Certificate) Check {
	c := newCheck(CheckKeyExchange)
	if why, ok := flightUsable(pol, pr); !ok {
		return skipCheck(CheckKeyExchange, why)
	}
	fl := pr.flight
	suite, _ := wire.SuiteByID(fl.CipherSuite)
	var fe *wire.FlightError
	if errors.As(pr.err, &fe) && fe.Message == "server_key_exchange" && pr.alert() == nil {
		c.Status = StatusFail
		c.Detail = "the sender refuses the server's ServerKeyExchange: " + oneLine(fe.Err.Error())
		c.Fix = "configure the server's curves and signature algorithms within what the sender offers — " + groupsFix(pol)
		return c
	}
	kx := fl.KeyExchange
	ephemeral := suite.KeyExchange == "ECDHE" || suite.KeyExchange == "DHE"
	if ephemeral && kx == nil {
		return skipCheck(CheckKeyExchange, "the flight ended before the ServerKeyExchange (see tls.handshake)")
	}
	var found []kxFinding
	base := describeKeyExchange(kx)
	if kx == nil {
		base = suite.KeyExchange + " key exchange, no ServerKeyExchange"
	}
	if kx != nil && kx.Signature != nil {
		switch err := verifyKeyExchange(fl, certs); {
		case err == nil:
			base += fmt.Sprintf(", signed with %s by the key of %s", wire.SignatureSchemeName(kx.SignatureAlgorithm), at(0, certs[0]))
		case errors.Is(err, wire.ErrBadSignature):
			found = append(found, kxFinding{StatusFail,
				fmt.Sprintf("the ServerKeyExchange signature (%s) does not verify with the key of %s: the certificate and the private key the server signs with do not belong together, and the sender aborts with decrypt_error",
					wire.SignatureSchemeName(kx.SignatureAlgorithm), at(0, certs[0])),
				"install the private key of the certificate the server sends (nginx ssl_certificate_key; Apache SSLCertificateKeyFile): `openssl x509 -noout -pubkey -in cert.pem` and `openssl pkey -pubout -in key.pem` must print the same key"})
		default:
			base += "; its signature was not verified: " + oneLine(err.Error())
		}
	}
	if kx != nil && kx.DHBits > 0 {
		found = append(found, dhFinding(kx.DHBits)...)
	}
	if kx != nil && kx.Group != 0 && !slices.Contains(commonGroups, kx.Group) {
		found = append(found, kxFinding{StatusWarn,
			fmt.Sprintf("the server chose the curve %s: the sender offers it, but browsers, Go and Java (since JDK 16) do not support it, so other clients of this server cannot do ECDHE with it", wire.GroupName(kx.Group)),
			"prefer the common curves — " + groupsFix(pol)})
	}
	if len(certs) > 0 {
		if f, ok := keyUsageFinding(suite, certs[0]); ok {
			found = append(found, f)
		}
	}
	c.Status = StatusPass
	c.Detail = base
	var fixes []string
	for _, f := range found {
		if worse(f.status, c.Status) {
			c.Status = f.status
		}
		c.Detail += "; " + f.detail
		fixes = append(fixes, f.fix)
	}
	c.Fix = strings.Join(fixes, "; ")
	return c
}

// worse reports whether a is a worse status than b, of pass, warn, fail.
func worse(a, b Status) bool {
	rank := map[Status]int{StatusPass: 0, StatusWarn: 1, StatusFail: 2}
	return rank[a] > rank[b]
}

// dhFinding judges a finite-field group of bits: the sender's crypto
// library (OpenSSL, under OTP's crypto) refuses primes under 512 bits; Java
// and OpenSSL 3 refuse them under 1024; OpenSSL at security level 2, the
// default of Debian, Ubuntu and RHEL, under 2048.
func dhFinding(bits int) []kxFinding {
	fix := dhFix()
	switch {
	case bits < 512:
		return []kxFinding{{StatusFail, fmt.Sprintf("a %d-bit DH group: the sender's crypto library refuses groups under 512 bits, and the handshake aborts", bits), fix}}
	case bits < 1024:
		return []kxFinding{{StatusWarn, fmt.Sprintf("a %d-bit DH group: the sender accepts it, but Java and OpenSSL 3 refuse groups under 1024 bits", bits), fix}}
	case bits < 2048:
		return []kxFinding{{StatusWarn, fmt.Sprintf("a %d-bit DH group: the sender accepts it, but OpenSSL at security level 2 (Debian's, Ubuntu's and RHEL's default) refuses groups under 2048 bits", bits), fix}}
	}
	return nil
}

// keyUsageFinding checks the leaf's keyUsage, when it has one, against the
// key exchange (RFC 5246 §7.4.2, RFC 8422 §5.3): (EC)DHE signs with the key
// (digitalSignature), RSA key transport encrypts to it
// (keyEncipherment), static (EC)DH agrees with it (keyAgreement).
func keyUsageFinding(s wire.Suite, leaf *x509.Certificate) (kxFinding, bool) {
	if leaf.KeyUsage == 0 {
		return kxFinding{}, false
	}
	var need x509.KeyUsage
	var name string
	switch s.KeyExchange {
	case "ECDHE", "DHE":
		need, name = x509.KeyUsageDigitalSignature, "digitalSignature"
	case "RSA":
		need, name = x509.KeyUsageKeyEncipherment, "keyEncipherment"
	case "ECDH", "DH":
		need, name = x509.KeyUsageKeyAgreement, "keyAgreement"
	default:
		return kxFinding{}, false
	}
	if leaf.KeyUsage&need != 0 {
		return kxFinding{}, false
	}
	return kxFinding{StatusWarn,
		fmt.Sprintf("the keyUsage of %s (%s) lacks %s, which %s key exchange needs (RFC 5246 §7.4.2): the sender does not check it, but Java refuses the certificate",
			at(0, leaf), strings.Join(keyUsages(leaf.KeyUsage), ", "), name, s.KeyExchange),
		fmt.Sprintf("reissue the certificate with keyUsage %s, or offer suites whose key exchange its keyUsage allows", name)}, true
}
