package inspect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/wire"
)

// serverNameFor is the name sent as SNI and checked against the leaf.
func serverNameFor(t Target, opts Options) string {
	if opts.ServerName != "" {
		return opts.ServerName
	}
	return t.Host
}

// probeVersions are the protocol versions every live inspection probes.
var probeVersions = []uint16{wire.VersionTLS10, wire.VersionTLS11, wire.VersionTLS12, wire.VersionTLS13}

// probe is one ClientHello sent on its own connection and what came back.
type probe struct {
	hello  *wire.ClientHello
	flight *wire.ServerFlight
	err    error
}

// prober opens the connections of one live inspection: at most PerHost at
// once, each dial and each handshake bounded by the timeout.
type prober struct {
	addr  string
	opts  Options
	sem   chan struct{}
	conns atomic.Int32
}

func (p *prober) dial(ctx context.Context) (net.Conn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	dctx, cancel := context.WithTimeout(ctx, p.opts.timeout())
	defer cancel()
	d := p.opts.Dialer
	if d == nil {
		d = &net.Dialer{}
	}
	p.conns.Add(1)
	conn, err := d.DialContext(dctx, "tcp", p.addr)
	if err != nil {
		<-p.sem
		return nil, connectError(p.addr, err)
	}
	return &releasingConn{Conn: conn, release: func() { <-p.sem }}, nil
}

// releasingConn gives its connection slot back once, on Close.
type releasingConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *releasingConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// connectError says "connect 127.0.0.1:443: connection refused" and keeps
// the cause reachable with errors.Is.
func connectError(addr string, err error) error {
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno):
		return fmt.Errorf("connect %s: %w", addr, errno)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("connect %s: timeout: %w", addr, os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("connect %s: %w", addr, err)
}

// run sends hello on a new connection and reads the server's flight,
// within lim.
func (p *prober) run(ctx context.Context, hello *wire.ClientHello, lim wire.Limits) probe {
	conn, err := p.dial(ctx)
	if err != nil {
		return probe{hello: hello, err: err}
	}
	defer conn.Close()
	hctx, cancel := context.WithTimeout(ctx, p.opts.timeout())
	defer cancel()
	f, err := wire.Handshake(hctx, conn, hello, lim)
	if err != nil {
		err = fmt.Errorf("%s: %w", p.addr, err)
	}
	return probe{hello: hello, flight: f, err: err}
}

// policyHello is the sender's own ClientHello, from the policy's data.
func policyHello(pol *policy.Policy, sni string) *wire.ClientHello {
	h := &wire.ClientHello{
		CipherSuites:         pol.CipherSuites,
		ServerName:           sni,
		Groups:               pol.Hello.Groups,
		PointFormats:         []uint8{0}, // uncompressed (RFC 8422 §5.1.2)
		SignatureAlgorithms:  pol.Hello.SignatureAlgorithms,
		RenegotiationInfo:    pol.Hello.RenegotiationInfo,
		ExtendedMasterSecret: pol.Hello.ExtendedMasterSecret,
		StatusRequest:        pol.Hello.StatusRequest,
	}
	for _, v := range pol.Versions {
		if v <= wire.VersionTLS12 {
			h.Version = max(h.Version, v)
		}
	}
	if pol.AllowsVersion(wire.VersionTLS13) {
		h.SupportedVersions = append([]uint16(nil), pol.Versions...)
		h.KeyShareGroups = firstKeyShare(pol.Hello.Groups)
		h.PSKModes = true
		if h.Version == 0 {
			h.Version = wire.VersionTLS12
		}
	}
	return h
}

func firstKeyShare(groups []uint16) []uint16 {
	for _, g := range groups {
		switch g {
		case wire.GroupX25519, wire.GroupSecp256r1, wire.GroupSecp384r1:
			return []uint16{g}
		}
	}
	return []uint16{wire.GroupX25519}
}

// Groups and schemes offered by the version probes: everything in common
// use, so that the server is free to pick and is judged by what it can do,
// not by what we offer.
var (
	probeGroups = []uint16{wire.GroupX25519, wire.GroupSecp256r1, wire.GroupSecp384r1, wire.GroupSecp521r1, wire.GroupX448,
		0x0100, 0x0101, 0x0102, 0x0103, 0x0104} // ffdhe2048 … ffdhe8192 (RFC 7919)
	probeSchemes = []uint16{0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
		0x0401, 0x0501, 0x0601, 0x0402, 0x0203, 0x0201, 0x0202, 0x0303, 0x0301, 0x0302}
)

// versionHello offers every registered suite that can be negotiated at v.
func versionHello(v uint16, sni string) *wire.ClientHello {
	h := &wire.ClientHello{
		ServerName:           sni,
		Groups:               probeGroups,
		PointFormats:         []uint8{0},
		RenegotiationInfo:    true,
		ExtendedMasterSecret: true,
	}
	if v == wire.VersionTLS13 {
		h.Version = wire.VersionTLS12
		h.SupportedVersions = []uint16{wire.VersionTLS13}
		h.KeyShareGroups = []uint16{wire.GroupX25519}
		h.PSKModes = true
		h.SignatureAlgorithms = probeSchemes
		for _, s := range wire.Suites() {
			if s.TLS13 {
				h.CipherSuites = append(h.CipherSuites, s.ID)
			}
		}
		return h
	}
	h.Version = v
	if v >= wire.VersionTLS12 {
		h.SignatureAlgorithms = probeSchemes
	}
	for _, s := range wire.Suites() {
		if !s.TLS13 && !s.Signaling && s.MinVersion <= v {
			h.CipherSuites = append(h.CipherSuites, s.ID)
		}
	}
	return h
}

// resolve returns the address every probe dials: the target's first IPv4
// address (else its first address), so all probes reach the same server.
func resolve(ctx context.Context, t Target, opts Options) (string, error) {
	if _, err := netip.ParseAddr(t.Host); err == nil || opts.Dialer != nil {
		return t.Address(), nil
	}
	rctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(rctx, "ip", t.Host)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", t.Host, err)
	}
	best := ips[0]
	for _, ip := range ips {
		if ip.Unmap().Is4() {
			best = ip.Unmap()
			break
		}
	}
	return net.JoinHostPort(best.String(), t.Port), nil
}

// inspectHost performs the sender's handshake and the version probes
// concurrently, then judges the chain exactly as it was sent.
func inspectHost(ctx context.Context, t Target, opts Options) (Report, error) {
	sn := serverNameFor(t, opts)
	sni := sn
	if net.ParseIP(sni) != nil {
		sni = "" // RFC 6066 §3: literal IP addresses are not sent as SNI
	}
	opts.progress(Progress{Target: t.Arg, Step: "dialling"})
	addr, err := resolve(ctx, t, opts)
	if err != nil {
		return Report{}, err
	}
	p := &prober{addr: addr, opts: opts, sem: make(chan struct{}, opts.perHost())}
	hs, err := p.handshakes(ctx, t.Arg, sni)
	if err != nil {
		return Report{}, err
	}
	info := hs.tlsInfo(addr)
	certs, err := hs.chain(addr, info)
	if err != nil {
		return Report{}, err
	}
	info.ClientAuth.PolicyCAAccepted = info.ClientAuth.Requested && acceptsCA(info.ClientAuth.AcceptableCAs, opts.Policy.ClientAuth)
	if opts.Ciphers {
		opts.progress(Progress{Target: t.Arg, Step: "cipher suites"})
		enumerateCiphers(ctx, p, info, hs.byVersion, opts, sni, t.Arg)
	}
	info.Handshakes = int(p.conns.Load())

	r := newReport(t, opts, SourceTLS, sn)
	r.TLS = info
	r.Checks = []Check{
		protocolCheck(opts.Policy, hs.policy, info),
		cipherCheck(opts.Policy, hs.policy, info),
		clientAuthCheck(opts.Policy, info),
	}
	judge(&r, certs, opts)
	return r, nil
}

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

// tlsInfo is what the handshakes say about the server, chain aside.
func (hs handshakes) tlsInfo(addr string) *TLSInfo {
	info := &TLSInfo{Address: addr, Versions: map[string]bool{}}
	for _, v := range probeVersions {
		pr := hs.byVersion[v]
		info.Versions[wire.VersionName(v)] = pr.err == nil && pr.flight.Version == v
	}
	if pol := hs.policy; pol.err == nil {
		f := pol.flight
		info.Version = wire.VersionName(f.Version)
		info.CipherSuite = wire.SuiteName(f.CipherSuite)
		info.SecureRenegotiation = f.RenegotiationInfo
		info.ExtendedMasterSecret = f.ExtendedMasterSecret
		info.OCSPStapled = len(f.OCSPResponse) > 0
		info.KeyExchange = describeKeyExchange(f.KeyExchange)
	} else {
		info.PolicyHandshakeError = oneLine(pol.err.Error())
	}
	fh := hs.full
	info.FullHandshake = fh.summary()
	info.ALPN = fh.alpn
	info.OCSPStapled = info.OCSPStapled || fh.ocsp
	if hs.clientCert {
		info.ClientAuth.Presented = true
		info.ClientAuth.Accepted = fh.err == nil
		if fh.err != nil {
			info.ClientAuth.AcceptError = oneLine(fh.err.Error())
		}
	}
	info.ClientAuth.AcceptableCAs = []string{}
	return info
}

// chain returns the certificates as sent — from the policy's handshake,
// else from the first clear-text probe that carried them, else from the
// full handshake — and fills in the client-certificate request that came
// with them.
func (hs handshakes) chain(addr string, info *TLSInfo) ([]*x509.Certificate, error) {
	for _, pr := range []probe{hs.policy, hs.byVersion[wire.VersionTLS12], hs.byVersion[wire.VersionTLS11], hs.byVersion[wire.VersionTLS10]} {
		if pr.err != nil || len(pr.flight.Certificates) == 0 {
			continue
		}
		var certs []*x509.Certificate
		for i, der := range pr.flight.Certificates {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("%s: certificate %d of the chain: malformed: %w", addr, i, err)
			}
			certs = append(certs, c)
		}
		if cr := pr.flight.CertificateRequest; cr != nil {
			info.ClientAuth.Requested = true
			info.ClientAuth.AcceptableCAs = caNames(cr.CANames)
		}
		return certs, nil
	}
	fh := hs.full
	if fh.err != nil && len(fh.certs) == 0 {
		return nil, noChainError(addr, hs.policy.err, fh.cause)
	}
	info.ClientAuth.Requested = fh.requested
	if fh.cas != nil {
		info.ClientAuth.AcceptableCAs = fh.cas
	}
	return fh.certs, nil
}

// noChainError says why no handshake showed a chain, the sender's own
// handshake first: "ADDR: no handshake showed a certificate chain: policy
// handshake: CAUSE; full handshake: CAUSE". The full handshake's error
// stays reachable with errors.Is and errors.As.
func noChainError(addr string, pol, full error) error {
	if pol == nil {
		return fmt.Errorf("%s: no handshake showed a certificate chain: %w", addr, full)
	}
	return fmt.Errorf("%s: no handshake showed a certificate chain: policy handshake: %s; %w",
		addr, strings.TrimPrefix(pol.Error(), addr+": "), full)
}

// allTimedOut returns the first probe's error when every probe and the full
// handshake ran out of time, and nil otherwise.
func allTimedOut(probes []probe, full error) error {
	timedOut := func(err error) bool {
		return err != nil && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded))
	}
	if !timedOut(full) {
		return nil
	}
	for _, pr := range probes {
		if !timedOut(pr.err) {
			return nil
		}
	}
	return probes[0].err
}

// fatalProbeError returns an error when no probe reached a TLS server: the
// connection was refused or timed out, or the port speaks something else.
// An alert from a TLS server is a finding, not a failure to inspect.
func fatalProbeError(probes []probe) error {
	var first error
	for _, pr := range probes {
		if pr.err == nil {
			return nil
		}
		var alert *wire.AlertError
		if errors.As(pr.err, &alert) {
			// A TLS server that answered; judged by the checks.
			return nil
		}
		if first == nil {
			first = pr.err
		}
	}
	return first
}

func describeKeyExchange(kx *wire.KeyExchange) string {
	if kx == nil {
		return ""
	}
	switch {
	case kx.Group != 0:
		return kx.Kind + " " + wire.GroupName(kx.Group)
	case kx.DHBits > 0:
		return fmt.Sprintf("%s %d bits", kx.Kind, kx.DHBits)
	}
	return kx.Kind
}

// caNames turns the raw DistinguishedNames of a CertificateRequest into
// RFC 4514 strings; an unparseable one is shown by its length.
func caNames(raw [][]byte) []string {
	out := make([]string, 0, len(raw))
	for _, der := range raw {
		var seq pkix.RDNSequence
		if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) > 0 {
			out = append(out, fmt.Sprintf("(malformed name, %d bytes)", len(der)))
			continue
		}
		var n pkix.Name
		n.FillFromRDNSequence(&seq)
		out = append(out, n.String())
	}
	return out
}

// acceptsCA reports whether a server listing cas would accept the policy's
// client certificate: an empty list accepts any CA (RFC 5246 §7.4.4), else
// the root or the intermediate must be named.
func acceptsCA(cas []string, ca policy.ClientAuth) bool {
	if len(cas) == 0 {
		return true
	}
	for _, n := range cas {
		if ca.CASubject != "" && strings.EqualFold(n, ca.CASubject) || ca.Intermediate != "" && strings.EqualFold(n, ca.Intermediate) {
			return true
		}
	}
	return false
}

// fullHandshakeResult is what a complete crypto/tls handshake showed.
type fullHandshakeResult struct {
	version   uint16
	suite     uint16
	certs     []*x509.Certificate
	requested bool
	cas       []string
	alpn      string
	ocsp      bool
	err       error
	// cause is err without the address, for messages that name it already.
	cause error
}

// fullHandshake completes a handshake with crypto/tls: it shows the chain
// of a TLS 1.3-only server (encrypted on the wire), the CA names of a TLS
// 1.3 CertificateRequest, ALPN and a stapled OCSP response, and whether a
// server accepts the --client-cert certificate. The chain is judged by
// chainscope, not by crypto/tls, hence InsecureSkipVerify.
func (p *prober) fullHandshake(ctx context.Context, sni string, opts Options) fullHandshakeResult {
	var res fullHandshakeResult
	conn, err := p.dial(ctx)
	if err != nil {
		res.err, res.cause = err, err
		return res
	}
	defer conn.Close()
	cfg := &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, //nolint:gosec // the chain is judged by chainscope itself
		MinVersion:         tls.VersionTLS10,
		NextProtos:         []string{"h2", "http/1.1"},
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			res.requested = true
			res.cas = caNames(cri.AcceptableCAs)
			if opts.ClientCertificate != nil {
				return opts.ClientCertificate, nil
			}
			return &tls.Certificate{}, nil
		},
	}
	if opts.ClientCertificate != nil && !opts.Policy.AllowsVersion(wire.VersionTLS13) {
		// Present the certificate as the sender would: in TLS 1.2 the
		// server's Finished proves it accepted it.
		cfg.MaxVersion = tls.VersionTLS12
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	err = tc.HandshakeContext(hctx)
	st := tc.ConnectionState()
	res.certs = st.PeerCertificates
	if err == nil {
		res.version, res.suite = st.Version, st.CipherSuite
		res.alpn = st.NegotiatedProtocol
		res.ocsp = len(st.OCSPResponse) > 0
		if st.Version == tls.VersionTLS13 && res.requested {
			// In TLS 1.3 the server judges the client's certificate after
			// the client's Finished: an alert arrives on the first read.
			_ = tc.SetReadDeadline(time.Now().Add(min(opts.timeout(), 500*time.Millisecond)))
			var b [1]byte
			if _, rerr := tc.Read(b[:]); rerr != nil && !errors.Is(rerr, os.ErrDeadlineExceeded) && !errors.Is(rerr, net.ErrClosed) {
				var ae tls.AlertError
				if errors.As(rerr, &ae) || strings.Contains(rerr.Error(), "alert") {
					err = rerr
				}
			}
		}
	}
	if err != nil {
		res.cause = fmt.Errorf("full handshake: %w", err)
		res.err = fmt.Errorf("%s: %w", p.addr, res.cause)
	}
	return res
}

func (f fullHandshakeResult) summary() *FullHandshake {
	out := &FullHandshake{ALPN: f.alpn, OCSPStapled: f.ocsp}
	if f.err != nil {
		out.Error = oneLine(f.err.Error())
		return out
	}
	out.Version = wire.VersionName(f.version)
	out.CipherSuite = wire.SuiteName(f.suite)
	return out
}
