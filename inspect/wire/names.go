package wire

import (
	"fmt"
	"strings"
)

// Protocol versions as they appear on the wire (RFC 5246 §6.2.1, RFC 8446 §4.2.1).
const (
	VersionSSL30 uint16 = 0x0300
	VersionTLS10 uint16 = 0x0301
	VersionTLS11 uint16 = 0x0302
	VersionTLS12 uint16 = 0x0303
	VersionTLS13 uint16 = 0x0304
)

var versionNames = map[uint16]string{
	VersionSSL30: "SSL 3.0",
	VersionTLS10: "TLS 1.0",
	VersionTLS11: "TLS 1.1",
	VersionTLS12: "TLS 1.2",
	VersionTLS13: "TLS 1.3",
}

// VersionName returns the conventional name of a protocol version, such as
// "TLS 1.2" or "SSL 3.0", or the code in hex ("0x0305") when it is unknown.
func VersionName(v uint16) string {
	if n, ok := versionNames[v]; ok {
		return n
	}
	return fmt.Sprintf("0x%04X", v)
}

// ParseVersion parses a protocol version name in any of the usual spellings:
// "TLS 1.2", "TLSv1.2", "tls1.2", "tls1_2", "1.2", "SSL 3.0", "SSLv3", and
// the hex code "0x0303".
func ParseVersion(name string) (uint16, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	if strings.HasPrefix(s, "0x") {
		var v uint16
		if _, err := fmt.Sscanf(s, "0x%x", &v); err == nil && len(s) == 6 {
			if _, ok := versionNames[v]; ok {
				return v, nil
			}
		}
		return 0, fmt.Errorf("parse version %q: unknown protocol version", name)
	}
	s = strings.NewReplacer(" ", "", "_", ".", "-", ".").Replace(s)
	ssl := false
	switch {
	case strings.HasPrefix(s, "tls"):
		s = s[3:]
	case strings.HasPrefix(s, "ssl"):
		s, ssl = s[3:], true
	}
	s = strings.TrimPrefix(s, "v")
	switch {
	case ssl && (s == "3" || s == "3.0"):
		return VersionSSL30, nil
	case ssl:
	case s == "1" || s == "1.0":
		return VersionTLS10, nil
	case s == "1.1":
		return VersionTLS11, nil
	case s == "1.2":
		return VersionTLS12, nil
	case s == "1.3":
		return VersionTLS13, nil
	case s == "3.0":
		return VersionSSL30, nil
	}
	return 0, fmt.Errorf("parse version %q: unknown protocol version", name)
}

// Named groups (RFC 8422 §5.1.1, RFC 7919 §2, RFC 8446 §4.2.7) that the
// package generates key shares for or that tests and callers commonly offer.
const (
	GroupSecp256r1          uint16 = 0x0017
	GroupSecp384r1          uint16 = 0x0018
	GroupSecp521r1          uint16 = 0x0019
	GroupX25519             uint16 = 0x001D
	GroupX448               uint16 = 0x001E
	GroupFFDHE2048          uint16 = 0x0100
	GroupFFDHE3072          uint16 = 0x0101
	GroupFFDHE4096          uint16 = 0x0102
	GroupFFDHE6144          uint16 = 0x0103
	GroupFFDHE8192          uint16 = 0x0104
	GroupSecP256r1MLKEM768  uint16 = 0x11EB
	GroupX25519MLKEM768     uint16 = 0x11EC
	GroupSecP384r1MLKEM1024 uint16 = 0x11ED
)

var groupNames = map[uint16]string{
	1:                       "sect163k1",
	2:                       "sect163r1",
	3:                       "sect163r2",
	4:                       "sect193r1",
	5:                       "sect193r2",
	6:                       "sect233k1",
	7:                       "sect233r1",
	8:                       "sect239k1",
	9:                       "sect283k1",
	10:                      "sect283r1",
	11:                      "sect409k1",
	12:                      "sect409r1",
	13:                      "sect571k1",
	14:                      "sect571r1",
	15:                      "secp160k1",
	16:                      "secp160r1",
	17:                      "secp160r2",
	18:                      "secp192k1",
	19:                      "secp192r1",
	20:                      "secp224k1",
	21:                      "secp224r1",
	22:                      "secp256k1",
	GroupSecp256r1:          "secp256r1",
	GroupSecp384r1:          "secp384r1",
	GroupSecp521r1:          "secp521r1",
	26:                      "brainpoolP256r1",
	27:                      "brainpoolP384r1",
	28:                      "brainpoolP512r1",
	GroupX25519:             "x25519",
	GroupX448:               "x448",
	31:                      "brainpoolP256r1tls13",
	32:                      "brainpoolP384r1tls13",
	33:                      "brainpoolP512r1tls13",
	34:                      "GC256A",
	35:                      "GC256B",
	36:                      "GC256C",
	37:                      "GC256D",
	38:                      "GC512A",
	39:                      "GC512B",
	40:                      "GC512C",
	41:                      "curveSM2",
	GroupFFDHE2048:          "ffdhe2048",
	GroupFFDHE3072:          "ffdhe3072",
	GroupFFDHE4096:          "ffdhe4096",
	GroupFFDHE6144:          "ffdhe6144",
	GroupFFDHE8192:          "ffdhe8192",
	0x0200:                  "MLKEM512",
	0x0201:                  "MLKEM768",
	0x0202:                  "MLKEM1024",
	GroupSecP256r1MLKEM768:  "SecP256r1MLKEM768",
	GroupX25519MLKEM768:     "X25519MLKEM768",
	GroupSecP384r1MLKEM1024: "SecP384r1MLKEM1024",
	0x6399:                  "X25519Kyber768Draft00",
	0x639A:                  "SecP256r1Kyber768Draft00",
	0xFF01:                  "arbitrary_explicit_prime_curves",
	0xFF02:                  "arbitrary_explicit_char2_curves",
}

// isGREASE reports whether v is one of the reserved GREASE values
// 0x0A0A, 0x1A1A, ... 0xFAFA (RFC 8701 §2).
func isGREASE(v uint16) bool {
	return v&0x0F0F == 0x0A0A && v>>8 == v&0xFF
}

// GroupName returns the IANA name of a named group (supported_groups,
// key_share, ServerECDHParams), "GREASE" for RFC 8701 values, or the code
// in hex when it is unknown.
func GroupName(id uint16) string {
	if n, ok := groupNames[id]; ok {
		return n
	}
	if isGREASE(id) {
		return "GREASE"
	}
	return fmt.Sprintf("0x%04X", id)
}

// Signature schemes (RFC 8446 §4.2.3); in TLS 1.2 the same code points are
// the SignatureAndHashAlgorithm pairs of RFC 5246 §7.4.1.4.1.
const (
	SchemeRSAPKCS1SHA1         uint16 = 0x0201
	SchemeDSASHA1              uint16 = 0x0202
	SchemeECDSASHA1            uint16 = 0x0203
	SchemeRSAPKCS1SHA256       uint16 = 0x0401
	SchemeDSASHA256            uint16 = 0x0402
	SchemeECDSAP256SHA256      uint16 = 0x0403
	SchemeRSAPKCS1SHA384       uint16 = 0x0501
	SchemeECDSAP384SHA384      uint16 = 0x0503
	SchemeRSAPKCS1SHA512       uint16 = 0x0601
	SchemeECDSAP521SHA512      uint16 = 0x0603
	SchemeRSAPSSRSAESHA256     uint16 = 0x0804
	SchemeRSAPSSRSAESHA384     uint16 = 0x0805
	SchemeRSAPSSRSAESHA512     uint16 = 0x0806
	SchemeEd25519              uint16 = 0x0807
	SchemeEd448                uint16 = 0x0808
	SchemeRSAPSSPSSSHA256      uint16 = 0x0809
	SchemeRSAPSSPSSSHA384      uint16 = 0x080A
	SchemeRSAPSSPSSSHA512      uint16 = 0x080B
	SchemeECDSABrainpoolP256R1 uint16 = 0x081A
	SchemeECDSABrainpoolP384R1 uint16 = 0x081B
	SchemeECDSABrainpoolP512R1 uint16 = 0x081C
)

var schemeNames = map[uint16]string{
	SchemeRSAPKCS1SHA1:         "rsa_pkcs1_sha1",
	SchemeECDSASHA1:            "ecdsa_sha1",
	SchemeRSAPKCS1SHA256:       "rsa_pkcs1_sha256",
	SchemeECDSAP256SHA256:      "ecdsa_secp256r1_sha256",
	SchemeRSAPKCS1SHA384:       "rsa_pkcs1_sha384",
	SchemeECDSAP384SHA384:      "ecdsa_secp384r1_sha384",
	SchemeRSAPKCS1SHA512:       "rsa_pkcs1_sha512",
	SchemeECDSAP521SHA512:      "ecdsa_secp521r1_sha512",
	SchemeRSAPSSRSAESHA256:     "rsa_pss_rsae_sha256",
	SchemeRSAPSSRSAESHA384:     "rsa_pss_rsae_sha384",
	SchemeRSAPSSRSAESHA512:     "rsa_pss_rsae_sha512",
	SchemeEd25519:              "ed25519",
	SchemeEd448:                "ed448",
	SchemeRSAPSSPSSSHA256:      "rsa_pss_pss_sha256",
	SchemeRSAPSSPSSSHA384:      "rsa_pss_pss_sha384",
	SchemeRSAPSSPSSSHA512:      "rsa_pss_pss_sha512",
	SchemeECDSABrainpoolP256R1: "ecdsa_brainpoolP256r1tls13_sha256",
	SchemeECDSABrainpoolP384R1: "ecdsa_brainpoolP384r1tls13_sha384",
	SchemeECDSABrainpoolP512R1: "ecdsa_brainpoolP512r1tls13_sha512",
	0x0708:                     "sm2sig_sm3",
	0x0709:                     "gostr34102012_256a",
	0x070A:                     "gostr34102012_256b",
	0x070B:                     "gostr34102012_256c",
	0x070C:                     "gostr34102012_256d",
	0x070D:                     "gostr34102012_512a",
	0x070E:                     "gostr34102012_512b",
	0x070F:                     "gostr34102012_512c",
	0x0904:                     "mldsa44",
	0x0905:                     "mldsa65",
	0x0906:                     "mldsa87",
}

// The TLS 1.2 HashAlgorithm and SignatureAlgorithm registries (RFC 5246
// §7.4.1.4.1), used to name pairs that have no TLS 1.3 scheme name.
var (
	tls12Hashes = [...]string{1: "md5", 2: "sha1", 3: "sha224", 4: "sha256", 5: "sha384", 6: "sha512"}
	tls12Sigs   = [...]string{0: "anonymous", 1: "rsa", 2: "dsa", 3: "ecdsa"}
)

// SignatureSchemeName returns the IANA name of a signature scheme, such as
// "rsa_pss_rsae_sha256" or "ecdsa_secp256r1_sha256". TLS 1.2 hash/signature
// pairs without a scheme name are named signature_hash ("dsa_sha256",
// "rsa_sha224"); anything else is the code in hex.
func SignatureSchemeName(id uint16) string {
	if n, ok := schemeNames[id]; ok {
		return n
	}
	if isGREASE(id) {
		return "GREASE"
	}
	h, s := int(id>>8), int(id&0xFF)
	if h >= 1 && h < len(tls12Hashes) && s < len(tls12Sigs) {
		return tls12Sigs[s] + "_" + tls12Hashes[h]
	}
	return fmt.Sprintf("0x%04X", id)
}

// Alert descriptions (RFC 5246 §7.2, RFC 8446 §6, RFC 6066 §9, RFC 7301 §3.2,
// RFC 7507 §2).
const (
	AlertCloseNotify           uint8 = 0
	AlertUnexpectedMessage     uint8 = 10
	AlertHandshakeFailure      uint8 = 40
	AlertIllegalParameter      uint8 = 47
	AlertProtocolVersion       uint8 = 70
	AlertInsufficientSecurity  uint8 = 71
	AlertInternalError         uint8 = 80
	AlertInappropriateFallback uint8 = 86
	AlertUnrecognizedName      uint8 = 112
)

var alertNames = map[uint8]string{
	0:   "close_notify",
	10:  "unexpected_message",
	20:  "bad_record_mac",
	21:  "decryption_failed",
	22:  "record_overflow",
	30:  "decompression_failure",
	40:  "handshake_failure",
	41:  "no_certificate",
	42:  "bad_certificate",
	43:  "unsupported_certificate",
	44:  "certificate_revoked",
	45:  "certificate_expired",
	46:  "certificate_unknown",
	47:  "illegal_parameter",
	48:  "unknown_ca",
	49:  "access_denied",
	50:  "decode_error",
	51:  "decrypt_error",
	60:  "export_restriction",
	70:  "protocol_version",
	71:  "insufficient_security",
	80:  "internal_error",
	86:  "inappropriate_fallback",
	90:  "user_canceled",
	100: "no_renegotiation",
	109: "missing_extension",
	110: "unsupported_extension",
	111: "certificate_unobtainable",
	112: "unrecognized_name",
	113: "bad_certificate_status_response",
	114: "bad_certificate_hash_value",
	115: "unknown_psk_identity",
	116: "certificate_required",
	120: "no_application_protocol",
	121: "ech_required",
}

// AlertName returns the name of an alert description, such as
// "handshake_failure", or the code in hex ("0xC8") when it is unknown.
func AlertName(code uint8) string {
	if n, ok := alertNames[code]; ok {
		return n
	}
	return fmt.Sprintf("0x%02X", code)
}

// Extension types (RFC 8446 §4.2, RFC 6066, RFC 5746, RFC 7627, RFC 7301,
// RFC 6962, RFC 8422).
const (
	extServerName           uint16 = 0
	extStatusRequest        uint16 = 5
	extSupportedGroups      uint16 = 10
	extECPointFormats       uint16 = 11
	extSignatureAlgorithms  uint16 = 13
	extALPN                 uint16 = 16
	extSCT                  uint16 = 18
	extPadding              uint16 = 21
	extExtendedMasterSecret uint16 = 23
	extSessionTicket        uint16 = 35
	extPreSharedKey         uint16 = 41
	extEarlyData            uint16 = 42
	extSupportedVersions    uint16 = 43
	extCookie               uint16 = 44
	extPSKModes             uint16 = 45
	extKeyShare             uint16 = 51
	extRenegotiationInfo    uint16 = 0xFF01
)

var extensionNames = map[uint16]string{
	0:      "server_name",
	1:      "max_fragment_length",
	2:      "client_certificate_url",
	3:      "trusted_ca_keys",
	4:      "truncated_hmac",
	5:      "status_request",
	6:      "user_mapping",
	7:      "client_authz",
	8:      "server_authz",
	9:      "cert_type",
	10:     "supported_groups",
	11:     "ec_point_formats",
	12:     "srp",
	13:     "signature_algorithms",
	14:     "use_srtp",
	15:     "heartbeat",
	16:     "application_layer_protocol_negotiation",
	17:     "status_request_v2",
	18:     "signed_certificate_timestamp",
	19:     "client_certificate_type",
	20:     "server_certificate_type",
	21:     "padding",
	22:     "encrypt_then_mac",
	23:     "extended_master_secret",
	24:     "token_binding",
	25:     "cached_info",
	27:     "compress_certificate",
	28:     "record_size_limit",
	35:     "session_ticket",
	41:     "pre_shared_key",
	42:     "early_data",
	43:     "supported_versions",
	44:     "cookie",
	45:     "psk_key_exchange_modes",
	47:     "certificate_authorities",
	48:     "oid_filters",
	49:     "post_handshake_auth",
	50:     "signature_algorithms_cert",
	51:     "key_share",
	57:     "quic_transport_parameters",
	0x3374: "next_protocol_negotiation",
	0x4469: "application_settings_old",
	0x44CD: "application_settings",
	0xFE0D: "encrypted_client_hello",
	0xFF01: "renegotiation_info",
}

// ExtensionName returns the IANA name of a TLS extension type, such as
// "renegotiation_info", "GREASE" for RFC 8701 values, or the code in hex.
func ExtensionName(id uint16) string {
	if n, ok := extensionNames[id]; ok {
		return n
	}
	if isGREASE(id) {
		return "GREASE"
	}
	return fmt.Sprintf("0x%04X", id)
}

// Handshake message types (RFC 5246 §7.4, RFC 8446 §4, RFC 6066 §8).
const (
	typeHelloRequest       uint8 = 0
	typeClientHello        uint8 = 1
	typeServerHello        uint8 = 2
	typeCertificate        uint8 = 11
	typeServerKeyExchange  uint8 = 12
	typeCertificateRequest uint8 = 13
	typeServerHelloDone    uint8 = 14
	typeCertificateStatus  uint8 = 22
)

var handshakeNames = map[uint8]string{
	0:   "hello_request",
	1:   "client_hello",
	2:   "server_hello",
	4:   "new_session_ticket",
	5:   "end_of_early_data",
	6:   "hello_retry_request",
	8:   "encrypted_extensions",
	11:  "certificate",
	12:  "server_key_exchange",
	13:  "certificate_request",
	14:  "server_hello_done",
	15:  "certificate_verify",
	16:  "client_key_exchange",
	20:  "finished",
	21:  "certificate_url",
	22:  "certificate_status",
	23:  "supplemental_data",
	24:  "key_update",
	254: "message_hash",
}

// handshakeName names a handshake message type for error messages.
func handshakeName(t uint8) string {
	if n, ok := handshakeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("handshake message 0x%02X", t)
}

// GroupByName returns the code point of a named group by its IANA name
// (case-insensitive), the inverse of GroupName for registered groups.
func GroupByName(name string) (uint16, bool) {
	for id, n := range groupNames {
		if strings.EqualFold(n, name) {
			return id, true
		}
	}
	return 0, false
}

// ExtensionByName returns the type of a TLS extension by its IANA name
// (case-insensitive), the inverse of ExtensionName for registered types.
func ExtensionByName(name string) (uint16, bool) {
	for id, n := range extensionNames {
		if strings.EqualFold(n, name) {
			return id, true
		}
	}
	return 0, false
}

// SignatureSchemeByName returns the code point of a signature scheme by
// its IANA name, or of a TLS 1.2 pair named signature_hash ("dsa_sha256"),
// the inverse of SignatureSchemeName.
func SignatureSchemeByName(name string) (uint16, bool) {
	for id, n := range schemeNames {
		if strings.EqualFold(n, name) {
			return id, true
		}
	}
	sig, hash, ok := strings.Cut(strings.ToLower(name), "_")
	if !ok {
		return 0, false
	}
	for h, hn := range tls12Hashes {
		for s, sn := range tls12Sigs {
			if hn != "" && hn == hash && sn == sig {
				id := uint16(h)<<8 | uint16(s)
				if _, named := schemeNames[id]; !named {
					return id, true
				}
			}
		}
	}
	return 0, false
}
