package inspect

import (
	"slices"
	"strings"
	"sync"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// probeVersions are the protocol versions every live inspection probes.
var probeVersions = []uint16{wire.VersionTLS10, wire.VersionTLS11, wire.VersionTLS12, wire.VersionTLS13}

// policyHello is the sender's own ClientHello, from the policy's data.
func policyHello(pol *policy.Policy, sni string) *wire.ClientHello {
	h := &wire.ClientHello{
		CipherSuites:         pol.CipherSuites,
		ServerName:           sni,
		Groups:               pol.Hello.Groups,
		PointFormats:         pol.Hello.PointFormats,
		SignatureAlgorithms:  pol.Hello.SignatureAlgorithms,
		ExtensionOrder:       pol.Hello.ExtensionOrder,
		RecordVersion:        pol.Hello.RecordVersion,
		RenegotiationInfo:    pol.Hello.RenegotiationInfo,
		ExtendedMasterSecret: pol.Hello.ExtendedMasterSecret,
		StatusRequest:        pol.Hello.StatusRequest,
	}
	if len(h.PointFormats) == 0 {
		h.PointFormats = []uint8{0} // uncompressed (RFC 8422 §5.1.2)
	}
	for _, v := range pol.Versions {
		if v <= wire.VersionTLS12 {
			h.Version = max(h.Version, v)
		}
	}
	if pol.AllowsVersion(wire.VersionTLS13) {
		h.SupportedVersions = append([]uint16(nil), pol.Versions...)
		h.KeyShareGroups = firstKeyShare(pol.Hello.Groups)
		h.PSKModes = true
		if h.Version == 0 {
			h.Version = wire.VersionTLS12
		}
	}
	return h
}

func firstKeyShare(groups []uint16) []uint16 {
	for _, g := range groups {
		switch g {
		case wire.GroupX25519, wire.GroupSecp256r1, wire.GroupSecp384r1:
			return []uint16{g}
		}
	}
	return []uint16{wire.GroupX25519}
}

// Groups and schemes offered by the version probes: everything in common
// use, so that the server is free to pick and is judged by what it can do,
// not by what we offer.
var (
	probeGroups = []uint16{wire.GroupX25519, wire.GroupSecp256r1, wire.GroupSecp384r1, wire.GroupSecp521r1, wire.GroupX448,
		0x0100, 0x0101, 0x0102, 0x0103, 0x0104} // ffdhe2048 … ffdhe8192 (RFC 7919)
	probeSchemes = []uint16{0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
		0x0401, 0x0501, 0x0601, 0x0402, 0x0203, 0x0201, 0x0202, 0x0303, 0x0301, 0x0302}
)

// maxSuitesPerHello bounds the cipher suites of one probe: servers with the
// well-known limit of 128 (older F5 BIG-IP and IIS among them) answer
// nothing to more, so longer lists are split, as testssl.sh does
// (its "cipher_match" of at most 128 suites per hello).
const maxSuitesPerHello = 128

// probeSuites returns every registered suite that can be negotiated at v,
// those servers most often accept first, so that the first hello of at
// most maxSuitesPerHello holds them all; see suiteRank.
func probeSuites(v uint16) []uint16 {
	return slices.Clone(rankedSuites()[v])
}

// rankedSuites computes probeSuites' lists once for every version: ranking
// several hundred suites took a seventh of chainscope serve's CPU when each
// version probe did it again (bench/serve.sh, pprof).
var rankedSuites = sync.OnceValue(func() map[uint16][]uint16 {
	m := map[uint16][]uint16{}
	for _, v := range probeVersions {
		m[v] = rankSuites(v)
	}
	return m
})

func rankSuites(v uint16) []uint16 {
	var ss []wire.Suite
	for _, s := range wire.Suites() {
		switch {
		case s.Signaling:
		case v == wire.VersionTLS13 && s.TLS13:
			ss = append(ss, s)
		case v != wire.VersionTLS13 && !s.TLS13 && s.MinVersion <= v:
			ss = append(ss, s)
		}
	}
	slices.SortStableFunc(ss, func(a, b wire.Suite) int { return suiteRank(a) - suiteRank(b) })
	ids := make([]uint16, len(ss))
	for i, s := range ss {
		ids[i] = s.ID
	}
	return ids
}

// suiteRank orders the probes' suites: ephemeral key exchanges with AES
// first (what nearly every server accepts), then RSA key transport and
// static DH and ECDH with AES (the sender offers static ECDH), the
// other sound ciphers (CCM, Camellia, ARIA, SEED) and ChaCha20-Poly1305
// last of those — so that no enumeration probe starts with ChaCha20 while
// other suites remain, which would make a server that prioritizes ChaCha20
// for clients preferring it (OpenSSL's PrioritizeChaCha) pick out of its
// order — then weak ciphers and static DH/ECDH, then anonymous, export and
// NULL suites, then PSK, SRP, Kerberos and GOST, which need a server
// configured for them.
func suiteRank(s wire.Suite) int {
	ephemeral := s.KeyExchange == "ECDHE" || s.KeyExchange == "DHE" || s.KeyExchange == "TLS13"
	certAuth := s.Auth == "RSA" || s.Auth == "ECDSA" || s.Auth == "DSS" || s.Auth == "TLS13"
	aes := strings.HasPrefix(s.Cipher, "AES_") && !strings.Contains(s.Cipher, "CCM")
	switch {
	case !certAuth || s.Weakness() == "anonymous (no authentication)":
		if s.Auth == "anon" || s.Auth == "NULL" {
			return 6
		}
		return 7 // PSK, SRP, KRB5, GOST, ECCPWD
	case s.Weakness() != "" && (s.Cipher == "NULL" || strings.Contains(s.Name, "_EXPORT")):
		return 6
	case ephemeral && aes:
		return 0
	case (s.KeyExchange == "RSA" || s.KeyExchange == "ECDH" || s.KeyExchange == "DH") && aes:
		return 1
	case s.Weakness() == "" && strings.HasPrefix(s.Cipher, "CHACHA20"):
		return 3
	case s.Weakness() == "" && (ephemeral || s.KeyExchange == "RSA"):
		return 2
	case ephemeral || s.KeyExchange == "RSA":
		return 4 // 3DES, RC4, DES, IDEA
	}
	return 5 // static DH and ECDH
}

// versionHellos returns the probes for protocol version v: every suite of
// probeSuites in hellos of at most maxSuitesPerHello suites, the likely
// ones first.
func versionHellos(v uint16, sni string) []*wire.ClientHello {
	all := probeSuites(v)
	var out []*wire.ClientHello
	for len(all) > 0 {
		n := min(len(all), maxSuitesPerHello)
		out = append(out, versionHello(v, sni, all[:n]))
		all = all[n:]
	}
	return out
}

// versionHello offers suites at version v, with the groups and schemes of
// common use, padded (RFC 7685) so that no probe is 256 to 511 bytes long,
// the sizes some servers hang on.
func versionHello(v uint16, sni string, suites []uint16) *wire.ClientHello {
	h := &wire.ClientHello{
		ServerName:           sni,
		CipherSuites:         suites,
		Groups:               probeGroups,
		PointFormats:         []uint8{0},
		RenegotiationInfo:    true,
		ExtendedMasterSecret: true,
		Padding:              true,
	}
	if v == wire.VersionTLS13 {
		h.Version = wire.VersionTLS12
		h.SupportedVersions = []uint16{wire.VersionTLS13}
		h.KeyShareGroups = []uint16{wire.GroupX25519}
		h.PSKModes = true
		h.SignatureAlgorithms = probeSchemes
		return h
	}
	h.Version = v
	if v >= wire.VersionTLS12 {
		h.SignatureAlgorithms = probeSchemes
	}
	return h
}
