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
	want := "the client connected but sent no ClientHello within 300ms (the listener's handshake bound, --timeout); nothing to judge"
	if r.Verdict != VerdictError || r.Error != want {
		t.Errorf("silent client: report %s %q, want error %q", r.Verdict, r.Error, want)
	}
}

// TestListenerFailedHandshakes: a client whose handshake fails gets a
// report that says, in plain words, how far it got, who ended it and with
// which alert, and what to do; its store is the policy's client CAs (the
// store a client chain is judged against), never the server store.
func TestListenerFailedHandshakes(t *testing.T) {
	f := startListener(t, &Listener{})
	dialTLS := func(cfg *tls.Config) func() {
		return func() {
			c, err := tls.Dial("tcp", f.addr, cfg)
			if err == nil {
				c.Close()
				t.Errorf("handshake with %+v succeeded, want it refused", cfg)
			}
		}
	}
	tests := []struct {
		name   string
		client func()
		want   []string
	}{
		// Go's client refuses an unknown issuer with an alert: encrypted
		// in TLS 1.3 (crypto/tls reads it), plaintext in TLS 1.2.
		{"refuses the certificate, TLS 1.3", dialTLS(&tls.Config{ServerName: "listener.test", MinVersion: tls.VersionTLS13}),
			[]string{"the client ended the handshake with alert bad_certificate (42): it does not trust the listener's certificate CN=listener.test, so it never sent its own and nothing was judged", "--cert"}},
		{"refuses the certificate, TLS 1.2", dialTLS(&tls.Config{ServerName: "listener.test", MaxVersion: tls.VersionTLS12}),
			[]string{"the client ended the handshake with alert bad_certificate (42): it does not trust the listener's certificate CN=listener.test"}},
		{"closes at once", func() {
			c, err := net.Dial("tcp", f.addr)
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
		}, []string{"the client connected and closed without a ClientHello: it never began TLS"}},
		{"speaks HTTP", func() {
			c, err := net.Dial("tcp", f.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			_, _ = io.ReadAll(c)
		}, []string{"the client spoke no TLS: its first bytes are not a TLS record (plain HTTP to this https listener?)"}},
		{"shares no suite", dialTLS(&tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_RSA_WITH_AES_128_CBC_SHA}}),
			[]string{"the listener ended the handshake after the client's ClientHello (tls: no cipher suite supported by both client and server"}},
	}
	for i, tt := range tests {
		tt.client()
		r := f.wait(t, i+1)
		if r.Verdict != VerdictError || r.As != AsClient {
			t.Errorf("%s: report %s as %q, want an error as client", tt.name, r.Verdict, r.As)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Error, w) {
				t.Errorf("%s: error = %q\nwant it to hold %q", tt.name, r.Error, w)
			}
		}
		for _, n := range []string{"handshake with 127.0.0.1", "EOF", "Mozilla", "bad record MAC"} {
			if strings.Contains(r.Error, n) {
				t.Errorf("%s: error = %q, want no %q", tt.name, r.Error, n)
			}
		}
		if !strings.HasPrefix(r.Trust.Store, "client") {
			t.Errorf("%s: trust store = %q, want the policy's client CAs", tt.name, r.Trust.Store)
		}
	}
}

// TestRecordSniffer: the plaintext alert a client sends is found across
// reads of any size, an encrypted one is not taken for it, and bytes that
// are no TLS records stop the following.
func TestRecordSniffer(t *testing.T) {
	t.Parallel()
	hello := append([]byte{22, 3, 1, 0, 4}, 1, 0, 0, 0)
	plainAlert := []byte{21, 3, 3, 0, 2, 2, 48}
	encAlert := append([]byte{21, 3, 3, 0, 26}, make([]byte, 26)...)
	tests := []struct {
		name  string
		in    []byte
		alert int
	}{
		{"hello then a plaintext alert", append(append([]byte{}, hello...), plainAlert...), 48},
		{"an encrypted alert", append(append([]byte{}, hello...), encAlert...), -1},
		{"a TLS 1.3 record after the hello", append(append([]byte{}, hello...), 23, 3, 3, 0, 2, 2, 48), -1},
		{"HTTP", []byte("GET / HTTP/1.1\r\n\r\n" + string(plainAlert)), -1},
		{"nothing", nil, -1},
	}
	for _, tt := range tests {
		for _, step := range []int{1, 3, 64} {
			s := newRecordSniffer(nil)
			for b := tt.in; len(b) > 0; {
				k := min(step, len(b))
				s.follow(b[:k])
				b = b[k:]
			}
			if any, alert := s.seen(); alert != tt.alert || any != (len(tt.in) > 0) {
				t.Errorf("%s in reads of %d: seen() = %v, %d; want %v, %d", tt.name, step, any, alert, len(tt.in) > 0, tt.alert)
			}
		}
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
