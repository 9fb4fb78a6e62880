package inspect

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/ocsp"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/inspect/wire"
	"chainscope/internal/e2e"
	"chainscope/internal/hostile"
	"chainscope/internal/otpsender"
	"chainscope/internal/testpki"
)

// senderPKI is the fleet's certificates: the servers' RSA hierarchy (root,
// intermediate, leaves for example.test), an ECDSA leaf for the dual-key
// server, and the sender's client hierarchy (its own root and intermediate,
// a client certificate CN=webhooks.test), all written to files for the
// outside servers and the OTP client.
type senderPKI struct {
	*e2ePKI
	ecLeaf, kuLeaf, bigLeaf       *testpki.Cert
	senderRoot, senderInt, client *testpki.Cert
	otherRoot                     *testpki.Cert
	ecLeafPEM, ecKeyPEM           string
	kuChainPEM, kuKeyPEM          string
	bigChainPEM, bigKeyPEM        string
	clientChainPEM, clientKeyPEM  string
	senderRootPEM, otherRootPEM   string
	revokedOCSP                   string
	policy                        *policy.Policy
	clientTLS                     tls.Certificate
	clientPool, otherPool         *x509.CertPool
	serverChain                   [][]byte
	serverKey, otherServerKey     *rsa.PrivateKey
}

func newSenderPKI(t *testing.T) *senderPKI {
	t.Helper()
	p := &senderPKI{e2ePKI: newE2EPKI(t)}
	write := func(name string, data []byte) string {
		f := filepath.Join(p.dir, name)
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	keyPEM := func(c *testpki.Cert) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(c.Key)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	p.ecLeaf = testpki.Leaf(t, p.inter, "example.test")
	p.ecLeafPEM, p.ecKeyPEM = write("ec-chain.pem", testpki.PEM(p.ecLeaf, p.inter)), write("ec.key", keyPEM(p.ecLeaf))
	p.kuLeaf = testpki.Leaf(t, p.inter, "example.test", testpki.RSA(2048), testpki.KeyUsage(x509.KeyUsageKeyEncipherment))
	p.kuChainPEM, p.kuKeyPEM = write("ku-chain.pem", testpki.PEM(p.kuLeaf, p.inter)), write("ku.key", keyPEM(p.kuLeaf))
	// 10,000 names make a Certificate message of about 280 KB, over the
	// sender's 256 KiB (the measured case).
	names := make([]string, 10000)
	for i := range names {
		names[i] = fmt.Sprintf("receiver-%05d.example.test", i)
	}
	names[0] = "example.test"
	p.bigLeaf = testpki.Leaf(t, p.inter, "example.test", testpki.RSA(2048), testpki.DNS(names...))
	p.bigChainPEM, p.bigKeyPEM = write("big-chain.pem", testpki.PEM(p.bigLeaf, p.inter)), write("big.key", keyPEM(p.bigLeaf))

	p.senderRoot = testpki.Root(t, "Sender Root", testpki.RSA(2048))
	p.senderInt = testpki.Intermediate(t, p.senderRoot, "Sender Int", testpki.RSA(2048))
	p.client = testpki.Leaf(t, p.senderInt, "webhooks.test", testpki.RSA(2048), testpki.ClientAuth())
	p.clientChainPEM, p.clientKeyPEM = write("client-chain.pem", testpki.PEM(p.client, p.senderInt)), write("client.key", keyPEM(p.client))
	p.senderRootPEM = write("sender-root.pem", testpki.PEM(p.senderRoot))
	p.otherRoot = testpki.Root(t, "Other Client Root", testpki.RSA(2048))
	p.otherRootPEM = write("other-root.pem", testpki.PEM(p.otherRoot))
	p.clientTLS = tls.Certificate{Certificate: [][]byte{p.client.Cert.Raw, p.senderInt.Cert.Raw}, PrivateKey: p.client.Key}
	p.clientPool, p.otherPool = x509.NewCertPool(), x509.NewCertPool()
	p.clientPool.AddCert(p.senderRoot.Cert)
	p.otherPool.AddCert(p.otherRoot.Cert)
	p.serverChain = [][]byte{p.leaf.Cert.Raw, p.inter.Cert.Raw}
	p.serverKey = p.leaf.Key.(*rsa.PrivateKey)
	p.otherServerKey = testpki.Leaf(t, p.inter, "example.test", testpki.RSA(2048)).Key.(*rsa.PrivateKey)

	// The pagerduty policy, but with the test sender's client chain.
	p.policy = policy.PagerDuty()
	p.policy.ClientAuth.Chains = []policy.ClientChain{{Name: "test", Region: "US", CN: "webhooks.test", From: testpki.Epoch,
		Leaf: p.client.Cert, Intermediate: p.senderInt.Cert, Root: p.senderRoot.Cert, Source: "test"}}

	// A stapled OCSP response saying the leaf is revoked.
	der, err := ocsp.CreateResponse(p.inter.Cert, p.inter.Cert, ocsp.Response{Status: ocsp.Revoked, SerialNumber: p.leaf.Cert.SerialNumber,
		ThisUpdate: time.Now().Add(-time.Hour), NextUpdate: time.Now().Add(7 * 24 * time.Hour), RevokedAt: time.Now().Add(-24 * time.Hour),
		RevocationReason: ocsp.KeyCompromise}, p.inter.Key)
	if err != nil {
		t.Fatal(err)
	}
	p.revokedOCSP = write("revoked.ocsp", der)
	return p
}

// fleetServer is one server of the fleet, what chainscope must find, and
// how the sender's own stack fares.
type fleetServer struct {
	name string
	// start starts the server and returns its address.
	start func(t *testing.T, p *senderPKI) string
	// servername is sent as SNI (default example.test).
	servername string
	// opts adjusts the inspection (--ciphers, --client-cert).
	opts func(*Options, *senderPKI)
	// verdict is chainscope's expected verdict; want the checks' statuses.
	verdict Verdict
	want    map[string]Status
	// check makes more assertions on the report.
	check func(t *testing.T, r Report, err error)
	// otpDiffers, when set, is the documented reason the OTP client's
	// outcome differs from chainscope's verdict on this server.
	otpDiffers string
}

// senderFleet lists the servers of the cases, each as an operator
// would run it, or as a hand-built flight where no TLS library serves it.
func senderFleet() []fleetServer {
	sServerArgs := func(p *senderPKI, args ...string) []string {
		return append([]string{"-cert_chain", p.interPEM}, args...)
	}
	openssl := func(args func(p *senderPKI) []string) func(t *testing.T, p *senderPKI) string {
		return func(t *testing.T, p *senderPKI) string { return sServer(t, p.e2ePKI, args(p)...) }
	}
	scripted := func(s func(p *senderPKI) hostile.Scenario) func(t *testing.T, p *senderPKI) string {
		return func(t *testing.T, p *senderPKI) string {
			addr, stop, err := hostile.Listen(s(p))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			return addr
		}
	}
	front := func(mk func(backend string) hostile.Scenario) func(t *testing.T, p *senderPKI) string {
		return func(t *testing.T, p *senderPKI) string {
			backend := sServer(t, p.e2ePKI, "-cert_chain", p.interPEM)
			return scripted(func(*senderPKI) hostile.Scenario { return mk(backend) })(t, p)
		}
	}
	prime := func(bits int) *big.Int {
		n, err := rand.Prime(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		return n
	}
	goServer := func(cfg func(t *testing.T, p *senderPKI) *tls.Config) func(t *testing.T, p *senderPKI) string {
		return func(t *testing.T, p *senderPKI) string { return e2e.ServeTLS(t, "127.0.0.1:0", cfg(t, p)) }
	}
	withCiphers := func(o *Options, _ *senderPKI) { o.Ciphers = true }
	withClientCert := func(o *Options, p *senderPKI) { o.ClientCertificate = &p.clientTLS }
	order := func(v, want string) func(t *testing.T, r Report, err error) {
		return func(t *testing.T, r Report, err error) {
			if e := r.TLS.CipherEnumeration[v]; !e.Complete || e.Order != want {
				t.Errorf("cipher_enumeration[%s] = %+v, want complete, order %q (accepted %v)", v, e, want, r.TLS.AcceptedCipherSuites[v])
			}
		}
	}
	return []fleetServer{
		{name: "baseline", start: openssl(func(p *senderPKI) []string { return sServerArgs(p) }),
			verdict: VerdictPass, want: map[string]Status{CheckHandshake: StatusPass, CheckKeyExchange: StatusPass, CheckOCSP: StatusInfo, CheckClientAuth: StatusInfo}},
		{name: "dual rsa and ecdsa", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-dcert", p.ecLeafPEM, "-dkey", p.ecKeyPEM, "-dcert_chain", p.interPEM, "-no_tls1_3")
		}), verdict: VerdictPass, want: map[string]Status{CheckCipher: StatusPass, CheckKeyExchange: StatusPass},
			check: func(t *testing.T, r Report, _ error) {
				if r.TLS.CipherSuite != "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" || r.Chain[0].KeyType != "ECDSA" {
					t.Errorf("suite %s with a %s leaf, want the policy's first, ECDHE_ECDSA, with the ECDSA leaf", r.TLS.CipherSuite, r.Chain[0].KeyType)
				}
			}},
		{name: "key usage without digitalSignature", start: openssl(func(p *senderPKI) []string {
			return []string{"-cert", p.kuChainPEM, "-key", p.kuKeyPEM, "-cert_chain", p.interPEM, "-no_tls1_3", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}
		}), verdict: VerdictPass, want: map[string]Status{CheckKeyExchange: StatusWarn}},
		{name: "dh 480 bits", start: scripted(func(p *senderPKI) hostile.Scenario {
			return hostile.DHE("dh-480", p.serverChain, p.serverKey, prime(480))
		}),
			verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckKeyExchange: StatusFail, CheckHandshake: StatusPass}},
		{name: "dh 512 bits", start: scripted(func(p *senderPKI) hostile.Scenario {
			return hostile.DHE("dh-512", p.serverChain, p.serverKey, prime(512))
		}),
			verdict: VerdictPass, want: map[string]Status{CheckKeyExchange: StatusWarn, CheckHandshake: StatusPass}},
		{name: "dh 1024 bits (nginx)", start: func(t *testing.T, p *senderPKI) string {
			return startNginx(t, p.e2ePKI, fmt.Sprintf(`ssl_certificate %s; ssl_certificate_key %s; ssl_protocols TLSv1.2;
    ssl_conf_command CipherString DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0;
    ssl_conf_command DHParameters %s;
    location / { return 204; }`, p.chainPEM, p.keyPEM, writeDHParams(t, p.dir)))
		}, verdict: VerdictPass, want: map[string]Status{CheckKeyExchange: StatusWarn},
			check: func(t *testing.T, r Report, _ error) {
				if kx := r.TLS.ServerKeyExchange; kx == nil || kx.DHBits != 1024 || kx.Signature != "valid" {
					t.Errorf("server_key_exchange = %+v, want DHE 1024 bits, signature valid", kx)
				}
			}},
		{name: "secp256k1 only", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-no_tls1_3", "-curves", "secp256k1", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
		}), verdict: VerdictPass, want: map[string]Status{CheckCipher: StatusPass, CheckKeyExchange: StatusWarn},
			check: func(t *testing.T, r Report, _ error) {
				if r.TLS.KeyExchange != "ECDHE secp256k1" {
					t.Errorf("key_exchange = %q, want ECDHE secp256k1", r.TLS.KeyExchange)
				}
			}},
		// X25519 alone: OTP's TLS 1.2 hello offers no X25519 and the
		// handshake fails, while Go's negotiates a policy suite: the fix
		// is the groups line, not ssl_ciphers.
		{name: "X25519 only", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-no_tls1_3", "-curves", "X25519", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
		}), verdict: VerdictFail, want: map[string]Status{CheckCipher: StatusFail},
			check: func(t *testing.T, r Report, _ error) {
				c, _ := r.Check(CheckCipher)
				if !strings.Contains(c.Detail, "not the suites") || !strings.Contains(c.Fix, "ssl_ecdh_curve") || strings.Contains(c.Fix, "ssl_ciphers") {
					t.Errorf("tls.cipher %q, fix %q; want the groups named as the cause and the ssl_ecdh_curve line, no ssl_ciphers", c.Detail, c.Fix)
				}
			}},
		{name: "key of another certificate", start: goServer(func(t *testing.T, p *senderPKI) *tls.Config {
			other := testpki.Leaf(t, p.inter, "example.test", testpki.RSA(2048))
			return &tls.Config{Certificates: []tls.Certificate{{Certificate: p.serverChain, PrivateKey: other.Key}}, MaxVersion: tls.VersionTLS12}
		}), verdict: VerdictFail, want: map[string]Status{CheckCipher: StatusPass, CheckKeyExchange: StatusFail}},
		{name: "ServerKeyExchange signed by another key (hand-built flight)", start: scripted(func(p *senderPKI) hostile.Scenario {
			return hostile.ForeignKeyExchange("foreign-key", p.serverChain, p.otherServerKey)
		}), verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHandshake: StatusPass, CheckKeyExchange: StatusFail},
			check: func(t *testing.T, r Report, _ error) {
				c, _ := r.Check(CheckKeyExchange)
				if kx := r.TLS.ServerKeyExchange; kx == nil || kx.Signature != "invalid" || !strings.Contains(c.Detail, "decrypt_error") || !strings.Contains(c.Fix, "ssl_certificate_key") {
					t.Errorf("server_key_exchange = %+v, tls.key_exchange %q (fix %q); want the signature invalid, decrypt_error named, the key file to mend", kx, c.Detail, c.Fix)
				}
			}},
		{name: "alert after ServerKeyExchange", start: scripted(func(p *senderPKI) hostile.Scenario {
			return hostile.AlertAfterKeyExchange("alert", p.serverChain, p.serverKey, 80, false)
		}), verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHandshake: StatusFail, CheckKeyExchange: StatusPass},
			check: alertKept},
		{name: "alert after ServerKeyExchange, TLS 1.3 too", start: scripted(func(p *senderPKI) hostile.Scenario {
			return hostile.AlertAfterKeyExchange("alert13", p.serverChain, p.serverKey, 80, true)
		}), verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass, CheckOrder: StatusPass, CheckHandshake: StatusFail},
			check: func(t *testing.T, r Report, err error) {
				alertKept(t, r, err)
				if !r.TLS.Versions["TLS 1.3"] {
					t.Errorf("versions = %v, want TLS 1.3 too", r.TLS.Versions)
				}
			}},
		{name: "128-suite limit", start: front(func(b string) hostile.Scenario { return hostile.SuiteLimit("limit", b, 128) }),
			opts: withCiphers, verdict: VerdictPass, want: map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass},
			check: func(t *testing.T, r Report, _ error) {
				if !r.TLS.Versions["TLS 1.2"] || !r.TLS.Versions["TLS 1.3"] || len(r.TLS.AcceptedCipherSuites["TLS 1.2"]) == 0 || !r.TLS.CipherEnumeration["TLS 1.2"].Complete {
					t.Errorf("versions %v, TLS 1.2 suites %v (%+v), want TLS 1.2 and 1.3 and a complete list", r.TLS.Versions, r.TLS.AcceptedCipherSuites["TLS 1.2"], r.TLS.CipherEnumeration["TLS 1.2"])
				}
			}},
		{name: "256-511-byte hang", start: front(func(b string) hostile.Scenario { return hostile.HelloSizeHang("hang", b) }),
			opts: withCiphers, verdict: VerdictPass, want: map[string]Status{CheckProtocol: StatusPass},
			check: func(t *testing.T, r Report, _ error) {
				if !r.TLS.Versions["TLS 1.2"] || !r.TLS.Versions["TLS 1.3"] || !r.TLS.CipherEnumeration["TLS 1.2"].Complete {
					t.Errorf("versions %v, enumeration %+v, want TLS 1.2 and 1.3, complete", r.TLS.Versions, r.TLS.CipherEnumeration)
				}
			}},
		{name: "256-511-byte hang, the sender's hello in range", start: front(func(b string) hostile.Scenario { return hostile.HelloSizeHang("hang", b) }),
			servername: "a-rather-long-webhook-receiver-name.example.test", verdict: VerdictError,
			check: func(t *testing.T, r Report, err error) {
				var he *HandshakeError
				if !errors.As(err, &he) || !he.OthersAnswered || !errors.Is(err, ErrTimeout) {
					t.Errorf("error = %v, want a *HandshakeError (timed out, other hellos answered)", err)
				}
			}},
		{name: "server order, chacha20 first for clients that prefer it", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-serverpref", "-prioritize_chacha", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA")
		}), opts: withCiphers, verdict: VerdictPass, check: order("TLS 1.2", orderServerChaCha)},
		{name: "server order", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-serverpref", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA")
		}), opts: withCiphers, verdict: VerdictPass, check: order("TLS 1.2", orderServer)},
		{name: "client order", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA")
		}), opts: withCiphers, verdict: VerdictPass, check: order("TLS 1.2", orderClient)},
		// A CA list that leaves out the sender's chains is what the server
		// advertises: a throwaway certificate from a CA it cannot know
		// shows whether it verifies the issuer (sender-model.md section 4).
		{name: "nginx ssl_verify_client on, another CA", start: func(t *testing.T, p *senderPKI) string {
			return startNginx(t, p.e2ePKI, nginxClientAuth(p, "on", p.otherRootPEM))
		}, verdict: VerdictFail, want: map[string]Status{CheckClientAuth: StatusFail}, check: unknownCA("required", true)},
		{name: "nginx ssl_verify_client optional, another CA", start: func(t *testing.T, p *senderPKI) string {
			return startNginx(t, p.e2ePKI, nginxClientAuth(p, "optional", p.otherRootPEM))
		}, verdict: VerdictFail, want: map[string]Status{CheckClientAuth: StatusFail}, check: unknownCA("optional", true)},
		{name: "nginx ssl_verify_client optional_no_ca, another CA", start: func(t *testing.T, p *senderPKI) string {
			return startNginx(t, p.e2ePKI, nginxClientAuth(p, "optional_no_ca", p.otherRootPEM))
		}, verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusWarn}, check: unknownCA("optional", false)},
		// s_server's -Verify without -verify_return_error refuses a client
		// without a certificate and lets any certificate through.
		{name: "s_server -Verify without -verify_return_error, another CA", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-Verify", "2", "-CAfile", p.otherRootPEM, "-no_tls1_3")
		}), verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusWarn}, check: unknownCA("required", false)},
		{name: "s_server -Verify -verify_return_error, another CA", start: openssl(func(p *senderPKI) []string {
			return sServerArgs(p, "-Verify", "2", "-CAfile", p.otherRootPEM, "-verify_return_error", "-no_tls1_3")
		}), verdict: VerdictFail, want: map[string]Status{CheckClientAuth: StatusFail}, check: unknownCA("required", true)},
		{name: "Go RequireAnyClientCert, another CA listed", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{tlsCert(p.leaf, p.inter)}, ClientAuth: tls.RequireAnyClientCert, ClientCAs: p.otherPool, MaxVersion: tls.VersionTLS12}
		}), verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusWarn}, check: unknownCA("required", false)},
		{name: "Go RequireAndVerifyClientCert, another CA", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{tlsCert(p.leaf, p.inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.otherPool, MaxVersion: tls.VersionTLS12}
		}), verdict: VerdictFail, want: map[string]Status{CheckClientAuth: StatusFail}, check: unknownCA("required", true)},
		{name: "nginx ssl_verify_client on, the sender's CA", start: func(t *testing.T, p *senderPKI) string {
			return startNginx(t, p.e2ePKI, nginxClientAuth(p, "on", p.senderRootPEM))
		}, verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusPass}, check: mode("required")},
		{name: "aborts without a client certificate", start: func(t *testing.T, p *senderPKI) string {
			return serveAbortWithoutCert(t, &tls.Config{Certificates: []tls.Certificate{tlsCert(p.leaf, p.inter)}, ClientAuth: tls.RequestClientCert, MaxVersion: tls.VersionTLS12})
		}, verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusWarn}, check: mode("required")},
		{name: "--client-cert accepted", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{tlsCert(p.leaf, p.inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.clientPool, MaxVersion: tls.VersionTLS12}
		}), opts: withClientCert, verdict: VerdictPass, want: map[string]Status{CheckClientAuth: StatusPass}},
		{name: "--client-cert refused", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{tlsCert(p.leaf, p.inter)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.otherPool, MaxVersion: tls.VersionTLS12}
		}), opts: withClientCert, verdict: VerdictFail, want: map[string]Status{CheckClientAuth: StatusFail}},
		// [intermediate, leaf]: the sender takes position 0 as the
		// server's certificate (sender-model.md section 3), so the host name
		// is judged there, and a reorder cannot help when the server's key
		// belongs to the intermediate.
		{name: "a CA certificate first, with its key", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{p.inter.Cert.Raw, p.leaf.Cert.Raw}, PrivateKey: p.inter.Key}}, MaxVersion: tls.VersionTLS12}
		}), verdict: VerdictFail, want: map[string]Status{CheckOrder: StatusFail, CheckHostname: StatusFail, CheckKeyExchange: StatusWarn, CheckRoot: StatusPass},
			check: caFirst("the server's private key belongs to #0 CN=E2E Int, a CA certificate, not to #1 CN=example.test: configure the server with #1 CN=example.test and its own private key (or get a new certificate for the key it has)")},
		{name: "a CA certificate first, the leaf's key", start: goServer(func(_ *testing.T, p *senderPKI) *tls.Config {
			return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{p.inter.Cert.Raw, p.leaf.Cert.Raw}, PrivateKey: p.leaf.Key}}, MaxVersion: tls.VersionTLS12}
		}), verdict: VerdictFail, want: map[string]Status{CheckOrder: StatusFail, CheckHostname: StatusFail, CheckKeyExchange: StatusFail},
			check: caFirst("send the end-entity certificate #1 CN=example.test first (the server's key belongs to it), then its issuers in order")},
		{name: "out of order", start: openssl(func(p *senderPKI) []string { return []string{"-cert_chain", p.disorderPEM, "-no_tls1_3"} }),
			verdict: VerdictFail, want: map[string]Status{CheckOrder: StatusFail}},
		{name: "tls 1.3 only", start: openssl(func(p *senderPKI) []string { return sServerArgs(p, "-tls1_3") }),
			verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusFail, CheckCipher: StatusSkip, CheckHandshake: StatusSkip, CheckKeyExchange: StatusSkip},
			check: func(t *testing.T, r Report, _ error) {
				// One root cause, one failure: tls.cipher says why it is
				// skipped and offers no ssl_ciphers fix.
				if c, _ := r.Check(CheckCipher); !strings.Contains(c.Detail, "see tls.protocol") || c.Fix != "" {
					t.Errorf("tls.cipher = %q (fix %q), want skipped with the reason, no fix", c.Detail, c.Fix)
				}
				if r.Failed() != 1 {
					t.Errorf("%d checks fail, want tls.protocol alone", r.Failed())
				}
			}},
		{name: "certificate message over 256 KiB", start: openssl(func(p *senderPKI) []string {
			return []string{"-cert", p.bigChainPEM, "-key", p.bigKeyPEM, "-cert_chain", p.interPEM, "-no_tls1_3"}
		}), verdict: VerdictFail, want: map[string]Status{CheckProtocol: StatusPass, CheckHandshake: StatusFail, CheckOrder: StatusPass},
			check: func(t *testing.T, r Report, _ error) {
				if c, _ := r.Check(CheckHandshake); !strings.Contains(c.Detail, "262,144") || len(r.Chain) != 2 {
					t.Errorf("tls.handshake = %q with %d certificates, want the sender's limit named and the chain kept", c.Detail, len(r.Chain))
				}
			}},
		{name: "stapled OCSP response: revoked", start: openssl(func(p *senderPKI) []string { return sServerArgs(p, "-status_file", p.revokedOCSP) }),
			verdict: VerdictPass, want: map[string]Status{CheckOCSP: StatusWarn},
			check: func(t *testing.T, r Report, _ error) {
				if o := r.TLS.OCSP; o == nil || o.Status != "revoked" || o.RevocationReason != "keyCompromise" || !o.ForLeaf {
					t.Errorf("ocsp = %+v, want revoked (keyCompromise) for the leaf", o)
				}
			}},
	}
}

// caFirst: with a CA certificate sent first, the host name is judged on
// position 0, the path starts there, and chain.order's fix is the one
// given, never a reorder of the list.
func caFirst(fix string) func(t *testing.T, r Report, err error) {
	return func(t *testing.T, r Report, _ error) {
		t.Helper()
		if c, _ := r.Check(CheckHostname); !strings.Contains(c.Detail, "CN=E2E Int has no subject alternative names") {
			t.Errorf("cert.hostname detail = %q, want position 0, CN=E2E Int, judged", c.Detail)
		}
		if !slices.Equal(r.Trust.Path, []int{0}) {
			t.Errorf("trust.path = %v, want [0]", r.Trust.Path)
		}
		// --fix-chain starts the path where the server's does, at #0, so
		// it writes no file here: the fix must not offer it.
		c, _ := r.Check(CheckOrder)
		if !strings.Contains(c.Fix, fix) || strings.Contains(c.Fix, "present the certificates in this order") || strings.Contains(c.Fix, "--fix-chain") {
			t.Errorf("chain.order fix = %q, want %q, no reorder and no --fix-chain", c.Fix, fix)
		}
		if c, _ := r.Check(CheckExtra); strings.Contains(c.Fix, "--fix-chain") {
			t.Errorf("chain.extra fix = %q, want no --fix-chain", c.Fix)
		}
	}
}

// alertKept: the alert after ServerKeyExchange fails tls.handshake naming
// it, and the report keeps the version, the suite and the chain. Where no
// handshake got past the alert, mtls.client_auth cannot tell whether the
// server asks (a TLS 1.2 request would come after the alert): skip, mode
// unknown, never "does not ask".
func alertKept(t *testing.T, r Report, _ error) {
	t.Helper()
	if ca, _ := r.Check(CheckClientAuth); r.TLS.FullHandshake != nil && r.TLS.FullHandshake.Error != "" {
		if ca.Status != StatusSkip || r.TLS.ClientAuth.Mode != "unknown" || strings.Contains(ca.Detail, "does not ask") {
			t.Errorf("mtls.client_auth = %s %q, mode %q; want skip, mode unknown, not \"does not ask\"", ca.Status, ca.Detail, r.TLS.ClientAuth.Mode)
		}
	}
	c, _ := r.Check(CheckHandshake)
	if !strings.Contains(c.Detail, "internal_error (80)") || r.TLS.Version != "TLS 1.2" || r.TLS.CipherSuite == "" || len(r.Chain) != 2 || r.TLS.PolicyAlert != "internal_error (80)" {
		t.Errorf("tls.handshake %q, version %q, suite %q, %d certificates, alert %q; want the alert named and the rest kept",
			c.Detail, r.TLS.Version, r.TLS.CipherSuite, len(r.Chain), r.TLS.PolicyAlert)
	}
}

// mode checks client_auth.mode.
func mode(want string) func(t *testing.T, r Report, err error) {
	return func(t *testing.T, r Report, _ error) {
		if r.TLS.ClientAuth.Mode != want {
			t.Errorf("client_auth.mode = %q, want %q (http %q)", r.TLS.ClientAuth.Mode, want, r.TLS.ClientAuth.HTTPStatus)
		}
	}
}

// unknownCA checks the client-certificate mode and what chainscope's
// throwaway certificate met: refused, or let through with the check's
// fix saying the lines that make the server verify.
func unknownCA(wantMode string, wantRefused bool) func(t *testing.T, r Report, err error) {
	return func(t *testing.T, r Report, err error) {
		mode(wantMode)(t, r, err)
		ca := r.TLS.ClientAuth
		if ca.UnknownCARefused == nil || *ca.UnknownCARefused != wantRefused {
			t.Errorf("client_auth.unknown_ca_refused = %v (http %q, error %q), want %v", ca.UnknownCARefused, ca.UnknownCAHTTPStatus, ca.UnknownCAError, wantRefused)
		}
		c, _ := r.Check(CheckClientAuth)
		if want := "chainscope's throwaway probe"; !strings.Contains(c.Detail, want) {
			t.Errorf("mtls.client_auth detail = %q, want it to say what %s met", c.Detail, want)
		}
		if wantMode == "required" && !wantRefused && (!strings.Contains(c.Detail, "anyone") || !strings.Contains(c.Fix, "ssl_verify_client on")) {
			t.Errorf("mtls.client_auth = %q (fix %q), want anyone let in said, and the lines that verify", c.Detail, c.Fix)
		}
		if r.TLS.Handshakes < 4 {
			t.Errorf("connections = %d, want the throwaway certificate's counted", r.TLS.Handshakes)
		}
	}
}

// nginxClientAuth is an nginx server block asking for client certificates
// (ssl_verify_client mode) against the CA file caFile, with the chain in
// order and TLS 1.2, as the seed's configuration has it.
func nginxClientAuth(p *senderPKI, mode, caFile string) string {
	return fmt.Sprintf(`ssl_certificate %s; ssl_certificate_key %s; ssl_protocols TLSv1.2;
    ssl_verify_client %s; ssl_client_certificate %s; ssl_verify_depth 2;
    location / { return 204; }`, p.chainPEM, p.keyPEM, mode, caFile)
}

// startNginx runs nginx with one TLS server block on a free port.
func startNginx(t *testing.T, p *e2ePKI, block string) string {
	t.Helper()
	port := e2e.FreePort(t)
	return e2e.StartNginx(t, port, fmt.Sprintf(`  server {
    listen 127.0.0.1:%d ssl;
    %s
  }`, port, block))
}

// dhParams1024 is a 1024-bit DH group, made once per test binary (OpenSSL
// refuses to serve groups under 1024 bits, even at security level 0).
var dhParams1024 = sync.OnceValues(func() ([]byte, error) {
	p, err := rand.Prime(rand.Reader, 1024)
	if err != nil {
		return nil, err
	}
	// DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER } (PKCS #3)
	der := asn1Sequence(asn1Int(p), asn1Int(big.NewInt(2)))
	return pem.EncodeToMemory(&pem.Block{Type: "DH PARAMETERS", Bytes: der}), nil
})

func writeDHParams(t *testing.T, dir string) string {
	t.Helper()
	data, err := dhParams1024()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "dh1024.pem")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func asn1Int(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return asn1TLV(0x02, b)
}

func asn1Sequence(parts ...[]byte) []byte { return asn1TLV(0x30, bytes.Join(parts, nil)) }

func asn1TLV(tag byte, body []byte) []byte {
	n := len(body)
	switch {
	case n < 0x80:
		return append([]byte{tag, byte(n)}, body...)
	case n < 0x100:
		return append([]byte{tag, 0x81, byte(n)}, body...)
	}
	return append([]byte{tag, 0x82, byte(n >> 8), byte(n)}, body...)
}

// serveAbortWithoutCert is a crypto/tls server that asks for a client
// certificate and, when none comes, closes the connection after the
// handshake without a word; with one, it answers a request with 204.
func serveAbortWithoutCert(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return e2e.ServeTLSWith(t, "127.0.0.1:0", cfg, func(c *tls.Conn) {
		if len(c.ConnectionState().PeerCertificates) == 0 {
			return
		}
		var b [4096]byte
		if n, _ := c.Read(b[:]); bytes.Contains(b[:n], []byte(" HTTP/1.")) {
			_, _ = c.Write([]byte("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"))
		}
	})
}

// presentedInOrder reports whether the chain the server presents to the
// sender's ClientHello is in the seed's order: each certificate certified
// by the next (a root may end it). The chain is read as sent and the rule
// checked here, apart from chainscope's chain analysis.
func presentedInOrder(addr, sni string) (bool, error) {
	conn, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fl, err := wire.Handshake(ctx, conn, policyHello(policy.PagerDuty(), sni), policyLimits)
	if fl == nil || len(fl.Certificates) == 0 {
		return false, fmt.Errorf("no chain read: %v", err)
	}
	for i := 0; i+1 < len(fl.Certificates); i++ {
		child, err1 := x509.ParseCertificate(fl.Certificates[i])
		parent, err2 := x509.ParseCertificate(fl.Certificates[i+1])
		if err1 != nil || err2 != nil || child.CheckSignatureFrom(parent) != nil {
			return false, nil
		}
	}
	return true, nil
}

// TestSenderFleet inspects each server of the fleet, and connects to it
// with the sender's own stack, an Erlang/OTP ssl client configured as
// sender-model.md section 6 says (the seed's suites, TLS 1.2, verify_peer,
// SNI, the HTTPS host-name match, its client certificate presented when
// asked), with the seed's order rule applied on top (OTP 25 reorders
// chains; the sender's OTP did not). chainscope's verdict must agree with
// the delivery — pass exactly when the OTP client's handshake and request
// went through — or the case names the model's reason it differs.
func TestSenderFleet(t *testing.T) {
	t.Parallel()
	e2e.NeedTool(t, "openssl")
	e2e.NeedTool(t, "nginx")
	e2e.NeedTool(t, "escript")
	p := newSenderPKI(t)
	otp := startOTP(t)
	store := trust.New("test", "v1", []*trust.Root{{Cert: p.root.Cert}})
	for _, fs := range senderFleet() {
		t.Run(fs.name, func(t *testing.T) {
			t.Parallel()
			addr := fs.start(t, p)
			sn := fs.servername
			if sn == "" {
				sn = "example.test"
			}
			opts := Options{Store: store, Policy: p.policy, Timeout: 5 * time.Second, ServerName: sn, At: testpki.Now}
			if fs.opts != nil {
				fs.opts(&opts, p)
			}
			target, err := ParseTarget(addr)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Inspect(context.Background(), target, opts)
			if r.Verdict != fs.verdict {
				t.Errorf("verdict = %s (error %v), want %s", r.Verdict, err, fs.verdict)
			}
			for id, st := range fs.want {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (%s)", id, c.Status, st, c.Detail)
				}
			}
			if fs.check != nil {
				fs.check(t, r, err)
			}

			otp.agrees(t, r, otpsender.Options{Addr: addr, ServerName: sn, CAFile: p.rootPEM,
				CertFile: p.clientChainPEM, KeyFile: p.clientKeyPEM}, fs.otpDiffers)
		})
	}
}

// senderStandIn writes into dir a stand-in for the sender's client
// certificate, for servers judged against the pagerduty policy's real
// client chains: CN=webhooks.pagerduty.com with clientAuth under a root of
// its own. The real one chains to DigiCert, which no test server trusts;
// neither does any trust this root, so a server refuses the stand-in
// exactly when it would refuse the sender's certificate. It returns the
// chain's and the key's files.
func senderStandIn(t *testing.T, dir string) (chainPEM, keyPEM string) {
	t.Helper()
	root := testpki.Root(t, "Stand-in Sender Root", testpki.RSA(2048))
	leaf := testpki.Leaf(t, root, "webhooks.pagerduty.com", testpki.RSA(2048), testpki.ClientAuth())
	return writeFile(t, dir, "standin-chain.pem", testpki.PEM(leaf)), writeFile(t, dir, "standin.key", testpki.KeyPEM(t, leaf))
}

// writeFile writes data to dir/name and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// otpSender is the sender's own stack for one test: one Erlang VM.
type otpSender struct {
	c      *otpsender.Client
	suites []string
}

// startOTP starts the OTP client, stopped when t ends (after its parallel
// subtests).
func startOTP(t *testing.T) *otpSender {
	t.Helper()
	e2e.NeedTool(t, "escript")
	c, err := otpsender.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	var suites []string
	for _, s := range policy.PagerDutySuites()[1:] { // OTP adds the SCSV itself
		suites = append(suites, s.Name)
	}
	return &otpSender{c: c, suites: suites}
}

// agrees connects to o.Addr as the sender and fails t unless chainscope's
// verdict r agrees with the delivery — pass exactly when the OTP client's
// handshake and request went through and the chain is presented in the
// seed's order (OTP 25 reorders chains; the sender's OTP did not) — or,
// with differs, unless they disagree. On a loaded machine the VM may be
// slow: a connection that timed out where chainscope saw none is made
// once more, and said so in the log.
func (o *otpSender) agrees(t *testing.T, r Report, opts otpsender.Options, differs string) {
	t.Helper()
	opts.Suites, opts.Timeout = o.suites, 20*time.Second
	connect := func() otpsender.Result {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		res, err := o.c.Connect(ctx, opts)
		if err != nil {
			t.Fatalf("OTP client: %v", err)
		}
		return res
	}
	res := connect()
	if res.TimedOut() && r.Verdict == VerdictPass {
		t.Logf("the OTP client timed out (%s); once more", res.Line)
		res = connect()
	}
	delivered := res.Delivered
	if delivered {
		inOrder, err := presentedInOrder(opts.Addr, opts.ServerName)
		if err != nil {
			t.Fatal(err)
		}
		delivered = inOrder // the seed's order rule, on top of OTP 25
	}
	agree := delivered == (r.Verdict == VerdictPass)
	switch {
	case differs == "" && !agree:
		t.Errorf("chainscope says %s, the OTP sender %s (%s)", r.Verdict, delivery(delivered), res.Line)
	case differs != "" && agree:
		t.Errorf("chainscope and the OTP sender now agree (%s, %s): the documented difference %q is gone", r.Verdict, res.Line, differs)
	}
	t.Logf("chainscope %s; OTP: %s", r.Verdict, res.Line)
}

func delivery(ok bool) string {
	if ok {
		return "delivers"
	}
	return "does not deliver"
}

// TestHiccups: resets without an alert are retried, never findings. The
// policy's handshake reset once is retried alone and the target judged;
// reset every time, the target is an error. An enumeration probe reset
// once is retried; reset twice, the version's list says it is incomplete
// and why, with no server order.
func TestHiccups(t *testing.T) {
	t.Parallel()
	e2e.NeedTool(t, "openssl")
	p := newE2EPKI(t)
	backend := sServer(t, p, "-cert_chain", p.interPEM, "-serverpref", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA")
	isPolicy := func(suites []uint16) bool {
		return len(suites) == len(policy.PagerDuty().CipherSuites) && suites[0] == 0x00FF
	}
	once := func(pick func([]uint16) bool) func(int, []uint16) bool {
		seen := map[string]bool{}
		return func(_ int, suites []uint16) bool {
			k := fmt.Sprint(suites)
			if !pick(suites) || seen[k] {
				return false
			}
			seen[k] = true
			return true
		}
	}
	tests := []struct {
		name    string
		drop    func(int, []uint16) bool
		ciphers bool
		check   func(t *testing.T, r Report, err error)
	}{
		{"policy handshake reset once", once(isPolicy), false, func(t *testing.T, r Report, err error) {
			if err != nil || r.Verdict != VerdictPass || r.TLS.PolicyHandshakeError != "" || r.TLS.Version != "TLS 1.2" {
				t.Errorf("verdict %s, error %v, policy handshake error %q; want a pass from the retried handshake", r.Verdict, err, r.TLS.PolicyHandshakeError)
			}
		}},
		{"policy handshake always reset", func(_ int, s []uint16) bool { return isPolicy(s) }, false, func(t *testing.T, r Report, err error) {
			var he *HandshakeError
			if !errors.As(err, &he) || !he.OthersAnswered || r.Verdict != VerdictError || r.Failed() != 0 {
				t.Errorf("verdict %s, error %v; want an error report from a *HandshakeError, no failing check", r.Verdict, err)
			}
		}},
		{"each enumeration probe reset once", once(func(s []uint16) bool { return !isPolicy(s) }), true, func(t *testing.T, r Report, err error) {
			e := r.TLS.CipherEnumeration["TLS 1.2"]
			if err != nil || !e.Complete || len(r.TLS.AcceptedCipherSuites["TLS 1.2"]) != 3 || e.Order != orderServer {
				t.Errorf("error %v, TLS 1.2 %v (%+v); want the 3 suites, complete, server order", err, r.TLS.AcceptedCipherSuites["TLS 1.2"], e)
			}
		}},
		{"enumeration probes reset twice", func(_ int, s []uint16) bool { return !slices.Contains(s, 0xC030) }, true, func(t *testing.T, r Report, err error) {
			e := r.TLS.CipherEnumeration["TLS 1.2"]
			_, ordered := r.TLS.ServerOrder["TLS 1.2"]
			if err != nil || e.Complete || !strings.Contains(e.Reason, "failed twice") || ordered || e.Order != "" {
				t.Errorf("error %v, TLS 1.2 %v (%+v), server order given %v; want incomplete with the reason, no order", err, r.TLS.AcceptedCipherSuites["TLS 1.2"], e, ordered)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, stop, err := hostile.Listen(hostile.Flaky("flaky", backend, tt.drop))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			r, err := inspectAddr(t, addr, Options{Store: p.store, Ciphers: tt.ciphers, Timeout: 5 * time.Second})
			tt.check(t, r, err)
		})
	}
}

// TestPolicyHelloIsOTPs captures the ClientHello of the sender's own
// stack, configured as sender-model.md section 6 says, and compares the
// pagerduty policy's hello with it (section 2): the record version, the
// suites in order (the SCSV first), exactly the same extensions in the
// same order, the same groups in the same order (OTP's every curve of its
// crypto library) and point formats. OTP 25 adds RSA-PSS schemes to its
// TLS 1.2 signature_algorithms (OTP 23 on); the sender's release of
// OTP 21–22 sends the policy's eleven, which OTP 25 must hold too.
func TestPolicyHelloIsOTPs(t *testing.T) {
	t.Parallel()
	otp := startOTP(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		defer close(got)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Minute))
		var hdr [5]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		rec := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if _, err := io.ReadFull(c, rec); err == nil {
			got <- append(hdr[:], rec...)
		}
	}()
	res, err := otp.c.Connect(context.Background(), otpsender.Options{Addr: ln.Addr().String(), ServerName: "example.test",
		CAFile: writeFile(t, t.TempDir(), "none.pem", testpki.PEM(testpki.Root(t, "Unused Root"))), Suites: otp.suites, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("OTP client: %v", err)
	}
	otpHello, ok := <-got
	if !ok {
		t.Fatalf("no ClientHello from the OTP client (%s)", res.Line)
	}
	pol := policy.PagerDuty()
	ours, err := policyHello(pol, "example.test").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	o, w := readHello(t, otpHello), readHello(t, ours)
	if len(o.suites) == 0 || len(o.extensions) == 0 || len(o.groups) == 0 || len(o.sigAlgs) == 0 {
		t.Fatalf("OTP's hello read as %+v, want suites, extensions, groups and signature schemes", o)
	}
	if o.record != w.record || !slices.Equal(o.suites, w.suites) || !slices.Equal(o.extensions, w.extensions) ||
		!slices.Equal(o.groups, w.groups) || !bytes.Equal(o.pointFormats, w.pointFormats) {
		t.Errorf("OTP's hello: record %04x, suites %04x, extensions %v, groups %v, point formats %v\n"+
			"policy's:    record %04x, suites %04x, extensions %v, groups %v, point formats %v",
			o.record, o.suites, o.extensions, o.groups, o.pointFormats, w.record, w.suites, w.extensions, w.groups, w.pointFormats)
	}
	for _, s := range w.sigAlgs {
		if !slices.Contains(o.sigAlgs, s) {
			t.Errorf("the policy offers signature scheme %04x, OTP 25 does not (it offers %04x)", s, o.sigAlgs)
		}
	}
}

// helloFields are the fields of a ClientHello the policy models.
type helloFields struct {
	record                              uint16
	suites, extensions, groups, sigAlgs []uint16
	pointFormats                        []byte
}

// readHello reads a ClientHello record (RFC 5246 §7.4.1.2) as
// TestPolicyHelloIsOTPs compares it.
func readHello(t *testing.T, rec []byte) helloFields {
	t.Helper()
	var h helloFields
	s := cryptobyte.String(rec)
	var msg, body, random, sid, suites, comp, exts cryptobyte.String
	var typ, recType uint8
	var legacy uint16
	if !s.ReadUint8(&recType) || !s.ReadUint16(&h.record) || !s.ReadUint16LengthPrefixed(&msg) ||
		!msg.ReadUint8(&typ) || !msg.ReadUint24LengthPrefixed(&body) || typ != 1 ||
		!body.ReadUint16(&legacy) || !body.ReadBytes((*[]byte)(&random), 32) || !body.ReadUint8LengthPrefixed(&sid) ||
		!body.ReadUint16LengthPrefixed(&suites) || !body.ReadUint8LengthPrefixed(&comp) || !body.ReadUint16LengthPrefixed(&exts) {
		t.Fatalf("not a ClientHello record: % x", rec)
	}
	h.suites = uint16s(t, suites)
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			t.Fatalf("malformed extensions: % x", rec)
		}
		h.extensions = append(h.extensions, typ)
		var list cryptobyte.String
		switch typ {
		case 10:
			if data.ReadUint16LengthPrefixed(&list) {
				h.groups = uint16s(t, list)
			}
		case 13:
			if data.ReadUint16LengthPrefixed(&list) {
				h.sigAlgs = uint16s(t, list)
			}
		case 11:
			if data.ReadUint8LengthPrefixed(&list) {
				h.pointFormats = list
			}
		}
	}
	return h
}

func uint16s(t *testing.T, s cryptobyte.String) []uint16 {
	t.Helper()
	var out []uint16
	for !s.Empty() {
		var v uint16
		if !s.ReadUint16(&v) {
			t.Fatalf("odd-length list % x", []byte(s))
		}
		out = append(out, v)
	}
	return out
}
