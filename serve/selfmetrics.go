package serve

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"chainscope/inspect"
)

// serverMetrics are the server's own metrics, on /metrics: what was probed,
// how long it took, what was refused, and how full the probe slots are.
type serverMetrics struct {
	probes   *prometheus.CounterVec
	duration prometheus.Histogram
	rejected *prometheus.CounterVec
	gauges   []prometheus.Collector
}

func newServerMetrics(s *Server) *serverMetrics {
	m := &serverMetrics{
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainscope_serve_probes_total",
			Help: "Probes run, by verdict: pass, fail, or error when the endpoint could not be inspected.",
		}, []string{"verdict"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "chainscope_serve_probe_duration_seconds",
			Help:    "Wall time of the probes' inspections, in seconds.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainscope_serve_rejected_requests_total",
			Help: "Probe requests refused before any inspection, by reason: bad_request (400), too_large (414), not_allowed (403, outside --targets-allow), busy (503, no probe slot in time).",
		}, []string{"reason"}),
		gauges: []prometheus.Collector{
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "chainscope_serve_probes_in_flight",
				Help: "Probes running now.",
			}, func() float64 { return float64(len(s.slots)) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "chainscope_serve_probes_waiting",
				Help: "Probes waiting for a slot now.",
			}, func() float64 { return float64(s.waiting.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "chainscope_serve_probes_max_concurrent",
				Help: "Probes that may run at once (--concurrency).",
			}, func() float64 { return float64(cap(s.slots)) }),
		},
	}
	// Every label value from the start, so rates work from the first scrape.
	for _, v := range []inspect.Verdict{inspect.VerdictPass, inspect.VerdictFail, inspect.VerdictError} {
		m.probes.WithLabelValues(string(v))
	}
	for _, r := range rejectReasons {
		m.rejected.WithLabelValues(r)
	}
	return m
}

func (m *serverMetrics) all() []prometheus.Collector {
	return append([]prometheus.Collector{m.probes, m.duration, m.rejected}, m.gauges...)
}

// Describe sends the descriptions of every metric.
func (m *serverMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.all() {
		c.Describe(ch)
	}
}

// Collect sends every metric.
func (m *serverMetrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.all() {
		c.Collect(ch)
	}
}

// observe counts one probe and its duration.
func (m *serverMetrics) observe(v inspect.Verdict, d time.Duration) {
	m.probes.WithLabelValues(string(v)).Inc()
	m.duration.Observe(d.Seconds())
}
