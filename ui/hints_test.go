package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"chainscope/inspect"
	"chainscope/inspect/certfile"
	"chainscope/inspect/wire"
)

// TestHints: each hint is chosen by the error's type or sentinel through
// its wrapping, never by its text.
func TestHints(t *testing.T) {
	t.Parallel()
	_, keyErr := certfile.Parse("leaf.key", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	_, fmtErr := certfile.Parse("main.go", []byte("package main\n"))
	_, missing := os.Open("no/such/file.pem")
	_, dirErr := inspect.ParseTarget(".")
	_, badTarget := inspect.ParseTarget("[::1")
	tests := []struct {
		name string
		err  error
		want string // a part of the one hint; "" for none
	}{
		{"malformed target", badTarget, "a target is host, host:port"},
		{"refused", fmt.Errorf("connect 127.0.0.1:1: %w", syscall.ECONNREFUSED), "nothing listens there"},
		{"unreachable", fmt.Errorf("connect [2001:db8::1]:443: %w", syscall.ENETUNREACH), "no route"},
		{"reset", fmt.Errorf("x: %w", syscall.ECONNRESET), "closed the connection"},
		{"dial timeout", fmt.Errorf("connect x: timeout: %w", os.ErrDeadlineExceeded), "did not answer in time"},
		{"handshake timeout", fmt.Errorf("handshake: %w: read: %w", context.DeadlineExceeded, os.ErrDeadlineExceeded), "did not answer in time"},
		{"engine timeout", fmt.Errorf("x: %w", inspect.ErrTimeout), "did not answer in time"},
		{"engine connect error", &inspect.ConnectError{Addr: "127.0.0.1:1", Err: syscall.ECONNREFUSED}, "nothing listens there"},
		{"engine resolve error", &inspect.ResolveError{Host: "x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}, "does not resolve"},
		{"no chain", fmt.Errorf("x: %w: full handshake: y", inspect.ErrNoChain), "completed no handshake"},
		{"no such host", fmt.Errorf("resolve x: %w", &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}), "does not resolve, and no file has that name"},
		{"DNS server down", fmt.Errorf("resolve x: %w", &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}), "could not be resolved"},
		{"not TLS", fmt.Errorf("x: %w", &wire.FlightError{Message: "record", Err: fmt.Errorf("%w: server answered with HTTP", wire.ErrNotTLS)}), "is it the HTTP port?"},
		{"SSLv2", fmt.Errorf("x: %w", &wire.FlightError{Message: "record", Err: wire.ErrSSLv2}), "SSL 2.0"},
		{"key file", keyErr, "the certificate file that goes with this key"},
		{"not a certificate file", fmtErr, "PEM blocks (-----BEGIN CERTIFICATE-----) or DER"},
		{"missing file", missing, "no such file"},
		{"directory", dirErr, "give a certificate file in it"},
		{"words alone choose nothing", errors.New("timeout: no such host, not TLS, connection refused"), ""},
		{"no error", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Hints(tt.err)
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("Hints(%v) = %q, want none", tt.err, got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("Hints(%v) = %q, want one containing %q", tt.err, got, tt.want)
			}
		})
	}
}
