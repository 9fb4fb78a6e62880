package inspect

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// TargetKind says whether a [Target] is a live endpoint or certificates to
// read.
type TargetKind int

// The kinds of target of the headless specification.
const (
	TargetHost  TargetKind = iota // a live TLS endpoint
	TargetFile                    // a PEM or DER file
	TargetStdin                   // PEM or DER on standard input ("-")
)

// DefaultPort is the port of a host target given without one.
const DefaultPort = "443"

// maxTargetLen bounds a target argument; no host name or path is longer.
const maxTargetLen = 4096

// Target is one thing to inspect, as parsed from the command line.
type Target struct {
	// Arg is the target exactly as given.
	Arg  string
	Kind TargetKind
	// Host and Port name the endpoint of a host target. Host carries no
	// brackets, even for IPv6.
	Host, Port string
	// Path is the file of a file target.
	Path string
}

// Address returns host:port for dialling.
func (t Target) Address() string { return net.JoinHostPort(t.Host, t.Port) }

// ErrDirectory reports a target that names a directory.
var ErrDirectory = errors.New("a directory")

// ErrMalformedTarget is matched (errors.Is) by the error of a target that
// does not parse as host, host:port, [ipv6]:port or an https URL: bad
// usage, nothing was dialled.
var ErrMalformedTarget = errors.New("malformed target")

// malformedTarget wraps why arg does not parse so that it matches
// ErrMalformedTarget, its text unchanged: `target "[::1": want …`.
type malformedTarget struct {
	arg string
	err error
}

func (e *malformedTarget) Error() string   { return fmt.Sprintf("target %q: %v", e.arg, e.err) }
func (e *malformedTarget) Unwrap() []error { return []error{e.err, ErrMalformedTarget} }

// fileExtensions mark an argument as a file whether or not it exists: the
// extensions certificates (and their keys, given by mistake) are saved
// under.
var fileExtensions = []string{".pem", ".crt", ".cer", ".der", ".p7b", ".key"}

// LooksLikePath reports whether arg can only mean a file: it contains a
// path separator (and is no URL) or ends in a certificate file extension.
// Such an argument is never resolved as a host name, so a mistyped file
// name is "no such file", not a DNS error.
func LooksLikePath(arg string) bool {
	if strings.Contains(arg, "://") {
		return false
	}
	if strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) {
		return true
	}
	lower := strings.ToLower(arg)
	for _, ext := range fileExtensions {
		if strings.HasSuffix(lower, ext) && len(lower) > len(ext) {
			return true
		}
	}
	return false
}

// ParseTarget turns a command-line argument into a [Target]. "-" is standard
// input; an argument that [LooksLikePath] or names an existing file is a
// file; a directory is an error; anything else must be host, host:port,
// [ipv6]:port, ipv4:port or an https URL.
func ParseTarget(arg string) (Target, error) {
	if arg == "-" {
		return Target{Arg: arg, Kind: TargetStdin, Path: "-"}, nil
	}
	if arg != "" && len(arg) <= maxTargetLen {
		if fi, err := os.Stat(arg); err == nil {
			if fi.IsDir() {
				return Target{}, fmt.Errorf("%s: %w, not a certificate file", arg, ErrDirectory)
			}
			return Target{Arg: arg, Kind: TargetFile, Path: arg}, nil
		}
		if LooksLikePath(arg) {
			return Target{Arg: arg, Kind: TargetFile, Path: arg}, nil
		}
	}
	t, err := ParseHostTarget(arg)
	if he := (*hostNameError)(nil); errors.As(err, &he) {
		return t, fmt.Errorf("%w, and no file has that name", err)
	}
	return t, err
}

// ParseHostTarget parses a live endpoint only — host, host:port,
// [ipv6]:port, ipv4:port or an https URL — and never looks at the file
// system: for targets from the network (chainscope serve's /probe), where
// naming a local file must not read it.
func ParseHostTarget(arg string) (Target, error) {
	if arg == "" {
		return Target{}, errors.New("empty target: give a host, host:port, URL or file")
	}
	if len(arg) > maxTargetLen {
		return Target{}, fmt.Errorf("target of %d bytes: longer than %d", len(arg), maxTargetLen)
	}
	host, port, err := splitHostPort(arg)
	if err != nil {
		return Target{}, &malformedTarget{arg: arg, err: err}
	}
	return Target{Arg: arg, Kind: TargetHost, Host: host, Port: port}, nil
}

func splitHostPort(arg string) (host, port string, err error) {
	s := arg
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err != nil {
			return "", "", fmt.Errorf("not a URL: %v", err)
		}
		if u.Scheme != "https" {
			return "", "", fmt.Errorf("scheme %q: only https URLs name a TLS endpoint", u.Scheme)
		}
		if u.Host == "" {
			return "", "", errors.New("URL without a host")
		}
		s = u.Host
	}
	switch {
	case strings.HasPrefix(s, "["):
		host, port, err = net.SplitHostPort(s)
		if err != nil {
			if !strings.HasSuffix(s, "]") {
				return "", "", errors.New("want [ipv6]:port, as in [::1]:443")
			}
			host, port = s[1:len(s)-1], DefaultPort
		}
		if net.ParseIP(host) == nil || !strings.Contains(host, ":") {
			return "", "", fmt.Errorf("%q is not an IPv6 address", host)
		}
	case strings.Count(s, ":") > 1:
		// A bare IPv6 address; its port cannot be told from its groups.
		if net.ParseIP(s) == nil {
			return "", "", errors.New("not a host: write an IPv6 address with a port as [addr]:port")
		}
		host, port = s, DefaultPort
	case strings.Contains(s, ":"):
		host, port, err = net.SplitHostPort(s)
		if err != nil {
			return "", "", err
		}
	default:
		host, port = s, DefaultPort
	}
	if port == "" {
		port = DefaultPort
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("port %q: want a number from 1 to 65535", port)
	}
	if host, err = ASCIIName(host); err != nil {
		return "", "", err
	}
	if err := checkHostName(host); err != nil {
		return "", "", err
	}
	return host, port, nil
}

// hostNameError says a target is no host name. [ParseTarget], which also
// looked for a file of that name, adds that none exists; a target from the
// network ([ParseHostTarget]) never names the file system.
type hostNameError struct{ msg string }

func (e *hostNameError) Error() string { return e.msg }

// checkHostName accepts IP addresses and names made of letters, digits,
// '-', '_' and '.', each label at most 63 bytes (RFC 1035 §2.3.4, with the
// underscore real deployments use).
func checkHostName(h string) error {
	if h == "" {
		return errors.New("no host")
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	if len(h) > 253 {
		return errors.New("host name longer than 253 bytes")
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 {
			return &hostNameError{fmt.Sprintf("host %q: empty or over-long label", h)}
		}
		for _, r := range label {
			ok := r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !ok {
				return &hostNameError{fmt.Sprintf("%q is no host name (letters, digits, - and . only)", h)}
			}
		}
	}
	return nil
}
