package inspect

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"sync"
	"syscall"
	"time"

	"chainscope/inspect/wire"
)

// ClientHandshakeError is why a client's handshake with the listener of
// listen mode failed, told from the listener's side: how far the client
// got, which side ended it, and the alert the client sent if any. Its
// Error is the sentence a report shows: what happened and what it means
// for the operator. Cause is crypto/tls's error, kept for errors.Is/As.
type ClientHandshakeError struct {
	// Stage is how far the client got: StageConnected (nothing, or
	// nothing that is TLS), StageHello (its ClientHello was read, so it
	// has the listener's certificate), StageCertificate (it answered the
	// certificate request).
	Stage ClientStage
	// Alert is the alert description the client sent (RFC 8446 §6), -1
	// when it sent none.
	Alert int
	// NotTLS is true when the client's first bytes were no TLS record.
	NotTLS bool
	// Timeout is the handshake bound when it ran out, zero otherwise.
	Timeout time.Duration
	// Certificate names the listener's certificate ("CN=listener.test").
	Certificate string
	Cause       error
}

// ClientStage is how far a client got in the listener's handshake.
type ClientStage int

// The stages of [ClientHandshakeError].
const (
	StageConnected ClientStage = iota
	StageHello
	StageCertificate
)

func (e *ClientHandshakeError) Unwrap() error { return e.Cause }

func (e *ClientHandshakeError) Error() string {
	cert := "the listener's certificate"
	if e.Certificate != "" {
		cert += " " + e.Certificate
	}
	alert := ""
	if e.Alert >= 0 {
		alert = fmt.Sprintf("alert %s (%d)", wire.AlertName(uint8(e.Alert)), e.Alert)
	}
	switch {
	case e.NotTLS:
		return "the client spoke no TLS: its first bytes are not a TLS record (plain HTTP to this https listener?); nothing to judge"
	case e.Timeout > 0 && e.Stage == StageConnected:
		return fmt.Sprintf("the client connected but sent no ClientHello within %s (the listener's handshake bound, --timeout); nothing to judge", e.Timeout)
	case e.Timeout > 0:
		return fmt.Sprintf("the client stopped answering after it received %s, and the handshake did not complete within %s (--timeout); its certificate was not judged", cert, e.Timeout)
	case e.Alert >= 0 && refusesServerCertificate(uint8(e.Alert)):
		return fmt.Sprintf("the client ended the handshake with %s: it does not trust %s, so it never sent its own and nothing was judged — give listen a certificate that client trusts (--cert, --key): for the sender, one from a public CA like your webhook endpoint's; for curl, --cacert with the listener's root", alert, cert)
	case e.Alert >= 0 && e.Stage == StageCertificate:
		return fmt.Sprintf("the client ended the handshake with %s after it sent its certificate; the chain was not judged", alert)
	case e.Alert >= 0 && (e.Alert == int(wire.AlertHandshakeFailure) || e.Alert == int(wire.AlertProtocolVersion) || e.Alert == int(wire.AlertInsufficientSecurity)):
		return fmt.Sprintf("the client ended the handshake with %s: it shares no protocol version or cipher suite with the listener (crypto/tls: TLS 1.2 and 1.3, ECDHE suites); nothing to judge", alert)
	case e.Alert >= 0:
		return fmt.Sprintf("the client ended the handshake with %s after it received %s; nothing to judge", alert, cert)
	case e.Stage == StageConnected && clientClosed(e.Cause):
		return "the client connected and closed without a ClientHello: it never began TLS (a port check, or a client that failed before its handshake, e.g. its own certificate and key did not load or do not match); nothing to judge"
	case e.Stage == StageHello && clientClosed(e.Cause):
		return fmt.Sprintf("the client closed the connection after it received %s, without an alert (clients that refuse the server's certificate often do), so it never sent its own and nothing was judged — give listen a certificate that client trusts (--cert, --key)", cert)
	case e.Stage == StageCertificate && clientClosed(e.Cause):
		return "the client closed the connection after it sent its certificate, without an alert; the chain was not judged"
	case e.Stage == StageCertificate:
		return fmt.Sprintf("the listener ended the handshake after the client's certificate (%v): the client's proof that it holds the certificate's key failed, or its certificate could not be read; the chain was not judged", e.Cause)
	case e.Stage == StageHello:
		return fmt.Sprintf("the listener ended the handshake after the client's ClientHello (%v); nothing to judge", e.Cause)
	}
	return fmt.Sprintf("the listener ended the handshake before a ClientHello was read (%v); nothing to judge", e.Cause)
}

// refusesServerCertificate: the alerts a client sends when it refuses the
// server's certificate (RFC 8446 §6.2; OpenSSL sends unknown_ca for an
// unknown issuer, Go bad_certificate, Erlang/OTP unknown_ca).
func refusesServerCertificate(a uint8) bool {
	switch a {
	case 42, 43, 44, 45, 46, 48:
		return true
	}
	return false
}

// clientClosed reports whether err is the client closing the connection
// (EOF, reset) rather than something the listener refused.
func clientClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// receivedAlert returns the description of an alert the client sent that
// crypto/tls decrypted: it reports one as a *net.OpError with Op "remote
// error" around its unexported alert type, a uint8 (crypto/tls conn.go).
func receivedAlert(err error) (uint8, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return 0, false
	}
	v := reflect.ValueOf(oe.Err)
	if v.Kind() != reflect.Uint8 {
		return 0, false
	}
	return uint8(v.Uint()), true
}

// recordSniffer is the client's side of a connection as the listener
// reads it: it follows the TLS record headers (RFC 8446 §5.1) of the bytes
// crypto/tls reads, to tell whether any came and to keep the last alert
// sent in plaintext. A client that refuses the server's certificate in
// TLS 1.3 before it has handshake keys sends its alert unencrypted, which
// crypto/tls then reports as "bad record MAC"; an alert record of two
// bytes is a plaintext one (an encrypted record is longer, and in TLS 1.3
// its outer type is application_data). Memory is bounded: a header, and a
// count of the bytes left in the current record.
type recordSniffer struct {
	net.Conn
	mu     sync.Mutex
	any    bool
	hdr    []byte // the header being read, up to 5 bytes
	left   int    // bytes of the current record's body still to come
	typ    byte
	plain  bool   // the current record is a 2-byte alert: plaintext
	body   []byte // the body of a 2-byte alert record
	alert  int    // the last plaintext alert description, -1 for none
	broken bool   // not TLS records: stop following
}

func newRecordSniffer(c net.Conn) *recordSniffer { return &recordSniffer{Conn: c, alert: -1} }

func (s *recordSniffer) Read(p []byte) (int, error) {
	n, err := s.Conn.Read(p)
	if n > 0 {
		s.mu.Lock()
		s.follow(p[:n])
		s.mu.Unlock()
	}
	return n, err
}

func (s *recordSniffer) follow(b []byte) {
	s.any = true
	for len(b) > 0 && !s.broken {
		if s.left == 0 {
			k := min(5-len(s.hdr), len(b))
			s.hdr = append(s.hdr, b[:k]...)
			b = b[k:]
			if len(s.hdr) < 5 {
				return
			}
			s.typ, s.left = s.hdr[0], int(s.hdr[3])<<8|int(s.hdr[4])
			s.hdr, s.body = s.hdr[:0], s.body[:0]
			s.plain = s.left == 2 // an alert record of two bytes is plaintext
			if s.typ < 20 || s.typ > 24 || s.left == 0 {
				s.broken = true
				return
			}
			continue
		}
		k := min(s.left, len(b))
		if s.typ == 21 && s.plain {
			s.body = append(s.body, b[:k]...)
		}
		s.left -= k
		b = b[k:]
		if s.left == 0 && s.typ == 21 && s.plain {
			s.alert = int(s.body[1])
		}
	}
}

func (s *recordSniffer) seen() (any bool, alert int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.any, s.alert
}

// clientHandshakeError tells err, the failed handshake of a client with
// the listener, in the terms of [ClientHandshakeError].
func clientHandshakeError(err error, stage ClientStage, sn *recordSniffer, bound time.Duration, cert string) *ClientHandshakeError {
	e := &ClientHandshakeError{Stage: stage, Alert: -1, Certificate: cert, Cause: err}
	_, alert := sn.seen()
	var rh tls.RecordHeaderError
	switch a, ok := receivedAlert(err); {
	case ok:
		e.Alert = int(a)
	case alert >= 0:
		e.Alert = alert
	case errors.As(err, &rh) && stage == StageConnected:
		e.NotTLS = true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		e.Timeout = bound
	}
	return e
}
