// Command chainscope tells whether a TLS endpoint, or a certificate chain in
// a file, will be accepted by a strict sender such as PagerDuty's webhooks:
// chain order as presented, root in Mozilla's list, protocol, cipher suite
// and mutual TLS. See README.md and shared/spec/headless.md.
//
//go:debug x509negativeserial=1
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"chainscope/inspect"
	"chainscope/inspect/certfile"
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

// command is one subcommand: it takes the arguments after its name and
// the terminal, and returns the exit status.
type command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// subcommands are the modes named by the first argument (chainscope serve
// …). Any other first argument is a flag or a target of the inspection,
// chainscope's main job (runInspect).
var subcommands = map[string]command{
	"serve":   runServe,
	"mtls":    runMTLS,
	"listen":  runListen,
	"config":  runConfig,
	"help":    func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int { return printUsage(stdout) },
	"version": func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int { return printVersion(stdout) },
}

// run is the whole command, with its terminal passed in so tests can run it
// in process. It returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			return sub(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	return runInspect(ctx, args, stdin, stdout, stderr)
}

const usage = `Usage: chainscope [flags] TARGET...

Tells whether a TLS endpoint will be accepted by a strict sender (PagerDuty's
webhooks by default), and what to change when it won't.

A TARGET is host, host:port, [ipv6]:port, https://host[:port]/path, a PEM or
DER file, or - for standard input. An argument with a / or ending in .pem,
.crt, .cer, .der, .p7b or .key is always a file; so is any other that names
an existing file.

Examples:
  chainscope hooks.example.com         the interface, on a live server
  chainscope --text chain.pem          a chain file, as a plain-text report
  chainscope --json a.example b:8443   JSON Lines, one report per target
  cat chain.pem | chainscope -         a chain on standard input
  chainscope --as client --policy sender.json client-chain.pem
                                       a sender's client certificate chain

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
  --per-host N           connections open at once to one endpoint       [3]
  --input FILE           read more targets from FILE, one per line, # comments
  --as server|client     judge a file's chain as a server's or as the sender's
                         client certificate chain (the policy's client CAs)  [server]
  --fix-chain FILE       write the repaired chain to FILE (one target): the leaf,
                         then each issuer along the path, the root left out;
                         never written when, judged again, it still fails
  --intermediates FILE   PEM bundle to take missing intermediates from
  --fetch-intermediates  fetch a missing intermediate from its caIssuers URL
                         (HTTP, at most 64 KiB, 10s and 3 redirects each)
  --version              print the version and the embedded Mozilla roots

Subcommands:
  chainscope config nginx|apache [flags] TARGET   a server block for the policy
  chainscope mtls nginx|apache|check [flags]      verify the sender's client certificate
  chainscope listen ADDR --cert FILE --key FILE   show the client certificate a sender presents
  chainscope serve [flags]                        a Prometheus probe
  chainscope help, chainscope version             --help, --version

Exit status:
  0  every target passes the policy
  1  every target was inspected, at least one fails the policy
  2  bad usage; nothing was inspected
  3  at least one target could not be inspected (3 wins over 1)
`

func printUsage(w io.Writer) int {
	fmt.Fprint(w, usage)
	return exitPass
}

// usageFailed reports bad usage on stderr with a hint and returns 2.
func usageFailed(stderr io.Writer, err error) int {
	hint := "run chainscope --help for usage"
	var ue usageError
	if errors.As(err, &ue) && ue.hint != "" {
		hint = ue.hint
	}
	fmt.Fprintf(stderr, "chainscope: error: %s\nchainscope: hint: %s\n", ui.Sanitize(err.Error()), ui.Sanitize(hint))
	return exitUsage
}

// runInspect inspects the targets of the command line in the mode it asks
// for: the interface, JSON Lines or text.
func runInspect(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	if errors.Is(err, errHelp) {
		return printUsage(stdout)
	}
	if err != nil {
		return usageFailed(stderr, err)
	}
	if cfg.version {
		return printVersion(stdout)
	}
	if cfg.input != "" {
		more, err := readTargets(cfg.input)
		if err != nil {
			return usageFailed(stderr, err)
		}
		cfg.targets = append(cfg.targets, more...)
	}
	if len(cfg.targets) == 0 {
		return usageFailed(stderr, usageError{msg: "no target", hint: "give a host, host:port, URL or certificate file; run chainscope --help for usage"})
	}
	targets, err := parseTargets(cfg.targets)
	if err != nil {
		return usageFailed(stderr, err)
	}
	opts, err := buildOptions(cfg)
	if err != nil {
		return usageFailed(stderr, err)
	}
	// The certificates of "-" are read once, before anything else, so
	// that the interface can inspect them again and read its keys from
	// the terminal.
	var stdinData []byte
	for _, t := range targets {
		if t.Kind == inspect.TargetStdin {
			if stdinData, err = readStdin(stdin, stderr); err != nil {
				fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(err.Error()))
				return exitError
			}
		}
	}
	tui := !cfg.json && !cfg.text && isTerminal(stdout)
	if msg := fixChainUsage(cfg, tui); msg != "" {
		return usageFailed(stderr, usageError{msg: msg})
	}
	ro, err := repairOptions(cfg)
	if err != nil {
		return usageFailed(stderr, err)
	}
	if tui {
		keys, closeKeys, err := keyboard(stdin, stdinData != nil)
		if err == nil {
			defer closeKeys()
			return runTUI(ctx, cfg, opts, ro, stdinData, keys, stdout, stderr)
		}
		fmt.Fprintf(stderr, "chainscope: note: no terminal to read keys from (%v): writing the text report instead\n", err)
	}
	if stdinData != nil {
		opts.Stdin = bytes.NewReader(stdinData)
	}
	return runHeadless(ctx, cfg, opts, ro, targets, stdout, stderr)
}

// parseTargets parses every target before anything is inspected, so that
// a mistyped one is bad usage (exit status 2), not an inspection error.
func parseTargets(args []string) ([]inspect.Target, error) {
	out := make([]inspect.Target, len(args))
	stdin := false
	for i, a := range args {
		t, err := inspect.ParseTarget(a)
		if errors.Is(err, inspect.ErrDirectory) {
			return nil, usageError{msg: err.Error(), hint: directoryHint(a)}
		}
		if err != nil {
			hint := "a target is host, host:port, [ipv6]:port, https://host[:port]/path, a certificate file, or - for standard input"
			if h := ui.Hints(err); len(h) > 0 {
				hint = h[0]
			}
			return nil, usageError{msg: err.Error(), hint: hint}
		}
		if t.Kind == inspect.TargetStdin {
			if stdin {
				return nil, usageError{msg: "- given twice: standard input can be read once"}
			}
			stdin = true
		}
		out[i] = t
	}
	return out, nil
}

// directoryHint names the certificate files in a directory given as a
// target, a few of them, or says there are none.
func directoryHint(dir string) string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() && inspect.LooksLikePath(e.Name()) && !strings.HasSuffix(e.Name(), ".key") {
			names = append(names, p)
		}
	}
	switch {
	case len(names) == 0:
		return "give a certificate file (.pem, .crt, .cer, .der); there is none in " + dir
	case len(names) > 3:
		return fmt.Sprintf("give a certificate file, such as %s (%d more there)", strings.Join(names[:3], ", "), len(names)-3)
	}
	return "give a certificate file, such as " + strings.Join(names, ", ")
}

// readStdin reads the certificates of the target "-", up to the size a
// certificate file may have. On a terminal it says first what it waits for.
func readStdin(stdin io.Reader, stderr io.Writer) ([]byte, error) {
	if stdin == nil {
		return nil, errors.New("standard input (-): none was given")
	}
	if isTerminal(stdin) {
		fmt.Fprintln(stderr, "chainscope: reading certificates (PEM or DER) from standard input; paste them, then press Ctrl-D")
	}
	data, err := io.ReadAll(io.LimitReader(stdin, certfile.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("-: read standard input: %w", err)
	}
	return data, nil
}

// keyboard is where the interface reads keys: standard input when it is
// a terminal and does not carry the certificates of "-", else the
// process's controlling terminal, /dev/tty (as less and fzf do). close
// releases what keyboard opened.
func keyboard(stdin io.Reader, stdinIsData bool) (keys io.Reader, close func(), err error) {
	if !stdinIsData && isTerminal(stdin) {
		return stdin, func() {}, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, errors.New("standard input is not a terminal and /dev/tty cannot be opened")
	}
	if !term.IsTerminal(tty.Fd()) {
		tty.Close()
		return nil, nil, errors.New("/dev/tty is not a terminal")
	}
	return tty, func() { tty.Close() }, nil
}

func buildOptions(cfg *config) (inspect.Options, error) {
	opts := inspect.Options{
		ServerName: cfg.serverName,
		At:         cfg.at,
		Timeout:    cfg.timeout,
		Ciphers:    cfg.ciphers,
		PerHost:    cfg.perHost,
		AsClient:   cfg.as == "client",
	}
	sn, err := inspect.ASCIIName(cfg.serverName)
	if err != nil {
		return opts, fmt.Errorf("--servername: %w", err)
	}
	opts.ServerName = sn
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
	if cfg.clientCert != "" {
		kp, err := loadKeyPair("--client-cert", cfg.clientCert, "--client-key", cfg.clientKey)
		if err != nil {
			return opts, err
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
	return trust.LoadFile(name)
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

// isTerminal reports whether f, a reader or writer, is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}

// textOutput decides how the text report is written: the colour profile
// (colorprofile's detection from stdout and the environment, so NO_COLOR,
// TERM=dumb and a pipe are honoured, as in the interface; --color
// overrides it) and the width to wrap at (the terminal's, or 0 when
// stdout is not a terminal: one line per item).
func textOutput(cfg *config, stdout io.Writer) (io.Writer, ui.TextOptions) {
	p := colorprofile.Detect(stdout, os.Environ())
	switch cfg.color {
	case "always":
		p = max(p, colorprofile.ANSI256)
	case "never":
		p = colorprofile.NoTTY
	}
	opt := ui.TextOptions{Color: p < colorprofile.NoTTY}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			opt.Width = w
		}
	}
	if !opt.Color {
		return stdout, opt
	}
	return &colorprofile.Writer{Forward: stdout, Profile: p}, opt
}

// runHeadless inspects the targets, at most --concurrency at once, and writes
// each report in the order the targets were given as soon as every report
// before it is written. The text report of several targets ends with a
// tally.
func runHeadless(ctx context.Context, cfg *config, opts inspect.Options, ro inspect.RepairOptions, targets []inspect.Target, stdout, stderr io.Writer) int {
	type result struct {
		report inspect.Report
		err    error
		fixErr error // --fix-chain: why nothing was written
	}
	results := make([]chan result, len(targets))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// Progress on stderr only when it is a terminal that stdout does not
	// share: a person watching a redirected run.
	var progressOut io.Writer
	if isTerminal(stderr) && !isTerminal(stdout) {
		progressOut = stderr
	}
	progress := newProgressLine(progressOut, len(targets))
	defer progress.clear()
	sem := make(chan struct{}, cfg.concurrency)
	var wg sync.WaitGroup
	go func() {
		for i, t := range targets {
			sem <- struct{}{}
			wg.Add(1)
			progress.started(i, t.Arg)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				o := opts
				if progressOut != nil {
					o.Progress = func(pr inspect.Progress) { progress.step(i, pr) }
				}
				r, err := inspect.Inspect(ctx, t, o)
				var fixErr error
				if cfg.fixChain != "" && err == nil {
					fixErr = fixChain(ctx, cfg.fixChain, opts, ro, &r)
				}
				progress.inspected(i)
				results[i] <- result{r, err, fixErr}
			}()
		}
	}()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	out, textOpt := textOutput(cfg, stdout)
	var tally ui.Tally
	code := exitPass
	for i := range targets {
		res := <-results[i]
		progress.clear()
		if res.err != nil {
			code = exitError
			writeError(stderr, res.report.Error, res.err)
		} else if res.report.Verdict == inspect.VerdictFail && code == exitPass {
			code = exitFail
		}
		if res.fixErr != nil {
			fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(res.fixErr.Error()))
			for _, h := range fixChainHints(res.fixErr, ro) {
				fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
			}
			switch {
			case errors.As(res.fixErr, new(*os.PathError)):
				code = exitError // the file could not be written
			case code == exitPass:
				code = exitFail
			}
		}
		for _, n := range res.report.Notes {
			fmt.Fprintf(stderr, "chainscope: warning: %s: %s\n", ui.Sanitize(res.report.Target), ui.Sanitize(n))
		}
		tally.Add(&res.report)
		var err error
		if cfg.json {
			err = enc.Encode(&res.report)
		} else {
			if i > 0 {
				fmt.Fprintln(out)
			}
			err = ui.WriteText(out, &res.report, textOpt)
		}
		if err != nil {
			fmt.Fprintf(stderr, "chainscope: error: write report: %v\n", err)
			return exitError
		}
		progress.finished()
	}
	wg.Wait()
	if !cfg.json && len(targets) > 1 {
		progress.clear()
		if err := ui.WriteTally(out, tally, textOpt); err != nil {
			fmt.Fprintf(stderr, "chainscope: error: write report: %v\n", err)
			return exitError
		}
	}
	return code
}

// writeError says on stderr, once, why a target could not be inspected,
// and what to try.
func writeError(stderr io.Writer, msg string, err error) {
	fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(msg))
	for _, h := range ui.Hints(err) {
		fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
	}
}

// runTUI runs the interface with its keys read from keys; stdinData holds
// the certificates of "-", if it is a target. When the user quits, one line
// per target stays on stdout: its verdict and first fix.
func runTUI(ctx context.Context, cfg *config, opts inspect.Options, ro inspect.RepairOptions, stdinData []byte, keys io.Reader, stdout, stderr io.Writer) int {
	inspector := func(ctx context.Context, target string, progress func(inspect.Progress)) (inspect.Report, error) {
		o := opts
		o.Progress = progress
		if stdinData != nil {
			o.Stdin = bytes.NewReader(stdinData)
		}
		return inspect.InspectArg(ctx, target, o)
	}
	reports, err := ui.Run(ctx, ui.Config{
		Targets:   cfg.targets,
		Inspect:   inspector,
		WriteFile: writeFileAtomic,
		FixChain: func(ctx context.Context, r *inspect.Report) (*inspect.FixedChain, []byte, error) {
			return inspect.Repair(ctx, r, opts, ro)
		},
		Policy:  opts.Policy.Name,
		Store:   inspect.DescribeStore(opts.Store),
		NoColor: cfg.color == "never",
	}, keys, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: interface: %v\n", err)
		return exitError
	}
	out, textOpt := textOutput(cfg, stdout)
	if err := ui.WriteOutcomes(out, cfg.targets, reports, textOpt); err != nil {
		fmt.Fprintf(stderr, "chainscope: error: write summary: %v\n", err)
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

// printVersion prints chainscope's version and the Mozilla roots it
// embeds, with the module they come from.
func printVersion(w io.Writer) int {
	fmt.Fprintln(w, "chainscope", buildVersion())
	s, err := trust.Mozilla()
	if err != nil {
		fmt.Fprintf(w, "Mozilla roots: %v\n", err)
		return exitPass
	}
	si := inspect.DescribeStore(s)
	fmt.Fprintf(w, "%s, embedded from %s %s\n", ui.StoreLabel(si), si.Module, si.Version)
	return exitPass
}
