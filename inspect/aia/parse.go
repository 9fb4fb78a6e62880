// Package aia fetches the certificate of an issuer that a server left out,
// from the caIssuers URL of the Authority Information Access extension of
// the certificate it issued (RFC 5280 §4.2.2.1): "the referenced file is
// either a single DER encoded certificate or a collection of certificates
// in a BER or DER encoded 'certs-only' CMS message" — and, in practice,
// PEM too. Every byte is untrusted: the response is bounded in size, the
// request in time and redirects, and parsing never allocates more than
// the response holds.
package aia

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"

	"chainscope/inspect/certfile"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MaxCertificates bounds the certificates one response may hold; a CA's
// bundle holds one to three.
const MaxCertificates = 16

// ErrFormat is wrapped by the errors of responses that are neither a DER
// certificate, PEM certificates nor a DER certs-only PKCS#7 message.
var ErrFormat = errors.New("neither a DER certificate, PEM nor PKCS#7 certs-only")

// oidSignedData is id-signedData (RFC 5652 §5.1).
var oidSignedData = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}

// ParseCertificates reads the certificates of a caIssuers response: PEM
// blocks of type CERTIFICATE, one DER certificate, or a DER certs-only
// PKCS#7/CMS SignedData (RFC 5652 §5; the .p7c files CAs publish). At most
// [MaxCertificates] are returned.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	if ders, err := ParsePKCS7(data); err == nil {
		out := make([]*x509.Certificate, 0, len(ders))
		for i, der := range ders {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("pkcs7 certificate %d: %w", i+1, err)
			}
			out = append(out, c)
		}
		return out, nil
	} else if !errors.Is(err, ErrFormat) {
		return nil, err // PKCS#7, but too many certificates
	}
	// PEM and DER as certificate files hold them: one parser per format.
	f, err := certfile.Parse("response", data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	switch {
	case len(f.Certificates) == 0:
		return nil, fmt.Errorf("no certificate: %w", ErrFormat)
	case len(f.Certificates) > MaxCertificates:
		return nil, fmt.Errorf("more than %d certificates", MaxCertificates)
	}
	return f.Certificates, nil
}

// ParsePKCS7 returns the DER certificates of a DER-encoded PKCS#7/CMS
// ContentInfo holding SignedData (RFC 5652 §3, §5.1), in order:
//
//	ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
//	SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET,
//	    encapContentInfo SEQUENCE, certificates [0] IMPLICIT SET OPTIONAL,
//	    crls [1] IMPLICIT OPTIONAL, signerInfos SET }
//
// Only the certificates are read; signatures are not (a certs-only message
// has none). Entries of the set that are not plain certificates (the
// obsolete extended and attribute certificates) are skipped. BER's
// indefinite lengths are not accepted.
func ParsePKCS7(der []byte) ([][]byte, error) {
	s := cryptobyte.String(der)
	var ci, content, sd cryptobyte.String
	var oid []byte
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) || !s.Empty() {
		return nil, fmt.Errorf("pkcs7: not one DER SEQUENCE: %w", ErrFormat)
	}
	if !ci.ReadASN1Bytes(&oid, cbasn1.OBJECT_IDENTIFIER) {
		return nil, fmt.Errorf("pkcs7: no content type: %w", ErrFormat)
	}
	if !bytes.Equal(oid, oidSignedData) {
		return nil, fmt.Errorf("pkcs7: content type is not signedData: %w", ErrFormat)
	}
	if !ci.ReadASN1(&content, cbasn1.Tag(0).ContextSpecific().Constructed()) || !ci.Empty() {
		return nil, fmt.Errorf("pkcs7: malformed content: %w", ErrFormat)
	}
	if !content.ReadASN1(&sd, cbasn1.SEQUENCE) || !content.Empty() {
		return nil, fmt.Errorf("pkcs7: malformed SignedData: %w", ErrFormat)
	}
	var version int64
	if !sd.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) ||
		!sd.SkipASN1(cbasn1.SET) || // digestAlgorithms
		!sd.SkipASN1(cbasn1.SEQUENCE) { // encapContentInfo
		return nil, fmt.Errorf("pkcs7: malformed SignedData header: %w", ErrFormat)
	}
	var set cryptobyte.String
	var present bool
	if !sd.ReadOptionalASN1(&set, &present, cbasn1.Tag(0).ContextSpecific().Constructed()) {
		return nil, fmt.Errorf("pkcs7: malformed certificates: %w", ErrFormat)
	}
	var out [][]byte
	for !set.Empty() {
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !set.ReadAnyASN1Element(&elem, &tag) {
			return nil, fmt.Errorf("pkcs7: malformed certificate %d: %w", len(out)+1, ErrFormat)
		}
		if tag != cbasn1.SEQUENCE {
			continue
		}
		if len(out) == MaxCertificates {
			return nil, fmt.Errorf("pkcs7: more than %d certificates", MaxCertificates)
		}
		out = append(out, elem)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pkcs7: no certificate: %w", ErrFormat)
	}
	return out, nil
}
