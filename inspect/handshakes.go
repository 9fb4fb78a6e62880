package inspect

import (
	"context"
	"sync"
	"sync/atomic"

	"chainscope/inspect/wire"
)

// handshakes is what the first round of connections showed.
type handshakes struct {
	// policy is the policy's own handshake.
	policy probe
	// byVersion holds, per protocol version, the probe that asked for it
	// (for TLS 1.2, the policy's handshake when it negotiated TLS 1.2).
	byVersion  map[uint16]probe
	full       fullHandshakeResult
	clientCert bool
}

// handshakes runs the policy's handshake, the TLS 1.0, 1.1 and 1.3 probes
// and a full crypto/tls handshake at once, then a TLS 1.2 probe with every
// suite only when the policy's own handshake did not show TLS 1.2. It
// fails when no connection reached a TLS server.
func (p *prober) handshakes(ctx context.Context, target, sni string) (handshakes, error) {
	hellos := []*wire.ClientHello{policyHello(p.opts.Policy, sni)}
	versions := []uint16{wire.VersionTLS10, wire.VersionTLS11, wire.VersionTLS13}
	for _, v := range versions {
		hellos = append(hellos, versionHello(v, sni))
	}
	results := make([]probe, len(hellos))
	var done atomic.Int32
	var wg sync.WaitGroup
	// The full handshake shows what only a complete one can: the TLS 1.3
	// chain and CertificateRequest, ALPN, a stapled OCSP response,
	// acceptance of --client-cert.
	hs := handshakes{byVersion: map[uint16]probe{}, clientCert: p.opts.ClientCertificate != nil}
	wg.Add(1)
	go func() {
		defer wg.Done()
		hs.full = p.fullHandshake(ctx, sni, p.opts)
	}()
	for i, h := range hellos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = p.run(ctx, h, wire.Limits{})
			p.opts.progress(Progress{Target: target, Step: "handshakes", Done: int(done.Add(1)), Total: len(hellos)})
		}()
	}
	wg.Wait()
	hs.policy = results[0]
	for i, v := range versions {
		hs.byVersion[v] = results[i+1]
	}
	if err := allTimedOut(results, hs.full.err); err != nil {
		// A server that answers nothing in time will not answer one more
		// ClientHello either: stop at one timeout's worth of waiting.
		return hs, err
	}
	if pol := hs.policy; pol.err == nil && pol.flight.Version == wire.VersionTLS12 {
		hs.byVersion[wire.VersionTLS12] = pol
	} else {
		p.opts.progress(Progress{Target: target, Step: "TLS 1.2 probe"})
		hs.byVersion[wire.VersionTLS12] = p.run(ctx, versionHello(wire.VersionTLS12, sni), wire.Limits{})
	}
	return hs, fatalProbeError(append(results, hs.byVersion[wire.VersionTLS12]))
}
