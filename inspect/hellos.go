package inspect

import (
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

// versionHello offers every registered suite that can be negotiated at v.
func versionHello(v uint16, sni string) *wire.ClientHello {
	h := &wire.ClientHello{
		ServerName:           sni,
		Groups:               probeGroups,
		PointFormats:         []uint8{0},
		RenegotiationInfo:    true,
		ExtendedMasterSecret: true,
	}
	if v == wire.VersionTLS13 {
		h.Version = wire.VersionTLS12
		h.SupportedVersions = []uint16{wire.VersionTLS13}
		h.KeyShareGroups = []uint16{wire.GroupX25519}
		h.PSKModes = true
		h.SignatureAlgorithms = probeSchemes
		for _, s := range wire.Suites() {
			if s.TLS13 {
				h.CipherSuites = append(h.CipherSuites, s.ID)
			}
		}
		return h
	}
	h.Version = v
	if v >= wire.VersionTLS12 {
		h.SignatureAlgorithms = probeSchemes
	}
	for _, s := range wire.Suites() {
		if !s.TLS13 && !s.Signaling && s.MinVersion <= v {
			h.CipherSuites = append(h.CipherSuites, s.ID)
		}
	}
	return h
}
