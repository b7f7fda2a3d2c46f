package httpserve

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"
)

func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}

// Bodies being received at once are bounded: with room for 4 bodies of the
// limit, 10 concurrent chunked bodies that stall get 4 through and 6 refused
// with 503, and room comes back once a body has been read.
func TestHTTPConcurrentBodiesBounded(t *testing.T) {
	b := newBodies(1 << 20)
	b.sem = semaphore.NewWeighted(4 << 20)
	var mu sync.Mutex
	started := 0
	release := make(chan struct{})
	h := b.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		started++
		mu.Unlock()
		<-release
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	codes := make(chan int, 10)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := &statusRecorder{code: 200}
			req, _ := http.NewRequest("POST", "/mcp", io.NopCloser(strings.NewReader("{}")))
			req.ContentLength = -1
			h.ServeHTTP(rec, req)
			codes <- rec.code
		}()
	}
	waitFor(5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return started == 4 && len(codes) == 6 })
	close(release)
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[200] != 4 || got[503] != 6 {
		t.Errorf("10 stalled chunked bodies with room for 4: %v, want 4 ok and 6 refused", got)
	}
	if !b.sem.TryAcquire(4 << 20) {
		t.Error("the budget did not come back after the bodies were read")
	}
}

type statusRecorder struct {
	code int
	hdr  http.Header
}

func (s *statusRecorder) Header() http.Header {
	if s.hdr == nil {
		s.hdr = http.Header{}
	}
	return s.hdr
}
func (s *statusRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (s *statusRecorder) WriteHeader(c int)           { s.code = c }
