package clickup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/rs/zerolog"
)

// fakeClock advances instantly: After(d) moves time forward by d and fires
// at once, and every wait is recorded. Tests assert on the virtual waits
// instead of sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	ch := make(chan time.Time, 1)
	ch <- f.now
	return ch
}

func (f *fakeClock) Slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

func (f *fakeClock) TotalSlept() time.Duration {
	var t time.Duration
	for _, d := range f.Slept() {
		t += d
	}
	return t
}

// blockingClock never fires on its own: After reports the wait on waits and
// blocks until the test cancels the context.
type blockingClock struct {
	now   time.Time
	waits chan time.Duration
}

func (b *blockingClock) Now() time.Time { return b.now }

func (b *blockingClock) After(d time.Duration) <-chan time.Time {
	select {
	case b.waits <- d:
	default:
	}
	return make(chan time.Time)
}

var tokenSeq atomic.Int64

// testToken is a personal token unique to the test (budgets are shared per
// token across the process, so tests must not share tokens by accident).
func testToken(t testing.TB) string {
	h := sha256.Sum256([]byte(t.Name() + strconv.FormatInt(tokenSeq.Add(1), 10)))
	return "pk_" + strconv.Itoa(int(h[0])+1000) + "_" + hex.EncodeToString(h[:12]) + "SECRETTAIL"
}

type fixture struct {
	client *Client
	mux    *http.ServeMux
	server *httptest.Server
	clock  *fakeClock
	token  string
	logs   *testutil.Buffer
	hits   atomic.Int64 // requests that reached the server
	base   string
}

// setup starts an httptest server whose mux serves the API under /api (as
// api.clickup.com does) and returns a client pointed at it, with a fake
// clock, a debug logger into a buffer, fast retries and a pacing rate high
// enough not to interfere.
func setup(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{mux: http.NewServeMux(), clock: newFakeClock(), token: testToken(t), logs: &testutil.Buffer{}}
	root := http.NewServeMux()
	root.Handle("/api/", http.StripPrefix("/api", f.mux))
	f.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		root.ServeHTTP(w, r)
	}))
	t.Cleanup(f.server.Close)
	f.base = f.server.URL + "/api"
	base := []Option{
		WithBaseURL(f.base),
		WithClock(f.clock),
		WithLogger(zerolog.New(f.logs).Level(zerolog.DebugLevel)),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}),
		WithRateLimit(60_000),
	}
	f.client = New(f.token, append(base, opts...)...)
	return f
}

// another builds a second client for the same server, clock and logs.
func (f *fixture) another(token string, opts ...Option) *Client {
	base := []Option{
		WithBaseURL(f.base),
		WithClock(f.clock),
		WithLogger(zerolog.New(f.logs).Level(zerolog.DebugLevel)),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}),
	}
	return New(token, append(base, opts...)...)
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method = %s, want %s", r.Method, want)
	}
}

func testQuery(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.URL.RawQuery != want {
		t.Errorf("query =\n  %s\nwant\n  %s", r.URL.RawQuery, want)
	}
}

func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if got := string(b); got != want {
		t.Errorf("body =\n  %s\nwant\n  %s", got, want)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// epoch renders t as X-RateLimit-Reset does: epoch seconds.
func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
