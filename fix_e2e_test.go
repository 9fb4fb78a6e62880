package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
	"chainscope/inspect/serverconf"
	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// fixPKI is a test CA for the repair tests: root → intermediate → leaf
// (RSA, so the DHE suites and their DH parameters are used too), the
// leaf's caIssuers URL served by a local HTTP server, and an unrelated
// intermediate of the same root.
type fixPKI struct {
	dir                          string
	root, inter, other, leaf     *testpki.Cert
	rootFile, interFile, keyFile string
}

const fixHost = "hooks.example.test"

// fixAt pins the clock of the inspections inside the PKI's validity.
var fixAt = testpki.Now.Format("2006-01-02")

func newFixPKI(t *testing.T) *fixPKI {
	t.Helper()
	p := &fixPKI{dir: t.TempDir()}
	p.root = testpki.Root(t, "Fix Test Root")
	p.inter = testpki.Intermediate(t, p.root, "Fix Test Intermediate")
	p.other = testpki.Intermediate(t, p.root, "Fix Test Other Intermediate")
	aia := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/inter.crt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-cert")
		w.Write(p.inter.Cert.Raw)
	}))
	t.Cleanup(aia.Close)
	p.leaf = testpki.Leaf(t, p.inter, fixHost, testpki.RSA(2048), testpki.AIA(aia.URL+"/inter.crt"))
	key, err := x509.MarshalPKCS8PrivateKey(p.leaf.Key)
	if err != nil {
		t.Fatal(err)
	}
	p.rootFile = p.write(t, "root.pem", testpki.PEM(p.root))
	p.interFile = p.write(t, "intermediate.pem", testpki.PEM(p.inter))
	p.keyFile = p.write(t, "leaf.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}))
	return p
}

func (p *fixPKI) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	f := filepath.Join(p.dir, name)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// brokenSetup is one server set up wrong, as the issue lists them.
type brokenSetup struct {
	name string
	// chain is the certificate file the server sends.
	chain func(p *fixPKI) []*testpki.Cert
	// protocols (OpenSSL names) and ciphers (an OpenSSL cipher string;
	// "" keeps the server's default).
	protocols []string
	ciphers   string
	// flags are the config command's flags beyond the common ones.
	flags func(p *fixPKI) []string
	// failing is a check the broken server fails.
	failing string
	// noDHParam leaves --dhparam out: the block must load without the
	// file, its DH line commented out.
	noDHParam bool
	// only limits the setup to one server, "" is both.
	only serverconf.Server
}

var brokenSetups = []brokenSetup{
	{name: "chain out of order", failing: inspect.CheckOrder, noDHParam: true,
		chain: func(p *fixPKI) []*testpki.Cert { return []*testpki.Cert{p.leaf, p.root, p.inter} }},
	{name: "intermediate missing, --intermediates", failing: inspect.CheckComplete,
		chain: func(p *fixPKI) []*testpki.Cert { return []*testpki.Cert{p.leaf} },
		flags: func(p *fixPKI) []string { return []string{"--intermediates", p.interFile} }},
	{name: "intermediate missing, --fetch-intermediates", failing: inspect.CheckComplete,
		chain: func(p *fixPKI) []*testpki.Cert { return []*testpki.Cert{p.leaf} },
		flags: func(*fixPKI) []string { return []string{"--fetch-intermediates"} }},
	{name: "extra and duplicate certificates", failing: inspect.CheckExtra,
		chain: func(p *fixPKI) []*testpki.Cert { return []*testpki.Cert{p.leaf, p.inter, p.inter, p.other} }},
	// OpenSSL 3 speaks TLS 1.1 only at security level 0.
	{name: "no TLS 1.2", failing: inspect.CheckProtocol, protocols: []string{"TLSv1.1"}, ciphers: "DEFAULT:@SECLEVEL=0"},
	{name: "no listed suite", failing: inspect.CheckCipher, ciphers: "ECDHE-RSA-CHACHA20-POLY1305"},
	{name: "TLS 1.3 only", failing: inspect.CheckProtocol, protocols: []string{"TLSv1.3"}},
	// TLS 1.2 enabled, but its suites all DHE and no ssl_dhparam: nginx on
	// OpenSSL 3 then has no TLS 1.2 suite (Apache makes DH parameters of
	// its own). The block repairs the suites, with or without the DH file.
	{name: "DHE suites only, no DH parameters", failing: inspect.CheckCipher, only: serverconf.Nginx,
		protocols: []string{"TLSv1.2", "TLSv1.3"}, ciphers: "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"},
	{name: "DHE suites only, no DH parameters, no --dhparam", failing: inspect.CheckCipher, only: serverconf.Nginx, noDHParam: true,
		protocols: []string{"TLSv1.2", "TLSv1.3"}, ciphers: "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"},
}

// brokenBlock is the server's configuration for a broken setup.
func brokenBlock(s serverconf.Server, port int, chainFile, keyFile string, b brokenSetup) string {
	protocols := b.protocols
	if protocols == nil {
		protocols = []string{"TLSv1.2"}
	}
	if s == serverconf.Nginx {
		out := fmt.Sprintf("server {\n  listen 127.0.0.1:%d ssl;\n  server_name %s;\n  ssl_certificate %s;\n  ssl_certificate_key %s;\n  ssl_protocols %s;\n",
			port, fixHost, chainFile, keyFile, strings.Join(protocols, " "))
		if b.ciphers != "" {
			out += "  ssl_ciphers " + b.ciphers + ";\n"
		}
		return out + "}\n"
	}
	out := fmt.Sprintf("Listen 127.0.0.1:%[1]d\n<VirtualHost 127.0.0.1:%[1]d>\n  ServerName %s\n  SSLEngine on\n  SSLCertificateFile %s\n  SSLCertificateKeyFile %s\n  SSLProtocol -all +%s\n",
		port, fixHost, chainFile, keyFile, strings.Join(protocols, " +"))
	if b.ciphers != "" {
		out += "  SSLCipherSuite " + b.ciphers + "\n"
	}
	return out + "</VirtualHost>\n"
}

func startServer(t *testing.T, s serverconf.Server, port int, conf string) string {
	t.Helper()
	if s == serverconf.Nginx {
		return e2e.StartNginx(t, port, conf)
	}
	return e2e.StartApache(t, port, conf)
}

// TestFixOnRealServers is the proof: for each broken set-up, on
// nginx and on Apache httpd, chainscope config writes the repaired chain
// and the server block; a fresh server started from exactly those passes
// a new inspection.
func TestFixOnRealServers(t *testing.T) {
	t.Parallel()
	p := newFixPKI(t)
	for _, s := range serverconf.Servers {
		for _, b := range brokenSetups {
			if b.only != "" && b.only != s {
				continue
			}
			t.Run(string(s)+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				chain := testpki.PEM(p.leaf, p.inter)
				if b.chain != nil {
					chain = testpki.PEM(b.chain(p)...)
				}
				chainFile := filepath.Join(dir, "broken.pem")
				if err := os.WriteFile(chainFile, chain, 0o644); err != nil {
					t.Fatal(err)
				}
				brokenPort := e2e.FreePort(t)
				broken := startServer(t, s, brokenPort, brokenBlock(s, brokenPort, chainFile, p.keyFile, b))

				fixed := filepath.Join(dir, "fixed.pem")
				fixedPort := e2e.FreePort(t)
				args := []string{"config", string(s), "--roots", p.rootFile, "--servername", fixHost, "--at", fixAt,
					"--fix-chain", fixed, "--key", p.keyFile, "--listen", fmt.Sprintf("127.0.0.1:%d", fixedPort)}
				if !b.noDHParam {
					args = append(args, "--dhparam", filepath.Join(dir, "ffdhe2048.pem"))
				}
				if b.flags != nil {
					args = append(args, b.flags(p)...)
				}
				block, stderr, code := runCLI(t, "", append(args, broken)...)
				if code != exitPass {
					t.Fatalf("chainscope config: exit status %d\n%s%s", code, stderr, block)
				}
				changes, _, _ := strings.Cut(block, "server {")
				changes, _, _ = strings.Cut(changes, "<VirtualHost")
				if !strings.Contains(changes, "What this block changes:") || !strings.Contains(changes, b.failing) {
					t.Errorf("the header does not name %s among the checks the block changes:\n%s", b.failing, changes)
				}
				if b.failing != inspect.CheckProtocol && strings.Contains(changes, inspect.CheckProtocol) {
					t.Errorf("the header names %s, which the broken server does not fail:\n%s", inspect.CheckProtocol, changes)
				}

				fresh := startServer(t, s, fixedPort, block)
				out, stderr, code := runCLI(t, "", "--json", "--roots", p.rootFile, "--servername", fixHost, "--at", fixAt, fresh)
				var r inspect.Report
				if err := json.Unmarshal([]byte(out), &r); err != nil {
					t.Fatalf("inspect the fixed server: %v\n%s", err, stderr)
				}
				if code != exitPass || r.Verdict != inspect.VerdictPass {
					var bad []string
					for _, c := range r.Checks {
						if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
							bad = append(bad, fmt.Sprintf("%s %s: %s", c.ID, c.Status, c.Detail))
						}
					}
					t.Fatalf("the fixed server: exit status %d, verdict %s\n%s\nconfiguration:\n%s", code, r.Verdict, strings.Join(bad, "\n"), block)
				}
				if n := len(r.Chain); n != 2 {
					t.Errorf("the fixed server sends %d certificates, want the leaf and the intermediate", n)
				}
			})
		}
	}
}

// TestConfigOtherPolicy: a policy with TLS 1.3 suites and only AEAD
// ECDHE suites (server order off, ssl_conf_command Ciphersuites,
// SSLCipherSuite TLSv1.3) gives a block real servers load, and the server
// passes that policy; the block is built from a file, not a live server.
func TestConfigOtherPolicy(t *testing.T) {
	t.Parallel()
	for _, s := range serverconf.Servers {
		t.Run(string(s), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			port := e2e.FreePort(t)
			key, err := filepath.Abs("testdata/leaf.key")
			if err != nil {
				t.Fatal(err)
			}
			block, stderr, code := runCLI(t, "", "config", string(s), "--policy", "testdata/policy-modern.json",
				"--fix-chain", filepath.Join(dir, "chain.pem"), "--key", key, "--listen", fmt.Sprintf("127.0.0.1:%d", port),
				"--servername", "example.test", "testdata/chain-with-root.pem", "--roots", "testdata/root.pem", "--at", "2026-06-01")
			if code != exitPass {
				t.Fatalf("chainscope config: exit status %d\n%s", code, stderr)
			}
			for _, want := range map[serverconf.Server][]string{
				serverconf.Nginx:  {"ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;", "ssl_prefer_server_ciphers off;"},
				serverconf.Apache: {"SSLCipherSuite TLSv1.3 TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256", "SSLHonorCipherOrder off"},
			}[s] {
				if !strings.Contains(block, want) {
					t.Errorf("block lacks %q:\n%s", want, block)
				}
			}
			addr := startServer(t, s, port, block)
			out, _, code := runCLI(t, "", "--json", "--policy", "testdata/policy-modern.json", "--roots", "testdata/root.pem",
				"--servername", "example.test", "--at", "2026-06-01", addr)
			var r inspect.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if code != exitPass {
				for _, c := range r.Checks {
					t.Logf("%s %s: %s", c.ID, c.Status, c.Detail)
				}
				t.Fatalf("the server from the block: exit status %d, want 0", code)
			}
			if r.TLS.Versions["TLS 1.3"] != true || r.TLS.Versions["TLS 1.2"] != true {
				t.Errorf("versions = %v, want TLS 1.2 and 1.3", r.TLS.Versions)
			}
		})
	}
}
