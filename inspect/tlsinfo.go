package inspect

import (
	"crypto/x509"
	"errors"
	"fmt"

	"chainscope/inspect/wire"
)

// tlsInfo is what the handshakes say about the server, chain aside.
func (hs handshakes) tlsInfo(addr string) *TLSInfo {
	info := &TLSInfo{Address: addr, Versions: map[string]bool{}}
	for _, v := range probeVersions {
		name := wire.VersionName(v)
		pr := hs.byVersion[v]
		info.Versions[name] = pr.speaks(v)
		if a := pr.alert(); a != nil && !pr.answered() {
			if info.VersionAlerts == nil {
				info.VersionAlerts = map[string]string{}
			}
			info.VersionAlerts[name] = fmt.Sprintf("%s (%d)", wire.AlertName(a.Description), a.Description)
			// TLS 1.2 only: a TLS 1.2-only server answers the TLS 1.3
			// probe, whose suites are all TLS 1.3's, with
			// handshake_failure, and servers refuse TLS 1.0 and 1.1
			// hellos so when their suites are all AEAD.
			if refusedSuites(pr) && v == wire.VersionTLS12 {
				info.NoSuiteVersions = append(info.NoSuiteVersions, name)
			}
		}
	}
	if hs.full.version != 0 {
		// The full handshake offered TLS 1.0 to 1.3 and the server picked
		// its highest: TLS 1.3 exactly when it speaks it.
		info.Versions["TLS 1.3"] = hs.full.version == wire.VersionTLS13
	}
	pol := hs.policy
	if pol.answered() {
		f := pol.flight
		info.Version = wire.VersionName(f.Version)
		info.CipherSuite = wire.SuiteName(f.CipherSuite)
		info.SecureRenegotiation = f.RenegotiationInfo
		info.ExtendedMasterSecret = f.ExtendedMasterSecret
		info.OCSPStapled = len(f.OCSPResponse) > 0
		info.KeyExchange = describeKeyExchange(f.KeyExchange)
		for _, m := range f.Messages {
			info.HandshakeMessages = append(info.HandshakeMessages, HandshakeMessage{Name: m.Name, Length: m.Length})
		}
	}
	if pol.err != nil {
		info.PolicyHandshakeError = oneLine(pol.err.Error())
	}
	if a := pol.alert(); a != nil {
		info.PolicyAlert = fmt.Sprintf("%s (%d)", wire.AlertName(a.Description), a.Description)
	}
	fh := hs.full
	info.FullHandshake = fh.summary()
	info.ALPN = fh.alpn
	info.OCSPStapled = info.OCSPStapled || len(fh.ocsp) > 0
	info.ClientAuth.AcceptableCAs = []string{}
	info.ClientAuth.Mode = "none"
	if wc := hs.withCert; wc != nil && wc.presented {
		info.ClientAuth.Presented = true
		info.ClientAuth.AcceptHTTPStatus = wc.http
		switch {
		case wc.err != nil:
			info.ClientAuth.AcceptError = oneLine(wc.err.Error())
		case wc.httpRefused && wc.httpErr != nil:
			info.ClientAuth.AcceptError = "the request over the handshake failed: " + oneLine(wc.httpErr.Error())
		case wc.httpRefused:
			info.ClientAuth.AcceptError = "the server answered the request over the handshake with " + wc.http
		default:
			info.ClientAuth.Accepted = true
		}
	}
	return info
}

// chain returns the certificates as sent — from the policy's handshake,
// else from the first clear-text probe that carried them, else from the
// full handshake — and fills in the client-certificate request that came
// with them. A flight the sender refuses after its ServerHello (an alert,
// a message too large) before any certificate came is a finding with no
// chain (nil, nil); otherwise no chain at all is an error.
func (hs handshakes) chain(addr string, info *TLSInfo) ([]*x509.Certificate, error) {
	for _, pr := range []probe{hs.policy, hs.byVersion[wire.VersionTLS12], hs.byVersion[wire.VersionTLS11], hs.byVersion[wire.VersionTLS10]} {
		if !pr.answered() || len(pr.flight.Certificates) == 0 {
			continue
		}
		var certs []*x509.Certificate
		for i, der := range pr.flight.Certificates {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("%s: certificate %d of the chain: malformed: %w", addr, i, err)
			}
			certs = append(certs, c)
		}
		hs.clientAuth(info, pr.flight.CertificateRequest)
		return certs, nil
	}
	hs.clientAuth(info, nil)
	fh := hs.full
	if fh.err != nil && len(fh.certs) == 0 {
		if flightRefused(hs.policy) {
			return nil, nil
		}
		return nil, noChainError(addr, hs.policy.err, fh.cause)
	}
	return fh.certs, nil
}

// flightRefused reports a policy handshake that got a ServerHello and then
// ended in what the sender refuses: an alert, a message too large, a
// message out of the protocol. tls.handshake judges it. A flight cut short
// by chainscope's own reading bounds (wire.ErrLimit) is not one: nothing
// says the sender refuses it.
func flightRefused(pr probe) bool {
	return pr.answered() && pr.err != nil && !hiccup(pr.err) && !errors.Is(pr.err, wire.ErrLimit)
}

// clientAuth fills in the server's request for a client certificate: the
// CA names of cr (the clear-text flight's CertificateRequest) or of the
// full handshake's, and the mode the full handshake without a certificate
// showed (sender-model.md section 4).
func (hs handshakes) clientAuth(info *TLSInfo, cr *wire.CertificateRequest) {
	ca := &info.ClientAuth
	fh := hs.full
	switch {
	case cr != nil:
		ca.Requested = true
		ca.AcceptableCAs = caNames(cr.CANames)
		for _, s := range cr.SignatureAlgorithms {
			ca.SignatureAlgorithms = append(ca.SignatureAlgorithms, wire.SignatureSchemeName(s))
		}
	case fh.requested:
		ca.Requested = true
		if fh.cas != nil {
			ca.AcceptableCAs = fh.cas
		}
	}
	if !ca.Requested {
		// No request seen, but none could be: the sender's flight ended
		// before ServerHelloDone and the full handshake failed too.
		if flightRefused(hs.policy) && fh.err != nil {
			ca.Mode = "unknown"
			ca.UnknownReason = "the server ended the sender's handshake before it would ask for a client certificate (a TLS 1.2 request comes before ServerHelloDone), and the full handshake failed too"
		}
		return
	}
	ca.HTTPStatus = fh.http
	ca.Renegotiated = cr == nil && fh.renegotiated
	switch {
	case fh.requested && (fh.err != nil || fh.httpRefused):
		ca.Mode = "required"
	case fh.requested:
		ca.Mode = "optional"
	case fh.err != nil:
		// The clear-text flight asked; the full handshake failed before
		// the server could ask it (or judge it): most likely for want of a
		// certificate, as TLS 1.3 servers do after the request.
		ca.Mode = "required"
	default:
		ca.Mode = "optional"
	}
}

func describeKeyExchange(kx *wire.KeyExchange) string {
	if kx == nil {
		return ""
	}
	switch {
	case kx.Group != 0:
		return kx.Kind + " " + wire.GroupName(kx.Group)
	case kx.DHBits > 0:
		return fmt.Sprintf("%s %d bits", kx.Kind, kx.DHBits)
	}
	return kx.Kind
}

// serverKeyExchange describes the policy flight's ServerKeyExchange and
// checks its signature with the key of position 0 (sender-model.md
// section 3); nil when none was read.
func serverKeyExchange(fl *wire.ServerFlight, certs []*x509.Certificate) *ServerKeyExchange {
	if fl == nil || fl.KeyExchange == nil {
		return nil
	}
	kx := fl.KeyExchange
	out := &ServerKeyExchange{Kind: kx.Kind, DHBits: kx.DHBits}
	if kx.Group != 0 {
		out.Group = wire.GroupName(kx.Group)
	}
	if kx.SignatureAlgorithm != 0 {
		out.SignatureScheme = wire.SignatureSchemeName(kx.SignatureAlgorithm)
	}
	if kx.Signature == nil {
		return out
	}
	switch err := verifyKeyExchange(fl, certs); {
	case err == nil:
		out.Signature = "valid"
	case errors.Is(err, wire.ErrBadSignature):
		out.Signature = "invalid"
	default:
		out.Signature = "unverified"
	}
	return out
}

// verifyKeyExchange checks the flight's ServerKeyExchange signature with
// the key of the certificate at position 0, which RFC 5246 §7.4.2 makes
// the server's.
func verifyKeyExchange(fl *wire.ServerFlight, certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return errors.New("no certificate to verify the ServerKeyExchange with")
	}
	return wire.VerifyKeyExchange(fl, certs[0].PublicKey)
}

// keyOwner returns the position of the presented certificate whose key
// signed the ServerKeyExchange, position 0 first; -1 when none did or
// there is no signature to check. When it is not 0, the server's key
// belongs to another certificate than the one the sender judges as the
// server's, and chain.order's fix says what that takes.
func keyOwner(fl *wire.ServerFlight, certs []*x509.Certificate) int {
	if fl == nil || fl.KeyExchange == nil || fl.KeyExchange.Signature == nil {
		return -1
	}
	for i, c := range certs {
		if wire.VerifyKeyExchange(fl, c.PublicKey) == nil {
			return i
		}
	}
	return -1
}
