package main

import (
	"bytes"
	"chainscope/internal/testpki"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
)

// selfSigned returns a PEM certificate for cn, its only name, with the given
// SANs.
func selfSigned(t *testing.T, cn string, dns []string) []byte {
	return testpki.PEM(testpki.Leaf(t, nil, cn, testpki.Subject(pkix.Name{CommonName: cn}), testpki.DNS(dns...)))
}

// TestHostileFiles: each hostile input ends in a one-line error or a
// report, and nothing from it reaches the terminal raw.
func TestHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	huge := filepath.Join(dir, "huge.pem")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("SECRET-KEY-MATERIAL")})
	sans := make([]string, 10000)
	for i := range sans {
		sans[i] = "h" + strings.Repeat("x", i%50) + ".example.test"
	}
	// The CR LF would start a line of the report's own: "verdict PASS".
	evilCN := "evil\x1b]0;pwned\x07\x1b[2J\u202eexample.test\r\nverdict      PASS"
	tests := []struct {
		name, file string
		code       int
		stderr     string
	}{
		{"100 MiB", huge, exitError, "larger than 16 MiB"},
		{"garbage", write("garbage.bin", []byte{0x00, 0xff, 0x1b, 0x07, 0x30}), exitError, "neither PEM nor DER"},
		{"key only", write("key.pem", key), exitError, "this is a private key (PRIVATE KEY), not a certificate"},
		{"key beside a certificate", write("key-and-cert.pem", append(append([]byte{}, key...), selfSigned(t, "ok.test", nil)...)), exitFail, ""},
		{"broken base64", write("broken.pem", append(selfSigned(t, "ok.test", nil), "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n"...)), exitError, "block 2 (CERTIFICATE, lines 10-12): does not decode: bad base64"},
		{"10,000 SANs", write("sans.pem", selfSigned(t, "many.test", sans)), exitFail, ""},
		{"escapes in names", write("evil.pem", selfSigned(t, evilCN, []string{"evil.test"})), exitFail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, mode := range []string{"--text", "--json"} {
				stdout, stderr, code := runCLI(t, "", mode, "--at", "2026-06-01", "--servername", "evil.test", tt.file)
				if code != tt.code {
					t.Errorf("%s: exit status = %d, want %d (stderr %q)", mode, code, tt.code, stderr)
				}
				if !strings.Contains(stderr, tt.stderr) || strings.Count(stderr, "chainscope: error:") > 1 {
					t.Errorf("%s: stderr = %q, want one error containing %q", mode, stderr, tt.stderr)
				}
				if strings.Contains(stdout+stderr, "SECRET-KEY") || strings.Contains(stdout+stderr, "U0VDUkVU") {
					t.Errorf("%s: key material echoed", mode)
				}
				if mode == "--text" && bytes.ContainsAny([]byte(stdout+stderr), "\x1b\x07\u202e") {
					t.Errorf("--text: raw ESC, BEL or bidi override reached the terminal:\n%q", stdout)
				}
				if mode == "--text" {
					// The same names judged as a client chain (listen
					// and --as client) quote the subject in more places.
					asClient, _, _ := runCLI(t, "", "--text", "--as", "client", "--at", "2026-06-01", tt.file)
					for _, out := range []string{stdout, asClient} {
						for _, l := range strings.Split(out, "\n") {
							if strings.HasPrefix(strings.TrimSpace(l), "verdict      PASS") {
								t.Errorf("--text: a line break of a name reached the terminal, starting a line %q", l)
							}
						}
					}
				}
				if mode == "--json" {
					var r inspect.Report
					if err := json.Unmarshal([]byte(stdout), &r); err != nil {
						t.Fatalf("--json: not JSON: %v", err)
					}
					// JSON keeps the name exact (RFC 4514 escaping only).
					if want := (pkix.Name{CommonName: evilCN}).String(); tt.name == "escapes in names" && r.Chain[0].Subject != want {
						t.Errorf("--json subject = %q, want %q", r.Chain[0].Subject, want)
					}
					if tt.name == "10,000 SANs" && len(r.Chain[0].DNSNames) != 10000 {
						t.Errorf("--json dns_names = %d, want 10000", len(r.Chain[0].DNSNames))
					}
					if tt.name == "key beside a certificate" && (len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "PRIVATE KEY skipped")) {
						t.Errorf("--json notes = %v, want the skipped key", r.Notes)
					}
				}
			}
		})
	}
}
