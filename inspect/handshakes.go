package inspect

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"chainscope/inspect/wire"
)

// handshakes is what the first round of connections showed.
type handshakes struct {
	// policy is the policy's own handshake: the second attempt when the
	// first ended in a hiccup.
	policy probe
	// byVersion holds, per protocol version, the probe that asked for it
	// (for TLS 1.2, the policy's handshake when it negotiated TLS 1.2).
	byVersion map[uint16]probe
	// full is the crypto/tls handshake that presented no certificate;
	// withCert the one that presented --client-cert, when given.
	full, withCert *fullHandshakeResult
}

// policyLimits are the bounds of the policy's own handshake: messages up to
// 1 MiB are read, so that one larger than the sender accepts (256 KiB,
// OTP's max_handshake_size) is judged with the chain it carries instead of
// ending the read (tls.handshake).
var policyLimits = wire.Limits{MaxMessage: 1 << 20, MaxFlight: 2 << 20}

// handshakes runs at once the policy's handshake, a full crypto/tls
// handshake (and, with --client-cert, a second one presenting it) and one
// probe for TLS 1.1 and below: three connections, what --per-host allows
// by default. Then, alone and only when needed: the policy's handshake once
// more when the first ended in a hiccup (a reset, a close, a timeout
// without an alert); a TLS 1.2 probe when the policy's handshake did not
// show TLS 1.2; a TLS 1.0 probe when the server answered the legacy probe
// with TLS 1.1; a TLS 1.3 probe when the full handshake got no ServerHello
// (one that did, at TLS 1.2 or below, shows the server has no TLS 1.3: a
// server picks the highest version both offer, RFC 8446 §4.2.1). It fails
// when no connection reached a TLS server, or when the policy's handshake
// failed twice without an answer (*HandshakeError).
func (p *prober) handshakes(ctx context.Context, target, sni string) (handshakes, error) {
	polHello := policyHello(p.opts.Policy, sni)
	hs := handshakes{byVersion: map[uint16]probe{}}
	var legacy probe
	jobs := []func(){
		func() { hs.policy = p.run(ctx, polHello, policyLimits) },
		// The full handshake shows what only a complete one can: the TLS
		// 1.3 chain and CertificateRequest, ALPN, a stapled OCSP response,
		// and whether the server admits a client without a certificate.
		func() { r := p.fullHandshake(ctx, sni, nil, 0); hs.full = &r },
		// TLS 1.1 offered: the server answers with the highest of TLS 1.0
		// and 1.1 it speaks (RFC 5246 Appendix E.1).
		func() { legacy = p.probeVersion(ctx, wire.VersionTLS11, sni) },
	}
	if cert := p.opts.ClientCertificate; cert != nil {
		// Present it as the sender would: at the policy's highest version
		// (TLS 1.2 for pagerduty, where the server's Finished proves it
		// accepted the certificate), then a request over the connection.
		jobs = append(jobs, func() {
			r := p.fullHandshake(ctx, sni, cert, min(p.opts.Policy.MaxVersion(), wire.VersionTLS13))
			hs.withCert = &r
		})
	}
	var done atomic.Int32
	var wg sync.WaitGroup
	p.progress.setStep("handshakes", 0, len(jobs))
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
			p.progress.setStep("handshakes", int(done.Add(1)), len(jobs))
		}()
	}
	wg.Wait()
	if p.heard.Load() {
		// Connections skipped while the server seemed silent, which it
		// was not: open them now.
		if errors.Is(hs.policy.err, errSilent) {
			hs.policy = p.run(ctx, polHello, policyLimits)
		}
		if errors.Is(hs.full.err, errSilent) {
			r := p.fullHandshake(ctx, sni, nil, 0)
			hs.full = &r
		}
		if wc := hs.withCert; wc != nil && errors.Is(wc.err, errSilent) {
			r := p.fullHandshake(ctx, sni, p.opts.ClientCertificate, min(p.opts.Policy.MaxVersion(), wire.VersionTLS13))
			hs.withCert = &r
		}
		if errors.Is(legacy.err, errSilent) {
			legacy = p.probeVersion(ctx, wire.VersionTLS11, sni)
		}
	}
	// A server that asks for a client certificate only once it has read
	// the request renegotiates at TLS 1.2; at TLS 1.3, with a client that
	// offers no post-handshake authentication, it refuses the request
	// instead (Apache's 403). When the full handshake ran at TLS 1.3, was
	// asked nothing and got such a refusal, while the sender speaks TLS 1.2
	// at most, one more at TLS 1.2 shows whether the sender is asked.
	if f := hs.full; f.err == nil && !f.requested && f.version == wire.VersionTLS13 &&
		p.opts.Policy.MaxVersion() <= wire.VersionTLS12 && refusingStatus(f.unaskedHTTP) {
		if r := p.fullHandshake(ctx, sni, nil, wire.VersionTLS12); r.err == nil && r.requested {
			f.requested, f.cas, f.renegotiated = true, r.cas, r.renegotiated
			f.http, f.httpErr, f.httpRefused = r.http, r.httpErr, r.httpRefused
		}
	}
	all := []probe{hs.policy, legacy}
	if err := allTimedOut(all, hs.full.err); err != nil {
		// A server that answers nothing in time will not answer one more
		// ClientHello either: stop at one timeout's worth of waiting.
		return hs, err
	}
	if err := p.retryPolicy(ctx, target, polHello, &hs, all); err != nil {
		return hs, err
	}
	hs.byVersion[wire.VersionTLS11], hs.byVersion[wire.VersionTLS10] = legacy, legacy
	if legacy.speaks(wire.VersionTLS11) {
		p.progress.setStep("TLS 1.0 probe", 0, 0)
		hs.byVersion[wire.VersionTLS10] = p.probeVersion(ctx, wire.VersionTLS10, sni)
	}
	if pol := hs.policy; pol.speaks(wire.VersionTLS12) {
		hs.byVersion[wire.VersionTLS12] = pol
	} else {
		p.progress.setStep("TLS 1.2 probe", 0, 0)
		hs.byVersion[wire.VersionTLS12] = p.probeVersion(ctx, wire.VersionTLS12, sni)
	}
	if hs.full.version == 0 {
		p.progress.setStep("TLS 1.3 probe", 0, 0)
		hs.byVersion[wire.VersionTLS13] = p.probeVersion(ctx, wire.VersionTLS13, sni)
	}
	probes := []probe{hs.policy, legacy, hs.byVersion[wire.VersionTLS12], hs.byVersion[wire.VersionTLS13]}
	if hs.full.version != 0 {
		return hs, nil // a TLS server answered the full handshake
	}
	return hs, fatalProbeError(probes)
}

// retryPolicy repeats the policy's handshake alone, once, when the first
// attempt ended in a hiccup: a connection limit or a passing fault is no
// finding about the server's TLS (sender-model.md section 5). A second
// hiccup makes the inspection an error, a *HandshakeError, unless no probe
// reached a TLS server at all (then fatalProbeError says why).
func (p *prober) retryPolicy(ctx context.Context, target string, hello *wire.ClientHello, hs *handshakes, all []probe) error {
	if !hiccup(hs.policy.err) {
		return nil
	}
	p.progress.setStep("policy handshake, again", 0, 0)
	hs.policy = p.run(ctx, hello, policyLimits)
	hs.policy.retried = true
	if !hiccup(hs.policy.err) {
		return nil
	}
	others := false
	for _, pr := range all[1:] {
		others = others || pr.answered()
	}
	if !others && !hs.full.answered() {
		return nil
	}
	n := 0
	if msg, err := hello.Marshal(); err == nil {
		n = len(msg) - 5 // one record header
	}
	return &HandshakeError{Addr: p.addr, HelloLength: n, OthersAnswered: others || hs.full.answered(), Err: hs.policy.err}
}

// answered reports whether the full handshake reached a TLS server.
func (f *fullHandshakeResult) answered() bool {
	return f.version != 0 || f.err == nil || len(f.certs) > 0
}
