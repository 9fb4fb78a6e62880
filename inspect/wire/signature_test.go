package wire

import (
	"crypto"
	//lint:ignore SA1019 DHE_DSS servers still sign with DSA, and the sender offers dsa_sha1
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5" //nolint:gosec // the TLS 1.0 signature hash
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec
	"encoding/asn1"
	"errors"
	"math/big"
	"sync"
	"testing"
)

// sigKeys are the keys of TestVerifyKeyExchange, made once.
var sigKeys = sync.OnceValue(func() map[string]crypto.Signer {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsaOther, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	return map[string]crypto.Signer{"rsa": rsaKey, "rsa-other": rsaOther, "ecdsa": ecKey, "ed25519": edKey}
})

// dsaKey is a DSA key for the DHE_DSS case (L=1024, N=160).
var dsaKey = sync.OnceValue(func() *dsa.PrivateKey {
	k := new(dsa.PrivateKey)
	if err := dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); err != nil {
		panic(err)
	}
	if err := dsa.GenerateKey(k, rand.Reader); err != nil {
		panic(err)
	}
	return k
})

// signedFlight returns a flight whose ServerKeyExchange is signed by key
// under scheme at version v, as a server would sign it.
func signedFlight(t *testing.T, v, scheme uint16, key any) *ServerFlight {
	t.Helper()
	fl := &ServerFlight{Version: v, KeyExchange: &KeyExchange{Kind: "ECDHE", Group: GroupSecp256r1, SignatureAlgorithm: scheme, Params: []byte("params")}}
	_, _ = rand.Read(fl.ClientRandom[:])
	_, _ = rand.Read(fl.ServerRandom[:])
	msg := append(append(append([]byte{}, fl.ClientRandom[:]...), fl.ServerRandom[:]...), fl.KeyExchange.Params...)
	digest := func(h crypto.Hash) []byte { hh := h.New(); hh.Write(msg); return hh.Sum(nil) }
	var sig []byte
	var err error
	switch k := key.(type) {
	case *rsa.PrivateKey:
		switch {
		case v < VersionTLS12:
			m, s := md5.Sum(msg), sha1.Sum(msg)
			sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.MD5SHA1, append(m[:], s[:]...))
		case scheme>>8 == 0x08:
			_, h, _ := schemeParts(scheme)
			sig, err = rsa.SignPSS(rand.Reader, k, h, digest(h), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		default:
			_, h, _ := schemeParts(scheme)
			sig, err = rsa.SignPKCS1v15(rand.Reader, k, h, digest(h))
		}
	case *ecdsa.PrivateKey:
		h := crypto.SHA1
		if v >= VersionTLS12 {
			_, h, _ = schemeParts(scheme)
		}
		sig, err = ecdsa.SignASN1(rand.Reader, k, digest(h))
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, msg)
	case *dsa.PrivateKey:
		d := digest(crypto.SHA1)
		r, s, derr := dsa.Sign(rand.Reader, k, d)
		if derr != nil {
			t.Fatal(derr)
		}
		sig, err = asn1.Marshal(struct{ R, S *big.Int }{r, s})
	}
	if err != nil {
		t.Fatal(err)
	}
	fl.KeyExchange.Signature = sig
	return fl
}

// TestVerifyKeyExchange: a signature verifies with the key that made it,
// under the hash of its scheme, and fails with another key, another kind
// of key, or altered parameters.
func TestVerifyKeyExchange(t *testing.T) {
	t.Parallel()
	k := sigKeys()
	pub := func(name string) crypto.PublicKey { return k[name].Public() }
	tests := []struct {
		name    string
		version uint16
		scheme  uint16
		signer  any
		pub     crypto.PublicKey
		tamper  bool
		is      error // nil: verifies
	}{
		{"rsa_pkcs1_sha256", VersionTLS12, SchemeRSAPKCS1SHA256, k["rsa"], pub("rsa"), false, nil},
		{"rsa_pkcs1_sha1", VersionTLS12, SchemeRSAPKCS1SHA1, k["rsa"], pub("rsa"), false, nil},
		{"rsa_sha224", VersionTLS12, 0x0301, k["rsa"], pub("rsa"), false, nil},
		{"rsa_pkcs1_sha512", VersionTLS12, SchemeRSAPKCS1SHA512, k["rsa"], pub("rsa"), false, nil},
		{"rsa_pss_rsae_sha256", VersionTLS12, SchemeRSAPSSRSAESHA256, k["rsa"], pub("rsa"), false, nil},
		{"ecdsa_secp256r1_sha256", VersionTLS12, SchemeECDSAP256SHA256, k["ecdsa"], pub("ecdsa"), false, nil},
		{"ecdsa_sha1", VersionTLS12, SchemeECDSASHA1, k["ecdsa"], pub("ecdsa"), false, nil},
		{"ed25519", VersionTLS12, SchemeEd25519, k["ed25519"], pub("ed25519"), false, nil},
		{"dsa_sha1", VersionTLS12, SchemeDSASHA1, dsaKey(), &dsaKey().PublicKey, false, nil},
		{"rsa at TLS 1.0 (MD5 and SHA-1)", VersionTLS10, 0, k["rsa"], pub("rsa"), false, nil},
		{"ecdsa at TLS 1.1 (SHA-1)", VersionTLS11, 0, k["ecdsa"], pub("ecdsa"), false, nil},
		{"signed by another key", VersionTLS12, SchemeRSAPKCS1SHA256, k["rsa-other"], pub("rsa"), false, ErrBadSignature},
		{"ECDSA signature, RSA certificate", VersionTLS12, SchemeECDSAP256SHA256, k["ecdsa"], pub("rsa"), false, ErrBadSignature},
		{"tampered parameters", VersionTLS12, SchemeECDSAP256SHA256, k["ecdsa"], pub("ecdsa"), true, ErrBadSignature},
		{"rsa at TLS 1.0 by another key", VersionTLS10, 0, k["rsa-other"], pub("rsa"), false, ErrBadSignature},
		{"unknown scheme", VersionTLS12, 0x0708, k["rsa"], pub("rsa"), false, ErrUnsupportedSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			scheme := tt.scheme
			if scheme == 0x0708 {
				scheme = SchemeRSAPKCS1SHA256
			}
			fl := signedFlight(t, tt.version, scheme, tt.signer)
			fl.KeyExchange.SignatureAlgorithm = tt.scheme
			if tt.tamper {
				fl.KeyExchange.Params = []byte("other")
			}
			err := VerifyKeyExchange(fl, tt.pub)
			if tt.is == nil && err != nil || tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("VerifyKeyExchange() = %v, want %v", err, tt.is)
			}
		})
	}
	if err := VerifyKeyExchange(&ServerFlight{}, pub("rsa")); err == nil {
		t.Error("VerifyKeyExchange(no ServerKeyExchange) = nil, want an error")
	}
}
