package inspect

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"chainscope/internal/e2e"
	"chainscope/internal/otpsender"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// testServer is a crypto/tls server on 127.0.0.1 that serves the given
// chain (as presented) and stops with the test.
func testServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return e2e.ServeTLS(t, "127.0.0.1:0", cfg)
}

func tlsCert(leaf *testpki.Cert, chain ...*testpki.Cert) tls.Certificate {
	tc := tls.Certificate{Certificate: [][]byte{leaf.Cert.Raw}, PrivateKey: leaf.Key}
	for _, c := range chain {
		tc.Certificate = append(tc.Certificate, c.Cert.Raw)
	}
	return tc
}

func inspectAddr(t *testing.T, addr string, opts Options) (Report, error) {
	t.Helper()
	target, err := ParseTarget(addr)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	opts.At = testpki.Now
	opts.ServerName = "example.test"
	return Inspect(context.Background(), target, opts)
}

func TestLiveGoServers(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	inter := testpki.Intermediate(t, root, "Test Int")
	leaf := testpki.Leaf(t, inter, "example.test")
	client := testpki.Leaf(t, inter, "webhooks.test", testpki.ClientAuth())
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})
	clientPool := x509.NewCertPool()
	clientPool.AddCert(root.Cert)
	otherPool := x509.NewCertPool()
	otherPool.AddCert(testpki.Root(t, "Other Client Root").Cert)
	otherLeaf := testpki.Leaf(t, inter, "example.test")
	rsaEncOnly := testpki.Leaf(t, inter, "example.test", testpki.RSA(2048), testpki.KeyUsage(x509.KeyUsageKeyEncipherment))
	// The sender's own stack connects to each server too: trusting root,
	// presenting the client certificate chainscope presents, or else a
	// stand-in for the sender's.
	otp := startOTP(t)
	dir := t.TempDir()
	rootPEM := writeFile(t, dir, "root.pem", testpki.PEM(root))
	clientPEM, clientKeyPEM := writeFile(t, dir, "client.pem", testpki.PEM(client, inter)), writeFile(t, dir, "client.key", testpki.KeyPEM(t, client))
	standIn, standInKey := senderStandIn(t, dir)

	tests := []struct {
		name       string
		cfg        *tls.Config
		clientCert bool
		want       map[string]Status
		version    string
		versions   map[string]bool
		requested  bool
		mode       string
		cas        int
		accepted   bool
	}{
		{
			name:    "tls 1.2 in order",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHostname: StatusPass, CheckClientAuth: StatusInfo},
			version: "TLS 1.2", versions: map[string]bool{"TLS 1.0": false, "TLS 1.1": false, "TLS 1.2": true, "TLS 1.3": false},
		},
		{
			name:    "out of order",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, root, inter)}},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckOrder: StatusFail},
			version: "TLS 1.2", versions: map[string]bool{"TLS 1.2": true, "TLS 1.3": true},
		},
		{
			name:    "missing intermediate",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}},
			want:    map[string]Status{CheckComplete: StatusFail, CheckRoot: StatusFail},
			version: "TLS 1.2",
		},
		{
			name:     "tls 1.3 only",
			cfg:      &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, MinVersion: tls.VersionTLS13},
			want:     map[string]Status{CheckProtocol: StatusFail, CheckCipher: StatusSkip, CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHandshake: StatusSkip, CheckKeyExchange: StatusSkip},
			versions: map[string]bool{"TLS 1.2": false, "TLS 1.3": true},
		},
		{
			name:    "client certificate required",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientPool, MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckOrder: StatusPass, CheckClientAuth: StatusFail},
			version: "TLS 1.2", requested: true, mode: "required", cas: 1,
		},
		{
			name:       "client certificate presented and accepted",
			cfg:        &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientPool, MaxVersion: tls.VersionTLS12},
			clientCert: true,
			want:       map[string]Status{CheckProtocol: StatusPass, CheckClientAuth: StatusPass},
			version:    "TLS 1.2", requested: true, mode: "required", cas: 1, accepted: true,
		},
		{
			name:       "client certificate presented and refused",
			cfg:        &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: otherPool, MaxVersion: tls.VersionTLS12},
			clientCert: true,
			want:       map[string]Status{CheckProtocol: StatusPass, CheckClientAuth: StatusFail},
			version:    "TLS 1.2", requested: true, mode: "required", cas: 1,
		},
		{
			name:      "tls 1.3 only, client certificate required",
			cfg:       &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientPool, MinVersion: tls.VersionTLS13},
			want:      map[string]Status{CheckProtocol: StatusFail, CheckOrder: StatusPass, CheckRoot: StatusPass, CheckClientAuth: StatusFail},
			versions:  map[string]bool{"TLS 1.2": false, "TLS 1.3": true},
			requested: true, mode: "required", cas: 1,
		},
		{
			name:    "client certificate optional",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: clientPool, MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckClientAuth: StatusFail},
			version: "TLS 1.2", requested: true, mode: "optional", cas: 1,
		},
		{
			// nginx's and Apache's optional_no_ca: asks, lists a CA, lets
			// any certificate through unverified.
			name:    "client certificate optional, not verified",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, ClientAuth: tls.RequestClientCert, ClientCAs: clientPool, MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckClientAuth: StatusWarn},
			version: "TLS 1.2", requested: true, mode: "optional", cas: 1,
		},
		{
			name: "key of another certificate",
			cfg: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Cert.Raw, inter.Cert.Raw}, PrivateKey: otherLeaf.Key}},
				MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckOrder: StatusPass, CheckKeyExchange: StatusFail, CheckHandshake: StatusPass},
			version: "TLS 1.2",
		},
		{
			name:    "keyUsage keyEncipherment only on ECDHE-RSA",
			cfg:     &tls.Config{Certificates: []tls.Certificate{tlsCert(rsaEncOnly, inter)}, MaxVersion: tls.VersionTLS12},
			want:    map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckKeyExchange: StatusWarn, CheckHandshake: StatusPass},
			version: "TLS 1.2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := testServer(t, tt.cfg)
			opts := Options{Store: store}
			if tt.clientCert {
				kp := tlsCert(client, inter)
				opts.ClientCertificate = &kp
			}
			r, err := inspectAddr(t, addr, opts)
			if err != nil {
				t.Fatalf("Inspect(%s) error = %v", addr, err)
			}
			if r.Source != SourceTLS || r.TLS == nil {
				t.Fatalf("report source %s, tls %v", r.Source, r.TLS)
			}
			for id, st := range tt.want {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (%s)", id, c.Status, st, c.Detail)
				}
			}
			if tt.version != "" && r.TLS.Version != tt.version {
				t.Errorf("version = %q, want %q (%s)", r.TLS.Version, tt.version, r.TLS.PolicyHandshakeError)
			}
			for v, want := range tt.versions {
				if r.TLS.Versions[v] != want {
					t.Errorf("versions[%s] = %v, want %v", v, r.TLS.Versions[v], want)
				}
			}
			ca := r.TLS.ClientAuth
			if want := cmp.Or(tt.mode, "none"); ca.Mode != want {
				t.Errorf("client_auth.mode = %q, want %q (http %q)", ca.Mode, want, ca.HTTPStatus)
			}
			if ca.Requested != tt.requested || len(ca.AcceptableCAs) != tt.cas {
				t.Errorf("client_auth = %+v, want requested %v with %d CAs", ca, tt.requested, tt.cas)
			}
			if tt.cas > 0 && !strings.Contains(tt.name, "refused") && ca.AcceptableCAs[0] != root.Cert.Subject.String() {
				t.Errorf("acceptable_cas[0] = %q, want %q", ca.AcceptableCAs[0], root.Cert.Subject.String())
			}
			if ca.Accepted != tt.accepted {
				t.Errorf("client_auth.accepted = %v, want %v (%s)", ca.Accepted, tt.accepted, ca.AcceptError)
			}
			if len(r.Chain) == 0 {
				t.Errorf("no chain in the report")
			}
			o := otpsender.Options{Addr: addr, ServerName: "example.test", CAFile: rootPEM, CertFile: standIn, KeyFile: standInKey}
			if tt.clientCert {
				o.CertFile, o.KeyFile = clientPEM, clientKeyPEM
			}
			otp.agrees(t, r, o, "")
		})
	}
}

func TestLiveErrors(t *testing.T) {
	t.Parallel()
	// An HTTP server.
	httpLn, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { httpLn.Close() })
	go serveRaw(httpLn, []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))

	// A server that accepts and never answers.
	silentLn, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { silentLn.Close() })
	go serveRaw(silentLn, nil)

	// A port nothing listens on: take a free one and close it, after the
	// listeners above hold theirs, so that none of them gets it again.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name, addr string
		is         []error // errors.Is(err, each)
		msg        string
	}{
		{"refused", closed, []error{syscall.ECONNREFUSED}, "connect " + closed + ": connection refused"},
		{"not tls", httpLn.Addr().String(), []error{ErrNotTLS}, "not TLS"},
		{"silent", silentLn.Addr().String(), []error{ErrTimeout}, "no complete ServerHello within the"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := inspectAddr(t, tt.addr, Options{Timeout: 300 * time.Millisecond})
			if err == nil {
				t.Fatalf("Inspect(%s) = %s, want an error", tt.addr, r.Verdict)
			}
			for _, is := range tt.is {
				if !errors.Is(err, is) {
					t.Errorf("error = %v, want errors.Is %v", err, is)
				}
			}
			var ce *ConnectError
			if errors.As(err, &ce) != (tt.name == "refused") {
				t.Errorf("errors.As(%v, *ConnectError) = %v, want %v", err, !(tt.name == "refused"), tt.name == "refused")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error = %q, want it to contain %q", err, tt.msg)
			}
			if r.Verdict != VerdictError || r.Error == "" || len(r.Checks) != len(CheckIDs) || r.Failed() != 0 {
				t.Errorf("report = verdict %s error %q, want an error report", r.Verdict, r.Error)
			}
		})
	}
}

// TestSilentServerOneTimeout: a server that accepts connections and
// answers nothing costs one timeout whatever --per-host allows: once the
// first connections time out in silence, no more are opened.
func TestSilentServerOneTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	_, err = inspectAddr(t, ln.Addr().String(), Options{PerHost: 1, Timeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Inspect(silent) error = %v, want a timeout", err)
	}
	if n := accepted.Load(); n != 1 {
		t.Errorf("connections to a silent server = %d, want 1", n)
	}
}

// serveRaw answers every connection with reply (nothing when nil) and keeps
// it open until the listener closes.
func serveRaw(ln net.Listener, reply []byte) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			buf := make([]byte, 4096)
			_ = c.SetDeadline(time.Now().Add(3 * time.Second))
			if _, err := c.Read(buf); err != nil {
				return
			}
			if reply != nil {
				_, _ = c.Write(reply)
				return
			}
			_, _ = c.Read(buf)
		}()
	}
}

// TestLivePolicyWithTLS13: a policy that allows TLS 1.3 offers it in its own
// ClientHello, and a TLS 1.3-only server then passes tls.protocol and
// tls.cipher; the chain comes from the full handshake.
func TestLivePolicyWithTLS13(t *testing.T) {
	t.Parallel()
	pol, err := policy.Load("../testdata/policy-modern.json")
	if err != nil {
		t.Fatal(err)
	}
	root := testpki.Root(t, "Test Root")
	inter := testpki.Intermediate(t, root, "Test Int")
	leaf := testpki.Leaf(t, inter, "example.test")
	addr := testServer(t, &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf, inter)}, MinVersion: tls.VersionTLS13})
	r, err := inspectAddr(t, addr, Options{Policy: pol, Store: trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})})
	if err != nil {
		t.Fatal(err)
	}
	if r.TLS.Version != "TLS 1.3" || !strings.HasPrefix(r.TLS.CipherSuite, "TLS_AES_") && r.TLS.CipherSuite != "TLS_CHACHA20_POLY1305_SHA256" {
		t.Errorf("negotiated %s %s, want TLS 1.3 with a TLS 1.3 suite (%s)", r.TLS.Version, r.TLS.CipherSuite, r.TLS.PolicyHandshakeError)
	}
	for _, id := range []string{CheckProtocol, CheckCipher, CheckOrder, CheckRoot} {
		if c, _ := r.Check(id); c.Status != StatusPass {
			t.Errorf("%s = %s, want pass (%s)", id, c.Status, c.Detail)
		}
	}
	if r.Policy != "modern" || len(r.Chain) != 2 {
		t.Errorf("policy %q, chain %d, want modern and 2", r.Policy, len(r.Chain))
	}
}

// TestLiveTargetForms: the same server reached as host:port and as an https
// URL with a path, and another over IPv6 loopback as [::1]:port.
func TestLiveTargetForms(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	leaf := testpki.Leaf(t, root, "example.test")
	cfg := &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}}
	addr := testServer(t, cfg)
	targets := map[string]string{ // target -> address that must answer
		addr:                                    addr,
		"https://" + addr + "/hooks/pd?x=1#top": addr,
	}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		ln.Close()
		v6 := e2e.ServeTLS(t, "[::1]:0", cfg)
		targets[v6] = v6
	} else {
		t.Logf("no IPv6 loopback here (%v): [::1]:port is covered by TestParseTarget only", err)
	}
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})
	for arg, want := range targets {
		r, err := inspectAddr(t, arg, Options{Store: store})
		if err != nil {
			t.Errorf("Inspect(%s) error = %v", arg, err)
			continue
		}
		if r.Target != arg || r.Verdict != VerdictPass || r.TLS.Address != want {
			t.Errorf("Inspect(%s) = target %q verdict %s via %s, want pass via %s", arg, r.Target, r.Verdict, r.TLS.Address, want)
		}
	}
}

// TestClientAuthOverHTTP2: a server that negotiates h2 and refuses, at the
// HTTP level, a request without a client certificate (403) reads as
// requiring one; the HEAD / goes over HTTP/2.
func TestClientAuthOverHTTP2(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	leaf := testpki.Leaf(t, root, "example.test")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ProtoMajor != 2 || r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}, ClientAuth: tls.RequestClientCert, NextProtos: []string{"h2", "http/1.1"}},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	t.Cleanup(func() { srv.Close() })
	r, err := inspectAddr(t, ln.Addr().String(), Options{Store: trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})})
	if err != nil {
		t.Fatal(err)
	}
	ca := r.TLS.ClientAuth
	if r.TLS.ALPN != "h2" || ca.Mode != "required" || !strings.HasPrefix(ca.HTTPStatus, "403") {
		t.Errorf("alpn %q, client_auth mode %q, http %q; want h2, required, 403", r.TLS.ALPN, ca.Mode, ca.HTTPStatus)
	}
}

// TestClientAuthSenderRoots: against the pagerduty policy's real client
// chains, judged at 2026-06-01 (the 2026 chain under DigiCert Global Root
// G2): a server requiring a client certificate from the seed's DigiCert
// Global Root CA alone fails, with a fix naming the root to add and why;
// one listing only the sender's intermediate warns; one listing DigiCert
// Global Root G2 passes.
func TestClientAuthSenderRoots(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	leaf := testpki.Leaf(t, root, "example.test")
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})
	chains := policy.PagerDuty().ClientAuth.Chains
	seedRoot, g2Root, g2Int := chains[0].Root, chains[len(chains)-1].Root, chains[len(chains)-1].Intermediate
	tests := []struct {
		name   string
		cas    []*x509.Certificate
		status Status
		detail []string
	}{
		{"the seed's root only", []*x509.Certificate{seedRoot}, StatusFail,
			[]string{"CN=DigiCert Global Root CA, which the sender's certificate chained to until January 2024", "add CN=DigiCert Global Root G2", "ssl_client_certificate", "SSLCACertificateFile", "https://cacerts.digicert.com/DigiCertGlobalRootG2.crt.pem"}},
		{"the sender's intermediate only", []*x509.Certificate{g2Int}, StatusWarn, []string{"intermediate CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1 but not its root"}},
		{"DigiCert Global Root G2", []*x509.Certificate{seedRoot, g2Root}, StatusPass, []string{"CN=DigiCert Global Root G2, the root of the sender's certificate, is among them"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool := x509.NewCertPool()
			for _, c := range tt.cas {
				pool.AddCert(c)
			}
			addr := testServer(t, &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MaxVersion: tls.VersionTLS12})
			target, err := ParseTarget(addr)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Inspect(context.Background(), target, Options{Store: store, ServerName: "example.test", Timeout: 5 * time.Second,
				At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(CheckClientAuth)
			text := c.Detail + " fix: " + c.Fix
			if c.Status != tt.status {
				t.Errorf("mtls.client_auth = %s, want %s (%s)", c.Status, tt.status, text)
			}
			for _, want := range tt.detail {
				if !strings.Contains(text, want) {
					t.Errorf("mtls.client_auth says %q, want it to say %q", text, want)
				}
			}
		})
	}
}
