package clickup

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// exhaust makes the next response for pattern say the window is spent until
// reset, and records the fake time at which each request arrived.
func exhaust(f *fixture, pattern string, reset time.Duration) (arrivals func() []time.Time, resetAt time.Time) {
	var mu sync.Mutex
	var at []time.Time
	resetAt = f.clock.Now().Add(reset).Truncate(time.Second)
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, f.clock.Now())
		first := len(at) == 1
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "100")
		if first {
			w.Header().Set("X-RateLimit-Remaining", "0")
		} else {
			w.Header().Set("X-RateLimit-Remaining", "99")
		}
		w.Header().Set("X-RateLimit-Reset", epoch(resetAt))
		writeJSON(w, 200, `{"user":{"id":1},"teams":[]}`)
	})
	return func() []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), at...)
	}, resetAt
}

func TestRemainingZeroHoldsUntilReset(t *testing.T) {
	f := setup(t)
	arrivals, resetAt := exhaust(f, "/v2/user", 30*time.Second)
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.clock.Slept()) != 0 {
		t.Fatalf("first call slept %v", f.clock.Slept())
	}
	st := f.client.RateState()
	if st.Limit != 100 || st.Remaining != 0 || !st.Reset.Equal(resetAt) || !st.HeldUntil.Equal(resetAt) || st.PerMinute != 60_000 {
		t.Errorf("state = %+v, reset %v", st, resetAt)
	}
	if _, err := f.client.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	at := arrivals()
	if len(at) != 2 || at[1].Before(resetAt) {
		t.Errorf("second request at %v, before reset %v", at, resetAt)
	}
	if f.hits.Load() != 2 {
		t.Errorf("hits = %d: the hold must not spend requests on 429s", f.hits.Load())
	}
	if st := f.client.RateState(); st.Remaining != 99 {
		t.Errorf("state after reset = %+v", st)
	}
}

func TestSharedBudgetAcrossClients(t *testing.T) {
	f := setup(t)
	_, resetAt := exhaust(f, "/v2/user", 20*time.Second)
	f.mux.HandleFunc("/v2/team", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"teams":[]}`) })
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}

	// Another token is not held.
	other := f.another(testToken(t))
	if _, err := other.Workspaces.List(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.clock.Slept()) != 0 {
		t.Fatalf("a different token waited: %v", f.clock.Slept())
	}

	// A second client for the same token (in its Bearer spelling even) waits.
	twin := f.another(f.token)
	if !twin.RateState().HeldUntil.Equal(resetAt) {
		t.Errorf("twin sees state %+v", twin.RateState())
	}
	if _, err := twin.Workspaces.List(ctx); err != nil {
		t.Fatal(err)
	}
	if f.clock.Now().Before(resetAt) {
		t.Errorf("twin went at %v, before reset %v", f.clock.Now(), resetAt)
	}
}

func TestPacingSharedPerToken(t *testing.T) {
	f := setup(t, WithRateLimit(60)) // 1/s, burst 6
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"user":{}}`) })
	ctx := context.Background()
	twin := f.another(f.token, WithRateLimit(60))
	for i := range 6 {
		c := f.client
		if i%2 == 1 {
			c = twin
		}
		if _, err := c.Users.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.clock.Slept()) != 0 {
		t.Fatalf("burst of 6 slept %v", f.clock.Slept())
	}
	other := f.another(testToken(t), WithRateLimit(60))
	if _, err := other.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.clock.Slept()) != 0 {
		t.Fatalf("another token was paced by this one: %v", f.clock.Slept())
	}
	if _, err := twin.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if s := f.clock.Slept(); len(s) != 1 || s[0] < 900*time.Millisecond || s[0] > time.Second {
		t.Errorf("7th request on the token waited %v, want about 1s", s)
	}
}

func TestWithRateLimitRepacesSharedBudget(t *testing.T) {
	tok := testToken(t)
	clk := newFakeClock()
	New(tok, WithClock(clk), WithRateLimit(100))
	c2 := New(tok, WithClock(clk), WithRateLimit(1000))
	if st := c2.RateState(); st.PerMinute != 1000 {
		t.Errorf("PerMinute = %d", st.PerMinute)
	}
	// A client without an explicit rate does not reset the shared one.
	c3 := New(tok, WithClock(clk))
	if st := c3.RateState(); st.PerMinute != 1000 {
		t.Errorf("PerMinute = %d after a default client", st.PerMinute)
	}
	if b := budgets.get(keyFor(tok), 0); b.lim.Burst() != 100 {
		t.Errorf("burst = %d", b.lim.Burst())
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	clk := &blockingClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), waits: make(chan time.Duration, 1)}
	f := setup(t, WithClock(clk))
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", epoch(clk.now.Add(50*time.Second)))
		writeJSON(w, 200, `{"user":{}}`)
	})
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.client.Users.Me(ctx)
		done <- err
	}()
	select {
	case d := <-clk.waits:
		if d < 49*time.Second {
			t.Errorf("waiting %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("client never waited")
	}
	cancel()
	select {
	case err := <-done:
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != KindRateLimited || !errors.Is(err, context.Canceled) || ce.RetryAfter < 49*time.Second {
			t.Errorf("err = %#v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not interrupt the wait")
	}
	if f.hits.Load() != 1 {
		t.Errorf("hits = %d", f.hits.Load())
	}
}

func TestCancelWhilePacing(t *testing.T) {
	clk := &blockingClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), waits: make(chan time.Duration, 1)}
	f := setup(t, WithClock(clk), WithRateLimit(1)) // burst 1, then one a minute
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"user":{}}`) })
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-clk.waits; cancel() }()
	_, err := f.client.Users.Me(ctx)
	if !IsKind(err, KindRateLimited) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	// The cancelled reservation is returned to the bucket.
	st := f.client.RateState()
	if st.PerMinute != 1 {
		t.Errorf("state = %+v", st)
	}
}

func TestPacingPastDeadline(t *testing.T) {
	f := setup(t, WithRateLimit(1))
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"user":{}}`) })
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := f.client.Users.Me(ctx)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.RetryAfter < 50*time.Second || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if f.hits.Load() != 1 || len(f.clock.Slept()) != 0 {
		t.Errorf("hits = %d sleeps = %v", f.hits.Load(), f.clock.Slept())
	}
}

func TestHoldIsCapped(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(time.Hour)))
		writeJSON(w, 200, `{"user":{}}`)
	})
	ctx := context.Background()
	f.client.Users.Me(ctx)
	_, err := f.client.Users.Me(ctx)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.RetryAfter != maxHold {
		t.Errorf("err = %v, want rate_limited with RetryAfter %v", err, maxHold)
	}
}

func TestRegistryLRU(t *testing.T) {
	r := newRegistry(3)
	keys := make([]tokenKey, 5)
	for i := range keys {
		keys[i] = keyFor(string(rune('a' + i)))
	}
	b0 := r.get(keys[0], 100)
	r.get(keys[1], 100)
	r.get(keys[2], 100)
	if r.get(keys[0], 100) != b0 {
		t.Fatal("budget not reused")
	}
	r.get(keys[3], 100) // evicts keys[1], the least recently used
	if r.len() != 3 {
		t.Errorf("len = %d", r.len())
	}
	if r.get(keys[0], 100) != b0 {
		t.Error("recently used budget was evicted")
	}
	if _, ok := r.m[keys[1]]; ok {
		t.Error("LRU entry survived")
	}
	if budgets.max != 10_000 {
		t.Errorf("process registry bound = %d", budgets.max)
	}
}

func TestBudgetKeyIsHash(t *testing.T) {
	tok := "pk_1_ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if keyFor(tok) != tokenKey(sha256.Sum256([]byte(tok))) {
		t.Error("key is not the SHA-256 of the token")
	}
	if keyFor("oauthtoken123") != keyFor("Bearer oauthtoken123") {
		t.Error("a token and its Bearer spelling must share a budget")
	}
}

func TestBurst(t *testing.T) {
	for _, c := range []struct{ per, burst int }{{100, 10}, {1000, 100}, {10000, 100}, {5, 1}, {0, 1}} {
		if got := burstFor(c.per); got != c.burst {
			t.Errorf("burstFor(%d) = %d, want %d", c.per, got, c.burst)
		}
	}
}

func TestEpochTime(t *testing.T) {
	if got := epochTime(1700000000); !got.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("seconds: %v", got)
	}
	if got := epochTime(1700000000123); !got.Equal(time.UnixMilli(1700000000123)) {
		t.Errorf("milliseconds: %v", got)
	}
}

func TestHeadersAbsentLeaveStateAlone(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"user":{}}`) })
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := f.client.RateState(); !st.Observed.IsZero() || st.Limit != 0 || !st.HeldUntil.IsZero() {
		t.Errorf("state = %+v", st)
	}
}
