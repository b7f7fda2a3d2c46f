package health

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(h http.Handler) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	return rec.Code, rec.Body.String()
}

func TestReadinessLifecycle(t *testing.T) {
	s := New()
	if c, b := get(s.Readyz()); c != 503 || !strings.HasPrefix(b, "starting") {
		t.Errorf("starting: %d %q", c, b)
	}
	if c, _ := get(s.Healthz()); c != 200 {
		t.Errorf("healthz while starting: %d", c)
	}
	s.Ready()
	if c, b := get(s.Readyz()); c != 200 || b != "ready\n" {
		t.Errorf("ready: %d %q", c, b)
	}

	release := make(chan struct{})
	entered := make(chan struct{})
	h := s.Track(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	}), func(r *http.Request) bool { return r.Method == http.MethodGet })
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/mcp", nil))
	<-entered
	// A GET stream is not tracked.
	streamDone := make(chan struct{})
	go func() {
		s.Track(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), func(r *http.Request) bool { return true }).
			ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/mcp", nil))
		close(streamDone)
	}()
	<-streamDone
	if s.InFlight() != 1 {
		t.Fatalf("in flight = %d, want 1", s.InFlight())
	}

	drained := make(chan int)
	go func() { drained <- s.Drain(context.Background()) }()
	for deadline := time.Now().Add(5 * time.Second); s.IsReady() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if c, b := get(s.Readyz()); c != 503 || !strings.Contains(b, "draining: 1 calls in flight") {
		t.Errorf("draining: %d %q", c, b)
	}
	if c, _ := get(s.Healthz()); c != 200 {
		t.Errorf("healthz while draining: %d", c)
	}
	select {
	case left := <-drained:
		t.Fatalf("Drain returned (%d left) with a call in flight", left)
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	select {
	case left := <-drained:
		if left != 0 {
			t.Errorf("left = %d", left)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Drain did not return once the call ended")
	}
}

func TestDrainGraceEnds(t *testing.T) {
	s := New()
	s.Ready()
	block := make(chan struct{})
	defer close(block)
	entered := make(chan struct{})
	go s.Track(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { close(entered); <-block }), nil).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/mcp", nil))
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the grace period is over at once
	if left := s.Drain(ctx); left != 1 {
		t.Errorf("left = %d, want 1", left)
	}
	if s2 := New(); s2.Drain(context.Background()) != 0 {
		t.Error("an idle replica does not drain at once")
	}
}
