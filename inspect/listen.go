package inspect

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"chainscope/inspect/policy"
)

// The ClientHello values the listener reads to say what a connection has:
// the renegotiation_info extension (RFC 5746 §3.2) and its signalling
// cipher suite value (§3.3), and extended_master_secret (RFC 7627 §5.1).
const (
	extRenegotiationInfo    = 0xff01
	scsvRenegotiation       = 0x00ff
	extExtendedMasterSecret = 0x0017
)

// Listener is the server of listen mode: it asks every client for a
// certificate (from any CA), completes the handshake, answers a small HTTP
// response, and reports each client — its address, SNI, version, suite and
// its client chain judged as [AsClient] — so an operator can point the real
// sender at it and see what it presents (sender-model.md section 4).
//
// Everything is bounded: connections served at once, the handshake and the
// wait for the request, the bytes of the request read. Nothing is stored:
// a report holds the client's certificates, never a key (the client's key
// never leaves the client; the listener's own stays in memory).
type Listener struct {
	// Certificate is the listener's own certificate and key.
	Certificate tls.Certificate
	// MaxConns bounds the connections served at once; zero means 16. Others
	// wait in the kernel's backlog until one ends.
	MaxConns int
	// HandshakeTimeout bounds the handshake; zero means Options.Timeout.
	HandshakeTimeout time.Duration
	// IdleTimeout bounds the wait for the HTTP request after the handshake
	// and the writing of the response; zero means 10 seconds.
	IdleTimeout time.Duration
	// MaxRequestBytes bounds what is read of the request; zero means 16 KiB.
	MaxRequestBytes int
}

// Listen defaults.
const (
	defaultMaxConns        = 16
	defaultIdleTimeout     = 10 * time.Second
	defaultMaxRequestBytes = 16 << 10
)

// Serve accepts connections on ln until ctx is done (or ln fails) and
// calls emit with one report per connection, right after its handshake —
// from one goroutine at a time, in the order handshakes end. A handshake
// that fails (the client refused the listener's certificate, or spoke no
// TLS) is an error report. opts gives the policy whose client chains judge
// each chain, the clock and the timeout. Serve returns once every
// connection has ended: when ctx is done, at once (connections in flight
// are closed); when ln is closed by the caller, after the connections in
// flight have had their answer. It returns nil in both cases, and closes
// ln before it returns.
func (l *Listener) Serve(ctx context.Context, ln net.Listener, opts Options, emit func(Report)) error {
	opts, err := opts.withDefaults()
	if err != nil {
		ln.Close()
		return err
	}
	maxConns := l.MaxConns
	if maxConns <= 0 {
		maxConns = defaultMaxConns
	}
	defer ln.Close()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var (
		wg     sync.WaitGroup
		emitMu sync.Mutex
		conns  sync.Map // the connections in flight, closed when ctx ends
	)
	defer wg.Wait()
	defer context.AfterFunc(ctx, func() {
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
	})()
	sem := make(chan struct{}, maxConns)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{l.Certificate},
		// Any certificate, from any CA, is asked for and judged here;
		// no CA names are sent, so a client picks none out.
		ClientAuth: tls.RequestClientCert,
		// No resumption: every connection is a full handshake, so each
		// report shows the chain the client presents on it, not one a
		// ticket remembers; and crypto/tls puts the client's chain in
		// its TLS 1.3 tickets, whose 2-byte length a large chain (a
		// 10,000-SAN certificate) overflows, failing the handshake.
		SessionTicketsDisabled: true,
	}
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		conn, err := ln.Accept()
		if err != nil {
			<-sem
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("listen %s: accept: %w", ln.Addr(), err)
		}
		conns.Store(conn, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer conns.Delete(conn)
			defer conn.Close()
			r, tc := l.handshake(ctx, conn, cfg, opts)
			if ctx.Err() != nil && r.Verdict == VerdictError {
				return // the listener is stopping: not the client's doing
			}
			emitMu.Lock()
			emit(r)
			emitMu.Unlock()
			if tc != nil {
				l.answer(tc, &r)
			}
		}()
	}
}

// handshake runs the handshake of one connection and returns its report,
// and the connection when the HTTP exchange is to follow (whose failures
// change nothing in the report).
func (l *Listener) handshake(ctx context.Context, conn net.Conn, cfg *tls.Config, opts Options) (Report, *tls.Conn) {
	remote := conn.RemoteAddr().String()
	t := Target{Arg: remote}
	hsTimeout := l.HandshakeTimeout
	if hsTimeout <= 0 {
		hsTimeout = opts.timeout()
	}
	var (
		sni         string
		renego, ems bool
	)
	stage := StageConnected
	c := cfg.Clone()
	c.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		sni, stage = hello.ServerName, StageHello
		// RFC 5746 §3.3: renegotiation_info or the SCSV; RFC 7627:
		// extended_master_secret. crypto/tls answers both at TLS 1.2.
		renego = slices.Contains(hello.Extensions, extRenegotiationInfo) || slices.Contains(hello.CipherSuites, scsvRenegotiation)
		ems = slices.Contains(hello.Extensions, extExtendedMasterSecret)
		return nil, nil
	}
	c.VerifyPeerCertificate = func([][]byte, [][]*x509.Certificate) error {
		stage = StageCertificate // the client answered the request
		return nil
	}
	sn := newRecordSniffer(conn)
	tc := tls.Server(sn, c)
	hctx, cancel := context.WithTimeout(ctx, hsTimeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	r := newReport(t, opts, SourceTLS, sni)
	r.As = AsClient
	if err != nil {
		// The client's chain would have been judged against the
		// policy's client CAs, not the store of a server inspection.
		if chains, cerr := opts.Policy.RequireClientChains(r.EvaluatedAt, policy.RegionAll); cerr == nil {
			store := clientStore(opts.Policy, chains)
			si := DescribeStore(store)
			r.Trust.Store, r.Trust.StoreInfo = store.Label(), &si
		}
		r.Verdict = VerdictError
		r.Error = oneLine(clientHandshakeError(err, stage, sn, hsTimeout, l.certificateName()).Error())
		r.Checks = clientSkips("not inspected: the handshake failed")
		return r, nil
	}
	st := tc.ConnectionState()
	version := tls.VersionName(st.Version)
	r.TLS = &TLSInfo{
		Address:     remote,
		Version:     version,
		CipherSuite: tls.CipherSuiteName(st.CipherSuite),
		Versions:    map[string]bool{version: true},
		ALPN:        st.NegotiatedProtocol,
		// What the connection has, from what the client offered: both
		// are TLS 1.2 mechanisms (TLS 1.3 has neither).
		SecureRenegotiation:  st.Version == tls.VersionTLS12 && renego,
		ExtendedMasterSecret: st.Version == tls.VersionTLS12 && ems,
		// The listener's own request: any CA, and whatever is presented
		// completes the handshake; the client checks judge it.
		ClientAuth: ClientAuth{Requested: true, Mode: "optional", AcceptableCAs: []string{},
			Presented: len(st.PeerCertificates) > 0, Accepted: len(st.PeerCertificates) > 0},
		Handshakes: 1,
	}
	if err := judgeClient(&r, st.PeerCertificates, opts); err != nil {
		r.Verdict, r.Error = VerdictError, oneLine(err.Error())
		r.Checks = clientSkips("not inspected: " + r.Error)
		return r, nil
	}
	return r, tc
}

// certificateName is the short name of the listener's certificate, for
// reports: "CN=listener.test".
func (l *Listener) certificateName() string {
	leaf := l.Certificate.Leaf
	if leaf == nil && len(l.Certificate.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(l.Certificate.Certificate[0])
	}
	if leaf == nil {
		return ""
	}
	return shortName(leaf)
}

// answer reads the request (up to MaxRequestBytes, until its blank line)
// and writes a small plain-text response naming the verdict, within
// IdleTimeout. A client that sends nothing, or too much, gets the
// response all the same once the bound is reached.
func (l *Listener) answer(conn *tls.Conn, r *Report) {
	idle := l.IdleTimeout
	if idle <= 0 {
		idle = defaultIdleTimeout
	}
	limit := l.MaxRequestBytes
	if limit <= 0 {
		limit = defaultMaxRequestBytes
	}
	_ = conn.SetDeadline(time.Now().Add(idle))
	br := bufio.NewReader(io.LimitReader(conn, int64(limit)))
	for {
		line, err := br.ReadSlice('\n')
		if err != nil || len(line) <= 2 { // "\r\n" or "\n" ends the headers
			break
		}
	}
	body := fmt.Sprintf("chainscope listen: %s; client chain %s\n", clientSummary(r), r.Verdict)
	resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	_, _ = io.WriteString(conn, resp)
	_ = conn.CloseWrite()
}

// clientSummary names the client certificate of a report in a phrase.
func clientSummary(r *Report) string {
	if len(r.Chain) == 0 {
		return "no client certificate"
	}
	return fmt.Sprintf("client certificate %s (%s)", r.Chain[0].Name, plural(len(r.Chain), "certificate"))
}
