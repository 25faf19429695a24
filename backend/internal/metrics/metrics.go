package metrics

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the process's counters; one registry per process (tests make their own).
type Metrics struct {
	Registry     *prometheus.Registry
	HTTPRequests *prometheus.CounterVec
	HTTPLatency  *prometheus.HistogramVec
	EASCommands  *prometheus.CounterVec
	AuditEvents  *prometheus.CounterVec
	IMAPIdle     prometheus.Gauge
}

// New registers the metrics; heldPings reports the Pings being held; db is the pool to watch.
func New(heldPings func() float64, db *sql.DB) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tessera_http_requests_total",
			Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"}),
		HTTPLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tessera_http_request_duration_seconds",
			Help:    "HTTP request latency by route (Ping requests included: they are held on purpose).",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10, 60, 600, 3600}}, []string{"route", "method"}),
		EASCommands: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tessera_eas_commands_total",
			Help: "EAS commands by command and HTTP status."}, []string{"command", "status"}),
		AuditEvents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tessera_audit_events_total",
			Help: "Audited events by kind and outcome: logins, failures, second factors, credential use, admin actions."}, []string{"kind", "outcome"}),
		IMAPIdle: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tessera_imap_idle_held", Help: "IMAP IDLE commands being held now."}),
	}
	r.MustRegister(m.HTTPRequests, m.HTTPLatency, m.EASCommands, m.AuditEvents, m.IMAPIdle,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tessera_eas_pings_held", Help: "EAS Pings being held now."}, heldPings),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		r.MustRegister(collectors.NewDBStatsCollector(db, "tessera"))
	}
	return m
}

// Serve answers /metrics on addr until ctx ends; it is a listener of its own so that the
// metrics are never exposed where the API is. With profiling on, Go's profiler answers under
// /debug/pprof/ on the same listener (CPU and heap profiles of a server under load).
func (m *Metrics) Serve(ctx context.Context, ln net.Listener, profiling bool) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	if profiling {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
