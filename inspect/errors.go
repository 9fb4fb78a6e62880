package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"chainscope/inspect/wire"
)

// The errors an inspection returns when it could not run, for callers that
// say what to try next. Test for them with errors.Is and errors.As; the
// message text is for people and may change.
var (
	// ErrTimeout matches every error caused by --timeout running out: a
	// connection that was not accepted in time, a server that did not
	// answer its ClientHello in time.
	ErrTimeout = errors.New("timeout")
	// ErrNotTLS matches an answer that is not a TLS record, for example an
	// HTTP response from a plain-text port. It is [wire.ErrNotTLS].
	ErrNotTLS = wire.ErrNotTLS
	// ErrNoChain matches a TLS server none of whose handshakes showed a
	// certificate chain.
	ErrNoChain = errors.New("no handshake showed a certificate chain")
)

// HandshakeError is the policy's own handshake failing twice without an
// answer from TLS: reset, closed or timed out, with no alert and no
// message the sender could judge, on two connections, the second one
// alone. Nothing then says what the sender would meet, so the target is
// an error, not a finding (sender-model.md section 5).
type HandshakeError struct {
	// Addr is the IP address and port dialled.
	Addr string
	// HelloLength is the length of the policy's ClientHello message.
	HelloLength int
	// OthersAnswered is true when other ClientHellos got a ServerHello.
	OthersAnswered bool
	// Err is the second attempt's error.
	Err error
}

// Error returns e.g. "127.0.0.1:443: the policy's handshake failed twice
// without an alert: handshake: read server flight: …".
func (e *HandshakeError) Error() string {
	msg := fmt.Sprintf("%s: the policy's handshake failed twice without an alert: %s", e.Addr, strings.TrimPrefix(e.Err.Error(), e.Addr+": "))
	if e.OthersAnswered {
		msg += fmt.Sprintf(" (other ClientHellos were answered; the policy's is %d bytes)", e.HelloLength)
	}
	return msg
}

// Unwrap returns the second attempt's error.
func (e *HandshakeError) Unwrap() error { return e.Err }

// hiccup reports an error that says nothing about TLS: the connection was
// reset or closed, or the answer did not come in time, without an alert
// or a message to judge. Such a probe is worth one retry. Connections that
// could not be opened are not hiccups: the server is down or filtered.
func hiccup(err error) bool {
	if err == nil {
		return false
	}
	var ce *ConnectError
	var alert *wire.AlertError
	switch {
	case errors.As(err, &ce), errors.As(err, &alert):
		return false
	case timedOut(err), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed):
		return true
	}
	return false
}

// ResolveError is a host name that did not resolve. Err is the resolver's
// error, usually a *net.DNSError.
type ResolveError struct {
	Host string
	Err  error
}

// Error returns e.g. "resolve example.invalid: lookup example.invalid: no such host".
func (e *ResolveError) Error() string { return fmt.Sprintf("resolve %s: %v", e.Host, e.Err) }

// Unwrap returns the resolver's error.
func (e *ResolveError) Unwrap() error { return e.Err }

// ConnectError is a TCP connection that could not be opened. Err is the
// cause: a syscall.Errno such as syscall.ECONNREFUSED, or
// os.ErrDeadlineExceeded when the connection was not accepted in time (then
// the error matches [ErrTimeout] too).
type ConnectError struct {
	// Addr is the IP address and port dialled.
	Addr string
	Err  error
}

// Error returns e.g. "connect 127.0.0.1:443: connection refused".
func (e *ConnectError) Error() string {
	if errors.Is(e.Err, os.ErrDeadlineExceeded) {
		return fmt.Sprintf("connect %s: timeout: %v", e.Addr, e.Err)
	}
	return fmt.Sprintf("connect %s: %v", e.Addr, e.Err)
}

// Unwrap returns the cause.
func (e *ConnectError) Unwrap() error { return e.Err }

// Is reports a timeout as [ErrTimeout].
func (e *ConnectError) Is(target error) bool {
	return target == ErrTimeout && errors.Is(e.Err, os.ErrDeadlineExceeded)
}

// connectError says "connect 127.0.0.1:443: connection refused" and keeps
// the cause reachable with errors.Is.
func connectError(addr string, err error) error {
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno):
		return &ConnectError{Addr: addr, Err: errno}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return &ConnectError{Addr: addr, Err: os.ErrDeadlineExceeded}
	}
	return &ConnectError{Addr: addr, Err: err}
}

// timedOut reports whether err was caused by a deadline: the connection's
// or the handshake context's.
func timedOut(err error) bool {
	return err != nil && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded))
}

// timeoutError keeps an error's text and makes it match [ErrTimeout].
type timeoutError struct{ error }

func (e timeoutError) Unwrap() error        { return e.error }
func (e timeoutError) Is(target error) bool { return target == ErrTimeout }

// markTimeout returns err matching [ErrTimeout] when a deadline caused it,
// and err unchanged otherwise.
func markTimeout(err error) error {
	if timedOut(err) && !errors.Is(err, ErrTimeout) {
		return timeoutError{err}
	}
	return err
}

// silentError is a handshake that ran out of time, the server silent or
// too slow: said once ("127.0.0.1:443: no complete ServerHello within the
// 10s timeout"), without the layers of context and I/O errors under it,
// which stay reachable with errors.Is (it matches [ErrTimeout] too).
type silentError struct {
	addr    string
	timeout time.Duration
	stage   string // the message being read, as [wire.FlightError] names it
	err     error
}

func (e *silentError) Error() string {
	name, ok := flightMessages[e.stage]
	if !ok {
		name = "answer"
	}
	d := e.timeout.Round(time.Millisecond)
	if name == "ServerHello" {
		return fmt.Sprintf("%s: no complete ServerHello within the %s timeout", e.addr, d)
	}
	return fmt.Sprintf("%s: no complete %s within the %s timeout (the ServerHello came, then the flight stalled)", e.addr, name, d)
}

func (e *silentError) Unwrap() error        { return e.err }
func (e *silentError) Is(target error) bool { return target == ErrTimeout }

// flightMessages names the steps of [wire.FlightError] as RFC 5246 names
// the messages.
var flightMessages = map[string]string{
	"record": "ServerHello", "server_hello": "ServerHello", "certificate": "Certificate",
	"certificate_status": "CertificateStatus", "server_key_exchange": "ServerKeyExchange",
	"certificate_request": "CertificateRequest", "server_hello_done": "ServerHelloDone",
}

// handshakeError is the error of one probe's handshake with addr: a
// timeout is said once (silentError), anything else keeps its text.
func handshakeError(addr string, timeout time.Duration, err error) error {
	if !timedOut(err) {
		return fmt.Errorf("%s: %w", addr, err)
	}
	se := &silentError{addr: addr, timeout: timeout, err: err}
	var fe *wire.FlightError
	if errors.As(err, &fe) {
		se.stage = fe.Message
	}
	return se
}

// noChainError says why no handshake showed a chain, the sender's own
// handshake first: "ADDR: no handshake showed a certificate chain: policy
// handshake: CAUSE; full handshake: CAUSE". It matches [ErrNoChain], and
// the full handshake's error stays reachable with errors.Is and errors.As.
func noChainError(addr string, pol, full error) error {
	if pol == nil {
		return fmt.Errorf("%s: %w: %w", addr, ErrNoChain, full)
	}
	return fmt.Errorf("%s: %w: policy handshake: %s; %w",
		addr, ErrNoChain, strings.TrimPrefix(pol.Error(), addr+": "), full)
}
