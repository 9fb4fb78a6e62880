package inspect

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		arg        string
		kind       TargetKind
		host, port string
		err        string
	}{
		{"example.com", TargetHost, "example.com", "443", ""},
		{"example.com:8443", TargetHost, "example.com", "8443", ""},
		{"127.0.0.1:4433", TargetHost, "127.0.0.1", "4433", ""},
		{"[::1]:4433", TargetHost, "::1", "4433", ""},
		{"[::1]", TargetHost, "::1", "443", ""},
		{"::1", TargetHost, "::1", "443", ""},
		{"https://example.com/hooks/pd?x=1", TargetHost, "example.com", "443", ""},
		{"https://example.com:9443/", TargetHost, "example.com", "9443", ""},
		{"https://[2001:db8::1]:8443/x", TargetHost, "2001:db8::1", "8443", ""},
		{"-", TargetStdin, "", "", ""},
		{"../testdata/real-google.com-2026.pem", TargetFile, "", "", ""},
		{"http://example.com/", 0, "", "", "only https URLs"},
		{"example.com:0", 0, "", "", "port"},
		{"example.com:https", 0, "", "", "port"},
		{"no/such/file.pem", TargetFile, "", "", ""},
		{"nosuch.pem", TargetFile, "", "", ""},
		{"chain.CRT", TargetFile, "", "", ""},
		{"leaf.key", TargetFile, "", "", ""},
		{"testdata", 0, "", "", "testdata: a directory, not a certificate file"},
		{"testdata/", 0, "", "", "a directory"},
		{"no_such.example", TargetHost, "no_such.example", "443", ""},
		{"bad name!", 0, "", "", "is no host name (letters, digits, - and . only), and no file has that name"},
		// Internationalised names are looked up, sent and matched as
		// A-labels (RFC 5891).
		{"bücher.example", TargetHost, "xn--bcher-kva.example", "443", ""},
		{"https://Bücher.example:8443/hook", TargetHost, "xn--bcher-kva.example", "8443", ""},
		{"xn--bcher-kva.example", TargetHost, "xn--bcher-kva.example", "443", ""},
		{"bü\u200dcher.example", 0, "", "", "not a valid internationalised host name"},
		{"", 0, "", "", "empty target"},
		{"[zz]:1", 0, "", "", "not an IPv6 address"},
		{strings.Repeat("a", 64) + ".com", 0, "", "", "label"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTarget(tt.arg)
			if strings.Contains(tt.err, "directory") && !errors.Is(err, ErrDirectory) {
				t.Errorf("ParseTarget(%q) error = %v, want one matching ErrDirectory", tt.arg, err)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseTarget(%q) error = %v, want %q", tt.arg, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTarget(%q) error = %v", tt.arg, err)
			}
			if got.Kind == TargetFile && got.Path != tt.arg {
				t.Errorf("ParseTarget(%q).Path = %q, want the argument", tt.arg, got.Path)
			}
			if got.Kind != tt.kind || got.Host != tt.host || got.Port != tt.port || got.Arg != tt.arg {
				t.Errorf("ParseTarget(%q) = %+v, want kind %d host %q port %q", tt.arg, got, tt.kind, tt.host, tt.port)
			}
		})
	}
}

// TestParseHostTarget: a target from the network never names a file, even
// one that exists.
func TestParseHostTarget(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"../testdata/real-google.com-2026.pem", "/etc/hosts", "file:///etc/hosts"} {
		if got, err := ParseHostTarget(arg); err == nil {
			t.Errorf("ParseHostTarget(%q) = %+v, want an error", arg, got)
		}
	}
	// Its refusal speaks of host names only: "/etc/hosts" from a /probe
	// request was never looked up as a file, so no file is mentioned.
	for _, arg := range []string{"/etc/hosts", "bad name!", strings.Repeat("a", 64) + ".com"} {
		if _, err := ParseHostTarget(arg); err == nil || strings.Contains(err.Error(), "file") {
			t.Errorf("ParseHostTarget(%q) error = %v, want one that names no file", arg, err)
		}
	}
	got, err := ParseHostTarget("https://example.com:9443/hooks")
	if err != nil || got.Kind != TargetHost || got.Address() != "example.com:9443" {
		t.Errorf("ParseHostTarget(https://example.com:9443/hooks) = %+v, %v, want host example.com:9443", got, err)
	}
}

func TestLooksLikePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		arg  string
		want bool
	}{
		{"chain.pem", true}, {"a/b", true}, {"./x", true}, {"/etc/ssl/cert.crt", true},
		{"x.CER", true}, {"x.der", true}, {"x.p7b", true}, {"server.key", true},
		{"example.com", false}, {"example.com:443", false}, {"https://example.com/a/b", false},
		{".pem", false}, {"pem", false}, {"[::1]:443", false},
	}
	for _, tt := range tests {
		if got := LooksLikePath(tt.arg); got != tt.want {
			t.Errorf("LooksLikePath(%q) = %v, want %v", tt.arg, got, tt.want)
		}
	}
}

// FuzzParseTarget: any argument either parses to a dialable host and port
// or is refused with an error; it never panics.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"example.com", "[::1]:443", "https://a.b:1/x", "1.2.3.4:5", "-", "a:b:c", "https://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		tg, err := ParseTarget(arg)
		if err != nil || tg.Kind != TargetHost {
			return
		}
		if tg.Host == "" || tg.Port == "" {
			t.Fatalf("ParseTarget(%q) = %+v: empty host or port", arg, tg)
		}
		for _, r := range tg.Host {
			if r < 0x21 || r == 0x7f {
				t.Fatalf("ParseTarget(%q) host %q has control or space", arg, tg.Host)
			}
		}
	})
}
