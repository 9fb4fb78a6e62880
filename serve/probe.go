package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"chainscope/inspect"
	"chainscope/inspect/policy"
)

// ScrapeTimeoutHeader is the header in which Prometheus sends a scrape's
// timeout, in seconds (a decimal number).
const ScrapeTimeoutHeader = "X-Prometheus-Scrape-Timeout-Seconds"

// timeoutMargin is kept from the scrape timeout for answering, as
// blackbox_exporter's --timeout-offset (0.5 s by default); never more than
// a quarter of a short timeout.
const timeoutMargin = 500 * time.Millisecond

// Reasons a request is refused, the reason label of
// chainscope_serve_rejected_requests_total.
const (
	reasonBadRequest = "bad_request" // 400: no target, bad target, unknown policy, bad header
	reasonTooLarge   = "too_large"   // 414: query string over MaxQuery
	reasonNotAllowed = "not_allowed" // 403: target outside the allow-list
	reasonBusy       = "busy"        // 503: no slot within the wait bound
)

var rejectReasons = []string{reasonBadRequest, reasonTooLarge, reasonNotAllowed, reasonBusy}

// probeRequest is a /probe request, parsed and checked.
type probeRequest struct {
	target     inspect.Target
	policy     *policy.Policy
	serverName string
	json       bool
	budget     time.Duration
}

// requestError is a request refused before any probe ran.
type requestError struct {
	status int
	reason string
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) *requestError {
	return &requestError{http.StatusBadRequest, reasonBadRequest, fmt.Sprintf(format, args...)}
}

// parseProbe reads target, policy, servername and format from the query
// and the time budget from the scrape-timeout header.
func (s *Server) parseProbe(r *http.Request) (*probeRequest, *requestError) {
	if len(r.URL.RawQuery) > MaxQuery {
		return nil, &requestError{http.StatusRequestURITooLong, reasonTooLarge,
			fmt.Sprintf("query string of %d bytes: longer than %d", len(r.URL.RawQuery), MaxQuery)}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("query string: %v", err)
	}
	one := func(key string) (string, *requestError) {
		switch v := q[key]; len(v) {
		case 0:
			return "", nil
		case 1:
			return v[0], nil
		default:
			return "", badRequest("%s given %d times: give it once", key, len(v))
		}
	}
	req := &probeRequest{policy: s.opts.Policy}
	arg, rerr := one("target")
	if rerr != nil {
		return nil, rerr
	}
	if arg == "" {
		return nil, badRequest("no target: give target=HOST:PORT")
	}
	// A target from the network is a live endpoint, never a file.
	if req.target, err = inspect.ParseHostTarget(arg); err != nil {
		return nil, badRequest("%v", err)
	}
	if s.allow != nil && !s.allow.Allows(req.target) {
		return nil, &requestError{http.StatusForbidden, reasonNotAllowed,
			fmt.Sprintf("target %s is not in the allow-list (--targets-allow)", req.target.Address())}
	}
	name, rerr := one("policy")
	if rerr != nil {
		return nil, rerr
	}
	if name != "" {
		p, ok := s.policies[name]
		if !ok {
			return nil, badRequest("unknown policy %q: want one of %s", name, strings.Join(s.policyNames(), ", "))
		}
		req.policy = p
	}
	if req.serverName, rerr = one("servername"); rerr != nil {
		return nil, rerr
	}
	if req.serverName != "" {
		// A host alone (no port, no URL); an internationalised name is
		// sent and matched as its IDNA A-label, as --servername is.
		t, err := inspect.ParseHostTarget(req.serverName)
		a, aerr := inspect.ASCIIName(req.serverName)
		if err != nil || aerr != nil || t.Host != a {
			return nil, badRequest("servername %q: want a host name or an IP address", req.serverName)
		}
		req.serverName = a
	}
	format, rerr := one("format")
	if rerr != nil {
		return nil, rerr
	}
	switch format {
	case "", "prometheus":
	case "json":
		req.json = true
	default:
		return nil, badRequest("format %q: want prometheus (the default) or json", format)
	}
	if req.budget, rerr = s.budget(r.Header.Get(ScrapeTimeoutHeader)); rerr != nil {
		return nil, rerr
	}
	return req, nil
}

func (s *Server) policyNames() []string {
	return slices.Sorted(maps.Keys(s.policies))
}

// budget is the time a probe may take: the scrape timeout Prometheus sends
// less a margin to answer in, capped by the configured timeout (which is
// also the budget without the header).
func (s *Server) budget(header string) (time.Duration, *requestError) {
	if header == "" {
		return s.opts.Timeout, nil
	}
	secs, err := strconv.ParseFloat(header, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || secs <= 0 {
		return 0, badRequest("%s %q: want a positive number of seconds", ScrapeTimeoutHeader, header)
	}
	d := time.Duration(min(secs, s.opts.Timeout.Seconds()+1) * float64(time.Second))
	d -= min(timeoutMargin, d/4)
	return min(d, s.opts.Timeout), nil
}

// acquire takes a probe slot, waiting at most wait (and never past ctx)
// when all are busy; it returns false when no slot came or too many probes
// wait already.
func (s *Server) acquire(ctx context.Context, wait time.Duration) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
	}
	if s.waiting.Add(1) > s.maxWaiting {
		s.waiting.Add(-1)
		return false
	}
	defer s.waiting.Add(-1)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (s *Server) release() { <-s.slots }

// handleProbe runs one inspection and answers its metrics (or its report
// with format=json). The probe's deadline counts from the request's
// arrival, waiting for a slot included, so the answer comes before
// Prometheus gives up on the scrape.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	req, rerr := s.parseProbe(r)
	if rerr != nil {
		s.reject(w, rerr)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), req.budget)
	defer cancel()
	if !s.acquire(ctx, req.budget/2) {
		s.reject(w, &requestError{http.StatusServiceUnavailable, reasonBusy,
			fmt.Sprintf("%d probes in flight and no slot came free in %v: raise --concurrency or scrape less often", cap(s.slots), req.budget/2)})
		return
	}
	defer s.release()

	opts := s.opts
	opts.Policy = req.policy
	opts.ServerName = req.serverName
	if dl, ok := ctx.Deadline(); ok {
		opts.Timeout = min(opts.Timeout, time.Until(dl))
	}
	start := time.Now()
	report, _ := inspect.Inspect(ctx, req.target, opts)
	elapsed := time.Since(start)
	s.self.observe(report.Verdict, elapsed)

	if req.json {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(&report)
		return
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(&probeCollector{m: &s.probe, report: &report, elapsed: elapsed})
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// reject answers a refused request with its status and a one-line reason,
// and counts it.
func (s *Server) reject(w http.ResponseWriter, e *requestError) {
	s.self.rejected.WithLabelValues(e.reason).Inc()
	http.Error(w, "chainscope: "+e.msg, e.status)
}
