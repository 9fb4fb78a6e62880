package serve

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"chainscope/inspect"
	"chainscope/inspect/trust"
	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// TestMain fails the package when a goroutine outlives the tests: every
// probe's connections are closed when it answers.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// pki is one test hierarchy: root → intermediate → leaf for localhost.
type pki struct {
	root, inter, leaf *testpki.Cert
	store             *trust.Store
}

var (
	pkiOnce sync.Once
	testPKI pki
)

func newPKI(t *testing.T) pki {
	pkiOnce.Do(func() {
		root := testpki.Root(t, "serve test root")
		inter := testpki.Intermediate(t, root, "serve test intermediate")
		testPKI = pki{
			root:  root,
			inter: inter,
			leaf:  testpki.Leaf(t, inter, "localhost"),
			store: trust.New("test", "serve test roots", []*trust.Root{{Cert: root.Cert}}),
		}
	})
	return testPKI
}

// serveChain serves the certificates as given (the first is the leaf)
// with crypto/tls on 127.0.0.1, and returns the target localhost:PORT.
func serveChain(t *testing.T, key *testpki.Cert, chain ...*testpki.Cert) string {
	t.Helper()
	cert := tls.Certificate{PrivateKey: key.Key}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Cert.Raw)
	}
	addr := e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	_, port, _ := net.SplitHostPort(addr)
	return "localhost:" + port
}

// refusedTarget is a loopback port nothing listens on.
func refusedTarget(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return "localhost:" + port
}

// newServer returns a chainscope server for the test PKI, validity judged
// at testpki.Now, behind an httptest server.
func newServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	p := newPKI(t)
	if cfg.Options.Store == nil {
		cfg.Options.Store = p.store
	}
	cfg.Options.At = testpki.Now
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// get fetches path with the given headers; it returns status and body.
func get(t *testing.T, base, path string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func probePath(target string, more ...string) string {
	q := url.Values{"target": {target}}
	for i := 0; i+1 < len(more); i += 2 {
		q.Set(more[i], more[i+1])
	}
	return "/probe?" + q.Encode()
}

// families parses the text exposition format.
func families(t *testing.T, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse metrics: %v\n%s", err, body)
	}
	return fams
}

// value returns the value of the one series of name whose labels include
// want, and how many series matched.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, int) {
	f, ok := fams[name]
	if !ok {
		return 0, 0
	}
	var v float64
	n := 0
	for _, m := range f.Metric {
		if !hasLabels(m, want) {
			continue
		}
		n++
		switch {
		case m.Gauge != nil:
			v = m.Gauge.GetValue()
		case m.Counter != nil:
			v = m.Counter.GetValue()
		}
	}
	return v, n
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	for k, w := range want {
		found := false
		for _, lp := range m.Label {
			if lp.GetName() == k && lp.GetValue() == w {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// labelsOf returns the values of label key across the series of name that
// carry the labels in want.
func labelsOf(fams map[string]*dto.MetricFamily, name, key string, want map[string]string) []string {
	var out []string
	for _, m := range fams[name].GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		for _, lp := range m.Label {
			if lp.GetName() == key {
				out = append(out, lp.GetValue())
			}
		}
	}
	return out
}

// TestProbe probes a passing server, one presenting its chain out of
// order and a refused port, and reads the metrics back.
func TestProbe(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	deep := testpki.Intermediate(t, p.inter, "serve test intermediate 2")
	deepLeaf := testpki.Leaf(t, deep, "localhost")
	_, hs := newServer(t, Config{})
	tests := []struct {
		name      string
		target    string
		success   float64
		inspected float64
		failing   []string
		presented int
	}{
		{"passing", serveChain(t, p.leaf, p.leaf, p.inter), 1, 1, nil, 2},
		{"out of order", serveChain(t, deepLeaf, deepLeaf, p.inter, deep), 0, 1, []string{"chain.order"}, 3},
		{"refused", refusedTarget(t), 0, 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, body := get(t, hs.URL, probePath(tt.target), ScrapeTimeoutHeader, "10")
			if code != http.StatusOK {
				t.Fatalf("GET /probe?target=%s = %d, want 200: %s", tt.target, code, body)
			}
			fams := families(t, body)
			if v, _ := value(fams, "chainscope_probe_success", nil); v != tt.success {
				t.Errorf("chainscope_probe_success = %v, want %v", v, tt.success)
			}
			if v, _ := value(fams, "chainscope_probe_inspected", nil); v != tt.inspected {
				t.Errorf("chainscope_probe_inspected = %v, want %v", v, tt.inspected)
			}
			if _, n := value(fams, "chainscope_check_status", nil); n != len(inspect.CheckIDs) {
				t.Errorf("chainscope_check_status has %d series, want one per check (%d)", n, len(inspect.CheckIDs))
			}
			failing := labelsOf(fams, "chainscope_check_status", "check", map[string]string{"status": "fail"})
			if strings.Join(failing, ",") != strings.Join(tt.failing, ",") {
				t.Errorf("failing checks = %v, want %v", failing, tt.failing)
			}
			if _, n := value(fams, "chainscope_trust_store_info", map[string]string{"name": "test", "version": "serve test roots"}); n != 1 {
				t.Errorf("chainscope_trust_store_info{name=test} has %d series, want 1", n)
			}
			if tt.inspected == 0 {
				if _, n := value(fams, "chainscope_chain_presented_certificates", nil); n != 0 {
					t.Errorf("chainscope_chain_presented_certificates present for an endpoint not inspected")
				}
				return
			}
			if v, _ := value(fams, "chainscope_chain_presented_certificates", nil); int(v) != tt.presented {
				t.Errorf("chainscope_chain_presented_certificates = %v, want %d", v, tt.presented)
			}
			if _, n := value(fams, "chainscope_cert_not_after_timestamp_seconds", nil); n != tt.presented {
				t.Errorf("chainscope_cert_not_after_timestamp_seconds has %d series, want %d", n, tt.presented)
			}
			want := float64(testpki.End.Unix())
			if v, n := value(fams, "chainscope_cert_not_after_timestamp_seconds", map[string]string{"position": "0", "role": "leaf", "subject": "CN=localhost,O=chainscope test"}); n != 1 || v != want {
				t.Errorf("leaf notAfter = %v (%d series), want %v", v, n, want)
			}
			if v, n := value(fams, "chainscope_trust_root_not_after_timestamp_seconds", map[string]string{"subject": "CN=serve test root,O=chainscope test"}); n != 1 || v != want {
				t.Errorf("chainscope_trust_root_not_after_timestamp_seconds = %v (%d series), want %v", v, n, want)
			}
			if _, n := value(fams, "chainscope_tls_version_info", map[string]string{"version": "TLS 1.2"}); n != 1 {
				t.Errorf("chainscope_tls_version_info{version=\"TLS 1.2\"} missing:\n%s", body)
			}
		})
	}
}

// TestCertRoles: the role label of chainscope_cert_not_after_timestamp_seconds
// says which presented certificates the sender relies on, so that the
// sample expiry alert (role leaf or intermediate, and the store root)
// covers those and no other: a presented copy of the store root, even a
// cross-sign of it by another CA, is "root" (the sender judges the store's
// copy: an expired cross-sign costs nothing, inspect's "expired cross-sign
// of the store root"), an extra certificate "unrelated".
func TestCertRoles(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	old := testpki.Root(t, "serve test old root")
	crossExpired := testpki.Intermediate(t, old, "serve test root", testpki.Key(p.root.Key),
		testpki.Validity(testpki.Epoch.AddDate(-5, 0, 0), testpki.Now.AddDate(0, 0, -1)))
	other := testpki.Intermediate(t, p.root, "serve test other intermediate")
	_, hs := newServer(t, Config{})
	tests := []struct {
		name    string
		chain   []*testpki.Cert
		success float64
		roles   string
	}{
		{"in order", []*testpki.Cert{p.leaf, p.inter}, 1, "leaf intermediate"},
		{"root presented", []*testpki.Cert{p.leaf, p.inter, p.root}, 1, "leaf intermediate root"},
		{"expired cross-sign of the store root", []*testpki.Cert{p.leaf, p.inter, crossExpired}, 1, "leaf intermediate root"},
		{"unrelated extra", []*testpki.Cert{p.leaf, p.inter, other}, 0, "leaf intermediate unrelated"},
		{"duplicate", []*testpki.Cert{p.leaf, p.inter, p.inter}, 0, "leaf intermediate duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, body := get(t, hs.URL, probePath(serveChain(t, p.leaf, tt.chain...)))
			if code != http.StatusOK {
				t.Fatalf("GET /probe = %d: %s", code, body)
			}
			fams := families(t, body)
			if v, _ := value(fams, "chainscope_probe_success", nil); v != tt.success {
				t.Errorf("chainscope_probe_success = %v, want %v", v, tt.success)
			}
			var roles []string
			for i := range tt.chain {
				roles = append(roles, strings.Join(labelsOf(fams, "chainscope_cert_not_after_timestamp_seconds", "role", map[string]string{"position": strconv.Itoa(i)}), "|"))
			}
			if got := strings.Join(roles, " "); got != tt.roles {
				t.Errorf("roles by position = %q, want %q", got, tt.roles)
			}
		})
	}
}

// TestProbeJSON: format=json answers the report itself, for the details
// and the fix an alert points to.
func TestProbeJSON(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	_, hs := newServer(t, Config{})
	target := serveChain(t, p.leaf, p.leaf, p.inter)
	code, body := get(t, hs.URL, probePath(target, "format", "json", "servername", "other.test"))
	if code != http.StatusOK {
		t.Fatalf("GET /probe format=json = %d: %s", code, body)
	}
	var r inspect.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("format=json: %v\n%s", err, body)
	}
	// The servername parameter is the name the leaf must cover.
	if c, _ := r.Check(inspect.CheckHostname); r.ServerName != "other.test" || c.Status != inspect.StatusFail {
		t.Errorf("servername=other.test: report servername %q, cert.hostname %s, want other.test and fail", r.ServerName, c.Status)
	}
	// An internationalised servername is sent and matched as its A-label,
	// as --servername is on the command line.
	code, body = get(t, hs.URL, probePath(target, "format", "json", "servername", "bücher.test"))
	if code != http.StatusOK {
		t.Fatalf("GET /probe servername=bücher.test = %d: %s", code, body)
	}
	r = inspect.Report{}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("format=json: %v\n%s", err, body)
	}
	if r.ServerName != "xn--bcher-kva.test" || r.ServerNameUnicode != "bücher.test" {
		t.Errorf("servername=bücher.test: report servername %q (%q), want xn--bcher-kva.test (bücher.test)", r.ServerName, r.ServerNameUnicode)
	}
}

// TestProbeRefused: requests that are not a probe get a 4xx and no
// inspection; each is counted by reason.
func TestProbeRefused(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	allowed := serveChain(t, p.leaf, p.leaf, p.inter)
	allow, err := ParseAllowList([]byte("# the one endpoint\n" + allowed + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, hs := newServer(t, Config{Allow: allow})
	tests := []struct {
		name   string
		path   string
		header []string
		code   int
		reason string
	}{
		{"no target", "/probe", nil, 400, reasonBadRequest},
		{"a file, not an endpoint", probePath("../README.md"), nil, 400, reasonBadRequest},
		{"target twice", "/probe?target=a.test&target=b.test", nil, 400, reasonBadRequest},
		{"unknown policy", probePath(allowed, "policy", "nope"), nil, 400, reasonBadRequest},
		{"bad servername", probePath(allowed, "servername", "a b"), nil, 400, reasonBadRequest},
		{"bad format", probePath(allowed, "format", "xml"), nil, 400, reasonBadRequest},
		{"bad timeout header", probePath(allowed), []string{ScrapeTimeoutHeader, "soon"}, 400, reasonBadRequest},
		{"negative timeout header", probePath(allowed), []string{ScrapeTimeoutHeader, "-1"}, 400, reasonBadRequest},
		{"query too long", probePath(allowed, "servername", strings.Repeat("a", MaxQuery)), nil, 414, reasonTooLarge},
		{"not in the allow-list", probePath("localhost:1"), nil, 403, reasonNotAllowed},
		{"allowed", probePath(allowed, "policy", "pagerduty"), nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, hs.URL, tt.path, tt.header...)
			if code != tt.code {
				t.Errorf("GET %.60s = %d, want %d: %s", tt.path, code, tt.code, body)
			}
		})
	}
	req, _ := http.NewRequest("POST", hs.URL+probePath(allowed), strings.NewReader("x"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /probe = %d, want 405", resp.StatusCode)
	}
	_, body := get(t, hs.URL, "/metrics")
	fams := families(t, body)
	for reason, want := range map[string]float64{reasonBadRequest: 8, reasonTooLarge: 1, reasonNotAllowed: 1, reasonBusy: 0} {
		if v, _ := value(fams, "chainscope_serve_rejected_requests_total", map[string]string{"reason": reason}); v != want {
			t.Errorf("chainscope_serve_rejected_requests_total{reason=%q} = %v, want %v", reason, v, want)
		}
	}
	if v, _ := value(fams, "chainscope_serve_probes_total", map[string]string{"verdict": "pass"}); v != 1 {
		t.Errorf("chainscope_serve_probes_total{verdict=pass} = %v, want 1", v)
	}
	_ = s
}

// gateDialer holds every dial until open is closed, then refuses it.
type gateDialer struct{ open chan struct{} }

func (d gateDialer) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	select {
	case <-d.open:
		return nil, syscall.ECONNREFUSED
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestProbeBusy: with every slot taken, a probe waits at most half its
// budget and then gets 503; beyond MaxWaiting, 503 at once; a waiting probe
// runs when a slot frees.
func TestProbeBusy(t *testing.T) {
	t.Parallel()
	gate := gateDialer{open: make(chan struct{})}
	s, hs := newServer(t, Config{
		Options:     inspect.Options{Dialer: gate, Timeout: time.Minute},
		Concurrency: 1,
		MaxWaiting:  1,
	})
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for i := 0; i < 1000 && !ok(); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if !ok() {
			t.Fatalf("never: %s", what)
		}
	}
	codes := make(chan int, 2)
	probe := func(timeout string) {
		code, _ := get(t, hs.URL, probePath("a.test:443"), ScrapeTimeoutHeader, timeout)
		codes <- code
	}
	go probe("60") // takes the slot, held at the gate
	waitFor("the first probe holds the slot", func() bool { return len(s.slots) == 1 })
	if code, body := get(t, hs.URL, probePath("b.test:443"), ScrapeTimeoutHeader, "0.2"); code != http.StatusServiceUnavailable {
		t.Errorf("probe with every slot busy = %d, want 503 after waiting: %s", code, body)
	}
	go probe("60") // waits for the slot
	waitFor("the second probe waits", func() bool { return s.waiting.Load() == 1 })
	if code, body := get(t, hs.URL, probePath("c.test:443"), ScrapeTimeoutHeader, "60"); code != http.StatusServiceUnavailable {
		t.Errorf("probe beyond MaxWaiting = %d, want 503 at once: %s", code, body)
	}
	close(gate.open)
	for range 2 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("probe that held or waited for the slot = %d, want 200", code)
		}
	}
	_, body := get(t, hs.URL, "/metrics")
	if v, _ := value(families(t, body), "chainscope_serve_rejected_requests_total", map[string]string{"reason": reasonBusy}); v != 2 {
		t.Errorf("chainscope_serve_rejected_requests_total{reason=busy} = %v, want 2", v)
	}
}

// TestProbeTimeout: a server that accepts and never answers costs one
// budget, taken from Prometheus' header, and is reported as not inspected.
func TestProbeTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	_, hs := newServer(t, Config{Options: inspect.Options{Timeout: time.Hour}})
	code, body := get(t, hs.URL, probePath(ln.Addr().String(), "format", "json"), ScrapeTimeoutHeader, "1")
	if code != http.StatusOK {
		t.Fatalf("GET /probe silent server = %d: %s", code, body)
	}
	var r inspect.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if r.Verdict != inspect.VerdictError || !strings.Contains(r.Error, "timeout") {
		t.Errorf("silent server: verdict %s, error %q, want error and a timeout", r.Verdict, r.Error)
	}
}

func TestBudget(t *testing.T) {
	t.Parallel()
	s := &Server{}
	s.opts.Timeout = 10 * time.Second
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 10 * time.Second},
		{"5", 4500 * time.Millisecond},
		{"1", 750 * time.Millisecond},
		{"0.2", 150 * time.Millisecond},
		{"30", 10 * time.Second},
		{"1e300", 10 * time.Second},
	}
	for _, tt := range tests {
		got, err := s.budget(tt.header)
		if err != nil || got != tt.want {
			t.Errorf("budget(%q) = %v, %v, want %v", tt.header, got, err, tt.want)
		}
	}
	for _, h := range []string{"0", "-1", "NaN", "Inf", "soon"} {
		if got, err := s.budget(h); err == nil {
			t.Errorf("budget(%q) = %v, want an error", h, got)
		}
	}
}

// TestHealthzAndIndex: the small endpoints answer; others are 404.
func TestHealthzAndIndex(t *testing.T) {
	t.Parallel()
	_, hs := newServer(t, Config{})
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"/healthz", 200, "ok\n"},
		{"/", 200, "/probe?target=HOST:PORT"},
		{"/nope", 404, ""},
	} {
		code, body := get(t, hs.URL, tt.path)
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, code, body, tt.code, tt.want)
		}
	}
}

// TestServeShutdown: Serve answers until its context ends, then returns nil.
func TestServeShutdown(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Options: inspect.Options{Store: newPKI(t).store}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	if code, body := get(t, "http://"+ln.Addr().String(), "/healthz"); code != 200 {
		t.Fatalf("GET /healthz = %d %q", code, body)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
}

func TestNewNeedsStore(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{}); err == nil {
		t.Error("New(Config{}) = nil error, want one naming the trust store")
	}
}
