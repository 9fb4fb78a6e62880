package wire

import "testing"

func TestVersionName(t *testing.T) {
	tests := []struct {
		v    uint16
		want string
	}{
		{VersionSSL30, "SSL 3.0"},
		{VersionTLS10, "TLS 1.0"},
		{VersionTLS11, "TLS 1.1"},
		{VersionTLS12, "TLS 1.2"},
		{VersionTLS13, "TLS 1.3"},
		{0x0305, "0x0305"},
		{0x0002, "0x0002"},
	}
	for _, tt := range tests {
		if got := VersionName(tt.v); got != tt.want {
			t.Errorf("VersionName(0x%04X) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    uint16
		wantErr bool
	}{
		{"TLS 1.2", VersionTLS12, false},
		{"TLSv1.2", VersionTLS12, false},
		{"tls1.2", VersionTLS12, false},
		{"tls1_2", VersionTLS12, false},
		{"1.2", VersionTLS12, false},
		{"TLS 1.3", VersionTLS13, false},
		{"TLSv1", VersionTLS10, false},
		{"TLS 1.0", VersionTLS10, false},
		{"1.1", VersionTLS11, false},
		{"SSL 3.0", VersionSSL30, false},
		{"SSLv3", VersionSSL30, false},
		{"ssl3", VersionSSL30, false},
		{"0x0303", VersionTLS12, false},
		{" tls 1.3 ", VersionTLS13, false},
		{"TLS 1.4", 0, true},
		{"SSLv2", 0, true},
		{"0x0305", 0, true},
		{"", 0, true},
		{"banana", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseVersion(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseVersion(%q) = 0x%04X, %v, want 0x%04X, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNameTables(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"GroupName(secp256r1)", GroupName(GroupSecp256r1), "secp256r1"},
		{"GroupName(secp384r1)", GroupName(GroupSecp384r1), "secp384r1"},
		{"GroupName(secp521r1)", GroupName(GroupSecp521r1), "secp521r1"},
		{"GroupName(x25519)", GroupName(GroupX25519), "x25519"},
		{"GroupName(x448)", GroupName(GroupX448), "x448"},
		{"GroupName(ffdhe2048)", GroupName(GroupFFDHE2048), "ffdhe2048"},
		{"GroupName(ffdhe8192)", GroupName(GroupFFDHE8192), "ffdhe8192"},
		{"GroupName(0x11EC)", GroupName(0x11EC), "X25519MLKEM768"},
		{"GroupName(GREASE)", GroupName(0x3A3A), "GREASE"},
		{"GroupName(unknown)", GroupName(0x1234), "0x1234"},
		{"SignatureSchemeName(rsa_pkcs1_sha256)", SignatureSchemeName(0x0401), "rsa_pkcs1_sha256"},
		{"SignatureSchemeName(ecdsa_secp256r1_sha256)", SignatureSchemeName(0x0403), "ecdsa_secp256r1_sha256"},
		{"SignatureSchemeName(rsa_pss_rsae_sha256)", SignatureSchemeName(0x0804), "rsa_pss_rsae_sha256"},
		{"SignatureSchemeName(ed25519)", SignatureSchemeName(0x0807), "ed25519"},
		{"SignatureSchemeName(dsa_sha256)", SignatureSchemeName(0x0402), "dsa_sha256"},
		{"SignatureSchemeName(rsa_sha224)", SignatureSchemeName(0x0301), "rsa_sha224"},
		{"SignatureSchemeName(unknown)", SignatureSchemeName(0xFE00), "0xFE00"},
		{"AlertName(handshake_failure)", AlertName(40), "handshake_failure"},
		{"AlertName(protocol_version)", AlertName(70), "protocol_version"},
		{"AlertName(insufficient_security)", AlertName(71), "insufficient_security"},
		{"AlertName(unrecognized_name)", AlertName(112), "unrecognized_name"},
		{"AlertName(inappropriate_fallback)", AlertName(86), "inappropriate_fallback"},
		{"AlertName(unknown)", AlertName(200), "0xC8"},
		{"ExtensionName(renegotiation_info)", ExtensionName(0xFF01), "renegotiation_info"},
		{"ExtensionName(key_share)", ExtensionName(51), "key_share"},
		{"ExtensionName(GREASE)", ExtensionName(0xCACA), "GREASE"},
		{"ExtensionName(unknown)", ExtensionName(0x7777), "0x7777"},
		{"AlertError.Error()", (&AlertError{Level: 2, Description: 40}).Error(), "server sent alert handshake_failure (40)"},
		{"AlertError.Error(warning)", (&AlertError{Level: 1, Description: 0}).Error(), "server sent warning alert close_notify (0)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestIsGREASE(t *testing.T) {
	for i := 0; i < 16; i++ {
		v := uint16(i)<<12 | 0x0A00 | uint16(i)<<4 | 0x0A
		if !isGREASE(v) {
			t.Errorf("isGREASE(0x%04X) = false, want true", v)
		}
	}
	for _, v := range []uint16{0x0A1A, 0x0B0B, 0x0303, 0x1A0A} {
		if isGREASE(v) {
			t.Errorf("isGREASE(0x%04X) = true, want false", v)
		}
	}
}

// TestNameInverses: every registered group and scheme name maps back to
// its code point, and so do the TLS 1.2 pairs without a scheme name.
func TestNameInverses(t *testing.T) {
	t.Parallel()
	for id := range groupNames {
		if got, ok := GroupByName(GroupName(id)); !ok || got != id {
			t.Errorf("GroupByName(%q) = 0x%04X, %v, want 0x%04X", GroupName(id), got, ok, id)
		}
	}
	for id := range schemeNames {
		if got, ok := SignatureSchemeByName(SignatureSchemeName(id)); !ok || got != id {
			t.Errorf("SignatureSchemeByName(%q) = 0x%04X, %v, want 0x%04X", SignatureSchemeName(id), got, ok, id)
		}
	}
	if got, ok := SignatureSchemeByName("dsa_sha256"); !ok || got != 0x0402 {
		t.Errorf("SignatureSchemeByName(dsa_sha256) = 0x%04X, %v, want 0x0402", got, ok)
	}
	for _, bad := range []string{"", "p256", "rsa_sha999", "GREASE"} {
		if _, ok := SignatureSchemeByName(bad); ok {
			t.Errorf("SignatureSchemeByName(%q) found a code", bad)
		}
		if _, ok := GroupByName(bad); ok {
			t.Errorf("GroupByName(%q) found a code", bad)
		}
	}
}
