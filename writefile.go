package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// writeFileAtomic writes data to name so that a reader (the web server
// reloading its certificate file) sees the old file or the new one whole,
// never a partial write: the bytes go to a temporary file in the same
// directory, synced, then renamed over name (rename(2) is atomic within a
// file system). A symbolic link at name is followed, so the file it points
// to is replaced and the link stays; an existing file keeps its permission
// bits, a new one gets 0644. Errors are *fs.PathError naming name (callers
// tell "could not write" from a failing verdict by that type); nothing is
// left behind on failure.
func writeFileAtomic(name string, data []byte) error {
	target := name
	if resolved, err := filepath.EvalSymlinks(name); err == nil {
		target = resolved
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return &fs.PathError{Op: "rename", Path: name, Err: errors.Unwrap(err)}
	}
	return nil
}
