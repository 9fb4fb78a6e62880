// Package trust holds the trust stores a chain is judged against: Mozilla's
// included CA list embedded in the binary (from
// golang.org/x/crypto/x509roots/fallback/bundle, with its distrust-after
// constraints), the operating system's store, or a PEM bundle file.
//
// A [Store] answers the two questions chain analysis asks: is this
// certificate a root of the store, and which roots of the store signed it.
package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// Root is one trust anchor of a store.
type Root struct {
	Cert *x509.Certificate
	// Constraint, when set, must accept a chain ending at this root: the
	// Mozilla store uses it for distrust-after dates (a root whose TLS
	// trust ends for certificates issued after a date).
	Constraint func([]*x509.Certificate) error
}

// Store is a set of trust anchors with a name that says which and how fresh.
type Store struct {
	// Name is "mozilla", "system" or the file the roots came from.
	Name string
	// Version says how fresh the store is: the module version of the
	// embedded bundle, or the file it was read from.
	Version string
	// Module and ModuleVersion name the Go module the embedded Mozilla
	// roots come from; empty for other stores.
	Module, ModuleVersion string
	// File is the bundle file a system or file store was read from.
	File string
	// Date is the day the roots are from, YYYY-MM-DD: the commit date of
	// the Mozilla bundle's pseudo-version, or the modification date of
	// the system bundle; empty when unknown or for a file store.
	Date    string
	roots   []*Root
	history *History
	// Skipped counts the certificates of a bundle that did not parse.
	Skipped int
	// bySubject indexes roots by raw subject, for issuer look-ups.
	bySubject map[string][]*Root
}

// Label names the store and its version for a report, e.g.
// "mozilla (golang.org/x/crypto/x509roots/fallback v0.0.0-…, 146 roots)".
func (s *Store) Label() string {
	n := fmt.Sprintf("%d roots", len(s.roots))
	if len(s.roots) == 1 {
		n = "1 root"
	}
	switch {
	case s.Skipped == 1:
		n += ", 1 certificate skipped: it does not parse"
	case s.Skipped > 1:
		n += fmt.Sprintf(", %d certificates skipped: they do not parse", s.Skipped)
	}
	return fmt.Sprintf("%s (%s, %s)", s.Name, s.Version, n)
}

// History returns Mozilla's list over time for the [Mozilla] store, nil
// for any other.
func (s *Store) History() *History { return s.history }

// Len returns the number of roots.
func (s *Store) Len() int { return len(s.roots) }

// Roots returns the roots of the store, in the order they were added.
func (s *Store) Roots() []*Root { return append([]*Root(nil), s.roots...) }

// New returns a store of the given roots.
func New(name, version string, roots []*Root) *Store {
	s := &Store{Name: name, Version: version, bySubject: make(map[string][]*Root)}
	for _, r := range roots {
		s.add(r)
	}
	return s
}

func (s *Store) add(r *Root) {
	for _, o := range s.bySubject[string(r.Cert.RawSubject)] {
		if bytes.Equal(o.Cert.Raw, r.Cert.Raw) {
			return
		}
	}
	s.roots = append(s.roots, r)
	s.bySubject[string(r.Cert.RawSubject)] = append(s.bySubject[string(r.Cert.RawSubject)], r)
}

// Find returns the root that is the same trust anchor as c: the same subject
// and the same public key (a presented root, or a cross-signed version of a
// store root, which anchors the path just as well). It returns nil when c is
// not a root of the store.
func (s *Store) Find(c *x509.Certificate) *Root {
	for _, r := range s.bySubject[string(c.RawSubject)] {
		if bytes.Equal(r.Cert.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) {
			return r
		}
	}
	return nil
}

// Named returns the roots whose subject is the given raw (DER) name, in
// the order they were added: the candidates for the issuer of a
// certificate whose issuer is that name. Signatures are the caller's to
// check.
func (s *Store) Named(rawSubject []byte) []*Root {
	return s.bySubject[string(rawSubject)]
}

// bundleModule is the module that embeds Mozilla's roots.
const bundleModule = "golang.org/x/crypto/x509roots/fallback"

// Mozilla returns the roots of Mozilla's included CA list embedded in the
// binary, with their distrust-after constraints. The version is the module
// version of the bundle, read from the build information.
func Mozilla() (*Store, error) {
	var roots []*Root
	for r := range bundle.Roots() {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			return nil, fmt.Errorf("embedded mozilla roots: %w", err)
		}
		roots = append(roots, &Root{Cert: c, Constraint: r.Constraint})
	}
	module, version := bundleVersion()
	label := bundleModule + " (version unknown)"
	if version != "" {
		label = module + " " + version
	}
	s := New("mozilla", label, roots)
	s.Module, s.ModuleVersion, s.Date = module, version, pseudoVersionDate(version)
	h, err := MozillaHistory()
	if err != nil {
		return nil, err
	}
	s.history = h
	return s, nil
}

// bundleVersion returns the module the embedded roots come from and its
// version, from the build information; the version is empty when unknown.
func bundleVersion() (module, version string) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == bundleModule {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Path, d.Version
			}
		}
	}
	return bundleModule, ""
}

// pseudoVersionDate returns the commit date of a Go pseudo-version
// ("v0.0.0-20261030153154-30a33513ff6d" is 2026-10-30), or "" for a
// release version. The form is Go's (go.dev/ref/mod#pseudo-versions): the
// second-to-last dash-separated part ends in a 14-digit UTC timestamp.
func pseudoVersionDate(v string) string {
	parts := strings.Split(strings.TrimSuffix(v, "+incompatible"), "-")
	if len(parts) < 3 {
		return ""
	}
	ts := parts[len(parts)-2]
	if i := strings.LastIndexByte(ts, '.'); i >= 0 {
		ts = ts[i+1:] // vX.Y.(Z+1)-0.yyyymmddhhmmss-hash
	}
	t, err := time.Parse("20060102150405", ts)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// systemFiles and systemDirs are where Debian, Fedora, Alpine and the BSDs
// keep their roots; the same list crypto/x509 reads on Linux.
var systemFiles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// System returns the operating system's roots, from SSL_CERT_FILE when set
// or the first bundle file found in the usual places.
func System() (*Store, error) {
	files := systemFiles
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		files = []string{f}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		version, date := f, ""
		if fi, err := os.Stat(f); err == nil {
			date = fi.ModTime().UTC().Format("2006-01-02")
			version += " of " + date
		}
		if s := ParseBundle("system", version, data); s.Len() > 0 {
			s.File, s.Date = f, date
			return s, nil
		}
	}
	return nil, errors.New("system roots: no CA bundle found (set SSL_CERT_FILE, or use --roots mozilla)")
}

// maxBundle bounds a roots file; the whole public web needs under 1 MiB.
const maxBundle = 32 << 20

// LoadFile returns a store of the certificates in a PEM bundle file; it
// replaces the store rather than adding to it.
func LoadFile(path string) (*Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("roots file %s: %w", path, err)
	}
	if fi.Size() > maxBundle {
		return nil, fmt.Errorf("roots %s: %d bytes, more than the %d a bundle may have", path, fi.Size(), maxBundle)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("roots file %w", err)
	}
	s := ParseBundle("file", path, data)
	if s.Len() == 0 {
		return nil, fmt.Errorf("roots %s: no PEM certificate found", path)
	}
	s.File = path
	return s, nil
}

// ParseBundle returns a store of the certificates in a PEM bundle (the
// form of --roots FILE and of the system's ca-certificates file). Blocks
// of other types are ignored; a certificate that does not parse is skipped
// and counted in [Store.Skipped], as OpenSSL and Go's system pool skip
// what they cannot read, so one odd certificate does not cost the whole
// store.
func ParseBundle(name, version string, data []byte) *Store {
	var roots []*Root
	skipped := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			skipped++
			continue
		}
		roots = append(roots, &Root{Cert: c})
	}
	s := New(name, version, roots)
	s.Skipped = skipped
	return s
}
