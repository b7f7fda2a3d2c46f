package clickup

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strconv"
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
	if b := budgets.get(keyFor(tok), 0); b.lim.Burst() != 100 || b.win.Burst() != 1000 {
		t.Errorf("bursts = %d, %d", b.lim.Burst(), b.win.Burst())
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

// manualClock moves only when the test advances it; After's channels fire
// then. Waits woken early (by the window tracker) leave their timers behind,
// which fire harmlessly into buffered channels.
type manualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []manualTimer
}

type manualTimer struct {
	at time.Time
	ch chan time.Time
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (m *manualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *manualClock) After(d time.Duration) <-chan time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- m.now
		return ch
	}
	m.timers = append(m.timers, manualTimer{m.now.Add(d), ch})
	return ch
}

func (m *manualClock) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
	keep := m.timers[:0]
	for _, t := range m.timers {
		if t.at.After(m.now) {
			keep = append(keep, t)
			continue
		}
		t.ch <- m.now
	}
	m.timers = keep
}

// windowServer enforces a fixed window the way ClickUp does: limit requests
// per window, the window starting at its first request, 429 beyond it, and
// the X-RateLimit-* headers on every response. While gate is non-nil,
// handlers wait on it before answering (the request is counted already).
type windowServer struct {
	clock  Clock
	limit  int
	window time.Duration

	mu       sync.Mutex
	start    time.Time
	count    int
	arrivals []time.Time
	n429     int
	gate     chan struct{}
}

func (s *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.clock.Now()
	if s.start.IsZero() || !now.Before(s.start.Add(s.window)) {
		s.start, s.count = now, 0
	}
	ok := s.count < s.limit
	if ok {
		s.count++
	} else {
		s.n429++
	}
	rem, reset, gate := s.limit-s.count, s.start.Add(s.window), s.gate
	s.arrivals = append(s.arrivals, now)
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	w.Header().Set("X-RateLimit-Reset", epoch(reset))
	if !ok {
		writeJSON(w, http.StatusTooManyRequests, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
		return
	}
	writeJSON(w, http.StatusOK, `{"user":{"id":1}}`)
}

// block makes the handlers wait until release; a failing test releases
// them on cleanup, so that the server can close.
func (s *windowServer) block(t *testing.T) (release func()) {
	g := make(chan struct{})
	s.mu.Lock()
	s.gate = g
	s.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(g)
		})
	}
	t.Cleanup(release)
	return release
}

// stats reports the arrivals before and at-or-after t, and the 429s.
func (s *windowServer) stats(t time.Time) (before, after, n429 int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.arrivals {
		if a.Before(t) {
			before++
		} else {
			after++
		}
	}
	return before, after, s.n429
}

// windowSetup serves a windowServer at /v2/user for a client on a manual
// clock, paced fast enough not to matter.
func windowSetup(t *testing.T, limit int, window time.Duration, opts ...Option) (*fixture, *manualClock, *windowServer) {
	t.Helper()
	clk := newManualClock()
	f := setup(t, append([]Option{WithClock(clk)}, opts...)...)
	ws := &windowServer{clock: clk, limit: limit, window: window}
	f.mux.Handle("/v2/user", ws)
	return f, clk, ws
}

// eventually polls cond for up to 5 s of real time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settle gives a request that should not be sent a moment to show up.
func settle() { time.Sleep(30 * time.Millisecond) }

// calls starts n Users.Me calls on c at once; wait returns their errors,
// failing the test if they have not all returned within 5 s.
func calls(t *testing.T, ctx context.Context, c *Client, n int) (wait func() []error) {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Users.Me(ctx)
		}()
	}
	return func() []error {
		t.Helper()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("calls still waiting")
		}
		return errs
	}
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestInFlightCountsAgainstRemaining(t *testing.T) {
	f, clk, ws := windowSetup(t, 5, 10*time.Second)
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil { // learns Remaining: 4
		t.Fatal(err)
	}
	release := ws.block(t)
	wait := calls(t, ctx, f.client, 6)
	eventually(t, "4 requests in flight", func() bool { return f.client.RateState().InFlight == 4 })
	settle()
	if before, _, _ := ws.stats(clk.Now().Add(time.Hour)); before != 5 {
		t.Fatalf("%d requests reached the server, want 5: in-flight ones must count against Remaining: 4", before)
	}
	if st := f.client.RateState(); st.Remaining != 4 || st.InFlight != 4 {
		t.Errorf("state = %+v", st)
	}
	release()
	eventually(t, "the answers", func() bool { return f.client.RateState().InFlight == 0 })
	settle()
	if st := f.client.RateState(); st.Remaining != 0 || st.InFlight != 0 {
		t.Errorf("state after the answers = %+v", st)
	}
	reset := clk.Now().Add(10 * time.Second)
	clk.Advance(10 * time.Second)
	noErrors(t, wait())
	before, after, n429 := ws.stats(reset)
	if before != 5 || after != 2 || n429 != 0 {
		t.Errorf("before reset %d, after %d, 429s %d; want 5, 2, 0", before, after, n429)
	}
}

func TestBurstSendsRemainingThenWaitsForReset(t *testing.T) {
	const limit, n = 8, 12
	f, clk, ws := windowSetup(t, limit, 10*time.Second)
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil { // Remaining: 7
		t.Fatal(err)
	}
	reset := clk.Now().Add(10 * time.Second)
	wait := calls(t, ctx, f.client, n)
	eventually(t, "the window spent", func() bool {
		st := f.client.RateState()
		return st.Remaining == 0 && st.InFlight == 0
	})
	settle()
	if before, _, _ := ws.stats(reset); before != limit {
		t.Fatalf("%d requests before the reset, want %d", before, limit)
	}
	if st := f.client.RateState(); !st.HeldUntil.Equal(reset) {
		t.Errorf("held until %v, want %v", st.HeldUntil, reset)
	}
	clk.Advance(10 * time.Second)
	noErrors(t, wait())
	before, after, n429 := ws.stats(reset)
	if before != limit || after != n-(limit-1) || n429 != 0 {
		t.Errorf("before reset %d, after %d, 429s %d; want %d, %d, 0", before, after, n429, limit, n-(limit-1))
	}
}

func TestWindowAfterResetAllowsLimitMinusInFlight(t *testing.T) {
	const limit = 4
	f, clk, ws := windowSetup(t, limit, 10*time.Second)
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Second) // the window is over; the next is not known yet
	release := ws.block(t)
	wait := calls(t, ctx, f.client, limit+2)
	eventually(t, "a new window's worth in flight", func() bool { return f.client.RateState().InFlight == limit })
	settle()
	if _, after, _ := ws.stats(clk.Now()); after != limit {
		t.Fatalf("%d sent after the reset, want Limit = %d", after, limit)
	}
	release()
	// The answers name the new window, spent: the last two wait for it.
	eventually(t, "the new window", func() bool {
		st := f.client.RateState()
		return st.InFlight == 0 && st.Reset.Equal(clk.Now().Add(10*time.Second))
	})
	settle()
	if _, after, _ := ws.stats(clk.Now()); after != limit {
		t.Fatalf("%d sent after the reset, want %d", after, limit)
	}
	clk.Advance(10 * time.Second)
	noErrors(t, wait())
	if _, _, n429 := ws.stats(clk.Now()); n429 != 0 {
		t.Errorf("429s = %d", n429)
	}
}

func TestWindowOutOfOrderHeaders(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	reset := now.Add(30 * time.Second)
	hdr := func(rem int, reset time.Time) http.Header {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", "100")
		h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
		h.Set("X-RateLimit-Reset", epoch(reset))
		return h
	}
	b := newBudget(60_000)
	paid := false
	for range 4 {
		if !b.admit(now, &paid).ok {
			t.Fatal("not admitted")
		}
	}
	b.done(hdr(40, reset), now)
	b.done(hdr(42, reset), now) // answered later, sent earlier
	if st := b.state(); st.Remaining != 40 || st.InFlight != 2 {
		t.Fatalf("state = %+v, want the lower Remaining 40 and 2 in flight", st)
	}
	next := reset.Add(30 * time.Second)
	b.done(hdr(97, next), reset) // a later window replaces the current one
	if st := b.state(); st.Remaining != 97 || !st.Reset.Equal(next) || st.InFlight != 1 {
		t.Fatalf("state = %+v, want the new window", st)
	}
	b.done(hdr(1, reset), reset.Add(time.Second)) // stale: an earlier window
	if st := b.state(); st.Remaining != 97 || !st.Reset.Equal(next) {
		t.Fatalf("state = %+v: a stale response changed the window", st)
	}
}

func TestWindowResetInThePast(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "2")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(-5*time.Second))) // skewed clocks
		writeJSON(w, 200, `{"user":{}}`)
	})
	ctx := context.Background()
	for range 3 {
		if _, err := f.client.Users.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if s := f.clock.Slept(); len(s) != 0 {
		t.Errorf("waited %v for a window that was over", s)
	}
	// The window is over: Limit is the budget, less what is in flight.
	b := f.client.budget()
	paid := false
	now := f.clock.Now()
	for i := range 2 {
		if !b.admit(now, &paid).ok {
			t.Fatalf("request %d not admitted", i+1)
		}
	}
	if tr := b.admit(now, &paid); tr.ok || tr.d != 0 || tr.changed == nil {
		t.Fatalf("third in flight: %+v, want a wait for an answer", tr)
	}
	b.done(nil, now)
	b.done(nil, now)
}

func TestCancelWhileWaitingForWindow(t *testing.T) {
	clk := &blockingClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), waits: make(chan time.Duration, 1)}
	f := setup(t, WithClock(clk))
	release, entered := make(chan struct{}), make(chan struct{})
	var n int
	var mu sync.Mutex
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		second := n == 2
		mu.Unlock()
		if second {
			close(entered)
			<-release // stays in flight, holding the last of the budget
		}
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", "1")
		w.Header().Set("X-RateLimit-Reset", epoch(clk.now.Add(40*time.Second)))
		writeJSON(w, 200, `{"user":{}}`)
	})
	defer close(release)
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	go f.client.Users.Me(context.Background())
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the second request never arrived")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.client.Users.Me(ctx)
		done <- err
	}()
	select {
	case d := <-clk.waits:
		if d < 39*time.Second || d > 40*time.Second {
			t.Errorf("waiting %v, want until the reset", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("client never waited")
	}
	cancel()
	select {
	case err := <-done:
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != KindRateLimited || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %#v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not interrupt the wait")
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 2 {
		t.Errorf("hits = %d", n)
	}
}

func TestWindowSharedBetweenClients(t *testing.T) {
	f, clk, ws := windowSetup(t, 3, 10*time.Second)
	ctx := context.Background()
	if _, err := f.client.Users.Me(ctx); err != nil { // Remaining: 2
		t.Fatal(err)
	}
	twin := f.another(f.token, WithClock(clk))
	release := ws.block(t)
	waitA := calls(t, ctx, f.client, 2)
	eventually(t, "two in flight", func() bool { return twin.RateState().InFlight == 2 })
	waitB := calls(t, ctx, twin, 1)
	settle()
	if before, _, _ := ws.stats(clk.Now().Add(time.Hour)); before != 3 {
		t.Fatalf("%d requests reached the server: the twin did not count the other client's in-flight ones", before)
	}
	release()
	noErrors(t, waitA())
	reset := clk.Now().Add(10 * time.Second)
	eventually(t, "the window spent", func() bool { return twin.RateState().InFlight == 0 })
	clk.Advance(10 * time.Second)
	noErrors(t, waitB())
	if before, after, n429 := ws.stats(reset); before != 3 || after != 1 || n429 != 0 {
		t.Errorf("before reset %d, after %d, 429s %d", before, after, n429)
	}
}

func TestFirstResponseNamesTheWindow(t *testing.T) {
	// Burst 3: three go at once, as before; the others wait for the first
	// answer instead of being paced into an unknown budget, and then go
	// as the window allows.
	f, clk, ws := windowSetup(t, 100, time.Minute, WithRateLimit(30))
	release := ws.block(t)
	wait := calls(t, context.Background(), f.client, 8)
	eventually(t, "the burst in flight", func() bool { return f.client.RateState().InFlight == 3 })
	settle()
	if before, _, _ := ws.stats(clk.Now().Add(time.Hour)); before != 3 {
		t.Fatalf("%d requests before the first answer, want the burst, 3", before)
	}
	release()
	noErrors(t, wait()) // the clock never moves: any pacing wait would hang
	if before, _, n429 := ws.stats(clk.Now().Add(time.Hour)); before != 8 || n429 != 0 {
		t.Errorf("requests %d, 429s %d", before, n429)
	}
}

func TestWindowReleasesBudgetPacedByTheMinute(t *testing.T) {
	// Once a window is known, the pacing bucket holds a minute's worth: at
	// 100 a minute, 100 go at once where the window allows it (the rate/10
	// burst would have paced them over a minute), then the configured rate
	// caps the pace even though the window has more.
	f := setup(t, WithRateLimit(100))
	ws := &windowServer{clock: f.clock, limit: 1000, window: time.Minute}
	f.mux.Handle("/v2/user", ws)
	ctx := context.Background()
	for i := range 101 { // the first (burst 10) names the window; 100 more
		if _, err := f.client.Users.Me(ctx); err != nil {
			t.Fatal(i, err)
		}
	}
	if s := f.clock.Slept(); len(s) != 0 {
		t.Fatalf("waited %v within the minute's budget", s)
	}
	if _, err := f.client.Users.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if s := f.clock.Slept(); len(s) != 1 || s[0] < 500*time.Millisecond || s[0] > 600*time.Millisecond {
		t.Errorf("the 102nd waited %v, want about 0.6 s (100 a minute)", s)
	}
}
