package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// TextOptions controls the plain-text rendering.
type TextOptions struct {
	// Color turns on ANSI colours and bold. The caller decides: a terminal
	// without NO_COLOR, or --color=always. When false the report holds no
	// escape sequence at all.
	Color bool
	// Width wraps each line at this many columns, at spaces, with a
	// hanging indent under the text the line is about (the caller passes
	// the terminal's width). Zero writes one line per item, unwrapped,
	// for pipes and files.
	Width int
}

// labelWidth is the width of the key column of the text report.
const labelWidth = 13

// WriteText writes the plain-text report of r to w: a header with the
// target and the verdict, the TLS facts of a live endpoint, the chain as a
// tree and every check with its symbol (✓ pass, ✗ fail, ! warn, · info,
// - skip), the detail and fix indented under it. Every string that came
// from a certificate or a server is passed through [Sanitize]; days left
// are counted from r.EvaluatedAt, so the same report always renders the
// same text.
func WriteText(w io.Writer, r *inspect.Report, opt TextOptions) error {
	st := newStyles(true, opt.Color)
	var b strings.Builder
	section := func(lines []string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		for _, l := range lines {
			for _, wl := range hangingWrap(l, opt.Width) {
				b.WriteString(wl)
				b.WriteString("\n")
			}
		}
	}
	section(headerLines(r, st))
	if r.TLS != nil {
		section(append([]string{st.title.Render("TLS")}, indent(tlsLines(r.TLS, st, 0), "  ")...))
	}
	if len(r.Chain) > 0 || r.Verdict != inspect.VerdictError {
		section(chainSection(r, st))
	}
	if showChecks(r) {
		section(append([]string{st.title.Render("Checks")}, checkLines(r, st)...))
	}
	if r.FixedChain != nil {
		section(fixedChainLines(r.FixedChain, st))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report of %s: %w", Sanitize(r.Target), err)
	}
	return nil
}

// headerLines are the key/value lines that open a report.
func headerLines(r *inspect.Report, st styles) []string {
	src := Sanitize(string(r.Source))
	if r.TLS != nil && r.TLS.Address != "" {
		src += " (" + Sanitize(r.TLS.Address) + ")"
	}
	var lines []string
	add := func(key string, values ...string) {
		lines = append(lines, kv(st, key, labelWidth, values...)...)
	}
	add("target", Sanitize(r.Target))
	add("source", src)
	if r.ServerName != "" {
		name := Sanitize(r.ServerName)
		if r.ServerNameUnicode != "" {
			name += " (" + Sanitize(r.ServerNameUnicode) + ")"
		}
		add("servername", name)
	} else {
		add("servername", st.dim.Render("(none)"))
	}
	add("policy", Sanitize(r.Policy))
	if s := reportStore(r); s != "" {
		add("trust store", s)
	}
	if !r.EvaluatedAt.IsZero() {
		add("evaluated at", r.EvaluatedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	add("verdict", st.status(verdictStatus(r.Verdict)).Render(verdictText(r)))
	return lines
}

// tlsLines are the facts of the handshakes, shared by the text report and
// the TLS tab of the interface; values are wrapped to w columns, or not at
// all when w is 0.
func tlsLines(t *inspect.TLSInfo, st styles, w int) []string {
	var lines []string
	add := func(key string, values ...string) {
		lines = append(lines, wrapKV(st, key, labelWidth, w, values...)...)
	}
	if t.Version != "" {
		add("negotiated", Sanitize(t.Version)+", "+Sanitize(t.CipherSuite))
	}
	if t.PolicyHandshakeError != "" {
		add("policy hello", st.mark(inspect.StatusFail)+" failed: "+Sanitize(t.PolicyHandshakeError))
	}
	if t.KeyExchange != "" {
		add("key exchange", Sanitize(t.KeyExchange))
	}
	add("versions", wrapItems(versionItems(t.Versions, st), "  ", w-labelWidth)...)
	if t.ALPN != "" {
		add("ALPN", Sanitize(t.ALPN))
	}
	add("extensions", fmt.Sprintf("secure renegotiation %s, extended master secret %s, OCSP stapled %s",
		yesNo(t.SecureRenegotiation), yesNo(t.ExtendedMasterSecret), yesNo(t.OCSPStapled)))
	add("client auth", clientAuthLines(t.ClientAuth, st)...)
	if t.Handshakes > 0 {
		add("connections", fmt.Sprint(t.Handshakes))
	}
	if len(t.AcceptedCipherSuites) > 0 || len(t.CipherDetails) > 0 {
		lines = append(lines, st.label.Render("accepted suites"))
		lines = append(lines, indent(suiteLines(t, st, max(0, w-2)), "  ")...)
	}
	return lines
}

// versionItems are "✗ TLS 1.0", "✗ TLS 1.1", "✓ TLS 1.2", "✓ TLS 1.3": ✓
// accepted, ✗ refused, - not probed.
func versionItems(v map[string]bool, st styles) []string {
	keys := probedVersions
	for _, k := range versionKeys(v) {
		if !slices.Contains(keys, k) {
			keys = append(keys[:len(keys):len(keys)], k)
		}
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		ok, probed := v[k]
		switch {
		case !probed:
			parts = append(parts, st.dim.Render(statusSymbol(inspect.StatusSkip)+" "+Sanitize(k)))
		case ok:
			parts = append(parts, st.pass.Render(statusSymbol(inspect.StatusPass))+" "+Sanitize(k))
		default:
			parts = append(parts, st.dim.Render(statusSymbol(inspect.StatusFail)+" "+Sanitize(k)))
		}
	}
	return parts
}

// wrapItems joins items with sep into lines of at most w columns, never
// breaking inside an item ("✓ TLS 1.3" stays whole); w <= 0 is one line.
func wrapItems(items []string, sep string, w int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case w > 0 && ansi.StringWidth(cur+sep+it) > w:
			lines = append(lines, cur)
			cur = it
		default:
			cur += sep + it
		}
	}
	return append(lines, cur)
}

// maxCANames is how many of a CertificateRequest's CA names a human
// rendering lists: a server may send hundreds (501 in 40 KiB, measured),
// which would bury the report; the JSON keeps them all.
const maxCANames = 10

// clientAuthLines describe the server's CertificateRequest, its CA names
// up to maxCANames.
func clientAuthLines(ca inspect.ClientAuth, st styles) []string {
	if !ca.Requested {
		return []string{"not requested"}
	}
	first := "requested"
	switch {
	case len(ca.AcceptableCAs) == 0:
		first += ", no CA names sent (any client certificate may do)"
	case ca.PolicyCAAccepted:
		first += ", policy client CA accepted"
	default:
		first += ", policy client CA not among the acceptable CAs"
	}
	lines := []string{first}
	for i, name := range ca.AcceptableCAs {
		if i == maxCANames {
			lines = append(lines, fmt.Sprintf("… and %d more CA names (the JSON report lists them all)", len(ca.AcceptableCAs)-i))
			break
		}
		lines = append(lines, "CA "+Sanitize(name))
	}
	if ca.Presented {
		if ca.Accepted {
			lines = append(lines, st.mark(inspect.StatusPass)+" client certificate presented and accepted")
		} else {
			msg := "client certificate presented and refused"
			if ca.AcceptError != "" {
				msg += ": " + Sanitize(ca.AcceptError)
			}
			lines = append(lines, st.mark(inspect.StatusFail)+" "+msg)
		}
	}
	return lines
}

// suiteLines list the accepted cipher suites per protocol version.
func suiteLines(t *inspect.TLSInfo, st styles, w int) []string {
	var lines []string
	versions := versionKeys(t.AcceptedCipherSuites)
	for _, v := range versionKeys(t.CipherDetails) {
		if !slices.Contains(versions, v) {
			versions = append(versions, v)
		}
	}
	for _, v := range versions {
		var suites []string
		if details, ok := t.CipherDetails[v]; ok {
			for _, d := range details {
				s := Sanitize(d.Name)
				if d.InPolicy {
					s += st.dim.Render("  (policy)")
				}
				if d.Weakness != "" {
					s = st.mark(inspect.StatusWarn) + " " + s + st.warn.Render("  weak: "+Sanitize(d.Weakness))
				} else if d.Note != "" {
					s = st.mark(inspect.StatusInfo) + " " + s + st.dim.Render("  "+Sanitize(d.Note))
				}
				suites = append(suites, s)
			}
		} else {
			suites = sanitizeAll(t.AcceptedCipherSuites[v])
		}
		if len(suites) == 0 {
			suites = []string{st.dim.Render("(none)")}
		}
		if order, ok := t.ServerOrder[v]; ok {
			suites = append(suites, st.dim.Render("server order: "+yesNo(order)))
		}
		lines = append(lines, wrapKV(st, Sanitize(v), labelWidth-2, w, suites...)...)
	}
	return lines
}

// chainSection is the chain tree under its title, with the trust path.
func chainSection(r *inspect.Report, st styles) []string {
	verb := "presented"
	if r.Source == inspect.SourceFile {
		verb = "in the file"
	}
	lines := []string{st.title.Render("Chain") + fmt.Sprintf(" (%d %s)", len(r.Chain), verb)}
	if len(r.Chain) == 0 {
		return append(lines, st.dim.Render("  (no certificates)"))
	}
	lines = append(lines, treeLines(r, st, -1)...)
	if p := pathText(r); p != "" {
		lines = append(lines, kv(st, "trust path", labelWidth, p)...)
	}
	return lines
}

// pathText is the trust path as "#0 → #2 → #1 → store root".
func pathText(r *inspect.Report) string {
	if len(r.Trust.Path) == 0 {
		return ""
	}
	parts := make([]string, 0, len(r.Trust.Path)+1)
	for _, p := range r.Trust.Path {
		parts = append(parts, fmt.Sprintf("#%d", p))
	}
	switch {
	case r.Trust.Trusted && !r.Trust.RootPresented:
		parts = append(parts, "store root")
	case r.Trust.Trusted:
		parts[len(parts)-1] += " (in store)"
	case r.Trust.MissingIssuer != "":
		parts = append(parts, "missing "+sanitize(r.Trust.MissingIssuerName, nameWidth))
	default:
		parts = append(parts, "not trusted")
	}
	return strings.Join(parts, " → ")
}

// showChecks reports whether the checks are worth listing: always, except
// for an error report whose checks were all skipped.
func showChecks(r *inspect.Report) bool {
	if r.Verdict != inspect.VerdictError {
		return len(r.Checks) > 0
	}
	for _, c := range r.Checks {
		if c.Status != inspect.StatusSkip {
			return true
		}
	}
	return false
}

// checkLines list every check on one line, symbol first, its detail and
// its fix (when it has one) under it.
func checkLines(r *inspect.Report, st styles) []string {
	idWidth := 16
	for _, c := range r.Checks {
		idWidth = max(idWidth, len(Sanitize(c.ID))+2)
	}
	var lines []string
	for _, c := range r.Checks {
		id := Sanitize(c.ID)
		lines = append(lines, fmt.Sprintf("  %s %s%s%s", st.mark(c.Status), id,
			strings.Repeat(" ", idWidth-len(id)), Sanitize(c.Title)))
		for _, d := range sanitizeProse(c.Detail) {
			lines = append(lines, "      "+d)
		}
		for _, f := range sanitizeProse(c.Fix) {
			lines = append(lines, "      "+st.title.Render("fix:")+" "+f)
		}
	}
	return lines
}

// indent prefixes every line.
func indent(lines []string, prefix string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = prefix + l
	}
	return out
}
