package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"chainscope/inspect"
	"chainscope/inspect/policy"
	"chainscope/ui"
)

const listenUsage = `Usage: chainscope listen ADDR --cert FILE --key FILE [flags]

A TLS server to point the sender at (a test webhook): it asks every client
for a certificate from any CA, completes the handshake, answers 200, and
shows each client — its address, SNI, version and suite, and the chain it
presented, judged against the policy's client chains as --as client does.

Examples:
  chainscope listen :8443 --cert server.pem --key server.key
  chainscope listen 127.0.0.1:8443 --cert server.pem --key server.key --json --count 1

Output:
  --json                 one JSON report per connection (JSON Lines)
  --text                 a plain-text report per connection
  --color auto|always|never
  With stdout a terminal and neither flag, the clients show as a live list.

Flags:
  --cert FILE            the listener's certificate chain (PEM)
  --key FILE             its private key (kept in memory only)
  --policy NAME|FILE     whose client certificate to expect              [pagerduty]
  --count N              stop after N connections (0: until interrupted) [0]
  --max-conns N          connections served at once                      [16]
  --timeout DURATION     bound on each handshake                         [10s]
  --idle DURATION        bound on the wait for the request and the answer [10s]
  --at TIME              judge the chains at TIME (RFC 3339 or YYYY-MM-DD) [now]

Exit status (when stopped by --count or an interrupt):
  0  every client presented a chain the policy's receiver accepts
  1  at least one did not
  2  bad usage; nothing was started
  3  at least one handshake failed, or the listener could not start
`

// maxRequestBytes bounds what listen reads of a request.
const maxRequestBytes = 16 << 10

type listenConfig struct {
	addr, cert, key string
	policy          string
	json, text      bool
	color           string
	count, maxConns int
	timeout, idle   time.Duration
	at              string
	certificate     tls.Certificate
	opts            inspect.Options
}

func parseListen(args []string) (*listenConfig, error) {
	c := &listenConfig{}
	fs := flag.NewFlagSet("chainscope listen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.cert, "cert", "", "")
	fs.StringVar(&c.key, "key", "", "")
	fs.StringVar(&c.policy, "policy", "pagerduty", "")
	fs.BoolVar(&c.json, "json", false, "")
	fs.BoolVar(&c.text, "text", false, "")
	fs.StringVar(&c.color, "color", "auto", "")
	fs.IntVar(&c.count, "count", 0, "")
	fs.IntVar(&c.maxConns, "max-conns", 16, "")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "")
	fs.DurationVar(&c.idle, "idle", 10*time.Second, "")
	fs.StringVar(&c.at, "at", "", "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{msg: err.Error()}
	}
	switch {
	case len(pos) != 1:
		return nil, usageError{msg: "listen takes one address, e.g. :8443 or 127.0.0.1:8443"}
	case c.cert == "" || c.key == "":
		return nil, usageError{msg: "listen needs --cert and --key: the certificate the clients see"}
	case c.json && c.text:
		return nil, usageError{msg: "--json and --text exclude each other"}
	case c.color != "auto" && c.color != "always" && c.color != "never":
		return nil, usageError{msg: fmt.Sprintf("--color %q: want auto, always or never", c.color)}
	case c.count < 0 || c.maxConns < 1:
		return nil, usageError{msg: "--count must be 0 or more and --max-conns at least 1"}
	case c.timeout <= 0 || c.idle <= 0:
		return nil, usageError{msg: "--timeout and --idle must be positive, e.g. 10s"}
	}
	c.addr = pos[0]
	if err := checkListenAddr("address", c.addr); err != nil {
		return nil, err
	}
	pol, err := loadPolicy(c.policy)
	if err != nil {
		return nil, usageError{msg: err.Error()}
	}
	c.opts = inspect.Options{Policy: pol, Timeout: c.timeout}
	now := time.Now()
	if c.at != "" {
		if c.opts.At, err = parseTime(c.at); err != nil {
			return nil, usageError{msg: err.Error()}
		}
		now = c.opts.At
	}
	if _, err := pol.RequireClientChains(now, policy.RegionAll); err != nil {
		return nil, usageError{msg: err.Error()}
	}
	if c.certificate, err = loadKeyPair("--cert", c.cert, "--key", c.key); err != nil {
		return nil, usageError{msg: err.Error()}
	}
	return c, nil
}

// runListen is "chainscope listen ...".
func runListen(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseListen(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, listenUsage)
		return exitPass
	}
	if err != nil {
		hint := "run chainscope listen --help for usage"
		var ue usageError
		if errors.As(err, &ue) && ue.hint != "" {
			hint = ue.hint
		}
		return usageFail(stderr, err.Error(), hint)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return listenFailed(stderr, c.addr, "choose another address", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l := &inspect.Listener{
		Certificate: c.certificate, MaxConns: c.maxConns,
		HandshakeTimeout: c.timeout, IdleTimeout: c.idle, MaxRequestBytes: maxRequestBytes,
	}
	reports := make(chan inspect.Report, 16)
	served := make(chan error, 1)
	go func() {
		seen := 0
		served <- l.Serve(ctx, ln, c.opts, func(r inspect.Report) {
			if c.count > 0 && seen >= c.count {
				return
			}
			seen++
			reports <- r
			if c.count > 0 && seen == c.count {
				ln.Close() // stop accepting; the last clients still get their answer
			}
		})
		close(reports)
	}()
	fmt.Fprintf(stderr, "chainscope: listening on %s (policy %s); stop with Ctrl-C\n", ln.Addr(), c.opts.Policy.Name)
	var code int
	if !c.json && !c.text && isTerminal(stdout) {
		code = listenTUI(ctx, cancel, c, ln.Addr().String(), reports, stdin, stdout, stderr)
	} else {
		code = listenHeadless(c, reports, stdout, stderr)
	}
	cancel()
	for range reports {
	}
	if err := <-served; err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
		return exitError
	}
	return code
}

// listenCode folds one report into the exit status: 3 for a failed
// handshake wins over 1 for a failing chain.
func listenCode(code int, r *inspect.Report) int {
	switch {
	case r == nil:
		return code
	case r.Verdict == inspect.VerdictError:
		return exitError
	case r.Verdict == inspect.VerdictFail && code == exitPass:
		return exitFail
	}
	return code
}

// listenHeadless writes each report as it comes, until the feed closes.
func listenHeadless(c *listenConfig, reports <-chan inspect.Report, stdout, stderr io.Writer) int {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	color := c.color == "always"
	code, n := exitPass, 0
	for r := range reports {
		code = listenCode(code, &r)
		if r.Verdict == inspect.VerdictError {
			fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(r.Error))
		}
		var err error
		if c.json {
			err = enc.Encode(&r)
		} else {
			if n > 0 {
				fmt.Fprintln(stdout)
			}
			err = ui.WriteText(stdout, &r, ui.TextOptions{Color: color})
		}
		n++
		if err != nil {
			fmt.Fprintf(stderr, "chainscope: error: write report: %v\n", err)
			return exitError
		}
	}
	return code
}

// listenTUI shows the clients as a live list until the user quits.
func listenTUI(ctx context.Context, cancel func(), c *listenConfig, addr string, reports <-chan inspect.Report, stdin io.Reader, stdout, stderr io.Writer) int {
	shown, err := ui.Run(ctx, ui.Config{
		Feed:    reports,
		Waiting: fmt.Sprintf("listening on %s: waiting for clients (point the sender at https://%s/)", addr, addr),
		Policy:  c.opts.Policy.Name,
		NoColor: c.color == "never",
	}, stdin, stdout)
	cancel()
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "chainscope: error: interface: %v\n", err)
		return exitError
	}
	// One line per client stays on the terminal, as after an inspection:
	// its verdict and the first fix.
	names := make([]string, len(shown))
	for i, r := range shown {
		if r != nil {
			names[i] = r.Target
		}
	}
	out, opt := textOutput(&config{color: c.color}, stdout)
	if err := ui.WriteOutcomes(out, names, shown, opt); err != nil {
		fmt.Fprintf(stderr, "chainscope: error: write summary: %v\n", err)
	}
	code := exitPass
	for _, r := range shown {
		code = listenCode(code, r)
	}
	return code
}
