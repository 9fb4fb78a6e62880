package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
)

func TestAllowList(t *testing.T) {
	t.Parallel()
	a, err := ParseAllowList([]byte(`# webhooks
Webhooks.Example.com            # port 443
alerts.example.org:8443
[2001:db8::1]:443
https://hooks.example.net:9443/path
127.0.0.1:4433
`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != 5 {
		t.Errorf("Len() = %d, want 5", a.Len())
	}
	tests := []struct {
		target string
		want   bool
	}{
		{"webhooks.example.com", true},
		{"WEBHOOKS.example.com.:443", true},
		{"https://webhooks.example.com/x", true},
		{"webhooks.example.com:8443", false},
		{"alerts.example.org:8443", true},
		{"alerts.example.org", false},
		{"[2001:0db8:0:0::1]:443", true},
		{"hooks.example.net:9443", true},
		{"127.0.0.1:4433", true},
		{"127.0.0.2:4433", false},
		{"evil.example.com", false},
	}
	for _, tt := range tests {
		tg, err := inspect.ParseHostTarget(tt.target)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Allows(tg); got != tt.want {
			t.Errorf("Allows(%s) = %v, want %v", tt.target, got, tt.want)
		}
	}
}

func TestAllowListErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		data, want string
	}{
		{"ok.example\nnot a host\n", "line 2:"},
		{"http://plain.example/\n", "line 1: target"},
		{"ok.example:70000\n", "line 1:"},
	} {
		if _, err := ParseAllowList([]byte(tt.data)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAllowList(%q) = %v, want an error with %q", tt.data, err, tt.want)
		}
	}
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, []byte(strings.Repeat("#\n", maxAllowBytes/2+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAllowList(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("LoadAllowList(over 4 MiB) = %v, want an error saying it is too large", err)
	}
}

// FuzzParseAllowList: any file either parses or is refused with an error
// naming a line; a parsed list allows exactly what it lists.
func FuzzParseAllowList(f *testing.F) {
	for _, s := range []string{"a.example:443\n# c\n", "[::1]:1\nhttps://b.example/x\n", "bad host\n", "\x00:1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAllowList(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("ParseAllowList(%q) error %q names no line", data, err)
			}
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			line, _, _ = strings.Cut(line, "#")
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			tg, err := inspect.ParseHostTarget(line)
			if err != nil || !a.Allows(tg) {
				t.Fatalf("ParseAllowList(%q) does not allow its own entry %q (%v)", data, line, err)
			}
		}
	})
}
