package main

import (
	"bytes"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// errEncryptedKey is a private key file protected by a passphrase, which
// chainscope does not ask for.
var errEncryptedKey = errors.New("chainscope asks for no passphrase")

// loadKeyPair reads a certificate chain (PEM, leaf first) and its private
// key as tls.LoadX509KeyPair does, naming the flags in its error. A key
// that is encrypted — PKCS#8 "ENCRYPTED PRIVATE KEY" (openssl's default
// with a passphrase) or the legacy PEM form with "Proc-Type: 4,ENCRYPTED"
// (RFC 1421 section 4.6.1.1) — is an error wrapping errEncryptedKey that
// says how to write a decrypted copy, where crypto/tls says only "failed
// to parse private key".
func loadKeyPair(certFlag, certFile, keyFlag, keyFile string) (tls.Certificate, error) {
	kp, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil {
		return kp, nil
	}
	if encryptedKey(keyFile) {
		return kp, fmt.Errorf("%s %s is encrypted: %w; write a decrypted copy, readable by you only, with openssl pkey -in %s -out PLAIN.key, and pass that",
			keyFlag, keyFile, errEncryptedKey, keyFile)
	}
	return kp, fmt.Errorf("%s %s, %s %s: %w", certFlag, certFile, keyFlag, keyFile, withoutPath(err))
}

// encryptedKey reports whether the first private key block of the PEM file
// is encrypted. It reads at most 1 MiB.
func encryptedKey(file string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, _ := f.Read(buf)
	rest := buf[:n]
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return false
		}
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY":
			return true
		case bytes.HasSuffix([]byte(b.Type), []byte("PRIVATE KEY")):
			return b.Headers["Proc-Type"] == "4,ENCRYPTED"
		}
	}
}
