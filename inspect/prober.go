package inspect

import (
	"context"
	"errors"
	"net"
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
// once, each dial and each handshake bounded by the timeout.
type prober struct {
	addr     string
	opts     Options
	sem      chan struct{}
	conns    atomic.Int32
	progress *progressTracker // nil: progress is not reported
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
	p.progress.dialStarted()
	conn, err := d.DialContext(dctx, "tcp", p.addr)
	p.progress.dialEnded(err == nil)
	if err != nil {
		<-p.sem
		return nil, connectError(p.addr, err)
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
	if err != nil {
		err = handshakeError(p.addr, p.opts.timeout(), err)
	}
	return probe{hello: hello, flight: f, err: err}
}
