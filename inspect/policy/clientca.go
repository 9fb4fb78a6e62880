package policy

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"chainscope/inspect/certfile"
)

// What the receiving side of mutual TLS asks of the client chains: the
// chains of one region, the CAs a server's CA file holds, the depth it
// verifies to (chainscope mtls, --as client, listen).

// RegionAll selects the chains of every region in [ClientAuth.CurrentIn].
const RegionAll = "all"

// ErrNoClientChains says a policy has no client chain for what was asked:
// no chains at all, none in the region, or none in use at the time.
var ErrNoClientChains = errors.New("no client chain")

// CAs returns the CAs of the chain a server's CA file holds, the issuing CA
// first: the intermediate (when known), then the root.
func (c ClientChain) CAs() []*x509.Certificate {
	if c.Intermediate == nil {
		return []*x509.Certificate{c.Root}
	}
	return []*x509.Certificate{c.Intermediate, c.Root}
}

// Regions lists the regions of the chains, in the order they first appear.
func (a ClientAuth) Regions() []string {
	var out []string
	for _, c := range a.Chains {
		if !slices.Contains(out, c.Region) {
			out = append(out, c.Region)
		}
	}
	return out
}

// CurrentIn returns the chains in use at t ([ClientAuth.Current]) in
// region, compared without case ("us" is "US"); [RegionAll] or "" selects
// every region.
func (a ClientAuth) CurrentIn(t time.Time, region string) []ClientChain {
	var out []ClientChain
	for _, c := range a.Current(t) {
		if region == "" || region == RegionAll || strings.EqualFold(c.Region, region) {
			out = append(out, c)
		}
	}
	return out
}

// RequireClientChains returns the client chains in use at t in region, or
// an error wrapping [ErrNoClientChains] that says what the policy lacks.
func (p *Policy) RequireClientChains(t time.Time, region string) ([]ClientChain, error) {
	a := p.ClientAuth
	if len(a.Chains) == 0 {
		return nil, fmt.Errorf("policy %s: %w: give it client_auth.chains with the sender's CAs (a ca_file, or root and intermediate PEM)", p.Name, ErrNoClientChains)
	}
	if region != "" && region != RegionAll && !slices.ContainsFunc(a.Regions(), func(r string) bool { return strings.EqualFold(r, region) }) {
		return nil, fmt.Errorf("policy %s: region %q: %w (its regions: %s)", p.Name, region, ErrNoClientChains, strings.ToLower(strings.Join(a.Regions(), ", ")))
	}
	chains := a.CurrentIn(t, region)
	if len(chains) == 0 {
		return nil, fmt.Errorf("policy %s: %w in use at %s", p.Name, ErrNoClientChains, t.UTC().Format(time.RFC3339))
	}
	return chains, nil
}

// VerifyDepthFor is the verification depth chains need, counted as the
// seed counts it (and Apache's SSLVerifyDepth): the certificates above the
// client certificate, the root included. It is VerifyDepth when set, else
// the longest of chains' CAs.
func (a ClientAuth) VerifyDepthFor(chains []ClientChain) int {
	if a.VerifyDepth > 0 {
		return a.VerifyDepth
	}
	d := 0
	for _, c := range chains {
		d = max(d, len(c.CAs()))
	}
	return d
}

// Limits of a client CA file.
const maxClientCAFile = 1 << 20

// readCAFile reads the ca_file of a chain in a policy file: PEM holding the
// root alone, or the intermediate that issues the client certificate, then
// the root. A relative path is read from dir, the policy file's directory.
func readCAFile(path, dir string) (inter, root *x509.Certificate, err error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: not a regular file", path)
	}
	// Bounded by what is read, not by what Stat says.
	data, err := io.ReadAll(io.LimitReader(f, maxClientCAFile+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxClientCAFile {
		return nil, nil, fmt.Errorf("%s: more than %d KiB", path, maxClientCAFile>>10)
	}
	cf, err := certfile.Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	certs := cf.Certificates
	if len(certs) == 0 || len(certs) > 2 {
		return nil, nil, fmt.Errorf("%s: %d certificates; want the root, or the intermediate then the root", path, len(certs))
	}
	root = certs[len(certs)-1]
	// A root's own signature is never checked by verifiers (and old roots
	// sign themselves with SHA-1, which crypto/x509 refuses): self-issued
	// is what makes it one.
	if !root.IsCA || !bytes.Equal(root.RawIssuer, root.RawSubject) {
		return nil, nil, fmt.Errorf("%s: the last certificate (%s) is not a self-signed root", path, root.Subject)
	}
	if len(certs) == 2 {
		inter = certs[0]
		if !inter.IsCA || inter.CheckSignatureFrom(root) != nil {
			return nil, nil, fmt.Errorf("%s: the first certificate (%s) is not a CA issued by the root (%s)", path, inter.Subject, root.Subject)
		}
	}
	return inter, root, nil
}
