package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"

	"chainscope/inspect"
)

// detailKind says what the details pane shows.
type detailKind int

const (
	showNode detailKind = iota // the selected node of the chain tree
	showTLS                    // the TLS facts of the target
)

// detailsKeyWidth is the key column of the details pane.
const detailsKeyWidth = 13

// detailsPane shows the selected certificate (or its PEM) or the TLS facts
// in a scrollable viewport.
type detailsPane struct {
	vp    viewport.Model
	kind  detailKind
	pem   bool
	title string
	key   string // what the content is about; the scroll resets when it changes
}

func newDetailsPane() detailsPane {
	vp := viewport.New()
	vp.SoftWrap = true
	vp.MouseWheelEnabled = true
	return detailsPane{vp: vp}
}

// setContent replaces the content, keeping the scroll position while the
// subject stays the same (a re-render after a resize, say).
func (p *detailsPane) setContent(key string, lines []string) {
	p.vp.SetContentLines(lines)
	if key != p.key {
		p.vp.GotoTop()
		p.key = key
	}
}

// view draws the pane into w×h under a title rule.
func (p detailsPane) view(st styles, w, h int, focused bool) []string {
	if h <= 0 {
		return nil
	}
	out := []string{paneTitle(st, p.title, w, focused)}
	if h > 1 {
		out = append(out, strings.Split(p.vp.View(), "\n")...)
	}
	return block(out, w, h)
}

// nodeDetails is the title and the content of the details pane for a node
// of the chain tree, the content wrapped to w columns.
func nodeDetails(r *inspect.Report, st styles, n chainNode, pem bool, w int) (string, []string) {
	switch n.kind {
	case nodeStoreRoot:
		return "Store root", storeRootDetails(r, st, w)
	case nodeMissing:
		return "Missing issuer", missingDetails(r, st, w)
	}
	c := r.Chain[n.pos]
	title := fmt.Sprintf("Certificate #%d · %s", n.pos, sanitize(c.Role, 24))
	if pem {
		lines := sanitizeLines(c.PEM)
		if len(lines) == 0 {
			lines = []string{st.dim.Render("(no PEM in the report)")}
		}
		return title + " · PEM", lines
	}
	return title, certDetails(r, st, n.pos, w)
}

// certDetails lists every field of the certificate at position i.
func certDetails(r *inspect.Report, st styles, i, w int) []string {
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
	var sans []string
	for _, s := range c.DNSNames {
		sans = append(sans, "DNS "+Sanitize(s))
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
	if len(sans) == 0 {
		sans = []string{st.dim.Render("(none)")}
	}
	add("SANs", sans...)
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
	lines = append(lines, "", st.dim.Render("p shows the PEM · y copies it · e writes the chain"))
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
	add("trust store", Sanitize(r.Trust.Store))
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
	add("trust store", Sanitize(r.Trust.Store))
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

// tlsDetails is the content of the TLS tab.
func tlsDetails(r *inspect.Report, st styles, w int) []string {
	if r.TLS == nil {
		if r.Source == inspect.SourceFile {
			return []string{st.dim.Render("A file has no TLS facts: only its certificates were inspected.")}
		}
		return []string{st.dim.Render("No TLS facts: the inspection did not complete a handshake.")}
	}
	return tlsLines(r.TLS, st, w)
}

// errorDetails is the content of the details pane for a report without
// certificates.
func errorDetails(r *inspect.Report, st styles, w int) []string {
	lines := []string{st.fail.Render(statusSymbol(inspect.StatusFail) + " the inspection could not run")}
	lines = append(lines, "")
	for _, l := range sanitizeLines(r.Error) {
		lines = append(lines, wrap(l, w)...)
	}
	lines = append(lines, "", st.dim.Render("r inspects again · o inspects another target"))
	return lines
}
