package main

import (
	"crypto"
	"crypto/tls"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chainscope/inspect"
	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// TestNegativeSerial: a certificate with a negative serial number, which
// OpenSSL, Java and the sender accept, is judged like any other, as a file,
// in a roots file and live (main.go's //go:debug x509negativeserial=1).
func TestNegativeSerial(t *testing.T) {
	t.Parallel()
	root := testpki.Resign(t, testpki.Root(t, "Negative Root", testpki.RSA(2048)), nil, testpki.OIDSHA256WithRSA, crypto.SHA256, big.NewInt(-7))
	leaf := testpki.Resign(t, testpki.Leaf(t, root, "negative.test", testpki.RSA(2048)), root, testpki.OIDSHA256WithRSA, crypto.SHA256, big.NewInt(-42))
	chainFile, rootFile := chainAndRootFiles(t, leaf, root)
	args := []string{"--json", "--roots", rootFile, "--at", "2026-06-01", "--servername", "negative.test"}
	stdout, stderr, code := runCLI(t, "", append(args, chainFile)...)
	if code != exitPass || !strings.Contains(stdout, `"serial":"-2a"`) {
		t.Errorf("file: exit status %d, want 0\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	kp, err := tls.X509KeyPair(testpki.PEM(leaf), testpki.KeyPEM(t, leaf))
	if err != nil {
		t.Fatal(err)
	}
	addr := e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{kp}})
	_, stderr, code = runCLI(t, "", append([]string{"--json", "--roots", rootFile, "--at", "2026-06-01", "--servername", "negative.test"}, addr)...)
	if code == exitError {
		t.Errorf("live: exit status 3 (%s), want a report", stderr)
	}
}

// TestInputHonesty: no certificate of a file is lost silently. A glued
// END/BEGIN line and a block that does not decode are errors naming the
// file, the block and the line (exit 3), as nginx and OpenSSL refuse such
// files; a roots file with a certificate it cannot parse keeps the others
// and says so in the store line.
func TestInputHonesty(t *testing.T) {
	t.Parallel()
	chain, err := os.ReadFile("testdata/chain-ok.pem")
	if err != nil {
		t.Fatal(err)
	}
	glued := strings.Replace(string(chain), "-----END CERTIFICATE-----\n-----BEGIN", "-----END CERTIFICATE----------BEGIN", 1)
	second := strings.Index(string(chain)[1:], "-----BEGIN") + 1
	badChar := string(chain[:second+40]) + "%" + string(chain[second+41:])
	tests := []struct {
		name, stdin, stderr string
	}{
		{"glued END and BEGIN", glued, "chainscope: error: standard input: line 13: the END line of block 1 and the next BEGIN line are glued together (files joined without a final newline): put a newline after line 13's \"-----END CERTIFICATE-----\""},
		{"nothing on standard input", "", "chainscope: error: standard input: empty: no PEM block or DER certificate"},
		{"one bad base64 character in the intermediate", badChar, "chainscope: error: standard input: block 2 (CERTIFICATE, lines 14-25): does not decode: bad base64 at character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, tt.stdin, append([]string{"--json", "-"}, common...)...)
			if code != exitError || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit status %d, stderr %q; want 3 and %q", code, stderr, tt.stderr)
			}
		})
	}

	root, err := os.ReadFile("testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "bundle.pem")
	bad := "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n"
	if err := os.WriteFile(bundle, append([]byte(bad), root...), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "", "--text", "--roots", bundle, "--at", "2026-06-01", "--servername", "example.test", "testdata/chain-ok.pem")
	if code != exitPass || !strings.Contains(stdout, "1 certificate skipped: it does not parse") {
		t.Errorf("roots file with an unparseable certificate: exit status %d, want 0 and the store line saying so\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestIDN: an internationalised --servername is sent and matched as its
// A-label, and the report shows both forms (sender-model.md section 1).
func TestIDN(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "IDN Root")
	leaf := testpki.Leaf(t, root, "xn--bcher-kva.example")
	chainFile, rootFile := chainAndRootFiles(t, leaf, root)
	base := []string{"--json", "--roots", rootFile, "--at", "2026-06-01", "--servername", "bücher.example"}
	stdout, stderr, code := runCLI(t, "", append(base, chainFile)...)
	var r inspect.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("file: %v (stderr %s)", err, stderr)
	}
	if c, _ := r.Check(inspect.CheckHostname); code != exitPass || c.Status != inspect.StatusPass {
		t.Errorf("file: exit status %d, cert.hostname %s (%s); want 0, pass", code, c.Status, c.Detail)
	}
	if r.ServerName != "xn--bcher-kva.example" || r.ServerNameUnicode != "bücher.example" {
		t.Errorf("servername = %q (%q), want the A-label and the Unicode form", r.ServerName, r.ServerNameUnicode)
	}

	// Live: the server sees the A-label as SNI.
	var mu sync.Mutex
	var sni []string
	kp, err := tls.X509KeyPair(testpki.PEM(leaf), testpki.KeyPEM(t, leaf))
	if err != nil {
		t.Fatal(err)
	}
	addr := e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		mu.Lock()
		sni = append(sni, h.ServerName)
		mu.Unlock()
		return &kp, nil
	}})
	stdout, stderr, code = runCLI(t, "", append(base, addr)...)
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("live: %v (stderr %s)", err, stderr)
	}
	if c, _ := r.Check(inspect.CheckHostname); code == exitError || c.Status != inspect.StatusPass {
		t.Errorf("live: exit status %d, cert.hostname %s (%s); want a report, pass", code, c.Status, c.Detail)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range sni {
		if s != "xn--bcher-kva.example" {
			t.Errorf("SNI = %q, want the A-label", s)
		}
	}
	if len(sni) == 0 {
		t.Errorf("no SNI reached the server")
	}

	// A name IDNA refuses is bad usage.
	if _, stderr, code := runCLI(t, "", "--json", "--servername", "bü\u200dcher.example", chainFile); code != exitUsage || !strings.Contains(stderr, "--servername") {
		t.Errorf("invalid IDN: exit status %d, stderr %q; want 2 naming --servername", code, stderr)
	}
}
