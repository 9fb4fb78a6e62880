package inspect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/impostor"
	"chainscope/inspect/policy"
	"chainscope/internal/testpki"
)

// TestCheckClientVerificationStalled: a server that stalls once a client
// presents a certificate (overloaded, or a proxy that never answers) has
// refused no one: mtls check is an error that says it could not tell,
// never a report whose impostor checks pass on handshakes that timed out.
func TestCheckClientVerificationStalled(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Stall Root")
	inter := testpki.Intermediate(t, root, "Stall CA")
	srv := testpki.Leaf(t, testpki.Root(t, "Stall Server Root"), "stall.test")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); ln.Close() })
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srv.Cert.Raw}, PrivateKey: srv.Key}},
		ClientAuth:   tls.RequestClientCert,
		MaxVersion:   tls.VersionTLS12,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) > 0 {
				<-stop // a certificate: never answer
			}
			return nil
		},
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tc := tls.Server(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				buf := make([]byte, 4096)
				_, _ = tc.Read(buf)
				_, _ = tc.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			}()
		}
	}()
	pol := policy.PagerDuty()
	pol.ClientAuth = policy.ClientAuth{VerifyDepth: 2, Chains: []policy.ClientChain{
		{Name: "test", Region: "US", CN: "webhooks.test", Intermediate: inter.Cert, Root: root.Cert}}}
	target, err := ParseTarget(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	cc := ClientCheck{StandIn: impostor.CA{Chain: []*x509.Certificate{inter.Cert, root.Cert}, Key: inter.Key}, Path: "/webhook"}
	r, err := CheckClientVerification(context.Background(), target, Options{Policy: pol, Timeout: 500 * time.Millisecond}, cc)
	if err == nil || r.Verdict != VerdictError || !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "cannot tell") {
		t.Errorf("CheckClientVerification() = %s, %v; want an error, matching ErrTimeout, that says it cannot tell\n%s", r.Verdict, err, checkSummary(r))
	}
}

// checkSummary lists a report's checks that are not skipped, for a
// test's message.
func checkSummary(r Report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		if c.Status != StatusSkip {
			b.WriteString(string(c.Status) + " " + c.ID + ": " + c.Detail + "\n")
		}
	}
	return b.String()
}

// TestCheckClientVerificationSilent: a server that accepts the connection
// and never answers is an error naming the handshake bound.
func TestCheckClientVerificationSilent(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Silent Root")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-stop; c.Close() }()
		}
	}()
	pol := policy.PagerDuty()
	pol.ClientAuth = policy.ClientAuth{VerifyDepth: 1, Chains: []policy.ClientChain{{Name: "test", Region: "US", CN: "webhooks.test", Root: root.Cert}}}
	target, err := ParseTarget(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	cc := ClientCheck{StandIn: impostor.CA{Chain: []*x509.Certificate{root.Cert}, Key: root.Key}}
	r, err := CheckClientVerification(context.Background(), target, Options{Policy: pol, Timeout: 300 * time.Millisecond}, cc)
	if err == nil || r.Verdict != VerdictError || !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "no TLS 1.2 handshake within 300ms") {
		t.Errorf("CheckClientVerification() = %s, %v; want an error naming the 300ms handshake bound", r.Verdict, err)
	}
}
