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
// speaks, by elimination: offer the suites that remain (at most
// maxSuitesPerHello, the likely ones first), record the pick, drop it,
// repeat; a refusal drops the suites offered and goes on with the next
// ones until none remain. Each probe is retried once after a hiccup; a
// second failure ends that version's enumeration, which the report then
// marks incomplete with the reason. Then probes with the suites reordered
// tell whose preference decides (enumOrder). Versions run concurrently
// within the per-host bound.
func enumerateCiphers(ctx context.Context, p *prober, info *TLSInfo, byVersion map[uint16]probe, opts Options, sni, target string) {
	info.AcceptedCipherSuites = map[string][]string{}
	info.CipherDetails = map[string][]CipherSuite{}
	info.ServerOrder = map[string]bool{}
	info.CipherEnumeration = map[string]Enumeration{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var done int
	step := func() {
		mu.Lock()
		done++
		p.progress.setStep("cipher suites", done, 0)
		mu.Unlock()
	}
	for _, v := range probeVersions {
		name := wire.VersionName(v)
		if !info.Versions[name] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := enumerator{p: p, v: v, sni: sni, step: step}
			e.run(ctx, byVersion[v])
			res := Enumeration{Complete: e.incomplete == "", Reason: e.incomplete}
			if res.Complete && len(e.picked) > 1 {
				e.order(ctx)
				res.Order = e.orderName
				if e.orderName == orderServer || e.orderName == orderServerChaCha {
					res.PreferenceKnown = &e.known
				}
			}
			names := make([]string, len(e.picked))
			details := make([]CipherSuite, len(e.picked))
			for i, id := range e.picked {
				s, _ := wire.SuiteByID(id)
				names[i] = wire.SuiteName(id)
				details[i] = CipherSuite{Name: names[i], ID: fmt.Sprintf("0x%04X", id), InPolicy: opts.Policy.AllowsSuite(id), Weakness: s.Weakness(), Note: suiteNote(s, v)}
			}
			mu.Lock()
			defer mu.Unlock()
			info.AcceptedCipherSuites[name] = names
			info.CipherDetails[name] = details
			info.CipherEnumeration[name] = res
			if res.Order != "" {
				info.ServerOrder[name] = res.Order != orderClient
			}
		}()
	}
	wg.Wait()
}

// The orders Enumeration.Order names.
const (
	orderServer       = "server"
	orderServerChaCha = "server except chacha20"
	orderClient       = "client"
)

// enumerator is the enumeration of one protocol version.
type enumerator struct {
	p    *prober
	v    uint16
	sni  string
	step func()
	// picked are the accepted suites, in the order the server picked them.
	picked []uint16
	// offered holds, per pick, the suites of the hello that got it: a pick
	// is the server's first choice only among those.
	offered [][]uint16
	// incomplete says why the enumeration stopped early, or is "".
	incomplete string
	// orderName is the result of order; known how many leading picks are
	// in the server's preference when it imposes one.
	orderName string
	known     int
}

// run enumerates by elimination. first is the version probe, reused when
// it offered the same suites as the first elimination hello.
func (e *enumerator) run(ctx context.Context, first probe) {
	remaining := probeSuites(e.v)
	for len(remaining) > 0 {
		offer := remaining[:min(len(remaining), maxSuitesPerHello)]
		var pr probe
		if first.speaks(e.v) && slices.Equal(first.hello.CipherSuites, offer) && len(e.picked) == 0 {
			pr = first
		} else {
			pr = e.p.runRetry(ctx, versionHello(e.v, e.sni, offer), helloOnly)
			e.step()
		}
		switch {
		case pr.speaks(e.v) && slices.Contains(offer, pr.flight.CipherSuite):
			e.picked = append(e.picked, pr.flight.CipherSuite)
			e.offered = append(e.offered, slices.Clone(offer))
			remaining = without(remaining, []uint16{pr.flight.CipherSuite})
		case pr.alert() != nil || pr.answered():
			// Refused (or answered at another version): none of these
			// suites is accepted at this version.
			remaining = remaining[len(offer):]
		default:
			e.incomplete = fmt.Sprintf("a probe offering %d suites failed twice: %s", len(offer), oneLine(pr.err.Error()))
			return
		}
	}
}

// order tells whose preference decides, with the suites picked:
//
//   - the picks reversed: a server that still picks its first imposes its
//     order ("server"); one that picks the reversed list's first follows
//     the client ("client");
//   - with a ChaCha20-Poly1305 suite accepted but not the server's first,
//     the picks with ChaCha20 moved first: a server that then picks
//     ChaCha20 prefers it only for clients that do ("server except
//     chacha20": OpenSSL's PrioritizeChaCha, BoringSSL, Go).
//
// Only the picks the first hello offered take part: their order among
// themselves is exact, as each was offered beside all of them picked after
// it (the elimination offers at most maxSuitesPerHello at once, the next
// suites sliding in as picks leave). A probe that fails twice leaves the
// order unknown.
func (e *enumerator) order(ctx context.Context) {
	var ranked []uint16
	for _, id := range e.picked {
		if slices.Contains(e.offered[0], id) {
			ranked = append(ranked, id)
		}
	}
	if len(ranked) < 2 {
		return
	}
	pick := func(suites []uint16) (uint16, bool) {
		pr := e.p.runRetry(ctx, versionHello(e.v, e.sni, suites), helloOnly)
		e.step()
		if !pr.speaks(e.v) {
			return 0, false
		}
		return pr.flight.CipherSuite, true
	}
	rev := slices.Clone(ranked)
	slices.Reverse(rev)
	// Never lead with ChaCha20: a server that prefers it for clients that
	// do would pick it whatever its own order.
	if i := slices.IndexFunc(rev, func(id uint16) bool { return !isChaCha(id) }); i > 0 {
		rev = append(append([]uint16{rev[i]}, rev[:i]...), rev[i+1:]...)
	}
	got, ok := pick(rev)
	switch {
	case !ok:
		return
	case got == rev[0]:
		e.orderName = orderClient
		return
	case got != ranked[0]:
		return // neither: no order to name
	}
	e.orderName = orderServer
	e.known = e.exactPrefix()
	i := slices.IndexFunc(ranked, isChaCha)
	if i <= 0 {
		return
	}
	chacha := append([]uint16{ranked[i]}, without(rev, []uint16{ranked[i]})...)
	if got, ok := pick(chacha); ok && got == ranked[i] {
		e.orderName = orderServerChaCha
	}
}

// exactPrefix returns how many leading picks are in the server's exact
// preference, were it to impose one: pick i is, when every suite picked
// after it was offered in the hello that got it. A suite the elimination
// reached only in a later hello (it offers at most maxSuitesPerHello at
// once) may rank above picks made before; ranking it among them would
// take one more connection per suite.
func (e *enumerator) exactPrefix() int {
	for i, offer := range e.offered {
		for _, later := range e.picked[i+1:] {
			if !slices.Contains(offer, later) {
				return i
			}
		}
	}
	return len(e.picked)
}

// isChaCha reports a ChaCha20-Poly1305 suite.
func isChaCha(id uint16) bool {
	s, _ := wire.SuiteByID(id)
	return strings.HasPrefix(s.Cipher, "CHACHA20")
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
