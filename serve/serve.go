// Package serve runs chainscope as a Prometheus probe, in the style of
// Prometheus' blackbox_exporter: Prometheus scrapes
// GET /probe?target=HOST:PORT[&policy=NAME][&servername=NAME], the server
// inspects the endpoint as the policy's sender would (package inspect) and
// answers the outcome as metrics in the Prometheus exposition format, from a
// registry of its own per probe. GET /metrics has the server's own metrics
// (probes by verdict, durations, rejected requests, the Go runtime and the
// process); GET /healthz answers "ok".
//
// # Metrics of a probe
//
// Each metric's HELP text gives its unit and label bounds:
// chainscope_probe_success, chainscope_probe_inspected,
// chainscope_probe_duration_seconds, chainscope_check_status,
// chainscope_cert_not_after_timestamp_seconds,
// chainscope_chain_presented_certificates, chainscope_tls_version_info,
// chainscope_trust_store_info and
// chainscope_trust_root_not_after_timestamp_seconds. A failed check and an
// endpoint that could not be inspected both answer 200 with
// chainscope_probe_success 0, as blackbox_exporter does: the HTTP status
// says whether the probe ran, the metrics what it found.
//
// # Bounds
//
// The server is meant to face Prometheus, but every request is treated as
// untrusted: at most [Config.Concurrency] probes run at once and at most
// [Config.MaxWaiting] wait for a slot, each for at most half its time budget,
// after which it is refused with 503; a probe's budget is Prometheus'
// X-Prometheus-Scrape-Timeout-Seconds header less a margin, capped by
// [inspect.Options.Timeout]; the query string is bounded to [MaxQuery]
// bytes; a target is a live endpoint only, never a file; and an
// [AllowList] restricts the endpoints a probe may reach, so the server is
// not an open scanner. Label values taken from certificates are sanitized
// and bounded in length and number.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"chainscope/inspect"
	"chainscope/inspect/policy"
)

// Config is what a [Server] takes from outside.
type Config struct {
	// Options is the base of every probe's inspection: Store (loaded once
	// and shared by every probe; required), Policy (the default policy;
	// nil means pagerduty; a probe may name it or a built-in one with
	// ?policy=), Timeout (the upper bound of one probe, and of each of its
	// connections; zero means 10s), PerHost, ClientCertificate, Dialer and
	// Now. Policy, ServerName and Timeout are set per probe.
	Options inspect.Options
	// Allow, when set, lists the only endpoints a probe may inspect.
	Allow *AllowList
	// Concurrency bounds the probes that run at once; zero means 8.
	Concurrency int
	// MaxWaiting bounds the probes waiting for a slot; beyond it a probe is
	// refused with 503 at once. Zero means 4 × Concurrency.
	MaxWaiting int
	// ErrorLog receives the HTTP server's errors; nil means the log
	// package's standard logger.
	ErrorLog *log.Logger
}

// MaxQuery bounds the query string of a request, in bytes: a target, a
// policy name and a server name fit in far less.
const MaxQuery = 4096

// maxHeaderBytes bounds a request's header, request line included.
const maxHeaderBytes = 16 << 10

// Server answers /probe, /metrics and /healthz. It is an [http.Handler];
// [Server.Serve] runs it with bounded reads and writes.
type Server struct {
	opts       inspect.Options
	policies   map[string]*policy.Policy
	allow      *AllowList
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
	errorLog   *log.Logger

	probe probeMetrics
	self  *serverMetrics
	mux   *http.ServeMux
}

// New returns a server for cfg. It fails when cfg has no trust store.
func New(cfg Config) (*Server, error) {
	if cfg.Options.Store == nil {
		return nil, errors.New("serve: no trust store: load one (trust.Mozilla) into Config.Options.Store")
	}
	opts := cfg.Options
	if opts.Policy == nil {
		opts.Policy = policy.PagerDuty()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	s := &Server{
		opts:     opts,
		policies: map[string]*policy.Policy{},
		allow:    cfg.Allow,
		errorLog: cfg.ErrorLog,
	}
	for _, name := range policy.Names() {
		p, _ := policy.Builtin(name)
		s.policies[name] = p
	}
	s.policies[opts.Policy.Name] = opts.Policy
	n := cfg.Concurrency
	if n <= 0 {
		n = 8
	}
	s.slots = make(chan struct{}, n)
	s.maxWaiting = int64(cfg.MaxWaiting)
	if s.maxWaiting <= 0 {
		s.maxWaiting = 4 * int64(n)
	}
	s.probe = newProbeMetrics(opts.Store)
	s.self = newServerMetrics(s)

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		s.self,
	)
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /probe", s.handleProbe)
	s.mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("GET /{$}", s.handleIndex)
	return s, nil
}

// ServeHTTP routes a request to /probe, /metrics, /healthz or the index.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleIndex(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, `chainscope serve: a Prometheus probe of what a strict TLS sender accepts

GET /probe?target=HOST:PORT[&policy=NAME][&servername=NAME][&format=json]
                 inspect one endpoint; its metrics (or its JSON report)
GET /metrics     this server's own metrics
GET /healthz     ok
`)
}

// Serve answers HTTP requests on ln until ctx is done, then shuts down,
// letting the probes in flight finish for up to their own timeout. Reads,
// writes and idle connections are bounded. It returns nil after a shutdown
// and the listener's error otherwise.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// A probe answers within its budget, which is at most the timeout.
		WriteTimeout:   s.opts.Timeout + 30*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: maxHeaderBytes,
		ErrorLog:       s.errorLog,
	}
	stopped := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout+time.Second)
			defer cancel()
			stopped <- hs.Shutdown(sctx)
		case <-done:
			stopped <- nil
		}
	}()
	err := hs.Serve(ln)
	close(done)
	serr := <-stopped
	if errors.Is(err, http.ErrServerClosed) {
		return serr
	}
	return err
}
