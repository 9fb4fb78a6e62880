package ui

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope/inspect"
	"chainscope/inspect/trust"
	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// The reports the interface and the text report are tested on are the
// engine's own: files under testdata/ and TLS servers started in this
// process, inspected with the clock pinned. Live targets have names
// (example.test:443, …) that a dialer maps onto the servers' real
// addresses, so that no port number reaches a golden file. Only
// hostileReport is edited by hand, for the sanitizer.

// testAt is the instant every fixture is judged at: inside the validity
// of the test PKI (2026-01-01 to 2036-01-01) and of the real bing.com
// chain (2026-02-02 to 2026-08-01).
var testAt = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// engineResult is one inspection by the engine.
type engineResult struct {
	report inspect.Report
	err    error
}

var (
	fixturesOnce sync.Once
	fixtures     map[string]engineResult
)

// Live targets, mapped by mapDialer.
const (
	targetPass = "example.test:443"
	targetMTLS = "mtls.example.test:8443"
	targetDown = "down.example.test:443"
)

// mapDialer dials the address a target name stands for; names it does
// not know are refused.
type mapDialer map[string]string

func (d mapDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	real, ok := d[addr]
	if !ok {
		return nil, fmt.Errorf("mapDialer: no address for %s", addr)
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, real)
}

// tenTargets are the targets of the list: the three live ones and seven
// files of the test PKI.
var tenTargets = []string{
	targetPass, targetMTLS, targetDown,
	"testdata/chain-out-of-order.pem", "testdata/chain-missing-intermediate.pem", "testdata/chain-duplicate.pem",
	"testdata/chain-reversed.pem", "testdata/leaf-self-signed.pem", "testdata/leaf-expired.pem", "testdata/chain-with-root.pem",
}

// engineFixtures inspects every fixture once per test binary.
func engineFixtures(tb testing.TB) map[string]engineResult {
	fixturesOnce.Do(func() {
		fixtures = map[string]engineResult{}
		testRoots, err := trust.LoadFile("../testdata/root.pem")
		if err != nil {
			tb.Fatal(err)
		}
		mozilla, err := trust.Mozilla()
		if err != nil {
			tb.Fatal(err)
		}
		kp, err := tls.LoadX509KeyPair("../testdata/chain-ok.pem", "../testdata/leaf.key")
		if err != nil {
			tb.Fatal(err)
		}
		rootPEM, err := os.ReadFile("../testdata/root.pem")
		if err != nil {
			tb.Fatal(err)
		}
		clientCAs := x509.NewCertPool()
		clientCAs.AppendCertsFromPEM(rootPEM)
		dialer := mapDialer{
			targetPass: e2e.ServeTLS(tb, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{kp}}),
			targetMTLS: e2e.ServeTLS(tb, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{kp},
				ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientCAs}),
			targetDown: fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(tb)), // nothing listens
		}
		live := inspect.Options{Store: testRoots, At: testAt, Timeout: 5 * time.Second, Dialer: dialer, ServerName: "example.test"}
		files := inspect.Options{Store: testRoots, At: testAt}
		real := inspect.Options{Store: mozilla, At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		run := func(name, arg string, opts inspect.Options) {
			r, err := inspect.InspectArg(context.Background(), arg, opts)
			r.Target = name // as the user typed it, not relative to ui/
			fixtures[name] = engineResult{r, err}
		}
		for _, t := range []string{targetPass, targetMTLS, targetDown} {
			run(t, t, live)
		}
		for _, t := range tenTargets[3:] {
			run(t, "../"+t, files)
		}
		for _, name := range []string{"real-bing.com-2026.pem", "real-bing.com-2026-out-of-order.pem", "real-bing.com-2026-missing-intermediate.pem"} {
			run("testdata/"+name, "../testdata/"+name, real)
		}
	})
	return fixtures
}

// fixture returns a copy of the engine's report on a fixture target.
func fixture(tb testing.TB, name string) *inspect.Report {
	tb.Helper()
	res, ok := engineFixtures(tb)[name]
	if !ok {
		tb.Fatalf("no fixture %q", name)
	}
	r := res.report
	return &r
}

// fixtureErr is the error of the engine's inspection of a fixture.
func fixtureErr(tb testing.TB, name string) error {
	return engineFixtures(tb)[name].err
}

// Shorthands for the fixtures the tests use most.
func passingReport(tb testing.TB) *inspect.Report { return fixture(tb, targetPass) }
func outOfOrderReport(tb testing.TB) *inspect.Report {
	return fixture(tb, "testdata/real-bing.com-2026-out-of-order.pem")
}
func missingIntermediateReport(tb testing.TB) *inspect.Report {
	return fixture(tb, "testdata/real-bing.com-2026-missing-intermediate.pem")
}
func mtlsReport(tb testing.TB) *inspect.Report  { return fixture(tb, targetMTLS) }
func errorReport(tb testing.TB) *inspect.Report { return fixture(tb, targetDown) }

// hostileReport is the mTLS report with escape sequences, bidi controls and
// an oversized name put by hand into every untrusted field.
func hostileReport(tb testing.TB) *inspect.Report {
	r := mtlsReport(tb)
	r.Chain = append([]inspect.Certificate(nil), r.Chain...)
	tlsInfo := *r.TLS
	r.TLS = &tlsInfo
	evil := "CN=evil\x1b]0;pwned\x07\x1b[2J"
	r.Target = "evil.example:443"
	r.Chain[0].Subject, r.Chain[0].Name = evil, evil
	r.Chain[0].Issuer = "CN=\u202egpj.exe\x9b31m"
	r.Chain[0].DNSNames = []string{"evil.example", "\x1b[31mred\x1b[0m.example"}
	r.Chain[0].OCSPServers = []string{"http://ocsp.example/\x1b]8;;http://phish\x07click\x1b]8;;\x07"}
	r.Chain[1].Subject = "CN=" + strings.Repeat("A", 2000)
	r.Chain[1].Name = r.Chain[1].Subject
	r.TLS.ClientAuth.AcceptableCAs = []string{"CN=ca\x1b[1;1H\x1b[2Jwiped", "CN=\u2066isolate\u2069"}
	r.TLS.ALPN = "h2\x1b[5m"
	r.TLS.ClientAuth.AcceptError = "remote error: \x1b]52;c;ZXZpbA==\x07"
	r.Trust.MissingIssuer = "CN=\x1b[6nquery"
	return r
}

// chainOf is the engine's report on a file holding a chain of n
// certificates in order, built by testpki.
func chainOf(tb testing.TB, n int) *inspect.Report {
	root := testpki.Root(tb, "Chain Root")
	var certs []*testpki.Cert
	parent := root
	for i := range n - 1 {
		parent = testpki.Intermediate(tb, parent, fmt.Sprintf("Chain CA %d", i))
		certs = append([]*testpki.Cert{parent}, certs...)
	}
	certs = append([]*testpki.Cert{testpki.Leaf(tb, parent, "chain.test")}, certs...)
	store := trust.New("file", "chain-root.pem", []*trust.Root{{Cert: root.Cert}})
	r, err := inspect.Inspect(context.Background(), inspect.Target{Arg: "-", Kind: inspect.TargetStdin, Path: "-"},
		inspect.Options{Store: store, At: testpki.Now, Stdin: bytes.NewReader(testpki.PEM(certs...))})
	if err != nil {
		tb.Fatal(err)
	}
	return &r
}
