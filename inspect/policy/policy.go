// Package policy holds the rules a strict TLS sender applies to the servers
// it talks to, as data: the protocol versions and cipher suites its
// ClientHello offers, the trust store it uses, whether it needs the chain in
// order, and what it expects when it is asked for a client certificate.
//
// [PagerDuty] is built in; [Load] reads others from JSON files.
package policy

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
type ClientAuth struct {
	// CASubject is the RFC 4514 name of the root the sender's client
	// certificate chains to; the server must list it (or send no names).
	CASubject string
	// Intermediate is the RFC 4514 name of the CA that issues the sender's
	// client certificate, under CASubject.
	Intermediate string
	// VerifyDepth is the verification depth the server needs
	// (ssl_verify_depth / SSLVerifyDepth).
	VerifyDepth int
	// SubjectCN is the common name of the sender's client certificate.
	SubjectCN string
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
