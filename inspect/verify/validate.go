package verify

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

// Reason is a kind of path failure. The order is usefulness: a path whose
// worst failure comes earlier is closer to working and is the one to
// explain (see [Analysis.Paths]).
type Reason int

// The reasons a path fails, each with the rule it comes from.
const (
	// Expired, NotYetValid: RFC 5280 §4.1.2.5, at the evaluation time.
	Expired Reason = iota + 1
	NotYetValid
	// SignatureRefused: the signature algorithm is outside the sender's
	// list (sender-model.md sections 2 and 3).
	SignatureRefused
	// ExtKeyUsage: a certificate lists extended key usages without
	// serverAuth or anyExtendedKeyUsage (OTP checks every certificate's
	// list, as crypto/x509 does; CA/Browser Forum BR §7.1.2).
	ExtKeyUsage
	// NameConstraint: a name is outside an issuer's name constraints
	// (RFC 5280 §4.2.1.10).
	NameConstraint
	// PathLength: more intermediates below an issuer than its path length
	// constraint allows (RFC 5280 §4.2.1.9).
	PathLength
	// NotCA: an issuer is not a CA (basicConstraints, RFC 5280 §6.1.4 k).
	NotCA
	// NoKeyCertSign: an issuer's key usage lacks keyCertSign (RFC 5280
	// §6.1.4 n).
	NoKeyCertSign
	// CriticalExtension: a critical extension nobody on the sender's side
	// understands (RFC 5280 §4.2).
	CriticalExtension
	// Distrusted: the root's constraint refuses the path (Mozilla Root
	// Store Policy §7.4 distrust-after dates).
	Distrusted
	// UntrustedRoot: the path ends at a self-signed certificate the store
	// does not hold.
	UntrustedRoot
	// MissingIssuer: no presented certificate and no store root issued
	// the path's last certificate.
	MissingIssuer
	// Loop: the only issuers of the path's last certificate are already
	// on the path (mutual cross-signs with no root of the store above
	// them): an issuer exists, so nothing is missing, but no anchor is
	// reached ([Path.LoopsTo] says where the path comes back to).
	Loop
	// SearchLimit: the search's bounds ([MaxDepth], [MaxSignatureChecks],
	// [MaxPaths]) stopped the path before an anchor; an issuer may exist.
	SearchLimit
)

// Failure is one rule a path breaks, at one certificate.
type Failure struct {
	Reason Reason
	// Index is the certificate's index in Path.Certs; Pos its presented
	// position, or -1 for the store's root.
	Index, Pos int
	Cert       *x509.Certificate
	// Detail holds what the rule compared: the algorithm's name, the
	// constraint's message, the limit, the date.
	Detail string
	// IssuerPos and Issuer, for a Loop, are the presented certificate
	// already on the path that issued Cert; IssuerPos is -1 otherwise.
	IssuerPos int
	Issuer    *x509.Certificate
}

// validate judges a path at the instant at and records its failures.
func validate(p *Path, at time.Time) {
	// OTP reads the clock in whole seconds (calendar:universal_time), as
	// RFC 5280 encodes validity: a fraction of a second past notAfter is
	// still inside it.
	at = at.Truncate(time.Second)
	add := func(r Reason, i int, detail string) {
		p.Failures = append(p.Failures, Failure{Reason: r, Index: i, Pos: p.Pos[i], Cert: p.Certs[i], Detail: detail, IssuerPos: -1})
	}
	n := len(p.Certs)
	anchored := p.End == EndAnchor
	// Intermediates below each certificate that count towards path
	// length: self-issued ones do not (RFC 5280 §6.1.4 l).
	counted := 0
	for i, c := range p.Certs {
		isAnchor := anchored && i == n-1
		switch {
		case at.Before(c.NotBefore):
			add(NotYetValid, i, c.NotBefore.UTC().Format(time.RFC3339))
		case at.After(c.NotAfter):
			add(Expired, i, c.NotAfter.UTC().Format(time.RFC3339))
		}
		if i < len(p.Algorithms) && p.Algorithms[i].Verdict == Refused {
			add(SignatureRefused, i, p.Algorithms[i].Name)
		}
		if i > 0 && !isAnchor {
			if !c.BasicConstraintsValid || !c.IsCA {
				add(NotCA, i, "")
			} else if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
				add(NoKeyCertSign, i, "")
			}
		}
		if i > 0 && c.BasicConstraintsValid && c.MaxPathLen >= 0 && counted > c.MaxPathLen {
			add(PathLength, i, fmt.Sprintf("%d allowed, %d below it", c.MaxPathLen, counted))
		}
		if i > 0 && !bytes.Equal(c.RawSubject, c.RawIssuer) {
			counted++
		}
		if !isAnchor {
			if !serverAuthAllowed(c) {
				add(ExtKeyUsage, i, strings.Join(ExtKeyUsageNames(c), ", "))
			}
			if oid := unknownCritical(c); oid != "" {
				add(CriticalExtension, i, oid)
			}
		}
		if i > 0 && hasNameConstraints(c) {
			if err := checkNameConstraints(c, p.Certs[:i]); err != nil {
				add(NameConstraint, i, err.Error())
			}
		}
	}
	switch p.End {
	case EndAnchor:
		if p.Anchor.Constraint != nil {
			if err := p.Anchor.Constraint(p.Certs); err != nil {
				add(Distrusted, n-1, err.Error())
			}
		}
	case EndSelfSigned:
		add(UntrustedRoot, n-1, "")
	case EndMissing:
		add(MissingIssuer, n-1, "")
	case EndLoop:
		add(Loop, n-1, "")
	case EndLimit:
		add(SearchLimit, n-1, fmt.Sprintf("at most %d certificates per path, %d signature checks, %d paths", MaxDepth, MaxSignatureChecks, MaxPaths))
	}
}

// unknownCritical returns the first critical extension nobody on the
// sender's side processes, or "". Name constraints count as processed
// whatever their name forms: OTP applies them, and forms no name on the
// path uses constrain nothing (RFC 5280 §4.2.1.10).
func unknownCritical(c *x509.Certificate) string {
	for _, oid := range c.UnhandledCriticalExtensions {
		if !oid.Equal(oidNameConstraints) {
			return oid.String()
		}
	}
	return ""
}

var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// serverAuthAllowed reports whether c's extended key usage, when it has
// the extension, allows server authentication; an empty list allows
// nothing (OTP: invalid_ext_key_usage, measured).
func serverAuthAllowed(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		for _, e := range c.Extensions {
			if e.Id.Equal(oidExtKeyUsage) {
				return false
			}
		}
		return true
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageServerAuth || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}
