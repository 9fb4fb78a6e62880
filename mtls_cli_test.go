package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// senderPolicy is the test sender of testdata/: its client CA is the test
// PKI of testdata/gen, its client certificates come from testdata/genclient.
var senderPolicy = []string{"--policy", "testdata/policy-test-sender.json", "--at", "2026-06-01"}

// checkGolden compares got with testdata/golden/name; -update rewrites it.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// TestMTLSGolden: the configuration, the CA file and client reports as the
// engine writes them for the test sender.
func TestMTLSGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"mtls-nginx.txt", append([]string{"mtls", "nginx"}, senderPolicy...), exitPass},
		{"mtls-nginx-us.txt", append([]string{"mtls", "nginx", "--region", "us", "--ca-path", "/etc/nginx/sender-ca.pem"}, senderPolicy...), exitPass},
		{"mtls-apache.txt", append([]string{"mtls", "apache"}, senderPolicy...), exitPass},
		{"client-webhooks.test.txt", append([]string{"--text", "--as", "client", "testdata/client-webhooks.test.pem"}, senderPolicy...), exitPass},
		{"client-evil-suffix.txt", append([]string{"--text", "--as", "client", "testdata/client-evil-suffix.pem"}, senderPolicy...), exitFail},
		{"client-expired.json", append(append([]string{"--json", "--as", "client", "testdata/client-expired.pem"}, senderPolicy...), "--at", "2026-08-01"), exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit status = %d, want %d\n%s", code, tt.code, stderr)
			}
			checkGolden(t, tt.name, stdout)
		})
	}
}

// TestMTLSCAOut: --ca-out writes the roots and intermediates of the
// sender's chains, and the configuration names that file.
func TestMTLSCAOut(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "ca.pem")
	stdout, stderr, code := runCLI(t, "", append([]string{"mtls", "apache", "--ca-out", out}, senderPolicy...)...)
	if code != exitPass {
		t.Fatalf("exit status = %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "SSLCACertificateFile "+out+"\n") {
		t.Errorf("configuration does not name %s:\n%s", out, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "mtls-ca.pem", string(data))
}

func TestMTLSUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no subcommand", []string{"mtls"}, exitUsage, "want nginx, apache or check"},
		{"unknown subcommand", []string{"mtls", "lighttpd"}, exitUsage, `mtls "lighttpd"`},
		{"unknown flag", []string{"mtls", "nginx", "--depth", "2"}, exitUsage, "-depth"},
		{"argument", []string{"mtls", "nginx", "example.com"}, exitUsage, "takes no argument"},
		{"unknown region", append([]string{"mtls", "nginx", "--region", "apac"}, senderPolicy...), exitUsage, `region "apac"`},
		{"no chains", []string{"mtls", "nginx", "--policy", "testdata/policy-modern.json"}, exitUsage, "client_auth.chains"},
		{"bad --at", []string{"mtls", "nginx", "--at", "soon"}, exitUsage, `--at soon: want a date`},
		{"unwritable --ca-out", append([]string{"mtls", "nginx", "--ca-out", "/nonexistent/dir/ca.pem"}, senderPolicy...), exitError, "--ca-out"},
		{"help", []string{"mtls", "--help"}, exitPass, ""},
		{"bad --as", []string{"--as", "sender", "testdata/chain-ok.pem"}, exitUsage, `--as sender: want server or client`},
		{"--as client on a host", append([]string{"--json", "--as", "client", "127.0.0.1:1"}, senderPolicy...), exitError, "chainscope listen"},
		{"check without target", []string{"mtls", "check", "--ca-cert", "testdata/root.pem", "--ca-key", "testdata/root.key"}, exitUsage, "one target"},
		{"check without stand-in", []string{"mtls", "check", "127.0.0.1:1"}, exitUsage, "--ca-cert and --ca-key"},
		{"check with a key of another CA", []string{"mtls", "check", "127.0.0.1:1", "--ca-cert", "testdata/root.pem", "--ca-key", "testdata/intermediate.key"}, exitUsage, "--ca-cert testdata/root.pem"},
		{"check with a leaf as CA", []string{"mtls", "check", "127.0.0.1:1", "--ca-cert", "testdata/client-webhooks.test.pem", "--ca-key", "testdata/client-webhooks.test.key"}, exitUsage, "not a CA"},
		{"check of a closed port", append([]string{"mtls", "check", "127.0.0.1:1", "--ca-cert", "testdata/root.pem", "--ca-key", "testdata/root.key", "--timeout", "2s"}, senderPolicy...), exitError, "127.0.0.1:1"},
		{"listen without certificate", []string{"listen", "127.0.0.1:0"}, exitUsage, "--cert and --key"},
		{"listen without address", []string{"listen", "--cert", "testdata/chain-ok.pem", "--key", "testdata/leaf.key"}, exitUsage, "one address"},
		{"listen for a policy without client chains", []string{"listen", "127.0.0.1:0", "--cert", "testdata/chain-ok.pem", "--key", "testdata/leaf.key", "--policy", "testdata/policy-modern.json"}, exitUsage, "client_auth.chains"},
		{"listen on a bad address", []string{"listen", "256.0.0.1:1", "--cert", "testdata/chain-ok.pem", "--key", "testdata/leaf.key"}, exitUsage, "256.0.0.1 is not an IP address"},
		{"listen on a port out of range", []string{"listen", "127.0.0.1:99999", "--cert", "testdata/chain-ok.pem", "--key", "testdata/leaf.key"}, exitUsage,
			"chainscope: error: address \"127.0.0.1:99999\": port 99999: want a number from 0 to 65535 (0 picks a free one)\nchainscope: hint: give HOST:PORT or :PORT"},
		{"listen help", []string{"listen", "--help"}, exitPass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}
