package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/internal/e2e"
	"chainscope/internal/otpsender"
	"chainscope/internal/testpki"
)

// TestClientAuthSignatureAlgorithms: a TLS 1.2 CertificateRequest whose
// supported_signature_algorithms hold nothing the sender's RSA client key
// signs with (RFC 5246 §7.4.8) leaves the sender unable to send its
// CertificateVerify, whatever CAs it lists: required → fail, optional →
// warn; a list with an RSA PKCS#1 scheme, or none known (TLS 1.3), is
// judged by its CAs alone.
func TestClientAuthSignatureAlgorithms(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	pol := policy.PagerDuty()
	roots := pol.ClientAuth.RootNames(at)
	ecdsaOnly := []string{"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384"}
	tests := []struct {
		name   string
		ca     ClientAuth
		want   Status
		detail string
	}{
		{"required, ECDSA only", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: roots, SignatureAlgorithms: ecdsaOnly}, StatusFail, "cannot prove its certificate"},
		{"optional, ECDSA only", ClientAuth{Requested: true, Mode: "optional", AcceptableCAs: roots, SignatureAlgorithms: ecdsaOnly}, StatusWarn, "not authenticated"},
		{"required, RSA among them", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: roots, SignatureAlgorithms: append(ecdsaOnly, "rsa_pkcs1_sha256")}, StatusPass, ""},
		{"required, SHA-1 RSA only", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: roots, SignatureAlgorithms: []string{"rsa_pkcs1_sha1"}}, StatusPass, ""},
		{"required, RSA-PSS only", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: roots, SignatureAlgorithms: []string{"rsa_pss_rsae_sha256"}}, StatusFail, "cannot prove"},
		{"required, no list (TLS 1.3)", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: roots}, StatusPass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := clientAuthCheck(pol, &TLSInfo{ClientAuth: tt.ca}, at)
			if c.Status != tt.want || !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("clientAuthCheck(%s) = %s %q, want %s saying %q", tt.name, c.Status, c.Detail, tt.want, tt.detail)
			}
			if tt.want != StatusPass && !strings.Contains(c.Fix, "`ssl_conf_command ClientSignatureAlgorithms ") {
				t.Errorf("clientAuthCheck(%s).Fix = %q, want the nginx line", tt.name, c.Fix)
			}
		})
	}
}

// TestClientSignatureAlgorithmsLive: an s_server that requires a client
// certificate, lists the sender's root (DigiCert Global Root G2) and
// trusts the OTP client's stand-in, but accepts ECDSA client signatures
// only: the sender's RSA key cannot sign its CertificateVerify and OTP's
// handshake fails, so mtls.client_auth fails; with the fix's RSA schemes
// added, it passes and OTP delivers.
func TestClientSignatureAlgorithmsLive(t *testing.T) {
	t.Parallel()
	e2e.NeedTool(t, "openssl")
	p := newE2EPKI(t)
	otp := startOTP(t)
	clientRoot := testpki.Root(t, "Signature Client Root", testpki.RSA(2048))
	client := testpki.Leaf(t, clientRoot, "webhooks.pagerduty.com", testpki.RSA(2048), testpki.ClientAuth())
	clientPEM := writeFile(t, p.dir, "sig-client.pem", testpki.PEM(client))
	clientKey := writeFile(t, p.dir, "sig-client.key", testpki.KeyPEM(t, client))
	g2, err := os.ReadFile(filepath.Join("policy", "clientcerts", "digicert-global-root-g2.pem"))
	if err != nil {
		t.Fatal(err)
	}
	caFile := writeFile(t, p.dir, "sig-ca.pem", append(append([]byte{}, g2...), testpki.PEM(clientRoot)...))
	tests := []struct {
		name    string
		sigalgs string
		want    Status
	}{
		{"ECDSA only", "ECDSA+SHA256:ECDSA+SHA384", StatusFail},
		{"RSA added", "ECDSA+SHA256:ECDSA+SHA384:RSA+SHA512:RSA+SHA384:RSA+SHA256", StatusPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := sServer(t, p, "-cert_chain", p.interPEM, "-no_tls1_3", "-www", "-Verify", "3", "-verify_return_error",
				"-CAfile", caFile, "-client_sigalgs", tt.sigalgs)
			r, err := inspectAddr(t, addr, Options{Store: p.store})
			if err != nil {
				t.Fatalf("Inspect(%s) error = %v", addr, err)
			}
			if c, _ := r.Check(CheckClientAuth); c.Status != tt.want {
				t.Errorf("mtls.client_auth = %s (%s), want %s", c.Status, c.Detail, tt.want)
			}
			otp.agrees(t, r, otpsender.Options{Addr: addr, ServerName: "example.test", CAFile: p.rootPEM, CertFile: clientPEM, KeyFile: clientKey}, "")
		})
	}
}
