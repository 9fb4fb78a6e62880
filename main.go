// Command chainscope tells whether a TLS endpoint, or a certificate chain in
// a file, will be accepted by a strict sender such as PagerDuty's webhooks:
// chain order as presented, root in Mozilla's list, protocol, cipher suite
// and mutual TLS. See README.md and shared/spec/headless.md.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"chainscope/inspect"
	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// Exit statuses of the headless specification.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
	exitError = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Usage: chainscope [flags] TARGET...
       chainscope serve [flags]     a Prometheus probe (chainscope serve --help)
       chainscope mtls nginx|apache|check [flags]
                                    verify the sender's client certificate (chainscope mtls --help)
       chainscope listen ADDR --cert FILE --key FILE
                                    show the client certificate a sender presents (chainscope listen --help)

Tells whether a TLS endpoint will be accepted by a strict sender (PagerDuty's
webhooks by default), and what to change when it won't.

A TARGET is host, host:port, [ipv6]:port, https://host[:port]/path, a PEM or
DER file, or - for standard input. An argument naming an existing file is a
file.

Examples:
  chainscope testdata/chain-ok.pem --servername example.com
  chainscope --as client --policy sender.json client-chain.pem
  chainscope --json webhooks.example.com
  chainscope --text --at 2026-01-15 chain.pem
  chainscope --ciphers --text example.com:8443

Output:
  --json                 one JSON report per target per line (JSON Lines)
  --text                 plain-text report (the default when stdout is not a terminal)
  --color auto|always|never
                         colour in the text report (auto: terminal and no NO_COLOR)
  With stdout a terminal and neither flag, an interactive interface opens.

Flags:
  --policy NAME|FILE     rules to evaluate (built in: pagerduty)        [pagerduty]
  --roots mozilla|system|FILE
                         trust store; a FILE replaces the store         [mozilla]
  --servername NAME      SNI and the name the leaf must cover            [target host]
  --at TIME              evaluate validity at TIME (RFC 3339 or YYYY-MM-DD) [now]
  --timeout DURATION     bound on each connection and handshake          [10s]
  --ciphers              enumerate every accepted cipher suite per version
  --client-cert FILE     present this client certificate when asked
  --client-key FILE      its private key
  --concurrency N        targets inspected at once                      [8]
  --per-host N           connections open at once to one endpoint       [5]
  --input FILE           read more targets from FILE, one per line, # comments
  --as server|client     judge a file's chain as a server's or as the sender's
                         client certificate chain (the policy's client CAs)  [server]
  --fix-chain FILE       write the repaired chain to FILE (one target): the leaf,
                         then each issuer along the path, the root left out;
                         never written when, judged again, it still fails
  --intermediates FILE   PEM bundle to take missing intermediates from
  --fetch-intermediates  fetch a missing intermediate from its caIssuers URL
                         (HTTP, at most 64 KiB, 10s and 3 redirects each)
  --version              print the version and exit

Subcommands:
  chainscope config nginx|apache [flags] TARGET   a server block for the policy
  chainscope mtls nginx|apache [flags]            client-certificate verification lines
  chainscope serve [flags]                        a Prometheus probe

Exit status:
  0  every target passes the policy
  1  every target was inspected, at least one fails the policy
  2  bad usage; nothing was inspected
  3  at least one target could not be inspected (3 wins over 1)
`

// config is the parsed command line.
type config struct {
	json, text  bool
	color       string
	policy      string
	roots       string
	serverName  string
	at          string
	timeout     time.Duration
	ciphers     bool
	clientCert  string
	clientKey   string
	concurrency int
	perHost     int
	input       string
	version     bool
	as          string
	targets     []string
	// --fix-chain FILE and where missing intermediates may come from.
	fixChain           string
	intermediates      string
	fetchIntermediates bool
}

// usageError is bad usage: exit status 2 and a hint to see --help.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("chainscope", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&cfg.json, "json", false, "")
	fs.BoolVar(&cfg.text, "text", false, "")
	fs.StringVar(&cfg.color, "color", "auto", "")
	fs.StringVar(&cfg.policy, "policy", "pagerduty", "")
	fs.StringVar(&cfg.roots, "roots", "", "")
	fs.StringVar(&cfg.serverName, "servername", "", "")
	fs.StringVar(&cfg.at, "at", "", "")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "")
	fs.BoolVar(&cfg.ciphers, "ciphers", false, "")
	fs.StringVar(&cfg.clientCert, "client-cert", "", "")
	fs.StringVar(&cfg.clientKey, "client-key", "", "")
	fs.IntVar(&cfg.concurrency, "concurrency", 8, "")
	fs.IntVar(&cfg.perHost, "per-host", 5, "")
	fs.StringVar(&cfg.input, "input", "", "")
	fs.BoolVar(&cfg.version, "version", false, "")
	fs.StringVar(&cfg.as, "as", "server", "")
	fs.StringVar(&cfg.fixChain, "fix-chain", "", "")
	fs.StringVar(&cfg.intermediates, "intermediates", "", "")
	fs.BoolVar(&cfg.fetchIntermediates, "fetch-intermediates", false, "")
	// Flags may follow targets: parse, take the next target, parse on.
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{strings.TrimPrefix(err.Error(), "flag provided but not defined: ")}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			cfg.targets = append(cfg.targets, args[1:]...)
			break
		}
		cfg.targets = append(cfg.targets, args[0])
		args = args[1:]
	}
	switch {
	case cfg.json && cfg.text:
		return nil, usageError{"--json and --text exclude each other"}
	case cfg.color != "auto" && cfg.color != "always" && cfg.color != "never":
		return nil, usageError{fmt.Sprintf("--color %q: want auto, always or never", cfg.color)}
	case cfg.timeout <= 0:
		return nil, usageError{"--timeout must be positive, e.g. 10s"}
	case cfg.concurrency < 1:
		return nil, usageError{"--concurrency must be at least 1"}
	case cfg.perHost < 1:
		return nil, usageError{"--per-host must be at least 1"}
	case cfg.as != "server" && cfg.as != "client":
		return nil, usageError{fmt.Sprintf("--as %q: want server or client", cfg.as)}
	case (cfg.clientCert == "") != (cfg.clientKey == ""):
		return nil, usageError{"--client-cert and --client-key go together"}
	}
	return cfg, nil
}

// subcommands are the modes named by the first argument (chainscope serve
// …): each takes the arguments after its name and the terminal, and returns
// the exit status. Anything else is a target or a flag.
var subcommands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int{
	"serve":  runServe,
	"mtls":   runMTLS,
	"listen": runListen,
	"config": runConfig,
}

// run is the whole command, with its terminal passed in so tests can run it
// in process. It returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			return sub(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitPass
	}
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\nchainscope: hint: run chainscope --help for usage\n", err)
		return exitUsage
	}
	if cfg.version {
		fmt.Fprintln(stdout, "chainscope", buildVersion())
		return exitPass
	}
	opts, err := buildOptions(cfg, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
		return exitUsage
	}
	if cfg.input != "" {
		more, err := readTargets(cfg.input)
		if err != nil {
			fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
			return exitUsage
		}
		cfg.targets = append(cfg.targets, more...)
	}
	if len(cfg.targets) == 0 {
		fmt.Fprint(stderr, "chainscope: error: no target\nchainscope: hint: give a host, host:port, URL or certificate file; run chainscope --help for usage\n")
		return exitUsage
	}
	tui := !cfg.json && !cfg.text && isTerminal(stdout)
	if msg := fixChainUsage(cfg, tui); msg != "" {
		fmt.Fprintf(stderr, "chainscope: error: %s\nchainscope: hint: run chainscope --help for usage\n", msg)
		return exitUsage
	}
	ro, err := repairOptions(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
		return exitUsage
	}
	if tui {
		return runTUI(ctx, cfg, opts, ro, stdin, stdout, stderr)
	}
	return runHeadless(ctx, cfg, opts, ro, stdout, stderr)
}

func buildOptions(cfg *config, stdin io.Reader) (inspect.Options, error) {
	opts := inspect.Options{
		ServerName: cfg.serverName,
		Timeout:    cfg.timeout,
		Ciphers:    cfg.ciphers,
		PerHost:    cfg.perHost,
		Stdin:      stdin,
		AsClient:   cfg.as == "client",
	}
	pol, ok := policy.Builtin(cfg.policy)
	if !ok {
		p, err := policy.Load(cfg.policy)
		if err != nil {
			return opts, fmt.Errorf("--policy %s: %w (built in: %s)", cfg.policy, withoutPath(err), strings.Join(policy.Names(), ", "))
		}
		pol = p
	}
	opts.Policy = pol
	roots := cfg.roots
	if roots == "" {
		roots = pol.Roots
	}
	store, err := loadStore(roots)
	if err != nil {
		return opts, err
	}
	opts.Store = store
	if cfg.at != "" {
		t, err := parseTime(cfg.at)
		if err != nil {
			return opts, err
		}
		opts.At = t
	}
	if cfg.clientCert != "" {
		kp, err := tls.LoadX509KeyPair(cfg.clientCert, cfg.clientKey)
		if err != nil {
			return opts, fmt.Errorf("--client-cert %s, --client-key %s: %w", cfg.clientCert, cfg.clientKey, withoutPath(err))
		}
		opts.ClientCertificate = &kp
	}
	return opts, nil
}

func loadStore(name string) (*trust.Store, error) {
	switch name {
	case "", "mozilla":
		return trust.Mozilla()
	case "system":
		return trust.System()
	}
	s, err := trust.LoadFile(name)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// withoutPath drops the "open FILE" of an error whose message names the
// file already.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseTime reads --at: RFC 3339, or a date meaning midnight UTC.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--at %q: want RFC 3339 (2026-01-15T10:00:00Z) or a date (2026-01-15)", s)
}

// maxInputTargets bounds --input.
const maxInputTargets = 1_000_000

func readTargets(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--input %w", err)
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

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func useColor(cfg *config, stdout io.Writer) bool {
	switch cfg.color {
	case "always":
		return true
	case "never":
		return false
	}
	return isTerminal(stdout) && os.Getenv("NO_COLOR") == ""
}

// runHeadless inspects the targets, at most --concurrency at once, and writes
// each report in the order the targets were given as soon as every report
// before it is written.
func runHeadless(ctx context.Context, cfg *config, opts inspect.Options, ro inspect.RepairOptions, stdout, stderr io.Writer) int {
	type result struct {
		report inspect.Report
		err    error
		fixErr error
	}
	results := make([]chan result, len(cfg.targets))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// Progress on stderr only when it is a terminal that stdout does not
	// share: a person watching a redirected run.
	var progressOut io.Writer
	if isTerminal(stderr) && !isTerminal(stdout) {
		progressOut = stderr
	}
	progress := newProgressLine(progressOut, len(cfg.targets))
	defer progress.clear()
	if progressOut != nil {
		opts.Progress = progress.step
	}
	sem := make(chan struct{}, cfg.concurrency)
	var wg sync.WaitGroup
	go func() {
		for i, arg := range cfg.targets {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				r, err := inspect.InspectArg(ctx, arg, opts)
				var fixErr error
				if cfg.fixChain != "" && err == nil {
					fixErr = fixChain(ctx, cfg.fixChain, opts, ro, &r)
				}
				results[i] <- result{r, err, fixErr}
			}()
		}
	}()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	color := useColor(cfg, stdout)
	code := exitPass
	for i := range cfg.targets {
		res := <-results[i]
		progress.clear()
		if res.err != nil {
			code = exitError
			fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(res.report.Error))
			for _, h := range hints(res.err, res.report.Source == inspect.SourceFile) {
				fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
			}
		} else if res.report.Verdict == inspect.VerdictFail && code == exitPass {
			code = exitFail
		}
		if res.fixErr != nil {
			fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(res.fixErr.Error()))
			for _, h := range fixChainHints(res.fixErr, ro) {
				fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
			}
			if code == exitPass {
				code = exitFail
			}
		}
		for _, n := range res.report.Notes {
			fmt.Fprintf(stderr, "chainscope: warning: %s: %s\n", ui.Sanitize(res.report.Target), ui.Sanitize(n))
		}
		var err error
		if cfg.json {
			err = enc.Encode(&res.report)
		} else {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			err = ui.WriteText(stdout, &res.report, ui.TextOptions{Color: color})
		}
		if err != nil {
			fmt.Fprintf(stderr, "chainscope: error: write report: %v\n", err)
			return exitError
		}
		progress.finished()
	}
	wg.Wait()
	return code
}

func runTUI(ctx context.Context, cfg *config, opts inspect.Options, ro inspect.RepairOptions, stdin io.Reader, stdout, stderr io.Writer) int {
	inspector := func(ctx context.Context, target string, progress func(inspect.Progress)) inspect.Report {
		o := opts
		o.Progress = progress
		o.Stdin = nil
		r, _ := inspect.InspectArg(ctx, target, o)
		return r
	}
	reports, err := ui.Run(ctx, ui.Config{
		Targets:   cfg.targets,
		Inspect:   inspector,
		WriteFile: func(name string, data []byte) error { return os.WriteFile(name, data, 0o644) },
		FixChain: func(ctx context.Context, r *inspect.Report) (*inspect.FixedChain, []byte, error) {
			return inspect.Repair(ctx, r, opts, ro)
		},
		Policy:  opts.Policy.Name,
		Store:   opts.Store.Label(),
		NoColor: cfg.color == "never",
	}, stdin, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: interface: %v\n", err)
		return exitError
	}
	// The exit status says the same as in the headless modes, for the
	// reports on screen when the user quit; a target still in flight was
	// not inspected.
	code := exitPass
	for _, r := range reports {
		switch {
		case r == nil || r.Verdict == inspect.VerdictError:
			code = exitError
		case r.Verdict == inspect.VerdictFail && code == exitPass:
			code = exitFail
		}
	}
	return code
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
