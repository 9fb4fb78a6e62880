package trust

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMozilla(t *testing.T) {
	t.Parallel()
	s, err := Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() < 100 {
		t.Errorf("mozilla store has %d roots, want over 100", s.Len())
	}
	if !strings.HasPrefix(s.Label(), "mozilla (golang.org/x/crypto/x509roots/fallback ") {
		t.Errorf("Label() = %q, want the bundle module and version", s.Label())
	}
	constrained := 0
	for _, r := range s.Roots() {
		if got := s.Find(r.Cert); got != r {
			t.Errorf("Find(%s) = %v, want the root itself", r.Cert.Subject, got)
		}
		if r.Constraint == nil {
			continue
		}
		constrained++
		// A distrust-after root refuses a chain issued after its date and
		// accepts one issued long before it.
		late := &x509.Certificate{NotBefore: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
		early := &x509.Certificate{NotBefore: r.Cert.NotBefore}
		if r.Constraint([]*x509.Certificate{late, r.Cert}) == nil {
			t.Errorf("%s: constraint accepts a certificate issued in 2100", r.Cert.Subject)
		}
		if err := r.Constraint([]*x509.Certificate{early}); err != nil {
			t.Errorf("%s: constraint refuses a certificate issued with the root: %v", r.Cert.Subject, err)
		}
	}
	t.Logf("%d roots, %d with distrust-after", s.Len(), constrained)
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	s, err := LoadFile("../../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 || s.Label() != "file (../../testdata/root.pem, 1 root)" {
		t.Errorf("LoadFile() = %d roots, label %q", s.Len(), s.Label())
	}
	chain, err := LoadFile("../../testdata/chain-ok.pem")
	if err != nil || chain.Len() != 2 {
		t.Fatalf("LoadFile(chain-ok.pem) = %v, %v", chain, err)
	}
	// The intermediate was signed by the root: Named finds the root by
	// the intermediate's issuer name; the root is its own anchor.
	root := s.Roots()[0].Cert
	var intCert *x509.Certificate
	for _, r := range chain.Roots() {
		if r.Cert.IsCA {
			intCert = r.Cert
		}
	}
	if got := s.Named(intCert.RawIssuer); len(got) != 1 || !got[0].Cert.Equal(root) {
		t.Errorf("Named(intermediate's issuer) = %v, want the test root", got)
	}
	if s.Find(intCert) != nil {
		t.Errorf("Find(intermediate) found a root")
	}

	dir := t.TempDir()
	for name, data := range map[string]string{"empty.pem": "", "garbage.pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFile(p); err == nil || !strings.HasPrefix(err.Error(), "roots "+p) {
			t.Errorf("LoadFile(%s) error = %v, want one naming the file", name, err)
		}
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.pem")); err == nil {
		t.Errorf("LoadFile(missing) succeeded")
	}
}

func TestSystemFromSSLCertFile(t *testing.T) {
	t.Setenv("SSL_CERT_FILE", "../../testdata/root.pem")
	s, err := System()
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "system" || s.Len() != 1 || !strings.Contains(s.Version, "root.pem of ") {
		t.Errorf("System() = %s, %d roots", s.Label(), s.Len())
	}
}

// TestBundleSkipsUnparseable: one certificate a bundle cannot parse is
// skipped and counted, and the store line says so, instead of the whole
// store failing.
func TestBundleSkipsUnparseable(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../testdata/root.pem")
	if err != nil {
		t.Fatal(err)
	}
	bad := "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n"
	s := ParseBundle("file", "bundle.pem", append([]byte(bad), data...))
	if s.Len() != 1 || s.Skipped != 1 {
		t.Fatalf("ParseBundle() = %d roots, %d skipped, want 1 and 1", s.Len(), s.Skipped)
	}
	if want := "1 root, 1 certificate skipped: it does not parse"; !strings.Contains(s.Label(), want) {
		t.Errorf("Label() = %q, want it to say %q", s.Label(), want)
	}
	path := filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(path, append([]byte(bad), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadFile(path); err != nil || s.Len() != 1 {
		t.Errorf("LoadFile() = %v, %v, want the one good root", s, err)
	}
}
