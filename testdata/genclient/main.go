// Command genclient writes the client certificates of the test sender under
// testdata/: client certificates issued by the test intermediate of
// testdata/gen (its key is committed), the CA file the test sender's policy
// names, for --as client, listen and the mtls examples. Run it from the
// repository root with `go run ./testdata/genclient`; the certificates are
// valid 2026-01-01 to 2036-01-01 (the expired one until 2026-07-01).
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

var (
	from = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
)

func read(name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		log.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		log.Fatalf("%s: no PEM", name)
	}
	return b.Bytes
}

func write(name string, blocks ...*pem.Block) {
	var out []byte
	for _, b := range blocks {
		out = append(out, pem.EncodeToMemory(b)...)
	}
	if err := os.WriteFile(filepath.Join("testdata", name), out, 0o644); err != nil {
		log.Fatal(err)
	}
}

func certBlock(der []byte) *pem.Block { return &pem.Block{Type: "CERTIFICATE", Bytes: der} }

func main() {
	inter, err := x509.ParseCertificate(read("intermediate.pem"))
	if err != nil {
		log.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(read("intermediate.key"))
	if err != nil {
		log.Fatal(err)
	}
	interKey := k.(crypto.Signer)
	rootDER := read("root.pem")
	issue := func(serial int64, cn string, na time.Time) ([]byte, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(serial),
			Subject:               pkix.Name{CommonName: cn, Organization: []string{"chainscope test"}},
			NotBefore:             from,
			NotAfter:              na,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageDigitalSignature,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, inter, &key.PublicKey, interKey)
		if err != nil {
			log.Fatal(err)
		}
		return der, key
	}
	write("sender-client-ca.pem", certBlock(inter.Raw), certBlock(rootDER))
	sender, key := issue(0x2001, "webhooks.test", to)
	write("client-webhooks.test.pem", certBlock(sender), certBlock(inter.Raw))
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	write("client-webhooks.test.key", &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	evil, _ := issue(0x2002, "webhooks.test.evil.example", to)
	write("client-evil-suffix.pem", certBlock(evil), certBlock(inter.Raw))
	expired, _ := issue(0x2003, "webhooks.test", from.AddDate(0, 6, 0))
	write("client-expired.pem", certBlock(expired), certBlock(inter.Raw))
}
