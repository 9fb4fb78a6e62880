package wire

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/cryptobyte"
)

// KeyExchange is what a ServerKeyExchange message disclosed
// (RFC 5246 §7.4.3, RFC 8422 §5.4, RFC 4279 §2-4, RFC 5489 §2, RFC 5054 §2.8.3).
type KeyExchange struct {
	// Kind is "ECDHE", "DHE", "DH_anon", "ECDH_anon", "PSK", "DHE_PSK",
	// "ECDHE_PSK", "RSA_PSK", "SRP", "RSA" (an export suite's temporary RSA
	// key), or for suites whose parameters are not decoded the suite's
	// KeyExchange ("KRB5", "ECCPWD", "GOST") or "unknown".
	Kind string
	// Group is the named curve of ServerECDHParams, 0 when not ECDH.
	Group uint16
	// DHBits is the bit length of the finite-field prime (dh_p, or SRP's N),
	// 0 when not finite-field.
	DHBits int
	// SignatureAlgorithm is the TLS 1.2 SignatureAndHashAlgorithm of the
	// signed parameters; 0 before TLS 1.2 and for unsigned parameters.
	SignatureAlgorithm uint16
	// Params are the signed parameters as sent (ServerECDHParams,
	// ServerDHParams, ServerRSAParams, …), and Signature the signature over
	// them; both nil when the parameters are not signed or not decoded.
	Params, Signature []byte
}

// CertificateRequest is a TLS 1.2-or-earlier CertificateRequest
// (RFC 5246 §7.4.4).
type CertificateRequest struct {
	// CertificateTypes are the ClientCertificateType codes, in order.
	CertificateTypes []uint8
	// SignatureAlgorithms is supported_signature_algorithms (TLS 1.2 only).
	SignatureAlgorithms []uint16
	// CANames are the certificate_authorities DistinguishedName entries,
	// raw DER, in order.
	CANames [][]byte
}

// extension is one ServerHello extension.
type extension struct {
	typ  uint16
	data []byte
}

// serverHello is a decoded ServerHello or HelloRetryRequest
// (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3).
type serverHello struct {
	version     uint16 // legacy_version
	random      [32]byte
	sessionID   []byte
	cipherSuite uint16
	compression uint8
	extensions  []extension
}

// ext returns the body of extension typ and whether it was present.
func (sh *serverHello) ext(typ uint16) ([]byte, bool) {
	for _, e := range sh.extensions {
		if e.typ == typ {
			return e.data, true
		}
	}
	return nil, false
}

var errTruncated = errors.New("truncated or malformed")

// parseServerHello decodes a ServerHello body without judging its values.
func parseServerHello(body []byte) (*serverHello, error) {
	s := cryptobyte.String(body)
	sh := &serverHello{}
	var sid cryptobyte.String
	if !s.ReadUint16(&sh.version) || !s.CopyBytes(sh.random[:]) ||
		!s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint16(&sh.cipherSuite) ||
		!s.ReadUint8(&sh.compression) {
		return nil, errTruncated
	}
	if len(sid) > 32 {
		return nil, fmt.Errorf("session id of %d bytes exceeds 32", len(sid))
	}
	sh.sessionID = bytes.Clone(sid)
	if s.Empty() {
		return sh, nil // no extensions block (RFC 5246 §7.4.1.3)
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) {
		return nil, fmt.Errorf("extensions: %w", errTruncated)
	}
	if !s.Empty() {
		return nil, fmt.Errorf("%s after the extensions", nbytes(len(s)))
	}
	for !exts.Empty() {
		var e extension
		var data cryptobyte.String
		if !exts.ReadUint16(&e.typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, fmt.Errorf("extensions: %w", errTruncated)
		}
		if _, dup := sh.ext(e.typ); dup {
			// RFC 5246 §7.4.1.4, RFC 8446 §4.2: one extension of each type.
			return nil, fmt.Errorf("duplicate extension %s", ExtensionName(e.typ))
		}
		e.data = bytes.Clone(data)
		sh.extensions = append(sh.extensions, e)
	}
	return sh, nil
}

// parseCertificate decodes a TLS 1.2-or-earlier Certificate body
// (RFC 5246 §7.4.2): a non-empty certificate_list of non-empty entries.
func parseCertificate(body []byte, maxCerts int) ([][]byte, error) {
	s := cryptobyte.String(body)
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) {
		return nil, errTruncated
	}
	if !s.Empty() {
		return nil, fmt.Errorf("%s after certificate_list", nbytes(len(s)))
	}
	if list.Empty() {
		return nil, errors.New("empty certificate_list")
	}
	var certs [][]byte
	for !list.Empty() {
		if len(certs) == maxCerts {
			return nil, limitError{fmt.Errorf("more than %d certificates", maxCerts)}
		}
		var cert cryptobyte.String
		if !list.ReadUint24LengthPrefixed(&cert) {
			return nil, fmt.Errorf("entry %d: %w", len(certs), errTruncated)
		}
		if cert.Empty() {
			return nil, fmt.Errorf("entry %d is empty", len(certs))
		}
		certs = append(certs, bytes.Clone(cert))
	}
	return certs, nil
}

// parseCertificateStatus decodes a CertificateStatus body (RFC 6066 §8) and
// returns the OCSPResponse.
func parseCertificateStatus(body []byte) ([]byte, error) {
	s := cryptobyte.String(body)
	var typ uint8
	var resp cryptobyte.String
	if !s.ReadUint8(&typ) {
		return nil, errTruncated
	}
	if typ != 1 {
		return nil, fmt.Errorf("status_type %d, want ocsp(1)", typ)
	}
	if !s.ReadUint24LengthPrefixed(&resp) {
		return nil, errTruncated
	}
	if !s.Empty() {
		return nil, fmt.Errorf("%s after the OCSP response", nbytes(len(s)))
	}
	if resp.Empty() {
		return nil, errors.New("empty OCSP response")
	}
	return bytes.Clone(resp), nil
}

// parseCertificateRequest decodes a CertificateRequest body; version decides
// whether supported_signature_algorithms is present (RFC 5246 §7.4.4,
// RFC 4346 §7.4.4).
func parseCertificateRequest(body []byte, version uint16) (*CertificateRequest, error) {
	s := cryptobyte.String(body)
	cr := &CertificateRequest{}
	var types, algs, cas cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&types) || types.Empty() {
		return nil, fmt.Errorf("certificate_types: %w", errTruncated)
	}
	cr.CertificateTypes = bytes.Clone(types)
	if version >= VersionTLS12 {
		if !s.ReadUint16LengthPrefixed(&algs) || algs.Empty() || len(algs)%2 != 0 {
			return nil, fmt.Errorf("supported_signature_algorithms: %w", errTruncated)
		}
		for !algs.Empty() {
			var a uint16
			algs.ReadUint16(&a)
			cr.SignatureAlgorithms = append(cr.SignatureAlgorithms, a)
		}
	}
	if !s.ReadUint16LengthPrefixed(&cas) {
		return nil, fmt.Errorf("certificate_authorities: %w", errTruncated)
	}
	if !s.Empty() {
		return nil, fmt.Errorf("%s after certificate_authorities", nbytes(len(s)))
	}
	for !cas.Empty() {
		var dn cryptobyte.String
		if !cas.ReadUint16LengthPrefixed(&dn) || dn.Empty() {
			return nil, fmt.Errorf("certificate_authorities entry %d: %w", len(cr.CANames), errTruncated)
		}
		cr.CANames = append(cr.CANames, bytes.Clone(dn))
	}
	return cr, nil
}

// keyExchangeKind returns the KeyExchange.Kind a suite's ServerKeyExchange
// carries, and whether its parameters are signed.
func keyExchangeKind(s Suite) (kind string, signed bool) {
	anon := s.Auth == "anon"
	switch s.KeyExchange {
	case "ECDHE":
		if anon {
			return "ECDH_anon", false
		}
		return "ECDHE", true
	case "DHE":
		if anon {
			return "DH_anon", false
		}
		return "DHE", true
	case "SRP":
		return "SRP", s.Auth != "SRP"
	case "RSA":
		return "RSA", true
	case "":
		return "unknown", false
	}
	return s.KeyExchange, false
}

// parseServerKeyExchange decodes a ServerKeyExchange body for suite at the
// negotiated version. The signature itself is not verified.
func parseServerKeyExchange(body []byte, suite Suite, version uint16) (*KeyExchange, error) {
	kind, signed := keyExchangeKind(suite)
	kx := &KeyExchange{Kind: kind}
	s := cryptobyte.String(body)
	start := len(s) // the signed parameters start here, after any PSK hint
	var hint cryptobyte.String
	if strings.HasSuffix(kind, "PSK") {
		// RFC 4279 §2, RFC 5489 §2: psk_identity_hint comes first.
		if !s.ReadUint16LengthPrefixed(&hint) {
			return kx, fmt.Errorf("psk_identity_hint: %w", errTruncated)
		}
		start = len(s)
	}
	switch kind {
	case "ECDHE", "ECDH_anon", "ECDHE_PSK":
		if err := readECDHParams(&s, kx); err != nil {
			return kx, err
		}
	case "DHE", "DH_anon", "DHE_PSK":
		var p, g, y cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&p) || !s.ReadUint16LengthPrefixed(&g) ||
			!s.ReadUint16LengthPrefixed(&y) || p.Empty() || g.Empty() || y.Empty() {
			return kx, fmt.Errorf("ServerDHParams: %w", errTruncated)
		}
		kx.DHBits = new(big.Int).SetBytes(p).BitLen()
	case "SRP":
		var n, g, salt, b cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&n) || !s.ReadUint16LengthPrefixed(&g) ||
			!s.ReadUint8LengthPrefixed(&salt) || !s.ReadUint16LengthPrefixed(&b) ||
			n.Empty() || g.Empty() || salt.Empty() || b.Empty() {
			return kx, fmt.Errorf("ServerSRPParams: %w", errTruncated)
		}
		kx.DHBits = new(big.Int).SetBytes(n).BitLen()
	case "RSA":
		// RFC 2246 §7.4.3: an export suite's temporary RSA key.
		var mod, exp cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&mod) || !s.ReadUint16LengthPrefixed(&exp) ||
			mod.Empty() || exp.Empty() {
			return kx, fmt.Errorf("ServerRSAParams: %w", errTruncated)
		}
	case "PSK", "RSA_PSK":
	default:
		return kx, nil // parameters of this key exchange are not decoded
	}
	if signed {
		params := body[len(body)-start : len(body)-len(s)]
		if version >= VersionTLS12 && !s.ReadUint16(&kx.SignatureAlgorithm) {
			return kx, fmt.Errorf("signature algorithm: %w", errTruncated)
		}
		var sig cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&sig) || sig.Empty() {
			return kx, fmt.Errorf("signature: %w", errTruncated)
		}
		kx.Params, kx.Signature = bytes.Clone(params), bytes.Clone(sig)
	}
	if !s.Empty() {
		return kx, fmt.Errorf("%s after the parameters", nbytes(len(s)))
	}
	return kx, nil
}

// pointLen is the size of a public value for groups whose encoding has a
// fixed size: uncompressed points (RFC 8422 §5.4.1, RFC 8446 §4.2.8.2),
// X25519 and X448 keys (RFC 8422 §5.11).
var pointLen = map[uint16]int{
	GroupSecp256r1: 65, GroupSecp384r1: 97, GroupSecp521r1: 133,
	26: 65, 27: 97, 28: 129, // brainpoolP256r1, P384r1, P512r1
	GroupX25519: 32, GroupX448: 56,
}

// readECDHParams reads ServerECDHParams (RFC 8422 §5.4): a named curve and
// a public point.
func readECDHParams(s *cryptobyte.String, kx *KeyExchange) error {
	var curveType uint8
	var point cryptobyte.String
	if !s.ReadUint8(&curveType) {
		return fmt.Errorf("ServerECDHParams: %w", errTruncated)
	}
	if curveType != 3 {
		// RFC 8422 §5.4: explicit_prime(1) and explicit_char2(2) are deprecated.
		return fmt.Errorf("ServerECDHParams: curve_type %d, want named_curve(3)", curveType)
	}
	if !s.ReadUint16(&kx.Group) || !s.ReadUint8LengthPrefixed(&point) || point.Empty() {
		return fmt.Errorf("ServerECDHParams: %w", errTruncated)
	}
	return checkPoint(kx.Group, point)
}

// checkPoint checks the size and form of a public value for group.
func checkPoint(group uint16, point []byte) error {
	want, ok := pointLen[group]
	if !ok {
		return nil
	}
	if len(point) != want {
		return fmt.Errorf("public value for %s has %d bytes, want %d", GroupName(group), len(point), want)
	}
	if group != GroupX25519 && group != GroupX448 && point[0] != 4 {
		// RFC 8422 §5.1.2: only the uncompressed point format remains.
		return fmt.Errorf("public value for %s is not an uncompressed point", GroupName(group))
	}
	return nil
}
