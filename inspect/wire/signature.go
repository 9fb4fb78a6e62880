package wire

import (
	"crypto"
	//lint:ignore SA1019 DHE_DSS servers still sign with DSA, and the sender offers dsa_sha1
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/md5" //nolint:gosec // the TLS 1.0/1.1 signature hash (RFC 2246 §7.4.3)
	"crypto/rsa"
	"crypto/sha1"     //nolint:gosec // a TLS 1.2 signature scheme the sender offers
	_ "crypto/sha256" // SHA-224 and SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // SHA-384 and SHA-512 for crypto.Hash.New
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"math/big"
)

// Errors of VerifyKeyExchange. Test for them with errors.Is.
var (
	// ErrBadSignature reports a ServerKeyExchange signature that does not
	// verify with the key given, or one made for another kind of key: the
	// certificate and the key that signed do not belong together. A client
	// aborts the handshake with decrypt_error (RFC 5246 §7.2.2).
	ErrBadSignature = errors.New("signature does not verify with the certificate's key")
	// ErrUnsupportedSignature reports a scheme or key this package cannot
	// verify (RSA-PSS keys, GOST, SM2); nothing is known then.
	ErrUnsupportedSignature = errors.New("signature scheme or key not supported for verification")
)

// VerifyKeyExchange checks the signature of the flight's ServerKeyExchange
// with pub, the public key of the certificate at position 0: it covers
// client_random, server_random and the parameters (RFC 5246 §7.4.3,
// RFC 8422 §5.4). At TLS 1.2 the hash and the algorithm are those of
// KeyExchange.SignatureAlgorithm (RFC 5246 §7.4.1.4.1); before TLS 1.2 RSA
// signs MD5 and SHA-1 concatenated, DSA and ECDSA sign SHA-1 (RFC 4346
// §7.4.3, RFC 4492 §5.4).
//
// It returns nil for a valid signature, an error matching ErrBadSignature
// when it does not verify or was made for another kind of key, and one
// matching ErrUnsupportedSignature when it cannot tell. A flight without
// signed parameters is an error too.
func VerifyKeyExchange(fl *ServerFlight, pub crypto.PublicKey) error {
	if fl == nil || fl.KeyExchange == nil || fl.KeyExchange.Signature == nil {
		return errors.New("verify server_key_exchange: no signed parameters")
	}
	kx := fl.KeyExchange
	signed := make([]byte, 0, 64+len(kx.Params))
	signed = append(signed, fl.ClientRandom[:]...)
	signed = append(signed, fl.ServerRandom[:]...)
	signed = append(signed, kx.Params...)

	var hashes []func() hash.Hash
	var alg string // "rsa", "dsa", "ecdsa", "rsa_pss", "ed25519"
	var ch crypto.Hash
	if fl.Version >= VersionTLS12 {
		var ok bool
		alg, ch, ok = schemeParts(kx.SignatureAlgorithm)
		if !ok {
			return fmt.Errorf("verify server_key_exchange: %s: %w", SignatureSchemeName(kx.SignatureAlgorithm), ErrUnsupportedSignature)
		}
		if alg != "ed25519" {
			hashes = []func() hash.Hash{ch.New}
		}
	} else {
		switch pub.(type) {
		case *rsa.PublicKey:
			alg, ch, hashes = "rsa", crypto.MD5SHA1, []func() hash.Hash{md5.New, sha1.New}
		case *ecdsa.PublicKey:
			alg, ch, hashes = "ecdsa", crypto.SHA1, []func() hash.Hash{sha1.New}
		case *dsa.PublicKey:
			alg, ch, hashes = "dsa", crypto.SHA1, []func() hash.Hash{sha1.New}
		default:
			return fmt.Errorf("verify server_key_exchange: %T key: %w", pub, ErrUnsupportedSignature)
		}
	}
	var digest []byte
	for _, h := range hashes {
		hh := h()
		hh.Write(signed)
		digest = hh.Sum(digest)
	}
	err := verify(alg, ch, pub, signed, digest, kx.Signature)
	if err != nil {
		name := SignatureSchemeName(kx.SignatureAlgorithm)
		if fl.Version < VersionTLS12 {
			name = alg + " at " + VersionName(fl.Version)
		}
		return fmt.Errorf("verify server_key_exchange (%s): %w", name, err)
	}
	return nil
}

// verify checks sig over digest (or, for Ed25519, over the message) with
// pub under alg.
func verify(alg string, ch crypto.Hash, pub crypto.PublicKey, msg, digest, sig []byte) error {
	mismatch := func() error {
		return fmt.Errorf("%w: an %s signature from a %s key", ErrBadSignature, alg, keyKind(pub))
	}
	switch alg {
	case "rsa", "rsa_pss":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return mismatch()
		}
		var err error
		if alg == "rsa" {
			err = rsa.VerifyPKCS1v15(k, ch, digest, sig)
		} else {
			err = rsa.VerifyPSS(k, ch, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		if err != nil {
			return ErrBadSignature
		}
	case "ecdsa":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return mismatch()
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return ErrBadSignature
		}
	case "dsa":
		k, ok := pub.(*dsa.PublicKey)
		if !ok {
			return mismatch()
		}
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) > 0 || rs.R == nil || rs.S == nil {
			return ErrBadSignature
		}
		// DSA signs the leftmost bits of the digest, as many as q has
		// (FIPS 186-4 §4.6); crypto/dsa leaves that to the caller.
		if n := (k.Q.BitLen() + 7) / 8; len(digest) > n {
			digest = digest[:n]
		}
		if !dsa.Verify(k, digest, rs.R, rs.S) {
			return ErrBadSignature
		}
	case "ed25519":
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return mismatch()
		}
		if !ed25519.Verify(k, msg, sig) {
			return ErrBadSignature
		}
	default:
		return ErrUnsupportedSignature
	}
	return nil
}

// schemeParts splits a TLS 1.2 SignatureAndHashAlgorithm, or a TLS 1.3
// scheme usable in TLS 1.2 (RSA-PSS with an RSA key, Ed25519; RFC 8446
// §4.2.3, RFC 8422 §5.1.3), into its algorithm and hash.
func schemeParts(scheme uint16) (alg string, h crypto.Hash, ok bool) {
	switch scheme {
	case SchemeRSAPSSRSAESHA256:
		return "rsa_pss", crypto.SHA256, true
	case SchemeRSAPSSRSAESHA384:
		return "rsa_pss", crypto.SHA384, true
	case SchemeRSAPSSRSAESHA512:
		return "rsa_pss", crypto.SHA512, true
	case SchemeEd25519:
		return "ed25519", 0, true
	}
	hashes := map[uint8]crypto.Hash{1: crypto.MD5, 2: crypto.SHA1, 3: crypto.SHA224, 4: crypto.SHA256, 5: crypto.SHA384, 6: crypto.SHA512}
	algs := map[uint8]string{1: "rsa", 2: "dsa", 3: "ecdsa"}
	h, okh := hashes[uint8(scheme>>8)]
	alg, oka := algs[uint8(scheme)]
	if !okh || !oka {
		return "", 0, false
	}
	return alg, h, true
}

// keyKind names a public key's algorithm for messages.
func keyKind(pub crypto.PublicKey) string {
	switch pub.(type) {
	case *rsa.PublicKey:
		return "RSA"
	case *ecdsa.PublicKey:
		return "ECDSA"
	case *dsa.PublicKey:
		return "DSA"
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", pub)
}
