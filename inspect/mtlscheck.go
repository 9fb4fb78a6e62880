package inspect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"chainscope/inspect/impostor"
)

// ClientCheck is what "chainscope mtls check" needs beside [Options]: a
// throw-away CA standing in for the sender's, which the server under test
// trusts, so that the sender's certificate and the impostors can be made
// on the fly ([impostor.Clients]).
type ClientCheck struct {
	// StandIn stands in for the sender's CA.
	StandIn impostor.CA
	// Other is a CA the server trusts for something else (its own
	// certificate's, for OCSP stapling), whose clients it must refuse; nil
	// means a throw-away one.
	Other *impostor.CA
	// Region chooses the sender's CNs ("us", "eu", [policy.RegionAll]).
	Region string
	// Path is the URL path requested over each connection; "" is "/".
	Path string
}

// CheckClientVerification tests how the server at t verifies client
// certificates: one connection per client of [impostor.Clients], each
// handshake at TLS 1.2 (the sender's version) followed by a HEAD request
// for cc.Path, and reports, for each, whether the server did what a server
// set up by the sender's five steps does — so that each mistake operators
// make shows as the check of the client it lets in or keeps out. The
// server's own chain is not judged here (inspect the target for that);
// mtls.client_auth judges its CertificateRequest as a live inspection
// does, with the stand-in's root counted among the sender's.
func CheckClientVerification(ctx context.Context, t Target, opts Options, cc ClientCheck) (Report, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return errorReport(t, opts, err), err
	}
	if t.Kind != TargetHost {
		err := fmt.Errorf("%s: mtls check tests a live server; give host:port or an https URL", t.Arg)
		return errorReport(t, opts, err), err
	}
	at := opts.evaluationTime()
	chains, err := opts.Policy.RequireClientChains(at, cc.Region)
	if err != nil {
		return errorReport(t, opts, err), err
	}
	var cns []string
	for _, c := range chains {
		if !slices.Contains(cns, c.CN) {
			cns = append(cns, c.CN)
		}
	}
	clients, err := impostor.Clients(impostor.Spec{
		StandIn: cc.StandIn, Other: cc.Other, CNs: cns,
		Intermediates: max(0, opts.Policy.ClientAuth.VerifyDepthFor(chains)-1),
		Now:           opts.now(),
	})
	if err != nil {
		return errorReport(t, opts, err), err
	}
	sn := serverNameFor(t, opts)
	opts.progress(Progress{Target: t.Arg, Step: "dialling"})
	addr, err := resolve(ctx, t, opts)
	if err != nil {
		return errorReport(t, opts, err), err
	}
	path := cc.Path
	if path == "" {
		path = "/"
	}
	p := &prober{addr: addr, opts: opts, sem: make(chan struct{}, opts.perHost())}
	host := sn
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	outcomes := make([]clientOutcome, len(clients))
	var wg sync.WaitGroup
	var done atomic.Int32
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = p.clientProbe(ctx, sniFor(sn), host, path, c.Certificate)
			opts.progress(Progress{Target: t.Arg, Step: "mtls clients", Done: int(done.Add(1)), Total: len(clients)})
		}()
	}
	wg.Wait()
	j := &verifyJudge{clients: clients, outcomes: outcomes, path: path, standIn: cc.StandIn, chains: chains}
	base, ok := j.outcome(impostor.NoCert)
	if ok && base.err != nil && !base.asked && !base.askedLater {
		// Not even a handshake without a certificate: the server cannot
		// be tested (refused, not TLS, no TLS 1.2).
		err := fmt.Errorf("%s: %w", addr, base.err)
		if timedOut(base.err) {
			err = markTimeout(fmt.Errorf("%s: no TLS 1.2 handshake within %s (--timeout): %w", addr, opts.timeout(), base.err))
		}
		return errorReport(t, opts, err), err
	}
	// A client that could not connect, or whose handshake ran out of
	// time, was not refused: nothing says what the server would have done
	// with it, and counting it as refused would pass an impostor check.
	for i, o := range outcomes {
		var ce *ConnectError
		if timedOut(o.err) || errors.As(o.err, &ce) {
			err := markTimeout(fmt.Errorf("%s: %s: %w; mtls check cannot tell whether the server refuses this client: try again, or raise --timeout", addr, clients[i].What, o.err))
			return errorReport(t, opts, err), err
		}
	}
	info := j.tlsInfo(addr)
	info.Handshakes = int(p.conns.Load())
	// The stand-in counts among the sender's chains, in a region of its
	// own, so that the CA list is judged against both.
	pol := *opts.Policy
	pol.ClientAuth.Chains = append(slices.Clone(pol.ClientAuth.Chains), j.standInChains(at)...)
	info.ClientAuth.PolicyCAAccepted = info.ClientAuth.Requested && acceptsCA(info.ClientAuth.AcceptableCAs, pol.ClientAuth, at)
	j.unknownCA(&info.ClientAuth)

	r := newReport(t, opts, SourceTLS, sn)
	r.Trust.Store = "" // no chain is judged against a store here
	r.TLS = info
	for _, id := range CheckIDs {
		if id == CheckClientAuth {
			r.Checks = append(r.Checks, clientAuthCheck(&pol, info, at))
			continue
		}
		r.Checks = append(r.Checks, skipCheck(id, "mtls check tests the client verification only; inspect the target for the rest"))
	}
	r.Checks = append(r.Checks, j.checks()...)
	r.Verdict = VerdictPass
	if r.Failed() > 0 {
		r.Verdict = VerdictFail
	}
	return r, nil
}
