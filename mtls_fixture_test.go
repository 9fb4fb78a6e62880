package main

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// mtlsClient is one client of the done-when list: a client certificate
// (or none) and whether a server set up from chainscope mtls must accept it.
type mtlsClient struct {
	name string
	// chain is what the client sends, its certificate first; empty for a
	// client without a certificate.
	chain []*testpki.Cert
	// accept is what the sender's configuration must do with it.
	accept bool
	// weak says the client's own OpenSSL must run at security level 0 to
	// send the chain at all (curl and s_client at Debian's level 2 refuse
	// to load a key under 2048 bits), so that a refusal is the server's:
	// opensslConf is then the OPENSSL_CONF the tools run with.
	weak        bool
	opensslConf string
	// certFile holds the chain as sent, leafFile the certificate alone,
	// restFile the rest (empty when none), keyFile the key.
	certFile, leafFile, restFile, keyFile string
}

// mtlsPKI is a test CA standing in for the sender's (root → intermediate,
// both named by a policy file), the clients, and a server certificate from
// another CA. Validity is relative to the real clock: outside servers check
// it against theirs.
type mtlsPKI struct {
	dir                   string
	root, inter           *testpki.Cert
	policyFile            string
	serverCert, serverKey string
	// serverRoot is the root of the server certificate (--roots).
	serverRoot string
	clients    []*mtlsClient
	// Files for mtls check and for servers set up with a mistake: the
	// test CA as a stand-in (the intermediate then the root, with the
	// intermediate's key; the root alone, with its key), the root and the
	// intermediate alone, another root with its key, an old root the
	// sender used before, and a policy that knows it.
	standInChain, standInKey    string
	standInRoot, standInRootKey string
	interOnly                   string
	otherRootCert, otherRootKey string
	oldRootCert, oldRootPolicy  string
	// now is the instant the certificates were made around.
	now time.Time
}

const (
	senderCN   = "webhooks.test"
	senderEUCN = "webhooks.eu.test"
)

func newMTLSPKI(t *testing.T) *mtlsPKI {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	valid := testpki.Validity(now.Add(-24*time.Hour), now.Add(30*24*time.Hour))
	p := &mtlsPKI{dir: t.TempDir(), now: now}
	p.root = testpki.Root(t, "Test Sender Root", valid)
	p.inter = testpki.Intermediate(t, p.root, "Test Sender CA 1", valid)
	inter2 := testpki.Intermediate(t, p.inter, "Test Sender CA 2", valid)
	otherRoot := testpki.Root(t, "Test Other Root", valid)
	oldRoot := testpki.Root(t, "Test Sender Old Root", valid)
	otherInter := testpki.Intermediate(t, otherRoot, "Test Other CA", valid)
	clientEKU := testpki.EKU(x509.ExtKeyUsageClientAuth)
	leaf := func(issuer *testpki.Cert, subject pkix.Name, opts ...testpki.Option) *testpki.Cert {
		return testpki.Leaf(t, issuer, subject.CommonName, append([]testpki.Option{valid, clientEKU, testpki.Subject(subject)}, opts...)...)
	}
	cn := func(name string) pkix.Name {
		return pkix.Name{CommonName: name, Organization: []string{"chainscope test"}}
	}
	sender := leaf(p.inter, cn(senderCN))
	p.clients = []*mtlsClient{
		{name: "sender", chain: []*testpki.Cert{sender, p.inter}, accept: true},
		{name: "sender-leaf-only", chain: []*testpki.Cert{sender}, accept: true},
		{name: "sender-eu", chain: []*testpki.Cert{leaf(p.inter, cn(senderEUCN)), p.inter}, accept: true},
		{name: "other-cn", chain: []*testpki.Cert{leaf(p.inter, cn("other.example")), p.inter}},
		{name: "evil-suffix", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN+".evil.example")), p.inter}},
		{name: "look-alike", chain: []*testpki.Cert{leaf(p.inter, cn("webhooks-test.evil.example")), p.inter}},
		{name: "dn-injection", chain: []*testpki.Cert{leaf(p.inter, pkix.Name{CommonName: "evil.example", Organization: []string{"x,CN=" + senderCN}}), p.inter}},
		{name: "other-ca", chain: []*testpki.Cert{leaf(otherInter, cn(senderCN)), otherInter}},
		{name: "two-intermediates", chain: []*testpki.Cert{leaf(inter2, cn(senderCN)), inter2, p.inter}},
		{name: "expired", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN), testpki.Validity(now.Add(-48*time.Hour), now.Add(-24*time.Hour))), p.inter}},
		{name: "server-eku-only", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN), testpki.EKU(x509.ExtKeyUsageServerAuth)), p.inter}},
		{name: "key-encipherment-only", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN), testpki.KeyUsage(x509.KeyUsageKeyEncipherment)), p.inter}},
		{name: "netscape-server-only", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN), netscapeCertType(t, 0x40)), p.inter}},
		{name: "rsa-1024", chain: []*testpki.Cert{leaf(p.inter, cn(senderCN), testpki.RSA(1024)), p.inter}, weak: true},
		{name: "none"},
	}
	seclevel0 := p.write(t, "openssl-seclevel0.cnf", []byte("openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n"+
		"[ssl_sect]\nsystem_default = system_default_sect\n[system_default_sect]\nCipherString = DEFAULT@SECLEVEL=0\n"))
	for _, c := range p.clients {
		if c.weak {
			c.opensslConf = seclevel0
		}
		if len(c.chain) == 0 {
			continue
		}
		c.certFile = p.write(t, c.name+".pem", testpki.PEM(c.chain...))
		c.leafFile = p.write(t, c.name+"-leaf.pem", testpki.PEM(c.chain[0]))
		if len(c.chain) > 1 {
			c.restFile = p.write(t, c.name+"-rest.pem", testpki.PEM(c.chain[1:]...))
		}
		c.keyFile = p.write(t, c.name+".key", testpki.KeyPEM(t, c.chain[0]))
	}
	srvRoot := testpki.Root(t, "Test Server Root", valid)
	srv := testpki.Leaf(t, srvRoot, "localhost", valid)
	p.serverCert = p.write(t, "server.pem", testpki.PEM(srv))
	p.serverRoot = p.write(t, "server-root.pem", testpki.PEM(srvRoot))
	p.serverKey = p.write(t, "server.key", testpki.KeyPEM(t, srv))

	// The policy: pagerduty's rules with the test CA as the sender's.
	pol := policy.PagerDuty()
	pol.Name = "test-sender"
	pol.ClientAuth = policy.ClientAuth{VerifyDepth: 2}
	pol.ClientAuth.Chains = []policy.ClientChain{
		{Name: "test US", Region: "US", CN: senderCN, Intermediate: p.inter.Cert, Root: p.root.Cert, Source: "test CA"},
		{Name: "test EU", Region: "EU", CN: senderEUCN, Intermediate: p.inter.Cert, Root: p.root.Cert, Source: "test CA"},
	}
	data, err := json.Marshal(pol)
	if err != nil {
		t.Fatal(err)
	}
	p.policyFile = p.write(t, "policy.json", data)

	p.standInChain = p.write(t, "standin-chain.pem", testpki.PEM(p.inter, p.root))
	p.standInKey = p.write(t, "standin.key", testpki.KeyPEM(t, p.inter))
	p.standInRoot = p.write(t, "standin-root.pem", testpki.PEM(p.root))
	p.standInRootKey = p.write(t, "standin-root.key", testpki.KeyPEM(t, p.root))
	p.interOnly = p.write(t, "intermediate-only.pem", testpki.PEM(p.inter))
	p.otherRootCert = p.write(t, "other-root.pem", testpki.PEM(otherRoot))
	p.otherRootKey = p.write(t, "other-root.key", testpki.KeyPEM(t, otherRoot))
	p.oldRootCert = p.write(t, "old-root.pem", testpki.PEM(oldRoot))
	// The sender moved from the old root to the test CA a year ago.
	old := *pol
	moved := now.AddDate(-1, 0, 0)
	old.ClientAuth.Chains = []policy.ClientChain{
		{Name: "old US", Region: "US", CN: senderCN, Root: oldRoot.Cert, From: now.AddDate(-3, 0, 0), Source: "test"},
		{Name: "test US", Region: "US", CN: senderCN, Intermediate: p.inter.Cert, Root: p.root.Cert, From: moved, Source: "test"},
	}
	if data, err = json.Marshal(&old); err != nil {
		t.Fatal(err)
	}
	p.oldRootPolicy = p.write(t, "policy-old-root.json", data)
	return p
}

// netscapeCertType is Netscape's certificate type extension
// (2.16.840.1.113730.1.1) with the bits given: 0x80 SSL client, 0x40 SSL
// server. OpenSSL's SSL client purpose refuses a certificate that has one
// without SSL client; crypto/x509 ignores it.
func netscapeCertType(t *testing.T, bits byte) testpki.Option {
	v, err := asn1.Marshal(asn1.BitString{Bytes: []byte{bits}, BitLength: 8})
	if err != nil {
		t.Fatal(err)
	}
	return testpki.Extension(pkix.Extension{Id: asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}, Value: v})
}

func (p *mtlsPKI) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	f := filepath.Join(p.dir, name)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// mtlsConf runs chainscope mtls nginx|apache with the test policy, writing
// the CA file into dir, and returns the configuration lines.
func (p *mtlsPKI) mtlsConf(t *testing.T, server, dir string, extra ...string) string {
	t.Helper()
	args := append([]string{"mtls", server, "--policy", p.policyFile, "--ca-out", filepath.Join(dir, server+"-client-ca.pem")}, extra...)
	stdout, stderr, code := runCLI(t, "", args...)
	if code != exitPass {
		t.Fatalf("chainscope %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// env is the environment of the client tools: the OpenSSL configuration
// of a weak client, nil (the test's own) otherwise.
func (c *mtlsClient) env() []string {
	if c.opensslConf == "" {
		return nil
	}
	return append(os.Environ(), "OPENSSL_CONF="+c.opensslConf)
}

// httpOutcome is what a server did with a client: the HTTP status, or 0
// when the handshake or the request failed, and what the client said.
type httpOutcome struct {
	status int
	detail string
}

func (o httpOutcome) accepted() bool { return o.status == 200 }

// webhookPath is the URL path the clients request.
const webhookPath = "/webhook"

// curlGet requests webhookPath with curl over the TLS version ("1.2" or
// "1.3"), presenting the client's chain.
func curlGet(t *testing.T, addr string, c *mtlsClient, version string) httpOutcome {
	t.Helper()
	curl := e2e.NeedTool(t, "curl")
	args := []string{"-sk", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "--tlsv" + version, "--tls-max", version}
	if c.certFile != "" {
		args = append(args, "--cert", c.certFile, "--key", c.keyFile)
	}
	args = append(args, "https://"+addr+webhookPath)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, curl, args...)
	cmd.Env = c.env()
	out, err := cmd.CombinedOutput()
	var status int
	fmt.Sscanf(string(out), "%d", &status)
	return httpOutcome{status, fmt.Sprintf("curl: %s (%v)", strings.TrimSpace(string(out)), err)}
}

var statusLine = regexp.MustCompile(`(?m)^HTTP/1\.[01] (\d{3})`)

// sClientGet sends the same request through openssl s_client.
func sClientGet(t *testing.T, addr string, c *mtlsClient, version string) httpOutcome {
	t.Helper()
	openssl := e2e.NeedTool(t, "openssl")
	args := []string{"s_client", "-connect", addr, "-servername", "localhost", "-quiet", "-tls" + strings.ReplaceAll(version, ".", "_")}
	if c.certFile != "" {
		args = append(args, "-cert", c.leafFile, "-key", c.keyFile)
		if c.restFile != "" {
			args = append(args, "-cert_chain", c.restFile)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, openssl, args...)
	cmd.Env = c.env()
	cmd.Stdin = strings.NewReader("GET " + webhookPath + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
	out, err := cmd.CombinedOutput()
	var status int
	if m := statusLine.FindSubmatch(out); m != nil {
		fmt.Sscanf(string(m[1]), "%d", &status)
	}
	detail := string(out)
	if len(detail) > 600 {
		detail = detail[:600]
	}
	return httpOutcome{status, fmt.Sprintf("s_client (%v): %s", err, detail)}
}

// client returns the client of that name.
func (p *mtlsPKI) client(name string) *mtlsClient {
	for _, c := range p.clients {
		if c.name == name {
			return c
		}
	}
	panic("no client " + name)
}
