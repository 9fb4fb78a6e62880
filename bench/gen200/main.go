// Command gen200 writes a PEM file of N certificates (default 200) for the
// file benchmark: the leaf and intermediate of testdata/chain-ok.pem first,
// then N-2 more CA certificates signed by fresh keys under the same
// intermediate name, the worst case for issuer matching by name.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 200, "certificates in the file")
	out := flag.String("o", "chain-200.pem", "output file")
	flag.Parse()
	head, err := os.ReadFile("testdata/chain-ok.pem")
	if err != nil {
		log.Fatal(err)
	}
	data := append([]byte{}, head...)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	issuer := &x509.Certificate{Subject: pkix.Name{CommonName: "chainscope Test Intermediate", Organization: []string{"chainscope test"}}}
	for i := 2; i < *n; i++ {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(10000 + i)),
			Subject:               pkix.Name{CommonName: fmt.Sprintf("bulk CA %d", i)},
			NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:              time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, key)
		if err != nil {
			log.Fatal(err)
		}
		data = append(data, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
