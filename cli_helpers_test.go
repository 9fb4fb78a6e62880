package main

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"chainscope/internal/testpki"
)

func pemToDER(t *testing.T, b []byte) []byte {
	t.Helper()
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block")
	}
	return blk.Bytes
}

// chainAndRootFiles writes leaf as chain.pem and root as root.pem in a
// fresh temporary directory and returns their paths.
func chainAndRootFiles(t *testing.T, leaf, root *testpki.Cert) (chainFile, rootFile string) {
	t.Helper()
	dir := t.TempDir()
	chainFile, rootFile = filepath.Join(dir, "chain.pem"), filepath.Join(dir, "root.pem")
	for name, c := range map[string]*testpki.Cert{chainFile: leaf, rootFile: root} {
		if err := os.WriteFile(name, testpki.PEM(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return chainFile, rootFile
}
