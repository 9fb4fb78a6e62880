package wire

import (
	"errors"
	"fmt"
)

// Sentinel errors for answers that are not a TLS server flight at all. Test
// for them with errors.Is; the returned error says what was seen instead.
var (
	// ErrNotTLS reports that the first bytes from the server are not a TLS
	// record header (RFC 5246 §6.2.1), for example an HTTP response.
	ErrNotTLS = errors.New("not TLS")
	// ErrSSLv2 reports an SSL 2.0 SERVER-HELLO: a two-byte record header with
	// the high bit set followed by message type 4.
	ErrSSLv2 = errors.New("server answered with SSLv2")
	// ErrLimit matches a flight cut short by one of this package's own
	// bounds on what it reads (Limits.MaxRecords, MaxFlight,
	// MaxCertificates), which are no TLS rule: the flight may be valid.
	ErrLimit = errors.New("flight exceeds a reading limit")
)

// limitError keeps its message and matches ErrLimit.
type limitError struct{ error }

func (e limitError) Unwrap() error        { return e.error }
func (e limitError) Is(target error) bool { return target == ErrLimit }

// AlertError is an alert record the server sent while the client waited for
// its flight (RFC 5246 §7.2, RFC 8446 §6): a fatal alert, close_notify, a
// warning once TLS 1.3 was selected, or the last warning before the server
// closed the connection (ReadServerFlight reads past warnings otherwise).
type AlertError struct {
	Level       uint8 // 1 warning, 2 fatal
	Description uint8 // see AlertName
}

// Error returns e.g. "server sent alert handshake_failure (40)".
func (e *AlertError) Error() string {
	level := ""
	if e.Level == 1 {
		level = "warning "
	}
	return fmt.Sprintf("server sent %salert %s (%d)", level, AlertName(e.Description), e.Description)
}

// FlightError reports where reading the server's flight failed. Unwrap
// reaches the cause, which may be an *AlertError, ErrNotTLS, ErrSSLv2, an
// I/O error such as os.ErrDeadlineExceeded or io.ErrUnexpectedEOF, or a
// description of the protocol violation.
type FlightError struct {
	// Message is the record-layer step or the handshake message being read
	// when reading failed: "record", "server_hello", "certificate",
	// "certificate_status", "server_key_exchange", "certificate_request",
	// "server_hello_done", or "flight" for the order of messages.
	Message string
	// Err is the cause.
	Err error
}

// Error returns e.g. "read server flight: record: length 20000 exceeds limit 18432".
func (e *FlightError) Error() string {
	return "read server flight: " + e.Message + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *FlightError) Unwrap() error { return e.Err }

// MessageTooLargeError is a handshake message whose header claims more
// than Limits.MaxMessage; it is refused before its body is read.
type MessageTooLargeError struct {
	// Message names the message type: "certificate".
	Message string
	// Length is the body length the header claims; Limit the bound.
	Length, Limit int
}

// Error returns e.g. "message length 281808 exceeds limit 262144".
func (e *MessageTooLargeError) Error() string {
	return fmt.Sprintf("message length %d exceeds limit %d", e.Length, e.Limit)
}

// nbytes spells a byte count for error messages: "1 byte", "6 bytes".
func nbytes(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
