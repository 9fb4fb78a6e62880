package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/crypto/cryptobyte"
)

// ServerFlight is what the server sent in the clear in answer to a
// ClientHello.
type ServerFlight struct {
	// Version is the negotiated version: ServerHello.server_version, or the
	// selected_version of supported_versions for TLS 1.3 (RFC 8446 §4.2.1).
	Version uint16
	// CipherSuite is the suite the server selected.
	CipherSuite uint16
	// HelloRetryRequest reports a TLS 1.3 HelloRetryRequest, a ServerHello
	// with the special random of RFC 8446 §4.1.3. Version and CipherSuite
	// are filled, SelectedGroup holds the group asked for (0 when the server
	// only sent a cookie), and nothing follows.
	HelloRetryRequest bool
	// SelectedGroup is the group of the TLS 1.3 key_share, or the one a
	// HelloRetryRequest asks for (RFC 8446 §4.2.8).
	SelectedGroup uint16
	// Extensions are the ServerHello extension types, in order.
	Extensions []uint16
	// ALPN is the protocol the server selected (RFC 7301 §3.1), or "".
	ALPN string
	// RenegotiationInfo reports that the server sent renegotiation_info, so
	// it supports secure renegotiation (RFC 5746 §3.6).
	RenegotiationInfo bool
	// ExtendedMasterSecret reports that the server agreed to the extended
	// master secret (RFC 7627 §5.1).
	ExtendedMasterSecret bool
	// Certificates are the DER certificates of the Certificate message
	// exactly as sent, position 0 first (TLS 1.2 and earlier; TLS 1.3 sends
	// them encrypted).
	Certificates [][]byte
	// OCSPResponse is the stapled OCSP response of CertificateStatus
	// (RFC 6066 §8), or nil.
	OCSPResponse []byte
	// KeyExchange describes the ServerKeyExchange, or is nil when none was sent.
	KeyExchange *KeyExchange
	// CertificateRequest is set when the server asked for a client
	// certificate (RFC 5246 §7.4.4).
	CertificateRequest *CertificateRequest
	// Complete reports that ServerHelloDone was read (TLS 1.2 and earlier).
	Complete bool
	// ClientRandom and ServerRandom are the two hellos' randoms, which the
	// ServerKeyExchange signature covers (RFC 5246 §7.4.3).
	ClientRandom, ServerRandom [32]byte
	// Messages lists the handshake messages read, ServerHello first, with
	// their body lengths: what a client's limit on message size applies to.
	Messages []Message
}

// Message is one handshake message of a flight.
type Message struct {
	// Name is the message type's name: "server_hello", "certificate", ….
	Name string
	// Length is the body length in bytes, the 24-bit length of its header.
	Length int
}

// LargestMessage returns the longest message read, or the zero Message.
func (fl *ServerFlight) LargestMessage() Message {
	var m Message
	for _, x := range fl.Messages {
		if x.Length > m.Length {
			m = x
		}
	}
	return m
}

// helloRetryRandom is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
var helloRetryRandom = [32]byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// The last eight bytes of a ServerHello random that negotiates TLS 1.2, or
// TLS 1.1 and below, while supporting TLS 1.3 (RFC 8446 §4.1.3).
var (
	downgradeTLS12 = []byte("DOWNGRD\x01")
	downgradeTLS11 = []byte("DOWNGRD\x00")
)

// ReadServerFlight reads records from r until ServerHelloDone (TLS 1.2 and
// earlier) or until the ServerHello or HelloRetryRequest when the server
// selects TLS 1.3, and returns what was seen. hello is the ClientHello that
// was sent, after Marshal: the answer must stay within what it offered.
//
// Handshake messages may span records and records may hold several
// messages. A change_cipher_spec record is dropped while TLS 1.3 may be in
// use (RFC 8446 §5); a warning alert other than close_notify is read past
// unless the server selected TLS 1.3 (RFC 5246 §7.2, RFC 8446 §6: what OTP,
// Go and OpenSSL clients do; a sixth ends it, as in OpenSSL), any other
// alert ends the read with an *AlertError — so does the connection closing
// after a warning — and any other record type, a record or message beyond lim, a version, cipher suite
// or extension the hello did not offer, messages out of the order of
// RFC 5246 §7.3, or bytes after the last message read are errors.
//
// Errors are *FlightError values naming the step that failed. Once the
// ServerHello has been decoded the returned flight is non-nil even when err
// is not, holding everything read before the failure, so a caller can still
// report the version and suite the server chose; before that it is nil.
func ReadServerFlight(r io.Reader, hello *ClientHello, lim Limits) (*ServerFlight, error) {
	if hello == nil {
		return nil, errStage("flight", errors.New("nil client hello"))
	}
	lim = lim.withDefaults()
	var fl *ServerFlight
	rr := &recordReader{r: r, lim: lim}
	rr.dropCCS = func() bool {
		return hello.offers(VersionTLS13) && (fl == nil || fl.Version == VersionTLS13)
	}
	rr.warningsDropped = func() bool { return fl == nil || fl.Version != VersionTLS13 }

	typ, body, err := nextSkippingHelloRequest(rr, "server_hello")
	if err != nil {
		return nil, err
	}
	if typ != typeServerHello {
		return nil, errStage("server_hello", fmt.Errorf("got %s", handshakeName(typ)))
	}
	sh, err := parseServerHello(body)
	if err != nil {
		return nil, errStage("server_hello", err)
	}
	fl = &ServerFlight{ClientRandom: hello.Random, ServerRandom: sh.random,
		Messages: []Message{{Name: handshakeName(typeServerHello), Length: len(body)}}}
	if err := checkServerHello(fl, sh, hello); err != nil {
		return fl, errStage("server_hello", err)
	}
	if lim.ServerHelloOnly {
		return fl, nil
	}
	if fl.Version == VersionTLS13 {
		// RFC 8446 §5.1: the ServerHello ends its record; what follows is encrypted.
		if n := rr.pending(); n > 0 {
			return fl, errStage("server_hello", fmt.Errorf("%s of handshake data after the ServerHello", nbytes(n)))
		}
		return fl, nil
	}
	return fl, readTLS12Flight(rr, fl, hello)
}

// nextSkippingHelloRequest returns the next handshake message, skipping
// empty HelloRequests, which a client in a handshake ignores (RFC 5246 §7.4.1.1).
func nextSkippingHelloRequest(rr *recordReader, stage string) (uint8, []byte, error) {
	for {
		typ, body, err := rr.nextMessage(stage)
		if err != nil || typ != typeHelloRequest || len(body) != 0 {
			return typ, body, err
		}
	}
}

// checkServerHello fills fl from sh and checks it against the hello sent.
func checkServerHello(fl *ServerFlight, sh *serverHello, h *ClientHello) error {
	for _, e := range sh.extensions {
		fl.Extensions = append(fl.Extensions, e.typ)
	}
	fl.CipherSuite = sh.cipherSuite
	fl.HelloRetryRequest = sh.random == helloRetryRandom
	fl.Version = sh.version
	sv, hasSV := sh.ext(extSupportedVersions)
	if hasSV {
		s := cryptobyte.String(sv)
		var v uint16
		if !s.ReadUint16(&v) || !s.Empty() {
			return fmt.Errorf("supported_versions: %w", errTruncated)
		}
		fl.Version = v
	}
	if _, ok := versionNames[fl.Version]; !ok {
		return fmt.Errorf("unknown version %s", VersionName(fl.Version))
	}
	switch {
	case hasSV && sh.version != VersionTLS12:
		// RFC 8446 §4.1.3: legacy_version is 0x0303 alongside supported_versions.
		return fmt.Errorf("legacy_version %s with supported_versions, want TLS 1.2", VersionName(sh.version))
	case hasSV && fl.Version < VersionTLS13:
		// RFC 8446 §4.2.1: earlier versions are negotiated with legacy_version.
		return fmt.Errorf("supported_versions selects %s", VersionName(fl.Version))
	case !hasSV && fl.Version == VersionTLS13:
		return errors.New("TLS 1.3 in legacy_version without supported_versions")
	case !h.offers(fl.Version):
		return fmt.Errorf("server selected %s, which the client did not offer", VersionName(fl.Version))
	case fl.HelloRetryRequest && fl.Version != VersionTLS13:
		return fmt.Errorf("hello_retry_request at %s", VersionName(fl.Version))
	}
	if err := checkDowngrade(fl.Version, sh.random, h.maxVersion()); err != nil {
		return err
	}
	if fl.Version == VersionTLS13 && !bytes.Equal(sh.sessionID, h.SessionID) {
		// RFC 8446 §4.1.3: legacy_session_id_echo repeats the client's.
		return errors.New("legacy_session_id_echo differs from the session id sent")
	}
	if err := checkSuite(fl.CipherSuite, fl.Version, h); err != nil {
		return err
	}
	if sh.compression != 0 {
		// RFC 5246 §7.4.1.3: one of the methods offered, and only null was.
		return fmt.Errorf("compression method %d, which the client did not offer", sh.compression)
	}
	for _, e := range sh.extensions {
		if err := checkExtension(fl, e, h); err != nil {
			return fmt.Errorf("extension %s: %w", ExtensionName(e.typ), err)
		}
	}
	if fl.Version == VersionTLS13 {
		_, hasKS := sh.ext(extKeyShare)
		_, hasCookie := sh.ext(extCookie)
		switch {
		case fl.HelloRetryRequest && !hasKS && !hasCookie:
			// RFC 8446 §4.1.4: an HRR must change something in the next hello.
			return errors.New("hello_retry_request asks for neither a key share nor a cookie")
		case !fl.HelloRetryRequest && !hasKS:
			// RFC 8446 §4.2.8, §9.2: no PSK was offered, so key_share is required.
			return errors.New("no key_share extension")
		}
	}
	return nil
}

// checkDowngrade rejects the RFC 8446 §4.1.3 downgrade sentinels.
func checkDowngrade(version uint16, random [32]byte, offered uint16) error {
	tail := random[24:]
	if version < VersionTLS13 && offered >= VersionTLS13 &&
		(bytes.Equal(tail, downgradeTLS12) || bytes.Equal(tail, downgradeTLS11)) ||
		version < VersionTLS12 && offered == VersionTLS12 && bytes.Equal(tail, downgradeTLS11) {
		return fmt.Errorf("server random carries the downgrade sentinel at %s", VersionName(version))
	}
	return nil
}

// checkSuite checks the selected cipher suite against the hello and version.
func checkSuite(id, version uint16, h *ClientHello) error {
	s, known := SuiteByID(id)
	switch {
	case !slices.Contains(h.CipherSuites, id):
		return fmt.Errorf("server selected cipher suite %s, which the client did not offer", suiteLabel(id))
	case !known:
		return nil
	case s.Signaling:
		return fmt.Errorf("server selected the signaling value %s as cipher suite", suiteLabel(id))
	case version == VersionTLS13 && !s.TLS13:
		// RFC 8446 §4.1.3: a TLS 1.3 suite, which 1.2 suites are not.
		return fmt.Errorf("cipher suite %s at TLS 1.3", suiteLabel(id))
	case version < VersionTLS13 && s.TLS13:
		return fmt.Errorf("TLS 1.3 cipher suite %s at %s", suiteLabel(id), VersionName(version))
	case version < s.MinVersion:
		// e.g. RFC 5288 §4: GCM suites only at TLS 1.2.
		return fmt.Errorf("cipher suite %s at %s, before %s", suiteLabel(id), VersionName(version), VersionName(s.MinVersion))
	case version > VersionTLS10 && strings.Contains(s.Name, "_EXPORT"):
		// RFC 4346 §A.5: export suites must not be negotiated in TLS 1.1 or later.
		return fmt.Errorf("export cipher suite %s at %s", suiteLabel(id), VersionName(version))
	}
	return nil
}

// tls13Only are the extensions no TLS 1.2-or-earlier ServerHello carries
// (RFC 8446 §4.2), plus signature_algorithms, which servers never send
// (RFC 5246 §7.4.1.4.1).
var tls13Only = []uint16{
	extKeyShare, extPreSharedKey, extEarlyData, extCookie, extPSKModes,
	extSupportedVersions, extSignatureAlgorithms,
}

// serverShareLen is the size of a TLS 1.3 server key share for hybrid
// groups: the ML-KEM ciphertext and the ECDH share (draft-ietf-tls-ecdhe-mlkem §4).
var serverShareLen = map[uint16]int{
	GroupX25519MLKEM768:     1088 + 32,
	GroupSecP256r1MLKEM768:  65 + 1088,
	GroupSecP384r1MLKEM1024: 97 + 1568,
}

// checkExtension checks one ServerHello extension and records it in fl.
func checkExtension(fl *ServerFlight, e extension, h *ClientHello) error {
	offered := h.sends(e.typ) ||
		// RFC 5746 §3.6: the SCSV solicits renegotiation_info too.
		e.typ == extRenegotiationInfo && slices.Contains(h.CipherSuites, 0x00FF) ||
		// RFC 8446 §4.2.2: a HelloRetryRequest may carry a cookie unasked.
		e.typ == extCookie && fl.HelloRetryRequest
	if !offered {
		// RFC 5246 §7.4.1.4, RFC 8446 §4.2: only extensions the client sent.
		return errors.New("not offered by the client")
	}
	if fl.Version == VersionTLS13 {
		allowed := []uint16{extSupportedVersions, extKeyShare, extPreSharedKey}
		if fl.HelloRetryRequest {
			allowed = []uint16{extSupportedVersions, extKeyShare, extCookie}
		}
		if !slices.Contains(allowed, e.typ) {
			// RFC 8446 §4.2: the table of which message may carry which extension.
			return errors.New("not allowed in a TLS 1.3 ServerHello")
		}
	} else if slices.Contains(tls13Only, e.typ) {
		return fmt.Errorf("not allowed in a %s ServerHello", VersionName(fl.Version))
	}
	s := cryptobyte.String(e.data)
	switch e.typ {
	case extServerName, extStatusRequest, extSessionTicket:
		// RFC 6066 §3 and §8, RFC 5077 §3.2: the server's is empty.
		if !s.Empty() {
			return fmt.Errorf("%s where the server's is empty", nbytes(len(s)))
		}
	case extExtendedMasterSecret:
		if !s.Empty() {
			return fmt.Errorf("%s where the server's is empty", nbytes(len(s)))
		}
		fl.ExtendedMasterSecret = true
	case extRenegotiationInfo:
		// RFC 5746 §3.4: renegotiated_connection is empty on the first handshake.
		var rc cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&rc) || !s.Empty() {
			return errTruncated
		}
		if !rc.Empty() {
			return fmt.Errorf("renegotiated_connection of %s on an initial handshake", nbytes(len(rc)))
		}
		fl.RenegotiationInfo = true
	case extALPN:
		// RFC 7301 §3.1: exactly one protocol, one the client offered.
		var list, proto cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() ||
			!list.ReadUint8LengthPrefixed(&proto) || proto.Empty() {
			return errTruncated
		}
		if !list.Empty() {
			return errors.New("more than one protocol")
		}
		if !slices.Contains(h.ALPN, string(proto)) {
			return fmt.Errorf("protocol %q was not offered", string(proto))
		}
		fl.ALPN = string(proto)
	case extECPointFormats:
		var formats cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&formats) || formats.Empty() || !s.Empty() {
			return errTruncated
		}
	case extKeyShare:
		return checkKeyShare(fl, s, h)
	case extCookie:
		var cookie cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&cookie) || cookie.Empty() || !s.Empty() {
			return errTruncated
		}
	}
	return nil
}

// checkKeyShare checks a TLS 1.3 ServerHello KeyShareEntry or a
// HelloRetryRequest selected_group (RFC 8446 §4.2.8).
func checkKeyShare(fl *ServerFlight, s cryptobyte.String, h *ClientHello) error {
	if !s.ReadUint16(&fl.SelectedGroup) {
		return errTruncated
	}
	g := fl.SelectedGroup
	if fl.HelloRetryRequest {
		switch {
		case !s.Empty():
			return errTruncated
		case !slices.Contains(h.groups(), g):
			return fmt.Errorf("asks for group %s, which is not in supported_groups", GroupName(g))
		case slices.Contains(h.KeyShareGroups, g):
			return fmt.Errorf("asks for group %s, which already has a key share", GroupName(g))
		}
		return nil
	}
	var share cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&share) || share.Empty() || !s.Empty() {
		return errTruncated
	}
	if !slices.Contains(h.KeyShareGroups, g) {
		return fmt.Errorf("share for group %s, which the client sent no share for", GroupName(g))
	}
	if want, ok := serverShareLen[g]; ok && len(share) != want {
		return fmt.Errorf("share for %s has %d bytes, want %d", GroupName(g), len(share), want)
	}
	return checkPoint(g, share)
}

// flightOrder ranks the messages of a TLS 1.2-or-earlier server flight in
// the order RFC 5246 §7.3 and RFC 6066 §8 fix.
var flightOrder = map[uint8]int{
	typeCertificate:        1,
	typeCertificateStatus:  2,
	typeServerKeyExchange:  3,
	typeCertificateRequest: 4,
	typeServerHelloDone:    5,
}

// readTLS12Flight reads the messages after a TLS 1.2-or-earlier ServerHello
// up to ServerHelloDone.
func readTLS12Flight(rr *recordReader, fl *ServerFlight, h *ClientHello) error {
	suite, known := SuiteByID(fl.CipherSuite)
	prev := typeServerHello
	for {
		typ, body, err := nextSkippingHelloRequest(rr, "flight")
		if err != nil {
			return err
		}
		name := handshakeName(typ)
		fl.Messages = append(fl.Messages, Message{Name: name, Length: len(body)})
		rank, ok := flightOrder[typ]
		switch {
		case !ok:
			return errStage("flight", fmt.Errorf("unexpected %s after %s", name, handshakeName(prev)))
		case rank <= flightOrder[prev]:
			return errStage("flight", fmt.Errorf("%s after %s", name, handshakeName(prev)))
		}
		switch typ {
		case typeCertificate:
			fl.Certificates, err = parseCertificate(body, rr.lim.MaxCertificates)
		case typeCertificateStatus:
			err = checkCertificateStatus(fl, prev, body)
		case typeServerKeyExchange:
			err = checkServerKeyExchange(fl, suite, known, body, h)
		case typeCertificateRequest:
			err = checkCertificateRequest(fl, suite, body)
		case typeServerHelloDone:
			err = checkServerHelloDone(fl, suite, known, body, rr.pending())
		}
		if err != nil {
			return errStage(name, err)
		}
		if fl.Complete {
			return nil
		}
		prev = typ
	}
}

// checkCertificateStatus decodes a stapled OCSP response, which must follow
// the Certificate of a server that acknowledged status_request (RFC 6066 §8).
func checkCertificateStatus(fl *ServerFlight, prev uint8, body []byte) error {
	switch {
	case !slices.Contains(fl.Extensions, extStatusRequest):
		return errors.New("sent without status_request in the ServerHello")
	case prev != typeCertificate:
		return fmt.Errorf("after %s, want after certificate", handshakeName(prev))
	}
	var err error
	fl.OCSPResponse, err = parseCertificateStatus(body)
	return err
}

// checkServerKeyExchange decodes a ServerKeyExchange and checks that the
// suite allows one (RFC 5246 §7.4.3, RFC 8422 §5.4) and that its group and
// signature algorithm were offered (RFC 8422 §5.1.1, RFC 5246 §7.4.1.4.1).
func checkServerKeyExchange(fl *ServerFlight, suite Suite, known bool, body []byte, h *ClientHello) error {
	if !known {
		fl.KeyExchange = &KeyExchange{Kind: "unknown"}
		return nil
	}
	switch {
	case suite.KeyExchange == "DH", suite.KeyExchange == "ECDH",
		suite.KeyExchange == "RSA" && !strings.Contains(suite.Name, "_EXPORT"):
		return fmt.Errorf("not allowed with %s key exchange", suite.KeyExchange)
	}
	kx, err := parseServerKeyExchange(body, suite, fl.Version)
	fl.KeyExchange = kx
	if err != nil {
		return err
	}
	if kx.Group != 0 && len(h.groups()) > 0 && !slices.Contains(h.groups(), kx.Group) {
		return fmt.Errorf("group %s was not offered", GroupName(kx.Group))
	}
	if kx.SignatureAlgorithm != 0 && h.sends(extSignatureAlgorithms) &&
		!slices.Contains(h.SignatureAlgorithms, kx.SignatureAlgorithm) {
		return fmt.Errorf("signature algorithm %s was not offered", SignatureSchemeName(kx.SignatureAlgorithm))
	}
	return nil
}

// checkCertificateRequest decodes a CertificateRequest, which an anonymous
// server must not send (RFC 5246 §7.4.4).
func checkCertificateRequest(fl *ServerFlight, suite Suite, body []byte) error {
	if suite.Auth == "anon" {
		return errors.New("sent by an anonymous server")
	}
	cr, err := parseCertificateRequest(body, fl.Version)
	if err != nil {
		return err
	}
	fl.CertificateRequest = cr
	return nil
}

// checkServerHelloDone ends the flight: the body is empty (RFC 5246 §7.4.5),
// nothing follows it, and the messages the suite requires were sent
// (RFC 5246 §7.4.2, §7.4.3).
func checkServerHelloDone(fl *ServerFlight, suite Suite, known bool, body []byte, pending int) error {
	switch {
	case len(body) != 0:
		return fmt.Errorf("%s where the body is empty", nbytes(len(body)))
	case pending > 0:
		return fmt.Errorf("%s of handshake data after it", nbytes(pending))
	case !known:
	case fl.Certificates == nil && slices.Contains([]string{"RSA", "DSS", "ECDSA", "GOST"}, suite.Auth):
		return fmt.Errorf("no certificate for %s", suite.Name)
	case fl.KeyExchange == nil && slices.Contains([]string{"DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "SRP"}, suite.KeyExchange):
		return fmt.Errorf("no server_key_exchange for %s", suite.Name)
	}
	fl.Complete = true
	return nil
}
