// Command gen writes the generated test PKI under testdata/: a root, an
// intermediate and leaves for example.test, and chains cut from them in
// every shape the checks judge. Run it from the repository root with
// `go run ./testdata/gen`; the certificates are valid 2026-01-01 to
// 2036-01-01 and the tests pin their clock inside that.
package main

import (
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

type cert struct {
	x   *x509.Certificate
	key *ecdsa.PrivateKey
}

var serial int64

func issue(parent *cert, cn string, ca bool, dns []string, nb, na time.Time) *cert {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0x1000 + serial),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"chainscope test"}},
		NotBefore:             nb,
		NotAfter:              na,
		BasicConstraintsValid: true,
		IsCA:                  ca,
		DNSNames:              dns,
	}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	}
	pc, pk := tmpl, key
	if parent != nil {
		pc, pk = parent.x, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pc, &key.PublicKey, pk)
	if err != nil {
		log.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	return &cert{x, key}
}

func write(name string, certs ...*cert) {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.x.Raw})...)
	}
	if err := os.WriteFile(filepath.Join("testdata", name), out, 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeKey(name string, c *cert) {
	der, err := x509.MarshalPKCS8PrivateKey(c.key)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", name), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	root := issue(nil, "chainscope Test Root", true, nil, from, to)
	inter := issue(root, "chainscope Test Intermediate", true, nil, from, to)
	leaf := issue(inter, "example.test", false, []string{"example.test", "www.example.test"}, from, to)
	expired := issue(inter, "example.test", false, []string{"example.test"}, from, from.AddDate(0, 6, 0))
	self := issue(nil, "example.test", false, []string{"example.test"}, from, to)
	other := issue(root, "chainscope Other Intermediate", true, nil, from, to)

	write("root.pem", root)
	writeKey("root.key", root)
	write("intermediate.pem", inter)
	writeKey("intermediate.key", inter)
	writeKey("leaf.key", leaf)
	write("chain-ok.pem", leaf, inter)
	write("chain-with-root.pem", leaf, inter, root)
	write("chain-out-of-order.pem", leaf, root, inter)
	write("chain-reversed.pem", inter, leaf)
	write("chain-missing-intermediate.pem", leaf)
	write("chain-duplicate.pem", leaf, inter, inter)
	write("chain-unrelated-extra.pem", leaf, inter, other)
	write("leaf-expired.pem", expired, inter)
	write("leaf-self-signed.pem", self)
	writeKey("leaf-self-signed.key", self)
}
