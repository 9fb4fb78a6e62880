// Package certfile reads certificates from files as operators have them:
// PEM with one or many blocks (text before, between and after, CRLF line
// ends, other block types mixed in) or DER, one certificate or several
// concatenated. Every failure names the file and the block.
package certfile

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	var buf bytes.Buffer
	if s, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil && fi.Size() > 0 && fi.Size() <= MaxSize {
			buf.Grow(int(fi.Size()) + 1) // one read, no regrowth
		}
	}
	_, err := buf.ReadFrom(io.LimitReader(r, MaxSize+1))
	data := buf.Bytes()
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

// certTypes are the PEM block types that hold a certificate.
var certTypes = map[string]bool{"CERTIFICATE": true, "X509 CERTIFICATE": true, "TRUSTED CERTIFICATE": true}

// parsePEM reads the PEM blocks of data line by line (RFC 7468). Every
// certificate block must decode and parse: one that does not is an error
// naming the file, the block and its line, never skipped (OpenSSL and nginx
// refuse such a file too). An END line glued to the next BEGIN line, the
// mark of files concatenated without a final newline, is named as such.
// Blocks of other types (keys) are skipped without being decoded.
func parsePEM(name string, data []byte) (*File, error) {
	f := &File{}
	var types []string // of every block, for the error when none is a certificate
	parsed := map[[32]byte]*x509.Certificate{}
	var (
		inBlock   bool
		typ       string
		start, n  int
		body      []byte
		certBlock bool
	)
	line := 0
	for rest := data; len(rest) > 0; {
		line++
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		l = bytes.TrimRight(l, "\r \t")
		if !inBlock {
			i := bytes.Index(l, beginMarker)
			if i < 0 {
				continue
			}
			n++
			if end := bytes.Index(l[:i], []byte("-----END ")); end >= 0 {
				return nil, formatErrorf("%s: line %d: an END line and the BEGIN line of block %d are glued together (files joined without a final newline): put a newline after line %d's %q", name, line, n, line, string(l[end:i]))
			}
			if i > 0 && len(bytes.TrimSpace(l[:i])) > 0 {
				return nil, formatErrorf("%s: line %d: block %d's BEGIN line does not start the line: put a newline before %q", name, line, n, clip(l[i:]))
			}
			t, ok := pemType(l[i:], "-----BEGIN ")
			if !ok {
				return nil, formatErrorf("%s: line %d: block %d: malformed BEGIN line %q", name, line, n, clip(l[i:]))
			}
			inBlock, typ, start, body = true, t, line, body[:0]
			certBlock = certTypes[t]
			types = append(types, blockType(t))
			continue
		}
		if i := bytes.Index(l, []byte("-----END ")); i >= 0 {
			t, ok := pemType(l[i:], "-----END ")
			if !ok || t != typ {
				return nil, formatErrorf("%s: line %d: block %d (%s, line %d) ends with %q", name, line, n, blockType(typ), start, clip(l[i:]))
			}
			if j := bytes.Index(l[i:], beginMarker); j >= 0 {
				return nil, formatErrorf("%s: line %d: the END line of block %d and the next BEGIN line are glued together (files joined without a final newline): put a newline after line %d's %q", name, line, n, line, "-----END "+t+"-----")
			}
			if tail := l[i+len("-----END ")+len(t)+len("-----"):]; len(bytes.TrimSpace(tail)) > 0 {
				return nil, formatErrorf("%s: line %d: block %d: text after the END line: %q", name, line, n, clip(tail))
			}
			inBlock = false
			if !certBlock {
				// Keys and the like are never decoded, kept or echoed.
				f.Skipped = append(f.Skipped, fmt.Sprintf("block %d: %s skipped", n, blockType(typ)))
				continue
			}
			c, err := parseBlock(typ, body, parsed)
			if err != nil {
				return nil, formatErrorf("%s: block %d (%s, lines %d-%d): %w", name, n, blockType(typ), start, line, err)
			}
			if len(f.Certificates) == MaxCertificates {
				return nil, fmt.Errorf("%s: more than %d certificates", name, MaxCertificates)
			}
			f.Certificates = append(f.Certificates, c)
			continue
		}
		if bytes.Contains(l, beginMarker) {
			return nil, formatErrorf("%s: line %d: block %d (%s, line %d) has no END line before the next BEGIN", name, line, n, blockType(typ), start)
		}
		if certBlock {
			body = append(body, l...)
		}
	}
	if inBlock {
		return nil, formatErrorf("%s: block %d (%s, line %d) has no END line", name, n, blockType(typ), start)
	}
	if len(f.Certificates) == 0 {
		return nil, noCertificate(name, types)
	}
	return f, nil
}

// pemType reads the label of a BEGIN or END line: "-----BEGIN X-----".
func pemType(l []byte, prefix string) (string, bool) {
	rest, ok := bytes.CutPrefix(l, []byte(prefix))
	if !ok {
		return "", false
	}
	i := bytes.Index(rest, []byte("-----"))
	if i < 0 {
		return "", false
	}
	return string(rest[:i]), true
}

// parseBlock decodes a certificate block's base64 body and parses it; the
// same block or DER parsed before is shared, so a file of copies costs one
// parse (parsed is keyed by the SHA-256 of both).
func parseBlock(typ string, body []byte, parsed map[[32]byte]*x509.Certificate) (*x509.Certificate, error) {
	if bytes.Contains(body, []byte(":")) {
		return nil, errors.New("does not decode: PEM headers in a certificate block")
	}
	// Copies of one block are recognised by their text, before decoding.
	textSum := sha256.Sum256(append([]byte(typ+"\n"), body...))
	if c, ok := parsed[textSum]; ok {
		return c, nil
	}
	der := make([]byte, base64.StdEncoding.DecodedLen(len(body)))
	k, err := base64.StdEncoding.Decode(der, body)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("does not decode: bad base64 at character %d of its body", int64(ce)+1)
		}
		return nil, fmt.Errorf("does not decode: %w", err)
	}
	der = der[:k]
	if typ == "TRUSTED CERTIFICATE" {
		// OpenSSL appends its trust settings after the certificate.
		der = firstSequence(der)
	}
	sum := sha256.Sum256(der)
	if c, ok := parsed[sum]; ok {
		parsed[textSum] = c
		return c, nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("malformed certificate: %w", err)
	}
	parsed[sum], parsed[textSum] = c, c
	return c, nil
}

// clip keeps a quoted piece of a line short.
func clip(b []byte) string {
	if len(b) > 64 {
		b = b[:64]
	}
	return blockType(string(b))
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
