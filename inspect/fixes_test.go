package inspect

import (
	"context"
	"crypto/x509"
	"regexp"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/inspect/wire"
	"chainscope/internal/testpki"
)

// TestTLSFixes: the protocol and cipher fixes quote the server lines the
// policy needs, for the certificate's key, never a canned list.
func TestTLSFixes(t *testing.T) {
	t.Parallel()
	modern, err := policy.Load("../testdata/policy-modern.json")
	if err != nil {
		t.Fatal(err)
	}
	root := testpki.Root(t, "Fix Root")
	rsaLeaf := testpki.Leaf(t, root, "rsa.test", testpki.RSA(2048)).Cert
	ecLeaf := testpki.Leaf(t, root, "ec.test").Cert
	rsaOnly := &policy.Policy{Name: "rsa-only", Versions: []uint16{wire.VersionTLS12},
		CipherSuites: []uint16{0xc02f, 0xc030}, // TLS_ECDHE_RSA_WITH_AES_{128,256}_GCM_*
		Hello:        policy.HelloProfile{Groups: []uint16{wire.GroupSecp256r1}}}
	tls13Only := map[string]bool{"TLS 1.3": true}
	tls12 := map[string]bool{"TLS 1.2": true, "TLS 1.3": true}
	tests := []struct {
		name      string
		pol       *policy.Policy
		leaf      *x509.Certificate
		info      *TLSInfo
		checks    map[string]Status
		id        string
		want, not []string
	}{
		{"no TLS 1.2, pagerduty", policy.PagerDuty(), rsaLeaf, &TLSInfo{Versions: tls13Only},
			map[string]Status{CheckProtocol: StatusFail, CheckCipher: StatusSkip}, CheckProtocol,
			[]string{"enable TLS 1.2", "nginx: `ssl_protocols TLSv1.2 TLSv1.3;`", "Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`", "tls.cipher is judged once TLS 1.2 answers"}, nil},
		{"no listed suite, pagerduty, RSA key", policy.PagerDuty(), rsaLeaf, &TLSInfo{Versions: tls12, Version: "TLS 1.2"},
			map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusFail}, CheckCipher,
			[]string{"`ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-GCM-SHA384:", "`ssl_prefer_server_ciphers on;`", "`SSLCipherSuite ECDHE-RSA-AES256-GCM-SHA384:", "`SSLHonorCipherOrder on`", "chainscope config"},
			[]string{"ECDSA", "ECDH-", "X25519", "ssl_protocols"}},
		{"no listed suite, modern, ECDSA key", modern, ecLeaf, &TLSInfo{Versions: tls12, Version: "TLS 1.2"},
			map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusFail}, CheckCipher,
			[]string{"`ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305;`",
				"`ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;`",
				"`ssl_prefer_server_ciphers off;`", "`SSLCipherSuite TLSv1.3 TLS_AES_128_GCM_SHA256:"},
			[]string{"ECDHE-RSA", ":DHE-"}},
		{"wrong version answered", policy.PagerDuty(), rsaLeaf, &TLSInfo{Versions: map[string]bool{"TLS 1.0": true}, Version: "TLS 1.0"},
			map[string]Status{CheckProtocol: StatusFail, CheckCipher: StatusFail}, CheckCipher,
			[]string{"`ssl_protocols TLSv1.2;` `ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:"}, []string{"TLSv1 "}},
		// No suite of the policy fits the certificate's key: the fix says
		// which key the suites need, never a lone server-order line.
		{"no suite for the key", rsaOnly, ecLeaf, &TLSInfo{Versions: tls12, Version: "TLS 1.2"},
			map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusFail}, CheckCipher,
			[]string{"none of the policy's suites authenticates with an ECDSA key, the certificate's: they need an RSA key",
				"add an RSA certificate and its key beside the ECDSA pair",
				"nginx: `ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;`"},
			[]string{"offer the policy's suites — nginx: `ssl_prefer_server_ciphers"}},
		{"passing checks keep no fix", policy.PagerDuty(), rsaLeaf, &TLSInfo{Versions: tls12, Version: "TLS 1.2"},
			map[string]Status{CheckProtocol: StatusPass, CheckCipher: StatusPass}, CheckCipher, nil, []string{"ssl_"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			have := map[string]Check{}
			for id, st := range tt.checks {
				have[id] = Check{ID: id, Status: st}
			}
			typ, _ := keyInfo(tt.leaf)
			r := &Report{TLS: tt.info, Chain: []Certificate{{Role: "leaf", KeyType: typ}}}
			tlsFixes(have, tt.pol, r)
			fix := have[tt.id].Fix
			for _, w := range tt.want {
				if !strings.Contains(fix, w) {
					t.Errorf("%s fix = %q, want it to contain %q", tt.id, fix, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(fix, n) {
					t.Errorf("%s fix = %q, want no %q", tt.id, fix, n)
				}
			}
		})
	}
}

// TestTrustFixByStore: a self-signed leaf is told to get a public
// certificate only under a public store; under a private roots file the
// private CA issues it.
func TestTrustFixByStore(t *testing.T) {
	t.Parallel()
	mozilla, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	file, err := trust.LoadFile("../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	system := trust.New("system", "/etc/ssl/certs/ca-certificates.crt", file.Roots())
	tests := []struct {
		store     *trust.Store
		want, not string
	}{
		{mozilla, "Let's Encrypt", "private CA"},
		{system, "system root store (/etc/ssl/certs/ca-certificates.crt)", "Let's Encrypt"},
		{file, "private CA whose root is in the roots file ../testdata/root.pem", "Let's Encrypt"},
	}
	for _, tt := range tests {
		t.Run(tt.store.Name, func(t *testing.T) {
			t.Parallel()
			target, _ := ParseTarget("../testdata/leaf-self-signed.pem")
			r, err := Inspect(context.Background(), target, Options{Store: tt.store, At: testpki.Now})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(CheckRoot)
			if c.Status != StatusFail || !strings.Contains(c.Fix, tt.want) || strings.Contains(c.Fix, tt.not) {
				t.Errorf("trust.root = %s, fix %q, want fail, %q and no %q", c.Status, c.Fix, tt.want, tt.not)
			}
		})
	}
}

// TestStrengthDetail: cert.strength describes the keys and signatures of
// the chain at hand; a SHA-1 self-signed leaf is not said to be SHA-2.
func TestStrengthDetail(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Str Root", testpki.RSA(2048))
	inter := testpki.Intermediate(t, root, "Str Int")
	leaf := testpki.Leaf(t, inter, "str.test", testpki.RSA(2048))
	self := testpki.Root(t, "self.test", testpki.RSA(2048), testpki.SignatureAlgorithm(x509.SHA1WithRSA))
	sha1Leaf := testpki.Leaf(t, inter, "sha1.test", testpki.SignatureAlgorithm(x509.ECDSAWithSHA1))
	tests := []struct {
		name   string
		certs  []*x509.Certificate
		status Status
		want   []string
		not    string
	}{
		{"strong chain", testpki.X509(leaf, inter), StatusPass,
			[]string{"keys RSA 2048 bits (#0, store root) and ECDSA 256 bits (#1)", "signatures ECDSA-SHA256 (#0) and SHA256-RSA (#1)"}, "SHA-2"},
		{"SHA-1 self-signed leaf", testpki.X509(self), StatusPass,
			[]string{"keys RSA 2048 bits (#0)", "#0 signs itself (SHA1-RSA), which no verifier checks"}, "SHA-2"},
		{"SHA-1 signed leaf", testpki.X509(sha1Leaf, inter), StatusWarn,
			[]string{"#0 CN=sha1.test is signed with ECDSA-SHA1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := judgeCerts(t, tt.certs, []*trust.Root{{Cert: root.Cert}}, "")
			c, _ := r.Check(CheckStrength)
			if c.Status != tt.status {
				t.Errorf("cert.strength = %s, want %s (%s)", c.Status, tt.status, c.Detail)
			}
			for _, w := range tt.want {
				if !strings.Contains(c.Detail, w) {
					t.Errorf("cert.strength detail = %q, want it to contain %q", c.Detail, w)
				}
			}
			if tt.not != "" && strings.Contains(c.Detail, tt.not) {
				t.Errorf("cert.strength detail = %q, want no %q", c.Detail, tt.not)
			}
		})
	}
}

// TestKeyExchangeFixes: the DH fix names the RFC 7919 group chainscope
// ships, never a group generated on the fly; the curve fix is the
// policy's groups.
func TestKeyExchangeFixes(t *testing.T) {
	t.Parallel()
	for _, f := range dhFinding(1024) {
		if !strings.Contains(f.fix, "`ssl_dhparam ffdhe2048.pem;`") || !strings.Contains(f.fix, "`SSLOpenSSLConfCmd DHParameters ffdhe2048.pem`") || strings.Contains(f.fix, "openssl dhparam") {
			t.Errorf("dhFinding(1024) fix = %q, want the ffdhe2048 lines", f.fix)
		}
	}
	modern, err := policy.Load("../testdata/policy-modern.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		pol  *policy.Policy
		want string
	}{
		{policy.PagerDuty(), "`ssl_ecdh_curve X25519:prime256v1:secp384r1:secp521r1;`"},
		{modern, "`SSLOpenSSLConfCmd Curves X25519:prime256v1:secp384r1`"},
	} {
		if got := groupsFix(tt.pol); !strings.Contains(got, tt.want) {
			t.Errorf("groupsFix(%s) = %q, want %q", tt.pol.Name, got, tt.want)
		}
	}
}

// TestProtocolDetailNamesOthers: when the policy's handshake got no
// ServerHello but a probe showed a version the policy allows, the detail
// names that version once and the server's other versions beside it.
func TestProtocolDetailNamesOthers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		versions map[string]bool
		want     string
	}{
		{"TLS 1.2 alone", map[string]bool{"TLS 1.2": true},
			"the server accepts TLS 1.2, though not with the policy's ClientHello: see tls.cipher"},
		{"TLS 1.2 and 1.3", map[string]bool{"TLS 1.2": true, "TLS 1.3": true},
			"the server accepts TLS 1.2 (and TLS 1.3), though not with the policy's ClientHello: see tls.cipher"},
		{"TLS 1.0 to 1.3", map[string]bool{"TLS 1.0": true, "TLS 1.1": true, "TLS 1.2": true, "TLS 1.3": true},
			"the server accepts TLS 1.2 (and TLS 1.0, TLS 1.1 and TLS 1.3), though not with the policy's ClientHello: see tls.cipher"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := protocolCheck(policy.PagerDuty(), probe{}, &TLSInfo{Versions: tt.versions})
			if c.Status != StatusPass || c.Detail != tt.want {
				t.Errorf("protocolCheck(%v) = %s %q, want pass %q", tt.versions, c.Status, c.Detail, tt.want)
			}
		})
	}
}

// TestChainFixCommand: the fixes of the chain checks quote commands that
// run as written, the target last; a missing issuer with a caIssuers URL
// offers --fetch-intermediates as a second command, not inside the first.
func TestChainFixCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, check string
		at          string
		want        string
	}{
		{"real-bing.com-2026-missing-intermediate.pem", CheckComplete, "2026-03-01",
			"`chainscope --fix-chain chain.pem --intermediates FILE ../testdata/real-bing.com-2026-missing-intermediate.pem` (or `--fetch-intermediates` in place of `--intermediates FILE`) writes that file"},
		{"real-bing.com-2026-out-of-order.pem", CheckOrder, "2026-03-01",
			"`chainscope --fix-chain chain.pem ../testdata/real-bing.com-2026-out-of-order.pem` writes that file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			at, err := time.Parse(time.DateOnly, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			target, _ := ParseTarget("../testdata/" + tt.file)
			r, err := Inspect(context.Background(), target, Options{At: at})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(tt.check)
			if !strings.Contains(c.Fix, tt.want) {
				t.Errorf("%s fix = %q, want %q", tt.check, c.Fix, tt.want)
			}
		})
	}
}

// unquotedLines returns the server directives and commands a fix names
// outside backticks: every fix quotes the lines to type as `…`.
func unquotedLines(fix string) []string {
	var outside strings.Builder
	for i, part := range strings.Split(fix, "`") {
		if i%2 == 0 {
			outside.WriteString(part)
			outside.WriteString(" ")
		}
	}
	return regexp.MustCompile(`\bssl_[a-z_]+|\bSSL[A-Z][A-Za-z]+|\bchainscope [a-z-]+`).FindAllString(outside.String(), -1)
}

// TestClientAuthFixQuotesLines: the fixes of mtls.client_auth quote the
// nginx and Apache lines and the chainscope command in backticks, as
// every other fix does.
func TestClientAuthFixQuotesLines(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ca   ClientAuth
	}{
		{"required, no CA names", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: []string{}}},
		{"required, another CA", ClientAuth{Requested: true, Mode: "required", AcceptableCAs: []string{"CN=Other CA"}}},
		{"optional, another CA", ClientAuth{Requested: true, Mode: "optional", AcceptableCAs: []string{"CN=Other CA"}}},
		{"--client-cert refused", ClientAuth{Requested: true, Mode: "required", Presented: true, AcceptError: "remote error: tls: unknown certificate authority"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := clientAuthCheck(policy.PagerDuty(), &TLSInfo{ClientAuth: tt.ca}, at)
			if c.Fix == "" {
				t.Fatalf("clientAuthCheck(%s) = %s with no fix, want a fix", tt.name, c.Status)
			}
			if u := unquotedLines(c.Fix); len(u) > 0 {
				t.Errorf("mtls.client_auth fix = %q\nnames %q outside backticks", c.Fix, u)
			}
		})
	}
}
