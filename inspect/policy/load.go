package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

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
	Groups               []string `json:"groups"`
	SignatureAlgorithms  []string `json:"signature_algorithms"`
	ExtendedMasterSecret bool     `json:"extended_master_secret"`
	RenegotiationInfo    bool     `json:"renegotiation_info"`
	StatusRequest        bool     `json:"status_request"`
}

type clientFile struct {
	CASubject    string `json:"ca_subject"`
	Intermediate string `json:"intermediate,omitempty"`
	VerifyDepth  int    `json:"verify_depth"`
	SubjectCN    string `json:"subject_cn"`
}

// Load reads a policy from a JSON file; see [Parse] for its form.
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
	return Parse(data)
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
// Unknown keys are errors, so a misspelt rule is never silently ignored.
func Parse(data []byte) (*Policy, error) {
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
	if f.ClientAuth != nil {
		p.ClientAuth = ClientAuth(*f.ClientAuth)
	}
	return p, nil
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
	if p.ClientAuth != (ClientAuth{}) {
		ca := clientFile(p.ClientAuth)
		f.ClientAuth = &ca
	}
	return json.MarshalIndent(f, "", "  ")
}
