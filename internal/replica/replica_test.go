package replica

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newNode(t *testing.T, url string, m *metrics.Metrics, logs *syncBuf) *Node {
	t.Helper()
	// Generous: a timeout falls back to local state, and a loaded machine
	// must not turn these tests into fallback tests. Outages here are
	// refused connections, which fail at once.
	return newNodeTO(t, url, m, logs, 3*time.Second)
}

func newNodeTO(t *testing.T, url string, m *metrics.Metrics, logs *syncBuf, opTO time.Duration) *Node {
	t.Helper()
	if logs == nil {
		logs = &syncBuf{}
	}
	n, err := New(Options{URL: url, Metrics: m, Logger: zerolog.New(logs), OpTimeout: opTO,
		RetryAfter: 50 * time.Millisecond, Heartbeat: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func TestBadURLFailsWithoutEchoingIt(t *testing.T) {
	for _, u := range []string{"", "http://x", "redis://user:s3cretpw@host:notaport", "redis://:s3cretpw@%zz"} {
		_, err := New(Options{URL: u})
		if err == nil {
			t.Errorf("%q: no error", u)
			continue
		}
		if strings.Contains(err.Error(), "s3cretpw") {
			t.Errorf("%q: error shows the password: %v", u, err)
		}
	}
}

func obs(limit, rem int, reset time.Time) *clickup.WindowObservation {
	return &clickup.WindowObservation{Limit: limit, Remaining: rem, Reset: reset, Window: true}
}

func TestWindowSharedAcrossReplicas(t *testing.T) {
	mr := miniredis.RunT(t)
	a, b := newNode(t, "redis://"+mr.Addr(), nil, nil).Window(), newNode(t, "redis://"+mr.Addr(), nil, nil).Window()
	key := clickup.TokenKey("pk_42_SECRETTOKEN")
	ctx := context.Background()
	now := time.Now()
	reset := now.Add(30 * time.Second)

	// Before the first answer, at most Burst in flight, across replicas.
	rel1, _, ok1 := a.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
	rel2, _, ok2 := b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
	_, wait, ok3 := a.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
	if !ok1 || !ok2 || ok3 || wait <= 0 || wait > time.Second {
		t.Fatalf("first burst: %v %v %v (wait %v), want two admitted and a short wait", ok1, ok2, ok3, wait)
	}
	// The answers say 3 remain until reset: three more may go, across both.
	rel1(obs(100, 3, reset))
	rel2(obs(100, 4, reset)) // out of order: the lowest wins
	var rels []func(*clickup.WindowObservation)
	for i, w := range []*Window{a, b, a} {
		r, _, ok := w.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
		if !ok {
			t.Fatalf("request %d refused with 3 remaining", i)
		}
		rels = append(rels, r)
	}
	if st, ok := a.State(ctx, key); !ok || st.Remaining != 3 || st.InFlight != 3 || st.Limit != 100 {
		t.Errorf("state = %+v %v", st, ok)
	}
	_, wait, ok := b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
	if ok || wait <= 0 || wait > a.Poll {
		t.Fatalf("4th with 3 remaining: ok=%v wait=%v, want a poll-length wait", ok, wait)
	}
	for i, r := range rels {
		r(obs(100, 2-i, reset))
	}
	// Remaining 0: held until reset on every replica.
	_, wait, ok = b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 2})
	if ok || wait < 29*time.Second || wait > 30*time.Second {
		t.Fatalf("spent window: ok=%v wait=%v, want about 30s", ok, wait)
	}
	// After the reset, the limit again (a new window is unknown yet).
	if _, _, ok := a.Acquire(ctx, clickup.WindowRequest{Key: key, Now: reset.Add(time.Millisecond), Burst: 2}); !ok {
		t.Error("refused after the reset")
	}
	for _, k := range mr.Keys() {
		if strings.Contains(k, "SECRET") || strings.Contains(k, "pk_") {
			t.Errorf("key %q holds the token", k)
		}
	}
}

func TestWindowHoldAndLeaseExpiry(t *testing.T) {
	mr := miniredis.RunT(t)
	a, b := newNode(t, "redis://"+mr.Addr(), nil, nil).Window(), newNode(t, "redis://"+mr.Addr(), nil, nil).Window()
	key := clickup.TokenKey("pk_7_X")
	ctx := context.Background()
	now := time.Now()
	a.Hold(ctx, key, now.Add(5*time.Second), now)
	if _, wait, ok := b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 1}); ok || wait < 4*time.Second {
		t.Fatalf("hold not shared: ok=%v wait=%v", ok, wait)
	}
	// A replica that dies holding a lease frees it after LeaseTTL.
	later := now.Add(6 * time.Second)
	if _, _, ok := a.Acquire(ctx, clickup.WindowRequest{Key: key, Now: later, Burst: 1}); !ok {
		t.Fatal("refused after the hold")
	}
	if _, _, ok := b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: later, Burst: 1}); ok {
		t.Fatal("second in flight before any answer, burst 1")
	}
	if _, _, ok := b.Acquire(ctx, clickup.WindowRequest{Key: key, Now: later.Add(a.LeaseTTL + time.Millisecond), Burst: 1}); !ok {
		t.Fatal("an abandoned lease still holds budget after its TTL")
	}
}

// simClickUp is ClickUp's fixed window: limit requests per window, 429
// beyond, headers on every response.
type simClickUp struct {
	mu     sync.Mutex
	limit  int
	length time.Duration
	start  time.Time
	first  time.Time // the first window's start
	last   time.Time // the last request's window start
	count  int
	ok     atomic.Int64
	r429   atomic.Int64
}

func (s *simClickUp) do(now time.Time) *clickup.WindowObservation {
	o, _ := s.try(now)
	return o
}

// try is do, saying whether the request was executed (false: a 429).
func (s *simClickUp) try(now time.Time) (*clickup.WindowObservation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first.IsZero() {
		s.first = s.start
	}
	for !now.Before(s.start.Add(s.length)) {
		s.start, s.count = s.start.Add(s.length), 0
	}
	s.last = s.start
	reset := s.start.Add(s.length)
	if s.count >= s.limit {
		s.r429.Add(1)
		return obs(s.limit, 0, reset), false
	}
	s.count++
	s.ok.Add(1)
	return obs(s.limit, s.limit-s.count, reset), true
}

// windows is how many windows the requests spanned.
func (s *simClickUp) windows() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int(s.last.Sub(s.first)/s.length) + 1
}

// TestThreeReplicasDrawNo429s runs 3 replicas x 10 callers through one
// shared window against a simulated fixed window: none of 120 requests may
// meet a 429.
func TestThreeReplicasDrawNo429s(t *testing.T) {
	mr := miniredis.RunT(t)
	// ClickUp says Reset in whole units; the window starts on one.
	sim := &simClickUp{limit: 20, length: 200 * time.Millisecond, start: time.Now().Truncate(time.Millisecond)}
	key := clickup.TokenKey("pk_3_R")
	var wg sync.WaitGroup
	var todo atomic.Int64
	todo.Store(120)
	ms := []*metrics.Metrics{metrics.New(), metrics.New(), metrics.New()}
	defer func() {
		if t.Failed() {
			for _, m := range ms {
				t.Log(grepLines(gather(t, m), "fallback", "redis_errors"))
			}
		}
	}()
	for r := 0; r < 3; r++ {
		// miniredis runs Lua slowly under -race; a timeout would fall
		// back to local state, which is another test's subject.
		w := newNodeTO(t, "redis://"+mr.Addr(), ms[r], nil, 5*time.Second).Window()
		for c := 0; c < 10; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for todo.Add(-1) >= 0 {
					for {
						rel, wait, ok := w.Acquire(context.Background(), clickup.WindowRequest{Key: key, Now: time.Now(), Burst: 2})
						if ok {
							rel(sim.do(time.Now()))
							break
						}
						time.Sleep(min(wait, 20*time.Millisecond))
					}
				}
			}()
		}
	}
	wg.Wait()
	if sim.r429.Load() != 0 || sim.ok.Load() != 120 {
		t.Errorf("ok %d, 429s %d; want 120 and 0", sim.ok.Load(), sim.r429.Load())
	}
}

func TestWindowFallsBackToShareAndRecovers(t *testing.T) {
	mr := miniredis.RunT(t)
	m := metrics.New()
	logs := &syncBuf{}
	n := newNode(t, "redis://"+mr.Addr(), m, logs)
	other := newNode(t, "redis://"+mr.Addr(), nil, nil)
	_ = other
	deadline := time.Now().Add(2 * time.Second)
	for n.Replicas() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n.Replicas() != 2 {
		t.Fatalf("replicas seen = %d, want 2", n.Replicas())
	}
	w := n.Window()
	key := clickup.TokenKey("pk_9_F")
	ctx := context.Background()
	now := time.Now()
	reset := now.Add(time.Minute)
	rel, _, ok := w.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 5})
	if !ok {
		t.Fatal("refused")
	}
	rel(obs(10, 9, reset))

	mr.Close() // Redis goes away
	// The share is 10 / 2 replicas = 5 per window; one was sent already.
	admitted := 0
	for i := 0; i < 10; i++ {
		if _, _, ok := w.Acquire(ctx, clickup.WindowRequest{Key: key, Now: now, Burst: 5}); ok {
			admitted++
		}
	}
	if admitted != 4 {
		t.Errorf("admitted %d while Redis is down, want 4 (a share of 5, one spent)", admitted)
	}
	if n.Up() {
		t.Error("node says up")
	}
	if out := gather(t, m); !strings.Contains(out, "clickup_mcp_redis_up 0") || !strings.Contains(out, `clickup_mcp_shared_fallbacks_total{feature="rate_window"}`) {
		t.Errorf("metrics do not show the outage:\n%s", out)
	}
	if !strings.Contains(logs.String(), "Redis unreachable") {
		t.Errorf("no warning logged: %s", logs.String())
	}
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(3 * time.Second)
	for !n.Up() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !n.Up() {
		t.Fatal("not back up after Redis returned")
	}
	if _, _, ok := w.Acquire(ctx, clickup.WindowRequest{Key: key, Now: time.Now(), Burst: 5}); !ok {
		t.Error("refused after Redis returned (its state was lost: the first burst applies)")
	}
	if !strings.Contains(logs.String(), "shared state resumed") {
		t.Errorf("no recovery logged: %s", logs.String())
	}
}

func TestSessionsAcrossReplicas(t *testing.T) {
	mr := miniredis.RunT(t)
	ident := func(r *http.Request) string { return r.Header.Get("Authorization") }
	a := newNode(t, "redis://"+mr.Addr(), nil, nil).Sessions(ident, time.Hour)
	b := newNode(t, "redis://"+mr.Addr(), nil, nil).Sessions(ident, time.Hour)
	req := func(tok string) *http.Request {
		r := httptest.NewRequest("POST", "/mcp", nil)
		r.Header.Set("Authorization", tok)
		return r
	}
	alice, bob := req("pk_1_ALICE"), req("pk_2_BOB")
	id := a.ResolveSessionIdManager(alice).Generate()
	if ended, err := b.ResolveSessionIdManager(alice).Validate(id); err != nil || ended {
		t.Fatalf("opened on a, on b: ended=%v err=%v", ended, err)
	}
	if _, err := b.ResolveSessionIdManager(bob).Validate(id); err == nil {
		t.Error("another identity may use the session")
	}
	if notAllowed, _ := b.ResolveSessionIdManager(bob).Terminate(id); !notAllowed {
		t.Error("another identity may end the session")
	}
	if _, err := a.ResolveSessionIdManager(alice).Validate("mcp-session-" + "00000000-0000-0000-0000-000000000000"); err == nil {
		t.Error("an id nobody issued is valid")
	}
	if _, err := a.ResolveSessionIdManager(alice).Validate("garbage"); err == nil {
		t.Error("a malformed id is valid")
	}
	// The sweeper's and shutdown's terminate (nil request) ends nothing shared.
	_, _ = a.ResolveSessionIdManager(nil).Terminate(id)
	if ended, err := b.ResolveSessionIdManager(alice).Validate(id); err != nil || ended {
		t.Fatal("a replica's sweeper ended the session everywhere")
	}
	if notAllowed, err := b.ResolveSessionIdManager(alice).Terminate(id); notAllowed || err != nil {
		t.Fatal("the owner cannot end the session")
	}
	if ended, _ := a.ResolveSessionIdManager(alice).Validate(id); !ended {
		t.Error("DELETE on b did not end the session on a")
	}
	for _, k := range mr.Keys() {
		if strings.Contains(k, id) || strings.Contains(k, "ALICE") {
			t.Errorf("key %q holds a session id or token", k)
		}
		if mr.Exists(k) && mr.Type(k) == "hash" {
			fields, _ := mr.HKeys(k)
			for _, f := range fields {
				if v := mr.HGet(k, f); strings.Contains(v, "ALICE") || strings.Contains(v, id) {
					t.Errorf("%s.%s = %q holds a secret", k, f, v)
				}
			}
		}
	}
}

func TestSessionsGuardAndStreamableServer(t *testing.T) {
	mr := miniredis.RunT(t)
	ident := func(r *http.Request) string { return r.Header.Get("Authorization") }
	mcpSrv := server.NewMCPServer("t", "1")
	handler := func(s *Sessions) http.Handler {
		return s.Guard(server.NewStreamableHTTPServer(mcpSrv, server.WithSessionIdManagerResolver(s)))
	}
	ra := httptest.NewServer(handler(newNode(t, "redis://"+mr.Addr(), nil, nil).Sessions(ident, time.Hour)))
	defer ra.Close()
	rb := httptest.NewServer(handler(newNode(t, "redis://"+mr.Addr(), nil, nil).Sessions(ident, time.Hour)))
	defer rb.Close()
	do := func(base, method, id, body string) *http.Response {
		t.Helper()
		r, _ := http.NewRequest(method, base+"/mcp", strings.NewReader(body))
		r.Header.Set("Authorization", "pk_1_ALICE")
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		if id != "" {
			r.Header.Set("Mcp-Session-Id", id)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	resp := do(ra.URL, "POST", "", init)
	id := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != 200 || id == "" {
		t.Fatalf("initialize: %d %q", resp.StatusCode, id)
	}
	ping := `{"jsonrpc":"2.0","id":2,"method":"ping"}`
	if resp := do(rb.URL, "POST", id, ping); resp.StatusCode != 200 {
		t.Errorf("ping on the other replica: %d", resp.StatusCode)
	}
	if resp := do(rb.URL, "DELETE", id, ""); resp.StatusCode != 200 {
		t.Errorf("DELETE on b: %d", resp.StatusCode)
	}
	for _, base := range []string{ra.URL, rb.URL} {
		if resp := do(base, "POST", id, ping); resp.StatusCode != 404 {
			t.Errorf("ping after DELETE: %d, want 404", resp.StatusCode)
		}
		if resp := do(base, "DELETE", id, ""); resp.StatusCode != 404 {
			t.Errorf("DELETE after DELETE: %d, want 404", resp.StatusCode)
		}
		if resp := do(base, "POST", "mcp-session-11111111-1111-1111-1111-111111111111", ping); resp.StatusCode != 404 {
			t.Errorf("unknown id: %d, want 404", resp.StatusCode)
		}
		if resp := do(base, "GET", "mcp-session-11111111-1111-1111-1111-111111111111", ""); resp.StatusCode != 404 {
			t.Errorf("GET with an unknown id: %d, want 404", resp.StatusCode)
		}
	}
}

func TestSessionsWhileRedisIsDown(t *testing.T) {
	mr := miniredis.RunT(t)
	ident := func(r *http.Request) string { return r.Header.Get("Authorization") }
	n := newNode(t, "redis://"+mr.Addr(), nil, nil)
	s := n.Sessions(ident, time.Hour)
	alice := httptest.NewRequest("POST", "/mcp", nil)
	alice.Header.Set("Authorization", "pk_1_ALICE")
	bob := httptest.NewRequest("POST", "/mcp", nil)
	bob.Header.Set("Authorization", "pk_2_BOB")
	mr.Close()
	id := s.ResolveSessionIdManager(alice).Generate()
	if _, err := s.ResolveSessionIdManager(alice).Validate(id); err != nil {
		t.Errorf("own session during the outage: %v", err)
	}
	if _, err := s.ResolveSessionIdManager(bob).Validate(id); err == nil {
		t.Error("another identity may use a session during the outage")
	}
	if _, err := s.ResolveSessionIdManager(alice).Validate("mcp-session-22222222-2222-2222-2222-222222222222"); err != nil {
		t.Errorf("an id from another replica is refused during the outage: %v", err)
	}
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond) // past RetryAfter: the next call tries Redis
	if _, err := s.ResolveSessionIdManager(alice).Validate(id); err != nil {
		t.Fatalf("session opened during the outage refused after it: %v", err)
	}
	other := newNode(t, "redis://"+mr.Addr(), nil, nil).Sessions(ident, time.Hour)
	if _, err := other.ResolveSessionIdManager(alice).Validate(id); err != nil {
		t.Errorf("session opened during the outage is not shared after it: %v", err)
	}
}

func TestBusInvalidatesOtherReplicas(t *testing.T) {
	mr := miniredis.RunT(t)
	a, b := newNode(t, "redis://"+mr.Addr(), nil, nil), newNode(t, "redis://"+mr.Addr(), nil, nil)
	got := make(chan Invalidation, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	<-b.Bus().Subscribe(ctx, func(inv Invalidation) { got <- inv })
	self := make(chan Invalidation, 10)
	<-a.Bus().Subscribe(ctx, func(inv Invalidation) { self <- inv })
	if err := a.Bus().Publish(ctx, Invalidation{Workspace: "9", Lists: []string{"901"}, Hierarchy: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case inv := <-got:
		if inv.Workspace != "9" || len(inv.Lists) != 1 || inv.Lists[0] != "901" || !inv.Hierarchy || inv.Origin != a.ID() {
			t.Errorf("got %+v", inv)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no invalidation within 5s")
	}
	select {
	case inv := <-self:
		t.Errorf("the publisher got its own message %+v", inv)
	case <-time.After(100 * time.Millisecond):
	}
	// A broken subscription ends with an All invalidation once it is back.
	mr.Close()
	if err := a.Bus().Publish(ctx, Invalidation{Workspace: "9"}); err == nil {
		t.Error("publish with Redis down did not fail")
	}
	time.Sleep(100 * time.Millisecond)
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	select {
	case inv := <-got:
		if !inv.All {
			t.Errorf("after the break got %+v, want All", inv)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no All invalidation within 10s of Redis returning")
	}
}

func gather(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

func grepLines(s string, subs ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, sub := range subs {
			if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
				out = append(out, l)
			}
		}
	}
	return strings.Join(out, "\n")
}

func TestDedupeSharedAndLocalFallback(t *testing.T) {
	mr := miniredis.RunT(t)
	a, b := newNode(t, "redis://"+mr.Addr(), nil, nil).Dedupe(), newNode(t, "redis://"+mr.Addr(), nil, nil).Dedupe()
	ctx := context.Background()
	owner := clickup.TokenKey("pk_1_OWNERSECRET")
	if v, ok, err := a.PutIfAbsent(ctx, owner, "create:list9:abc", []byte("pending"), time.Minute); err != nil || !ok || string(v) != "pending" {
		t.Fatalf("first put: %q %v %v", v, ok, err)
	}
	if v, ok, _ := b.PutIfAbsent(ctx, owner, "create:list9:abc", []byte("pending-b"), time.Minute); ok || string(v) != "pending" {
		t.Fatalf("second replica's put: %q stored=%v, want the first's marker", v, ok)
	}
	if err := a.Resolve(ctx, owner, "create:list9:abc", []byte(`{"s":2,"r":"86task"}`), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := b.Get(ctx, owner, "create:list9:abc"); !ok || !strings.Contains(string(v), "86task") {
		t.Fatalf("b sees %q %v after a resolved", v, ok)
	}
	if err := b.Resolve(ctx, owner, "create:list9:abc", nil, 0); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Get(ctx, owner, "create:list9:abc"); ok {
		t.Fatal("deleted entry still there")
	}
	for _, k := range mr.Keys() {
		if strings.Contains(k, "OWNERSECRET") || strings.Contains(k, "list9") || strings.Contains(k, owner) {
			t.Errorf("key %q names the owner or the key", k)
		}
	}
	mr.SetTime(time.Now())
	if _, ok, _ := a.PutIfAbsent(ctx, owner, "k2", []byte("x"), time.Second); !ok {
		t.Fatal("put k2")
	}
	mr.FastForward(2 * time.Second)
	if _, ok, _ := a.Get(ctx, owner, "k2"); ok {
		t.Error("entry outlived its TTL")
	}

	mr.Close()
	if _, ok, _ := a.PutIfAbsent(ctx, owner, "k3", []byte("p"), time.Minute); !ok {
		t.Fatal("put during the outage refused")
	}
	if v, ok, _ := a.PutIfAbsent(ctx, owner, "k3", []byte("again"), time.Minute); ok || string(v) != "p" {
		t.Errorf("a retry on the same replica during the outage is not guarded: %q %v", v, ok)
	}
	if v, ok, _ := a.Get(ctx, owner, "k3"); !ok || string(v) != "p" {
		t.Errorf("get during the outage: %q %v", v, ok)
	}
}
