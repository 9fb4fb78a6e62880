package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"

	"chainscope/inspect/wire"
)

// probe is one ClientHello sent on its own connection and what came back.
// flight is non-nil once a ServerHello was decoded, even when err says
// what went wrong after it.
type probe struct {
	hello  *wire.ClientHello
	flight *wire.ServerFlight
	err    error
	// retried is true when this is a second attempt.
	retried bool
}

// answered reports whether the server answered with a valid ServerHello:
// decoded, and within what the hello offered.
func (pr probe) answered() bool {
	var fe *wire.FlightError
	return pr.flight != nil && !(errors.As(pr.err, &fe) && fe.Message == "server_hello")
}

// speaks reports whether the probe shows that the server speaks version v:
// a valid ServerHello at v, whatever came after it.
func (pr probe) speaks(v uint16) bool { return pr.answered() && pr.flight.Version == v }

// alert returns the alert that ended the probe, or nil.
func (pr probe) alert() *wire.AlertError {
	var a *wire.AlertError
	if errors.As(pr.err, &a) {
		return a
	}
	return nil
}

// prober opens the connections of one live inspection: at most PerHost at
// once, each dial and each handshake bounded by the timeout. Once a
// connection or a handshake has run out of time before the server said
// anything at all, further connections are not opened until it does
// (errSilent): a server that answers nothing costs one timeout, however
// few connections may be open at once.
type prober struct {
	addr     string
	opts     Options
	sem      chan struct{}
	conns    atomic.Int32
	progress *progressTracker // nil: progress is not reported
	// heard is set once the server answered anything; silent once a
	// connection or handshake timed out while heard was not set.
	heard, silent atomic.Bool
}

// errSilent is the error of a connection not opened because the server has
// answered nothing in time so far. It counts as a timeout.
var errSilent = fmt.Errorf("not tried: the server answered nothing in time: %w", os.ErrDeadlineExceeded)

// note records what an attempt says about the server's silence: err is
// its error, answered whether any byte or handshake came back.
func (p *prober) note(err error, answered bool) {
	switch {
	case answered || err == nil:
		p.heard.Store(true)
	case timedOut(err) && !errors.Is(err, errSilent) && !p.heard.Load():
		p.silent.Store(true)
	}
}

func (p *prober) dial(ctx context.Context) (net.Conn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if p.silent.Load() && !p.heard.Load() {
		<-p.sem
		return nil, markTimeout(fmt.Errorf("%s: %w", p.addr, errSilent))
	}
	dctx, cancel := context.WithTimeout(ctx, p.opts.timeout())
	defer cancel()
	d := p.opts.Dialer
	if d == nil {
		d = &net.Dialer{}
	}
	p.conns.Add(1)
	p.progress.dialStarted()
	conn, err := d.DialContext(dctx, "tcp", p.addr)
	p.progress.dialEnded(err == nil)
	if err != nil {
		<-p.sem
		err = connectError(p.addr, err)
		p.note(err, false)
		return nil, err
	}
	return &releasingConn{Conn: conn, release: func() { p.progress.closed(); <-p.sem }}, nil
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

// runRetry is run, once more on a fresh connection when the first attempt
// ended in a hiccup before any ServerHello.
func (p *prober) runRetry(ctx context.Context, hello *wire.ClientHello, lim wire.Limits) probe {
	pr := p.run(ctx, hello, lim)
	if pr.flight == nil && hiccup(pr.err) && ctx.Err() == nil {
		pr = p.run(ctx, hello, lim)
		pr.retried = true
	}
	return pr
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
	var fe *wire.FlightError
	p.note(err, f != nil || errors.As(err, &fe) && !timedOut(err))
	if err != nil {
		err = handshakeError(p.addr, p.opts.timeout(), err)
	}
	return probe{hello: hello, flight: f, err: err}
}
