// Command genhistory writes the history of Mozilla's included CA list, as
// the releases of golang.org/x/crypto/x509roots/fallback carried it, into
// the trust package: mozilla-history.txt (one line per release, one line
// per root with the first and last release that held it) and
// mozilla-removed.pem (the roots the newest release no longer holds, so
// that a chain ending at one can be recognised by signature).
//
// It is run by go generate in inspect/trust:
//
//	go run ./internal/genhistory
//
// The module has no tagged versions, only pseudo-versions, which `go list
// -m -versions` does not list: the releases are read from the module
// proxy's version list ($GOPROXY/<module>/@v/list, the GOPROXY protocol),
// bounded by the version the main module requires (go.mod), and each one
// is fetched with `go mod download`, the ordinary client. -versions names
// extra ones.
//
// The bundle changed shape over the years; every shape is read: PEM blocks
// in generated Go source (2023-2025), bundle.der as concatenated DER
// certificates (2025 on), and the distrustAfter fields of the generated
// tables (2025 on, Mozilla Root Store Policy §7.4).
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

const module = "golang.org/x/crypto/x509roots/fallback"

func main() {
	log.SetFlags(0)
	log.SetPrefix("genhistory: ")
	out := flag.String("out", ".", "directory to write mozilla-history.txt and mozilla-removed.pem into")
	extra := flag.String("versions", "", "comma-separated extra pseudo-versions to read")
	flag.Parse()

	upTo, err := requiredVersion()
	if err != nil {
		log.Fatal(err)
	}
	versions, err := proxyVersions()
	if err != nil {
		log.Fatal(err)
	}
	if *extra != "" {
		versions = append(versions, strings.Split(*extra, ",")...)
	}
	versions = append(versions, upTo)
	var releases []release
	seen := map[string]bool{}
	for _, v := range versions {
		v = strings.TrimSpace(v)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		t, err := pseudoTime(v)
		if err != nil {
			log.Fatal(err)
		}
		ut, _ := pseudoTime(upTo)
		if t.After(ut) {
			continue // newer than the store the binary embeds
		}
		releases = append(releases, release{version: v, date: t})
	}
	slices.SortFunc(releases, func(a, b release) int { return a.date.Compare(b.date) })
	for i := range releases {
		dir, err := download(releases[i].version)
		if err != nil {
			log.Fatal(err)
		}
		roots, err := readBundle(dir)
		if err != nil {
			log.Fatalf("%s: %v", releases[i].version, err)
		}
		if len(roots) < 100 {
			log.Fatalf("%s: only %d roots found; the bundle's shape changed?", releases[i].version, len(roots))
		}
		releases[i].roots = roots
		log.Printf("%s: %d roots", releases[i].version, len(roots))
	}
	if err := write(*out, releases); err != nil {
		log.Fatal(err)
	}
}

type release struct {
	version string
	date    time.Time
	roots   map[[32]byte]*root
}

type root struct {
	cert          *x509.Certificate
	distrustAfter string
}

// requiredVersion is the version of the module the main module requires.
func requiredVersion() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-json", module).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", module, err)
	}
	var m struct{ Version string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("go list -m %s: %w", module, err)
	}
	return m.Version, nil
}

// proxyVersions reads the module's version list from the first proxy of
// GOPROXY.
func proxyVersions() ([]string, error) {
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOPROXY: %w", err)
	}
	proxy, _, _ := strings.Cut(strings.TrimSpace(string(out)), ",")
	proxy, _, _ = strings.Cut(proxy, "|")
	if !strings.HasPrefix(proxy, "http") {
		return nil, fmt.Errorf("GOPROXY %q: need an HTTP proxy to list the module's pseudo-versions", proxy)
	}
	url := strings.TrimSuffix(proxy, "/") + "/" + module + "/@v/list"
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Get(url)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("list versions: %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return strings.Fields(string(body)), nil
}

// pseudoTime is the commit time a pseudo-version encodes
// (vX.Y.Z-yyyymmddhhmmss-abcdef123456, go help modules).
func pseudoTime(v string) (time.Time, error) {
	parts := strings.Split(v, "-")
	if len(parts) < 3 {
		return time.Time{}, fmt.Errorf("%s: not a pseudo-version", v)
	}
	ts := parts[len(parts)-2]
	if i := strings.LastIndexByte(ts, '.'); i >= 0 {
		ts = ts[i+1:]
	}
	t, err := time.Parse("20060102150405", ts)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: not a pseudo-version: %w", v, err)
	}
	return t, nil
}

// download fetches one version through the module proxy and returns its
// directory in the module cache.
func download(v string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", module+"@"+v).Output()
	var m struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &m); jerr != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v %v", module, v, err, jerr)
	}
	if m.Error != "" {
		return "", fmt.Errorf("go mod download: %s", m.Error)
	}
	return m.Dir, nil
}

// readBundle returns every root certificate of one release, by SHA-256.
func readBundle(dir string) (map[[32]byte]*root, error) {
	roots := map[[32]byte]*root{}
	add := func(der []byte) error {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(der)
		if roots[sum] == nil {
			roots[sum] = &root{cert: c}
		}
		return nil
	}
	distrust := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		switch {
		case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			lits, err := stringLiterals(path, data)
			if err != nil {
				return err
			}
			for _, lit := range lits {
				for rest := []byte(lit); ; {
					var b *pem.Block
					b, rest = pem.Decode(rest)
					if b == nil {
						break
					}
					if b.Type == "CERTIFICATE" {
						if err := add(b.Bytes); err != nil {
							return fmt.Errorf("%s: %w", path, err)
						}
					}
				}
			}
			if err := distrustFields(path, data, distrust); err != nil {
				return err
			}
		case strings.HasSuffix(name, ".der"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			s := cryptobyte.String(data)
			for !s.Empty() {
				var cert cryptobyte.String
				if !s.ReadASN1Element(&cert, cbasn1.SEQUENCE) {
					return fmt.Errorf("%s: malformed DER at byte %d", path, len(data)-len(s))
				}
				if err := add(cert); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for sum, r := range roots {
		r.distrustAfter = distrust[hex.EncodeToString(sum[:])]
	}
	return roots, nil
}

// stringLiterals returns the string literals of a Go source file,
// unquoted: the generated bundles keep their PEM blocks in them.
func stringLiterals(path string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	var perr error
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, "BEGIN") {
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				perr = fmt.Errorf("%s: %w", path, err)
				return false
			}
			out = append(out, s)
		}
		return true
	})
	return out, perr
}

// distrustFields reads the generated tables' entries that carry both a
// sha256Hash and a distrustAfter, into m (hex SHA-256 → RFC 3339 time).
func distrustFields(path string, src []byte, m map[string]string) error {
	if !bytes.Contains(src, []byte("distrustAfter")) {
		return nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
	if err != nil {
		return err
	}
	var perr error
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		fields := map[string]string{}
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			k, ok1 := kv.Key.(*ast.Ident)
			v, ok2 := kv.Value.(*ast.BasicLit)
			if !ok1 || !ok2 || v.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(v.Value)
			if err != nil {
				perr = err
				return false
			}
			fields[k.Name] = s
		}
		if h, d := fields["sha256Hash"], fields["distrustAfter"]; h != "" && d != "" {
			if _, err := time.Parse(time.RFC3339, d); err != nil {
				perr = fmt.Errorf("%s: distrustAfter %q: %w", path, d, err)
				return false
			}
			m[strings.ToLower(h)] = d
		}
		return true
	})
	return perr
}

// entry is one root over the releases read.
type entry struct {
	sum           [32]byte
	cert          *x509.Certificate
	first, last   int
	distrustAfter string
}

func write(dir string, releases []release) error {
	if len(releases) == 0 {
		return errors.New("no release read")
	}
	byRoot := map[[32]byte]*entry{}
	for i, r := range releases {
		for sum, rt := range r.roots {
			e := byRoot[sum]
			if e == nil {
				e = &entry{sum: sum, cert: rt.cert, first: i}
				byRoot[sum] = e
			}
			e.last = i
			if rt.distrustAfter != "" {
				e.distrustAfter = rt.distrustAfter
			}
		}
	}
	entries := make([]*entry, 0, len(byRoot))
	for _, e := range byRoot {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b *entry) int {
		if c := strings.Compare(a.cert.Subject.String(), b.cert.Subject.String()); c != 0 {
			return c
		}
		return bytes.Compare(a.sum[:], b.sum[:])
	})

	var txt bytes.Buffer
	fmt.Fprintf(&txt, "# Mozilla's included CA list over time, as the releases of\n# %s carried it.\n", module)
	fmt.Fprintf(&txt, "# Generated by `go generate` (internal/genhistory); do not edit.\n#\n")
	fmt.Fprintf(&txt, "# release<TAB>version<TAB>date (UTC, the pseudo-version's commit time)\n")
	fmt.Fprintf(&txt, "# root<TAB>sha256<TAB>first version<TAB>first date<TAB>last version<TAB>last date<TAB>distrust-after or -<TAB>subject (RFC 4514)\n")
	for _, r := range releases {
		fmt.Fprintf(&txt, "release\t%s\t%s\n", r.version, r.date.Format(time.DateOnly))
	}
	var removed bytes.Buffer
	fmt.Fprintf(&removed, "# Roots that releases of %s held and the newest\n# read (%s) no longer does.\n", module, releases[len(releases)-1].version)
	fmt.Fprintf(&removed, "# Generated by `go generate` (internal/genhistory); do not edit.\n")
	last := len(releases) - 1
	for _, e := range entries {
		d := e.distrustAfter
		if d == "" {
			d = "-"
		}
		subject := e.cert.Subject.String()
		if strings.ContainsAny(subject, "\t\n") {
			return fmt.Errorf("root %x: subject %q holds a tab or newline", e.sum, subject)
		}
		fmt.Fprintf(&txt, "root\t%x\t%s\t%s\t%s\t%s\t%s\t%s\n", e.sum,
			releases[e.first].version, releases[e.first].date.Format(time.DateOnly),
			releases[e.last].version, releases[e.last].date.Format(time.DateOnly), d, subject)
		if e.last < last {
			fmt.Fprintf(&removed, "\n# %s\n# sha256 %x, last held by %s\n", subject, e.sum, releases[e.last].version)
			if err := pem.Encode(&removed, &pem.Block{Type: "CERTIFICATE", Bytes: e.cert.Raw}); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "mozilla-history.txt"), txt.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "mozilla-removed.pem"), removed.Bytes(), 0o644)
}
