package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os/signal"
	"syscall"
	"time"

	"chainscope/serve"
)

const serveUsage = `Usage: chainscope serve [flags]

Runs an HTTP server that Prometheus scrapes, in the style of blackbox_exporter:
each GET /probe inspects one endpoint as the policy's sender would and answers
its metrics (chainscope_probe_success, chainscope_check_status, certificate
expiry, ...). GET /metrics has the server's own metrics, GET /healthz says ok.

  GET /probe?target=HOST:PORT[&policy=NAME][&servername=NAME][&format=json]

Examples:
  chainscope serve --listen 127.0.0.1:9219
  chainscope serve --listen :9219 --targets-allow /etc/chainscope/targets
  curl '127.0.0.1:9219/probe?target=webhooks.example.com:443'

Flags:
  --listen ADDR          address to listen on                            [127.0.0.1:9219]
  --policy NAME|FILE     default policy; ?policy= may also name the
                         built-in ones                                   [pagerduty]
  --roots mozilla|system|FILE
                         trust store, loaded once for every probe        [the policy's]
  --timeout DURATION     bound on one probe; Prometheus' scrape timeout
                         (X-Prometheus-Scrape-Timeout-Seconds) lowers it [10s]
  --concurrency N        probes run at once; 4×N more wait, at most
                         half their time, then get 503                   [8]
  --per-host N           connections open at once to one endpoint        [3]
  --targets-allow FILE   only these endpoints may be probed: host:port per line,
                         # comments (without it, any endpoint may be probed)
  --client-cert FILE     present this client certificate when asked
  --client-key FILE      its private key

Exit status: 0 after an interrupt or SIGTERM (the probes in flight answered
first), 2 on bad usage, 3 when the server cannot listen or stops on an error.
`

// defaultListen is where chainscope serve listens without --listen:
// loopback only, so that exposing the probe is a decision.
const defaultListen = "127.0.0.1:9219"

// runServe is chainscope serve: it listens until ctx is done or the
// process gets SIGTERM, the signal service managers (systemd, Docker,
// Kubernetes) stop a server with; either way the probes in flight finish.
func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	usageErr := func(msg string) int {
		return usageFail(stderr, msg, "run chainscope serve --help for usage")
	}
	cfg := &config{}
	var listen, allowFile string
	var concurrency int
	fs := flag.NewFlagSet("chainscope serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&listen, "listen", defaultListen, "")
	fs.StringVar(&cfg.policy, "policy", "pagerduty", "")
	fs.StringVar(&cfg.roots, "roots", "", "")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "")
	fs.IntVar(&concurrency, "concurrency", 8, "")
	fs.IntVar(&cfg.perHost, "per-host", 3, "")
	fs.StringVar(&allowFile, "targets-allow", "", "")
	fs.StringVar(&cfg.clientCert, "client-cert", "", "")
	fs.StringVar(&cfg.clientKey, "client-key", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, serveUsage)
			return exitPass
		}
		return usageErr(err.Error())
	}
	switch {
	case len(pos) > 0:
		return usageErr(fmt.Sprintf("unexpected argument %q: targets come with each /probe request", pos[0]))
	case cfg.timeout <= 0:
		return usageErr("--timeout must be positive, e.g. 10s")
	case concurrency < 1:
		return usageErr("--concurrency must be at least 1")
	case cfg.perHost < 1:
		return usageErr("--per-host must be at least 1")
	case (cfg.clientCert == "") != (cfg.clientKey == ""):
		return usageErr("--client-cert and --client-key go together")
	}
	if err := checkListenAddr("--listen", listen); err != nil {
		return usageFailed(stderr, err)
	}
	opts, err := buildOptions(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
		return exitUsage
	}
	var allow *serve.AllowList
	if allowFile != "" {
		if allow, err = serve.LoadAllowList(allowFile); err != nil {
			fmt.Fprintf(stderr, "chainscope: error: --targets-allow %v\n", err)
			return exitUsage
		}
	}
	srv, err := serve.New(serve.Config{
		Options:     opts,
		Allow:       allow,
		Concurrency: concurrency,
		ErrorLog:    log.New(stderr, "chainscope: serve: ", 0),
	})
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %v\n", err)
		return exitError
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return listenFailed(stderr, listen, "choose another address with --listen", err)
	}
	scope := "any endpoint may be probed"
	if allow != nil {
		scope = fmt.Sprintf("%d endpoints allowed", allow.Len())
	}
	fmt.Fprintf(stderr, "chainscope: serving http://%s/probe?target=HOST:PORT (policy %s, store %s; %s)\n",
		ln.Addr(), opts.Policy.Name, opts.Store.Label(), scope)
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "chainscope: error: serve: %v\n", err)
		return exitError
	}
	return exitPass
}
