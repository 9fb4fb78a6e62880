package verify

import (
	"crypto"
	"crypto/dsa" //lint:ignore SA1019 DSA-SHA1 is in the sender's list and still met in the wild
	"crypto/ecdsa"
	"crypto/ed25519"
	_ "crypto/md5" // registers the hashes the algorithms name
	"crypto/rsa"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Verdict is what the sender makes of a certificate's signature algorithm.
type Verdict int

// The verdicts on a signature algorithm (sender-model.md section 3,
// "Certificate signature algorithms").
const (
	// Accepted: in the sender's list and refused by no mainstream client.
	Accepted Verdict = iota
	// Weak: in the sender's list (OTP accepts it), but Go, Java, NSS and
	// OpenSSL 3 refuse it: SHA-1.
	Weak
	// Refused: outside the sender's list (MD5, MD2, DSA with SHA-2,
	// Ed25519, RSA-PSS with an unlisted hash, anything unknown).
	Refused
)

// Algorithm is a certificate's signature algorithm as the sender judges
// it.
type Algorithm struct {
	// Name is Go's name for it ("SHA256-RSA") or, when Go does not know
	// it, the name of its OID ("SHA224-RSA", "MD2-RSA") or the OID.
	Name    string
	Verdict Verdict
	hash    crypto.Hash
	key     x509.PublicKeyAlgorithm
	pss     bool
}

// The sender's list is OTP's TLS 1.2 signature_algorithms (sender-model.md
// section 2: ECDSA and RSA with SHA-512, SHA-384, SHA-256, SHA-224 and
// SHA-1, DSA with SHA-1; erlang/otp lib/ssl/src/tls_v1.erl
// default_signature_algs), which also bounds the signatures OTP accepts on
// certificates. RSA-PSS with SHA-256/384/512 counts as RSA with that hash.
var algorithms = map[x509.SignatureAlgorithm]Algorithm{
	x509.SHA256WithRSA:    {"SHA256-RSA", Accepted, crypto.SHA256, x509.RSA, false},
	x509.SHA384WithRSA:    {"SHA384-RSA", Accepted, crypto.SHA384, x509.RSA, false},
	x509.SHA512WithRSA:    {"SHA512-RSA", Accepted, crypto.SHA512, x509.RSA, false},
	x509.SHA256WithRSAPSS: {"SHA256-RSAPSS", Accepted, crypto.SHA256, x509.RSA, true},
	x509.SHA384WithRSAPSS: {"SHA384-RSAPSS", Accepted, crypto.SHA384, x509.RSA, true},
	x509.SHA512WithRSAPSS: {"SHA512-RSAPSS", Accepted, crypto.SHA512, x509.RSA, true},
	x509.ECDSAWithSHA256:  {"ECDSA-SHA256", Accepted, crypto.SHA256, x509.ECDSA, false},
	x509.ECDSAWithSHA384:  {"ECDSA-SHA384", Accepted, crypto.SHA384, x509.ECDSA, false},
	x509.ECDSAWithSHA512:  {"ECDSA-SHA512", Accepted, crypto.SHA512, x509.ECDSA, false},
	x509.SHA1WithRSA:      {"SHA1-RSA", Weak, crypto.SHA1, x509.RSA, false},
	x509.ECDSAWithSHA1:    {"ECDSA-SHA1", Weak, crypto.SHA1, x509.ECDSA, false},
	x509.DSAWithSHA1:      {"DSA-SHA1", Weak, crypto.SHA1, x509.DSA, false},
	x509.MD5WithRSA:       {"MD5-RSA", Refused, crypto.MD5, x509.RSA, false},
	x509.MD2WithRSA:       {"MD2-RSA", Refused, 0, x509.RSA, false},
	x509.DSAWithSHA256:    {"DSA-SHA256", Refused, crypto.SHA256, x509.DSA, false},
	x509.PureEd25519:      {"Ed25519", Refused, 0, x509.Ed25519, false},
}

// Signature algorithms Go does not parse, by OID (RFC 3279, RFC 4055,
// RFC 5758): the SHA-224 ones are in the sender's list.
var (
	oidSHA224WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	oidECDSAWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	oidRSAPSS          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMD2WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 2}
	oidMD5WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
	oidDSAWithSHA224   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 1}
)

// AlgorithmOf returns the signature algorithm c is signed with and the
// sender's verdict on it.
func AlgorithmOf(c *x509.Certificate) Algorithm {
	if a, ok := algorithms[c.SignatureAlgorithm]; ok {
		return a
	}
	oid := signatureOID(c.Raw)
	switch {
	case oid.Equal(oidSHA224WithRSA):
		return Algorithm{"SHA224-RSA", Accepted, crypto.SHA224, x509.RSA, false}
	case oid.Equal(oidECDSAWithSHA224):
		return Algorithm{"ECDSA-SHA224", Accepted, crypto.SHA224, x509.ECDSA, false}
	case oid.Equal(oidRSAPSS):
		return Algorithm{Name: "RSA-PSS with a hash outside SHA-256/384/512", Verdict: Refused}
	case oid.Equal(oidMD2WithRSA):
		return Algorithm{Name: "MD2-RSA", Verdict: Refused}
	case oid.Equal(oidMD5WithRSA):
		return Algorithm{"MD5-RSA", Refused, crypto.MD5, x509.RSA, false}
	case oid.Equal(oidDSAWithSHA224):
		return Algorithm{"DSA-SHA224", Refused, crypto.SHA224, x509.DSA, false}
	case oid != nil:
		return Algorithm{Name: "an unknown algorithm (" + oid.String() + ")", Verdict: Refused}
	}
	return Algorithm{Name: "an unknown algorithm", Verdict: Refused}
}

// signatureOID reads the outer signatureAlgorithm OID of a DER
// certificate (RFC 5280 §4.1.1.2), or nil.
func signatureOID(der []byte) asn1.ObjectIdentifier {
	in := cryptobyte.String(der)
	var cert, tbs, alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&cert, cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!alg.ReadASN1ObjectIdentifier(&oid) {
		return nil
	}
	return oid
}

// errUnverifiable says a signature could not be checked at all: its
// algorithm has no implementation here (MD2, odd RSA-PSS parameters).
var errUnverifiable = errors.New("signature algorithm cannot be checked")

// checkSignature verifies child's signature with parent's public key under
// child's signature algorithm, whatever the sender's verdict on it: a
// refused algorithm is judged as such, never mistaken for a wrong issuer.
// RSA keys of any size are accepted here (OTP sets no floor; the key size
// is judged apart). It returns errUnverifiable when the algorithm has no
// implementation.
func checkSignature(parent, child *x509.Certificate, alg Algorithm) error {
	if alg.hash == 0 && alg.key != x509.Ed25519 {
		return errUnverifiable
	}
	if alg.key == x509.Ed25519 {
		pub, ok := parent.PublicKey.(ed25519.PublicKey)
		if !ok || !ed25519.Verify(pub, child.RawTBSCertificate, child.Signature) {
			return errors.New("Ed25519 signature does not verify")
		}
		return nil
	}
	h := alg.hash.New()
	h.Write(child.RawTBSCertificate)
	digest := h.Sum(nil)
	switch pub := parent.PublicKey.(type) {
	case *rsa.PublicKey:
		if alg.key != x509.RSA {
			return fmt.Errorf("an %s signature from an RSA key", alg.Name)
		}
		if alg.pss {
			return rsa.VerifyPSS(pub, alg.hash, digest, child.Signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		return verifyPKCS1v15(pub, alg.hash, digest, child.Signature)
	case *ecdsa.PublicKey:
		if alg.key != x509.ECDSA {
			return fmt.Errorf("an %s signature from an EC key", alg.Name)
		}
		if !ecdsa.VerifyASN1(pub, digest, child.Signature) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	case *dsa.PublicKey:
		if alg.key != x509.DSA {
			return fmt.Errorf("an %s signature from a DSA key", alg.Name)
		}
		var sig struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(child.Signature, &sig); err != nil || len(rest) > 0 || sig.R == nil || sig.S == nil {
			return errors.New("malformed DSA signature")
		}
		if !dsa.Verify(pub, digest[:min(len(digest), pub.Q.BitLen()/8)], sig.R, sig.S) {
			return errors.New("DSA signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("issuer key of type %T cannot verify signatures", parent.PublicKey)
}

// pkcs1Prefixes are the DigestInfo prefixes of RFC 8017 §9.2, note 1.
var pkcs1Prefixes = map[crypto.Hash][]byte{
	crypto.MD5:    {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10},
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA224: {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// verifyPKCS1v15 checks an RSASSA-PKCS1-v1_5 signature (RFC 8017 §8.2.2)
// by the textbook operation, for keys of any size: crypto/rsa refuses keys
// under 1024 bits, which the sender accepts.
func verifyPKCS1v15(pub *rsa.PublicKey, hash crypto.Hash, digest, sig []byte) error {
	if pub.N.BitLen() >= 1024 {
		return rsa.VerifyPKCS1v15(pub, hash, digest, sig)
	}
	prefix, ok := pkcs1Prefixes[hash]
	k := (pub.N.BitLen() + 7) / 8
	if !ok || len(sig) != k || pub.E < 2 {
		return errors.New("RSA signature does not verify")
	}
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(pub.N) >= 0 {
		return errors.New("RSA signature does not verify")
	}
	em := new(big.Int).Exp(s, big.NewInt(int64(pub.E)), pub.N).FillBytes(make([]byte, k))
	tLen := len(prefix) + len(digest)
	if k < tLen+11 || em[0] != 0 || em[1] != 1 {
		return errors.New("RSA signature does not verify")
	}
	for _, b := range em[2 : k-tLen-1] {
		if b != 0xff {
			return errors.New("RSA signature does not verify")
		}
	}
	if em[k-tLen-1] != 0 || string(em[k-tLen:k-len(digest)]) != string(prefix) || string(em[k-len(digest):]) != string(digest) {
		return errors.New("RSA signature does not verify")
	}
	return nil
}
