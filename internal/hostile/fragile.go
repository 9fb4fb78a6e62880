package hostile

import (
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Fragile servers: real TLS servers behind a front that, like some load
// balancers and old server stacks, answers nothing to certain
// ClientHellos. The front reads the hello, and either forwards the
// connection to backend or keeps it open in silence until the client goes
// away.

// SuiteLimit returns a front to backend that answers nothing to a hello of
// more than max cipher suites: the limit of 128 that older F5 BIG-IP and
// IIS versions have, which testssl.sh works around.
func SuiteLimit(name, backend string, max int) Scenario {
	return Scenario{
		Name:        name,
		Description: fmt.Sprintf("%s behind a front that answers nothing to a ClientHello of more than %d cipher suites", backend, max),
		Serve: front(backend, func(ch *clientHello, _ []byte) bool {
			return len(ch.suites) > max
		}),
	}
}

// HelloSizeHang returns a front to backend that answers nothing to a
// ClientHello message 256 to 511 bytes long, the F5 bug RFC 7685 §1
// describes and its padding extension avoids.
func HelloSizeHang(name, backend string) Scenario {
	return Scenario{
		Name:        name,
		Description: backend + " behind a front that answers nothing to a ClientHello of 256 to 511 bytes",
		Serve: front(backend, func(_ *clientHello, hello []byte) bool {
			return len(hello) >= 256 && len(hello) < 512
		}),
	}
}

// Flaky returns a front to backend that resets the connections drop picks
// — given how many hellos came before this one, and the hello's cipher
// suites — right after reading their ClientHello, and relays the others:
// a server behind a per-client connection limit, or a passing fault. drop
// is called for one connection at a time.
func Flaky(name, backend string, drop func(n int, suites []uint16) bool) Scenario {
	var mu sync.Mutex
	count := 0
	return Scenario{
		Name:        name,
		Description: backend + " behind a front that resets some connections",
		Serve: func(c net.Conn, hello []byte) {
			ch, err := parseClientHello(hello)
			if err != nil {
				return
			}
			mu.Lock()
			dropped := drop(count, ch.suites) // under the lock: drop may keep state
			count++
			mu.Unlock()
			if dropped {
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // a reset, not an orderly close
				}
				return
			}
			front(backend, func(*clientHello, []byte) bool { return false })(c, hello)
		},
	}
}

// front returns a Serve that stays silent when silent says so and
// otherwise relays the connection to backend, the hello first.
func front(backend string, silent func(ch *clientHello, hello []byte) bool) func(net.Conn, []byte) {
	return func(c net.Conn, hello []byte) {
		ch, err := parseClientHello(hello)
		if err != nil || silent(ch, hello) {
			waitGone(c, lingerTimeout)
			return
		}
		b, err := net.DialTimeout("tcp", backend, writeTimeout)
		if err != nil {
			return
		}
		defer b.Close()
		// The hello in records of at most 2^14 bytes, as it came.
		var recs []byte
		for rest := hello; len(rest) > 0; {
			n := min(len(rest), maxRecordPlaintext)
			recs = append(recs, record(recordHandshake, versionTLS10, rest[:n])...)
			rest = rest[n:]
		}
		if write(b, recs) != nil {
			return
		}
		relay(c, b)
	}
}

// relay copies both ways until either side closes, or lingerTimeout.
func relay(a, b net.Conn) {
	deadline := time.Now().Add(lingerTimeout)
	_ = a.SetDeadline(deadline)
	_ = b.SetDeadline(deadline)
	var wg sync.WaitGroup
	wg.Add(2)
	cp := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		// The other direction ends too: both are closed by their owners.
		_ = dst.SetDeadline(time.Now())
		_ = src.SetDeadline(time.Now())
	}
	go cp(a, b)
	go cp(b, a)
	wg.Wait()
}
