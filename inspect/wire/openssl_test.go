package wire

import (
	"chainscope/internal/e2e"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// opensslServer starts `openssl s_server` with the RSA test chain and extra
// arguments, waits until it accepts connections, and returns its address.
// The process is killed by pid when the test ends.
func opensslServer(t *testing.T, args ...string) string {
	t.Helper()
	bin := e2e.NeedTool(t, "openssl")
	p := getPKI(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	chain := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.rsaLeaf.Raw})
	chainFile := filepath.Join(dir, "chain.pem")
	keyDER, err := x509.MarshalPKCS8PrivateKey(p.rsaKey)
	if err != nil {
		t.Fatalf("marshal key: %v", err)
	}
	for name, data := range map[string][]byte{
		certFile:  chain,
		chainFile: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.inter.Raw}),
		keyFile:   pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatalf("write %s: %v", name, err)
		}
	}

	port := e2e.FreePort(t)
	return e2e.StartServer(t, port, bin, append([]string{"s_server", "-accept", "127.0.0.1:" + strconv.Itoa(port),
		"-cert", certFile, "-key", keyFile, "-cert_chain", chainFile, "-quiet"}, args...)...)
}

func TestOpenSSLServer(t *testing.T) {
	tests := []struct {
		cipher string
		suite  uint16
		kind   string
	}{
		{"DHE-RSA-AES256-GCM-SHA384", 0x009F, "DHE"},
		{"ECDHE-RSA-AES256-SHA384", 0xC028, "ECDHE"},
		{"DHE-RSA-CHACHA20-POLY1305", 0xCCAA, "DHE"},
		{"ECDHE-RSA-CAMELLIA256-SHA384", 0xC077, "ECDHE"},
		{"ECDHE-ARIA256-GCM-SHA384", 0xC061, "ECDHE"},
		{"AES256-SHA256", 0x003D, ""},
	}
	for _, tt := range tests {
		t.Run(tt.cipher, func(t *testing.T) {
			addr := opensslServer(t, "-tls1_2", "-cipher", tt.cipher+":@SECLEVEL=0")
			hello := goTLS12Hello()
			hello.CipherSuites = nil
			for _, s := range Suites() {
				if s.MinVersion <= VersionTLS12 && !s.TLS13 && !strings.Contains(s.Name, "_EXPORT") {
					hello.CipherSuites = append(hello.CipherSuites, s.ID)
				}
			}
			hello.ALPN = nil
			fl, err := handshakeTo(t, addr, hello)
			if err != nil {
				t.Fatalf("Handshake() error = %v", err)
			}
			if fl.Version != VersionTLS12 || fl.CipherSuite != tt.suite || !fl.Complete {
				t.Fatalf("Handshake() = %s %s complete %v, want TLS 1.2 %s complete",
					VersionName(fl.Version), SuiteName(fl.CipherSuite), fl.Complete, SuiteName(tt.suite))
			}
			p := getPKI(t)
			if len(fl.Certificates) != 2 || string(fl.Certificates[0]) != string(p.rsaLeaf.Raw) || string(fl.Certificates[1]) != string(p.inter.Raw) {
				t.Errorf("Handshake() Certificates = %d entries, want leaf and intermediate", len(fl.Certificates))
			}
			switch {
			case tt.kind == "" && fl.KeyExchange != nil:
				t.Errorf("Handshake() KeyExchange = %+v, want none for RSA key transport", fl.KeyExchange)
			case tt.kind == "":
			case fl.KeyExchange == nil || fl.KeyExchange.Kind != tt.kind:
				t.Errorf("Handshake() KeyExchange = %+v, want Kind %s", fl.KeyExchange, tt.kind)
			case tt.kind == "DHE" && fl.KeyExchange.DHBits < 2048:
				t.Errorf("Handshake() KeyExchange.DHBits = %d, want at least 2048", fl.KeyExchange.DHBits)
			case tt.kind == "ECDHE" && !slices.Contains(hello.Groups, fl.KeyExchange.Group):
				t.Errorf("Handshake() KeyExchange.Group = %s, want an offered group", GroupName(fl.KeyExchange.Group))
			}
		})
	}
}

func TestOpenSSLServerTLS13(t *testing.T) {
	addr := opensslServer(t, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384")
	hello := goTLS13Hello(GroupX25519)
	fl, err := handshakeTo(t, addr, hello)
	if err != nil {
		t.Fatalf("Handshake() error = %v", err)
	}
	if fl.Version != VersionTLS13 || fl.CipherSuite != 0x1302 || fl.SelectedGroup != GroupX25519 {
		t.Errorf("Handshake() = %s %s %s, want TLS 1.3 TLS_AES_256_GCM_SHA384 x25519",
			VersionName(fl.Version), SuiteName(fl.CipherSuite), GroupName(fl.SelectedGroup))
	}
}

func TestOpenSSLServerNoSharedSuite(t *testing.T) {
	addr := opensslServer(t, "-tls1_2", "-cipher", "DHE-RSA-AES256-GCM-SHA384")
	hello := goTLS12Hello()
	hello.CipherSuites = []uint16{0xC02F, 0x00FF}
	_, err := handshakeTo(t, addr, hello)
	var ae *AlertError
	if !errors.As(err, &ae) || ae.Description != AlertHandshakeFailure {
		t.Errorf("Handshake() error = %v, want alert handshake_failure", err)
	}
}
