package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFileAtomic: a new file gets 0644; an existing one is replaced
// whole and keeps its permission bits; a symbolic link is followed and
// stays a link; a missing directory is an error naming the file; no
// temporary file is left behind either way.
func TestWriteFileAtomic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	check := func(name, want string, perm os.FileMode) {
		t.Helper()
		got, err := os.ReadFile(name)
		if err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", name, got, err, want)
		}
		if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != perm {
			t.Errorf("%s mode = %v (%v), want %v", name, fi.Mode().Perm(), err, perm)
		}
	}
	fresh := filepath.Join(dir, "fresh.pem")
	if err := writeFileAtomic(fresh, []byte("new")); err != nil {
		t.Fatal(err)
	}
	check(fresh, "new", 0o644)

	old := filepath.Join(dir, "old.pem")
	if err := os.WriteFile(old, []byte("old contents, longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(old, []byte("repaired")); err != nil {
		t.Fatal(err)
	}
	check(old, "repaired", 0o600)

	link := filepath.Join(dir, "link.pem")
	if err := os.Symlink("old.pem", link); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(link, []byte("through the link")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (%v)", link, err)
	}
	check(old, "through the link", 0o600)

	missing := filepath.Join(dir, "no-such-dir", "x.pem")
	if err := writeFileAtomic(missing, []byte("x")); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("writeFileAtomic(%s) = %v, want an error naming it", missing, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
