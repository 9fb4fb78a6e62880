package certfile

import (
	"bytes"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"chainscope/internal/testpki"
)

func TestParse(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Root")
	leaf := testpki.Leaf(t, root, "leaf.test")
	chain := testpki.PEM(leaf, root)
	keyBlock := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("secret key bytes")})
	crlf := bytes.ReplaceAll(chain, []byte("\n"), []byte("\r\n"))
	broken := append(testpki.PEM(leaf), []byte("-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n")...)
	badCert := append(testpki.PEM(leaf), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}})...)
	concatDER := append(append([]byte{}, leaf.Cert.Raw...), root.Cert.Raw...)
	// The usual cat of files without a final newline.
	glued := bytes.Replace(chain, []byte("-----END CERTIFICATE-----\n-----BEGIN"), []byte("-----END CERTIFICATE----------BEGIN"), 1)
	// One base64 character of the second block replaced by one outside the
	// alphabet.
	badChar := append([]byte{}, chain...)
	second := bytes.Index(badChar[1:], []byte("-----BEGIN")) + 1
	badChar[second+len("-----BEGIN CERTIFICATE-----\n")+10] = '%'

	csr := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte("csr")})
	tests := []struct {
		name     string
		data     []byte
		certs    int
		skipped  int
		err      string
		sentinel error // the error matches it with errors.Is
	}{
		{"pem one", testpki.PEM(leaf), 1, 0, "", nil},
		{"pem chain", chain, 2, 0, "", nil},
		{"text around blocks", append(append([]byte("subject=CN=leaf\nissuer=CN=root\n"), chain...), "trailing words\n"...), 2, 0, "", nil},
		{"crlf", crlf, 2, 0, "", nil},
		{"key block skipped", append(append([]byte{}, chain...), keyBlock...), 2, 1, "", nil},
		{"der one", leaf.Cert.Raw, 1, 0, "", nil},
		{"der concatenated", concatDER, 2, 0, "", nil},
		{"broken base64", broken, 0, 0, "x.pem: block 2 (CERTIFICATE, lines 13-15): does not decode: bad base64", ErrFormat},
		{"one bad character in an intermediate", badChar, 0, 0, "x.pem: block 2 (CERTIFICATE, lines 13-", ErrFormat},
		{"malformed certificate", badCert, 0, 0, "x.pem: block 2 (CERTIFICATE, lines 13-15): malformed certificate", ErrFormat},
		{"END glued to BEGIN", glued, 0, 0, "x.pem: line 12: the END line of block 1 and the next BEGIN line are glued together (files joined without a final newline): put a newline after line 12's \"-----END CERTIFICATE-----\"", ErrFormat},
		{"no END line", []byte("-----BEGIN CERTIFICATE-----\nMIIB\n"), 0, 0, "x.pem: block 1 (CERTIFICATE, line 1) has no END line", ErrFormat},
		{"BEGIN inside a block", append([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n"), chain...), 0, 0, "x.pem: line 3: block 1 (CERTIFICATE, line 1) has no END line before the next BEGIN", ErrFormat},
		{"END of another type", []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n"), 0, 0, "x.pem: line 3: block 1 (CERTIFICATE, line 1) ends with", ErrFormat},
		{"copies parsed once", append(append([]byte{}, testpki.PEM(leaf)...), testpki.PEM(leaf, leaf)...), 3, 0, "", nil},
		{"empty", nil, 0, 0, "x.pem: empty", ErrFormat},
		{"garbage", []byte("\x00\x01binary garbage"), 0, 0, "x.pem: neither PEM nor DER", ErrFormat},
		{"truncated der", leaf.Cert.Raw[:100], 0, 0, "x.pem: certificate 1: malformed DER", ErrFormat},
		{"only a key", keyBlock, 0, 0, "x.pem: this is a private key (PRIVATE KEY), not a certificate", ErrPrivateKey},
		{"a request and a key", append(append([]byte{}, csr...), keyBlock...), 0, 0, "x.pem: this is a private key", ErrPrivateKey},
		{"only a request", csr, 0, 0, "x.pem: no certificate among its PEM blocks (CERTIFICATE REQUEST)", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse("x.pem", tt.data)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("Parse() error = %v, want prefix %q", err, tt.err)
				}
				if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
					t.Errorf("Parse() error = %v, want it to match %v", err, tt.sentinel)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if len(f.Certificates) != tt.certs || len(f.Skipped) != tt.skipped {
				t.Fatalf("Parse() = %d certs %d skipped, want %d, %d", len(f.Certificates), len(f.Skipped), tt.certs, tt.skipped)
			}
			if !bytes.Equal(f.Certificates[0].Raw, leaf.Cert.Raw) {
				t.Errorf("certificate 0 is not the leaf")
			}
			if tt.name == "copies parsed once" && (f.Certificates[0] != f.Certificates[1] || f.Certificates[1] != f.Certificates[2]) {
				t.Errorf("copies of one certificate were parsed apart")
			}
			for _, s := range f.Skipped {
				if strings.Contains(s, "secret") {
					t.Errorf("skipped note leaks the key: %q", s)
				}
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	t.Parallel()
	_, err := Read("big.pem", bytes.NewReader(make([]byte, MaxSize+1)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Read(16 MiB + 1) error = %v, want ErrTooLarge", err)
	}
}

// FuzzParse feeds arbitrary bytes to the file parser, seeded from the
// committed test chains (small ECDSA ones: real multi-kilobyte chains slow
// the fuzzer's mutator to a crawl): it must never panic, and what it
// returns is bounded.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../../testdata/chain-ok.pem", "../../testdata/chain-duplicate.pem"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
			if b, _ := pem.Decode(data); b != nil {
				f.Add(b.Bytes)
			}
		}
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x82, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz", data)
		if err == nil && (len(file.Certificates) == 0 || len(file.Certificates) > MaxCertificates) {
			t.Fatalf("Parse() = %d certificates without error", len(file.Certificates))
		}
	})
}

// TestDERTrailingBytes: a DER certificate whose last byte is a space or a
// newline parses whole, and a newline after it is allowed.
func TestDERTrailingBytes(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Root")
	for i := 0; i < 4096; i++ {
		leaf := testpki.Leaf(t, root, "leaf.test")
		last := leaf.Cert.Raw[len(leaf.Cert.Raw)-1]
		if last != ' ' && last != '\n' && last != '\r' && last != '\t' {
			continue
		}
		for _, data := range [][]byte{leaf.Cert.Raw, append(append([]byte{}, leaf.Cert.Raw...), '\n')} {
			f, err := Parse("x.der", data)
			if err != nil || len(f.Certificates) != 1 {
				t.Fatalf("Parse(DER ending in 0x%02x) = %v, %v", last, f, err)
			}
		}
		return
	}
	// (252/256)^4096 is about e^-64: this does not happen.
	t.Fatal("no certificate ending in white space came up in 4096 tries")
}
