// Package mtlsconf writes the part of a server's TLS configuration that
// verifies a webhook sender's client certificate — the five steps of the
// sender's document (shared/seed/pagerduty-webhooks-mutual-tls.md) — for
// nginx and Apache httpd, and the CA file those lines name.
//
// The lines differ from the seed's samples where those let an impostor in
// or refuse the sender (measured on Debian's nginx 1.22 and Apache 2.4 with
// OpenSSL 3):
//
//   - the depth is written in each server's own counting: nginx's
//     ssl_verify_depth counts intermediates only (OpenSSL's
//     X509_VERIFY_PARAM_set_depth), Apache's SSLVerifyDepth counts the root
//     too (mod_ssl's verify callback compares it with the error depth);
//   - the subject test matches the CN exactly: for nginx a regex anchored at
//     the RDN boundaries of $ssl_client_s_dn (RFC 2253, escaped separators
//     excluded) with its dots escaped, for Apache string equality on
//     SSL_CLIENT_S_DN_CN;
//   - the test sits where it covers every URL: nginx's at server level,
//     where it runs before a location is chosen; Apache's in <Location "/">,
//     which also covers proxied URLs (a <Directory> does not);
//   - the CA file holds the roots and intermediates of the sender's current
//     chains ([policy.ClientChain]), not the seed's old root.
package mtlsconf

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/serverconf"
)

// Spec is what the configuration verifies: the sender's current chains in
// the chosen region and where the server reads the CA file.
type Spec struct {
	// Policy names the policy, for the comments.
	Policy string
	// Region is the region chosen ("us", "eu", or [policy.RegionAll]).
	Region string
	// At is the instant the chains were chosen at.
	At time.Time
	// Chains are the sender's chains current at At in Region.
	Chains []policy.ClientChain
	// Depth is the verification depth in the seed's counting: the
	// certificates above the client certificate, the root included
	// ([policy.ClientAuth.VerifyDepthFor] the chains).
	Depth int
	// CAFile is the path of the CA file the configuration names.
	CAFile string
}

// NewSpec returns the spec for the policy's chains current at at in
// region, naming caFile; the error says when the policy has none (it wraps
// [policy.ErrNoClientChains]).
func NewSpec(p *policy.Policy, at time.Time, region, caFile string) (Spec, error) {
	chains, err := p.RequireClientChains(at, region)
	if err != nil {
		return Spec{}, err
	}
	for _, c := range chains {
		if !cnPattern.MatchString(c.CN) {
			return Spec{}, fmt.Errorf("policy %s: chain %q: CN %q is not a host name (letters, digits, dots, dashes, underscores); it cannot be written into a server's subject test safely", p.Name, c.Name, c.CN)
		}
	}
	if region == "" {
		region = policy.RegionAll
	}
	return Spec{Policy: p.Name, Region: strings.ToLower(region), At: at.UTC(), Chains: chains, Depth: p.ClientAuth.VerifyDepthFor(chains), CAFile: caFile}, nil
}

// CNs returns the subject CNs the configuration accepts, each once, in
// the policy's order.
func (s Spec) CNs() []string {
	var out []string
	for _, c := range s.Chains {
		if !slices.Contains(out, c.CN) {
			out = append(out, c.CN)
		}
	}
	return out
}

// CAs returns the CAs of the chains, each once: every chain's
// intermediates, issuing CA first, then its root.
func (s Spec) CAs() []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range s.Chains {
		for _, ca := range c.CAs() {
			dup := false
			for _, o := range out {
				dup = dup || o.Equal(ca)
			}
			if !dup {
				out = append(out, ca)
			}
		}
	}
	return out
}

// Intermediates is the number of intermediates the sender's path has below
// the root: the depth in the seed's counting less the root.
func (s Spec) Intermediates() int { return max(0, s.Depth-1) }

// NginxDepth is ssl_verify_depth for the sender's path: nginx with OpenSSL
// 3 counts the intermediates only (neither the client certificate nor the
// root), so the path leaf → 1 intermediate → root needs 1, and the seed's 2
// also admits a chain with two intermediates.
func (s Spec) NginxDepth() int { return s.Intermediates() }

// ApacheDepth is SSLVerifyDepth for the sender's path: mod_ssl refuses a
// certificate whose error depth exceeds it, and the root is at the depth of
// the intermediates plus one, so leaf → 1 intermediate → root needs 2 (the
// default 1 refuses the sender).
func (s Spec) ApacheDepth() int { return s.Intermediates() + 1 }

// NginxSubjectRegex is the PCRE that $ssl_client_s_dn must match: one RDN
// of the subject is exactly CN=<one of the CNs>. $ssl_client_s_dn is
// RFC 2253 (nginx 1.11.6 and later), so RDNs are separated by "," (or "+"
// inside a multi-valued RDN), and a separator inside a value is escaped
// with a backslash: "(^|[^\x5c],)" admits only a real separator before CN=,
// "([,+]|$)" only one after it. The dots are escaped; \x5c (a backslash)
// keeps nginx's own string escapes out of the way.
func NginxSubjectRegex(cns []string) string {
	quoted := make([]string, len(cns))
	for i, cn := range cns {
		quoted[i] = regexp.QuoteMeta(cn)
	}
	alt := strings.Join(quoted, "|")
	if len(cns) > 1 {
		alt = "(" + alt + ")"
	}
	return `(^|[^\x5c],)CN=` + alt + `([,+]|$)`
}

// cnPattern is what a CN written into a configuration may be: a host name,
// so it needs no quoting in an nginx regex (its dots are escaped) or an
// Apache expression string.
var cnPattern = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$`)

// ApacheSubjectExpr is the ap_expr (Apache's expression syntax) the
// request must satisfy: the client certificate verified and its subject CN
// equal to one of the CNs. The CNs hold no quote or backslash
// ([NewSpec] refuses any other CN).
func ApacheSubjectExpr(cns []string) string {
	quoted := make([]string, len(cns))
	for i, cn := range cns {
		quoted[i] = "'" + cn + "'"
	}
	test := "%{SSL_CLIENT_S_DN_CN} == " + quoted[0]
	if len(cns) > 1 {
		test = "%{SSL_CLIENT_S_DN_CN} in {" + strings.Join(quoted, ", ") + "}"
	}
	return "%{SSL_CLIENT_VERIFY} == 'SUCCESS' && " + test
}

// Write writes the configuration for server to w: comment lines saying
// what it verifies and where it goes, then [Nodes].
func Write(w io.Writer, server serverconf.Server, s Spec) error {
	if server != serverconf.Nginx && server != serverconf.Apache {
		return fmt.Errorf("server %q: want nginx or apache", server)
	}
	var head []string
	head = append(head, wrap(fmt.Sprintf("chainscope mtls %s: verify the client certificate of the sender of policy %s (region %s, chains in use at %s): the five steps of the sender's document.",
		server, s.Policy, s.Region, s.At.Format("2006-01-02")), "")...)
	for _, c := range s.Chains {
		head = append(head, wrap(fmt.Sprintf("%s: CN=%s, %s", c.Name, c.CN, pathText(c)), "  ")...)
	}
	where := "Put these lines in the server { } block that receives the webhooks, at server level (not inside a location), next to its ssl_certificate lines."
	if server == serverconf.Apache {
		where = "Put these lines in the <VirtualHost> that receives the webhooks, at VirtualHost level: SSLVerifyClient inside a <Location> or <Directory> asks for the certificate by renegotiation (TLS 1.2) or post-handshake authentication (TLS 1.3), which some clients do not offer."
	}
	head = append(head, wrap(where, "")...)
	out := serverconf.Render(server, append([]serverconf.Node{{Comment: head}}, Nodes(server, s)...)...)
	_, err := io.WriteString(w, out)
	return err
}

// pathText is "issued by CN=A under CN=Root (since 2024-06-01)".
func pathText(c policy.ClientChain) string {
	var names []string
	for _, ca := range c.CAs() {
		names = append(names, "CN="+ca.Subject.CommonName)
	}
	s := "issued by " + names[0]
	if len(names) > 1 {
		s += " under " + strings.Join(names[1:], " under ")
	}
	var notes []string
	if !c.From.IsZero() {
		notes = append(notes, "since "+c.From.Format("2006-01-02"))
	}
	if !c.Until.IsZero() {
		notes = append(notes, "until "+c.Until.Format("2006-01-02"))
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// commentWidth is where comment lines wrap.
const commentWidth = 76

// wrap splits text into comment lines of at most commentWidth columns;
// continuation lines start with more.
func wrap(text, more string) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > commentWidth {
			out = append(out, line)
			line = more
		}
		if line != "" && line != more {
			line += " "
		}
		line += word
	}
	return append(out, line)
}

// Nodes returns the directives that verify the sender, each commented
// with the step of the sender's document it does and why it reads as it
// does: for nginx the lines of a server block, for Apache those of a
// VirtualHost (a serverconf.Site takes them as its Extra).
func Nodes(server serverconf.Server, s Spec) []serverconf.Node {
	cns := s.CNs()
	step := func(n serverconf.Node, text string) serverconf.Node {
		return n.Spaced().Commented(wrap(text, "")...)
	}
	if server == serverconf.Apache {
		return []serverconf.Node{
			step(serverconf.Directive("SSLCACertificateFile", s.CAFile),
				"Steps 1 and 3: trust the roots and intermediates of the sender's current chains, and no other CA (chainscope mtls apache --ca-out FILE writes the file). A file, not SSLCACertificatePath: a directory needs its hash links (c_rehash), and without them every client is refused."),
			step(serverconf.Directive("SSLVerifyClient", "require"),
				"Step 2: refuse the handshake without a valid client certificate."),
			step(serverconf.Directive("SSLVerifyDepth", fmt.Sprint(s.ApacheDepth())),
				fmt.Sprintf("Step 4: the sender's path has %s below the root, and Apache counts the root too: %d is exact (the default, 1, refuses the sender; %d would also admit a chain with %s).",
					plural(s.Intermediates(), "intermediate"), s.ApacheDepth(), s.ApacheDepth()+1, plural(s.Intermediates()+1, "intermediate"))),
			step(serverconf.Node{Name: "Location", Args: []string{"/"}, Block: true, Children: []serverconf.Node{
				serverconf.Directive("Require", "expr", ApacheSubjectExpr(cns)),
			}}, fmt.Sprintf("Step 5: the subject CN must be %s. <Location /> covers every URL of this VirtualHost, proxied ones included (a <Directory> does not apply to ProxyPass). A <Location> or <Directory> of yours with its own Require replaces this test unless it says \"AuthMerging And\".", cnList(cns))),
		}
	}
	refuse := []serverconf.Node{serverconf.Directive("return", "403")}
	return []serverconf.Node{
		step(serverconf.Directive("ssl_client_certificate", s.CAFile),
			"Steps 1 and 3: trust the roots and intermediates of the sender's current chains, and no other CA (chainscope mtls nginx --ca-out FILE writes the file). Keep other CAs out of ssl_trusted_certificate too: nginx trusts those for client certificates as well."),
		step(serverconf.Directive("ssl_verify_client", "on"),
			"Step 2: ask for a client certificate; without a valid one nginx answers 400 (\"optional\" would let a client without one through)."),
		step(serverconf.Directive("ssl_verify_depth", fmt.Sprint(s.NginxDepth())),
			fmt.Sprintf("Step 4: the sender's path has %s below the root. nginx counts intermediates only (OpenSSL 3), so %d is exact; %d would also admit a chain with %s.",
				plural(s.Intermediates(), "intermediate"), s.NginxDepth(), s.NginxDepth()+1, plural(s.Intermediates()+1, "intermediate"))),
		step(serverconf.Node{Name: "if", Args: []string{"($ssl_client_verify", "!=", "SUCCESS)"}, Block: true, Children: refuse},
			fmt.Sprintf("Step 5: the subject must hold %s exactly: the regex is anchored at the RDN boundaries of $ssl_client_s_dn and its dots are escaped, so %s and %s are refused. At server level these tests run before any location is chosen, so they cover every one.",
				cnList(cns), "CN="+cns[0]+".evil.example", "CN="+strings.ReplaceAll(cns[0], ".", "-")+".evil.example")),
		{Name: "if", Args: []string{"($ssl_client_s_dn", "!~", NginxSubjectRegex(cns) + ")"}, Block: true, Children: refuse},
	}
}

// CAFile returns the CA file of the spec: each CA as PEM, preceded by
// comment lines naming it and the chains it serves, with their sources
// (OpenSSL skips text between PEM blocks).
func CAFile(s Spec) []byte {
	var b bytes.Buffer
	comment(&b, fmt.Sprintf("The CAs of the client certificates of the sender of policy %s (region %s), in use at %s; written by chainscope mtls for ssl_client_certificate (nginx) or SSLCACertificateFile (Apache).", s.Policy, s.Region, s.At.Format("2006-01-02")), "")
	for _, ca := range s.CAs() {
		sum := sha256.Sum256(ca.Raw)
		role := "intermediate"
		if bytes.Equal(ca.RawIssuer, ca.RawSubject) {
			role = "root"
		}
		b.WriteString("\n")
		comment(&b, fmt.Sprintf("%s %s, valid %s to %s, SHA-256 %s", role, ca.Subject, ca.NotBefore.UTC().Format("2006-01-02"), ca.NotAfter.UTC().Format("2006-01-02"), hex.EncodeToString(sum[:])), "  ")
		for _, c := range s.Chains {
			if slices.ContainsFunc(c.CAs(), ca.Equal) && c.Source != "" {
				comment(&b, fmt.Sprintf("chain %s: %s", c.Name, c.Source), "  ")
			}
		}
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}))
	}
	return b.Bytes()
}

// comment writes text as wrapped "# " lines.
func comment(b *bytes.Buffer, text, more string) {
	for _, l := range wrap(text, more) {
		b.WriteString("# " + l + "\n")
	}
}

func cnList(cns []string) string {
	parts := make([]string, len(cns))
	for i, cn := range cns {
		parts[i] = "CN=" + cn
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
