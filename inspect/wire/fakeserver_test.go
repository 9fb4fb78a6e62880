package wire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer accepts one connection on 127.0.0.1, reads the ClientHello and
// hands the connection to serve, which writes crafted bytes. The connection
// is closed when serve returns; done is closed when the test ends, so a
// serve that waits or dribbles can stop.
func fakeServer(t *testing.T, serve func(c net.Conn, ch *parsedHello, done <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		msg, _, _, err := readHelloRecords(c)
		if err != nil {
			t.Errorf("fake server: read client hello: %v", err)
			return
		}
		ch, err := parseClientHelloMsg(msg)
		if err != nil {
			t.Errorf("fake server: parse client hello: %v", err)
			return
		}
		serve(c, ch, done)
	}()
	t.Cleanup(func() {
		close(done)
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// send returns a serve function that writes data and then waits for the
// client to hang up, so the flight's end is not an EOF.
func send(data []byte) func(net.Conn, *parsedHello, <-chan struct{}) {
	return func(c net.Conn, _ *parsedHello, done <-chan struct{}) {
		c.Write(data)
		waitForClient(c, done)
	}
}

// waitForClient blocks until the client closes c or the test ends.
func waitForClient(c net.Conn, done <-chan struct{}) {
	go func() {
		<-done
		c.SetReadDeadline(time.Now())
	}()
	io.Copy(io.Discard, c)
}

// tls13Answer builds a TLS 1.3 ServerHello echoing the client's session id.
func tls13Answer(ch *parsedHello, hrr bool) []byte {
	sh := tls13SH()
	sh.sessionID = ch.sessionID
	if hrr {
		sh.random = helloRetryRandom
		sh.exts = []extension{extSV13, {extKeyShare, u16(GroupSecp256r1)}}
	}
	return oneRecord(sh.msg())
}

func TestFakeServers(t *testing.T) {
	msgs := tls12Messages()
	sh, cert, ske, done := msgs[0], msgs[1], msgs[3], msgs[5]
	manyCerts := make([][]byte, 1000)
	for i := range manyCerts {
		manyCerts[i] = []byte{0x30, 0x03, 0x02, 0x01, byte(i)}
	}
	ver := tls12SH()
	ver.version = 0x0305
	unoffered := tls12SH()
	unoffered.suite = 0xC030 + 0x100 // 0xC130, not offered
	ssl2 := []byte{0x80, 0x2e, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x03, 0x00, 0x10}

	tests := []struct {
		name    string
		hello   *ClientHello
		serve   func(net.Conn, *parsedHello, <-chan struct{})
		timeout time.Duration
		check   func(t *testing.T, fl *ServerFlight, err error)
	}{
		{
			name:  "messages split across records",
			serve: send(recSplit(recordHandshake, cat(msgs...), 5)),
			check: wantComplete,
		},
		{
			name:  "several messages in one record",
			serve: send(oneRecord(msgs...)),
			check: wantComplete,
		},
		{
			name: "one byte per write",
			serve: func(c net.Conn, _ *parsedHello, done <-chan struct{}) {
				for _, b := range eachRecord(msgs...) {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
				}
				waitForClient(c, done)
			},
			check: wantComplete,
		},
		{
			name:  "alert",
			serve: send(rec(recordAlert, []byte{2, 40})),
			check: func(t *testing.T, fl *ServerFlight, err error) {
				var ae *AlertError
				if !errors.As(err, &ae) || ae.Description != AlertHandshakeFailure {
					t.Errorf("Handshake() error = %v, want *AlertError handshake_failure", err)
				}
			},
		},
		{
			name:  "HTTP answer",
			serve: send([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")),
			check: wantErr(ErrNotTLS, "not TLS: server answered with HTTP"),
		},
		{
			name:  "short banner, then silence",
			serve: send([]byte("OK\r\n")),
			check: wantErr(ErrNotTLS, `not TLS: first bytes 4f 4b 0d 0a ("OK\r\n")`),
		},
		{
			name:  "SSLv2 answer",
			serve: send(ssl2),
			check: wantErr(ErrSSLv2, "SSLv2"),
		},
		{
			name:  "record over limit",
			serve: send(rec(recordHandshake, make([]byte, 20000))),
			check: wantErr(nil, "record: length 20000 exceeds limit 18432"),
		},
		{
			name: "message claiming 16 MiB",
			// Only the header is sent; waiting for the body would hit the deadline.
			serve: send(cat(oneRecord(sh), rec(recordHandshake, []byte{typeCertificate, 0xFF, 0xFF, 0xFF, 0x30}))),
			check: wantErr(nil, "message length 16777215 exceeds limit"),
		},
		{
			name:  "1000 certificates",
			serve: send(recSplit(recordHandshake, cat(sh, hs(typeCertificate, certBody(manyCerts...)), ske, done), maxPlaintext)),
			check: wantErr(nil, "certificate: more than 64 certificates"),
		},
		{
			name:  "zero-length certificate entry",
			serve: send(oneRecord(sh, hs(typeCertificate, certBody(fakeLeaf, nil, fakeInter)), ske, done)),
			check: wantErr(nil, "certificate: entry 1 is empty"),
		},
		{
			name:  "unknown version",
			serve: send(oneRecord(ver.msg(), cert, ske, done)),
			check: wantErr(nil, "unknown version 0x0305"),
		},
		{
			name:  "unoffered suite",
			serve: send(oneRecord(unoffered.msg(), cert, ske, done)),
			check: wantErr(nil, "cipher suite 0xC130, which the client did not offer"),
		},
		{
			name:  "TLS 1.3 server hello",
			hello: tls13Hello(),
			serve: func(c net.Conn, ch *parsedHello, done <-chan struct{}) {
				c.Write(cat(tls13Answer(ch, false), rec(recordChangeCipherSpec, []byte{1}), rec(recordApplicationData, []byte("encrypted extensions"))))
				waitForClient(c, done)
			},
			check: func(t *testing.T, fl *ServerFlight, err error) {
				if err != nil || fl.Version != VersionTLS13 || fl.SelectedGroup != GroupX25519 || fl.HelloRetryRequest {
					t.Errorf("Handshake() = %+v, %v, want TLS 1.3 with x25519", fl, err)
				}
			},
		},
		{
			name:  "hello retry request",
			hello: tls13Hello(),
			serve: func(c net.Conn, ch *parsedHello, done <-chan struct{}) {
				c.Write(cat(tls13Answer(ch, true), rec(recordChangeCipherSpec, []byte{1})))
				waitForClient(c, done)
			},
			check: func(t *testing.T, fl *ServerFlight, err error) {
				if err != nil || !fl.HelloRetryRequest || fl.SelectedGroup != GroupSecp256r1 || fl.Version != VersionTLS13 {
					t.Errorf("Handshake() = %+v, %v, want a HelloRetryRequest for secp256r1", fl, err)
				}
			},
		},
		{
			name: "one byte per 100ms against a 300ms deadline",
			serve: func(c net.Conn, _ *parsedHello, done <-chan struct{}) {
				for _, b := range oneRecord(msgs...) {
					select {
					case <-done:
						return
					case <-time.After(100 * time.Millisecond):
					}
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
				}
			},
			timeout: 300 * time.Millisecond,
			check: func(t *testing.T, fl *ServerFlight, err error) {
				if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Errorf("Handshake() error = %v, want context.DeadlineExceeded and os.ErrDeadlineExceeded", err)
				}
			},
		},
		{
			name: "reset mid-message",
			serve: func(c net.Conn, _ *parsedHello, _ <-chan struct{}) {
				c.Write(cat(oneRecord(sh), rec(recordHandshake, cert)[:20]))
				time.Sleep(50 * time.Millisecond) // let the client read what was sent
				c.(*net.TCPConn).SetLinger(0)     // Close sends RST
			},
			check: func(t *testing.T, fl *ServerFlight, err error) {
				if err == nil {
					t.Fatalf("Handshake() error = nil, want a reset or EOF error")
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) && !strings.Contains(err.Error(), "reset") {
					t.Errorf("Handshake() error = %v, want connection reset or unexpected EOF", err)
				}
				if fl != nil && fl.Version != VersionTLS12 {
					t.Errorf("Handshake() partial flight Version = %s, want TLS 1.2", VersionName(fl.Version))
				}
			},
		},
		{
			name:  "closed without answer",
			serve: func(net.Conn, *parsedHello, <-chan struct{}) {},
			check: wantErr(io.EOF, "connection closed before the server answered"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hello := tt.hello
			if hello == nil {
				hello = tls12Hello()
			}
			addr := fakeServer(t, tt.serve)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer conn.Close()
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			fl, err := Handshake(ctx, conn, hello, Limits{})
			tt.check(t, fl, err)
		})
	}
}

// wantComplete checks a complete TLS 1.2 flight.
func wantComplete(t *testing.T, fl *ServerFlight, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Handshake() error = %v", err)
	}
	if !fl.Complete || fl.Version != VersionTLS12 || len(fl.Certificates) != 2 || fl.CertificateRequest == nil {
		t.Errorf("Handshake() = %+v, want a complete TLS 1.2 flight with 2 certificates and a CertificateRequest", fl)
	}
}

// wantErr checks an error matching target (if any) and containing text.
func wantErr(target error, text string) func(*testing.T, *ServerFlight, error) {
	return func(t *testing.T, fl *ServerFlight, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("Handshake() = %+v, nil, want error containing %q", fl, text)
		}
		if target != nil && !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false, want true", err, target)
		}
		if !strings.Contains(err.Error(), text) {
			t.Errorf("Handshake() error = %q, want it to contain %q", err, text)
		}
	}
}

func TestHandshakeCancel(t *testing.T) {
	addr := fakeServer(t, func(c net.Conn, _ *parsedHello, done <-chan struct{}) {
		waitForClient(c, done) // never answers
	})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = Handshake(ctx, conn, tls12Hello(), Limits{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Handshake() error = %v, want context.Canceled", err)
	}
	// The past deadline that unblocked the read is cleared again.
	if _, err := conn.Write([]byte{0}); err != nil {
		t.Errorf("Write() after Handshake error = %v, want the deadline cleared", err)
	}
}

func TestHandshakeExpiredContext(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Handshake(ctx, c1, tls12Hello(), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Handshake(cancelled ctx) error = %v, want context.Canceled", err)
	}
	if _, err := Handshake(context.Background(), c1, nil, Limits{}); err == nil {
		t.Errorf("Handshake(nil hello) error = nil, want error")
	}
	if _, err := Handshake(context.Background(), c1, &ClientHello{}, Limits{}); err == nil || !strings.Contains(err.Error(), "marshal client hello") {
		t.Errorf("Handshake(empty hello) error = %v, want a marshal error", err)
	}
}

func TestHandshakeSharedHello(t *testing.T) {
	// One hello template serves concurrent handshakes; each gets its own
	// random, and the template is left untouched.
	hello := tls12Hello()
	hello.Random = [32]byte{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	randoms := make([][]byte, 4)
	for i := range randoms {
		addr := fakeServer(t, func(c net.Conn, ch *parsedHello, done <-chan struct{}) {
			mu.Lock()
			randoms[i] = ch.random
			mu.Unlock()
			c.Write(oneRecord(tls12Messages()...))
			waitForClient(c, done)
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Errorf("dial: %v", err)
				return
			}
			defer conn.Close()
			if _, err := Handshake(context.Background(), conn, hello, Limits{}); err != nil {
				t.Errorf("Handshake() error = %v", err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if hello.Random != [32]byte{} {
		t.Errorf("Handshake() changed the shared hello's Random")
	}
	for i := 1; i < len(randoms); i++ {
		if bytes.Equal(randoms[i], randoms[0]) {
			t.Errorf("handshakes %d and 0 sent the same random %x", i, randoms[i])
		}
	}
}
