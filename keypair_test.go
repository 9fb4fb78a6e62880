package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// TestEncryptedKeys: a passphrase-protected key given to --client-key,
// listen --key or mtls check --ca-key is a usage error that says the key
// is encrypted and how to decrypt it, in PKCS#8 (openssl's default) and
// in the legacy PEM form (Proc-Type: 4,ENCRYPTED).
func TestEncryptedKeys(t *testing.T) {
	t.Parallel()
	openssl := e2e.NeedTool(t, "openssl")
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	root := testpki.Root(t, "Key Test Root")
	leaf := testpki.Leaf(t, root, "key.test", testpki.RSA(2048))
	rootCert := write("root.pem", testpki.PEM(root))
	leafCert := write("leaf.pem", testpki.PEM(leaf))
	plain := write("leaf.key", testpki.KeyPEM(t, leaf))
	rootKey := write("root.key", testpki.KeyPEM(t, root))
	encrypt := func(in, out string, legacy bool) string {
		args := []string{"pkcs8", "-topk8", "-in", in, "-passout", "pass:secret", "-out", filepath.Join(dir, out)}
		if legacy {
			args = []string{"rsa", "-aes256", "-traditional", "-in", in, "-passout", "pass:secret", "-out", filepath.Join(dir, out)}
		}
		if b, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		return filepath.Join(dir, out)
	}
	pkcs8 := encrypt(plain, "leaf-pkcs8.key", false)
	legacy := encrypt(plain, "leaf-legacy.key", true)
	if b, _ := os.ReadFile(legacy); !strings.Contains(string(b), "Proc-Type: 4,ENCRYPTED") {
		t.Fatalf("legacy key is not in the legacy encrypted form:\n%s", b)
	}
	rootPKCS8 := encrypt(rootKey, "root-pkcs8.key", false)
	if b, _ := os.ReadFile(rootPKCS8); !strings.Contains(string(b), "ENCRYPTED PRIVATE KEY") {
		t.Fatalf("root key is not encrypted:\n%s", b)
	}
	tests := []struct {
		name string
		args []string
		key  string
	}{
		{"--client-key PKCS#8", []string{"--json", "--client-cert", leafCert, "--client-key", pkcs8, "127.0.0.1:1"}, pkcs8},
		{"--client-key legacy", []string{"--json", "--client-cert", leafCert, "--client-key", legacy, "127.0.0.1:1"}, legacy},
		{"listen --key", []string{"listen", "127.0.0.1:0", "--cert", leafCert, "--key", pkcs8, "--json"}, pkcs8},
		{"mtls check --ca-key", []string{"mtls", "check", "--json", "--ca-cert", rootCert, "--ca-key", rootPKCS8, "https://127.0.0.1:1/"}, rootPKCS8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.key+" is encrypted") || !strings.Contains(stderr, "openssl pkey -in "+tt.key) {
				t.Errorf("exit %d, stderr %q; want %d saying %s is encrypted and how to decrypt it", code, stderr, exitUsage, tt.key)
			}
		})
	}
}
