package main

import (
	"crypto/tls"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
	"chainscope/internal/e2e"
)

// TestFixChainCLI: --fix-chain writes the repaired chain and the report
// says where each certificate came from; a chain that still fails is not
// written, with a hint saying what would complete it.
func TestFixChainCLI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		code    int
		written int // certificates in the file, 0 when none is written
		stderr  string
		sources []string
		not     string // a hint stderr must not hold
	}{
		{"out of order", []string{"testdata/chain-out-of-order.pem"}, exitFail, 2, "", []string{"presented #0", "presented #2"}, ""},
		{"duplicate", []string{"testdata/chain-duplicate.pem"}, exitFail, 2, "", []string{"presented #0", "presented #1"}, ""},
		{"unrelated extra", []string{"testdata/chain-unrelated-extra.pem"}, exitFail, 2, "", []string{"presented #0", "presented #1"}, ""},
		{"reversed", []string{"testdata/chain-reversed.pem"}, exitFail, 2, "", []string{"presented #1", "presented #0"}, ""},
		{"missing, no source", []string{"testdata/chain-missing-intermediate.pem"}, exitFail, 0,
			"chainscope: hint: give the missing intermediate with --intermediates FILE", nil, ""},
		{"missing, --intermediates", []string{"--intermediates", "testdata/intermediate.pem", "testdata/chain-missing-intermediate.pem"}, exitFail, 2, "",
			[]string{"presented #0", "--intermediates testdata/intermediate.pem"}, ""},
		// Nothing is missing: no hint about intermediates.
		{"self-signed", []string{"testdata/leaf-self-signed.pem"}, exitFail, 0, "still fails chain.complete, trust.root", nil, "--intermediates"},
		// The issuer left out is a root Mozilla's list dropped: no file
		// of intermediates brings it back, only a cross-sign.
		{"former root", []string{"--roots", "mozilla", "--at", "2025-01-01", "testdata/real-akamai.com-2024-digicert-g1.pem"}, exitFail, 0,
			"chainscope: hint: the path ends at CN=DigiCert Global Root CA, a root Mozilla's list dropped: no intermediate is missing", nil, "give the missing intermediate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "fixed.pem")
			args := append(append([]string{"--json", "--fix-chain", file}, common...), tt.args...)
			stdout, stderr, code := runCLI(t, "", args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit status = %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.stderr)
			}
			if tt.not != "" && strings.Contains(stderr, tt.not) {
				t.Errorf("stderr %q, want no %q", stderr, tt.not)
			}
			var r inspect.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatal(err)
			}
			fc := r.FixedChain
			if fc == nil || fc.File != file {
				t.Fatalf("fixed_chain = %+v, want one for %s", fc, file)
			}
			data, err := os.ReadFile(file)
			if tt.written == 0 {
				if err == nil || fc.Written {
					t.Errorf("the file was written (written %v), want none", fc.Written)
				}
				return
			}
			if err != nil || !fc.Written {
				t.Fatalf("the file was not written: %v, %s", err, fc.Error)
			}
			if n := strings.Count(string(data), "BEGIN CERTIFICATE"); n != tt.written {
				t.Errorf("file holds %d certificates, want %d", n, tt.written)
			}
			var got []string
			for _, c := range fc.Certificates {
				got = append(got, c.Source)
			}
			if strings.Join(got, "|") != strings.Join(tt.sources, "|") {
				t.Errorf("sources = %q, want %q", got, tt.sources)
			}
			// The file written passes the same policy on its own.
			if _, _, code := runCLI(t, "", append(append([]string{"--json"}, common...), file)...); code != exitPass {
				t.Errorf("the written file judged again: exit status %d, want 0", code)
			}
		})
	}
}

func TestFixChainUsage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, stderr string
		args         []string
	}{
		{"two targets", "give one target, not 2", []string{"--json", "--fix-chain", "x.pem", "testdata/chain-ok.pem", "testdata/chain-ok.pem"}},
		{"intermediates alone", "complete the chain of --fix-chain", []string{"--json", "--intermediates", "testdata/intermediate.pem", "testdata/chain-ok.pem"}},
		{"fetch alone", "complete the chain of --fix-chain", []string{"--text", "--fetch-intermediates", "testdata/chain-ok.pem"}},
		{"unreadable intermediates", "--intermediates no/such.pem", []string{"--json", "--fix-chain", "x.pem", "--intermediates", "no/such.pem", "testdata/chain-ok.pem"}},
		// stdout holds the report: "-" is no file to write the chain to.
		{"stdout", "--fix-chain -: want a file name", []string{"--json", "--fix-chain", "-", "testdata/chain-ok.pem"}},
		{"empty", `--fix-chain "": want a file name`, []string{"--json", "--fix-chain", "", "testdata/chain-ok.pem"}},
		{"directory", "--fix-chain testdata: a directory", []string{"--json", "--fix-chain", "testdata", "testdata/chain-ok.pem"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit status %d, stderr %q; want 2, %q", code, stderr, tt.stderr)
			}
		})
	}
}

func TestConfigUsage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, stderr string
		args         []string
		code         int
	}{
		{"no server", "config: want nginx or apache", []string{"config"}, exitUsage},
		{"unknown server", `server "caddy": want nginx or apache`, []string{"config", "caddy", "x"}, exitUsage},
		{"no target", "want one TARGET, got 0", []string{"config", "nginx"}, exitUsage},
		{"two targets", "want one TARGET, got 2", []string{"config", "nginx", "a", "b"}, exitUsage},
		{"intermediates alone", "complete the chain of --fix-chain", []string{"config", "apache", "--fetch-intermediates", "testdata/chain-ok.pem"}, exitUsage},
		{"unknown flag", "-bogus", []string{"config", "nginx", "--bogus", "testdata/chain-ok.pem"}, exitUsage},
		{"not inspected", "chainscope: error:", []string{"config", "nginx", "testdata/gen/main.go"}, exitError},
		{"still fails", "not written: the repaired chain still fails", append([]string{"config", "nginx", "--fix-chain", "no-such-dir/x.pem", "testdata/chain-missing-intermediate.pem"}, common...), exitFail},
		{"fix-chain to stdout", "--fix-chain -: want a file name", []string{"config", "nginx", "--fix-chain", "-", "testdata/chain-ok.pem"}, exitUsage},
		{"dhparam to stdout", "--dhparam -: want a file name", []string{"config", "nginx", "--dhparam", "-", "testdata/chain-ok.pem"}, exitUsage},
		{"fix-chain a directory", "--fix-chain testdata: a directory", []string{"config", "apache", "--fix-chain", "testdata", "testdata/chain-ok.pem"}, exitUsage},
		{"fix-chain unwritable", "--fix-chain no-such-dir/x.pem: not written: open no-such-dir/x.pem", append([]string{"config", "nginx", "--fix-chain", "no-such-dir/x.pem", "testdata/chain-ok.pem"}, common...), exitError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit status %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	out, _, code := runCLI(t, "", "config", "--help")
	if code != exitPass || !strings.HasPrefix(out, "Usage: chainscope config nginx|apache") {
		t.Errorf("config --help = %d, %q", code, out)
	}
}

// TestConfigNoSuiteForKey: when none of the policy's suites fits the
// certificate's key, the block does not claim to fix tls.cipher: the
// header names the key the suites need, and the suites line is the
// policy's for such a key, for a second certificate.
func TestConfigNoSuiteForKey(t *testing.T) {
	t.Parallel()
	kp, err := tls.LoadX509KeyPair("testdata/chain-ok.pem", "testdata/leaf.key") // ECDSA
	if err != nil {
		t.Fatal(err)
	}
	addr := e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{kp}})
	pol := filepath.Join(t.TempDir(), "rsa-only.json")
	if err := os.WriteFile(pol, []byte(`{"name": "rsa-only", "versions": ["TLS 1.2"],
  "cipher_suites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"],
  "client_hello": {"groups": ["secp256r1"], "signature_algorithms": ["ecdsa_secp256r1_sha256", "rsa_pkcs1_sha256"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	block, stderr, code := runCLI(t, "", append([]string{"config", "nginx", "--policy", pol, "--servername", "example.test"}, append(common, addr)...)...)
	if code != exitPass {
		t.Fatalf("chainscope config: exit status %d\n%s", code, stderr)
	}
	header, _, _ := strings.Cut(block, "server {")
	changes, notChanged, _ := strings.Cut(header, "Not changed by this block:")
	for _, tt := range []struct {
		in, want string
	}{
		{notChanged, "tls.cipher fail: none of the policy's suites authenticates with an ECDSA key, the certificate's: they need an RSA key; add an RSA certificate"},
		{block, "ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;"},
	} {
		if !strings.Contains(tt.in, tt.want) {
			t.Errorf("block lacks %q:\n%s", tt.want, block)
		}
	}
	if strings.Contains(changes, "tls.cipher") {
		t.Errorf("the header says the block changes tls.cipher:\n%s", header)
	}
}

// TestConfigHeaderRepairedChain: the header says the certificate file
// changes a check only when the repaired chain passes it. bing's chain,
// out of order, holds two intermediates below the root in any order: the
// repaired file fixes chain.order, and chain.complete still warns.
func TestConfigHeaderRepairedChain(t *testing.T) {
	t.Parallel()
	block, stderr, code := runCLI(t, "", "config", "nginx", "--at", "2026-03-01", "--servername", "www.bing.com",
		"--fix-chain", filepath.Join(t.TempDir(), "bing.pem"), "testdata/real-bing.com-2026-out-of-order.pem")
	if code != exitPass {
		t.Fatalf("chainscope config: exit status %d\n%s", code, stderr)
	}
	header, _, _ := strings.Cut(block, "server {")
	changes, notChanged, _ := strings.Cut(header, "Not changed by this block:")
	if !strings.Contains(changes, "chain.order fail: the certificate file") {
		t.Errorf("the header does not say the file changes chain.order:\n%s", header)
	}
	if strings.Contains(changes, "chain.complete") {
		t.Errorf("the header says the file changes chain.complete, which the repaired chain still warns:\n%s", header)
	}
	if !strings.Contains(notChanged, "chain.complete warn: the repaired chain warns too: serve a chain with at most one intermediate") {
		t.Errorf("the header does not name chain.complete among the checks the block does not change:\n%s", header)
	}
}

// TestConfigDHEOnly: for a policy whose suites are all DHE, an nginx block
// without --dhparam serves none of them (its ssl_dhparam line is
// commented out): the header says so; with --dhparam, and for Apache, it
// does not.
func TestConfigDHEOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pol := filepath.Join(dir, "dhe-only.json")
	if err := os.WriteFile(pol, []byte(`{"name": "dhe-only", "versions": ["TLS 1.2"],
  "cipher_suites": ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"],
  "client_hello": {"groups": ["secp256r1"], "signature_algorithms": ["rsa_pkcs1_sha256"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	const warning = "The DH parameters are NOT set"
	for _, tt := range []struct {
		name string
		args []string
		want bool
	}{
		{"nginx", []string{"nginx"}, true},
		{"nginx --dhparam", []string{"nginx", "--dhparam", filepath.Join(dir, "ffdhe2048.pem")}, false},
		{"apache", []string{"apache"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"config"}, tt.args...), "--policy", pol, "--at", "2026-03-01", "testdata/real-bing.com-2026.pem")
			block, stderr, code := runCLI(t, "", args...)
			if code != exitPass {
				t.Fatalf("chainscope config: exit status %d\n%s", code, stderr)
			}
			if got := strings.Contains(block, warning); got != tt.want {
				t.Errorf("block holds %q: %v, want %v\n%s", warning, got, tt.want, block)
			}
		})
	}
}

// TestFixChainUnwritable: a chain that passes but cannot be written is an
// error (exit status 3, as a file that cannot be read), not a failing
// verdict (1); the report still says what the file would hold.
func TestFixChainUnwritable(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "no-such-dir", "fixed.pem")
	stdout, stderr, code := runCLI(t, "", append(append([]string{"--json", "--fix-chain", file}, common...), "testdata/chain-ok.pem")...)
	if code != exitError || !strings.Contains(stderr, "--fix-chain "+file+": not written: open") {
		t.Errorf("exit status %d, stderr %q; want 3, not written", code, stderr)
	}
	var r inspect.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if fc := r.FixedChain; fc == nil || fc.Written || fc.Error == "" || len(fc.Certificates) != 2 {
		t.Errorf("fixed_chain = %+v, want 2 certificates, not written, with the error", fc)
	}
}
