// Package policy holds the rules a strict TLS sender applies to the servers
// it talks to, as data: the protocol versions and cipher suites its
// ClientHello offers, the trust store it uses, whether it needs the chain in
// order, and what it expects when it is asked for a client certificate.
//
// [PagerDuty] is built in; [Load] reads others from JSON files.
package policy

import (
	"crypto/x509"
	"slices"
	"time"
)

// Policy is one sender's rules. Suites, groups and signature schemes are
// IANA code points, in the order the sender's ClientHello offers them.
type Policy struct {
	// Name identifies the policy in reports ("pagerduty").
	Name string
	// Description says whose rules these are.
	Description string
	// Reference cites the document the rules come from.
	Reference string
	// Versions lists the protocol versions the sender negotiates
	// (0x0303 is TLS 1.2).
	Versions []uint16
	// CipherSuites lists the suites the sender offers, signalling values
	// included, in its order.
	CipherSuites []uint16
	// Hello is the rest of the sender's ClientHello.
	Hello HelloProfile
	// Roots names the trust store the sender uses: "mozilla", "system" or a
	// file. --roots overrides it.
	Roots string
	// RequireOrder is true when the sender rejects a chain that is not
	// presented leaf first, each certificate issued by the next.
	RequireOrder bool
	// ClientAuth is what the sender presents for mutual TLS.
	ClientAuth ClientAuth
}

// HelloProfile is the part of a ClientHello beyond versions and suites.
type HelloProfile struct {
	// ExtensionOrder, when set, is the order the extensions are sent in
	// (IANA extension types); extensions it leaves out follow in the
	// builder's order.
	ExtensionOrder []uint16
	// PointFormats is the ec_point_formats list; empty means uncompressed
	// only (RFC 8422 §5.1.2).
	PointFormats []uint8
	// RecordVersion is the version of the record carrying the hello; zero
	// means TLS 1.0, as most clients send (RFC 5246 Appendix E.1).
	RecordVersion uint16
	// Groups are the supported_groups (named curves) offered.
	Groups []uint16
	// SignatureAlgorithms are the signature_algorithms offered.
	SignatureAlgorithms []uint16
	// ExtendedMasterSecret sends the RFC 7627 extension.
	ExtendedMasterSecret bool
	// RenegotiationInfo sends the RFC 5746 extension.
	RenegotiationInfo bool
	// StatusRequest asks for a stapled OCSP response (RFC 6066 §8).
	StatusRequest bool
}

// ClientAuth describes the client certificate the sender presents, so a
// report can tell whether a server asking for one would accept it.
//
// A sender whose client chain changes over time lists its chains in
// Chains (the pagerduty policy does); a simpler policy names one root and
// intermediate in CASubject and Intermediate. The methods answer for both.
type ClientAuth struct {
	// CASubject is the RFC 4514 name of the root the sender's client
	// certificate chains to, when Chains is empty; the server must list it
	// (or send no names).
	CASubject string
	// Intermediate is the RFC 4514 name of the CA that issues the sender's
	// client certificate, under CASubject, when Chains is empty.
	Intermediate string
	// VerifyDepth is the verification depth the server needs
	// (ssl_verify_depth / SSLVerifyDepth).
	VerifyDepth int
	// SubjectCN is the common name of the sender's client certificate,
	// when Chains is empty.
	SubjectCN string
	// Chains are the sender's client chains over time, oldest first.
	Chains []ClientChain
}

// KeyAlgorithm returns the public key algorithm of the sender's client
// certificate: that of the newest published leaf of Chains whose use began
// by t (the sender has kept one key type: RSA for pagerduty, every leaf of
// 2024 and 2025), or x509.UnknownPublicKeyAlgorithm when none is known.
func (a ClientAuth) KeyAlgorithm(t time.Time) x509.PublicKeyAlgorithm {
	alg := x509.UnknownPublicKeyAlgorithm
	for _, c := range a.Chains { // oldest first
		if c.Leaf != nil && !c.From.After(t) {
			alg = c.Leaf.PublicKeyAlgorithm
		}
	}
	return alg
}

// Presents reports whether the policy describes a client certificate at all.
func (a ClientAuth) Presents() bool { return a.CASubject != "" || len(a.Chains) > 0 }

// RootNames returns the RFC 4514 names of the roots the sender's client
// certificates chain to at t (one per distinct root, in order): what a
// server must trust, and list in its CertificateRequest, to admit it.
func (a ClientAuth) RootNames(t time.Time) []string {
	if len(a.Chains) == 0 {
		return nonEmpty(a.CASubject)
	}
	return chainNames(a.Current(t), func(c ClientChain) *x509.Certificate { return c.Root })
}

// IntermediateNames returns the RFC 4514 names of the CAs that issue the
// sender's client certificates at t.
func (a ClientAuth) IntermediateNames(t time.Time) []string {
	if len(a.Chains) == 0 {
		return nonEmpty(a.Intermediate)
	}
	return chainNames(a.Current(t), func(c ClientChain) *x509.Certificate { return c.Intermediate })
}

// RetiredRootNames returns the RFC 4514 names of roots the sender's chains
// used before t and no longer do (pagerduty: the seed's DigiCert Global
// Root CA); a server that trusts only these refuses the sender today.
func (a ClientAuth) RetiredRootNames(t time.Time) []string {
	return chainNames(a.Retired(t), func(c ClientChain) *x509.Certificate { return c.Root })
}

// CommonNames returns the subject CNs of the sender's client certificates
// at t, one per region.
func (a ClientAuth) CommonNames(t time.Time) []string {
	if len(a.Chains) == 0 {
		return nonEmpty(a.SubjectCN)
	}
	var out []string
	for _, c := range a.Current(t) {
		if !slices.Contains(out, c.CN) {
			out = append(out, c.CN)
		}
	}
	return out
}

func chainNames(chains []ClientChain, pick func(ClientChain) *x509.Certificate) []string {
	var out []string
	for _, c := range chains {
		if cert := pick(c); cert != nil && !slices.Contains(out, cert.Subject.String()) {
			out = append(out, cert.Subject.String())
		}
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// AllowsVersion reports whether the policy negotiates version v.
func (p *Policy) AllowsVersion(v uint16) bool {
	for _, x := range p.Versions {
		if x == v {
			return true
		}
	}
	return false
}

// AllowsSuite reports whether the policy offers suite id.
func (p *Policy) AllowsSuite(id uint16) bool {
	for _, x := range p.CipherSuites {
		if x == id {
			return true
		}
	}
	return false
}

// MaxVersion returns the highest version the policy negotiates.
func (p *Policy) MaxVersion() uint16 {
	var m uint16
	for _, v := range p.Versions {
		m = max(m, v)
	}
	return m
}

// Builtin returns the built-in policy with the given name, or false.
func Builtin(name string) (*Policy, bool) {
	switch name {
	case "pagerduty":
		return PagerDuty(), true
	}
	return nil, false
}

// Names lists the built-in policies.
func Names() []string { return []string{"pagerduty"} }
