// Package certfile reads certificates from files as operators have them:
// PEM with one or many blocks (text before, between and after, CRLF line
// ends, other block types mixed in) or DER, one certificate or several
// concatenated. Every failure names the file and the block.
package certfile

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits bound what a file may hold.
const (
	// MaxSize is the largest input read: a chain of 200 certificates with
	// 10,000 names each fits many times over.
	MaxSize = 16 << 20
	// MaxCertificates is the most certificates one file may hold.
	MaxCertificates = 5000
)

// ErrTooLarge is returned for input over [MaxSize].
var ErrTooLarge = fmt.Errorf("larger than %d MiB", MaxSize>>20)

// Sentinels for what a file holds instead of certificates; test for them
// with errors.Is. The error itself names the file and the block.
var (
	// ErrFormat reports content that is no certificate file: neither PEM
	// nor DER, malformed PEM or DER, a malformed certificate, nothing at
	// all.
	ErrFormat = errors.New("not a certificate file")
	// ErrPrivateKey reports a PEM file that holds a private key and no
	// certificate: a key file given where its certificate was meant.
	ErrPrivateKey = errors.New("a private key, not a certificate")
)

// contentError is an error about a file's content that matches one
// sentinel with errors.Is and keeps its cause, with a message of its own.
type contentError struct {
	msg      string
	sentinel error
	cause    error
}

func (e *contentError) Error() string        { return e.msg }
func (e *contentError) Is(target error) bool { return target == e.sentinel }
func (e *contentError) Unwrap() error        { return e.cause }

// formatErrorf is fmt.Errorf for an error matching [ErrFormat].
func formatErrorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &contentError{msg: err.Error(), sentinel: ErrFormat, cause: errors.Unwrap(err)}
}

// File is what a certificate file holds.
type File struct {
	// Certificates in the order they appear.
	Certificates []*x509.Certificate
	// Skipped describes PEM blocks that are not certificates, e.g.
	// "block 3: PRIVATE KEY skipped". Their contents are never kept.
	Skipped []string
}

// Read reads all of r, up to [MaxSize], and parses it with [Parse].
func Read(name string, r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return Parse(name, data)
}

var beginMarker = []byte("-----BEGIN ")

// Parse returns the certificates in data, which is PEM when it holds a
// "-----BEGIN " line and DER otherwise.
func Parse(name string, data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	if bytes.Contains(data, beginMarker) {
		return parsePEM(name, data)
	}
	return parseDER(name, data)
}

func parsePEM(name string, data []byte) (*File, error) {
	f := &File{}
	var types []string // of every block, for the error when none is a certificate
	rest := data
	for n := 1; ; n++ {
		i := bytes.Index(rest, beginMarker)
		if i < 0 {
			break
		}
		rest = rest[i:]
		b, after := pem.Decode(rest)
		if b == nil {
			return nil, formatErrorf("%s: block %d: malformed PEM (bad base64, headers or END line)", name, n)
		}
		rest = after
		types = append(types, blockType(b.Type))
		switch b.Type {
		case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		default:
			// Keys and the like are never parsed, kept or echoed.
			f.Skipped = append(f.Skipped, fmt.Sprintf("block %d: %s skipped", n, blockType(b.Type)))
			continue
		}
		if len(f.Certificates) == MaxCertificates {
			return nil, fmt.Errorf("%s: more than %d certificates", name, MaxCertificates)
		}
		der := b.Bytes
		if b.Type == "TRUSTED CERTIFICATE" {
			// OpenSSL appends its trust settings after the certificate.
			der = firstSequence(der)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, formatErrorf("%s: block %d: malformed certificate: %w", name, n, err)
		}
		f.Certificates = append(f.Certificates, c)
	}
	if len(f.Certificates) == 0 {
		return nil, noCertificate(name, types)
	}
	return f, nil
}

// noCertificate is the error for PEM blocks of which none is a
// certificate: a key file is called a key.
func noCertificate(name string, types []string) error {
	for _, t := range types {
		if strings.HasSuffix(t, "PRIVATE KEY") {
			return &contentError{msg: fmt.Sprintf("%s: this is a private key (%s), not a certificate", name, t), sentinel: ErrPrivateKey}
		}
	}
	return formatErrorf("%s: no certificate among its PEM blocks (%s)", name, strings.Join(types, ", "))
}

// blockType shows a block type without letting odd bytes through.
func blockType(t string) string {
	if len(t) > 40 {
		t = t[:40]
	}
	b := []byte(t)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

func parseDER(name string, data []byte) (*File, error) {
	if len(bytes.TrimRight(data, "\r\n\t ")) == 0 {
		return nil, formatErrorf("%s: empty: no PEM block or DER certificate", name)
	}
	if data[0] != 0x30 {
		return nil, formatErrorf("%s: neither PEM nor DER (no -----BEGIN line, first byte 0x%02x)", name, data[0])
	}
	f := &File{}
	// Trailing white space (a newline an editor added) is allowed after the
	// last certificate; it is never trimmed before, where it may be the
	// last byte of a signature.
	for n := 1; len(bytes.TrimRight(data, "\r\n\t ")) > 0; n++ {
		der := firstSequence(data)
		if der == nil {
			return nil, formatErrorf("%s: certificate %d: malformed DER (truncated or bad length)", name, n)
		}
		if len(f.Certificates) == MaxCertificates {
			return nil, fmt.Errorf("%s: more than %d certificates", name, MaxCertificates)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, formatErrorf("%s: certificate %d: malformed certificate: %w", name, n, err)
		}
		f.Certificates = append(f.Certificates, c)
		data = data[len(der):]
	}
	return f, nil
}

// firstSequence returns the leading DER SEQUENCE of b, or nil when b does
// not start with a complete one.
func firstSequence(b []byte) []byte {
	if len(b) < 2 || b[0] != 0x30 {
		return nil
	}
	l, hdr := int(b[1]), 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 4 || len(b) < 2+n {
			return nil
		}
		l = 0
		for _, x := range b[2 : 2+n] {
			l = l<<8 | int(x)
		}
		hdr += n
	}
	if l < 0 || hdr+l > len(b) {
		return nil
	}
	return b[:hdr+l]
}
