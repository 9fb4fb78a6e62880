package trust

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
	"time"
)

//go:generate go run ./internal/genhistory

// historyTxt is one line per release read and one line per root, written by
// internal/genhistory from the releases of
// golang.org/x/crypto/x509roots/fallback.
//
//go:embed mozilla-history.txt
var historyTxt []byte

// removedPEM holds the roots the newest release read no longer holds, so a
// chain ending at one is recognised by signature, not by name.
//
//go:embed mozilla-removed.pem
var removedPEM []byte

// Release is one release of golang.org/x/crypto/x509roots/fallback, the
// module that carries Mozilla's included CA list for Go; Date is its
// pseudo-version's commit time (UTC), when Go's copy of the list was taken.
type Release struct {
	Version string
	Date    time.Time
}

// PastRoot is one root as the releases of Mozilla's list held it.
type PastRoot struct {
	// SHA256 is the hex SHA-256 of the root's DER; Subject its RFC 4514
	// name.
	SHA256  string
	Subject string
	// First and Last are the oldest and the newest release read that held
	// the root (it may have been missing from some in between).
	First, Last Release
	// Removed is the first release after Last, which no longer holds the
	// root; nil when Last is the newest release read.
	Removed *Release
	// DistrustAfter is the distrust-after date a release carried for the
	// root (Mozilla Root Store Policy §7.4: certificates issued after it
	// are not trusted); zero when none did.
	DistrustAfter time.Time
	// Cert is the root certificate; set for roots the newest release no
	// longer holds.
	Cert *x509.Certificate
}

// OldestRead reports whether First is the oldest release the history was
// read from: the root was in the list since then at least.
func (h *History) OldestRead(r *PastRoot) bool {
	return len(h.Releases) > 0 && r.First.Version == h.Releases[0].Version
}

// History is Mozilla's included CA list over time, from the releases of
// golang.org/x/crypto/x509roots/fallback read by go generate (see
// internal/genhistory). It answers one question the current list cannot:
// is this a root Mozilla used to include, and since when is it gone.
type History struct {
	// Releases are the releases read, oldest first.
	Releases []Release
	bySHA    map[string]*PastRoot
	// removed indexes the roots the newest release no longer holds by raw
	// subject.
	removed map[string][]*PastRoot
}

// MozillaHistory returns the history embedded in the binary. The
// [Mozilla] store carries it too ([Store.History]).
func MozillaHistory() (*History, error) {
	return parseHistory(historyTxt, removedPEM)
}

func parseHistory(txt, removed []byte) (*History, error) {
	h := &History{bySHA: map[string]*PastRoot{}, removed: map[string][]*PastRoot{}}
	releases := map[string]Release{}
	sc := bufio.NewScanner(bytes.NewReader(txt))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "release" && len(f) == 3:
			d, err := time.Parse(time.DateOnly, f[2])
			if err != nil {
				return nil, fmt.Errorf("mozilla history: line %d: %w", n, err)
			}
			r := Release{Version: f[1], Date: d}
			h.Releases = append(h.Releases, r)
			releases[r.Version] = r
		case f[0] == "root" && len(f) == 8:
			first, ok1 := releases[f[2]]
			last, ok2 := releases[f[4]]
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("mozilla history: line %d: unknown release", n)
			}
			r := &PastRoot{SHA256: f[1], Subject: f[7], First: first, Last: last}
			if f[6] != "-" {
				d, err := time.Parse(time.RFC3339, f[6])
				if err != nil {
					return nil, fmt.Errorf("mozilla history: line %d: %w", n, err)
				}
				r.DistrustAfter = d
			}
			for i, rel := range h.Releases {
				if rel.Version == last.Version && i+1 < len(h.Releases) {
					next := h.Releases[i+1]
					r.Removed = &next
				}
			}
			h.bySHA[r.SHA256] = r
		default:
			return nil, fmt.Errorf("mozilla history: line %d: malformed", n)
		}
	}
	for rest := removed; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("mozilla removed roots: %w", err)
		}
		r := h.bySHA[sha256Hex(c.Raw)]
		if r == nil || r.Removed == nil {
			return nil, fmt.Errorf("mozilla removed roots: %s is not a removed root of the history", c.Subject)
		}
		r.Cert = c
		h.removed[string(c.RawSubject)] = append(h.removed[string(c.RawSubject)], r)
	}
	return h, nil
}

// ByHash returns the root whose DER has this hex SHA-256, or nil.
func (h *History) ByHash(sha256 string) *PastRoot { return h.bySHA[strings.ToLower(sha256)] }

// Former returns the removed root that c is (same subject and public key:
// the root itself or a re-signed copy), or nil.
func (h *History) Former(c *x509.Certificate) *PastRoot {
	for _, r := range h.removed[string(c.RawSubject)] {
		if bytes.Equal(r.Cert.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) {
			return r
		}
	}
	return nil
}

// FormerIssuer returns the removed root that signed c (names chain and the
// signature verifies), or nil.
func (h *History) FormerIssuer(c *x509.Certificate) *PastRoot {
	for _, r := range h.removed[string(c.RawIssuer)] {
		// CheckSignature, unlike CheckSignatureFrom, accepts SHA-1, as the
		// chain analysis does: the issuer is found, weakness is judged
		// elsewhere (cert.strength).
		if r.Cert.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil {
			return r
		}
	}
	return nil
}

func sha256Hex(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}
