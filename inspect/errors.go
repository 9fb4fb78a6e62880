package inspect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// connectError says "connect 127.0.0.1:443: connection refused" and keeps
// the cause reachable with errors.Is.
func connectError(addr string, err error) error {
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno):
		return fmt.Errorf("connect %s: %w", addr, errno)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("connect %s: timeout: %w", addr, os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("connect %s: %w", addr, err)
}

// noChainError says why no handshake showed a chain, the sender's own
// handshake first: "ADDR: no handshake showed a certificate chain: policy
// handshake: CAUSE; full handshake: CAUSE". The full handshake's error
// stays reachable with errors.Is and errors.As.
func noChainError(addr string, pol, full error) error {
	if pol == nil {
		return fmt.Errorf("%s: no handshake showed a certificate chain: %w", addr, full)
	}
	return fmt.Errorf("%s: no handshake showed a certificate chain: policy handshake: %s; %w",
		addr, strings.TrimPrefix(pol.Error(), addr+": "), full)
}
