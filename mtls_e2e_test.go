package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope/inspect"
	"chainscope/internal/e2e"
)

// startNginx runs nginx in the foreground (one process) with a TLS server
// on a free port whose server block holds the server certificate, TLS 1.2
// and 1.3, the lines given, and a location / answering 200 "ok" unless the
// lines have their own. It returns the address.
func startNginx(t *testing.T, p *mtlsPKI, serverLines string) string {
	t.Helper()
	location := `    location / { return 200 "ok\n"; }`
	if strings.Contains(serverLines, "location / {") {
		location = ""
	}
	port := e2e.FreePort(t)
	return e2e.StartNginx(t, port, fmt.Sprintf(`  server {
    listen 127.0.0.1:%[1]d ssl;
    server_name localhost;
    ssl_certificate %[2]s;
    ssl_certificate_key %[3]s;
    ssl_protocols TLSv1.2 TLSv1.3;
%[4]s
%[5]s
  }`, port, p.serverCert, p.serverKey, serverLines, location))
}

// startApache runs Apache httpd in the foreground with a configuration of
// its own (modules from /usr/lib/apache2/modules), a TLS VirtualHost on a
// free port holding the server certificate, TLS 1.2 and 1.3 and the lines
// given, whose document root serves webhookPath as "ok". It returns the
// address.
func startApache(t *testing.T, p *mtlsPKI, vhostLines string, modules ...string) string {
	t.Helper()
	dir := t.TempDir()
	// The server runs as nobody: it must reach the document root.
	for d := dir; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()+"/"); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	www := filepath.Join(dir, "www")
	if err := os.Mkdir(www, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(www, strings.TrimPrefix(webhookPath, "/")), []byte("ok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	port := e2e.FreePort(t)
	return e2e.StartApache(t, port, fmt.Sprintf(`Listen 127.0.0.1:%[1]d
<VirtualHost 127.0.0.1:%[1]d>
  SSLEngine on
  SSLCertificateFile %[2]s
  SSLCertificateKeyFile %[3]s
  SSLProtocol -all +TLSv1.2 +TLSv1.3
  DocumentRoot %[4]s
%[5]s
</VirtualHost>`, port, p.serverCert, p.serverKey, www, vhostLines), modules...)
}

// TestMTLSServers: the configuration chainscope mtls writes, loaded into a
// real nginx and a real Apache httpd, accepts the sender's certificate
// (issued through the intermediate, sent with it or without) and refuses
// every impostor of the done-when list, over TLS 1.2 and 1.3, with curl and
// with openssl s_client.
func TestMTLSServers(t *testing.T) {
	t.Parallel()
	p := newMTLSPKI(t)
	dir := t.TempDir()
	servers := []struct{ name, addr string }{
		{"nginx", startNginx(t, p, p.mtlsConf(t, "nginx", dir))},
		{"apache", startApache(t, p, p.mtlsConf(t, "apache", dir))},
	}
	tools := []struct {
		name string
		get  func(*testing.T, string, *mtlsClient, string) httpOutcome
	}{{"curl", curlGet}, {"s_client", sClientGet}}
	// --as client judges each presented chain as those servers do.
	for _, c := range p.clients {
		if c.certFile == "" {
			continue
		}
		t.Run("as-client/"+c.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, "", "--json", "--as", "client", "--policy", p.policyFile, c.certFile)
			var r inspect.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatalf("exit %d, stdout not JSON: %v\n%s", code, err, stderr)
			}
			want, wantCode := inspect.VerdictFail, exitFail
			if c.accept {
				want, wantCode = inspect.VerdictPass, exitPass
			}
			if r.Verdict != want || code != wantCode || r.As != inspect.AsClient {
				t.Errorf("--as client %s = %s (exit %d, as %q), want %s (exit %d)\n%s", c.name, r.Verdict, code, r.As, want, wantCode, failing(r))
			}
		})
	}
	// listen shows each client's chain with the verdict the servers give.
	t.Run("listen", func(t *testing.T) {
		t.Parallel()
		testListenClients(t, p)
	})
	// The round trip: a live inspection of each server shows mtls.client_auth
	// passing for the policy, with no client certificate (the CA list names
	// the sender's root) and with the sender's; an impostor's is refused.
	for _, srv := range servers {
		for _, cc := range []struct {
			client string
			want   inspect.Status
		}{{"", inspect.StatusPass}, {"sender", inspect.StatusPass}, {"evil-suffix", inspect.StatusFail}, {"other-ca", inspect.StatusFail}} {
			name := cc.client
			if name == "" {
				name = "no-certificate"
			}
			t.Run(fmt.Sprintf("inspect/%s/%s", srv.name, name), func(t *testing.T) {
				t.Parallel()
				args := []string{"--json", "--policy", p.policyFile, "--roots", p.serverRoot, "--servername", "localhost", srv.addr}
				if cc.client != "" {
					c := p.client(cc.client)
					args = append(args, "--client-cert", c.certFile, "--client-key", c.keyFile)
				}
				stdout, stderr, _ := runCLI(t, "", args...)
				var r inspect.Report
				if err := json.Unmarshal([]byte(stdout), &r); err != nil {
					t.Fatalf("stdout not JSON: %v\n%s", err, stderr)
				}
				if c, _ := r.Check(inspect.CheckClientAuth); c.Status != cc.want {
					t.Errorf("mtls.client_auth = %s (%s), want %s", c.Status, c.Detail, cc.want)
				}
			})
		}
	}
	for _, srv := range servers {
		for _, c := range p.clients {
			for _, v := range []string{"1.2", "1.3"} {
				for _, tool := range tools {
					t.Run(fmt.Sprintf("%s/%s/TLS%s/%s", srv.name, c.name, v, tool.name), func(t *testing.T) {
						t.Parallel()
						o := tool.get(t, srv.addr, c, v)
						if o.accepted() != c.accept {
							t.Errorf("%s accepted %s = %v (HTTP %d), want %v\n%s", srv.name, c.name, o.accepted(), o.status, c.accept, o.detail)
						}
					})
				}
			}
		}
	}
}

// failing lists the checks of r that fail or warn, for a test's message.
func failing(r inspect.Report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
			fmt.Fprintf(&b, "%s %s: %s\n", c.Status, c.ID, c.Detail)
		}
	}
	return b.String()
}

// syncBuffer is a buffer a test reads while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testListenClients runs chainscope listen, connects every client of the
// list with curl, one after the other, and reads one JSON report per
// client: the chain it presented, passing exactly for the clients the
// servers accept.
func testListenClients(t *testing.T, p *mtlsPKI) {
	port := e2e.FreePort(t)
	var stdout, stderr syncBuffer
	args := []string{"listen", fmt.Sprintf("127.0.0.1:%d", port), "--cert", p.serverCert, "--key", p.serverKey,
		"--policy", p.policyFile, "--json", "--count", fmt.Sprint(len(p.clients))}
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), args, strings.NewReader(""), &stdout, &stderr) }()
	for i := 0; !strings.Contains(stderr.String(), "listening on"); i++ {
		if i == 600 {
			t.Fatalf("listen did not start: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for _, c := range p.clients {
		if o := curlGet(t, addr, c, "1.2"); o.status != 200 {
			t.Errorf("listen answered %s with %d, want 200: %s", c.name, o.status, o.detail)
		}
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("listen did not stop after %d clients; stderr: %s", len(p.clients), stderr.String())
	}
	if code != exitFail {
		t.Errorf("listen exit status = %d, want %d (some clients fail)", code, exitFail)
	}
	dec := json.NewDecoder(strings.NewReader(stdout.String()))
	for _, c := range p.clients {
		var r inspect.Report
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("report of %s: %v\n%s", c.name, err, stdout.String())
		}
		want := inspect.VerdictFail
		if c.accept {
			want = inspect.VerdictPass
		}
		if r.Verdict != want || len(r.Chain) != len(c.chain) || r.TLS == nil || r.TLS.Version != "TLS 1.2" {
			t.Errorf("listen: %s = %s with %d certificates (tls %+v), want %s with %d\n%s", c.name, r.Verdict, len(r.Chain), r.TLS, want, len(c.chain), failing(r))
			continue
		}
		for i, cert := range c.chain {
			if r.Chain[i].SHA256 != fmt.Sprintf("%x", sha256.Sum256(cert.Cert.Raw)) {
				t.Errorf("listen: %s: certificate #%d is not the one sent", c.name, i)
			}
		}
	}
}
