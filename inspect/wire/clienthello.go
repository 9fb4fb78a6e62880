package wire

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"golang.org/x/crypto/cryptobyte"
)

// Record content types (RFC 5246 §6.2.1, RFC 6520 §3).
const (
	recordChangeCipherSpec uint8 = 20
	recordAlert            uint8 = 21
	recordHandshake        uint8 = 22
	recordApplicationData  uint8 = 23
	recordHeartbeat        uint8 = 24
)

// maxPlaintext is the largest TLSPlaintext fragment (RFC 5246 §6.2.1).
const maxPlaintext = 1 << 14

// ClientHello is a ClientHello this package builds byte by byte
// (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2). Every list is sent exactly as given,
// in order, so a hello can offer code points crypto/tls refuses to.
type ClientHello struct {
	// Version is legacy_version, the highest TLS 1.2-or-earlier version
	// offered. It may be left zero when SupportedVersions is set; it is
	// capped at TLS 1.2 (RFC 8446 §4.1.2). The record layer carries
	// min(Version, TLS 1.0), as real clients do for their first flight.
	Version uint16
	// SupportedVersions, when non-empty, is sent as the supported_versions
	// extension (RFC 8446 §4.2.1), which TLS 1.3 requires; legacy_version is
	// then TLS 1.2, or the highest listed version if lower. The server must
	// pick one of exactly these versions.
	SupportedVersions []uint16
	// CipherSuites are offered exactly as given, signaling values included.
	CipherSuites []uint16
	// ServerName is sent as an SNI host_name (RFC 6066 §3) without a
	// trailing dot; it is omitted when empty or an IP literal.
	ServerName string
	// Groups is the supported_groups list (RFC 8422 §5.1.1, RFC 7919 §2).
	// When empty and KeyShareGroups is set, KeyShareGroups is sent instead,
	// since every key share must name an offered group (RFC 8446 §4.2.8).
	Groups []uint16
	// PointFormats is the ec_point_formats list (RFC 8422 §5.1.2); omitted
	// when empty.
	PointFormats []uint8
	// SignatureAlgorithms is the signature_algorithms list
	// (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3); omitted when empty or when no
	// offered version reaches TLS 1.2.
	SignatureAlgorithms []uint16
	// KeyShareGroups are the groups to send fresh TLS 1.3 key shares for
	// (RFC 8446 §4.2.8): x25519, secp256r1, secp384r1, secp521r1,
	// X25519MLKEM768, SecP256r1MLKEM768 and SecP384r1MLKEM1024. The private
	// keys are discarded; the handshake is never finished.
	KeyShareGroups []uint16
	// RenegotiationInfo sends an empty renegotiation_info extension
	// (RFC 5746 §3.4).
	RenegotiationInfo bool
	// ExtendedMasterSecret sends extended_master_secret (RFC 7627 §5.1).
	ExtendedMasterSecret bool
	// SessionTicket sends an empty session_ticket extension (RFC 5077 §3.2).
	SessionTicket bool
	// StatusRequest sends status_request for an OCSP staple (RFC 6066 §8).
	StatusRequest bool
	// SCTs sends signed_certificate_timestamp (RFC 6962 §3.3.1).
	SCTs bool
	// ALPN is the application_layer_protocol_negotiation list (RFC 7301
	// §3.1); omitted when empty.
	ALPN []string
	// ExtensionOrder, when non-empty, is the order extensions are written
	// in: those listed first, in that order, then the others in the
	// builder's order. It decides only the order; the other fields decide
	// which extensions are sent. Real clients differ in their order, and a
	// hello built to be a given client's lists that client's order.
	ExtensionOrder []uint16
	// RecordVersion is the version field of the record layer carrying the
	// hello. Zero means min(legacy_version, TLS 1.0), what most clients
	// send (RFC 5246 Appendix E.1, RFC 8446 §5.1); Erlang/OTP sends TLS 1.2.
	RecordVersion uint16
	// Padding adds the padding extension (RFC 7685) when the handshake
	// message would otherwise be 256 to 511 bytes long, so that it is 512:
	// some servers (the F5 BIG-IP bug RFC 7685 §1 and §3 describe) hang on
	// ClientHellos of that size.
	Padding bool
	// PSKModes sends psk_key_exchange_modes with psk_dhe_ke (RFC 8446
	// §4.2.9) when TLS 1.3 is offered. Real TLS 1.3 clients always send it
	// and some servers refuse a hello without it.
	PSKModes bool
	// Random is the client random. Marshal fills a zero Random from
	// crypto/rand and stores it back.
	Random [32]byte
	// SessionID is legacy_session_id (at most 32 bytes). When nil and TLS 1.3
	// is offered, Marshal stores 32 random bytes here for middlebox
	// compatibility (RFC 8446 §D.4); a TLS 1.3 server must echo it.
	SessionID []byte
}

// Marshal returns the TLS record or records carrying the handshake message,
// ready to write. It stores a generated Random and SessionID back into h, so
// that ReadServerFlight, given the same h, can check what the server echoes;
// use a copy of a shared template per connection. Key shares are generated
// afresh on every call.
func (h *ClientHello) Marshal() ([]byte, error) {
	legacy, err := h.legacyVersion()
	if err != nil {
		return nil, fmt.Errorf("marshal client hello: %w", err)
	}
	if err := h.validate(); err != nil {
		return nil, fmt.Errorf("marshal client hello: %w", err)
	}
	if h.Random == [32]byte{} {
		if _, err := rand.Read(h.Random[:]); err != nil {
			return nil, fmt.Errorf("marshal client hello: %w", err)
		}
	}
	if h.SessionID == nil && h.offers(VersionTLS13) {
		sid := make([]byte, 32)
		if _, err := rand.Read(sid); err != nil {
			return nil, fmt.Errorf("marshal client hello: %w", err)
		}
		h.SessionID = sid
	}
	shares, err := h.keyShares()
	if err != nil {
		return nil, fmt.Errorf("marshal client hello: %w", err)
	}

	exts, err := h.extensions(shares)
	if err != nil {
		return nil, fmt.Errorf("marshal client hello: %w", err)
	}
	msg, err := h.message(legacy, exts)
	if err != nil {
		return nil, fmt.Errorf("marshal client hello: %w", err)
	}
	if pad := paddingLen(len(msg)); h.Padding && pad >= 0 {
		exts = append(exts, extensionBody{extPadding, make([]byte, pad)})
		if msg, err = h.message(legacy, exts); err != nil {
			return nil, fmt.Errorf("marshal client hello: %w", err)
		}
	}
	rv := h.RecordVersion
	if rv == 0 {
		rv = min(legacy, VersionTLS10)
	}
	return records(recordHandshake, rv, msg), nil
}

// message writes the ClientHello handshake message with the extensions
// given, in their order.
func (h *ClientHello) message(legacy uint16, exts []extensionBody) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint8(typeClientHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(legacy)
		b.AddBytes(h.Random[:])
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(h.SessionID) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range h.CipherSuites {
				b.AddUint16(s)
			}
		})
		// Only the null compression method (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2).
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, e := range exts {
				b.AddUint16(e.typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.body) })
			}
		})
	})
	return b.Bytes()
}

// paddingLen returns the length of the padding extension's body that makes
// a handshake message of n bytes 512 bytes long when n is 256 to 511
// (RFC 7685 §3, as BoringSSL and NSS do), and -1 when none is needed. The
// extension's own type and length take 4 bytes; a message of 509 to 511
// bytes gets an empty one and ends up 513 to 515 bytes long.
func paddingLen(n int) int {
	if n < 256 || n >= 512 {
		return -1
	}
	return max(512-n-4, 0)
}

// records wraps msg in TLSPlaintext records of at most 2^14 bytes each
// (RFC 5246 §6.2.1).
func records(typ uint8, version uint16, msg []byte) []byte {
	out := make([]byte, 0, len(msg)+5*(len(msg)/maxPlaintext+1))
	for len(msg) > 0 {
		n := min(len(msg), maxPlaintext)
		out = append(out, typ, byte(version>>8), byte(version), byte(n>>8), byte(n))
		out = append(out, msg[:n]...)
		msg = msg[n:]
	}
	return out
}

// legacyVersion returns the legacy_version field Marshal sends.
func (h *ClientHello) legacyVersion() (uint16, error) {
	if len(h.SupportedVersions) == 0 {
		switch {
		case h.Version == 0:
			return 0, errors.New("no protocol version")
		case h.Version == VersionTLS13:
			return 0, errors.New("TLS 1.3 can only be offered in SupportedVersions")
		case h.Version < VersionSSL30 || h.Version > VersionTLS13:
			return 0, fmt.Errorf("unknown protocol version %s", VersionName(h.Version))
		}
		return h.Version, nil
	}
	if h.Version != 0 {
		if h.Version < VersionSSL30 || h.Version > VersionTLS13 {
			return 0, fmt.Errorf("unknown protocol version %s", VersionName(h.Version))
		}
		return min(h.Version, VersionTLS12), nil
	}
	var hi uint16
	for _, v := range h.SupportedVersions {
		if v >= VersionSSL30 && v <= VersionTLS13 {
			hi = max(hi, v)
		}
	}
	if hi == 0 {
		return 0, errors.New("no known protocol version in SupportedVersions")
	}
	return min(hi, VersionTLS12), nil
}

// offers reports whether the hello offers protocol version v: one listed in
// SupportedVersions, or without it any version from SSL 3.0 up to Version.
func (h *ClientHello) offers(v uint16) bool {
	if len(h.SupportedVersions) > 0 {
		return slices.Contains(h.SupportedVersions, v)
	}
	return v >= VersionSSL30 && v <= h.Version && v <= VersionTLS12
}

// maxVersion returns the highest version the hello offers.
func (h *ClientHello) maxVersion() uint16 {
	hi := uint16(0)
	for v := VersionSSL30; v <= VersionTLS13; v++ {
		if h.offers(v) {
			hi = v
		}
	}
	return hi
}

// groups returns the supported_groups list Marshal sends.
func (h *ClientHello) groups() []uint16 {
	if len(h.Groups) == 0 {
		return h.KeyShareGroups
	}
	return h.Groups
}

// serverName returns the SNI host name Marshal sends, or "".
func (h *ClientHello) serverName() string {
	name := strings.TrimSuffix(h.ServerName, ".")
	if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
		return "" // RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted
	}
	return name
}

// sends reports whether Marshal includes extension ext; ReadServerFlight
// uses it to reject extensions the server was not offered
// (RFC 5246 §7.4.1.4, RFC 8446 §4.2).
func (h *ClientHello) sends(ext uint16) bool {
	switch ext {
	case extServerName:
		return h.serverName() != ""
	case extExtendedMasterSecret:
		return h.ExtendedMasterSecret
	case extRenegotiationInfo:
		return h.RenegotiationInfo
	case extSupportedGroups:
		return len(h.groups()) > 0
	case extECPointFormats:
		return len(h.PointFormats) > 0
	case extSessionTicket:
		return h.SessionTicket
	case extALPN:
		return len(h.ALPN) > 0
	case extStatusRequest:
		return h.StatusRequest
	case extSignatureAlgorithms:
		// RFC 5246 §7.4.1.4.1: not meaningful before TLS 1.2.
		return len(h.SignatureAlgorithms) > 0 && h.maxVersion() >= VersionTLS12
	case extSCT:
		return h.SCTs
	case extKeyShare:
		return len(h.KeyShareGroups) > 0
	case extPSKModes:
		return h.PSKModes && h.offers(VersionTLS13)
	case extSupportedVersions:
		return len(h.SupportedVersions) > 0
	}
	return false
}

// validate checks the vector bounds of RFC 5246 §7.4.1.2 and its extensions.
func (h *ClientHello) validate() error {
	switch {
	case len(h.CipherSuites) == 0:
		return errors.New("no cipher suites")
	case len(h.CipherSuites) > 0x7FFF:
		return fmt.Errorf("%d cipher suites exceed the 32767 a hello can carry", len(h.CipherSuites))
	case len(h.SessionID) > 32:
		return fmt.Errorf("session id of %d bytes exceeds 32", len(h.SessionID))
	case len(h.SupportedVersions) > 127:
		return fmt.Errorf("%d supported versions exceed 127", len(h.SupportedVersions))
	case len(h.PointFormats) > 255:
		return fmt.Errorf("%d point formats exceed 255", len(h.PointFormats))
	}
	for _, c := range h.serverName() {
		if c > 0x7E || c < 0x21 {
			// RFC 6066 §3: the host name is ASCII; IDNs are sent as A-labels.
			return fmt.Errorf("server name %q is not an ASCII host name", h.ServerName)
		}
	}
	for _, p := range h.ALPN {
		if len(p) == 0 || len(p) > 255 {
			return fmt.Errorf("ALPN protocol %q must be 1 to 255 bytes", p)
		}
	}
	if len(h.Groups) > 0 {
		for _, g := range h.KeyShareGroups {
			if !slices.Contains(h.Groups, g) {
				// RFC 8446 §4.2.8: each KeyShareEntry must be for an offered group.
				return fmt.Errorf("key share group %s is not in Groups", GroupName(g))
			}
		}
	}
	return nil
}

// keyShare is one generated KeyShareEntry (RFC 8446 §4.2.8).
type keyShare struct {
	group uint16
	data  []byte
}

// keyShares generates a fresh public key for every KeyShareGroups entry.
func (h *ClientHello) keyShares() ([]keyShare, error) {
	shares := make([]keyShare, 0, len(h.KeyShareGroups))
	for _, g := range h.KeyShareGroups {
		data, err := newKeyShare(g)
		if err != nil {
			return nil, err
		}
		shares = append(shares, keyShare{g, data})
	}
	return shares, nil
}

// newKeyShare returns the key_exchange bytes of a fresh key for group:
// an uncompressed point or an X25519 key (RFC 8446 §4.2.8.2), or for the
// hybrids the ML-KEM encapsulation key and the ECDH share concatenated,
// ML-KEM first for X25519MLKEM768 and last for the NIST-curve hybrids
// (draft-ietf-tls-ecdhe-mlkem §4).
func newKeyShare(group uint16) ([]byte, error) {
	ecdhShare := func(c ecdh.Curve) ([]byte, error) {
		k, err := c.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("key share %s: %w", GroupName(group), err)
		}
		return k.PublicKey().Bytes(), nil
	}
	mlkem768 := func() ([]byte, error) {
		k, err := mlkem.GenerateKey768()
		if err != nil {
			return nil, fmt.Errorf("key share %s: %w", GroupName(group), err)
		}
		return k.EncapsulationKey().Bytes(), nil
	}
	switch group {
	case GroupX25519:
		return ecdhShare(ecdh.X25519())
	case GroupSecp256r1:
		return ecdhShare(ecdh.P256())
	case GroupSecp384r1:
		return ecdhShare(ecdh.P384())
	case GroupSecp521r1:
		return ecdhShare(ecdh.P521())
	case GroupX25519MLKEM768:
		ek, err := mlkem768()
		if err != nil {
			return nil, err
		}
		ec, err := ecdhShare(ecdh.X25519())
		return append(ek, ec...), err
	case GroupSecP256r1MLKEM768:
		ec, err := ecdhShare(ecdh.P256())
		if err != nil {
			return nil, err
		}
		ek, err := mlkem768()
		return append(ec, ek...), err
	case GroupSecP384r1MLKEM1024:
		ec, err := ecdhShare(ecdh.P384())
		if err != nil {
			return nil, err
		}
		k, err := mlkem.GenerateKey1024()
		if err != nil {
			return nil, fmt.Errorf("key share %s: %w", GroupName(group), err)
		}
		return append(ec, k.EncapsulationKey().Bytes()...), nil
	}
	return nil, fmt.Errorf("cannot generate a key share for group %s", GroupName(group))
}

// extensionBody is one extension as Marshal writes it.
type extensionBody struct {
	typ  uint16
	body []byte
}

// extensions returns the extensions Marshal sends: in the builder's fixed
// order, then reordered by ExtensionOrder.
func (h *ClientHello) extensions(shares []keyShare) ([]extensionBody, error) {
	var out []extensionBody
	var err error
	ext := func(typ uint16, body func(b *cryptobyte.Builder)) {
		if !h.sends(typ) || err != nil {
			return
		}
		var b cryptobyte.Builder
		body(&b)
		var data []byte
		if data, err = b.Bytes(); err != nil {
			err = fmt.Errorf("extension %s: %w", ExtensionName(typ), err)
			return
		}
		out = append(out, extensionBody{typ, data})
	}
	empty := func(*cryptobyte.Builder) {}
	ext(extServerName, func(b *cryptobyte.Builder) {
		// RFC 6066 §3: ServerNameList with one host_name(0) entry.
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint8(0)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes([]byte(h.serverName()))
			})
		})
	})
	ext(extExtendedMasterSecret, empty)
	ext(extRenegotiationInfo, func(b *cryptobyte.Builder) {
		// RFC 5746 §3.4: an empty renegotiated_connection on the initial handshake.
		b.AddUint8(0)
	})
	ext(extSupportedGroups, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, g := range h.groups() {
				b.AddUint16(g)
			}
		})
	})
	ext(extECPointFormats, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(h.PointFormats) })
	})
	ext(extSessionTicket, empty)
	ext(extALPN, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, p := range h.ALPN {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(p)) })
			}
		})
	})
	ext(extStatusRequest, func(b *cryptobyte.Builder) {
		// RFC 6066 §8: status_type ocsp(1), empty responder_id_list and
		// request_extensions.
		b.AddUint8(1)
		b.AddUint16(0)
		b.AddUint16(0)
	})
	ext(extSignatureAlgorithms, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range h.SignatureAlgorithms {
				b.AddUint16(s)
			}
		})
	})
	ext(extSCT, empty)
	ext(extKeyShare, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range shares {
				b.AddUint16(s.group)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.data) })
			}
		})
	})
	ext(extPSKModes, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(1) }) // psk_dhe_ke
	})
	ext(extSupportedVersions, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, v := range h.SupportedVersions {
				b.AddUint16(v)
			}
		})
	})
	if len(h.ExtensionOrder) > 0 {
		rank := func(typ uint16) int {
			if i := slices.Index(h.ExtensionOrder, typ); i >= 0 {
				return i
			}
			return len(h.ExtensionOrder)
		}
		slices.SortStableFunc(out, func(a, b extensionBody) int { return rank(a.typ) - rank(b.typ) })
	}
	return out, err
}
