// Package health answers the probes of an orchestrator and drains a replica
// on shutdown: GET /healthz says the process is alive, GET /readyz says it
// should get traffic (503 while starting and while draining), and Drain waits
// for the calls in flight.
package health

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// State is a replica's readiness and its calls in flight.
type State struct {
	ready    atomic.Bool
	draining atomic.Bool
	inflight atomic.Int64

	mu   sync.Mutex
	idle chan struct{} // closed when inflight drops to 0 while draining
}

// New is a State that is starting: alive, not ready.
func New() *State { return &State{} }

// Ready marks start-up done.
func (s *State) Ready() { s.ready.Store(true) }

// IsReady reports whether /readyz answers 200.
func (s *State) IsReady() bool { return s.ready.Load() && !s.draining.Load() }

// InFlight is the number of tracked requests being answered.
func (s *State) InFlight() int { return int(s.inflight.Load()) }

// Healthz answers 200 "ok" while the process serves at all.
func (s *State) Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
}

// Readyz answers 200 "ready" once Ready was called and until Drain, else
// 503 with the reason, so a load balancer stops sending new work first.
func (s *State) Readyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case s.draining.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("draining: " + strconv.Itoa(s.InFlight()) + " calls in flight\n"))
		case !s.ready.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("starting\n"))
		default:
			_, _ = w.Write([]byte("ready\n"))
		}
	})
}

// Track counts next's requests as in flight. Wrap the MCP endpoints (not
// the probes, and not the long-lived GET streams, which never end on their
// own: pass stream to exclude them).
func (s *State) Track(next http.Handler, stream func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stream != nil && stream(r) {
			next.ServeHTTP(w, r)
			return
		}
		s.inflight.Add(1)
		defer s.finish()
		next.ServeHTTP(w, r)
	})
}

func (s *State) finish() {
	if s.inflight.Add(-1) == 0 && s.draining.Load() {
		s.mu.Lock()
		if s.idle != nil {
			select {
			case <-s.idle:
			default:
				close(s.idle)
			}
		}
		s.mu.Unlock()
	}
}

// Drain turns /readyz to 503 and waits until no tracked call is in flight
// or ctx ends (the grace period), reporting how many were still running.
func (s *State) Drain(ctx context.Context) (left int) {
	s.mu.Lock()
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	idle := s.idle
	s.mu.Unlock()
	s.draining.Store(true)
	if s.inflight.Load() == 0 {
		return 0
	}
	select {
	case <-idle:
		return 0
	case <-ctx.Done():
		return s.InFlight()
	}
}
