package wire

import (
	"bufio"
	"bytes"
	"chainscope/internal/e2e"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestSuitesTable(t *testing.T) {
	all := Suites()
	if len(all) < 300 {
		t.Errorf("len(Suites()) = %d, want at least 300", len(all))
	}
	names := map[string]uint16{}
	for i, s := range all {
		if i > 0 && all[i-1].ID >= s.ID {
			t.Errorf("Suites()[%d].ID = 0x%04X after 0x%04X, want strictly ascending", i, s.ID, all[i-1].ID)
		}
		for _, n := range []string{s.Name, s.OpenSSLName} {
			if n == "" {
				continue
			}
			key := strings.ToUpper(n)
			if prev, dup := names[key]; dup && prev != s.ID {
				t.Errorf("name %s is used by 0x%04X and 0x%04X", n, prev, s.ID)
			}
			names[key] = s.ID
		}
		if !strings.HasPrefix(s.Name, "TLS_") {
			t.Errorf("suite 0x%04X Name = %q, want a TLS_ prefix", s.ID, s.Name)
		}
		if s.Signaling {
			if s.MinVersion != 0 || s.TLS13 || s.Cipher != "" {
				t.Errorf("signaling value %s has suite fields set: %+v", s.Name, s)
			}
			continue
		}
		if s.KeyExchange == "" || s.Auth == "" || s.Cipher == "" || s.MAC == "" || s.MinVersion == 0 {
			t.Errorf("suite %s has an empty field: %+v", s.Name, s)
		}
		// The cipher token appears in the IANA name.
		if !strings.Contains(s.Name, "_"+s.Cipher) {
			t.Errorf("suite %s Cipher = %q, not in its name", s.Name, s.Cipher)
		}
		aead := strings.Contains(s.Cipher, "GCM") || strings.Contains(s.Cipher, "CCM") || strings.Contains(s.Cipher, "POLY1305")
		if aead != (s.MAC == "AEAD") {
			t.Errorf("suite %s MAC = %q with cipher %q", s.Name, s.MAC, s.Cipher)
		}
		if !aead && s.MAC != "NULL" && !strings.HasSuffix(s.Name, "_"+s.MAC) {
			t.Errorf("suite %s MAC = %q, want its name's suffix", s.Name, s.MAC)
		}
		if tls13 := s.ID >= 0x1301 && s.ID <= 0x1305; s.TLS13 != tls13 {
			t.Errorf("suite %s TLS13 = %v, want %v", s.Name, s.TLS13, tls13)
		}
		if aead && s.MinVersion < VersionTLS12 {
			t.Errorf("AEAD suite %s MinVersion = %s, want TLS 1.2 or later", s.Name, VersionName(s.MinVersion))
		}
	}

	// The copy is the caller's.
	all[0].Name = "changed"
	if got := Suites()[0].Name; got == "changed" {
		t.Errorf("Suites() returned the registry itself")
	}
}

func TestSuiteByID(t *testing.T) {
	tests := []struct {
		id                       uint16
		name, openssl, kx, auth  string
		cipher, mac              string
		min                      uint16
		tls13, signaling, wantOK bool
	}{
		{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE", "RSA", "AES_128_GCM", "AEAD", VersionTLS12, false, false, true},
		{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE", "RSA", "AES_256_GCM", "AEAD", VersionTLS12, false, false, true},
		{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE", "RSA", "AES_256_CBC", "SHA384", VersionTLS12, false, false, true},
		{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", "DHE", "RSA", "AES_256_GCM", "AEAD", VersionTLS12, false, false, true},
		{0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", "ECDH-RSA-AES256-GCM-SHA384", "ECDH", "RSA", "AES_256_GCM", "AEAD", VersionTLS12, false, false, true},
		{0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE", "RSA", "CHACHA20_POLY1305", "AEAD", VersionTLS12, false, false, true},
		{0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", "RSA", "RSA", "AES_128_CBC", "SHA", VersionSSL30, false, false, true},
		{0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", "RSA", "RSA", "3DES_EDE_CBC", "SHA", VersionSSL30, false, false, true},
		{0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", "RSA", "RSA", "RC4_128", "SHA", VersionSSL30, false, false, true},
		{0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-EDH-RSA-DES-CBC-SHA", "DHE", "RSA", "DES40_CBC", "SHA", VersionSSL30, false, false, true},
		{0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", "EXP1024-DES-CBC-SHA", "RSA", "RSA", "DES_CBC", "SHA", VersionSSL30, false, false, true},
		{0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", "EXP1024-RC4-SHA", "RSA", "RSA", "RC4_56", "SHA", VersionSSL30, false, false, true},
		{0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA", "DHE", "anon", "AES_128_CBC", "SHA", VersionSSL30, false, false, true},
		{0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "AECDH-AES128-SHA", "ECDHE", "anon", "AES_128_CBC", "SHA", VersionTLS10, false, false, true},
		{0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM8", "ECDHE", "ECDSA", "AES_128_CCM_8", "AEAD", VersionTLS12, false, false, true},
		{0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", "ARIA256-GCM-SHA384", "RSA", "RSA", "ARIA_256_GCM", "AEAD", VersionTLS12, false, false, true},
		{0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "DHE-RSA-CAMELLIA256-SHA", "DHE", "RSA", "CAMELLIA_256_CBC", "SHA", VersionSSL30, false, false, true},
		{0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", "DHE-PSK-AES256-CBC-SHA384", "DHE_PSK", "PSK", "AES_256_CBC", "SHA384", VersionTLS10, false, false, true},
		{0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", "SRP-RSA-AES-256-CBC-SHA", "SRP", "RSA", "AES_256_CBC", "SHA", VersionSSL30, false, false, true},
		{0x0001, "TLS_RSA_WITH_NULL_MD5", "NULL-MD5", "RSA", "RSA", "NULL", "MD5", VersionSSL30, false, false, true},
		{0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS13", "TLS13", "AES_128_GCM", "AEAD", VersionTLS13, true, false, true},
		{0x1305, "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256", "TLS13", "TLS13", "AES_128_CCM_8", "AEAD", VersionTLS13, true, false, true},
		{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "", "", "", "", "", 0, false, true, true},
		{0x5600, "TLS_FALLBACK_SCSV", "", "", "", "", "", 0, false, true, true},
		{0x0A0A, "", "", "", "", "", "", 0, false, false, false},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatUint(uint64(tt.id), 16), func(t *testing.T) {
			s, ok := SuiteByID(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("SuiteByID(0x%04X) ok = %v, want %v", tt.id, ok, tt.wantOK)
			}
			want := Suite{ID: tt.id, Name: tt.name, OpenSSLName: tt.openssl, KeyExchange: tt.kx, Auth: tt.auth,
				Cipher: tt.cipher, MAC: tt.mac, MinVersion: tt.min, TLS13: tt.tls13, Signaling: tt.signaling}
			if !ok {
				want = Suite{}
			}
			if s != want {
				t.Errorf("SuiteByID(0x%04X) = %+v, want %+v", tt.id, s, want)
			}
		})
	}
}

func TestSuiteByName(t *testing.T) {
	tests := []struct {
		name string
		want uint16
		ok   bool
	}{
		{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F, true},
		{"tls_ecdhe_rsa_with_aes_128_gcm_sha256", 0xC02F, true},
		{"ECDHE-RSA-AES128-GCM-SHA256", 0xC02F, true},
		{"ecdhe-rsa-aes256-sha384", 0xC028, true},
		{"DHE-RSA-AES256-GCM-SHA384", 0x009F, true},
		{"SSL_RSA_WITH_3DES_EDE_CBC_SHA", 0x000A, true},
		{"TLS_FALLBACK_SCSV", 0x5600, true},
		{"TLS_AES_256_GCM_SHA384", 0x1302, true},
		{" AES128-SHA ", 0x002F, true},
		{"TLS_NO_SUCH_SUITE", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := SuiteByName(tt.name)
			if ok != tt.ok || s.ID != tt.want {
				t.Errorf("SuiteByName(%q) = 0x%04X, %v, want 0x%04X, %v", tt.name, s.ID, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSuiteName(t *testing.T) {
	tests := []struct {
		id   uint16
		want string
	}{
		{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
		{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
		{0x0A0A, "0x0A0A"},
		{0xFFFF, "0xFFFF"},
	}
	for _, tt := range tests {
		if got := SuiteName(tt.id); got != tt.want {
			t.Errorf("SuiteName(0x%04X) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// pagerDutySuites is the cipher list of the PagerDuty webhook sender.
var pagerDutySuites = strings.Fields(`TLS_EMPTY_RENEGOTIATION_INFO_SCSV
TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384
TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384 TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384
TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384
TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 TLS_DHE_DSS_WITH_AES_256_CBC_SHA256
TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256
TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256
TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256
TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256
TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
TLS_DHE_RSA_WITH_AES_256_CBC_SHA TLS_DHE_DSS_WITH_AES_256_CBC_SHA
TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA TLS_ECDH_RSA_WITH_AES_256_CBC_SHA
TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
TLS_DHE_RSA_WITH_AES_128_CBC_SHA TLS_DHE_DSS_WITH_AES_128_CBC_SHA
TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA TLS_ECDH_RSA_WITH_AES_128_CBC_SHA`)

func TestPagerDutySuitesResolve(t *testing.T) {
	if len(pagerDutySuites) != 37 {
		t.Fatalf("len(pagerDutySuites) = %d, want 37", len(pagerDutySuites))
	}
	seen := map[uint16]bool{}
	for _, name := range pagerDutySuites {
		s, ok := SuiteByName(name)
		if !ok {
			t.Errorf("SuiteByName(%q) not found", name)
			continue
		}
		if s.Name != name {
			t.Errorf("SuiteByName(%q).Name = %q, want %q", name, s.Name, name)
		}
		if SuiteName(s.ID) != name {
			t.Errorf("SuiteName(0x%04X) = %q, want %q", s.ID, SuiteName(s.ID), name)
		}
		if seen[s.ID] {
			t.Errorf("SuiteByName(%q).ID = 0x%04X, already used", name, s.ID)
		}
		seen[s.ID] = true
	}
}

func TestWeakness(t *testing.T) {
	tests := []struct {
		id   uint16
		want string
	}{
		{0xC02F, ""},
		{0x002F, ""}, // CBC with HMAC-SHA1 is not weak here
		{0xC014, ""},
		{0x1301, ""},
		{0x00FF, ""},
		{0x0000, "NULL encryption"},
		{0x0002, "NULL encryption"},
		{0xC010, "NULL encryption"},
		{0x0003, "export-grade"},
		{0x0062, "export-grade"},
		{0x0064, "export-grade"},
		{0x0014, "export-grade"},
		{0x0034, "anonymous (no authentication)"},
		{0xC018, "anonymous (no authentication)"},
		{0x0005, "RC4"},
		{0xC011, "RC4"},
		{0x0009, "DES"},
		{0x000A, "3DES (64-bit block)"},
		{0xC012, "3DES (64-bit block)"},
		{0x0007, "IDEA (64-bit block)"},
		{0x0004, "RC4"},
	}
	for _, tt := range tests {
		s, ok := SuiteByID(tt.id)
		if !ok {
			t.Fatalf("SuiteByID(0x%04X) not found", tt.id)
		}
		if got := s.Weakness(); got != tt.want {
			t.Errorf("SuiteByID(0x%04X).Weakness() = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got := (Suite{Cipher: "AES_128_CBC", MAC: "MD5", Auth: "RSA"}).Weakness(); got != "MD5 MAC" {
		t.Errorf("Suite{MAC: MD5}.Weakness() = %q, want %q", got, "MD5 MAC")
	}
}

// opensslCiphersLine matches a line of `openssl ciphers -V`:
// "0xC0,0x30 - ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH ...".
var opensslCiphersLine = regexp.MustCompile(`^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)\s+(\S+)`)

// TestSuitesMatchOpenSSL checks every suite the local OpenSSL knows is
// registered under the same code, with OpenSSL's name and minimum version.
func TestSuitesMatchOpenSSL(t *testing.T) {
	path := e2e.NeedTool(t, "openssl")
	out, err := exec.Command(path, "ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0").Output()
	if err != nil {
		t.Fatalf("openssl ciphers: %v", err)
	}
	minVersion := map[string]uint16{"SSLv3": VersionSSL30, "TLSv1": VersionTLS10, "TLSv1.2": VersionTLS12, "TLSv1.3": VersionTLS13}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := opensslCiphersLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n++
		hi, _ := strconv.ParseUint(m[1], 16, 8)
		lo, _ := strconv.ParseUint(m[2], 16, 8)
		id := uint16(hi<<8 | lo)
		s, ok := SuiteByID(id)
		if !ok {
			t.Errorf("openssl suite %s (0x%04X) not registered", m[3], id)
			continue
		}
		if s.OpenSSLName != m[3] {
			t.Errorf("SuiteByID(0x%04X).OpenSSLName = %q, want %q", id, s.OpenSSLName, m[3])
		}
		if want, ok := minVersion[m[4]]; ok && s.MinVersion != want {
			t.Errorf("SuiteByID(0x%04X).MinVersion = %s, want %s (openssl %s)", id, VersionName(s.MinVersion), VersionName(want), m[4])
		}
		if got, ok := SuiteByName(m[3]); !ok || got.ID != id {
			t.Errorf("SuiteByName(%q) = 0x%04X, %v, want 0x%04X", m[3], got.ID, ok, id)
		}
	}
	if n < 50 {
		t.Errorf("openssl ciphers listed %d suites, want at least 50:\n%s", n, out)
	}
	t.Logf("checked %d suites against %s", n, path)
}
