package ui

import (
	"fmt"
	"strings"
	"time"

	"chainscope/inspect"
)

// detailKind says what the details pane shows.
type detailKind int

const (
	showSelection detailKind = iota // what is selected in the chain or the checks
	showTLS                         // the TLS facts of the target
)

// detailsKeyWidth is the key column of the details pane.
const detailsKeyWidth = 13

// maxSANsShown is how many SANs the details list before "s shows all".
const maxSANsShown = 3

// detailsPane shows, scrollable, what is selected (a check with its fix,
// a certificate) or the TLS facts.
type detailsPane struct {
	kind  detailKind
	sans  bool // every SAN is listed, not just the first few
	title string
	key   string // what the content is about; the scroll resets when it changes
	lines []string
	off   int
	h     int // the lines shown at the last layout
}

// setContent replaces the content, keeping the scroll position while the
// subject stays the same (a re-render after a resize, say).
func (p *detailsPane) setContent(key, title string, lines []string, h int) {
	p.title, p.lines, p.h = title, lines, h
	if key != p.key {
		p.off, p.key = 0, key
	}
	p.off = max(0, min(p.off, len(p.lines)-p.h))
}

// scroll moves the content by delta lines.
func (p *detailsPane) scroll(delta int) {
	p.off = max(0, min(p.off+delta, len(p.lines)-p.h))
}

// overflows reports whether the content is longer than the pane.
func (p *detailsPane) overflows() bool { return len(p.lines) > p.h }

// view draws the pane into w×h under a title rule, with a marker where
// the content continues.
func (p detailsPane) view(st styles, w, h int, focused bool) []string {
	if h <= 0 {
		return nil
	}
	more := "tab, then ↓"
	if focused {
		more = "↓ or pgdn"
	}
	out := []string{paneTitle(st, p.title, w, focused)}
	shown := linkURLs(st, window(st, p.lines, p.off, h-1, more), w)
	return block(append(out, shown...), w, h)
}

// nodeDetails is the title and the content of the details pane for a node
// of the chain tree, the content wrapped to w columns; allSANs lists every
// SAN of a certificate instead of the first few.
func nodeDetails(r *inspect.Report, st styles, n chainNode, allSANs bool, w int) (string, []string) {
	switch n.kind {
	case nodeStoreRoot:
		return "Store root", storeRootDetails(r, st, w)
	case nodeMissing:
		return "Missing issuer", missingDetails(r, st, w)
	}
	c := r.Chain[n.pos]
	title := fmt.Sprintf("Certificate #%d · %s", n.pos, sanitize(c.Role, 24))
	return title, certDetails(r, st, n.pos, allSANs, w)
}

// checkDetails is the title and content of the details pane for a check.
func checkDetails(c inspect.Check, st styles, fixHint string, w int) (string, []string) {
	head := st.status(c.Status).Render(statusSymbol(c.Status)+" "+string(c.Status)) + st.dim.Render(" · ") + st.title.Render(Sanitize(c.Title))
	lines := append(wrap(head, w), "")
	return "Check " + Sanitize(c.ID), append(lines, checkDetailLines(c, st, w, fixHint)...)
}

// sanCount is the number of SANs of a certificate.
func sanCount(c inspect.Certificate) int {
	return len(c.DNSNames) + len(c.IPAddresses) + len(c.EmailAddresses) + len(c.URIs)
}

// certDetails lists every field of the certificate at position i; the
// SANs are collapsed to the first few and a count unless allSANs.
func certDetails(r *inspect.Report, st styles, i int, allSANs bool, w int) []string {
	c := r.Chain[i]
	var lines []string
	add := func(key string, values ...string) {
		lines = append(lines, wrapKV(st, key, detailsKeyWidth, w, values...)...)
	}
	list := func(key, prefix string, values []string) {
		vs := make([]string, len(values))
		for j, v := range values {
			vs[j] = prefix + Sanitize(v)
		}
		add(key, vs...)
	}
	add("subject", Sanitize(c.Subject))
	add("issuer", Sanitize(c.Issuer))
	add("serial", Sanitize(c.Serial))
	v, vs := expiry(c.Expiry, c.NotBefore, c.NotAfter)
	add("valid", fmt.Sprintf("%s → %s", day(c.NotBefore), day(c.NotAfter)), st.mark(vs)+" "+v)
	var sans []string // DNS names as they are; the other kinds named
	for _, s := range c.DNSNames {
		sans = append(sans, Sanitize(s))
	}
	for _, s := range c.IPAddresses {
		sans = append(sans, "IP "+Sanitize(s))
	}
	for _, s := range c.EmailAddresses {
		sans = append(sans, "email "+Sanitize(s))
	}
	for _, s := range c.URIs {
		sans = append(sans, "URI "+Sanitize(s))
	}
	label := fmt.Sprintf("SANs (%d)", len(sans))
	switch n := len(sans); {
	case n == 0:
		label, sans = "SANs", []string{st.dim.Render("(none)")}
	case n > maxSANsShown+1 && !allSANs:
		sans = append(sans[:maxSANsShown:maxSANsShown], st.dim.Render(fmt.Sprintf("… %d more · s shows all", n-maxSANsShown)))
	}
	add(label, sans...)
	key := Sanitize(c.KeyType)
	if c.KeyBits > 0 {
		key += fmt.Sprintf(" %d bits", c.KeyBits)
	}
	add("key", key)
	add("signature", Sanitize(c.SignatureAlgorithm))
	add("SHA-256", Sanitize(c.SHA256))
	add("SHA-1", Sanitize(c.SHA1))
	if c.SubjectKeyID != "" {
		add("SKI", Sanitize(c.SubjectKeyID))
	}
	if c.AuthorityKeyID != "" {
		add("AKI", Sanitize(c.AuthorityKeyID))
	}
	ca := "no"
	if c.IsCA {
		ca = "yes, path length unlimited"
		if c.MaxPathLen >= 0 {
			ca = fmt.Sprintf("yes, path length %d", c.MaxPathLen)
		}
	}
	add("CA", ca)
	add("self-signed", yesNo(c.SelfSigned))
	if len(c.KeyUsage) > 0 {
		add("key usage", strings.Join(sanitizeAll(c.KeyUsage), ", "))
	}
	if len(c.ExtKeyUsage) > 0 {
		add("EKU", strings.Join(sanitizeAll(c.ExtKeyUsage), ", "))
	}
	list("OCSP", "", c.OCSPServers)
	list("CA issuers", "", c.IssuingCertificateURLs)
	list("CRL", "", c.CRLDistributionPoints)
	if !isExtra(c) {
		ls, link := linkText(c)
		add("link", st.mark(ls)+" "+link)
	} else {
		add("note", st.mark(inspect.StatusWarn)+" "+Sanitize(c.Note))
	}
	return lines
}

// storeRootDetails describes the store root the path ends at.
func storeRootDetails(r *inspect.Report, st styles, w int) []string {
	var lines []string
	add := func(key string, values ...string) {
		lines = append(lines, wrapKV(st, key, detailsKeyWidth, w, values...)...)
	}
	add("subject", Sanitize(r.Trust.RootSubject))
	if r.Trust.RootNotAfter != nil && r.Trust.RootExpiry != nil {
		v, vs := expiry(*r.Trust.RootExpiry, time.Time{}, *r.Trust.RootNotAfter)
		add("valid until", st.mark(vs)+" "+v)
	}
	if r.Trust.RootStatus == inspect.StatusFail {
		add("status", st.mark(inspect.StatusFail)+" "+Sanitize(r.Trust.RootReason))
	}
	if r.Trust.RootSHA256 != "" {
		add("SHA-256", Sanitize(r.Trust.RootSHA256))
	}
	add("trust store", reportStore(r))
	add("presented", "no")
	if r.Trust.RootStatus != inspect.StatusFail {
		lines = append(lines, "")
		lines = append(lines, wrap(st.dim.Render("The server need not send its root: a sender trusts the copy in its own store."), w)...)
	}
	return lines
}

// missingDetails describes the issuer the path stops at.
func missingDetails(r *inspect.Report, st styles, w int) []string {
	var lines []string
	add := func(key string, values ...string) {
		lines = append(lines, wrapKV(st, key, detailsKeyWidth, w, values...)...)
	}
	add("subject", Sanitize(r.Trust.MissingIssuer))
	add("status", st.mark(inspect.StatusFail)+" neither presented nor in the trust store")
	add("trust store", reportStore(r))
	if p := r.Trust.Path; len(p) > 0 && p[len(p)-1] < len(r.Chain) {
		last := r.Chain[p[len(p)-1]]
		add("needed by", fmt.Sprintf("#%d %s", p[len(p)-1], sanitize(last.Name, nameWidth)))
		if urls := last.IssuingCertificateURLs; len(urls) > 0 {
			add("published at", sanitizeAll(urls)...)
		}
	}
	lines = append(lines, "")
	lines = append(lines, wrap("Send this intermediate right after the certificate it issued.", w)...)
	return lines
}

// tlsDetails is the content of the TLS facts in the details pane.
func tlsDetails(r *inspect.Report, st styles, w int) []string {
	if r.TLS == nil {
		if r.Source == inspect.SourceFile {
			return []string{st.dim.Render("A file has no TLS facts: only its certificates were inspected.")}
		}
		return []string{st.dim.Render("No TLS facts: the inspection did not complete a handshake.")}
	}
	return tlsLines(r.TLS, st, w)
}
