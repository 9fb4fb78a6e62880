package policy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"chainscope/internal/testpki"
)

// clientPolicy is a policy JSON with the given client_auth.
func clientPolicy(clientAuth string) string {
	return `{"name":"t","versions":["TLS 1.2"],"cipher_suites":["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],"client_auth":` + clientAuth + `}`
}

func jsonString(b []byte) string {
	s, _ := json.Marshal(string(b))
	return string(s)
}

// TestLoadCAFile: a chain's ca_file is read from the policy file's
// directory, and the policy written back holds the same certificates.
func TestLoadCAFile(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA 1")
	oldRoot := testpki.Root(t, "Sender Old Root")
	dir := t.TempDir()
	for name, data := range map[string][]byte{"sender-ca.pem": testpki.PEM(inter, root), "old-ca.pem": testpki.PEM(oldRoot)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	js := clientPolicy(`{"verify_depth": 2, "chains": [
		{"name": "old", "region": "US", "cn": "webhooks.test", "ca_file": "old-ca.pem"},
		{"name": "us", "region": "US", "cn": "webhooks.test", "ca_file": "sender-ca.pem", "from": "2024-06-01T00:00:00Z"},
		{"name": "eu", "region": "EU", "cn": "webhooks.eu.test", "intermediate": ` + jsonString(testpki.PEM(inter)) + `, "root": ` + jsonString(testpki.PEM(root)) + `, "from": "2024-06-01T00:00:00Z"}]}`)
	path := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if got := p.ClientAuth.Regions(); !reflect.DeepEqual(got, []string{"US", "EU"}) {
		t.Errorf("Regions() = %v, want [US EU]", got)
	}
	if c := p.ClientAuth.Chains[1]; !c.Intermediate.Equal(inter.Cert) || !c.Root.Equal(root.Cert) || len(c.CAs()) != 2 {
		t.Errorf("chain us = %v under %v, want the intermediate and the root of sender-ca.pem", c.Intermediate.Subject, c.Root.Subject)
	}
	if c := p.ClientAuth.Chains[0]; c.Intermediate != nil || !c.Root.Equal(oldRoot.Cert) || len(c.CAs()) != 1 {
		t.Errorf("chain old = %v under %v, want the old root alone", c.Intermediate, c.Root.Subject)
	}
	tests := []struct {
		at     string
		region string
		want   []string
	}{
		{"2024-01-01", "all", []string{"old"}},
		{"2024-06-01", "all", []string{"us", "eu"}},
		{"2026-06-01", "us", []string{"us"}},
		{"2026-06-01", "EU", []string{"eu"}},
		{"2026-06-01", "", []string{"us", "eu"}},
	}
	for _, tt := range tests {
		at, _ := time.Parse("2006-01-02", tt.at)
		var got []string
		for _, c := range p.ClientAuth.CurrentIn(at, tt.region) {
			got = append(got, c.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CurrentIn(%s, %q) = %q, want %q", tt.at, tt.region, got, tt.want)
		}
	}
	if d := p.ClientAuth.VerifyDepthFor(p.ClientAuth.Chains[:1]); d != 2 {
		t.Errorf("VerifyDepthFor() = %d, want verify_depth 2", d)
	}
	p.ClientAuth.VerifyDepth = 0
	if d := p.ClientAuth.VerifyDepthFor(p.ClientAuth.Chains[:1]); d != 1 {
		t.Errorf("VerifyDepthFor(the old root alone) without verify_depth = %d, want 1", d)
	}
	if d := p.ClientAuth.VerifyDepthFor(p.ClientAuth.Chains); d != 2 {
		t.Errorf("VerifyDepthFor(all) without verify_depth = %d, want 2", d)
	}
	p.ClientAuth.VerifyDepth = 2

	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal(p)) error = %v\n%s", err, data)
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("Parse(Marshal(p)) = %+v, want %+v", back, p)
	}
}

func TestRequireClientChains(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	p := &Policy{Name: "t", ClientAuth: ClientAuth{Chains: []ClientChain{{Name: "us", Region: "US", CN: "a.test", Root: root.Cert, From: testpki.Now}}}}
	tests := []struct {
		name   string
		p      *Policy
		at     time.Time
		region string
		want   string
	}{
		{"no chains", &Policy{Name: "t"}, testpki.Now, "all", "client_auth.chains"},
		{"unknown region", p, testpki.Now, "eu", `region "eu"`},
		{"not yet in use", p, testpki.Epoch, "us", "in use at 2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.p.RequireClientChains(tt.at, tt.region)
			if !errors.Is(err, ErrNoClientChains) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("RequireClientChains() error = %v, want ErrNoClientChains saying %q", err, tt.want)
			}
		})
	}
	if got, err := p.RequireClientChains(testpki.Now, "us"); err != nil || len(got) != 1 {
		t.Errorf("RequireClientChains(us) = %d chains, %v; want 1", len(got), err)
	}
}

func TestCAFileErrors(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA")
	inter2 := testpki.Intermediate(t, inter, "Sender CA 2")
	other := testpki.Root(t, "Other Root")
	dir := t.TempDir()
	files := map[string][]byte{
		"root-first.pem": testpki.PEM(root, inter),
		"no-root.pem":    testpki.PEM(inter),
		"unrelated.pem":  testpki.PEM(inter, other),
		"three.pem":      testpki.PEM(inter2, inter, root),
		"ok.pem":         testpki.PEM(inter, root),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chain := func(extra string) string {
		return clientPolicy(`{"chains":[{"name":"c","region":"US","cn":"a.test",` + extra + `}]}`)
	}
	tests := []struct{ name, json, err string }{
		{"root first", chain(`"ca_file":"root-first.pem"`), "is not a self-signed root"},
		{"no root", chain(`"ca_file":"no-root.pem"`), "is not a self-signed root"},
		{"unrelated root", chain(`"ca_file":"unrelated.pem"`), "is not a CA issued by the root"},
		{"three certificates", chain(`"ca_file":"three.pem"`), "3 certificates"},
		{"missing", chain(`"ca_file":"missing.pem"`), "missing.pem"},
		{"a device", chain(`"ca_file":"/dev/zero"`), "not a regular file"},
		{"a directory", chain(`"ca_file":"/"`), "not a regular file"},
		{"with root", chain(`"ca_file":"ok.pem","root":` + jsonString(testpki.PEM(root))), "ca_file excludes"},
		{"neither", chain(`"intermediate":` + jsonString(testpki.PEM(inter))), "no root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			if err := os.WriteFile(path, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Load() error = %v, want %q", err, tt.err)
			}
		})
	}
}
