package clickup

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedWindow refuses the first refusals Acquires (with wait), then
// admits, recording every call.
type scriptedWindow struct {
	mu       sync.Mutex
	refusals int
	wait     time.Duration
	reqs     []WindowRequest
	released []*WindowObservation
	holds    []time.Time
	inflight int
}

func (s *scriptedWindow) Acquire(_ context.Context, r WindowRequest) (func(*WindowObservation), time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	if s.refusals > 0 {
		s.refusals--
		return nil, s.wait, false
	}
	s.inflight++
	once := sync.Once{}
	return func(o *WindowObservation) {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.inflight--
			s.released = append(s.released, o)
		})
	}, 0, true
}

func (s *scriptedWindow) Hold(_ context.Context, key string, until, _ time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds = append(s.holds, until)
}

func TestSharedWindowRefusalWaitsThenGoes(t *testing.T) {
	w := &scriptedWindow{refusals: 2, wait: 3 * time.Second}
	f := setup(t, WithSharedWindow(w))
	reset := f.clock.Now().Add(40 * time.Second)
	f.mux.HandleFunc("/v2/user", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("X-RateLimit-Limit", "100")
		rw.Header().Set("X-RateLimit-Remaining", "42")
		rw.Header().Set("X-RateLimit-Reset", epoch(reset))
		writeJSON(rw, 200, `{"user":{"id":1,"username":"a"}}`)
	})
	var waits []string
	f.client.waitObs = func(reason string, d time.Duration) { waits = append(waits, reason+":"+d.String()) }
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.hits.Load(); got != 1 {
		t.Errorf("hits = %d, want 1", got)
	}
	if got := f.clock.TotalSlept(); got != 6*time.Second {
		t.Errorf("slept %v, want the two shared waits (6s)", got)
	}
	if strings.Join(waits, ",") != "shared:3s,shared:3s" {
		t.Errorf("observed waits %v", waits)
	}
	if len(w.reqs) != 3 {
		t.Fatalf("acquires = %d, want 3", len(w.reqs))
	}
	if k := w.reqs[0].Key; k != TokenKey(f.token) || len(k) != 64 || strings.Contains(f.token, k) {
		t.Errorf("key %q is not the token's hash", k)
	}
	if w.reqs[0].Burst != burstFor(60_000) {
		t.Errorf("burst = %d", w.reqs[0].Burst)
	}
	if len(w.released) != 1 || w.released[0] == nil || !w.released[0].Window || w.released[0].Remaining != 42 ||
		w.released[0].Limit != 100 || !w.released[0].Reset.Equal(reset) {
		t.Errorf("released %+v", w.released)
	}
	if st := f.client.RateState(); st.InFlight != 0 {
		t.Errorf("local in flight = %d after refusals, want 0", st.InFlight)
	}
}

func TestSharedWindowLongWaitIsRateLimitedError(t *testing.T) {
	w := &scriptedWindow{refusals: 1, wait: time.Hour}
	f := setup(t, WithSharedWindow(w))
	f.mux.HandleFunc("/v2/user", func(rw http.ResponseWriter, r *http.Request) {
		writeJSON(rw, 200, `{"user":{"id":1}}`)
	})
	_, err := f.client.Users.Me(context.Background())
	if !IsKind(err, KindRateLimited) {
		t.Fatalf("err = %v, want rate_limited", err)
	}
	var ce *Error
	if !errors.As(err, &ce) || ce.RetryAfter != time.Hour {
		t.Errorf("err = %#v, want RetryAfter 1h", err)
	}
	if f.hits.Load() != 0 {
		t.Errorf("hits = %d, want none", f.hits.Load())
	}
}

func TestSharedWindowReleasedWithoutResponseAndHeldOn429(t *testing.T) {
	w := &scriptedWindow{}
	f := setup(t, WithSharedWindow(w))
	n := 0
	reset := f.clock.Now().Add(10 * time.Second)
	f.mux.HandleFunc("/v2/user", func(rw http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			rw.Header().Set("X-RateLimit-Reset", epoch(reset))
			rw.Header().Set("X-RateLimit-Remaining", "0")
			writeJSON(rw, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
			return
		}
		writeJSON(rw, 200, `{"user":{"id":1}}`)
	})
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(w.holds) != 1 || w.holds[0].Before(reset.Add(-time.Second)) {
		t.Errorf("holds = %v, want one until about %v", w.holds, reset)
	}
	if len(w.released) != 2 || w.inflight != 0 {
		t.Errorf("released %d, in flight %d", len(w.released), w.inflight)
	}

	// A request that gets no response releases with nil.
	w2 := &scriptedWindow{}
	c := New(testToken(t), WithBaseURL("http://127.0.0.1:1/api"), WithSharedWindow(w2),
		WithRetryPolicy(RetryPolicy{MaxRetries: 0, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if _, err := c.Tasks.Create(context.Background(), "1", &TaskCreate{Name: "x"}); err == nil {
		t.Fatal("want a network error")
	}
	if len(w2.released) != 1 || w2.released[0] != nil || w2.inflight != 0 {
		t.Errorf("released %v, in flight %d; want one nil release", w2.released, w2.inflight)
	}
}

func TestObserveHeaders(t *testing.T) {
	h := http.Header{}
	if o := ObserveHeaders(h); o.Window || o.Limit != 0 {
		t.Errorf("empty headers = %+v", o)
	}
	h.Set("X-RateLimit-Limit", "100")
	h.Set("X-RateLimit-Remaining", "7")
	if o := ObserveHeaders(h); o.Window || o.Limit != 100 {
		t.Errorf("half a window = %+v", o)
	}
	h.Set("X-RateLimit-Reset", "1900000000")
	if o := ObserveHeaders(h); !o.Window || o.Remaining != 7 || o.Reset.Unix() != 1900000000 {
		t.Errorf("whole window = %+v", o)
	}
}
