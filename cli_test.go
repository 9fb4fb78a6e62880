package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// common pins the clock and the store so outputs are stable: the test PKI
// under testdata/ is valid 2026-01-01 to 2036-01-01.
var common = []string{"--roots", "testdata/root.pem", "--at", "2026-06-01"}

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestExitStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		lines  int // JSON lines on stdout, -1 to skip
	}{
		{"no target", []string{"--json"}, exitUsage, "chainscope: error: no target", 0},
		{"unknown flag", []string{"--bogus", "testdata/chain-ok.pem"}, exitUsage, "chainscope: error: unknown flag --bogus\n", 0},
		{"unknown flag, a typo away", []string{"--colour", "never", "x"}, exitUsage, "unknown flag --colour: did you mean --color?", 0},
		{"flag without its value", []string{"x", "--timeout"}, exitUsage, "--timeout needs a value: a duration such as 10s", 0},
		{"bad --at", []string{"--at", "yesterday", "testdata/chain-ok.pem"}, exitUsage, "--at yesterday: want a date (2026-01-15) or an RFC 3339 time", 0},
		{"--timeout without unit", []string{"--timeout", "5", "x"}, exitUsage, "--timeout 5: want a duration with its unit, such as 10s", 0},
		{"negative --timeout", []string{"--timeout", "-1s", "x"}, exitUsage, "--timeout -1s: want a positive duration", 0},
		{"bad --concurrency", []string{"--concurrency=0", "x"}, exitUsage, "--concurrency 0: want a whole number, 1 or more", 0},
		{"bad --color", []string{"--color", "sometimes", "x"}, exitUsage, "--color sometimes: want auto, always or never", 0},
		{"bool flag with a value", []string{"--json=maybe", "x"}, exitUsage, "--json=maybe: want --json alone, or =true or =false", 0},
		{"json and text", []string{"--json", "--text", "x"}, exitUsage, "exclude each other", 0},
		{"unknown policy", []string{"--policy", "nope", "x"}, exitUsage, "--policy nope", 0},
		{"policy file", append([]string{"--json", "--policy", "testdata/policy-modern.json", "testdata/chain-ok.pem"}, common...), exitPass, "", 1},
		{"bad policy file", []string{"--policy", "testdata/chain-ok.pem", "x"}, exitUsage, "policy JSON", 0},
		{"pass", append([]string{"--json", "--servername", "example.test", "testdata/chain-ok.pem"}, common...), exitPass, "", 1},
		{"flags after target", []string{"--json", "testdata/chain-ok.pem", "--roots", "testdata/root.pem", "--at", "2026-06-01"}, exitPass, "", 1},
		{"-- ends the flags", append(append([]string{"--json"}, common...), "--", "testdata/chain-ok.pem"), exitPass, "", 1},
		{"fail", append([]string{"--json", "testdata/chain-out-of-order.pem"}, common...), exitFail, "", 1},
		{"error wins over fail", append([]string{"--json", "testdata/chain-out-of-order.pem", "testdata/gen/main.go", "testdata/chain-ok.pem"}, common...), exitError, "chainscope: error: testdata/gen/main.go: neither PEM nor DER", 3},
		// Targets are parsed before anything is inspected: a malformed one
		// is bad usage, and the other targets are not inspected either.
		{"port out of range", []string{"--json", "testdata/chain-ok.pem", "127.0.0.1:99999"}, exitUsage, `target "127.0.0.1:99999": port "99999": want a number from 1 to 65535`, 0},
		{"unclosed IPv6", []string{"--json", "[::1"}, exitUsage, "want [ipv6]:port, as in [::1]:443", 0},
		{"URL without host", []string{"--json", "https://"}, exitUsage, "URL without a host", 0},
		{"directory", []string{"--json", "testdata"}, exitUsage, "testdata: a directory, not a certificate file\nchainscope: hint: give a certificate file, such as testdata/", 0},
		{"stdin twice", []string{"--json", "-", "-"}, exitUsage, "- given twice", 0},
		// A path-like argument is a file, never a host name to resolve.
		{"missing file", append([]string{"--json", "no/such.pem"}, common...), exitError, "chainscope: hint: no such file", 1},
		{"missing file, bare name", append([]string{"--json", "nosuch.pem"}, common...), exitError, "open nosuch.pem: no such file", 1},
		{"key file", append([]string{"--json", "testdata/leaf.key"}, common...), exitError, "testdata/leaf.key: this is a private key (PRIVATE KEY), not a certificate\nchainscope: hint: give the certificate file that goes with this key", 1},
		{"not a certificate file", append([]string{"--json", "go.mod"}, common...), exitError, "chainscope: hint: the file should hold PEM blocks", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit status = %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderr)
			}
			if tt.lines >= 0 {
				lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
				if stdout == "" {
					lines = nil
				}
				if len(lines) != tt.lines {
					t.Fatalf("%d lines on stdout, want %d:\n%s", len(lines), tt.lines, stdout)
				}
				for i, l := range lines {
					var r inspect.Report
					if err := json.Unmarshal([]byte(l), &r); err != nil {
						t.Fatalf("line %d is not JSON: %v", i, err)
					}
				}
			}
		})
	}
}

// TestSubcommandUsage: every subcommand says a flag mistake in the same
// plain words as the inspection (the flag package's "-nope", "parse error"
// and "flag needs an argument" never reach the user), sanitized, with exit
// status 2; config parses its target before inspecting it.
func TestSubcommandUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"config: unknown flag", []string{"config", "nginx", "--nope", "x"}, "chainscope: error: unknown flag --nope\nchainscope: hint: run chainscope config --help for usage\n"},
		{"config: a typo", []string{"config", "nginx", "--fix-chian", "f.pem", "x"}, "unknown flag --fix-chian: did you mean --fix-chain?"},
		{"config: duration without unit", []string{"config", "nginx", "--timeout", "5", "x"}, "chainscope: error: --timeout 5: want a duration with its unit, such as 10s"},
		{"config: not a number", []string{"config", "nginx", "--per-host", "x", "y"}, "chainscope: error: --per-host x: want a whole number\n"},
		{"config: no value", []string{"config", "nginx", "--policy"}, "chainscope: error: --policy needs a value: a policy name (pagerduty) or a policy file"},
		{"config: port out of range", []string{"config", "nginx", "127.0.0.1:99999"}, `target "127.0.0.1:99999": port "99999": want a number from 1 to 65535`},
		{"config: directory", []string{"config", "nginx", "testdata"}, "testdata: a directory, not a certificate file\nchainscope: hint: give a certificate file, such as testdata/"},
		{"mtls: unknown flag", []string{"mtls", "nginx", "--nope"}, "chainscope: error: unknown flag --nope\n"},
		{"mtls check: duration without unit", []string{"mtls", "check", "--timeout", "5", "x"}, "chainscope: error: --timeout 5: want a duration with its unit"},
		{"listen: unknown flag", []string{"listen", "--nope"}, "chainscope: error: unknown flag --nope\n"},
		{"listen: duration without unit", []string{"listen", "--idle", "5", ":0"}, "chainscope: error: --idle 5: want a duration with its unit"},
		{"serve: unknown flag", []string{"serve", "--nope"}, "chainscope: error: unknown flag --nope\n"},
		{"serve: no value", []string{"serve", "--listen"}, "chainscope: error: --listen needs a value: an address, such as 127.0.0.1:9219"},
		{"serve: not a number", []string{"serve", "--concurrency", "x"}, "chainscope: error: --concurrency x: want a whole number"},
		{"serve: escape sequences", []string{"serve", "--x\x1b[2J"}, `unknown flag --x\x1b[2J`},
		{"config: escape sequences", []string{"config", "nginx", "--x\x1b[2J", "y"}, `unknown flag --x\x1b[2J`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != exitUsage {
				t.Errorf("chainscope %q: exit status = %d, want %d\nstderr: %s", tt.args, code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("chainscope %q: stderr = %q, want it to contain %q", tt.args, stderr, tt.stderr)
			}
			if strings.ContainsRune(stderr, '\x1b') {
				t.Errorf("chainscope %q: an escape sequence reached stderr: %q", tt.args, stderr)
			}
		})
	}
}

// TestJSONOrderAndErrors: reports come in the order the targets were given,
// and an unreadable file is a one-line error report among the others.
func TestJSONOrderAndErrors(t *testing.T) {
	t.Parallel()
	targets := []string{"testdata/chain-ok.pem", "testdata/gen/main.go", "testdata/leaf-self-signed.pem", "testdata/chain-reversed.pem"}
	stdout, _, code := runCLI(t, "", append(append([]string{"--json", "--concurrency", "3"}, common...), targets...)...)
	if code != exitError {
		t.Errorf("exit status = %d, want %d", code, exitError)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	wantVerdicts := []inspect.Verdict{inspect.VerdictPass, inspect.VerdictError, inspect.VerdictFail, inspect.VerdictFail}
	for i, target := range targets {
		var r inspect.Report
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		if r.Target != target || r.Verdict != wantVerdicts[i] {
			t.Errorf("report %d = %s %s, want %s %s", i, r.Target, r.Verdict, target, wantVerdicts[i])
		}
		if r.Verdict == inspect.VerdictError && (r.Error == "" || strings.Contains(r.Error, "\n")) {
			t.Errorf("report %d error = %q, want one line", i, r.Error)
		}
		if r.Verdict != inspect.VerdictError && len(r.Checks) != len(inspect.CheckIDs) {
			t.Errorf("report %d has %d checks, want %d", i, len(r.Checks), len(inspect.CheckIDs))
		}
	}
}

func TestStdin(t *testing.T) {
	t.Parallel()
	pemData, err := os.ReadFile("testdata/chain-ok.pem")
	if err != nil {
		t.Fatal(err)
	}
	rest := pemData
	var der []byte
	// The first block, as DER.
	if i := bytes.Index(rest, []byte("-----END CERTIFICATE-----")); i > 0 {
		der = pemToDER(t, rest[:i+len("-----END CERTIFICATE-----")])
	}
	for _, tc := range []struct {
		name, in string
		chain    int
	}{
		{"pem", string(pemData), 2},
		{"der", string(der), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.in, append([]string{"--json", "-"}, common...)...)
			if code == exitError || code == exitUsage {
				t.Fatalf("exit status = %d: %s", code, stderr)
			}
			var r inspect.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatal(err)
			}
			if r.Target != "-" || r.Source != inspect.SourceFile || len(r.Chain) != tc.chain {
				t.Errorf("report = target %q source %s chain %d, want -, file, %d", r.Target, r.Source, len(r.Chain), tc.chain)
			}
		})
	}
}

// TestGolden compares whole outputs with the files under testdata/golden;
// `go test -run TestGolden -update` rewrites them for review.
func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		// real chains carry their own store (Mozilla's) and --at.
		real bool
	}{
		{"chain-ok.json", []string{"--json", "--servername", "example.test", "testdata/chain-ok.pem"}, false},
		{"chain-out-of-order.json", []string{"--json", "testdata/chain-out-of-order.pem"}, false},
		{"chain-ok.txt", []string{"--text", "--servername", "example.test", "testdata/chain-ok.pem"}, false},
		{"chain-out-of-order.txt", []string{"--text", "testdata/chain-out-of-order.pem"}, false},
		{"chain-missing-intermediate.txt", []string{"--text", "testdata/chain-missing-intermediate.pem"}, false},
		{"leaf-self-signed.txt", []string{"--text", "--servername", "example.test", "testdata/leaf-self-signed.pem"}, false},
		{"error.txt", []string{"--text", "testdata/gen/main.go"}, false},
		// chainscope config on files: the block and which checks it changes.
		{"config-nginx-chain-out-of-order.txt", []string{"config", "nginx", "--servername", "example.test", "testdata/chain-out-of-order.pem"}, false},
		{"config-apache-chain-missing-intermediate.txt", []string{"config", "apache", "testdata/chain-missing-intermediate.pem"}, false},
		// Real chains ending at roots Mozilla's list dropped (history in
		// inspect/trust/mozilla-history.txt).
		{"real-akamai.com-2024-digicert-g1.txt", []string{"--text", "--at", "2025-01-01", "testdata/real-akamai.com-2024-digicert-g1.pem"}, true},
		{"real-cloudflare.com-2024-baltimore.txt", []string{"--text", "--at", "2024-06-01", "testdata/real-cloudflare.com-2024-baltimore.pem"}, true},
		{"real-www.squareup.com-2016-entrust.json", []string{"--json", "--at", "2017-01-01", "testdata/real-www.squareup.com-2016-entrust.pem"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if !tt.real {
				args = append(args, common...)
			}
			stdout, _, _ := runCLI(t, "", args...)
			golden := filepath.Join("testdata", "golden", tt.name)
			if *update {
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, stdout)
			}
			if bytes.IndexByte([]byte(stdout), 0x1b) >= 0 {
				t.Errorf("output has an ESC byte without --color=always")
			}
		})
	}
}

// TestCommands: help and version, as subcommands and as flags.
func TestCommands(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"x.pem", "--help"}} {
		stdout, stderr, code := runCLI(t, "", args...)
		if code != exitPass || !strings.HasPrefix(stdout, "Usage: chainscope") || stderr != "" {
			t.Errorf("chainscope %v = %d, stdout %.40q, stderr %q; want 0 and the usage", args, code, stdout, stderr)
		}
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		stdout, _, code := runCLI(t, "", args...)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if code != exitPass || len(lines) != 2 || !strings.HasPrefix(lines[0], "chainscope ") ||
			!strings.Contains(lines[1], "roots), embedded from golang.org/x/crypto/x509roots/fallback v") {
			t.Errorf("chainscope %v = %d, %q; want the version and the embedded roots' module", args, code, stdout)
		}
	}
}

// TestTextSummary: a text run of several targets ends with one tally
// line; one target and JSON Lines have none.
func TestTextSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string // the last line of stdout; "" when no summary may end it
	}{
		{"several", []string{"--text", "testdata/chain-ok.pem", "testdata/chain-out-of-order.pem", "testdata/leaf.key"},
			"summary      3 targets: ✓ 1 pass, ✗ 1 fail, ✗ 1 error"},
		{"one", []string{"--text", "testdata/chain-ok.pem"}, ""},
		{"json", []string{"--json", "testdata/chain-ok.pem", "testdata/chain-out-of-order.pem"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, _, _ := runCLI(t, "", append(tt.args, common...)...)
			lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
			last := lines[len(lines)-1]
			switch {
			case tt.want != "" && last != tt.want:
				t.Errorf("last line = %q, want %q", last, tt.want)
			case tt.want == "" && strings.HasPrefix(last, "summary"):
				t.Errorf("last line = %q, want no summary", last)
			}
		})
	}
}
