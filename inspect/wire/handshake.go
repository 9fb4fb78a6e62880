package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// Handshake writes hello to conn and reads the server's flight with
// ReadServerFlight. ctx bounds the whole exchange: its deadline becomes the
// connection's deadline, and cancelling it unblocks a pending read or write.
// hello is copied first, so one hello may serve many connections at once;
// each gets its own random, session id and key shares.
//
// Handshake does not close conn, but it clears conn's deadline before it
// returns. When ctx ended the exchange the error matches ctx.Err() with
// errors.Is as well as the I/O error it caused.
func Handshake(ctx context.Context, conn net.Conn, hello *ClientHello, lim Limits) (*ServerFlight, error) {
	if hello == nil {
		return nil, errors.New("handshake: nil client hello")
	}
	h := *hello
	msg, err := h.Marshal()
	if err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	deadline, hasDeadline := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, fmt.Errorf("handshake: set deadline: %w", err)
	}
	unblocked := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(unblocked)
		conn.SetDeadline(time.Unix(1, 0)) // in the past: pending I/O fails now
	})
	defer func() {
		if !stop() {
			<-unblocked
		}
		conn.SetDeadline(time.Time{})
	}()

	// wrap adds ctx's error when ctx ended the exchange, and the operation
	// name to errors that do not carry one yet.
	wrap := func(err error, named bool) error {
		cause := ctx.Err()
		if cause == nil && hasDeadline && errors.Is(err, os.ErrDeadlineExceeded) {
			cause = context.DeadlineExceeded // the conn's timer fired first
		}
		switch {
		case cause != nil:
			return fmt.Errorf("handshake: %w: %w", cause, err)
		case named:
			return err
		}
		return fmt.Errorf("handshake: %w", err)
	}
	if _, err := conn.Write(msg); err != nil {
		return nil, wrap(fmt.Errorf("write client hello: %w", err), false)
	}
	fl, err := ReadServerFlight(conn, &h, lim)
	if err != nil {
		return fl, wrap(err, true)
	}
	return fl, nil
}
