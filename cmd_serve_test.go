package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeUsage: chainscope serve refuses bad usage with status 2 before
// listening, and status 3 when it cannot listen.
func TestServeUsage(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	badAllow := filepath.Join(t.TempDir(), "allow")
	if err := os.WriteFile(badAllow, []byte("ok.example:443\nnot a host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"serve", "--help"}, exitPass, "Usage: chainscope serve", ""},
		{"unknown flag", []string{"serve", "--bogus"}, exitUsage, "", "chainscope: error: unknown flag --bogus"},
		{"a target", []string{"serve", "example.com"}, exitUsage, "", `unexpected argument "example.com"`},
		{"bad timeout", []string{"serve", "--timeout", "0s"}, exitUsage, "", "--timeout must be positive"},
		{"bad concurrency", []string{"serve", "--concurrency", "0"}, exitUsage, "", "--concurrency must be at least 1"},
		{"unknown policy", []string{"serve", "--policy", "nope"}, exitUsage, "", "--policy nope"},
		{"missing roots", []string{"serve", "--roots", "no/such.pem"}, exitUsage, "", "no/such.pem"},
		{"bad allow-list", []string{"serve", "--targets-allow", badAllow}, exitUsage, "", "allow: line 2:"},
		{"missing allow-list", []string{"serve", "--targets-allow", "no/such/file"}, exitUsage, "", "--targets-allow open no/such/file"},
		{"address in use", []string{"serve", "--roots", "testdata/root.pem", "--listen", busy.Addr().String()}, exitError, "", "address already in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("chainscope %s = %d\nstdout %q\nstderr %q\nwant %d, stdout with %q, stderr with %q",
					strings.Join(tt.args, " "), code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
