package serve

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"chainscope/inspect"
	"chainscope/inspect/trust"
)

// Bounds on what a server's certificates put in label values, so that a
// hostile server cannot blow up the series of a probe: the first
// maxCertSeries certificates get a chainscope_cert_not_after series each
// (chainscope_chain_presented_certificates says how many were sent), and a
// subject is cut to maxLabelRunes runes after sanitizing.
const (
	maxCertSeries = 16
	maxLabelRunes = 256
)

// probeMetrics are the descriptions of a probe's metrics, built once per
// server and shared by every probe.
type probeMetrics struct {
	success, inspected, duration, check, notAfter, presented, version, store, rootNotAfter *prometheus.Desc
	// storeName and storeVersion label chainscope_trust_store_info.
	storeName, storeVersion string
}

func newProbeMetrics(store *trust.Store) probeMetrics {
	return probeMetrics{
		success: prometheus.NewDesc("chainscope_probe_success",
			"1 when the endpoint passes the policy (verdict pass): the sender's handshake would go through; 0 when a check fails or the endpoint could not be inspected.",
			nil, nil),
		inspected: prometheus.NewDesc("chainscope_probe_inspected",
			"1 when the inspection ran; 0 when it could not (connection refused, timed out, not TLS): then every check is skip.",
			nil, nil),
		duration: prometheus.NewDesc("chainscope_probe_duration_seconds",
			"Wall time of the inspection, in seconds.",
			nil, nil),
		check: prometheus.NewDesc("chainscope_check_status",
			"Outcome of each check of the policy, value 1: one series per check id (chainscope's headless specification), its status (pass, fail, warn, info, skip) as a label.",
			[]string{"check", "status"}, nil),
		notAfter: prometheus.NewDesc("chainscope_cert_not_after_timestamp_seconds",
			fmt.Sprintf("Expiry (notAfter) of each presented certificate, in seconds since the Unix epoch, by position on the wire (0 first), RFC 4514 subject (sanitized, at most %d characters) and role: leaf, intermediate (the sender relies on these), root (the trust anchor or a copy of it, a cross-sign too, which the sender replaces with the store's root: see chainscope_trust_root_not_after_timestamp_seconds), duplicate, unrelated; the first %d certificates.", maxLabelRunes, maxCertSeries),
			[]string{"position", "subject", "role"}, nil),
		presented: prometheus.NewDesc("chainscope_chain_presented_certificates",
			"Number of certificates the server presented.",
			nil, nil),
		version: prometheus.NewDesc("chainscope_tls_version_info",
			"Protocol version the policy's own handshake negotiated, value 1; absent when that handshake failed.",
			[]string{"version"}, nil),
		store: prometheus.NewDesc("chainscope_trust_store_info",
			"Trust store the chain is judged against, with its version, value 1.",
			[]string{"name", "version"}, nil),
		rootNotAfter: prometheus.NewDesc("chainscope_trust_root_not_after_timestamp_seconds",
			fmt.Sprintf("Expiry of the store root the chain leads to, in seconds since the Unix epoch, by RFC 4514 subject (sanitized, at most %d characters).", maxLabelRunes),
			[]string{"subject"}, nil),
		storeName:    labelValue(store.Name),
		storeVersion: labelValue(store.Version),
	}
}

// probeCollector turns one report into metrics; it lives in the registry of
// one probe.
type probeCollector struct {
	m       *probeMetrics
	report  *inspect.Report
	elapsed time.Duration
}

// Describe sends every description, whether or not this probe has a series.
func (c *probeCollector) Describe(ch chan<- *prometheus.Desc) {
	m := c.m
	for _, d := range []*prometheus.Desc{m.success, m.inspected, m.duration, m.check, m.notAfter, m.presented, m.version, m.store, m.rootNotAfter} {
		ch <- d
	}
}

// Collect sends the probe's series.
func (c *probeCollector) Collect(ch chan<- prometheus.Metric) {
	m, r := c.m, c.report
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	inspected := r.Verdict != inspect.VerdictError
	gauge(m.success, boolValue(r.Verdict == inspect.VerdictPass))
	gauge(m.inspected, boolValue(inspected))
	gauge(m.duration, c.elapsed.Seconds())
	gauge(m.store, 1, m.storeName, m.storeVersion)
	for _, chk := range r.Checks {
		gauge(m.check, 1, chk.ID, string(chk.Status))
	}
	if !inspected {
		return
	}
	gauge(m.presented, float64(len(r.Chain)))
	for _, cert := range r.Chain[:min(len(r.Chain), maxCertSeries)] {
		gauge(m.notAfter, float64(cert.NotAfter.Unix()), strconv.Itoa(cert.Position), labelValue(cert.Subject), certRole(&cert))
	}
	if r.TLS != nil && r.TLS.Version != "" {
		gauge(m.version, 1, r.TLS.Version)
	}
	if na := r.Trust.RootNotAfter; na != nil {
		gauge(m.rootNotAfter, float64(na.Unix()), labelValue(r.Trust.RootSubject))
	}
}

// certRole is the role label of a presented certificate: the report's
// role, except that the certificate standing for the trust anchor is a
// root even when it is a cross-sign (inspect.LinkAnchor: a copy with the
// root's subject and key, which the report calls an intermediate): the
// sender judges the store's copy instead (sender-model.md section 3,
// inspect's judged path), so its own expiry costs nothing, and an alert
// on the certificates the sender relies on (leaf, intermediate) must not
// fire on it.
func certRole(c *inspect.Certificate) string {
	if c.IssuedBy.Kind == inspect.LinkAnchor {
		return "root"
	}
	return c.Role
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// labelValue makes a string from a certificate or a server fit for a label
// value: invalid UTF-8 and characters that are not graphic (controls,
// bidi overrides and other format characters, separators other than
// spaces, unassigned code points) are written as \xNN, \uNNNN or
// \UNNNNNNNN, and the result is cut to maxLabelRunes runes, the last one
// "…" when cut. Prometheus' exposition escapes backslashes, quotes and
// newlines on top of this.
func labelValue(s string) string {
	if plain(s) && len(s) <= maxLabelRunes {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var piece string
		switch {
		case r == utf8.RuneError && size <= 1:
			piece = fmt.Sprintf(`\x%02x`, s[i])
		case unicode.IsGraphic(r):
			piece = s[i : i+size]
		case r < 0x80:
			piece = fmt.Sprintf(`\x%02x`, r)
		case r <= 0xffff:
			piece = fmt.Sprintf(`\u%04x`, r)
		default:
			piece = fmt.Sprintf(`\U%08x`, r)
		}
		i += size
		pn := utf8.RuneCountInString(piece)
		if n+pn > maxLabelRunes-1 && (i < len(s) || n+pn > maxLabelRunes) {
			b.WriteString("…")
			break
		}
		b.WriteString(piece)
		n += pn
	}
	return b.String()
}

// plain reports whether s is printable ASCII only.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
