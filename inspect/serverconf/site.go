package serverconf

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"

	"chainscope/inspect/wire"
)

// Site is what a whole server block holds beside the TLS settings.
type Site struct {
	// ServerName is the host name the block answers for.
	ServerName string
	// Listen is a port ("443") or an address and port ("127.0.0.1:8443").
	Listen string
	// CertFile is the certificate file (the leaf, then each issuer towards
	// the root), KeyFile its private key, DHParamFile the DH parameters
	// (used when the settings have DHE suites). With DHParamOff the DH
	// line is written commented out, for a file that does not exist yet:
	// the block still loads (nginx then serves no DHE suite, Apache picks
	// a group by the key's size).
	CertFile, KeyFile, DHParamFile string
	DHParamOff                     bool
	// Policy names the policy the settings come from, for the comments.
	Policy string
	// Header are comment lines above the block.
	Header []string
	// Extra are more nodes inside the block, after the TLS settings:
	// client-certificate verification, locations.
	Extra []Node
}

// Nodes returns the whole block for the server: the nginx `server` block
// (to go inside `http { }`), or Apache's `Listen` and `VirtualHost`, each
// setting with a comment saying where it comes from.
func (site Site) Nodes(s Server, t TLS) []Node {
	var body []Node
	if s == Apache {
		body = append(body, Directive("ServerName", site.ServerName), Directive("SSLEngine", "on"))
	} else {
		body = append(body, Directive("listen", site.Listen, "ssl"), Directive("server_name", site.ServerName))
	}
	body = append(body, t.FileNodes(s, site.CertFile, site.KeyFile)...)
	if t.NeedKey != "" {
		body = append(body, t.secondPair(s, site.CertFile, site.KeyFile)...)
	}
	body = append(body, t.SettingNodes(s, site.Policy, site.DHParamFile, site.DHParamOff)...)
	body = append(body, site.Extra...)
	if s == Apache {
		host, port, err := net.SplitHostPort(site.Listen)
		if err != nil {
			host, port = "*", site.Listen
		}
		header := site.Header
		if len(header) > 0 {
			header = append(header, "")
		}
		return []Node{
			Directive("Listen", site.Listen).Commented(header...).Commented(
				"Listen once per address and port: leave this line out when ports.conf already has it."),
			Node{Name: "VirtualHost", Args: []string{net.JoinHostPort(host, port)}, Block: true, Children: body}.Spaced(),
		}
	}
	return []Node{{Name: "server", Block: true, Children: body, Comment: site.Header}}
}

// FileNodes are the certificate and key directives, commented.
func (t TLS) FileNodes(s Server, certFile, keyFile string) []Node {
	cert, key := "ssl_certificate", "ssl_certificate_key"
	if s == Apache {
		cert, key = "SSLCertificateFile", "SSLCertificateKeyFile"
	}
	return []Node{
		Directive(cert, certFile).Spaced().Commented(
			"The certificate file: the leaf, then each issuer along the path, the root left",
			"out (RFC 5246 §7.4.2); `chainscope --fix-chain FILE TARGET` writes it."),
		Directive(key, keyFile).Commented("The leaf's private key (never leaves the server)."),
	}
}

// secondPair are the certificate and key directives of a certificate
// with the key type the policy's suites need (t.NeedKey), written
// commented out: the files do not exist yet. nginx and Apache serve one
// certificate per key type; OpenSSL picks the one the suite needs.
func (t TLS) secondPair(s Server, certFile, keyFile string) []Node {
	nodes := t.FileNodes(s, keyedPath(certFile, t.NeedKey), keyedPath(keyFile, t.NeedKey))
	for i := range nodes {
		nodes[i].Comment, nodes[i].Off = nil, true
	}
	nodes[0] = nodes[0].Commented(
		fmt.Sprintf("None of the policy's suites fits this certificate's key: they need %s key.", Article(t.NeedKey)),
		fmt.Sprintf("Get %s certificate for the same names and enable these lines with the suites below.", Article(t.NeedKey)))
	return nodes
}

// keyedPath names the file of the certificate or key of another key type
// next to path: "/etc/ssl/a/chain.pem" → "/etc/ssl/a/chain-rsa.pem".
func keyedPath(path, keyType string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + strings.ToLower(keyType) + ext
}

// SettingNodes are the protocol, suite, group and DH directives,
// commented with where each comes from. dhFile is used when a DHE suite
// is enabled; dhOff comments its line out.
func (t TLS) SettingNodes(s Server, policyName, dhFile string, dhOff bool) []Node {
	var out []Node
	var vs, kept []string
	for _, v := range t.Versions {
		if !slices.Contains(t.Kept, v) {
			vs = append(vs, wire.VersionName(v))
		}
	}
	for _, v := range t.Kept {
		kept = append(kept, wire.VersionName(v))
	}
	why := fmt.Sprintf("Protocols: %s for the policy (%s)", strings.Join(vs, ", "), policyName)
	if len(kept) > 0 {
		why += fmt.Sprintf("; %s kept for other clients", strings.Join(kept, ", "))
	}
	out = append(out, t.ProtocolNode(s).Spaced().Commented(why+"."))

	ciphers := t.CipherNodes(s)
	var comment []string
	switch {
	case t.NeedKey != "":
		comment = append(comment, fmt.Sprintf("Suites: %s.", t.NoSuite),
			fmt.Sprintf("Enable these with the %s certificate above: the policy's suites for it, in its order,", t.NeedKey),
			fmt.Sprintf("as OpenSSL names them (%d); until then the server keeps its own suites.", len(t.Suites)))
		for i := range ciphers {
			if ciphers[i].Name == "ssl_ciphers" || (ciphers[i].Name == "SSLCipherSuite" && ciphers[i].Args[0] != "TLSv1.3") {
				ciphers[i].Off = true
			}
		}
	case t.NoSuite != "":
		comment = append(comment, fmt.Sprintf("Suites: none can be enabled: %s.", t.NoSuite))
	default:
		comment = append(comment, fmt.Sprintf("Suites: the policy's, in its order, as OpenSSL names them (%d).", len(t.Suites)+len(t.Suites13)))
	}
	if t.NoSuite == "" || t.NeedKey != "" {
		comment = append(comment, t.leftComment()...) // else NoSuite said it
	}
	switch {
	case len(t.Suites) == 0 && len(t.Suites13) == 0:
	case t.ServerOrder:
		comment = append(comment, "Server order on: the list mixes strengths, so every client gets the first it shares.")
	default:
		comment = append(comment, "Server order off: every suite is AEAD with ECDHE; clients pick (Mozilla's guidelines).")
	}
	ciphers[0] = ciphers[0].Commented(comment...)
	out = append(out, ciphers...)
	if n, ok := t.GroupNode(s); ok {
		out = append(out, n.Commented("Groups for ECDHE: the policy's that OpenSSL knows, and X25519 for other clients."))
	}
	if n, ok := t.DHNode(s, dhFile); ok {
		n = n.Commented("DH parameters for the DHE suites: the RFC 7919 ffdhe2048 group, never generated",
			"on the fly; `chainscope config --dhparam FILE` writes it.")
		if dhOff {
			n.Off = true
			until := "nginx serves no DHE suite"
			if s == Apache {
				until = "Apache picks a DH group by the key's size"
			}
			n = n.Commented("Enable the line once the file exists; until then " + until + ".")
		}
		out = append(out, n)
	}
	return out
}

// leftComment says which of the policy's suites are left out and why,
// one line per reason.
func (t TLS) leftComment() []string {
	var out []string
	for _, r := range t.leftReasons() {
		out = append(out, "Left out: "+r+".")
	}
	return out
}

// leftReasons counts the suites left out by reason: "12 suites with
// static ECDH key exchange, which OpenSSL 1.1.0 removed".
func (t TLS) leftReasons() []string {
	var reasons []string
	count := map[string]int{}
	for _, l := range t.Left {
		if count[l.Why] == 0 {
			reasons = append(reasons, l.Why)
		}
		count[l.Why]++
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = plural(count[r], "suite") + " " + r
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
