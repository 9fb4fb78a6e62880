package inspect

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
)

// limboCase is one testcase of x509-limbo (github.com/C2SP/x509-limbo),
// the fields chainscope reads.
type limboCase struct {
	ID                     string   `json:"id"`
	Features               []string `json:"features"`
	ValidationKind         string   `json:"validation_kind"`
	TrustedCerts           []string `json:"trusted_certs"`
	UntrustedIntermediates []string `json:"untrusted_intermediates"`
	PeerCertificate        string   `json:"peer_certificate"`
	ValidationTime         *string  `json:"validation_time"`
	KeyUsage               []string `json:"key_usage"`
	ExtendedKeyUsage       []string `json:"extended_key_usage"`
	SignatureAlgorithms    []string `json:"signature_algorithms"`
	ExpectedResult         string   `json:"expected_result"`
	ExpectedPeerName       *struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"expected_peer_name"`
	MaxChainDepth *int     `json:"max_chain_depth"`
	CRLs          []string `json:"crls"`
}

// expressible reports whether the command line can ask what the case asks:
// a file of the peer and its intermediates, a roots file, --at and
// --servername. Revocation lists, depth limits and key usages other than
// serverAuth have no flag.
func (c limboCase) expressible() bool {
	if c.ValidationKind != "SERVER" || len(c.CRLs) > 0 || c.MaxChainDepth != nil ||
		len(c.KeyUsage) > 0 || len(c.SignatureAlgorithms) > 0 {
		return false
	}
	for _, u := range c.ExtendedKeyUsage {
		if u != "serverAuth" {
			return false
		}
	}
	return c.ExpectedPeerName == nil || c.ExpectedPeerName.Kind == "DNS" || c.ExpectedPeerName.Kind == "IP"
}

// limboDivergences reads the cases where chainscope follows the sender
// model against limbo's expectation: "id<TAB>reason" per line.
func limboDivergences(t *testing.T) map[string]string {
	f, err := os.Open("../testdata/x509-limbo-divergences.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("divergences: %q: want id<TAB>reason", line)
		}
		out[id] = reason
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLimbo runs every SERVER case of x509-limbo the command line can
// express through the engine, as `chainscope --roots ROOTS --at TIME
// --servername NAME FILE` would, and reports the agreement. A case is
// accepted when the chosen path validates and the name matches; the order
// of the file is not judged (limbo's intermediates are a pool, not a
// list). Where chainscope follows the sender model against limbo's
// expectation the case is listed in testdata/x509-limbo-divergences.txt
// with the reason; any other disagreement fails, and so does a listed case
// that agrees.
func TestLimbo(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../testdata/x509-limbo-server.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Testcases []limboCase `json:"testcases"`
	}
	if err := json.NewDecoder(zr).Decode(&suite); err != nil {
		t.Fatal(err)
	}
	divergent := limboDivergences(t)
	pol := policy.PagerDuty()
	var cases []limboCase
	for _, c := range suite.Testcases {
		if c.expressible() {
			cases = append(cases, c)
		}
	}
	// The cases are independent: judge them on every core.
	type verdict struct {
		accepted bool
		detail   string
	}
	verdicts := make([]verdict, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				verdicts[i].accepted, verdicts[i].detail = limboJudge(cases[i], pol)
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	var (
		run, agree, success, successAgree int
		dnsSuccess, dnsSuccessAgree       int
		diverged                          []string
		wrong                             []string
	)
	for i, c := range cases {
		run++
		got, detail := verdicts[i].accepted, verdicts[i].detail
		want := c.ExpectedResult == "SUCCESS"
		dns := c.ExpectedPeerName != nil && c.ExpectedPeerName.Kind == "DNS"
		if want {
			success++
			if dns {
				dnsSuccess++
				if got {
					dnsSuccessAgree++
				}
			}
		}
		reason, listed := divergent[c.ID]
		switch {
		case got == want && listed:
			wrong = append(wrong, fmt.Sprintf("%s: listed as divergent (%s) but agrees", c.ID, reason))
		case got == want:
			agree++
			if want {
				successAgree++
			}
		case listed:
			diverged = append(diverged, c.ID)
		default:
			wrong = append(wrong, fmt.Sprintf("%s: accepted = %v, want %v (%s)", c.ID, got, want, detail))
		}
		delete(divergent, c.ID)
	}
	for id := range divergent {
		wrong = append(wrong, fmt.Sprintf("%s: listed as divergent but not run", id))
	}
	sort.Strings(wrong)
	t.Logf("x509-limbo: %d SERVER cases expressible; agreement %d/%d (%.2f%%); expected SUCCESS %d/%d (DNS names: %d/%d); %d sender-model divergences",
		run, agree, run, 100*float64(agree)/float64(run), successAgree, success, dnsSuccessAgree, dnsSuccess, len(diverged))
	for _, w := range wrong {
		t.Error(w)
	}
	// Issue 9's floors: overall agreement at least crypto/x509's 99.1% on
	// these cases, and every expected SUCCESS accepted except the listed
	// divergences (two today: a trusted certificate that is not a
	// self-signed root, where OTP answers unknown_ca).
	if pct := 100 * float64(agree) / float64(run); pct < 99.1 {
		t.Errorf("agreement %.2f%%, want at least 99.1%%", pct)
	}
	if success-successAgree > 2 {
		t.Errorf("expected SUCCESS %d/%d: more than the two listed divergences refused", successAgree, success)
	}
}

// limboJudge inspects one case as the command line would and says whether
// the sender would accept it, with the report's reasons when not.
func limboJudge(c limboCase, pol *policy.Policy) (bool, string) {
	store := trust.ParseBundle("file", "limbo "+c.ID, []byte(strings.Join(c.TrustedCerts, "\n")))
	opts := Options{Policy: pol, Store: store, Stdin: strings.NewReader(strings.Join(append([]string{c.PeerCertificate}, c.UntrustedIntermediates...), "\n"))}
	if c.ValidationTime != nil {
		at, err := time.Parse(time.RFC3339, *c.ValidationTime)
		if err != nil {
			return false, err.Error()
		}
		opts.At = at
	} else {
		opts.At = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.ExpectedPeerName != nil {
		opts.ServerName = c.ExpectedPeerName.Value
	}
	r, err := Inspect(context.Background(), Target{Arg: "-", Kind: TargetStdin, Path: "-"}, opts)
	if err != nil {
		return false, "error: " + err.Error()
	}
	var why []string
	for _, ch := range r.Checks {
		switch ch.ID {
		case CheckComplete, CheckRoot, CheckValidity, CheckHostname, CheckStrength:
			if ch.Status == StatusFail {
				why = append(why, ch.ID+": "+ch.Detail)
			}
		}
	}
	return len(why) == 0, strings.Join(why, " | ")
}
