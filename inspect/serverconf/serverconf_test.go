package serverconf

import (
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"slices"
	"strings"
	"testing"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

func TestParseServer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want Server
		ok   bool
	}{
		{"nginx", Nginx, true}, {"Apache", Apache, true}, {"httpd", Apache, true}, {"apache2", Apache, true}, {"caddy", "", false},
	} {
		got, err := ParseServer(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseServer(%q) = %q, %v, want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	nodes := []Node{
		Directive("a", "x y", `q"uote`).Commented("why"),
		{Name: "blk", Args: []string{"/"}, Block: true, Children: []Node{Directive("b", "semi;colon")}},
	}
	for _, tt := range []struct {
		s    Server
		want string
	}{
		{Nginx, "# why\na \"x y\" \"q\\\"uote\";\nblk / {\n    b \"semi;colon\";\n}\n"},
		{Apache, "# why\na \"x y\" \"q\\\"uote\"\n<blk />\n    b semi;colon\n</blk>\n"},
	} {
		if got := Render(tt.s, nodes...); got != tt.want {
			t.Errorf("Render(%s) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestForPolicy: the settings follow the policy and the certificate's key,
// never a canned list.
func TestForPolicy(t *testing.T) {
	t.Parallel()
	modern, err := policy.Load("../../testdata/policy-modern.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		pol          *policy.Policy
		opts         Options
		versions     string // nginx ssl_protocols line
		ciphers      string // prefix of the OpenSSL list
		suites13     string
		serverOrder  bool
		dhe          bool
		groups       string
		leftContains string
	}{
		{"pagerduty RSA", policy.PagerDuty(), Options{KeyType: "RSA"},
			"ssl_protocols TLSv1.2;", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-GCM-SHA384:", "",
			true, true, "X25519:prime256v1:secp384r1:secp521r1", "with static ECDH key exchange"},
		{"pagerduty ECDSA keeps TLS 1.3, not TLS 1.0", policy.PagerDuty(), Options{KeyType: "ECDSA", Keep: []uint16{wire.VersionTLS10, wire.VersionTLS13}},
			"ssl_protocols TLSv1.2 TLSv1.3;", "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:", "",
			true, false, "X25519:prime256v1:secp384r1:secp521r1", "that authenticate with an RSA key"},
		{"pagerduty any key", policy.PagerDuty(), Options{},
			"ssl_protocols TLSv1.2;", "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:", "",
			true, true, "X25519:prime256v1:secp384r1:secp521r1", "with static ECDH"},
		{"modern", modern, Options{KeyType: "RSA"},
			"ssl_protocols TLSv1.2 TLSv1.3;", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305", "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
			false, false, "X25519:prime256v1:secp384r1", "that authenticate with an ECDSA key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ForPolicy(tt.pol, tt.opts)
			if l := got.ProtocolNode(Nginx).Line(Nginx); l != tt.versions {
				t.Errorf("protocols = %q, want %q", l, tt.versions)
			}
			if l := got.CipherList(); !strings.HasPrefix(l, tt.ciphers) {
				t.Errorf("CipherList() = %q, want it to start %q", l, tt.ciphers)
			}
			for _, s := range got.Suites {
				if !tt.pol.AllowsSuite(s.ID) {
					t.Errorf("suite %s is not the policy's", s.Name)
				}
				if tt.opts.KeyType == "RSA" && s.Auth != "RSA" || tt.opts.KeyType == "ECDSA" && s.Auth != "ECDSA" {
					t.Errorf("suite %s does not fit a %s key", s.Name, tt.opts.KeyType)
				}
			}
			if got.list13() != tt.suites13 {
				t.Errorf("TLS 1.3 suites = %q, want %q", got.list13(), tt.suites13)
			}
			if got.ServerOrder != tt.serverOrder || got.DHE != tt.dhe {
				t.Errorf("server order %v, DHE %v, want %v, %v", got.ServerOrder, got.DHE, tt.serverOrder, tt.dhe)
			}
			if g := strings.Join(got.Groups, ":"); g != tt.groups {
				t.Errorf("groups = %q, want %q", g, tt.groups)
			}
			if !slices.ContainsFunc(got.Left, func(l Left) bool { return strings.HasPrefix(l.Why, tt.leftContains) }) {
				t.Errorf("Left = %v, want a reason starting %q", got.Left, tt.leftContains)
			}
			_, dh := got.DHNode(Apache, "/x")
			if dh != tt.dhe {
				t.Errorf("DHNode ok = %v, want %v", dh, tt.dhe)
			}
		})
	}
}

// TestFFDHE2048 checks the shipped parameters against RFC 7919 Appendix
// A.1: p = 2^2048 - 2^1984 + (floor(2^1918 * e) + 560316) * 2^64 - 1, g = 2.
func TestFFDHE2048(t *testing.T) {
	t.Parallel()
	b, _ := pem.Decode(FFDHE2048)
	if b == nil || b.Type != "DH PARAMETERS" {
		t.Fatalf("FFDHE2048 is not PEM DH PARAMETERS")
	}
	var params struct{ P, G *big.Int }
	if _, err := asn1.Unmarshal(b.Bytes, &params); err != nil {
		t.Fatal(err)
	}
	// floor(2^1918 * e) from the series e = sum 1/k!, computed with 64
	// guard bits.
	const guard = 64
	one := new(big.Int).Lsh(big.NewInt(1), 1918+guard)
	sum, term := new(big.Int), new(big.Int).Set(one)
	for k := int64(1); term.Sign() > 0; k++ {
		sum.Add(sum, term)
		term.Quo(term, big.NewInt(k))
	}
	eFloor := sum.Rsh(sum, guard)
	p := new(big.Int).Lsh(big.NewInt(1), 2048)
	p.Sub(p, new(big.Int).Lsh(big.NewInt(1), 1984))
	p.Add(p, new(big.Int).Lsh(new(big.Int).Add(eFloor, big.NewInt(560316)), 64))
	p.Sub(p, big.NewInt(1))
	if params.P.Cmp(p) != 0 || params.G.Int64() != 2 {
		t.Errorf("ffdhe2048 p = %x, g = %v, want RFC 7919's p = %x, g = 2", params.P, params.G, p)
	}
}

// TestDHParamOff: without the file, the DH line is written commented out,
// so the block still loads.
func TestDHParamOff(t *testing.T) {
	t.Parallel()
	tls := ForPolicy(policy.PagerDuty(), Options{KeyType: "RSA"})
	for _, tt := range []struct {
		off  bool
		want string
	}{
		{false, "\n    ssl_dhparam /x/ffdhe2048.pem;\n"},
		{true, "\n    # ssl_dhparam /x/ffdhe2048.pem;\n"},
	} {
		site := Site{ServerName: "a.test", Listen: "443", CertFile: "c", KeyFile: "k", DHParamFile: "/x/ffdhe2048.pem", DHParamOff: tt.off}
		if got := Render(Nginx, site.Nodes(Nginx, tls)...); !strings.Contains(got, tt.want) {
			t.Errorf("DHParamOff %v: block lacks %q:\n%s", tt.off, tt.want, got)
		}
	}
}

// TestForPolicyNoSuiteForKey: when none of the policy's suites fits the
// certificate and the sender speaks no TLS 1.3, the settings say so
// (NoSuite) instead of a block without a cipher list, and name the key
// the suites need with its lines.
func TestForPolicyNoSuiteForKey(t *testing.T) {
	t.Parallel()
	rsaOnly := &policy.Policy{Name: "rsa-only", Versions: []uint16{wire.VersionTLS12},
		CipherSuites: []uint16{0xc02f, 0xc030}, // TLS_ECDHE_RSA_WITH_AES_{128,256}_GCM_*
		Hello:        policy.HelloProfile{Groups: []uint16{wire.GroupSecp256r1}}}
	staticOnly := &policy.Policy{Name: "static", Versions: []uint16{wire.VersionTLS12},
		CipherSuites: []uint16{0xc02d}} // TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256
	withTLS13 := &policy.Policy{Name: "with-1.3", Versions: []uint16{wire.VersionTLS12, wire.VersionTLS13},
		CipherSuites: []uint16{0x1301, 0xc02f}}
	tests := []struct {
		name                      string
		pol                       *policy.Policy
		key                       string
		noSuite, needKey, ciphers string // ciphers: the nginx line, "" for none
		block                     []string
	}{
		{"RSA suites, ECDSA key", rsaOnly, "ECDSA",
			"none of the policy's suites authenticates with an ECDSA key, the certificate's: they need an RSA key", "RSA",
			"ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;",
			[]string{"    # Get an RSA certificate for the same names and enable these lines with the suites below.\n    # ssl_certificate c-rsa.pem;\n    # ssl_certificate_key k-rsa.key;\n",
				"ssl_ecdh_curve X25519:prime256v1;", "\n    # ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;\n"}},
		{"RSA suites, RSA key", rsaOnly, "RSA", "", "", "ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;",
			[]string{"# Suites: the policy's, in its order, as OpenSSL names them (2)."}},
		{"static ECDH only", staticOnly, "ECDSA",
			"OpenSSL serves none of the policy's suites: 1 suite with static ECDH key exchange, which OpenSSL 1.1.0 removed", "", "",
			[]string{"# Suites: none can be enabled: OpenSSL serves none of the policy's suites"}},
		{"TLS 1.3 is enough", withTLS13, "ECDSA", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ForPolicy(tt.pol, Options{KeyType: tt.key})
			if got.NoSuite != tt.noSuite || got.NeedKey != tt.needKey {
				t.Errorf("ForPolicy(%s, %s) NoSuite %q, NeedKey %q; want %q, %q", tt.pol.Name, tt.key, got.NoSuite, got.NeedKey, tt.noSuite, tt.needKey)
			}
			var line string
			for _, n := range got.CipherNodes(Nginx) {
				if n.Name == "ssl_ciphers" {
					line = n.Line(Nginx)
				}
			}
			if line != tt.ciphers {
				t.Errorf("cipher line = %q, want %q", line, tt.ciphers)
			}
			site := Site{ServerName: "a.test", Listen: "443", CertFile: "c.pem", KeyFile: "k.key", Policy: tt.pol.Name}
			block := Render(Nginx, site.Nodes(Nginx, got)...)
			for _, w := range tt.block {
				if !strings.Contains(block, w) {
					t.Errorf("block lacks %q:\n%s", w, block)
				}
			}
			if tt.needKey != "" && strings.Contains(block, "Left out: 2 suites") {
				t.Errorf("block says the suites it enables are left out:\n%s", block)
			}
			if tt.noSuite != "" && tt.needKey == "" && strings.Contains(block, "every suite is AEAD") {
				t.Errorf("block says every suite is AEAD with ECDHE, with no suite enabled:\n%s", block)
			}
		})
	}
}

// TestOnlyDHE: the sender needs DH parameters only when every suite left
// for its handshake is DHE and it speaks no TLS 1.3; TLS 1.3 kept for
// other clients does not count.
func TestOnlyDHE(t *testing.T) {
	t.Parallel()
	pol := func(versions []uint16, suites ...uint16) *policy.Policy {
		p := policy.PagerDuty()
		p.Versions, p.CipherSuites = versions, suites
		return p
	}
	const (
		dheGCM   = 0x009e // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
		ecdheGCM = 0xc02f // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		aes128   = 0x1301 // TLS_AES_128_GCM_SHA256
	)
	tls12, both := []uint16{wire.VersionTLS12}, []uint16{wire.VersionTLS12, wire.VersionTLS13}
	for _, tt := range []struct {
		name string
		pol  *policy.Policy
		keep []uint16
		want bool
	}{
		{"DHE only", pol(tls12, dheGCM), nil, true},
		{"DHE only, TLS 1.3 kept for others", pol(tls12, dheGCM), []uint16{wire.VersionTLS13}, true},
		{"DHE beside ECDHE", pol(tls12, dheGCM, ecdheGCM), nil, false},
		{"DHE, the sender speaks TLS 1.3", pol(both, dheGCM, aes128), nil, false},
		{"pagerduty", policy.PagerDuty(), nil, false},
	} {
		got := ForPolicy(tt.pol, Options{KeyType: "RSA", Keep: tt.keep}).OnlyDHE()
		if got != tt.want {
			t.Errorf("%s: OnlyDHE() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
