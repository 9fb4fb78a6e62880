package wire

import (
	"fmt"
	"slices"
	"strings"
)

// Suite describes one entry of the IANA TLS Cipher Suites registry
// (RFC 8447 §8), with the fields a scanner needs to judge it.
type Suite struct {
	// ID is the two-byte code point sent in cipher_suites.
	ID uint16
	// Name is the IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".
	Name string
	// OpenSSLName is OpenSSL's name for the suite, e.g.
	// "ECDHE-RSA-AES128-GCM-SHA256", or "" when OpenSSL never had it. Suites
	// OpenSSL dropped (static DH and ECDH, EXPORT, single DES, KRB5) carry
	// the name OpenSSL 1.0.2 used.
	OpenSSLName string
	// KeyExchange is "RSA", "DH" (static), "DHE", "ECDH" (static), "ECDHE",
	// "PSK", "DHE_PSK", "RSA_PSK", "ECDHE_PSK", "SRP", "KRB5", "ECCPWD",
	// "GOST", "NULL", or "TLS13" for the TLS 1.3 suites, which leave the key
	// exchange to extensions. Anonymous DH and ECDH are ephemeral and are
	// "DHE" and "ECDHE" with Auth "anon".
	KeyExchange string
	// Auth is how the server authenticates: "RSA", "DSS", "ECDSA", "anon",
	// "PSK", "SRP", "KRB5", "ECCPWD", "GOST", "NULL", or "TLS13".
	Auth string
	// Cipher is the bulk cipher as the IANA name spells it: "AES_128_GCM",
	// "AES_256_CBC", "CHACHA20_POLY1305", "3DES_EDE_CBC", "RC4_128", "NULL",
	// "CAMELLIA_128_CBC", "ARIA_256_GCM", "AES_128_CCM_8", "DES40_CBC", ...
	Cipher string
	// MAC is the record MAC: "SHA" (HMAC-SHA1), "SHA256", "SHA384", "MD5",
	// "AEAD" for AEAD ciphers, whose name suffix is the PRF hash, "NULL" for
	// TLS_NULL_WITH_NULL_NULL, or GOST's "OMAC" and "IMIT" (RFC 9189).
	MAC string
	// TLS13 marks the five TLS 1.3 suites 0x1301..0x1305 (RFC 8446 §B.4).
	TLS13 bool
	// MinVersion is the lowest protocol version at which the suite may be
	// negotiated: TLS 1.2 for AEAD suites and for SHA-256/SHA-384 MAC suites
	// (RFC 5246 §A.5, RFC 5288 §4, RFC 5289 §4) and for the GOST suites
	// (RFC 9189 §4), except the PSK families whose SHA-256/SHA-384 suites
	// RFC 5487 and RFC 5489 define for TLS 1.0;
	// TLS 1.0 for the other ECC suites (RFC 4492 §6); SSL 3.0 otherwise, as
	// OpenSSL negotiates them. It is 0 for signaling values.
	MinVersion uint16
	// Signaling marks the signaling cipher suite values that are not suites:
	// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3) and
	// TLS_FALLBACK_SCSV (RFC 7507 §2).
	Signaling bool
}

// Weakness returns "" when nothing is wrong with the suite by itself, or a
// short reason it must not be negotiated: "NULL encryption", "export-grade",
// "anonymous (no authentication)", "RC4" (RFC 7465), "DES",
// "3DES (64-bit block)", "IDEA (64-bit block)", or "MD5 MAC". CBC suites
// with an HMAC-SHA1 MAC are not considered weak here.
func (s Suite) Weakness() string {
	switch {
	case s.Signaling:
		return ""
	case s.Cipher == "NULL":
		return "NULL encryption"
	case strings.Contains(s.Name, "_EXPORT"):
		return "export-grade"
	case s.Auth == "anon" || s.Auth == "NULL":
		return "anonymous (no authentication)"
	case strings.HasPrefix(s.Cipher, "RC4"):
		return "RC4"
	case strings.HasPrefix(s.Cipher, "DES"):
		return "DES"
	case strings.HasPrefix(s.Cipher, "3DES"):
		return "3DES (64-bit block)"
	case strings.HasPrefix(s.Cipher, "IDEA"):
		return "IDEA (64-bit block)"
	case s.MAC == "MD5":
		return "MD5 MAC"
	}
	return ""
}

// suiteIndex maps upper-cased IANA and OpenSSL names to positions in suites.
var suiteIndex = func() map[string]int {
	m := make(map[string]int, 2*len(suites))
	for i, s := range suites {
		m[strings.ToUpper(s.Name)] = i
		if s.OpenSSLName != "" {
			m[strings.ToUpper(s.OpenSSLName)] = i
		}
	}
	return m
}()

// Suites returns every registered suite, sorted by ID. The slice is a copy
// the caller may modify.
func Suites() []Suite {
	return slices.Clone(suites)
}

// SuiteByID returns the registered suite with the given code point.
func SuiteByID(id uint16) (Suite, bool) {
	i, ok := slices.BinarySearchFunc(suites, id, func(s Suite, id uint16) int {
		return int(s.ID) - int(id)
	})
	if !ok {
		return Suite{}, false
	}
	return suites[i], true
}

// SuiteByName returns the suite with the given IANA or OpenSSL name,
// compared case-insensitively. The "SSL_" prefix Java and NSS use for the
// oldest suites is accepted in place of "TLS_".
func SuiteByName(name string) (Suite, bool) {
	key := strings.ToUpper(strings.TrimSpace(name))
	if i, ok := suiteIndex[key]; ok {
		return suites[i], true
	}
	if rest, ok := strings.CutPrefix(key, "SSL_"); ok {
		if i, ok := suiteIndex["TLS_"+rest]; ok {
			return suites[i], true
		}
	}
	return Suite{}, false
}

// SuiteName returns the IANA name of a cipher suite, or its code in hex
// ("0x0A0A") when it is not registered.
func SuiteName(id uint16) string {
	if s, ok := SuiteByID(id); ok {
		return s.Name
	}
	return fmt.Sprintf("0x%04X", id)
}

// suiteLabel names a suite for error messages: "TLS_RSA_WITH_RC4_128_SHA (0x0005)".
func suiteLabel(id uint16) string {
	if s, ok := SuiteByID(id); ok {
		return fmt.Sprintf("%s (0x%04X)", s.Name, id)
	}
	return fmt.Sprintf("0x%04X", id)
}
