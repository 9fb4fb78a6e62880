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

// validity describes when a certificate expires, measured from the
// report's evaluation time (never the wall clock, so output is
// reproducible), and the status it deserves: fail when expired or not yet
// valid, warn within 30 days of the end.
func validity(notBefore, notAfter, at time.Time) (string, inspect.Status) {
	switch {
	case notAfter.IsZero():
		return "no expiry date", inspect.StatusSkip
	case !notBefore.IsZero() && at.Before(notBefore):
		return fmt.Sprintf("not valid before %s", day(notBefore)), inspect.StatusFail
	case !at.Before(notAfter):
		ago := int(at.Sub(notAfter).Hours() / 24)
		if ago == 0 {
			return fmt.Sprintf("expired %s", day(notAfter)), inspect.StatusFail
		}
		return fmt.Sprintf("expired %s, %s ago", day(notAfter), plural(ago, "day")), inspect.StatusFail
	}
	left := int(notAfter.Sub(at).Hours() / 24)
	st := inspect.StatusPass
	if left < 30 {
		st = inspect.StatusWarn
	}
	return fmt.Sprintf("expires %s, %s", day(notAfter), plural(left, "day")), st
}

// shortName names a certificate briefly: "CN=<common name>" when the RFC
// 4514 subject has one, else the whole subject. The result is sanitized
// and capped at max runes.
func shortName(subject string, max int) string {
	if subject == "" {
		return "(empty subject)"
	}
	if cn, ok := commonName(subject); ok {
		return sanitize("CN="+cn, max)
	}
	return sanitize(subject, max)
}

// commonName returns the value of the first CN attribute of an RFC 4514
// string, still escaped as it was written.
func commonName(dn string) (string, bool) {
	start := 0
	for i := 0; i <= len(dn); i++ {
		if i < len(dn) && dn[i] == '\\' {
			i++ // skip the escaped byte
			continue
		}
		if i < len(dn) && dn[i] != ',' && dn[i] != '+' {
			continue
		}
		attr := strings.TrimSpace(dn[start:i])
		if len(attr) > 3 && strings.EqualFold(attr[:3], "CN=") {
			return attr[3:], true
		}
		start = i + 1
	}
	return "", false
}

// progressText is a step of an inspection in flight: "policy handshake",
// "versions 2/4".
func progressText(p inspect.Progress) string {
	step := Sanitize(p.Step)
	if step == "" {
		step = "starting"
	}
	if p.Total > 0 {
		return fmt.Sprintf("%s %d/%d", step, p.Done, p.Total)
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
