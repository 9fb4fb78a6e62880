package inspect

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/internal/e2e"
	"chainscope/internal/otpsender"
	"chainscope/internal/testpki"
)

// TestRenegotiatedClientAuth: an Apache whose SSLVerifyClient require sits
// in a per-directory context asks for no client certificate in the
// handshake, but renegotiates once it has read the request and asks then
// (at TLS 1.3 it refuses the request with 403 instead, a client offering
// no post-handshake authentication). The sender's OTP client follows the
// renegotiation and is refused unless the server trusts its root: a
// required request whose CA list leaves out the sender's root fails
// mtls.client_auth, and --client-cert is judged by the request over the
// renegotiation (sender-model.md section 4).
func TestRenegotiatedClientAuth(t *testing.T) {
	t.Parallel()
	p := newE2EPKI(t)
	otp := startOTP(t)
	standIn, standInKey := senderStandIn(t, p.dir)
	clientRoot := testpki.Root(t, "Renegotiation Client Root", testpki.RSA(2048))
	client := testpki.Leaf(t, clientRoot, "webhooks.pagerduty.com", testpki.RSA(2048), testpki.ClientAuth())
	clientPEM := writeFile(t, p.dir, "reneg-client.pem", testpki.PEM(client))
	clientKeyPEM := writeFile(t, p.dir, "reneg-client.key", testpki.KeyPEM(t, client))
	clientCert, err := tls.X509KeyPair(testpki.PEM(client), testpki.KeyPEM(t, client))
	if err != nil {
		t.Fatal(err)
	}
	caFile := writeFile(t, p.dir, "reneg-ca.pem", testpki.PEM(clientRoot))
	www := t.TempDir()
	for d := www; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()+"/"); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil { // Apache serves as nobody
			t.Fatal(err)
		}
	}
	apache := func(protocols string) string {
		port := e2e.FreePort(t)
		return e2e.StartApache(t, port, fmt.Sprintf(`Listen 127.0.0.1:%[1]d
<VirtualHost 127.0.0.1:%[1]d>
  SSLEngine on
  SSLCertificateFile %[2]s
  SSLCertificateKeyFile %[3]s
  SSLCACertificateFile %[4]s
  SSLProtocol -all %[5]s
  DocumentRoot %[6]s
  <Location />
    SSLVerifyClient require
    SSLVerifyDepth 2
  </Location>
</VirtualHost>`, port, p.chainPEM, p.keyPEM, caFile, protocols, www))
	}
	tls12, tls13 := apache("+TLSv1.2"), apache("+TLSv1.2 +TLSv1.3")
	tests := []struct {
		name     string
		addr     string
		cert     *tls.Certificate
		want     Status
		otpCert  string
		otpKey   string
		accepted bool
	}{
		{"TLS 1.2, sender's root not trusted", tls12, nil, StatusFail, standIn, standInKey, false},
		{"TLS 1.2 and 1.3, sender's root not trusted", tls13, nil, StatusFail, standIn, standInKey, false},
		{"--client-cert trusted", tls12, &clientCert, StatusPass, clientPEM, clientKeyPEM, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := inspectAddr(t, tt.addr, Options{Store: p.store, ClientCertificate: tt.cert})
			if err != nil {
				t.Fatalf("Inspect(%s) error = %v", tt.addr, err)
			}
			ca := r.TLS.ClientAuth
			if !ca.Requested || !ca.Renegotiated || ca.Mode != "required" {
				t.Errorf("client_auth = requested %v, renegotiated %v, mode %q; want true, true, required", ca.Requested, ca.Renegotiated, ca.Mode)
			}
			if c, _ := r.Check(CheckClientAuth); c.Status != tt.want || !strings.Contains(c.Detail, "renegotiation") {
				t.Errorf("mtls.client_auth = %s %q, want %s saying renegotiation", c.Status, c.Detail, tt.want)
			}
			if tt.cert != nil && ca.Accepted != tt.accepted {
				t.Errorf("client_auth.accepted = %v, want %v (%s)", ca.Accepted, tt.accepted, ca.AcceptError)
			}
			otp.agrees(t, r, otpsender.Options{Addr: tt.addr, ServerName: "example.test", CAFile: p.rootPEM, CertFile: tt.otpCert, KeyFile: tt.otpKey}, "")
		})
	}
}
