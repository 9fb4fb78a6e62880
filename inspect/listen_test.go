package inspect

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/internal/testpki"
)

// listenFixture is a Listener serving on a loopback port with the test
// sender's policy, collecting its reports.
type listenFixture struct {
	addr    string
	sender  tls.Certificate // the sender's client certificate and its intermediate
	impostr tls.Certificate // CN=webhooks.test from another CA
	// large is the sender's CN from its CA with 10,000 SANs: a
	// certificate of some 200 KB.
	large   tls.Certificate
	mu      sync.Mutex
	reports []Report
	got     chan struct{}
}

func startListener(t *testing.T, l *Listener) *listenFixture {
	t.Helper()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA")
	other := testpki.Root(t, "Other Root")
	clientEKU := testpki.EKU(x509.ExtKeyUsageClientAuth)
	sender := testpki.Leaf(t, inter, "webhooks.test", clientEKU)
	impostor := testpki.Leaf(t, other, "webhooks.test", clientEKU)
	sans := make([]string, 10000)
	for i := range sans {
		sans[i] = fmt.Sprintf("h%05d.webhooks.test", i)
	}
	large := testpki.Leaf(t, inter, "webhooks.test", clientEKU, testpki.DNS(sans...))
	srv := testpki.Leaf(t, testpki.Root(t, "Listener Root"), "listener.test")
	pol := policy.PagerDuty()
	pol.ClientAuth = policy.ClientAuth{VerifyDepth: 2, Chains: []policy.ClientChain{
		{Name: "test", Region: "US", CN: "webhooks.test", Intermediate: inter.Cert, Root: root.Cert}}}
	l.Certificate = tls.Certificate{Certificate: [][]byte{srv.Cert.Raw}, PrivateKey: srv.Key}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &listenFixture{
		addr:    ln.Addr().String(),
		sender:  tls.Certificate{Certificate: [][]byte{sender.Cert.Raw, inter.Cert.Raw}, PrivateKey: sender.Key},
		impostr: tls.Certificate{Certificate: [][]byte{impostor.Cert.Raw}, PrivateKey: impostor.Key},
		large:   tls.Certificate{Certificate: [][]byte{large.Cert.Raw, inter.Cert.Raw}, PrivateKey: large.Key},
		got:     make(chan struct{}, 64),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- l.Serve(ctx, ln, Options{Policy: pol, At: testpki.Now, Timeout: 5 * time.Second}, func(r Report) {
			f.mu.Lock()
			f.reports = append(f.reports, r)
			f.mu.Unlock()
			f.got <- struct{}{}
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve() = %v, want nil once cancelled", err)
		}
	})
	return f
}

// wait returns the n-th report (1-based) once it has come.
func (f *listenFixture) wait(t *testing.T, n int) Report {
	t.Helper()
	for {
		f.mu.Lock()
		if len(f.reports) >= n {
			r := f.reports[n-1]
			f.mu.Unlock()
			return r
		}
		f.mu.Unlock()
		select {
		case <-f.got:
		case <-time.After(30 * time.Second):
			t.Fatalf("no report %d after 30s", n)
		}
	}
}

// get makes one HTTPS request as a client with the certificate (none when
// nil) and returns the response's status line and body.
func (f *listenFixture) get(t *testing.T, cert *tls.Certificate, version uint16) string {
	t.Helper()
	// A session cache, as curl and OpenSSL have: the client then offers
	// psk_key_exchange_modes and a TLS 1.3 server sends it tickets.
	cfg := &tls.Config{InsecureSkipVerify: true, ServerName: "listener.test", MaxVersion: version, ClientSessionCache: tls.NewLRUClientSessionCache(1)}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	c, err := tls.Dial("tcp", f.addr, cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, "POST /webhook HTTP/1.1\r\nHost: listener.test\r\nContent-Length: 2\r\n\r\n{}"); err != nil {
		t.Fatal(err)
	}
	resp, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return string(resp)
}

// TestListener: each client's report says who it is and judges its chain
// as --as client does; every client gets a 200.
func TestListener(t *testing.T) {
	f := startListener(t, &Listener{})
	tests := []struct {
		name    string
		cert    *tls.Certificate
		version uint16
		verdict Verdict
		chain   int
		failing string
	}{
		{"sender, TLS 1.2", &f.sender, tls.VersionTLS12, VerdictPass, 2, ""},
		{"sender, TLS 1.3", &f.sender, tls.VersionTLS13, VerdictPass, 2, ""},
		{"another CA", &f.impostr, tls.VersionTLS12, VerdictFail, 1, CheckClientIssuer},
		// Larger than a session ticket can hold (crypto/tls puts the
		// client's chain in the TLS 1.3 ticket, whose length has 2
		// bytes): the handshake must not fail on sending one.
		{"10,000 SANs, TLS 1.3", &f.large, tls.VersionTLS13, VerdictPass, 2, ""},
		{"10,000 SANs, TLS 1.2", &f.large, tls.VersionTLS12, VerdictPass, 2, ""},
		{"no certificate", nil, tls.VersionTLS13, VerdictFail, 0, CheckClientIssuer},
	}
	for i, tt := range tests {
		resp := f.get(t, tt.cert, tt.version)
		if !strings.HasPrefix(resp, "HTTP/1.1 200 OK\r\n") || !strings.Contains(resp, "client chain "+string(tt.verdict)) {
			t.Errorf("%s: response = %q, want 200 naming the verdict %s", tt.name, resp, tt.verdict)
		}
		r := f.wait(t, i+1)
		if r.Verdict != tt.verdict || len(r.Chain) != tt.chain || r.As != AsClient || r.Source != SourceTLS {
			t.Errorf("%s: report = %s, %d certificates, as %q, source %s; want %s, %d, client, tls", tt.name, r.Verdict, len(r.Chain), r.As, r.Source, tt.verdict, tt.chain)
		}
		if tt.failing != "" {
			if c, _ := r.Check(tt.failing); c.Status != StatusFail {
				t.Errorf("%s: %s = %s, want fail", tt.name, tt.failing, c.Status)
			}
		}
		if r.TLS == nil || r.TLS.Version != map[uint16]string{tls.VersionTLS12: "TLS 1.2", tls.VersionTLS13: "TLS 1.3"}[tt.version] ||
			r.TLS.CipherSuite == "" || r.ServerName != "listener.test" || r.TLS.Address != r.Target || !strings.HasPrefix(r.Target, "127.0.0.1:") {
			t.Errorf("%s: target %q, servername %q, tls %+v", tt.name, r.Target, r.ServerName, r.TLS)
			continue
		}
		// crypto/tls's client offers renegotiation_info and
		// extended_master_secret; a TLS 1.2 connection has both, a TLS 1.3
		// one neither.
		tls12 := tt.version == tls.VersionTLS12
		if r.TLS.SecureRenegotiation != tls12 || r.TLS.ExtendedMasterSecret != tls12 {
			t.Errorf("%s: secure renegotiation %v, extended master secret %v; want %v, %v", tt.name, r.TLS.SecureRenegotiation, r.TLS.ExtendedMasterSecret, tls12, tls12)
		}
	}
}

// TestListenerHandshakeTimeout: a connection that never speaks is dropped
// at the handshake bound and reported as an error.
func TestListenerHandshakeTimeout(t *testing.T) {
	f := startListener(t, &Listener{HandshakeTimeout: 300 * time.Millisecond})
	silent, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	r := f.wait(t, 1)
	if r.Verdict != VerdictError || !strings.Contains(r.Error, "handshake with 127.0.0.1:") || !strings.Contains(r.Error, "did not complete its handshake within 300ms") {
		t.Errorf("silent client: report %s %q, want an error naming the handshake", r.Verdict, r.Error)
	}
}

// TestListenerBounds: with one connection at a time, a client waits until
// the one before it is gone (so the reports come in that order); a
// request that never ends is answered once the byte bound is read.
func TestListenerBounds(t *testing.T) {
	f := startListener(t, &Listener{MaxConns: 1, MaxRequestBytes: 1024})
	first, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := net.Dial("tcp", f.addr) // queued behind the first
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{f.sender}})
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	// The second client starts its handshake at once; while the first
	// holds the only slot, it gets no answer, and no report comes.
	go func() { _, _ = io.WriteString(c, "GET / HTTP/1.1\r\nX-Long: "+strings.Repeat("a", 4096)) }()
	select {
	case <-f.got:
		t.Fatal("a report came while the only slot was taken")
	case <-time.After(500 * time.Millisecond):
	}
	first.Close()
	if r := f.wait(t, 1); r.Verdict != VerdictError {
		t.Errorf("first report: %s %q, want the first client's error (the second one must wait for its slot)", r.Verdict, r.Error)
	}
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || status != "HTTP/1.1 200 OK\r\n" {
		t.Errorf("endless request: status line %q, %v; want 200 once 1 KiB was read", status, err)
	}
	if r := f.wait(t, 2); r.Verdict != VerdictPass {
		t.Errorf("second client: %s %q, want pass", r.Verdict, r.Error)
	}
}
