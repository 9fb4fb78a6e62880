package policy

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"chainscope/inspect/wire"
)

// maxPolicyFile bounds a policy file; real ones are a few KiB.
const maxPolicyFile = 1 << 20

// file is a policy as JSON: every code point by its IANA name, so a person
// can write and review one.
type file struct {
	Name         string      `json:"name"`
	Description  string      `json:"description,omitempty"`
	Reference    string      `json:"reference,omitempty"`
	Versions     []string    `json:"versions"`
	CipherSuites []string    `json:"cipher_suites"`
	ClientHello  helloFile   `json:"client_hello"`
	Roots        string      `json:"roots,omitempty"`
	RequireOrder bool        `json:"require_order"`
	ClientAuth   *clientFile `json:"client_auth,omitempty"`
}

type helloFile struct {
	ExtensionOrder       []string `json:"extension_order,omitempty"`
	PointFormats         []uint8  `json:"point_formats,omitempty"`
	RecordVersion        string   `json:"record_version,omitempty"`
	Groups               []string `json:"groups"`
	SignatureAlgorithms  []string `json:"signature_algorithms"`
	ExtendedMasterSecret bool     `json:"extended_master_secret"`
	RenegotiationInfo    bool     `json:"renegotiation_info"`
	StatusRequest        bool     `json:"status_request"`
}

type clientFile struct {
	CASubject    string      `json:"ca_subject,omitempty"`
	Intermediate string      `json:"intermediate,omitempty"`
	VerifyDepth  int         `json:"verify_depth"`
	SubjectCN    string      `json:"subject_cn,omitempty"`
	Chains       []chainFile `json:"chains,omitempty"`
}

// chainFile is a ClientChain with its certificates as PEM and its dates
// as RFC 3339.
type chainFile struct {
	Name         string     `json:"name"`
	Region       string     `json:"region,omitempty"`
	CN           string     `json:"cn"`
	From         *time.Time `json:"from,omitempty"`
	Until        *time.Time `json:"until,omitempty"`
	Leaf         string     `json:"leaf,omitempty"`
	Intermediate string     `json:"intermediate,omitempty"`
	Root         string     `json:"root,omitempty"`
	RootURL      string     `json:"root_url,omitempty"`
	// CAFile names a PEM file holding the root, or the intermediate then
	// the root, instead of Intermediate and Root; relative to the policy
	// file (see readCAFile).
	CAFile string `json:"ca_file,omitempty"`
	Source string `json:"source,omitempty"`
}

// Load reads a policy from a JSON file; see [Parse] for its form. A
// chain's relative ca_file is read from the policy file's directory.
func Load(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPolicyFile {
		return nil, fmt.Errorf("larger than %d KiB", maxPolicyFile>>10)
	}
	return parse(data, filepath.Dir(path))
}

// Parse reads a policy from JSON of this form, every name as IANA spells it
// (cipher suites may also be given by their OpenSSL names):
//
//	{
//	  "name": "strict",
//	  "versions": ["TLS 1.2", "TLS 1.3"],
//	  "cipher_suites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"],
//	  "client_hello": {"groups": ["secp256r1", "x25519"],
//	                   "signature_algorithms": ["rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256"],
//	                   "extended_master_secret": true, "renegotiation_info": true},
//	  "roots": "mozilla",
//	  "require_order": true,
//	  "client_auth": {"ca_subject": "CN=…", "verify_depth": 2, "subject_cn": "…"}
//	}
//
// A client_auth may list the sender's chains instead ("chains": [{"name",
// "region", "cn", "from", "until", "leaf", "intermediate", "root",
// "source"}], certificates as PEM, dates RFC 3339); "ca_file" may name a
// PEM file holding the root, or the intermediate then the root, in place
// of "intermediate" and "root" (relative to the current directory here,
// to the policy file's with [Load]).
//
// Unknown keys are errors, so a misspelt rule is never silently ignored.
func Parse(data []byte) (*Policy, error) { return parse(data, ".") }

func parse(data []byte, dir string) (*Policy, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("policy JSON: %w", err)
	}
	if f.Name == "" {
		return nil, errors.New(`policy has no "name"`)
	}
	p := &Policy{
		Name: f.Name, Description: f.Description, Reference: f.Reference,
		Roots: f.Roots, RequireOrder: f.RequireOrder,
		Hello: HelloProfile{
			ExtendedMasterSecret: f.ClientHello.ExtendedMasterSecret,
			RenegotiationInfo:    f.ClientHello.RenegotiationInfo,
			StatusRequest:        f.ClientHello.StatusRequest,
		},
	}
	if p.Roots == "" {
		p.Roots = "mozilla"
	}
	if len(f.Versions) == 0 {
		return nil, errors.New(`policy has no "versions"`)
	}
	for _, v := range f.Versions {
		id, err := wire.ParseVersion(v)
		if err != nil {
			return nil, err
		}
		p.Versions = append(p.Versions, id)
	}
	if len(f.CipherSuites) == 0 {
		return nil, errors.New(`policy has no "cipher_suites"`)
	}
	for _, name := range f.CipherSuites {
		s, ok := wire.SuiteByName(name)
		if !ok {
			return nil, fmt.Errorf("cipher suite %q: not in the IANA registry", name)
		}
		p.CipherSuites = append(p.CipherSuites, s.ID)
	}
	var err error
	if p.Hello.Groups, err = lookupAll("group", f.ClientHello.Groups, wire.GroupByName); err != nil {
		return nil, err
	}
	if p.Hello.SignatureAlgorithms, err = lookupAll("signature algorithm", f.ClientHello.SignatureAlgorithms, wire.SignatureSchemeByName); err != nil {
		return nil, err
	}
	if p.Hello.ExtensionOrder, err = lookupAll("extension", f.ClientHello.ExtensionOrder, wire.ExtensionByName); err != nil {
		return nil, err
	}
	p.Hello.PointFormats = f.ClientHello.PointFormats
	if f.ClientHello.RecordVersion != "" {
		if p.Hello.RecordVersion, err = wire.ParseVersion(f.ClientHello.RecordVersion); err != nil {
			return nil, fmt.Errorf("record_version: %w", err)
		}
	}
	if f.ClientAuth != nil {
		if p.ClientAuth, err = f.ClientAuth.clientAuth(dir); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// clientAuth reads the client_auth object, certificates included; dir is
// where relative ca_file paths are read from.
func (f *clientFile) clientAuth(dir string) (ClientAuth, error) {
	a := ClientAuth{CASubject: f.CASubject, Intermediate: f.Intermediate, VerifyDepth: f.VerifyDepth, SubjectCN: f.SubjectCN}
	for i, cf := range f.Chains {
		c := ClientChain{Name: cf.Name, Region: cf.Region, CN: cf.CN, RootURL: cf.RootURL, Source: cf.Source}
		if cf.From != nil {
			c.From = cf.From.UTC()
		}
		if cf.Until != nil {
			c.Until = cf.Until.UTC()
		}
		if cf.CAFile != "" {
			if cf.Intermediate != "" || cf.Root != "" {
				return ClientAuth{}, fmt.Errorf("client_auth chain %d (%q): ca_file excludes intermediate and root", i, cf.Name)
			}
			var err error
			if c.Intermediate, c.Root, err = readCAFile(cf.CAFile, dir); err != nil {
				return ClientAuth{}, fmt.Errorf("client_auth chain %d (%q): ca_file %w", i, cf.Name, err)
			}
		}
		for _, x := range []struct {
			key  string
			pem  string
			dst  **x509.Certificate
			need bool
		}{{"leaf", cf.Leaf, &c.Leaf, false}, {"intermediate", cf.Intermediate, &c.Intermediate, false}, {"root", cf.Root, &c.Root, cf.CAFile == ""}} {
			if x.pem == "" {
				if x.need {
					return ClientAuth{}, fmt.Errorf("client_auth chain %d (%q): no %s", i, cf.Name, x.key)
				}
				continue
			}
			cert, err := parsePEMCert(x.pem)
			if err != nil {
				return ClientAuth{}, fmt.Errorf("client_auth chain %d (%q): %s: %w", i, cf.Name, x.key, err)
			}
			*x.dst = cert
		}
		a.Chains = append(a.Chains, c)
	}
	return a, nil
}

// parsePEMCert reads exactly one PEM certificate.
func parsePEMCert(s string) (*x509.Certificate, error) {
	b, rest := pem.Decode([]byte(s))
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM certificate")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("more than one PEM block")
	}
	return x509.ParseCertificate(b.Bytes)
}

// pemCert writes a certificate as PEM, or "" for nil.
func pemCert(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// lookupAll maps names back to code points with the registry's inverse
// of its own naming function, so files and reports spell names alike.
func lookupAll(what string, names []string, byName func(string) (uint16, bool)) ([]uint16, error) {
	var out []uint16
	for _, n := range names {
		id, ok := byName(n)
		if !ok {
			return nil, fmt.Errorf("%s %q: unknown name", what, n)
		}
		out = append(out, id)
	}
	return out, nil
}

// MarshalJSON writes the policy in the form [Parse] reads.
func (p *Policy) MarshalJSON() ([]byte, error) {
	f := file{
		Name: p.Name, Description: p.Description, Reference: p.Reference,
		Roots: p.Roots, RequireOrder: p.RequireOrder,
		ClientHello: helloFile{
			ExtendedMasterSecret: p.Hello.ExtendedMasterSecret,
			RenegotiationInfo:    p.Hello.RenegotiationInfo,
			StatusRequest:        p.Hello.StatusRequest,
		},
	}
	for _, v := range p.Versions {
		f.Versions = append(f.Versions, wire.VersionName(v))
	}
	for _, s := range p.CipherSuites {
		f.CipherSuites = append(f.CipherSuites, wire.SuiteName(s))
	}
	for _, g := range p.Hello.Groups {
		f.ClientHello.Groups = append(f.ClientHello.Groups, wire.GroupName(g))
	}
	for _, s := range p.Hello.SignatureAlgorithms {
		f.ClientHello.SignatureAlgorithms = append(f.ClientHello.SignatureAlgorithms, wire.SignatureSchemeName(s))
	}
	for _, e := range p.Hello.ExtensionOrder {
		f.ClientHello.ExtensionOrder = append(f.ClientHello.ExtensionOrder, wire.ExtensionName(e))
	}
	f.ClientHello.PointFormats = p.Hello.PointFormats
	if p.Hello.RecordVersion != 0 {
		f.ClientHello.RecordVersion = wire.VersionName(p.Hello.RecordVersion)
	}
	if a := p.ClientAuth; a.Presents() || a.VerifyDepth != 0 {
		cf := &clientFile{CASubject: a.CASubject, Intermediate: a.Intermediate, VerifyDepth: a.VerifyDepth, SubjectCN: a.SubjectCN}
		for _, c := range a.Chains {
			ch := chainFile{Name: c.Name, Region: c.Region, CN: c.CN, RootURL: c.RootURL, Source: c.Source,
				Leaf: pemCert(c.Leaf), Intermediate: pemCert(c.Intermediate), Root: pemCert(c.Root)}
			if !c.From.IsZero() {
				ch.From = &c.From
			}
			if !c.Until.IsZero() {
				ch.Until = &c.Until
			}
			cf.Chains = append(cf.Chains, ch)
		}
		f.ClientAuth = cf
	}
	return json.MarshalIndent(f, "", "  ")
}
