package inspect

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"chainscope/inspect/wire"
)

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
		err = markTimeout(fmt.Errorf("%s: %w", p.addr, err))
	}
	return probe{hello: hello, flight: f, err: err}
}
