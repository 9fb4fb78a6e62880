package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"chainscope/inspect"
)

// tlsVersions is the order protocol versions are listed in; versions the
// engine names otherwise follow, sorted.
var tlsVersions = []string{"SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"}

// probedVersions are always shown, probed or not.
var probedVersions = []string{"TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"}

// versionKeys returns the keys of a per-version map in protocol order.
func versionKeys[V any](m map[string]V) []string {
	var known, other []string
	for _, v := range tlsVersions {
		if _, ok := m[v]; ok {
			known = append(known, v)
		}
	}
	for k := range m {
		if !slices.Contains(tlsVersions, k) {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	return append(known, other...)
}

// day formats a time as its UTC date.
func day(t time.Time) string {
	return t.UTC().Format("2006-01-02")
}

// expiry describes when a certificate expires, from the engine's judgement
// of it at the report's evaluation time, and the status it was given.
func expiry(e inspect.Expiry, notBefore, notAfter time.Time) (string, inspect.Status) {
	switch e.State {
	case inspect.ExpiryNotYetValid:
		return fmt.Sprintf("not valid before %s", day(notBefore)), e.Status
	case inspect.ExpiryExpired:
		if e.DaysLeft == 0 {
			return fmt.Sprintf("expired %s", day(notAfter)), e.Status
		}
		return fmt.Sprintf("expired %s, %s ago", day(notAfter), plural(-e.DaysLeft, "day")), e.Status
	case "":
		return "no expiry judged", inspect.StatusSkip
	}
	return fmt.Sprintf("expires %s, %s", day(notAfter), plural(e.DaysLeft, "day")), e.Status
}

// ProgressText is a step of an inspection in flight, sanitized, with what
// it waits for: "handshakes 2/6 · waiting for the server's answer on 3
// connections", "cipher suites 12".
func ProgressText(p inspect.Progress) string {
	step := Sanitize(p.Step)
	if step == "" {
		step = "starting"
	}
	switch {
	case p.Total > 0:
		step = fmt.Sprintf("%s %d/%d", step, p.Done, p.Total)
	case p.Done > 0:
		step = fmt.Sprintf("%s %d", step, p.Done)
	}
	if p.Waiting != "" {
		step += " · waiting for " + Sanitize(p.Waiting)
	}
	return step
}

// kv is one key/value line, the key padded to width; extra lines of the
// value are indented under it.
func kv(st styles, key string, width int, values ...string) []string {
	if len(values) == 0 {
		return nil
	}
	pad := strings.Repeat(" ", width)
	out := make([]string, 0, len(values))
	for i, v := range values {
		k := pad
		if i == 0 {
			k = st.label.Render(key) + strings.Repeat(" ", max(1, width-lipgloss.Width(key)))
		}
		out = append(out, k+v)
	}
	return out
}

// sanitizeAll sanitizes each string of a list.
func sanitizeAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = Sanitize(s)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// StoreLabel names a trust store briefly for a header: "Mozilla
// 2026-10-30 (117 roots)", "system roots 2026-11-02 (146 roots)", "roots
// from testdata/root.pem (1 root)". The module version of the Mozilla
// bundle is left to --version and the JSON report.
func StoreLabel(si inspect.StoreInfo) string {
	if si.Name == "" {
		return ""
	}
	n := plural(si.Roots, "root")
	switch {
	case si.Skipped == 1:
		n += ", 1 certificate skipped: it does not parse"
	case si.Skipped > 1:
		n += fmt.Sprintf(", %d certificates skipped: they do not parse", si.Skipped)
	}
	switch si.Name {
	case "mozilla":
		when := si.Date
		if when == "" {
			when = si.Version
		}
		if when == "" {
			return "Mozilla (" + n + ")"
		}
		return "Mozilla " + Sanitize(when) + " (" + n + ")"
	case "system":
		if si.Date != "" {
			return "system roots " + si.Date + " (" + n + ")"
		}
		return "system roots (" + n + ")"
	case "file":
		return "roots from " + Sanitize(si.File) + " (" + n + ")"
	}
	return ""
}

// reportStore is the store label of a report: from its store_info, else
// (a store StoreLabel has no words for) the prose of trust.store.
func reportStore(r *inspect.Report) string {
	if r.Trust.StoreInfo != nil {
		if l := StoreLabel(*r.Trust.StoreInfo); l != "" {
			return l
		}
	}
	return Sanitize(r.Trust.Store)
}
