package wire

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// goServer starts a crypto/tls server on 127.0.0.1 and returns its address.
// Its handshakes fail once the client hangs up after the clear-text flight.
func goServer(t testing.TB, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				c.(*tls.Conn).Handshake() // fails when the client hangs up; that is the point
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// ecChain and rsaChain are server certificates with their intermediate.
func ecChain(p *testPKI) tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{p.ecLeaf.Raw, p.inter.Raw}, PrivateKey: p.ecKey}
}

func rsaChain(p *testPKI) tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{p.rsaLeaf.Raw, p.inter.Raw}, PrivateKey: p.rsaKey}
}

// captureFlight sends hello to addr and reads the flight, returning the
// bytes the server sent as well. hello must carry a fixed random and
// session id for the capture to be replayable.
func captureFlight(t testing.TB, addr string, hello *ClientHello) (*ServerFlight, []byte, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer conn.Close()
	msg, err := hello.Marshal()
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write(msg); err != nil {
		t.Fatalf("write client hello: %v", err)
	}
	var got bytes.Buffer
	fl, err := ReadServerFlight(io.TeeReader(conn, &got), hello, Limits{})
	return fl, got.Bytes(), err
}

// handshakeTo dials addr and runs Handshake with a 10-second budget.
func handshakeTo(t testing.TB, addr string, hello *ClientHello) (*ServerFlight, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return Handshake(ctx, conn, hello, Limits{})
}

// goTLS12Hello is what a strict TLS 1.2 sender offers a Go server.
func goTLS12Hello() *ClientHello {
	return &ClientHello{
		Version:              VersionTLS12,
		CipherSuites:         []uint16{0xC02B, 0xC02F, 0x00FF},
		ServerName:           "localhost",
		Groups:               []uint16{GroupX25519, GroupSecp256r1, GroupSecp384r1},
		PointFormats:         []uint8{0},
		SignatureAlgorithms:  []uint16{SchemeECDSAP256SHA256, SchemeRSAPSSRSAESHA256, SchemeRSAPKCS1SHA256, SchemeECDSAP384SHA384},
		ExtendedMasterSecret: true,
		SessionTicket:        true,
		StatusRequest:        true,
		SCTs:                 true,
		ALPN:                 []string{"h2", "http/1.1"},
		Random:               [32]byte{0x12, 0x12},
	}
}

// goTLS13Hello offers TLS 1.3 only, with a fixed random and session id,
// and key shares for the given groups; supported_groups lists the same
// groups unless the caller sets Groups.
func goTLS13Hello(shares ...uint16) *ClientHello {
	return &ClientHello{
		SupportedVersions:   []uint16{VersionTLS13},
		CipherSuites:        []uint16{0x1301, 0x1302, 0x1303},
		ServerName:          "localhost",
		SignatureAlgorithms: []uint16{SchemeECDSAP256SHA256, SchemeRSAPSSRSAESHA256, SchemeEd25519},
		KeyShareGroups:      shares,
		PSKModes:            true,
		Random:              [32]byte{0x13, 0x13},
		SessionID:           bytes.Repeat([]byte{0x5E}, 32),
	}
}

func TestGoServerInterop(t *testing.T) {
	p := getPKI(t)
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(p.clientCA1)
	clientCAs.AddCert(p.clientCA2)
	wantCANames := [][]byte{p.clientCA1.RawSubject, p.clientCA2.RawSubject}

	tests := []struct {
		name      string
		cfg       *tls.Config
		hello     *ClientHello
		version   uint16
		suites    []uint16 // any of these
		chain     [][]byte
		group     uint16
		hrr       bool
		caNames   [][]byte
		wantAlert uint8
	}{
		{
			name:    "TLS 1.2 ECDSA",
			cfg:     &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2"}},
			hello:   goTLS12Hello(),
			version: VersionTLS12, suites: []uint16{0xC02B}, chain: [][]byte{p.ecLeaf.Raw, p.inter.Raw}, group: GroupX25519,
		},
		{
			name:    "TLS 1.2 RSA",
			cfg:     &tls.Config{Certificates: []tls.Certificate{rsaChain(p)}, MinVersion: tls.VersionTLS12},
			hello:   goTLS12Hello(),
			version: VersionTLS12, suites: []uint16{0xC02F}, chain: [][]byte{p.rsaLeaf.Raw, p.inter.Raw}, group: GroupX25519,
		},
		{
			name:    "TLS 1.2 P-256",
			cfg:     &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, MinVersion: tls.VersionTLS12, CurvePreferences: []tls.CurveID{tls.CurveP256}},
			hello:   goTLS12Hello(),
			version: VersionTLS12, suites: []uint16{0xC02B}, chain: [][]byte{p.ecLeaf.Raw, p.inter.Raw}, group: GroupSecp256r1,
		},
		{
			name: "TLS 1.2 client certificate required",
			cfg: &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, MinVersion: tls.VersionTLS12,
				ClientAuth: tls.RequireAnyClientCert, ClientCAs: clientCAs},
			hello:   goTLS12Hello(),
			version: VersionTLS12, suites: []uint16{0xC02B}, chain: [][]byte{p.ecLeaf.Raw, p.inter.Raw}, group: GroupX25519,
			caNames: wantCANames,
		},
		{
			name: "TLS 1.2 client certificate if given",
			cfg: &tls.Config{Certificates: []tls.Certificate{rsaChain(p)}, MinVersion: tls.VersionTLS12,
				ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: clientCAs},
			hello:   goTLS12Hello(),
			version: VersionTLS12, suites: []uint16{0xC02F}, chain: [][]byte{p.rsaLeaf.Raw, p.inter.Raw}, group: GroupX25519,
			caNames: wantCANames,
		},
		{
			name: "TLS 1.3 and 1.2 offered to a TLS 1.2 server",
			cfg:  &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, MaxVersion: tls.VersionTLS12},
			hello: func() *ClientHello {
				h := goTLS13Hello(GroupX25519)
				h.SupportedVersions = []uint16{VersionTLS13, VersionTLS12}
				h.CipherSuites = []uint16{0x1301, 0xC02B}
				h.PointFormats = []uint8{0}
				h.RenegotiationInfo, h.ExtendedMasterSecret = true, true
				return h
			}(),
			version: VersionTLS12, suites: []uint16{0xC02B}, chain: [][]byte{p.ecLeaf.Raw, p.inter.Raw}, group: GroupX25519,
		},
		{
			name:    "TLS 1.3 x25519",
			cfg:     &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, MinVersion: tls.VersionTLS12},
			hello:   goTLS13Hello(GroupX25519),
			version: VersionTLS13, suites: []uint16{0x1301, 0x1302, 0x1303}, group: GroupX25519,
		},
		{
			name:    "TLS 1.3 X25519MLKEM768",
			cfg:     &tls.Config{Certificates: []tls.Certificate{ecChain(p)}},
			hello:   goTLS13Hello(GroupX25519MLKEM768, GroupX25519),
			version: VersionTLS13, suites: []uint16{0x1301, 0x1302, 0x1303}, group: GroupX25519MLKEM768,
		},
		{
			name: "TLS 1.3 server prefers X25519MLKEM768",
			cfg:  &tls.Config{Certificates: []tls.Certificate{ecChain(p)}},
			hello: func() *ClientHello {
				h := goTLS13Hello(GroupX25519)
				h.Groups = []uint16{GroupX25519, GroupX25519MLKEM768}
				return h
			}(),
			version: VersionTLS13, suites: []uint16{0x1301, 0x1302, 0x1303}, group: GroupX25519MLKEM768, hrr: true,
		},
		{
			name:    "TLS 1.3 P-384",
			cfg:     &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, CurvePreferences: []tls.CurveID{tls.CurveP384}},
			hello:   goTLS13Hello(GroupSecp384r1),
			version: VersionTLS13, suites: []uint16{0x1301, 0x1302, 0x1303}, group: GroupSecp384r1,
		},
		{
			name: "TLS 1.3 hello retry request",
			cfg:  &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, CurvePreferences: []tls.CurveID{tls.X25519}},
			hello: func() *ClientHello {
				h := goTLS13Hello(GroupSecp256r1)
				h.Groups = []uint16{GroupSecp256r1, GroupX25519}
				return h
			}(),
			version: VersionTLS13, suites: []uint16{0x1301, 0x1302, 0x1303}, group: GroupX25519, hrr: true,
		},
		{
			name: "no shared cipher suite",
			cfg:  &tls.Config{Certificates: []tls.Certificate{rsaChain(p)}, MinVersion: tls.VersionTLS12},
			hello: func() *ClientHello {
				h := goTLS12Hello()
				h.CipherSuites = []uint16{0x0005, 0x0039, 0x009F, 0xC032}
				return h
			}(),
			wantAlert: AlertHandshakeFailure,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := goServer(t, tt.cfg)
			fl, err := handshakeTo(t, addr, tt.hello)
			if tt.wantAlert != 0 {
				var ae *AlertError
				if !errors.As(err, &ae) || ae.Description != tt.wantAlert || ae.Level != 2 {
					t.Fatalf("Handshake() = %+v, %v, want fatal alert %s", fl, err, AlertName(tt.wantAlert))
				}
				return
			}
			if err != nil {
				t.Fatalf("Handshake() error = %v", err)
			}
			if fl.Version != tt.version {
				t.Errorf("Handshake() Version = %s, want %s", VersionName(fl.Version), VersionName(tt.version))
			}
			if !slices.Contains(tt.suites, fl.CipherSuite) {
				t.Errorf("Handshake() CipherSuite = %s, want one of %x", SuiteName(fl.CipherSuite), tt.suites)
			}
			if fl.HelloRetryRequest != tt.hrr {
				t.Errorf("Handshake() HelloRetryRequest = %v, want %v", fl.HelloRetryRequest, tt.hrr)
			}
			if !slices.EqualFunc(fl.Certificates, tt.chain, bytes.Equal) {
				t.Errorf("Handshake() Certificates = %d entries, want the %d configured", len(fl.Certificates), len(tt.chain))
			}
			if !slices.EqualFunc(caNames(fl), tt.caNames, bytes.Equal) {
				t.Errorf("Handshake() CANames = %q, want %q", caNames(fl), tt.caNames)
			}
			if tt.version == VersionTLS13 {
				if fl.SelectedGroup != tt.group || fl.Complete {
					t.Errorf("Handshake() SelectedGroup = %s, Complete = %v, want %s, false", GroupName(fl.SelectedGroup), fl.Complete, GroupName(tt.group))
				}
				return
			}
			if !fl.Complete {
				t.Errorf("Handshake() Complete = false, want true")
			}
			kx := fl.KeyExchange
			if kx == nil || kx.Kind != "ECDHE" || kx.Group != tt.group || !slices.Contains(tt.hello.SignatureAlgorithms, kx.SignatureAlgorithm) {
				t.Errorf("Handshake() KeyExchange = %+v, want ECDHE over %s signed with an offered algorithm", kx, GroupName(tt.group))
			}
			if !fl.RenegotiationInfo || !fl.ExtendedMasterSecret {
				t.Errorf("Handshake() RenegotiationInfo, ExtendedMasterSecret = %v, %v, want true, true", fl.RenegotiationInfo, fl.ExtendedMasterSecret)
			}
		})
	}
}

// caNames returns the flight's CertificateRequest CA names, or nil.
func caNames(fl *ServerFlight) [][]byte {
	if fl.CertificateRequest == nil {
		return nil
	}
	return fl.CertificateRequest.CANames
}

func TestGoServerALPN(t *testing.T) {
	p := getPKI(t)
	addr := goServer(t, &tls.Config{Certificates: []tls.Certificate{ecChain(p)}, NextProtos: []string{"http/1.1"}})
	fl, err := handshakeTo(t, addr, goTLS12Hello())
	if err != nil {
		t.Fatalf("Handshake() error = %v", err)
	}
	if fl.ALPN != "http/1.1" {
		t.Errorf("Handshake() ALPN = %q, want %q", fl.ALPN, "http/1.1")
	}
}

func TestGoServerCapture(t *testing.T) {
	p := getPKI(t)
	addr := goServer(t, &tls.Config{Certificates: []tls.Certificate{ecChain(p)}})
	for _, hello := range []*ClientHello{goTLS12Hello(), goTLS13Hello(GroupX25519)} {
		fl, raw, err := captureFlight(t, addr, hello)
		if err != nil {
			t.Fatalf("captureFlight() error = %v", err)
		}
		// Replaying the captured bytes gives the same flight.
		again, err := ReadServerFlight(bytes.NewReader(raw), hello, Limits{})
		if err != nil {
			t.Fatalf("ReadServerFlight(replay) error = %v", err)
		}
		if again.Version != fl.Version || again.CipherSuite != fl.CipherSuite || len(again.Certificates) != len(fl.Certificates) {
			t.Errorf("ReadServerFlight(replay) = %+v, want %+v", again, fl)
		}
	}
}
