package inspect

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// aiaServer serves certificates by path as DER, for caIssuers fetches.
type aiaServer struct {
	*httptest.Server
	mu    sync.Mutex
	certs map[string][]byte
}

func newAIAServer(t *testing.T) *aiaServer {
	s := &aiaServer{certs: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		der, ok := s.certs[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(der)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *aiaServer) serve(path string, c *testpki.Cert) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.certs[path] = c.Cert.Raw
}

// TestRepair: the repaired chain is the leaf, then each issuer along the
// path, duplicates and certificates off the path dropped, the root left
// out; missing issuers come from --intermediates or caIssuers; the new
// chain is judged again and refused when it still fails.
func TestRepair(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Repair Root")
	int1 := testpki.Intermediate(t, root, "Repair Int 1")
	other := testpki.Intermediate(t, root, "Repair Other")
	srv := newAIAServer(t)
	int2 := testpki.Intermediate(t, int1, "Repair Int 2", testpki.AIA(srv.URL+"/int1.der"))
	leaf := testpki.Leaf(t, int2, "repair.test", testpki.DNS("repair.test"), testpki.AIA(srv.URL+"/int2.der"))
	expired := testpki.Leaf(t, int1, "old.test", testpki.DNS("old.test"),
		testpki.Validity(testpki.Epoch, testpki.Now.Add(-time.Hour)))
	noAIA := testpki.Leaf(t, int2, "noaia.test", testpki.DNS("noaia.test"))
	// Four URLs no request is made to (ldap, file) before the http one:
	// they do not use up the fetches of the repair.
	ldapFirst := testpki.Leaf(t, int2, "ldap.test", testpki.DNS("ldap.test"), testpki.AIA(
		"ldap://ldap.example.test/cn=Int2?cACertificate", "ldap://ldap2.example.test/cn=Int2?cACertificate",
		"file:///etc/ssl/int2.der", "ldap://ldap3.example.test/cn=Int2?cACertificate", srv.URL+"/int2.der"))
	lost := testpki.Leaf(t, int2, "lost.test", testpki.DNS("lost.test"), testpki.AIA(srv.URL+"/missing.der"))
	srv.serve("/int2.der", int2)
	srv.serve("/int1.der", int1)
	// A self-signed copy of the leaf, with its key and name.
	selfLeaf := testpki.Root(t, "repair.test", testpki.Key(leaf.Key), testpki.NotCA(), testpki.DNS("repair.test"))
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})

	tests := []struct {
		name       string
		presented  []*testpki.Cert
		server     string
		ro         RepairOptions
		want       []string // "CN=… <source>"
		dropped    []string // "#i why"
		stillFails string   // a failing check id, or ""
		fetches    int
		live       bool // presented by a server: position 0 holds its key
	}{
		{name: "out of order, root presented", presented: []*testpki.Cert{leaf, root, int1, int2},
			want:    []string{"CN=repair.test presented #0", "CN=Repair Int 2 presented #3", "CN=Repair Int 1 presented #2"},
			dropped: []string{"#1 the root: the sender has it in its store"}},
		{name: "reversed", presented: []*testpki.Cert{int1, int2, leaf},
			want: []string{"CN=repair.test presented #2", "CN=Repair Int 2 presented #1", "CN=Repair Int 1 presented #0"}},
		{name: "duplicate and unrelated", presented: []*testpki.Cert{leaf, int2, int2, other, int1},
			want:    []string{"CN=repair.test presented #0", "CN=Repair Int 2 presented #1", "CN=Repair Int 1 presented #4"},
			dropped: []string{"#2 a copy of #1", "#3 not on the path from the leaf"}},
		{name: "missing, from --intermediates", presented: []*testpki.Cert{noAIA},
			ro:   RepairOptions{Intermediates: testpki.X509(other, int1, int2), Source: "--intermediates bundle.pem"},
			want: []string{"CN=noaia.test presented #0", "CN=Repair Int 2 --intermediates bundle.pem", "CN=Repair Int 1 --intermediates bundle.pem"}},
		{name: "missing, fetched two levels", presented: []*testpki.Cert{leaf}, ro: RepairOptions{Fetch: true},
			want:    []string{"CN=repair.test presented #0", "CN=Repair Int 2 caIssuers " + srv.URL + "/int2.der", "CN=Repair Int 1 caIssuers " + srv.URL + "/int1.der"},
			fetches: 2},
		{name: "missing, fetched after ldap and file URLs", presented: []*testpki.Cert{ldapFirst}, ro: RepairOptions{Fetch: true},
			want:    []string{"CN=ldap.test presented #0", "CN=Repair Int 2 caIssuers " + srv.URL + "/int2.der", "CN=Repair Int 1 caIssuers " + srv.URL + "/int1.der"},
			fetches: 6},
		{name: "missing, fetch not allowed", presented: []*testpki.Cert{leaf},
			stillFails: CheckComplete},
		{name: "missing, fetch fails", presented: []*testpki.Cert{lost}, ro: RepairOptions{Fetch: true},
			stillFails: CheckComplete, fetches: 1},
		{name: "expired leaf", presented: []*testpki.Cert{expired, int1},
			stillFails: CheckValidity},
		// The server's key is position 0's: the repair keeps the leaf the
		// report judged, never the self-signed copy sent after it.
		{name: "live, a self-signed copy of the leaf sent too", presented: []*testpki.Cert{leaf, selfLeaf, int2, int1}, live: true,
			want:    []string{"CN=repair.test presented #0", "CN=Repair Int 2 presented #2", "CN=Repair Int 1 presented #3"},
			dropped: []string{"#1 not on the path from the leaf"}},
		{name: "wrong host name", presented: []*testpki.Cert{leaf, int2, int1}, server: "other.test",
			stillFails: CheckHostname},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Store: store, At: testpki.Now, Policy: policy.PagerDuty()}
			r := newReport(Target{Arg: "t.pem", Kind: TargetFile}, opts, SourceFile, tt.server)
			facts := chainFacts{keyAt: -1}
			if tt.live {
				r = newReport(Target{Arg: "127.0.0.1:443", Kind: TargetHost}, opts, SourceTLS, tt.server)
				facts = chainFacts{live: true, keyAt: -1}
			}
			judge(&r, testpki.X509(tt.presented...), opts, facts)
			if tt.live && (!r.Trust.Trusted || r.Trust.Path[0] != 0) {
				t.Fatalf("the presented chain: trusted %v, path %v; want a trusted path from #0 (the test's premise)", r.Trust.Trusted, r.Trust.Path)
			}
			fc, data, err := Repair(context.Background(), &r, opts, tt.ro)
			if tt.stillFails != "" {
				var sf *StillFailsError
				if !errors.As(err, &sf) || sf.Checks[0] != tt.stillFails {
					t.Fatalf("Repair() error = %v, want *StillFailsError on %s", err, tt.stillFails)
				}
				if data != nil || fc.Verdict != VerdictFail || fc.Error == "" {
					t.Errorf("Repair() = %d bytes, verdict %s, error %q; want nothing to write", len(data), fc.Verdict, fc.Error)
				}
			} else if err != nil {
				t.Fatalf("Repair() error = %v", err)
			}
			var got []string
			for _, c := range fc.Certificates {
				got = append(got, c.Name+" "+c.Source)
			}
			if tt.want != nil && strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("certificates =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var dropped []string
			for _, d := range fc.Dropped {
				dropped = append(dropped, fmt.Sprintf("#%d %s", d.Position, d.Why))
			}
			if strings.Join(dropped, "\n") != strings.Join(tt.dropped, "\n") && tt.stillFails == "" {
				t.Errorf("dropped = %q, want %q", dropped, tt.dropped)
			}
			if len(fc.Fetches) != tt.fetches {
				t.Errorf("fetches = %+v, want %d", fc.Fetches, tt.fetches)
			}
			if tt.stillFails != "" {
				return
			}
			// The file holds exactly the certificates listed, in order,
			// and judged again it passes.
			var sums []string
			for rest := data; ; {
				var b *pem.Block
				b, rest = pem.Decode(rest)
				if b == nil {
					break
				}
				sums = append(sums, sha256Hex(b.Bytes))
			}
			for i, c := range fc.Certificates {
				if i >= len(sums) || sums[i] != c.SHA256 {
					t.Fatalf("file holds %v, want %+v", sums, fc.Certificates)
				}
			}
			var certs []*x509.Certificate
			for rest := data; ; {
				var b *pem.Block
				if b, rest = pem.Decode(rest); b == nil {
					break
				}
				c, _ := x509.ParseCertificate(b.Bytes)
				certs = append(certs, c)
			}
			again := newReport(Target{Arg: "fixed.pem", Kind: TargetFile}, opts, SourceFile, tt.server)
			judge(&again, certs, opts, chainFacts{keyAt: -1})
			if again.Verdict != VerdictPass {
				t.Errorf("the written chain judged again = %s", again.Verdict)
			}
			for _, id := range []string{CheckOrder, CheckExtra} {
				if c, _ := again.Check(id); c.Status != StatusPass {
					t.Errorf("the written chain: %s = %s (%s)", id, c.Status, c.Detail)
				}
			}
		})
	}
	t.Run("error report", func(t *testing.T) {
		r := Report{Target: "x", Verdict: VerdictError}
		if _, _, err := Repair(context.Background(), &r, Options{Store: store}, RepairOptions{}); !errors.Is(err, ErrNothingToRepair) {
			t.Errorf("Repair(error report) = %v, want ErrNothingToRepair", err)
		}
	})
}

// TestOrderFixIsRepair: the order chain.order's fix states is exactly the
// one --fix-chain writes ([Repair]): the same certificates in the same
// order, the root left out and said so; its detail speaks of links as the
// tree does ("issued by").
func TestOrderFixIsRepair(t *testing.T) {
	t.Parallel()
	mozilla, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	file, err := trust.LoadFile("../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file     string
		store    *trust.Store
		at       time.Time
		rootLeft string // the root the fix says is left out; "" for none
	}{
		{"chain-out-of-order.pem", file, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "#1 CN=chainscope Test Root"},
		{"chain-reversed.pem", file, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), ""},
		{"real-bing.com-2026-out-of-order.pem", mozilla, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), ""},
		{"real-google.com-2026-reversed.pem", mozilla, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), ""},
		{"chain-duplicate.pem", file, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), ""},
		{"chain-unrelated-extra.pem", file, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			target, err := ParseTarget("../testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Store: tt.store, At: tt.at}
			r, err := Inspect(context.Background(), target, opts)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(CheckOrder)
			if c.Status != StatusFail {
				t.Fatalf("chain.order = %s, want fail (%s)", c.Status, c.Detail)
			}
			// One vocabulary with the tree and RFC 5280: "issued by".
			if strings.Contains(c.Detail, "certifi") || (!strings.Contains(c.Detail, "is not issued by #") && !strings.Contains(c.Detail, "is a copy of #")) {
				t.Errorf("chain.order detail = %q, want the tree's words: \"#i … is not issued by #j …\"", c.Detail)
			}
			fc, _, err := Repair(context.Background(), &r, opts, RepairOptions{})
			if err != nil {
				t.Fatalf("Repair() error = %v", err)
			}
			var written []string
			for _, w := range fc.Certificates {
				written = append(written, fmt.Sprintf("#%d %s", w.Presented, w.Name))
			}
			order := c.Fix
			for _, lead := range []string{"the full order is ", "in this order: "} {
				if i := strings.Index(order, lead); i >= 0 {
					order = order[i+len(lead):]
				}
			}
			order, _, _ = strings.Cut(order, ";")
			order, left, _ := strings.Cut(order, " (the root ")
			if got, want := strings.Split(order, ", "), written; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("chain.order fix states %q, --fix-chain writes %q\nfix: %s", got, want, c.Fix)
			}
			if gotLeft, _, _ := strings.Cut(left, " left out"); gotLeft != tt.rootLeft {
				t.Errorf("chain.order fix leaves out the root %q, want %q\nfix: %s", gotLeft, tt.rootLeft, c.Fix)
			}
		})
	}
}
