package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"chainscope/inspect/wire"
)

// TestErrors: each error a caller branches on matches with errors.Is or
// errors.As, and its text says what failed.
func TestErrors(t *testing.T) {
	t.Parallel()
	dnsErr := &net.DNSError{Err: "no such host", Name: "example.invalid", IsNotFound: true}
	tests := []struct {
		name  string
		err   error
		is    []error
		isNot []error
		text  string
	}{
		{"refused", connectError("127.0.0.1:1", fmt.Errorf("dial tcp: %w", syscall.ECONNREFUSED)),
			[]error{syscall.ECONNREFUSED}, []error{ErrTimeout}, "connect 127.0.0.1:1: connection refused"},
		{"connect timeout", connectError("127.0.0.1:1", context.DeadlineExceeded),
			[]error{ErrTimeout, os.ErrDeadlineExceeded}, nil, "connect 127.0.0.1:1: timeout: i/o timeout"},
		{"handshake timeout", markTimeout(fmt.Errorf("127.0.0.1:1: handshake: %w: %w", context.DeadlineExceeded, os.ErrDeadlineExceeded)),
			[]error{ErrTimeout, context.DeadlineExceeded}, []error{ErrNoChain}, "127.0.0.1:1: handshake: context deadline exceeded: i/o timeout"},
		{"not a timeout", markTimeout(errors.New("boom")), nil, []error{ErrTimeout}, "boom"},
		{"silent server", handshakeError("127.0.0.1:1", 10*time.Second, fmt.Errorf("handshake: %w: %w", context.DeadlineExceeded,
			&wire.FlightError{Message: "server_hello", Err: fmt.Errorf("record header: read tcp: %w", os.ErrDeadlineExceeded)})),
			[]error{ErrTimeout, context.DeadlineExceeded, os.ErrDeadlineExceeded}, nil,
			"127.0.0.1:1: no complete ServerHello within the 10s timeout"},
		{"server silent mid-flight", handshakeError("127.0.0.1:1", 2*time.Second, fmt.Errorf("handshake: %w: %w", context.DeadlineExceeded,
			&wire.FlightError{Message: "certificate", Err: os.ErrDeadlineExceeded})),
			[]error{ErrTimeout}, nil, "127.0.0.1:1: no complete Certificate within the 2s timeout (the ServerHello came, then the flight stalled)"},
		{"handshake error", handshakeError("127.0.0.1:1", time.Second, &wire.FlightError{Message: "record", Err: ErrNotTLS}),
			[]error{ErrNotTLS}, []error{ErrTimeout}, "127.0.0.1:1: read server flight: record: not TLS"},
		{"resolve", &ResolveError{Host: "example.invalid", Err: dnsErr},
			nil, []error{ErrTimeout}, "resolve example.invalid: lookup example.invalid: no such host"},
		{"no chain", noChainError("127.0.0.1:1", errors.New("127.0.0.1:1: handshake: EOF"), fmt.Errorf("full handshake: %w", ErrNotTLS)),
			[]error{ErrNoChain, ErrNotTLS}, nil, "127.0.0.1:1: no handshake showed a certificate chain: policy handshake: handshake: EOF; full handshake: not TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = false, want true", tt.err, target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = true, want false", tt.err, target)
				}
			}
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
		})
	}
	var re *ResolveError
	var de *net.DNSError
	err := error(&ResolveError{Host: "example.invalid", Err: dnsErr})
	if !errors.As(err, &re) || !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("errors.As(%v, *ResolveError, *net.DNSError) = false, want true", err)
	}
}
