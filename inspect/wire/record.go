package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode"
)

// Limits bounds everything read from the server. A zero field takes its
// default; see DefaultLimits.
type Limits struct {
	// MaxRecord is the largest record fragment accepted, default
	// 16384+2048, the TLSCiphertext bound of RFC 5246 §6.2.3.
	MaxRecord int
	// MaxMessage is the largest handshake message accepted, default 256 KiB.
	// A message is refused as soon as its header claims more, before its
	// body is read.
	MaxMessage int
	// MaxFlight bounds the bytes read in total, headers included, default 1 MiB.
	MaxFlight int
	// MaxCertificates bounds the entries of the Certificate message, default 64.
	MaxCertificates int
	// MaxRecords bounds the number of records read, default 256.
	MaxRecords int
	// ServerHelloOnly stops reading after a valid ServerHello: all that
	// cipher-suite enumeration needs, so each probe ends as soon as the
	// server has named its pick.
	ServerHelloOnly bool
}

// DefaultLimits returns the limits ReadServerFlight applies to zero fields.
func DefaultLimits() Limits {
	return Limits{
		MaxRecord:       maxPlaintext + 2048,
		MaxMessage:      256 << 10,
		MaxFlight:       1 << 20,
		MaxCertificates: 64,
		MaxRecords:      256,
	}
}

// withDefaults replaces zero and negative fields by their defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxRecord, d.MaxRecord)
	set(&l.MaxMessage, d.MaxMessage)
	set(&l.MaxFlight, d.MaxFlight)
	set(&l.MaxCertificates, d.MaxCertificates)
	set(&l.MaxRecords, d.MaxRecords)
	return l
}

// recordReader reads TLSPlaintext records (RFC 5246 §6.2.1) and reassembles
// the handshake messages they carry, which may span records or share one.
type recordReader struct {
	r     io.Reader
	lim   Limits
	read  int    // bytes read so far
	count int    // records read so far
	hs    []byte // handshake bytes not yet returned as a message
	// stage names what the caller waits for, for alerts and early EOF.
	stage string
	// dropCCS reports whether a change_cipher_spec record is to be dropped
	// rather than rejected (RFC 8446 §5: TLS 1.3 middlebox compatibility).
	dropCCS func() bool
	// warningsDropped reports whether a warning alert is read past
	// (TLS 1.2 and earlier) rather than ending the read; nil means always.
	warningsDropped func() bool
	// warning is the last warning alert read past: the cause reported if
	// the connection then closes.
	warning *AlertError
	// warnings counts the warning alerts read past.
	warnings int
}

// alertLevelWarning is AlertLevel warning (RFC 5246 §7.2).
const alertLevelWarning uint8 = 1

// maxWarnings is how many warning alerts a flight may hold; the next one
// ends the read, as OpenSSL's MAX_WARN_ALERT_COUNT (ssl/record/record.h)
// does.
const maxWarnings = 5

// errStage wraps err in a *FlightError for the given stage.
func errStage(stage string, err error) error {
	return &FlightError{Message: stage, Err: err}
}

// nextMessage returns the next complete handshake message; stage names
// what is awaited ("server_hello", "flight") in alert and EOF errors.
func (rr *recordReader) nextMessage(stage string) (typ uint8, body []byte, err error) {
	rr.stage = stage
	for {
		if len(rr.hs) >= 4 {
			n := int(rr.hs[1])<<16 | int(rr.hs[2])<<8 | int(rr.hs[3])
			if n > rr.lim.MaxMessage {
				return 0, nil, errStage(handshakeName(rr.hs[0]),
					&MessageTooLargeError{Message: handshakeName(rr.hs[0]), Length: n, Limit: rr.lim.MaxMessage})
			}
			if len(rr.hs) >= 4+n {
				typ, body = rr.hs[0], rr.hs[4:4+n:4+n]
				rr.hs = rr.hs[4+n:]
				return typ, body, nil
			}
		}
		if err := rr.readRecord(); err != nil {
			return 0, nil, err
		}
	}
}

// pending returns the number of handshake bytes buffered beyond the
// messages returned so far.
func (rr *recordReader) pending() int { return len(rr.hs) }

// readRecord reads one record and appends a handshake fragment to rr.hs. It
// turns an alert into *AlertError, except a warning it may read past, and
// drops a compatibility change_cipher_spec; any other record type is an
// error.
func (rr *recordReader) readRecord() error {
	if rr.count >= rr.lim.MaxRecords {
		return errStage("record", limitError{fmt.Errorf("more than %d records", rr.lim.MaxRecords)})
	}
	if rr.read+5 > rr.lim.MaxFlight {
		return errStage("record", limitError{fmt.Errorf("flight exceeds limit of %d bytes", rr.lim.MaxFlight)})
	}
	var hdr [5]byte
	var n int
	var err error
	if rr.count == 0 {
		var notTLS error
		n, notTLS, err = rr.readFirstHeader(&hdr)
		if notTLS != nil {
			return errStage("record", notTLS)
		}
	} else {
		n, err = io.ReadFull(rr.r, hdr[:])
		rr.read += n
	}
	if err != nil {
		if rr.warning != nil && n == 0 && errors.Is(err, io.EOF) {
			return errStage(rr.stage, rr.warning)
		}
		return errStage(rr.stage, rr.eofError(err, n))
	}
	rr.count++
	typ, length := hdr[0], int(hdr[3])<<8|int(hdr[4])
	if hdr[1] != 3 {
		return errStage("record", fmt.Errorf("version 0x%02X%02X", hdr[1], hdr[2]))
	}
	switch typ {
	case recordHandshake, recordAlert, recordChangeCipherSpec:
		if length == 0 {
			// RFC 5246 §6.2.1: no zero-length fragments of these types.
			return errStage("record", fmt.Errorf("empty %s record", recordName(typ)))
		}
	case recordApplicationData, recordHeartbeat:
		return errStage("record", fmt.Errorf("unexpected %s record before the handshake finished", recordName(typ)))
	default:
		return errStage("record", fmt.Errorf("unknown record type %d", typ))
	}
	if length > rr.lim.MaxRecord {
		return errStage("record", fmt.Errorf("length %d exceeds limit %d", length, rr.lim.MaxRecord))
	}
	if rr.read+length > rr.lim.MaxFlight {
		return errStage("record", limitError{fmt.Errorf("flight exceeds limit of %d bytes", rr.lim.MaxFlight)})
	}
	frag := make([]byte, length)
	n, err = io.ReadFull(rr.r, frag)
	rr.read += n
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return errStage("record", fmt.Errorf("%s record body: %w", recordName(typ), err))
	}
	switch typ {
	case recordAlert:
		// RFC 8446 §5.1: alerts are neither fragmented nor coalesced.
		if length != 2 {
			return errStage("record", fmt.Errorf("alert record of %s", nbytes(length)))
		}
		alert := &AlertError{Level: frag[0], Description: frag[1]}
		// RFC 5246 §7.2: a warning other than close_notify does not end
		// the connection, and OTP, Go and OpenSSL clients read on — a
		// server that knows no name matching the SNI sends a warning
		// unrecognized_name before its ServerHello (OpenSSL, Apache) and
		// completes the handshake. From TLS 1.3 on every alert ends it
		// (RFC 8446 §6). The warning is kept as the cause if the server
		// then closes the connection.
		if alert.Level == alertLevelWarning && alert.Description != AlertCloseNotify && rr.warnings < maxWarnings &&
			(rr.warningsDropped == nil || rr.warningsDropped()) {
			rr.warning = alert
			rr.warnings++
			return nil
		}
		return errStage(rr.stage, alert)
	case recordChangeCipherSpec:
		// RFC 8446 §5: a single 0x01 byte is dropped while TLS 1.3 is possible,
		// but never inside a fragmented handshake message (§5.1).
		if length == 1 && frag[0] == 1 && len(rr.hs) == 0 && rr.dropCCS != nil && rr.dropCCS() {
			return nil
		}
		return errStage("record", errors.New("unexpected change_cipher_spec record"))
	}
	rr.hs = append(rr.hs, frag...)
	return nil
}

// readFirstHeader reads the first record header, sniffing for answers that
// are not TLS. Its first Read takes up to eight bytes, whatever has arrived,
// so that a short banner from another protocol is reported at once instead
// of when the deadline expires; bytes beyond the header are read again later.
// notTLS reports an answer that is not TLS; err is the read error.
func (rr *recordReader) readFirstHeader(hdr *[5]byte) (n int, notTLS, err error) {
	var buf [8]byte
	n, err = io.ReadAtLeast(rr.r, buf[:], 1)
	if err == nil && n < len(hdr) && plausible(buf[0]) {
		var m int
		m, err = io.ReadFull(rr.r, buf[n:len(hdr)])
		n += m
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // some of the header did arrive
		}
	}
	rr.read += min(n, len(hdr))
	if n > 0 {
		if notTLS := sniff(buf[:n]); notTLS != nil {
			return n, notTLS, nil
		}
	}
	if n > len(hdr) {
		rr.r = io.MultiReader(bytes.NewReader(buf[len(hdr):n]), rr.r)
	}
	copy(hdr[:], buf[:])
	return min(n, len(hdr)), nil, err
}

// plausible reports whether b can start a TLS record, an SSL 2.0 record or
// an HTTP response, the answers worth reading a whole header for.
func plausible(b byte) bool {
	return b >= recordChangeCipherSpec && b <= recordHeartbeat || b&0x80 != 0 || b == 'H'
}

// eofError describes a short read of n header bytes.
func (rr *recordReader) eofError(err error, n int) error {
	switch {
	case n == 0 && errors.Is(err, io.EOF) && rr.count == 0:
		return fmt.Errorf("connection closed before the server answered: %w", err)
	case n == 0 && errors.Is(err, io.EOF):
		return fmt.Errorf("connection closed before the flight was complete: %w", io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("record header: %w", err)
}

// sniff rejects a first answer that is not a TLS record header.
func sniff(b []byte) error {
	switch {
	case b[0]&0x80 != 0 && len(b) >= 3 && b[2] == 4:
		// SSL 2.0 two-byte header, then SERVER-HELLO (msg type 4).
		return ErrSSLv2
	case bytes.HasPrefix(b, []byte("HTTP/")):
		return fmt.Errorf("%w: server answered with HTTP", ErrNotTLS)
	}
	typeOK := b[0] >= recordChangeCipherSpec && b[0] <= recordHeartbeat
	if typeOK && (len(b) < 2 || b[1] == 3) {
		return nil
	}
	return fmt.Errorf("%w: first bytes % x%s", ErrNotTLS, b, printable(b))
}

// printable quotes b when it is all printable ASCII or white space, to
// name a protocol.
func printable(b []byte) string {
	for _, c := range b {
		if c > unicode.MaxASCII || !unicode.IsPrint(rune(c)) && !unicode.IsSpace(rune(c)) {
			return ""
		}
	}
	return fmt.Sprintf(" (%q)", b)
}

// recordName names a record content type.
func recordName(t uint8) string {
	switch t {
	case recordChangeCipherSpec:
		return "change_cipher_spec"
	case recordAlert:
		return "alert"
	case recordHandshake:
		return "handshake"
	case recordApplicationData:
		return "application_data"
	case recordHeartbeat:
		return "heartbeat"
	}
	return fmt.Sprintf("type %d", t)
}
