package serverconf

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// TLS is the TLS part of a server's configuration a policy asks for, in
// OpenSSL's terms.
type TLS struct {
	// Versions are the protocol versions to enable, oldest first; Kept
	// are those of them the policy does not name.
	Versions []uint16
	Kept     []uint16
	// Suites are the TLS 1.0–1.2 suites to enable, in the policy's order.
	Suites []wire.Suite
	// Suites13 are the TLS 1.3 suites the policy names, in its order;
	// empty leaves OpenSSL's default (all five are then enabled but CCM).
	Suites13 []wire.Suite
	// Left are the policy's suites the server cannot or should not serve,
	// each with the reason.
	Left []Left
	// Groups are OpenSSL's names of the key-exchange groups to allow.
	Groups []string
	// ServerOrder is true when the server should impose the policy's order
	// on every client (see [ForPolicy]).
	ServerOrder bool
	// DHE is true when a DHE suite is enabled: the server needs DH
	// parameters ([FFDHE2048]).
	DHE bool
	// NoSuite, when set, says why none of the policy's TLS 1.0–1.2 suites
	// can be enabled for the certificate while the sender needs one (its
	// versions include none from TLS 1.3 on): "none of the policy's
	// suites authenticates with an ECDSA key, the certificate's: they
	// need an RSA key". No line of the server then makes the policy's
	// handshake work by itself.
	NoSuite string
	// NeedKey is the key type ("RSA", "ECDSA", "DSA") the policy's suites
	// authenticate with when none fits the certificate's key; then Suites
	// are the policy's suites for such a key, to enable beside a
	// certificate of that type (nginx and Apache serve one of each).
	NeedKey string
}

// Left is a suite of the policy left out of the configuration; Why is a
// clause that follows "suites", e.g. "with static ECDH key exchange, which
// OpenSSL 1.1.0 removed".
type Left struct {
	Suite wire.Suite
	Why   string
}

// Options refine the settings with what is known of the server.
type Options struct {
	// KeyType is the leaf's key type ("RSA", "ECDSA", "DSA"): suites that
	// authenticate with another key are left out, as the server could not
	// use them. Empty keeps every type.
	KeyType string
	// Keep lists versions beyond the policy's to keep enabled, typically
	// those the server accepts today; versions under TLS 1.2 are never
	// kept (RFC 8996 deprecates them).
	Keep []uint16
}

// ForPolicy returns the settings the policy asks for:
//
//   - versions: the policy's, plus Keep from TLS 1.2 up;
//   - suites: the policy's TLS 1.0–1.2 suites that OpenSSL 1.1.0 and later
//     serve with the leaf's key type, in the policy's order; static (EC)DH
//     (removed from OpenSSL 1.1.0), PSK, SRP and suites with a weakness
//     ([wire.Suite.Weakness]) are left out, saying why;
//   - groups: the policy's groups OpenSSL knows, plus X25519 for other
//     clients, the fastest first; only with ECDHE suites or TLS 1.3;
//   - server order: on when the suites are of unequal strength (CBC or a
//     SHA-1 MAC beside AEAD, or DHE beside ECDHE), so every client gets the
//     policy's first choice; off when all are AEAD with ECDHE, as Mozilla's
//     server-side TLS guidelines recommend, letting clients pick;
//   - DH parameters: when a DHE suite is enabled.
func ForPolicy(p *policy.Policy, o Options) TLS {
	var t TLS
	versions := map[uint16]bool{}
	for _, v := range p.Versions {
		versions[v] = true
	}
	for _, v := range o.Keep {
		if v >= wire.VersionTLS12 && v <= wire.VersionTLS13 {
			versions[v] = true
		}
	}
	for v := range versions {
		t.Versions = append(t.Versions, v)
		if !p.AllowsVersion(v) {
			t.Kept = append(t.Kept, v)
		}
	}
	slices.Sort(t.Versions)
	slices.Sort(t.Kept)

	ecdhe := false
	pre13 := false // the policy has TLS 1.0–1.2 suites
	for _, id := range p.CipherSuites {
		s, ok := wire.SuiteByID(id)
		switch {
		case !ok:
			t.Left = append(t.Left, Left{wire.Suite{ID: id, Name: wire.SuiteName(id)}, "that are not in the IANA registry"})
			continue
		case s.Signaling:
			continue
		case s.TLS13:
			t.Suites13 = append(t.Suites13, s)
			continue
		}
		pre13 = true
		if why := unservable(s, o.KeyType); why != "" {
			t.Left = append(t.Left, Left{s, why})
			continue
		}
		t.Suites = append(t.Suites, s)
	}
	if len(t.Suites) == 0 && pre13 && !p.AllowsVersion(wire.VersionTLS13) {
		t.noSuite(p, o)
	}
	for _, s := range t.Suites {
		switch s.KeyExchange {
		case "ECDHE":
			ecdhe = true
		case "DHE":
			t.DHE = true
		}
	}
	if ecdhe || len(t.Suites13) > 0 || versions[wire.VersionTLS13] {
		t.Groups = groups(p.Hello.Groups)
	}
	t.ServerOrder = mixedStrength(t.Suites)
	return t
}

// noSuite says why no suite of the policy fits the certificate; when
// the policy's suites fit another key type, Suites become those, for a
// certificate of that type beside this one.
func (t *TLS) noSuite(p *policy.Policy, o Options) {
	if o.KeyType != "" {
		if other := ForPolicy(p, Options{Keep: o.Keep}); len(other.Suites) > 0 {
			auth := other.Suites[0].Auth
			for _, s := range other.Suites {
				if s.Auth == auth {
					t.Suites = append(t.Suites, s)
				}
			}
			// Those are no longer left out.
			t.Left = slices.DeleteFunc(t.Left, func(l Left) bool {
				return slices.ContainsFunc(t.Suites, func(s wire.Suite) bool { return s.ID == l.Suite.ID })
			})
			t.NeedKey = map[string]string{"RSA": "RSA", "ECDSA": "ECDSA", "DSS": "DSA"}[auth]
			t.NoSuite = fmt.Sprintf("none of the policy's suites authenticates with %s, the certificate's: they need %s", Article(o.KeyType)+" key", Article(t.NeedKey)+" key")
			return
		}
	}
	t.NoSuite = "OpenSSL serves none of the policy's suites: " + strings.Join(t.leftReasons(), "; ")
}

// Article puts "a" or "an" before a key type: "an RSA", "an ECDSA", "a
// DSA".
func Article(word string) string {
	if strings.HasPrefix(word, "RSA") || strings.HasPrefix(word, "ECDSA") {
		return "an " + word
	}
	return "a " + word
}

// unservable says why OpenSSL (1.1.0 and later) cannot or should not serve
// the suite with a key of the given type, or "" when it can.
func unservable(s wire.Suite, keyType string) string {
	switch {
	case s.OpenSSLName == "":
		return "that OpenSSL does not have"
	case s.KeyExchange == "ECDH" || s.KeyExchange == "DH":
		return "with static " + s.KeyExchange + " key exchange, which OpenSSL 1.1.0 removed"
	case s.KeyExchange != "ECDHE" && s.KeyExchange != "DHE" && s.KeyExchange != "RSA":
		return "with " + s.KeyExchange + " key exchange, which needs more than a certificate"
	case s.Weakness() != "":
		return "that are weak (" + s.Weakness() + ")"
	}
	want := map[string]string{"RSA": "RSA", "ECDSA": "ECDSA", "DSA": "DSS"}[keyType]
	if keyType != "" && want != s.Auth {
		return "that authenticate with " + authKey(s.Auth) + " (the certificate's key is " + keyType + ")"
	}
	return ""
}

func authKey(auth string) string {
	if auth == "DSS" {
		return "a DSA key"
	}
	return "an " + auth + " key"
}

// mixedStrength reports whether any suite is weaker than AEAD with ECDHE
// (CBC, finite-field DHE, RSA key transport): then the list's order
// matters and the server should impose it.
func mixedStrength(suites []wire.Suite) bool {
	for _, s := range suites {
		if s.MAC != "AEAD" || s.KeyExchange != "ECDHE" {
			return true
		}
	}
	return false
}

// opensslGroups are OpenSSL's names for the groups a server can be limited
// to (SSL_CTX_set1_groups_list), in the order a server should prefer them:
// the fastest first, as OpenSSL's own default list has them.
var opensslGroups = []struct {
	id   uint16
	name string
}{
	{wire.GroupX25519, "X25519"},
	{wire.GroupSecp256r1, "prime256v1"},
	{wire.GroupSecp384r1, "secp384r1"},
	{wire.GroupSecp521r1, "secp521r1"},
	{wire.GroupX448, "X448"},
}

// groups returns the policy's groups OpenSSL knows, in the server's order
// of preference, with X25519 for other clients.
func groups(policy []uint16) []string {
	var out []string
	for _, g := range opensslGroups {
		if g.id == wire.GroupX25519 || slices.Contains(policy, g.id) {
			out = append(out, g.name)
		}
	}
	return out
}

// FFDHE2048 is the RFC 7919 ffdhe2048 group (Appendix A.1) as PEM "DH
// PARAMETERS", for servers that need DH parameters: a published group,
// never generated on the fly, which clients can recognise.
//
//go:embed ffdhe2048.pem
var FFDHE2048 []byte

// OnlyDHE reports whether the sender's handshake needs a DHE suite: every
// TLS 1.0–1.2 suite enabled is DHE, and the versions include no TLS 1.3
// the sender could take instead. A server without DH parameters (nginx
// without ssl_dhparam) then completes no handshake with it.
func (t TLS) OnlyDHE() bool {
	sender13 := slices.Contains(t.Versions, wire.VersionTLS13) && !slices.Contains(t.Kept, wire.VersionTLS13)
	if len(t.Suites) == 0 || sender13 {
		return false
	}
	for _, s := range t.Suites {
		if s.KeyExchange != "DHE" {
			return false
		}
	}
	return true
}

// opensslVersion is OpenSSL's name for a protocol version.
func opensslVersion(v uint16) string {
	switch v {
	case wire.VersionTLS10:
		return "TLSv1"
	case wire.VersionTLS11:
		return "TLSv1.1"
	case wire.VersionTLS12:
		return "TLSv1.2"
	case wire.VersionTLS13:
		return "TLSv1.3"
	}
	return "SSLv3"
}

// CipherList is the suites as an OpenSSL cipher list,
// "ECDHE-RSA-AES128-GCM-SHA256:…".
func (t TLS) CipherList() string {
	names := make([]string, len(t.Suites))
	for i, s := range t.Suites {
		names[i] = s.OpenSSLName
	}
	return strings.Join(names, ":")
}

func (t TLS) list13() string {
	names := make([]string, len(t.Suites13))
	for i, s := range t.Suites13 {
		names[i] = s.Name
	}
	return strings.Join(names, ":")
}

// ProtocolNode is the directive that enables the versions:
// "ssl_protocols TLSv1.2 TLSv1.3;", "SSLProtocol -all +TLSv1.2 +TLSv1.3".
func (t TLS) ProtocolNode(s Server) Node {
	var args []string
	if s == Apache {
		args = append(args, "-all")
	}
	for _, v := range t.Versions {
		n := opensslVersion(v)
		if s == Apache {
			n = "+" + n
		}
		args = append(args, n)
	}
	if s == Apache {
		return Directive("SSLProtocol", args...)
	}
	return Directive("ssl_protocols", args...)
}

// CipherNodes are the directives that enable the suites: the cipher list,
// the TLS 1.3 suites when the policy names them, and the server-order
// switch.
func (t TLS) CipherNodes(s Server) []Node {
	var out []Node
	order := "off"
	if t.ServerOrder {
		order = "on"
	}
	if s == Apache {
		if len(t.Suites) > 0 {
			out = append(out, Directive("SSLCipherSuite", t.CipherList()))
		}
		if len(t.Suites13) > 0 {
			out = append(out, Directive("SSLCipherSuite", "TLSv1.3", t.list13()))
		}
		return append(out, Directive("SSLHonorCipherOrder", order))
	}
	if len(t.Suites) > 0 {
		out = append(out, Directive("ssl_ciphers", t.CipherList()))
	}
	if len(t.Suites13) > 0 {
		out = append(out, Directive("ssl_conf_command", "Ciphersuites", t.list13()))
	}
	return append(out, Directive("ssl_prefer_server_ciphers", order))
}

// GroupNode limits the key-exchange groups; ok is false when no group
// needs naming.
func (t TLS) GroupNode(s Server) (Node, bool) {
	if len(t.Groups) == 0 {
		return Node{}, false
	}
	list := strings.Join(t.Groups, ":")
	if s == Apache {
		return Directive("SSLOpenSSLConfCmd", "Curves", list), true
	}
	return Directive("ssl_ecdh_curve", list), true
}

// DHNode points the server at DH parameters in path; ok is false when no
// DHE suite needs them. nginx serves no DHE suite without them; Apache
// would pick a group by the key's size, the file makes it ffdhe2048.
func (t TLS) DHNode(s Server, path string) (Node, bool) {
	if !t.DHE {
		return Node{}, false
	}
	if s == Apache {
		return Directive("SSLOpenSSLConfCmd", "DHParameters", path), true
	}
	return Directive("ssl_dhparam", path), true
}
