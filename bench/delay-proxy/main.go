// Command delay-proxy relays TCP connections to a backend, delaying every
// chunk by a fixed one-way latency in each direction, so that a loopback
// server answers like a distant one (round trip twice the delay). It
// prints its address on stdout, one line, and serves until terminated.
//
//	go run ./bench/delay-proxy -backend 127.0.0.1:8443 -delay 25ms
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	backend := flag.String("backend", "", "host:port to relay to")
	delay := flag.Duration("delay", 25*time.Millisecond, "one-way latency added in each direction")
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "delay-proxy:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go relay(c, *backend, *delay)
	}
}

// relay connects c to backend after the delay a SYN would take, then
// copies both ways with the delay.
func relay(c net.Conn, backend string, delay time.Duration) {
	defer c.Close()
	time.Sleep(2 * delay) // the TCP handshake's round trip
	b, err := net.Dial("tcp", backend)
	if err != nil {
		return
	}
	defer b.Close()
	done := make(chan struct{}, 2)
	go func() { delayed(b, c, delay); done <- struct{}{} }()
	go func() { delayed(c, b, delay); done <- struct{}{} }()
	<-done
}

// delayed copies src to dst, each chunk written delay after it was read,
// in order.
func delayed(dst io.WriteCloser, src io.Reader, delay time.Duration) {
	type chunk struct {
		at   time.Time
		data []byte
	}
	ch := make(chan chunk, 1024)
	go func() {
		defer close(ch)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				ch <- chunk{time.Now().Add(delay), buf[:n]}
			}
			if err != nil {
				return
			}
		}
	}()
	for k := range ch {
		time.Sleep(time.Until(k.at))
		if _, err := dst.Write(k.data); err != nil {
			break
		}
	}
	dst.Close()
}
