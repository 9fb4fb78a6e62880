package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// config is the parsed command line of an inspection.
type config struct {
	json, text  bool
	color       string
	policy      string
	roots       string
	serverName  string
	at          time.Time // zero: now
	timeout     time.Duration
	ciphers     bool
	clientCert  string
	clientKey   string
	concurrency int
	perHost     int
	input       string
	version     bool
	as          string // server or client: how a file's chain is judged
	targets     []string
	// --fix-chain FILE and where missing intermediates may come from.
	fixChain           string
	intermediates      string
	fetchIntermediates bool
}

// usageError is bad usage: exit status 2, the message and a hint.
type usageError struct {
	msg  string
	hint string // empty: see --help
}

func (e usageError) Error() string { return e.msg }

// errHelp asks for the usage text: -h, -help or --help. It is the flag
// package's sentinel, which the subcommands test for.
var errHelp = flag.ErrHelp

// newFlagSet declares the flags of an inspection into cfg. The flag
// package is the registry and the parser of each value; parseArgs walks
// the arguments itself so that every mistake is said in plain words. Each
// value that can be wrong says what it wants.
func newFlagSet(cfg *config) *flag.FlagSet {
	fs := flag.NewFlagSet("chainscope", flag.ContinueOnError)
	fs.BoolVar(&cfg.json, "json", false, "")
	fs.BoolVar(&cfg.text, "text", false, "")
	cfg.color = "auto"
	fs.Func("color", "", func(s string) error {
		switch s {
		case "auto", "always", "never":
			cfg.color = s
			return nil
		}
		return errors.New("want auto, always or never")
	})
	fs.StringVar(&cfg.policy, "policy", "pagerduty", "")
	fs.StringVar(&cfg.roots, "roots", "", "")
	fs.StringVar(&cfg.serverName, "servername", "", "")
	fs.Func("at", "", func(s string) error {
		t, ok := parseInstant(s)
		if !ok {
			return errWantTime
		}
		cfg.at = t
		return nil
	})
	cfg.timeout = 10 * time.Second
	fs.Func("timeout", "", func(s string) error {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			return errors.New("want a duration with its unit, such as 10s, 1m30s or 500ms")
		case d <= 0:
			return errors.New("want a positive duration, such as 10s")
		}
		cfg.timeout = d
		return nil
	})
	fs.BoolVar(&cfg.ciphers, "ciphers", false, "")
	fs.StringVar(&cfg.clientCert, "client-cert", "", "")
	fs.StringVar(&cfg.clientKey, "client-key", "", "")
	cfg.concurrency, cfg.perHost = 8, 3
	fs.Func("concurrency", "", positiveInt(&cfg.concurrency))
	fs.Func("per-host", "", positiveInt(&cfg.perHost))
	fs.StringVar(&cfg.input, "input", "", "")
	fs.BoolVar(&cfg.version, "version", false, "")
	fs.Func("fix-chain", "", outputFile(&cfg.fixChain))
	fs.StringVar(&cfg.intermediates, "intermediates", "", "")
	fs.BoolVar(&cfg.fetchIntermediates, "fetch-intermediates", false, "")
	cfg.as = "server"
	fs.Func("as", "", func(s string) error {
		if s != "server" && s != "client" {
			return errors.New("want server or client")
		}
		cfg.as = s
		return nil
	})
	return fs
}

func positiveInt(p *int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return errors.New("want a whole number, 1 or more")
		}
		*p = n
		return nil
	}
}

// outputFile reads the name of a file to write (--fix-chain): not empty,
// not "-" (stdout holds the report or the block), not a directory.
func outputFile(p *string) func(string) error {
	return func(s string) error {
		switch {
		case s == "":
			return errors.New("want a file name")
		case s == "-":
			return errors.New("want a file name: stdout holds the report")
		}
		if fi, err := os.Stat(s); err == nil && fi.IsDir() {
			return errors.New("a directory: want a file name in it")
		}
		*p = s
		return nil
	}
}

// wants says what a flag that was given no value expects.
var wants = map[string]string{
	"color":         "auto, always or never",
	"policy":        "a policy name (pagerduty) or a policy file",
	"roots":         "mozilla, system or a PEM file of roots",
	"servername":    "a host name",
	"at":            "a date (2026-01-15) or an RFC 3339 time",
	"timeout":       "a duration such as 10s",
	"client-cert":   "a PEM certificate file",
	"client-key":    "a PEM key file",
	"concurrency":   "a whole number, 1 or more",
	"per-host":      "a whole number, 1 or more",
	"input":         "a file of targets, one per line",
	"as":            "server or client",
	"fix-chain":     "the file to write the repaired chain to",
	"intermediates": "a PEM file of intermediates",
	// The subcommands' own.
	"listen":        "an address, such as 127.0.0.1:9219",
	"cert":          "a PEM certificate file",
	"key":           "a PEM key file",
	"ca-cert":       "the stand-in CA's PEM certificate",
	"ca-key":        "the stand-in CA's PEM key",
	"other-ca-cert": "another CA's PEM certificate",
	"other-ca-key":  "another CA's PEM key",
	"region":        "one of the policy's regions, such as us or eu",
	"ca-out":        "the file to write the CA bundle to",
	"ca-path":       "the CA file's path on the server",
	"dhparam":       "the file to write the DH parameters to",
	"count":         "a whole number, 0 or more",
	"max-conns":     "a whole number, 1 or more",
	"idle":          "a duration such as 10s",
	"targets-allow": "a file of host:port lines",
}

// parseArgs reads the flags and targets of an inspection. Flags may come
// before, between or after the targets (parseFlags).
func parseArgs(args []string) (*config, error) {
	cfg := &config{}
	targets, err := parseFlags(newFlagSet(cfg), args)
	if err != nil {
		return nil, err
	}
	cfg.targets = targets
	switch {
	case cfg.json && cfg.text:
		return nil, usageError{msg: "--json and --text exclude each other: choose one"}
	case (cfg.clientCert == "") != (cfg.clientKey == ""):
		return nil, usageError{msg: "--client-cert and --client-key go together: give both"}
	}
	return cfg, nil
}

// parseFlags reads the flags of fs from args and returns the other
// arguments, for the inspection and every subcommand alike. Flags may come
// before, between or after the other arguments; "--" ends the flags. A
// flag is -name or --name, its value the next argument or after "=";
// -h, -help and --help return errHelp. Every mistake is a usageError in
// plain words, naming the flag and what it wants (the flag package's own
// messages, "-nope" or "parse error", never reach the user).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a) // "-" is standard input
			continue
		}
		body := strings.TrimPrefix(a[1:], "-")
		name, value, hasValue := strings.Cut(body, "=")
		if name == "" || name[0] == '-' || name[0] == '=' {
			return nil, usageError{msg: fmt.Sprintf("%q is not a flag: flags are written --name or --name=value", a)}
		}
		if name == "h" || name == "help" {
			return nil, errHelp
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, unknownFlag(fs, name)
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			if !hasValue {
				value = "true"
			}
			if _, err := strconv.ParseBool(value); err != nil {
				return nil, usageError{msg: fmt.Sprintf("--%s=%s: want --%s alone, or =true or =false", name, value, name)}
			}
		} else if !hasValue {
			if i+1 == len(args) {
				msg := fmt.Sprintf("--%s needs a value", name)
				if w := wants[name]; w != "" {
					msg += ": " + w
				}
				return nil, usageError{msg: msg}
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, usageError{msg: fmt.Sprintf("--%s %s: %v", name, quoteIfNeeded(value), valueWant(f, err))}
		}
	}
	return pos, nil
}

// valueWant says what a flag wants when its value was refused: the
// message of our own flag.Func values, or, for the flag package's typed
// values (whose error is only "parse error" or "value out of range"),
// what the type wants.
func valueWant(f *flag.Flag, err error) error {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return err
	}
	switch g.Get().(type) {
	case time.Duration:
		return errors.New("want a duration with its unit, such as 10s, 1m30s or 500ms")
	case int, int64, uint, uint64:
		return errors.New("want a whole number")
	case float64:
		return errors.New("want a number")
	}
	return err
}

// quoteIfNeeded quotes a value that would not read back as one word.
func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\"'") || strconv.Quote(v) != `"`+v+`"` {
		return strconv.Quote(v)
	}
	return v
}

// unknownFlag names a flag that does not exist and the closest one that
// does, when one is a typo away.
func unknownFlag(fs *flag.FlagSet, name string) error {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	best, bestD := "", 3 // suggest only what a typo or two away
	for _, n := range names {
		d := editDistance(name, n)
		if len(name) >= 3 && strings.HasPrefix(n, name) {
			d = min(d, 1) // an abbreviation
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	e := usageError{msg: "unknown flag --" + name}
	if best != "" {
		e.msg += ": did you mean --" + best + "?"
	}
	return e
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// errWantTime says what --at wants.
var errWantTime = errors.New("want a date (2026-01-15) or an RFC 3339 time (2026-01-15T10:00:00Z)")

// parseInstant reads --at: RFC 3339, or a date meaning midnight UTC.
func parseInstant(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// parseTime is parseInstant with an error that names the flag, for
// subcommands that parse --at themselves.
func parseTime(s string) (time.Time, error) {
	t, ok := parseInstant(s)
	if !ok {
		return t, fmt.Errorf("--at %s: %w", quoteIfNeeded(s), errWantTime)
	}
	return t, nil
}

// maxInputTargets bounds --input.
const maxInputTargets = 1_000_000

// readTargets reads the targets of --input: one per line, # comments.
func readTargets(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--input %s: %w", path, withoutPath(err))
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(out) == maxInputTargets {
			return nil, fmt.Errorf("--input %s: more than %d targets", path, maxInputTargets)
		}
		out = append(out, line)
	}
	return out, nil
}
