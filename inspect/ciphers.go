package inspect

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"chainscope/inspect/wire"
)

// enumerateCiphers lists every suite the server accepts at each version it
// speaks, by elimination: offer all that remain, record the pick, drop it,
// repeat until the server refuses — one connection per accepted suite, plus
// one refusal, per version. Versions run concurrently within the per-host
// bound.
func enumerateCiphers(ctx context.Context, p *prober, info *TLSInfo, byVersion map[uint16]probe, opts Options, sni, target string) {
	info.AcceptedCipherSuites = map[string][]string{}
	info.CipherDetails = map[string][]CipherSuite{}
	info.ServerOrder = map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var done int
	for _, v := range probeVersions {
		name := wire.VersionName(v)
		if !info.Versions[name] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			hello := versionHello(v, sni)
			var picked []uint16
			// A probe that offered this same list already made the first
			// pick (the policy's handshake, with its own list, did not).
			if pr := byVersion[v]; pr.err == nil && pr.flight.Version == v && slices.Equal(pr.hello.CipherSuites, hello.CipherSuites) {
				picked = append(picked, pr.flight.CipherSuite)
			}
			remaining := without(hello.CipherSuites, picked)
			for len(remaining) > 0 {
				h := *hello
				h.CipherSuites = remaining
				pr := p.run(ctx, &h, helloOnly)
				if pr.err != nil || pr.flight.Version != v || !slices.Contains(remaining, pr.flight.CipherSuite) {
					break
				}
				picked = append(picked, pr.flight.CipherSuite)
				remaining = without(remaining, []uint16{pr.flight.CipherSuite})
				mu.Lock()
				done++
				opts.progress(Progress{Target: target, Step: "cipher suites", Done: done})
				mu.Unlock()
			}
			// One more probe with the accepted suites reversed: a server
			// that picks the same suite imposes its own order, and then
			// the picks above are its preference.
			serverOrder := false
			if len(picked) > 1 {
				h := *hello
				h.CipherSuites = slices.Clone(picked)
				slices.Reverse(h.CipherSuites)
				if pr := p.run(ctx, &h, helloOnly); pr.err == nil && pr.flight.CipherSuite == picked[0] {
					serverOrder = true
				}
			}
			names := make([]string, len(picked))
			details := make([]CipherSuite, len(picked))
			for i, id := range picked {
				s, _ := wire.SuiteByID(id)
				names[i] = wire.SuiteName(id)
				details[i] = CipherSuite{Name: names[i], ID: fmt.Sprintf("0x%04X", id), InPolicy: opts.Policy.AllowsSuite(id), Weakness: s.Weakness(), Note: suiteNote(s, v)}
			}
			mu.Lock()
			info.AcceptedCipherSuites[name] = names
			info.CipherDetails[name] = details
			if len(picked) > 1 {
				info.ServerOrder[name] = serverOrder
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// suiteNote is information that is no weakness: CBC with an HMAC-SHA1,
// still sound but superseded by AEAD suites in TLS 1.2 (RFC 9325 §4.2).
func suiteNote(s wire.Suite, v uint16) string {
	if v >= wire.VersionTLS12 && strings.HasSuffix(s.Cipher, "_CBC") && s.MAC == "SHA" && s.Weakness() == "" {
		return "CBC with SHA-1 MAC"
	}
	return ""
}

// helloOnly ends each enumeration probe at the ServerHello: its pick is all
// that is needed, and the server is spared the rest of the exchange.
var helloOnly = wire.Limits{ServerHelloOnly: true}

func without(list, drop []uint16) []uint16 {
	out := make([]uint16, 0, len(list))
	for _, x := range list {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}
