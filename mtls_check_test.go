package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/inspect"
)

// mistake is a server set up with one of the mistakes operators make with
// the sender's five steps (the list), and what mtls check must
// report on it.
type mistake struct {
	name   string
	server string // nginx or apache
	// conf returns the lines of the server block or VirtualHost; dir is a
	// directory for the files it needs.
	conf    func(t *testing.T, p *mtlsPKI, dir string) string
	modules []string // more Apache modules
	// rootStandIn gives mtls check the stand-in root alone (its
	// intermediates made on the fly) instead of the intermediate and root.
	rootStandIn bool
	// policy is the policy file; "" is the test sender's.
	policy func(p *mtlsPKI) string
	// other passes the test's other root as --other-ca-cert.
	other bool
	// allRegions checks every region's CN: the configurations chainscope
	// writes accept both; the hand-written ones only the US one.
	allRegions bool
	// want are the checks that must not pass, with their status and a
	// phrase of their detail; every other mtls check passes.
	want map[string]want
}

type want struct {
	status inspect.Status
	detail string
}

// nginxCN is an nginx subject test, at server level unless in says where.
func nginxCN(regex string) string {
	return fmt.Sprintf("    if ($ssl_client_s_dn !~ %q) { return 403; }\n", regex)
}

var mistakes = []mistake{
	{name: "nginx from chainscope mtls", server: "nginx", allRegions: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string { return p.mtlsConf(t, "nginx", dir) }},
	{name: "apache from chainscope mtls", server: "apache", allRegions: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string { return p.mtlsConf(t, "apache", dir) }},
	// nginx's "return 444" closes the connection without an answer: a
	// refusal, as the sender's delivery gets no answer either.
	{name: "nginx from chainscope mtls, refusing with 444", server: "nginx", allRegions: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return strings.ReplaceAll(p.mtlsConf(t, "nginx", dir), "return 403;", "return 444;")
		}},
	{name: "nginx seed sample", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf(`    ssl_verify_client on;
    ssl_client_certificate %s;
    ssl_verify_depth 2;
    location / {
        if ($ssl_client_s_dn !~ "CN=webhooks.test") { return 403; }
        return 200 "ok\n";
    }
`, p.standInRoot)
		},
		want: map[string]want{
			inspect.CheckMTLSEvilSuffix: {inspect.StatusFail, "not anchored"},
			inspect.CheckMTLSLookAlike:  {inspect.StatusFail, "not escaped"},
			inspect.CheckMTLSDepth:      {inspect.StatusFail, "ssl_verify_depth 1, not the seed's 2"},
			inspect.CheckMTLSSenderLeaf: {inspect.StatusWarn, "holds the root alone"},
		}},
	{name: "nginx escaped but not anchored", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client on;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.standInChain) + nginxCN(`CN=webhooks\.test`)
		},
		want: map[string]want{inspect.CheckMTLSEvilSuffix: {inspect.StatusFail, "not anchored"}}},
	{name: "nginx depth 2", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return strings.Replace(p.mtlsConf(t, "nginx", dir), "ssl_verify_depth 1;", "ssl_verify_depth 2;", 1)
		},
		want: map[string]want{inspect.CheckMTLSDepth: {inspect.StatusFail, "admits 2 intermediates"}}},
	{name: "apache default depth", server: "apache", rootStandIn: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return strings.Replace(p.mtlsConf(t, "apache", dir), "SSLVerifyDepth 2", "", 1)
		},
		want: map[string]want{inspect.CheckMTLSSender: {inspect.StatusFail, "the verify depth is too low"}}},
	{name: "apache depth 3", server: "apache",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return strings.Replace(p.mtlsConf(t, "apache", dir), "SSLVerifyDepth 2", "SSLVerifyDepth 3", 1)
		},
		want: map[string]want{inspect.CheckMTLSDepth: {inspect.StatusFail, "SSLVerifyDepth 2"}}},
	{name: "nginx CA file with the intermediate only", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client on;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.interOnly) + nginxCN(`(^|,)CN=webhooks\.test(,|$)`)
		},
		want: map[string]want{
			inspect.CheckMTLSSender:     {inspect.StatusFail, "but not its root"},
			inspect.CheckMTLSSenderLeaf: {inspect.StatusWarn, "refused"},
			inspect.CheckClientAuth:     {inspect.StatusWarn, "names the sender's intermediate"},
		}},
	{name: "nginx CA file with the root only", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client on;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.standInRoot) + nginxCN(`(^|,)CN=webhooks\.test(,|$)`)
		},
		want: map[string]want{inspect.CheckMTLSSenderLeaf: {inspect.StatusWarn, "holds the root alone"}}},
	{name: "apache CA path without hash links", server: "apache", rootStandIn: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			cadir := filepath.Join(dir, "cadir")
			if err := os.Mkdir(cadir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{p.standInRoot, p.interOnly} {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(cadir, filepath.Base(f)), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			conf := p.mtlsConf(t, "apache", dir)
			i := strings.Index(conf, "SSLCACertificateFile ")
			j := strings.Index(conf[i:], "\n")
			return conf[:i] + "SSLCACertificatePath " + cadir + conf[i+j:]
		},
		want: map[string]want{inspect.CheckMTLSSender: {inspect.StatusFail, "hash links"}}},
	{name: "nginx ssl_trusted_certificate", server: "nginx", other: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return p.mtlsConf(t, "nginx", dir) + fmt.Sprintf("    ssl_trusted_certificate %s;\n", p.otherRootCert)
		},
		want: map[string]want{inspect.CheckMTLSOtherCA: {inspect.StatusFail, "ssl_trusted_certificate"}}},
	{name: "nginx optional without a check", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client optional;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.standInChain)
		},
		want: map[string]want{
			inspect.CheckMTLSNoCert:     {inspect.StatusFail, "optional"},
			inspect.CheckMTLSOtherCN:    {inspect.StatusFail, "no subject test applies"},
			inspect.CheckMTLSEvilSuffix: {inspect.StatusFail, "no subject test applies"},
			inspect.CheckMTLSLookAlike:  {inspect.StatusFail, "no subject test applies"},
		}},
	// chainscope's lines test $ssl_client_verify too, so they hold even
	// when someone relaxes ssl_verify_client.
	{name: "nginx from chainscope mtls, made optional_no_ca", server: "nginx", allRegions: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return strings.Replace(p.mtlsConf(t, "nginx", dir), "ssl_verify_client on;", "ssl_verify_client optional_no_ca;", 1)
		}},
	{name: "nginx optional_no_ca, CN test only", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client optional_no_ca;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.standInChain) + nginxCN(`(^|,)CN=webhooks\.test(,|$)`)
		},
		// The CN test refuses a client without a certificate: required,
		// yet any CA gets in, which mtls.client_auth must not read as
		// verifying.
		want: map[string]want{
			inspect.CheckMTLSOtherCA: {inspect.StatusFail, "optional_no_ca"},
			inspect.CheckClientAuth:  {inspect.StatusWarn, "does not verify who issued a certificate"},
		}},
	{name: "nginx CN test in another location", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client on;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.standInChain) +
				"    location /admin {\n    " + nginxCN(`(^|,)CN=webhooks\.test(,|$)`) + "        return 200 \"admin\\n\";\n    }\n"
		},
		want: map[string]want{
			inspect.CheckMTLSOtherCN:    {inspect.StatusFail, "no subject test applies to /webhook"},
			inspect.CheckMTLSEvilSuffix: {inspect.StatusFail, "no subject test applies"},
			inspect.CheckMTLSLookAlike:  {inspect.StatusFail, "no subject test applies"},
		}},
	{name: "apache Directory with ProxyPass", server: "apache", modules: []string{"proxy", "proxy_http"},
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
			t.Cleanup(backend.Close)
			return fmt.Sprintf(`  SSLCACertificateFile %s
  SSLVerifyClient require
  SSLVerifyDepth 2
  ProxyPass /webhook %s/webhook
  <Directory %s>
    Require expr "%%{SSL_CLIENT_S_DN_CN} == 'webhooks.test'"
  </Directory>
`, p.standInChain, backend.URL, dir)
		},
		want: map[string]want{
			inspect.CheckMTLSOtherCN:    {inspect.StatusFail, "no subject test applies to /webhook"},
			inspect.CheckMTLSEvilSuffix: {inspect.StatusFail, "no subject test applies"},
			inspect.CheckMTLSLookAlike:  {inspect.StatusFail, "no subject test applies"},
		}},
	{name: "apache SSLVerifyClient in a Location", server: "apache",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf(`  SSLCACertificateFile %s
  SSLVerifyDepth 2
  <Location /webhook>
    SSLVerifyClient require
    Require expr "%%{SSL_CLIENT_S_DN_CN} == 'webhooks.test'"
  </Location>
`, p.standInChain)
		},
		want: map[string]want{inspect.CheckMTLSRequest: {inspect.StatusWarn, "renegotiation"}}},
	// The sender's EU region has its own CN: a subject test written for
	// the US one refuses the EU sender.
	{name: "nginx with the US CN only, checked for every region", server: "nginx", allRegions: true,
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return p.mtlsConf(t, "nginx", dir, "--region", "us")
		},
		want: map[string]want{inspect.CheckMTLSSender: {inspect.StatusFail, "CN=" + senderEUCN + " from the stand-in CA"}}},
	// No client verification: every client gets in, and each impostor's
	// check says why (not a mistake of its own).
	{name: "nginx without client verification", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string { return "" },
		want: neverAsked(map[string]want{
			inspect.CheckClientAuth:     {inspect.StatusInfo, "does not ask for a client certificate"},
			inspect.CheckMTLSSenderLeaf: {inspect.StatusPass, "no certificate was asked for"},
		})},
	// A proxy terminating TLS in front of a server set up by chainscope
	// mtls: the proxy asks for no certificate and has none to send, so
	// the server behind it refuses everyone.
	{name: "TLS-terminating proxy in front of nginx from chainscope mtls", server: "nginx",
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			backend := startNginx(t, p, p.mtlsConf(t, "nginx", dir))
			return fmt.Sprintf("    location / { proxy_pass https://%s; }\n", backend)
		},
		want: map[string]want{
			inspect.CheckMTLSRequest:    {inspect.StatusFail, "a proxy or load balancer"},
			inspect.CheckMTLSSender:     {inspect.StatusFail, "never asks for a client certificate (see mtls.request)"},
			inspect.CheckMTLSSenderLeaf: {inspect.StatusWarn, "see mtls.sender"},
			inspect.CheckClientAuth:     {inspect.StatusInfo, "does not ask for a client certificate"},
		}},
	{name: "nginx trusting the sender's old root only", server: "nginx",
		policy: func(p *mtlsPKI) string { return p.oldRootPolicy },
		conf: func(t *testing.T, p *mtlsPKI, dir string) string {
			return fmt.Sprintf("    ssl_verify_client on;\n    ssl_client_certificate %s;\n    ssl_verify_depth 1;\n", p.oldRootCert) + nginxCN(`(^|,)CN=webhooks\.test(,|$)`)
		},
		want: map[string]want{
			inspect.CheckMTLSSender:     {inspect.StatusFail, "does not list CN=Test Sender Root"},
			inspect.CheckMTLSSenderLeaf: {inspect.StatusWarn, "refused"},
			inspect.CheckClientAuth:     {inspect.StatusFail, "trusts CN=Test Sender Old Root, which the sender's certificate chained to until"},
		}},
}

// neverAsked is what mtls check says of a server that asks for no client
// certificate, beside the checks of more: mtls.request fails naming a
// proxy that terminates TLS as a cause, and each impostor gets in because
// nothing was asked for, not for a mistake of its own.
func neverAsked(more map[string]want) map[string]want {
	w := map[string]want{inspect.CheckMTLSRequest: {inspect.StatusFail, "a proxy or load balancer"}}
	for _, id := range []string{inspect.CheckMTLSNoCert, inspect.CheckMTLSOtherCN, inspect.CheckMTLSEvilSuffix, inspect.CheckMTLSLookAlike, inspect.CheckMTLSOtherCA, inspect.CheckMTLSDepth, inspect.CheckMTLSExpired} {
		w[id] = want{inspect.StatusFail, "the server asks for no client certificate (see mtls.request)"}
	}
	for id, v := range more {
		w[id] = v
	}
	return w
}

// TestMTLSCheckMistakes: mtls check, run against a real nginx or Apache
// httpd set up with each mistake, reports it as the check of the client
// the mistake lets in or keeps out, and nothing else; a server set up by
// chainscope mtls passes every check.
func TestMTLSCheckMistakes(t *testing.T) {
	t.Parallel()
	p := newMTLSPKI(t)
	for _, m := range mistakes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var addr string
			if m.server == "nginx" {
				addr = startNginx(t, p, m.conf(t, p, dir))
			} else {
				addr = startApache(t, p, m.conf(t, p, dir), m.modules...)
			}
			pol := p.policyFile
			if m.policy != nil {
				pol = m.policy(p)
			}
			args := []string{"mtls", "check", "--json", "--policy", pol, "--servername", "localhost", "https://" + addr + webhookPath}
			if m.rootStandIn {
				args = append(args, "--ca-cert", p.standInRoot, "--ca-key", p.standInRootKey)
			} else {
				args = append(args, "--ca-cert", p.standInChain, "--ca-key", p.standInKey)
			}
			if !m.allRegions {
				args = append(args, "--region", "us")
			}
			if m.other {
				args = append(args, "--other-ca-cert", p.otherRootCert, "--other-ca-key", p.otherRootKey)
			}
			stdout, stderr, code := runCLI(t, "", args...)
			var r inspect.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatalf("exit %d, stdout not JSON: %v\n%s", code, err, stderr)
			}
			wantCode := exitPass
			for _, w := range m.want {
				if w.status == inspect.StatusFail {
					wantCode = exitFail
				}
			}
			if code != wantCode {
				t.Errorf("exit status = %d, want %d\n%s", code, wantCode, stderr)
			}
			seen := 0
			for _, c := range r.Checks {
				if c.ID != inspect.CheckClientAuth && !strings.HasPrefix(c.ID, "mtls.") || c.ID == inspect.CheckClientAuth && m.want[c.ID].status == "" {
					continue
				}
				w, ok := m.want[c.ID]
				if !ok {
					w = want{status: inspect.StatusPass}
				} else {
					seen++
				}
				if c.Status != w.status || !strings.Contains(c.Detail, w.detail) {
					t.Errorf("%s = %s: %s\nwant %s saying %q", c.ID, c.Status, c.Detail, w.status, w.detail)
				}
			}
			if seen != len(m.want) {
				t.Errorf("%d of the %d checks named were in the report", seen, len(m.want))
			}
		})
	}
}
