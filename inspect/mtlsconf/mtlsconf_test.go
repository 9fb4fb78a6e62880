package mtlsconf

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/certfile"
	"chainscope/inspect/policy"
	"chainscope/internal/testpki"
)

// TestNginxSubjectRegex: the regex matches $ssl_client_s_dn (RFC 2253, as
// nginx prints it) exactly when one RDN is the sender's CN. PCRE and RE2
// agree on every construct it uses; the real nginx runs it in the
// end-to-end tests of the command.
func TestNginxSubjectRegex(t *testing.T) {
	t.Parallel()
	us := regexp.MustCompile(NginxSubjectRegex([]string{"webhooks.test"}))
	both := regexp.MustCompile(NginxSubjectRegex([]string{"webhooks.test", "webhooks.eu.test"}))
	tests := []struct {
		dn       string
		us, both bool
	}{
		{`CN=webhooks.test,O=chainscope test`, true, true},
		{`CN=webhooks.test`, true, true},
		{`O=chainscope test,CN=webhooks.test`, true, true},
		{`CN=webhooks.test+O=x,C=US`, true, true},
		{`CN=webhooks.eu.test,O=x`, false, true},
		{`CN=webhooks.test.evil.example,O=x`, false, false},
		{`CN=webhooks-test.evil.example`, false, false},
		{`CN=xwebhooks.test`, false, false},
		{`CN=webhooks.testx`, false, false},
		{`CN=evil.example,O=x\,CN=webhooks.test`, false, false},
		{`CN=webhooks.test\,O=x`, false, false},
		{`CN=webhooks.test\+x`, false, false},
		{`OU=CN=webhooks.test`, false, false},
		{`CN=Webhooks.test`, false, false},
		{``, false, false},
	}
	for _, tt := range tests {
		if got := us.MatchString(tt.dn); got != tt.us {
			t.Errorf("us regex matches %q = %v, want %v", tt.dn, got, tt.us)
		}
		if got := both.MatchString(tt.dn); got != tt.both {
			t.Errorf("us+eu regex matches %q = %v, want %v", tt.dn, got, tt.both)
		}
	}
}

func TestApacheSubjectExpr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cns  []string
		want string
	}{
		{[]string{"webhooks.test"}, `%{SSL_CLIENT_VERIFY} == 'SUCCESS' && %{SSL_CLIENT_S_DN_CN} == 'webhooks.test'`},
		{[]string{"a.test", "b.test"}, `%{SSL_CLIENT_VERIFY} == 'SUCCESS' && %{SSL_CLIENT_S_DN_CN} in {'a.test', 'b.test'}`},
	}
	for _, tt := range tests {
		if got := ApacheSubjectExpr(tt.cns); got != tt.want {
			t.Errorf("ApacheSubjectExpr(%q) = %s, want %s", tt.cns, got, tt.want)
		}
	}
}

// TestSpec: depths in each server's counting, regions, the CA file.
func TestSpec(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Sender Root")
	inter := testpki.Intermediate(t, root, "Sender CA")
	inter2 := testpki.Intermediate(t, inter, "Sender CA 2")
	oldRoot := testpki.Root(t, "Sender Old Root")
	p := policy.PagerDuty()
	p.ClientAuth.VerifyDepth = 0
	from := testpki.Epoch.Add(time.Hour)
	p.ClientAuth.Chains = []policy.ClientChain{
		{Name: "old", Region: "US", CN: "old.test", Root: oldRoot.Cert},
		{Name: "us", Region: "US", CN: "webhooks.test", Intermediate: inter.Cert, Root: root.Cert, From: from},
		{Name: "eu", Region: "EU", CN: "webhooks.eu.test", Intermediate: inter2.Cert, Root: inter.Cert, From: from},
	}
	tests := []struct {
		region                string
		cns                   string
		nginxDepth, apacheDep int
		cas                   []string
	}{
		{"us", "webhooks.test", 1, 2, []string{"Sender CA", "Sender Root"}},
		{"all", "webhooks.test webhooks.eu.test", 1, 2, []string{"Sender CA", "Sender Root", "Sender CA 2"}},
	}
	for _, tt := range tests {
		s, err := NewSpec(p, testpki.Now, tt.region, "/ca.pem")
		if err != nil {
			t.Fatalf("NewSpec(%s) error = %v", tt.region, err)
		}
		if got := strings.Join(s.CNs(), " "); got != tt.cns {
			t.Errorf("%s: CNs() = %s, want %s", tt.region, got, tt.cns)
		}
		if s.NginxDepth() != tt.nginxDepth || s.ApacheDepth() != tt.apacheDep {
			t.Errorf("%s: depths nginx %d, apache %d; want %d, %d", tt.region, s.NginxDepth(), s.ApacheDepth(), tt.nginxDepth, tt.apacheDep)
		}
		f, err := certfile.Parse("ca", CAFile(s))
		if err != nil {
			t.Fatalf("CAFile() does not parse: %v", err)
		}
		var got []string
		for _, c := range f.Certificates {
			got = append(got, c.Subject.CommonName)
		}
		if strings.Join(got, ",") != strings.Join(tt.cas, ",") {
			t.Errorf("%s: CA file holds %q, want %q", tt.region, got, tt.cas)
		}
	}
	if _, err := NewSpec(p, testpki.Now, "apac", "/ca.pem"); !errors.Is(err, policy.ErrNoClientChains) {
		t.Errorf("NewSpec(apac) error = %v, want ErrNoClientChains", err)
	}
	var b bytes.Buffer
	if err := Write(&b, "lighttpd", Spec{}); err == nil {
		t.Errorf("Write(lighttpd) error = nil, want one")
	}
}
