package inspect

import (
	"context"

	"chainscope/inspect/wire"
)

// probeVersion asks the server for protocol version v with every suite
// that can be negotiated at it, at most maxSuitesPerHello per hello: the
// next hello only when the server refused the previous one's suites, and
// each retried once after a hiccup. It returns the first probe that got a
// ServerHello, or the last refusal.
func (p *prober) probeVersion(ctx context.Context, v uint16, sni string) probe {
	var pr probe
	for _, h := range versionHellos(v, sni) {
		pr = p.runRetry(ctx, h, wire.Limits{})
		if pr.flight != nil || !refusedSuites(pr) {
			return pr
		}
	}
	return pr
}

// refusedSuites reports whether the server refused the hello for want of
// a suite it accepts, so that another hello with other suites may still
// be answered: handshake_failure or insufficient_security (RFC 5246 §7.2.2,
// RFC 8446 §B.2). A protocol_version alert refuses the version itself.
func refusedSuites(pr probe) bool {
	a := pr.alert()
	return a != nil && (a.Description == wire.AlertHandshakeFailure || a.Description == wire.AlertInsufficientSecurity)
}
