package wire

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestMarshalRoundTrip(t *testing.T) {
	h := tls12Hello()
	out, err := h.Marshal()
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	p, err := parseClientHello(out)
	if err != nil {
		t.Fatalf("parse Marshal() output: %v", err)
	}
	wantExts := []uint16{
		extServerName, extExtendedMasterSecret, extRenegotiationInfo, extSupportedGroups,
		extECPointFormats, extSessionTicket, extALPN, extStatusRequest, extSignatureAlgorithms, extSCT,
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"record version", p.recordVersion, VersionTLS10},
		{"records", p.records, 1},
		{"legacy_version", p.version, VersionTLS12},
		{"random", [32]byte(p.random), h.Random},
		{"session id", len(p.sessionID), 0},
		{"cipher suites", p.suites, h.CipherSuites},
		{"compression", p.compression, []byte{0}},
		{"extensions", p.extTypes, wantExts},
		{"server name", p.serverName, "example.com"},
		{"groups", p.groups, h.Groups},
		{"point formats", p.pointFormats, []byte{0}},
		{"signature algorithms", p.sigAlgs, h.SignatureAlgorithms},
		{"alpn", p.alpn, h.ALPN},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("Marshal() %s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// equal compares the few types TestMarshalRoundTrip checks.
func equal(a, b any) bool {
	switch a := a.(type) {
	case []uint16:
		return slices.Equal(a, b.([]uint16))
	case []byte:
		return bytes.Equal(a, b.([]byte))
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return a == b
}

func TestMarshalTLS13(t *testing.T) {
	h := &ClientHello{
		SupportedVersions: []uint16{VersionTLS13, VersionTLS12},
		CipherSuites:      []uint16{0x1301, 0x1302, 0x1303, 0xC02F},
		KeyShareGroups: []uint16{GroupX25519, GroupSecp256r1, GroupSecp384r1, GroupSecp521r1,
			GroupX25519MLKEM768, GroupSecP256r1MLKEM768, GroupSecP384r1MLKEM1024},
		PSKModes:   true,
		ServerName: "example.com.",
	}
	out, err := h.Marshal()
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	p, err := parseClientHello(out)
	if err != nil {
		t.Fatalf("parse Marshal() output: %v", err)
	}
	if p.version != VersionTLS12 {
		t.Errorf("Marshal() legacy_version = 0x%04X, want 0x0303", p.version)
	}
	if p.recordVersion != VersionTLS10 {
		t.Errorf("Marshal() record version = 0x%04X, want 0x0301", p.recordVersion)
	}
	if len(p.sessionID) != 32 || !bytes.Equal(p.sessionID, h.SessionID) {
		t.Errorf("Marshal() session id = %x, want 32 bytes stored in h (%x)", p.sessionID, h.SessionID)
	}
	if h.Random == [32]byte{} || !bytes.Equal(p.random, h.Random[:]) {
		t.Errorf("Marshal() random = %x, want the one stored in h (%x)", p.random, h.Random)
	}
	if !slices.Equal(p.supportedVersions, h.SupportedVersions) {
		t.Errorf("Marshal() supported_versions = %x, want %x", p.supportedVersions, h.SupportedVersions)
	}
	if !slices.Equal(p.groups, h.KeyShareGroups) {
		t.Errorf("Marshal() supported_groups = %x, want the key share groups %x", p.groups, h.KeyShareGroups)
	}
	if !bytes.Equal(p.pskModes, []byte{1}) {
		t.Errorf("Marshal() psk_key_exchange_modes = %x, want 01", p.pskModes)
	}
	if p.serverName != "example.com" {
		t.Errorf("Marshal() server name = %q, want %q", p.serverName, "example.com")
	}
	wantLen := map[uint16]int{
		GroupX25519: 32, GroupSecp256r1: 65, GroupSecp384r1: 97, GroupSecp521r1: 133,
		GroupX25519MLKEM768: 1184 + 32, GroupSecP256r1MLKEM768: 65 + 1184, GroupSecP384r1MLKEM1024: 97 + 1568,
	}
	if !slices.Equal(p.keyShareOrder, h.KeyShareGroups) {
		t.Errorf("Marshal() key share groups = %x, want %x", p.keyShareOrder, h.KeyShareGroups)
	}
	for g, n := range wantLen {
		if got := len(p.keyShares[g]); got != n {
			t.Errorf("Marshal() key share %s has %d bytes, want %d", GroupName(g), got, n)
		}
	}

	// A second Marshal keeps the random and session id but makes new keys.
	sid, random, share := slices.Clone(h.SessionID), h.Random, p.keyShares[GroupX25519]
	out2, err := h.Marshal()
	if err != nil {
		t.Fatalf("second Marshal() error = %v", err)
	}
	p2, err := parseClientHello(out2)
	if err != nil {
		t.Fatalf("parse second Marshal() output: %v", err)
	}
	if !bytes.Equal(p2.sessionID, sid) || !bytes.Equal(p2.random, random[:]) {
		t.Errorf("second Marshal() changed the random or session id")
	}
	if bytes.Equal(p2.keyShares[GroupX25519], share) {
		t.Errorf("second Marshal() reused the x25519 key share")
	}
}

func TestMarshalExtensions(t *testing.T) {
	tests := []struct {
		name    string
		hello   ClientHello
		present []uint16
		absent  []uint16
		version uint16 // legacy_version
		record  uint16
	}{
		{
			name:    "minimal TLS 1.2",
			hello:   ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0x002F}},
			absent:  []uint16{extServerName, extSupportedGroups, extSignatureAlgorithms, extSupportedVersions, extKeyShare},
			version: VersionTLS12, record: VersionTLS10,
		},
		{
			name:    "SSL 3.0 record version",
			hello:   ClientHello{Version: VersionSSL30, CipherSuites: []uint16{0x000A}},
			version: VersionSSL30, record: VersionSSL30,
		},
		{
			name:    "TLS 1.0 hides signature_algorithms",
			hello:   ClientHello{Version: VersionTLS10, CipherSuites: []uint16{0x002F}, SignatureAlgorithms: []uint16{0x0401}},
			absent:  []uint16{extSignatureAlgorithms},
			version: VersionTLS10, record: VersionTLS10,
		},
		{
			name:    "TLS 1.1 only in supported_versions hides signature_algorithms",
			hello:   ClientHello{SupportedVersions: []uint16{VersionTLS11}, CipherSuites: []uint16{0x002F}, SignatureAlgorithms: []uint16{0x0401}},
			present: []uint16{extSupportedVersions},
			absent:  []uint16{extSignatureAlgorithms},
			version: VersionTLS11, record: VersionTLS10,
		},
		{
			name:    "IPv4 literal is not SNI",
			hello:   ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0x002F}, ServerName: "192.0.2.1"},
			absent:  []uint16{extServerName},
			version: VersionTLS12, record: VersionTLS10,
		},
		{
			name:    "IPv6 literal is not SNI",
			hello:   ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0x002F}, ServerName: "[2001:db8::1]"},
			absent:  []uint16{extServerName},
			version: VersionTLS12, record: VersionTLS10,
		},
		{
			name:    "psk modes only with TLS 1.3",
			hello:   ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0x002F}, PSKModes: true},
			absent:  []uint16{extPSKModes},
			version: VersionTLS12, record: VersionTLS10,
		},
		{
			name:    "explicit Version with supported_versions",
			hello:   ClientHello{Version: VersionTLS13, SupportedVersions: []uint16{VersionTLS13}, CipherSuites: []uint16{0x1301}, PSKModes: true},
			present: []uint16{extSupportedVersions, extPSKModes},
			version: VersionTLS12, record: VersionTLS10,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tt.hello.Marshal()
			if err != nil {
				t.Fatalf("Marshal() error = %v", err)
			}
			p, err := parseClientHello(out)
			if err != nil {
				t.Fatalf("parse Marshal() output: %v", err)
			}
			for _, e := range tt.present {
				if _, ok := p.ext[e]; !ok {
					t.Errorf("Marshal() extensions = %v, want %s", p.extTypes, ExtensionName(e))
				}
			}
			for _, e := range tt.absent {
				if _, ok := p.ext[e]; ok {
					t.Errorf("Marshal() extensions = %v, want no %s", p.extTypes, ExtensionName(e))
				}
			}
			if p.version != tt.version || p.recordVersion != tt.record {
				t.Errorf("Marshal() versions = legacy 0x%04X record 0x%04X, want 0x%04X and 0x%04X",
					p.version, p.recordVersion, tt.version, tt.record)
			}
		})
	}
}

func TestMarshalFragments(t *testing.T) {
	// 9000 suites make a hello larger than one record may carry.
	suites := make([]uint16, 9000)
	for i := range suites {
		suites[i] = uint16(i)
	}
	h := &ClientHello{Version: VersionTLS12, CipherSuites: suites}
	out, err := h.Marshal()
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	p, err := parseClientHello(out)
	if err != nil {
		t.Fatalf("parse Marshal() output: %v", err)
	}
	if p.records != 2 {
		t.Errorf("Marshal() records = %d, want 2", p.records)
	}
	if !slices.Equal(p.suites, suites) {
		t.Errorf("Marshal() cipher suites differ after reassembly")
	}
}

func TestMarshalErrors(t *testing.T) {
	tests := []struct {
		name  string
		hello ClientHello
		want  string
	}{
		{"no suites", ClientHello{Version: VersionTLS12}, "no cipher suites"},
		{"no version", ClientHello{CipherSuites: []uint16{1}}, "no protocol version"},
		{"TLS 1.3 in Version", ClientHello{Version: VersionTLS13, CipherSuites: []uint16{0x1301}}, "SupportedVersions"},
		{"unknown version", ClientHello{Version: 0x0200, CipherSuites: []uint16{1}}, "unknown protocol version"},
		{"no known supported version", ClientHello{SupportedVersions: []uint16{0x7F17}, CipherSuites: []uint16{1}}, "no known protocol version"},
		{"long session id", ClientHello{Version: VersionTLS12, CipherSuites: []uint16{1}, SessionID: make([]byte, 33)}, "session id"},
		{"unicode server name", ClientHello{Version: VersionTLS12, CipherSuites: []uint16{1}, ServerName: "bücher.example"}, "ASCII"},
		{"empty ALPN protocol", ClientHello{Version: VersionTLS12, CipherSuites: []uint16{1}, ALPN: []string{""}}, "ALPN"},
		{"key share outside groups", ClientHello{SupportedVersions: []uint16{VersionTLS13}, CipherSuites: []uint16{0x1301},
			Groups: []uint16{GroupSecp256r1}, KeyShareGroups: []uint16{GroupX25519}}, "not in Groups"},
		{"key share for ffdhe", ClientHello{SupportedVersions: []uint16{VersionTLS13}, CipherSuites: []uint16{0x1301},
			KeyShareGroups: []uint16{GroupFFDHE2048}}, "ffdhe2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.hello.Marshal()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "marshal client hello: ") {
				t.Errorf("Marshal() error = %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// TestMarshalOrderAndRecordVersion: ExtensionOrder decides the order only,
// and RecordVersion the record layer's version (an Erlang/OTP client's
// hello: server_name, signature_algorithms, supported_groups,
// ec_point_formats, in a TLS 1.2 record).
func TestMarshalOrderAndRecordVersion(t *testing.T) {
	t.Parallel()
	h := &ClientHello{
		Version: VersionTLS12, CipherSuites: []uint16{0x00FF, 0xC02F}, ServerName: "example.com",
		Groups: []uint16{GroupSecp256r1}, PointFormats: []uint8{0}, SignatureAlgorithms: []uint16{SchemeRSAPKCS1SHA256},
		ExtensionOrder: []uint16{extServerName, extSignatureAlgorithms, extSupportedGroups, extECPointFormats},
		RecordVersion:  VersionTLS12,
	}
	out, err := h.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseClientHello(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint16{extServerName, extSignatureAlgorithms, extSupportedGroups, extECPointFormats}; !slices.Equal(p.extTypes, want) {
		t.Errorf("Marshal() extensions = %v, want %v", p.extTypes, want)
	}
	if p.recordVersion != VersionTLS12 {
		t.Errorf("Marshal() record version = %s, want TLS 1.2", VersionName(p.recordVersion))
	}
	// An order naming extensions that are not sent, and leaving some out.
	h.ExtensionOrder = []uint16{extALPN, extECPointFormats}
	out, _ = h.Marshal()
	p, _ = parseClientHello(out)
	if want := []uint16{extECPointFormats, extServerName, extSupportedGroups, extSignatureAlgorithms}; !slices.Equal(p.extTypes, want) {
		t.Errorf("Marshal() with a partial order: extensions = %v, want %v", p.extTypes, want)
	}
}

// TestMarshalPadding: with Padding, no ClientHello message is 256 to 511
// bytes long (RFC 7685); without it, or outside that range, nothing is
// added.
func TestMarshalPadding(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 250; n++ {
		h := &ClientHello{Version: VersionTLS12, CipherSuites: make([]uint16, n), Padding: true}
		for i := range h.CipherSuites {
			h.CipherSuites[i] = uint16(0x0100 + i)
		}
		out, err := h.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		msg, _, _, err := readHelloRecords(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseClientHelloMsg(msg)
		if err != nil {
			t.Fatal(err)
		}
		_, padded := p.ext[extPadding]
		h.Padding = false
		plain, _ := h.Marshal()
		plainLen := len(plain) - 5
		switch {
		case len(msg) >= 256 && len(msg) < 512:
			t.Fatalf("%d suites: message of %d bytes with Padding, want outside 256-511", n, len(msg))
		case padded != (plainLen >= 256 && plainLen < 512):
			t.Fatalf("%d suites: padded = %v for a %d-byte message", n, padded, plainLen)
		case padded && len(msg) != 512 && plainLen < 509:
			t.Fatalf("%d suites: padded to %d bytes, want 512", n, len(msg))
		}
	}
}
