// Command hostile-files writes the hostile certificate files of the
// hardening suite into a directory: a 100 MiB file, binary garbage, a key
// alone, broken base64, a certificate with a 1 MiB extension, one with
// 10,000 SANs, and one whose names carry terminal escapes and bidi
// overrides. bench/hostile-files.sh runs chainscope on each.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func main() {
	dir := flag.String("dir", ".", "where to write the files")
	flag.Parse()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(*dir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	cert := func(cn string, dns []string, ext []pkix.Extension) []byte {
		tmpl := &x509.Certificate{
			SerialNumber:    big.NewInt(1),
			Subject:         pkix.Name{CommonName: cn, Organization: []string{cn}},
			NotBefore:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:        time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
			DNSNames:        dns,
			ExtraExtensions: ext,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			log.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	// 100 MiB, sparse: refused by size before anything is read.
	f, err := os.Create(filepath.Join(*dir, "huge-100mib.pem"))
	if err != nil {
		log.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		log.Fatal(err)
	}
	f.Close()
	garbage := make([]byte, 1<<20)
	_, _ = rand.Read(garbage)
	write("binary-garbage.bin", garbage)
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	write("key-only.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
	write("broken-base64.pem", append(cert("ok.test", []string{"ok.test"}, nil), "-----BEGIN CERTIFICATE-----\n%%%not base64%%%\n-----END CERTIFICATE-----\n"...))
	big, _ := asn1.Marshal(make([]byte, 1<<20))
	write("huge-extension.pem", cert("huge.test", []string{"huge.test"}, []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Value: big}}))
	sans := make([]string, 10000)
	for i := range sans {
		sans[i] = fmt.Sprintf("host%05d.example.test", i)
	}
	write("sans-10000.pem", cert("many.test", sans, nil))
	write("escapes-in-names.pem", cert("evil\x1b]0;pwned\x07\x1b[2J\u202eexample.test", []string{"evil.test"}, nil))
}
