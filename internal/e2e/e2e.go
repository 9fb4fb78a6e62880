// Package e2e holds what end-to-end tests share: the CHAINSCOPE_E2E
// contract for outside programs (skip when one is missing, fail instead
// when CHAINSCOPE_E2E=require, as .ci/run sets it), free loopback ports, and
// server processes started for a test and killed by pid when it ends.
package e2e

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// Required reports whether CHAINSCOPE_E2E=require turns skips into failures.
func Required() bool { return os.Getenv("CHAINSCOPE_E2E") == "require" }

// NeedTool returns the path of an outside program, or skips the test when
// it is missing — fails it under CHAINSCOPE_E2E=require.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if Required() {
			t.Fatalf("%s is not installed and CHAINSCOPE_E2E=require", name)
		}
		t.Skipf("%s is not installed (apt-get install %s, or set CHAINSCOPE_E2E=require to fail instead)", name, name)
	}
	return path
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects a process's output while the test may read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// StartServer runs a server process that will listen on 127.0.0.1:port,
// waits until the port accepts, and kills the process by pid when the test
// ends. Its standard input stays open (openssl s_server stops at end of
// input). It returns the address.
func StartServer(t testing.TB, port int, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("stdin pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		stdin.Close()
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 200; i++ {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s did not listen on %s: %s", name, addr, out.String())
	return ""
}

// ServeTLS runs a crypto/tls server on listen (e.g. "127.0.0.1:0") until
// the test ends: each connection completes the handshake, answers an HTTP
// request with "204 No Content" when one comes, waits for the client to
// close (or 30 seconds), then closes. It returns the address.
func ServeTLS(t testing.TB, listen string, cfg *tls.Config) string {
	t.Helper()
	return ServeTLSWith(t, listen, cfg, func(c *tls.Conn) {
		var b [4096]byte
		n, _ := c.Read(b[:])
		if bytes.Contains(b[:n], []byte(" HTTP/1.")) {
			_, _ = c.Write([]byte("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"))
			return
		}
		_, _ = c.Read(b[:])
	})
}

// ServeTLSWith runs a crypto/tls server on listen until the test ends and
// hands each connection whose handshake completed to handle, then closes
// it. Each connection has 30 seconds (a loaded machine runs slow clients,
// the OTP sender's among them); when the test ends, the listener and every
// open connection are closed.
func ServeTLSWith(t testing.TB, listen string, cfg *tls.Config, handle func(*tls.Conn)) string {
	t.Helper()
	ln, err := tls.Listen("tcp", listen, cfg)
	if err != nil {
		t.Fatalf("listen %s: %v", listen, err)
	}
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	closed := false
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		closed = true
		ln.Close()
		for c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				mu.Unlock()
				c.Close()
				return
			}
			conns[c] = true
			mu.Unlock()
			go func() {
				defer func() {
					c.Close()
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
				}()
				tc := c.(*tls.Conn)
				_ = tc.SetDeadline(time.Now().Add(30 * time.Second))
				if err := tc.Handshake(); err != nil {
					return
				}
				handle(tc)
			}()
		}
	}()
	return ln.Addr().String()
}
