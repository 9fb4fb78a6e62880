package policy

import (
	"crypto/x509"
	"slices"
	"time"
)

// ClientChain is one certificate chain the sender presents when a server
// asks for a client certificate, and the period it was in use.
type ClientChain struct {
	// Name says which one it is: "2025 US".
	Name string
	// Region is the sender's service region: "US" or "EU".
	Region string
	// CN is the subject common name of the client certificate.
	CN string
	// From is when the sender began presenting this chain; zero when the
	// documentation gives no date.
	From time.Time
	// Until is when the sender stopped, or is documented to stop,
	// presenting it; zero when not known.
	Until time.Time
	// Leaf is the client certificate itself; nil when no copy was
	// published where we could read it (Source says so).
	Leaf *x509.Certificate
	// Intermediate issued the client certificate; Root issued the
	// intermediate and is what a server lists and trusts.
	Intermediate *x509.Certificate
	Root         *x509.Certificate
	// RootURL is where the root's issuer publishes it, for a fix to name.
	RootURL string
	// Source cites where the dates, names and certificates come from.
	Source string
}

// Certificates returns the chain as the sender sends it, leaf first (when
// known), then the intermediate, then the root.
func (c ClientChain) Certificates() []*x509.Certificate {
	var out []*x509.Certificate
	for _, cert := range []*x509.Certificate{c.Leaf, c.Intermediate, c.Root} {
		if cert != nil {
			out = append(out, cert)
		}
	}
	return out
}

// InUse reports whether the sender presented the chain at t: From is not
// after t, and a later chain of the same region has not replaced it.
// Until is not consulted: a documented end is a plan, and the last chain
// stays current until the data names its successor.
func (a ClientAuth) InUse(c ClientChain, t time.Time) bool {
	if c.From.After(t) {
		return false
	}
	for _, o := range a.Chains {
		if o.Region == c.Region && o.From.After(c.From) && !o.From.After(t) {
			return false
		}
	}
	return true
}

// Current returns the chains in use at t, one per region, in the order of
// Chains; empty when t is before every chain.
func (a ClientAuth) Current(t time.Time) []ClientChain {
	var out []ClientChain
	for _, c := range a.Chains {
		if a.InUse(c, t) {
			out = append(out, c)
		}
	}
	return out
}

// RootSince returns when the sender first presented a chain ending at the
// root named name (RFC 4514), and false when none does.
func (a ClientAuth) RootSince(name string) (time.Time, bool) {
	for _, c := range a.Chains {
		if c.Root != nil && c.Root.Subject.String() == name {
			return c.From, true
		}
	}
	return time.Time{}, false
}

// Retired returns the chains no longer in use at t whose root is not the
// root of a chain in use at t: the roots a server may still trust from
// older instructions (the seed's DigiCert Global Root CA) that no longer
// admit the sender.
func (a ClientAuth) Retired(t time.Time) []ClientChain {
	cur := a.Current(t)
	var out []ClientChain
	for _, c := range a.Chains {
		if a.InUse(c, t) || c.From.After(t) {
			continue
		}
		if slices.ContainsFunc(cur, func(x ClientChain) bool { return sameCert(x.Root, c.Root) }) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func sameCert(a, b *x509.Certificate) bool {
	return a != nil && b != nil && a.Equal(b)
}
