package testpki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Signature algorithm OIDs for [Resign] (RFC 3279, RFC 4055).
var (
	OIDMD5WithRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
	OIDSHA1WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	OIDSHA224WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	OIDSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
)

// Resign rewrites c as crypto/x509 refuses to write it: its serial
// replaced when serial is not nil (negative serials), and signed again by
// issuer's RSA key (c's own key when issuer is nil) under the RSA
// algorithm oid with hash (MD5 signatures). The rest of the TBS is kept
// byte for byte.
func Resign(t testing.TB, c, issuer *Cert, oid asn1.ObjectIdentifier, hash crypto.Hash, serial *big.Int) *Cert {
	t.Helper()
	if issuer == nil {
		issuer = c
	}
	key, ok := issuer.Key.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("resign %s: the issuer's key is not RSA", c.Cert.Subject.CommonName)
	}
	in := cryptobyte.String(c.Cert.RawTBSCertificate)
	var tbs cryptobyte.String
	var version, serialRaw, alg cryptobyte.String
	var hasVersion bool
	if !in.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!tbs.ReadOptionalASN1(&version, &hasVersion, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.ReadASN1Element(&serialRaw, cbasn1.INTEGER) ||
		!tbs.ReadASN1(&alg, cbasn1.SEQUENCE) {
		t.Fatalf("resign %s: malformed TBS", c.Cert.Subject.CommonName)
	}
	algID := func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1NULL()
		})
	}
	var nb cryptobyte.Builder
	nb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if hasVersion {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(version) })
		}
		if serial != nil {
			b.AddASN1BigInt(serial)
		} else {
			b.AddBytes(serialRaw)
		}
		algID(b)
		b.AddBytes(tbs)
	})
	newTBS := nb.BytesOrPanic()
	h := hash.New()
	h.Write(newTBS)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, hash, h.Sum(nil))
	if err != nil {
		t.Fatalf("resign %s: %v", c.Cert.Subject.CommonName, err)
	}
	var cb cryptobyte.Builder
	cb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(newTBS)
		algID(b)
		b.AddASN1BitString(sig)
	})
	out, err := x509.ParseCertificate(cb.BytesOrPanic())
	if err != nil {
		t.Fatalf("resign %s: %v", c.Cert.Subject.CommonName, err)
	}
	return &Cert{Cert: out, Key: c.Key}
}
