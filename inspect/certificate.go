package inspect

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"time"

	"chainscope/inspect/verify"
)

// describe turns a presented certificate into its report entry, its
// expiry judged at now; the caller fills in its link and note.
func describe(ch *chain, i int, now time.Time) Certificate {
	c := ch.certs[i]
	typ, bits := keyInfo(c)
	sha1sum := sha1.Sum(c.Raw)
	sum := ch.a.Sum(i)
	out := Certificate{
		Position:               i,
		Subject:                c.Subject.String(),
		Issuer:                 c.Issuer.String(),
		Serial:                 serialHex(c),
		NotBefore:              c.NotBefore.UTC(),
		NotAfter:               c.NotAfter.UTC(),
		SHA256:                 hex.EncodeToString(sum[:]),
		SHA1:                   hex.EncodeToString(sha1sum[:]),
		IsCA:                   c.IsCA,
		SelfSigned:             ch.selfSigned[i],
		IssuedByNext:           ch.issuedByNext[i],
		Role:                   ch.role(i),
		Name:                   shortName(c),
		Expiry:                 expiryOf(c.NotBefore, c.NotAfter, now),
		DNSNames:               nonNil(c.DNSNames),
		EmailAddresses:         c.EmailAddresses,
		KeyType:                typ,
		KeyBits:                bits,
		SignatureAlgorithm:     c.SignatureAlgorithm.String(),
		OCSPServers:            c.OCSPServer,
		IssuingCertificateURLs: c.IssuingCertificateURL,
		CRLDistributionPoints:  c.CRLDistributionPoints,
		ExtKeyUsage:            verify.ExtKeyUsageNames(c),
		KeyUsage:               keyUsages(c.KeyUsage),
		MaxPathLen:             -1,
		PEM:                    string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})),
	}
	for _, ip := range c.IPAddresses {
		out.IPAddresses = append(out.IPAddresses, ip.String())
	}
	for _, u := range c.URIs {
		out.URIs = append(out.URIs, u.String())
	}
	if len(c.SubjectKeyId) > 0 {
		out.SubjectKeyID = colonHex(c.SubjectKeyId)
	}
	if len(c.AuthorityKeyId) > 0 {
		out.AuthorityKeyID = colonHex(c.AuthorityKeyId)
	}
	if c.IsCA && (c.MaxPathLen > 0 || c.MaxPathLenZero) {
		out.MaxPathLen = c.MaxPathLen
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// serialHex is the serial number in lower-case hex, as openssl x509 shows it
// without colons; negative serials (invalid, but met) keep their sign.
func serialHex(c *x509.Certificate) string {
	if c.SerialNumber == nil {
		return ""
	}
	return fmt.Sprintf("%x", c.SerialNumber)
}

func colonHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, len(b)*3)
	for i, x := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[x>>4], digits[x&0xf])
	}
	return string(out)
}

var keyUsageNames = []string{
	"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
}

func keyUsages(u x509.KeyUsage) []string {
	var out []string
	for i, n := range keyUsageNames {
		if u&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
