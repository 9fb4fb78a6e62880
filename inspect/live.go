package inspect

import (
	"context"
)

// inspectHost performs the sender's handshake and the version probes
// concurrently, then judges the chain exactly as it was sent.
func inspectHost(ctx context.Context, t Target, opts Options) (Report, error) {
	sn := serverNameFor(t, opts)
	sni := sniFor(sn)
	addr, err := resolve(ctx, t, opts)
	if err != nil {
		return Report{}, err
	}
	p := &prober{addr: addr, opts: opts, sem: make(chan struct{}, opts.perHost())}
	if opts.Progress != nil {
		p.progress = &progressTracker{opts: &p.opts, target: t.Arg, addr: addr}
	}
	hs, err := p.handshakes(ctx, t.Arg, sni)
	if err != nil {
		return Report{}, err
	}
	info := hs.tlsInfo(addr)
	certs, err := hs.chain(addr, info)
	if err != nil {
		return Report{}, err
	}
	at := opts.evaluationTime()
	info.ClientAuth.PolicyCAAccepted = info.ClientAuth.Requested && acceptsCA(info.ClientAuth.AcceptableCAs, opts.Policy.ClientAuth, at)
	if hs.policy.answered() {
		info.ServerKeyExchange = serverKeyExchange(hs.policy.flight, certs)
	}
	staple := hs.full.ocsp
	if hs.policy.answered() && len(hs.policy.flight.OCSPResponse) > 0 {
		staple = hs.policy.flight.OCSPResponse
	}
	info.OCSP = decodeOCSP(staple, certs)
	if needsUnknownCAProbe(info.ClientAuth, opts.Policy.ClientAuth, at) {
		p.progress.setStep("client certificate from an unknown CA", 0, 0)
		if o, err := p.probeUnknownCA(ctx, sni); err == nil {
			ca := &info.ClientAuth
			ca.UnknownCARefused, ca.UnknownCAHTTPStatus, ca.UnknownCAError = &o.refused, o.http, o.err
		}
	}
	if opts.Ciphers {
		p.progress.setStep("cipher suites", 0, 0)
		enumerateCiphers(ctx, p, info, hs.byVersion, opts, sni, t.Arg)
	}
	info.Handshakes = int(p.conns.Load())

	r := newReport(t, opts, SourceTLS, sn)
	r.TLS = info
	r.Checks = []Check{
		protocolCheck(opts.Policy, hs.policy, info),
		cipherCheck(opts.Policy, hs.policy, info),
		clientAuthCheck(opts.Policy, info, at),
		handshakeCheck(opts.Policy, hs.policy),
		keyExchangeCheck(opts.Policy, hs.policy, certs),
		ocspCheck(info.OCSP, at),
	}
	facts := chainFacts{live: true, keyAt: -1}
	if hs.policy.answered() {
		facts.keyAt = keyOwner(hs.policy.flight, certs)
	}
	judge(&r, certs, opts, facts)
	return r, nil
}
