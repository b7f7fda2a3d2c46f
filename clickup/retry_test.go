package clickup

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// counted registers h at pattern and returns the count of requests it saw.
func counted(f *fixture, pattern string, h func(n int64, w http.ResponseWriter, r *http.Request)) *atomic.Int64 {
	var n atomic.Int64
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		h(n.Add(1), w, r)
	})
	return &n
}

func TestRateLimited429RetriedForPOST(t *testing.T) {
	f := setup(t)
	n := counted(f, "POST /v2/list/1/task", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("X-RateLimit-Limit", "100")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(7*time.Second)))
			writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
			return
		}
		writeJSON(w, 200, `{"id":"new1","name":"t"}`)
	})
	start := f.clock.Now()
	task, err := f.client.Tasks.Create(context.Background(), "1", &TaskCreate{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != "new1" || n.Load() != 2 {
		t.Errorf("task %q after %d requests, want new1 after 2", task.ID, n.Load())
	}
	if waited := f.clock.Now().Sub(start); waited < 7*time.Second || waited > 8*time.Second {
		t.Errorf("waited %v for the reset 7s away; sleeps %v", waited, f.clock.Slept())
	}
}

func TestRateLimitedRetryAfterHeaderWins(t *testing.T) {
	f := setup(t)
	counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(50*time.Second)))
			writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
			return
		}
		writeJSON(w, 200, `{"user":{"id":1}}`)
	})
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.clock.TotalSlept(); got != 3*time.Second {
		t.Errorf("slept %v, want Retry-After's 3s", got)
	}
}

func TestRateLimitedWithoutHeadersBacksOff(t *testing.T) {
	f := setup(t)
	counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n <= 2 {
			writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
			return
		}
		writeJSON(w, 200, `{"user":{"id":1}}`)
	})
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := f.clock.Slept()
	// equal jitter: retry 1 waits 50..100ms, retry 2 100..200ms
	if len(s) != 2 || s[0] < 50*time.Millisecond || s[0] > 100*time.Millisecond || s[1] < 100*time.Millisecond || s[1] > 200*time.Millisecond {
		t.Errorf("backoff sleeps = %v", s)
	}
}

func TestRateLimitedGivesUpAfterMaxRetries(t *testing.T) {
	f := setup(t)
	n := counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(10*time.Second)))
		writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
	})
	_, err := f.client.Users.Me(context.Background())
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.RetryAfter < 9*time.Second || ce.RetryAfter > 10*time.Second {
		t.Fatalf("err = %#v", err)
	}
	if n.Load() != 4 || ce.Attempts != 4 {
		t.Errorf("requests = %d, attempts = %d, want 4 (1 + MaxRetries 3)", n.Load(), ce.Attempts)
	}
}

func TestRateLimitedPastDeadlineReturnsAtOnce(t *testing.T) {
	f := setup(t)
	n := counted(f, "POST /v2/list/1/task", func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(60*time.Second)))
		writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	realStart := time.Now()
	_, err := f.client.Tasks.Create(ctx, "1", &TaskCreate{Name: "t"})
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.StatusCode != 429 || ce.ECODE != "APP_002" {
		t.Fatalf("err = %v", err)
	}
	if ce.RetryAfter < 59*time.Second || ce.MaybeApplied {
		t.Errorf("RetryAfter = %v, MaybeApplied = %v", ce.RetryAfter, ce.MaybeApplied)
	}
	if n.Load() != 1 || len(f.clock.Slept()) != 0 || time.Since(realStart) > 2*time.Second {
		t.Errorf("requests = %d, sleeps = %v: must not wait past the deadline", n.Load(), f.clock.Slept())
	}
	// The token is now held: a new call with a short deadline fails without
	// spending a request.
	_, err = f.client.Users.Me(ctx)
	if !IsKind(err, KindRateLimited) || !errors.Is(err, context.DeadlineExceeded) || f.hits.Load() != 1 {
		t.Errorf("held call: err = %v, hits = %d", err, f.hits.Load())
	}
}

func TestRateLimitedLongerThanMaxWait(t *testing.T) {
	f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 3, MaxWait: 30 * time.Second}))
	n := counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "45")
		writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
	})
	_, err := f.client.Users.Me(context.Background())
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.RetryAfter != 45*time.Second || n.Load() != 1 {
		t.Errorf("err = %v after %d requests", err, n.Load())
	}
}

func TestUpstreamRetriedForIdempotentMethods(t *testing.T) {
	for _, m := range []struct {
		method string
		run    func(c *Client) error
	}{
		{"GET", func(c *Client) error { _, err := c.Tasks.Get(context.Background(), Native("9hx"), nil); return err }},
		{"PUT", func(c *Client) error {
			_, err := c.Tasks.Update(context.Background(), Native("9hx"), &TaskUpdate{})
			return err
		}},
		{"DELETE", func(c *Client) error { return c.Tasks.Delete(context.Background(), Native("9hx")) }},
	} {
		t.Run(m.method+"/recovers", func(t *testing.T) {
			f := setup(t)
			n := counted(f, m.method+" /v2/task/9hx", func(n int64, w http.ResponseWriter, r *http.Request) {
				if n <= 2 {
					writeJSON(w, 502+int(n-1), `{"err":"upstream"}`)
					return
				}
				writeJSON(w, 200, `{"id":"9hx"}`)
			})
			if err := m.run(f.client); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 3 {
				t.Errorf("requests = %d, want 3", n.Load())
			}
		})
		t.Run(m.method+"/bounded", func(t *testing.T) {
			f := setup(t)
			n := counted(f, m.method+" /v2/task/9hx", func(n int64, w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 500, `{"err":"Internal Server Error","ECODE":"APP_001"}`)
			})
			err := m.run(f.client)
			var ce *Error
			if !errors.As(err, &ce) || ce.Kind != KindUpstream || ce.StatusCode != 500 {
				t.Fatalf("err = %v", err)
			}
			if n.Load() != 4 {
				t.Errorf("requests = %d, want 4", n.Load())
			}
			if want := m.method != "GET"; ce.MaybeApplied != want {
				t.Errorf("MaybeApplied = %v, want %v", ce.MaybeApplied, want)
			}
			if len(f.clock.Slept()) != 3 {
				t.Errorf("backoffs = %v, want 3", f.clock.Slept())
			}
		})
	}
}

func TestUpstreamNeverRetriedForPOST(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		f := setup(t)
		n := counted(f, "POST /v2/list/1/task", func(n int64, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, status, `{"err":"oops"}`)
		})
		_, err := f.client.Tasks.Create(context.Background(), "1", &TaskCreate{Name: "once"})
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != KindUpstream || !ce.MaybeApplied {
			t.Errorf("%d: err = %#v", status, err)
		}
		if n.Load() != 1 {
			t.Errorf("%d: requests = %d, want exactly 1 (no duplicate tasks)", status, n.Load())
		}
	}
}

func TestCommentAndTagPOSTNotRetried(t *testing.T) {
	f := setup(t)
	n := counted(f, "POST /v2/task/9hx/", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, `{}`)
	})
	ctx := context.Background()
	if _, err := f.client.Comments.CreateForTask(ctx, Native("9hx"), &CommentCreate{CommentText: "x"}); !IsKind(err, KindUpstream) {
		t.Errorf("comment: %v", err)
	}
	if err := f.client.Tags.AddToTask(ctx, Native("9hx"), "t"); !IsKind(err, KindUpstream) {
		t.Errorf("tag: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("requests = %d, want 2", n.Load())
	}
}

// flakyTransport fails the first fails requests with err, then delegates.
type flakyTransport struct {
	fails int32
	err   error
	seen  atomic.Int32
	next  http.RoundTripper
}

func (ft *flakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if ft.seen.Add(1) <= ft.fails {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return nil, ft.err
	}
	return ft.next.RoundTrip(r)
}

func dialErr() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: &net.OpError{Op: "connect", Err: syscall.ECONNREFUSED}}
}

func readErr() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
}

func TestNetworkErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		method    string
		err       error
		fails     int32
		wantCalls int32
		wantErr   bool
		applied   bool
	}{
		{"GET reset retried", "GET", readErr(), 2, 3, false, false},
		{"GET reset bounded", "GET", readErr(), 10, 4, true, false},
		{"POST dial error retried", "POST", dialErr(), 2, 3, false, false},
		{"POST reset not retried", "POST", readErr(), 1, 1, true, true},
		{"POST EOF not retried", "POST", io.ErrUnexpectedEOF, 1, 1, true, true},
		{"PUT reset retried", "PUT", readErr(), 1, 2, false, false},
		{"DELETE timeout retried", "DELETE", timeoutErr{}, 1, 2, false, false},
		{"POST DNS failure retried", "POST", &net.DNSError{Err: "no such host", Name: "api.clickup.com", IsNotFound: true}, 1, 2, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ft := &flakyTransport{fails: c.fails, err: c.err, next: http.DefaultTransport}
			f := setup(t, WithHTTPClient(&http.Client{Transport: ft}))
			f.mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"id":"9hx","user":{"id":1}}`)
			})
			ctx := context.Background()
			var err error
			switch c.method {
			case "GET":
				_, err = f.client.Tasks.Get(ctx, Native("9hx"), nil)
			case "POST":
				_, err = f.client.Tasks.Create(ctx, "1", &TaskCreate{Name: "x"})
			case "PUT":
				_, err = f.client.Tasks.Update(ctx, Native("9hx"), &TaskUpdate{})
			case "DELETE":
				err = f.client.Tasks.Delete(ctx, Native("9hx"))
			}
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if got := ft.seen.Load(); got != c.wantCalls {
				t.Errorf("attempts = %d, want %d", got, c.wantCalls)
			}
			if err != nil {
				var ce *Error
				if !errors.As(err, &ce) || ce.Kind != KindNetwork || ce.MaybeApplied != c.applied {
					t.Errorf("err = %#v", err)
				}
				if !errors.Is(err, c.err) {
					t.Errorf("cause lost: %v", err)
				}
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestConnectionDroppedByServer(t *testing.T) {
	f := setup(t)
	n := counted(f, "/v2/", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 || r.Method == "POST" {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		writeJSON(w, 200, `{"user":{"id":7}}`)
	})
	u, err := f.client.Users.Me(context.Background())
	if err != nil || u.ID != 7 {
		t.Fatalf("GET after a drop: %v, %v", u, err)
	}
	before := n.Load()
	_, err = f.client.Tasks.Create(context.Background(), "1", &TaskCreate{Name: "x"})
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindNetwork || !ce.MaybeApplied {
		t.Fatalf("POST drop: %v", err)
	}
	if n.Load()-before != 1 {
		t.Errorf("POST was sent %d times", n.Load()-before)
	}
}

func TestDecodeErrorRetriedOnceForGET(t *testing.T) {
	f := setup(t)
	n := counted(f, "GET /v2/task/9hx", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"9hx","name":"trunc`)
	})
	_, err := f.client.Tasks.Get(context.Background(), Native("9hx"), nil)
	if !IsKind(err, KindDecode) || n.Load() != 2 {
		t.Errorf("err = %v after %d requests, want decode after 2", err, n.Load())
	}

	f2 := setup(t)
	n2 := counted(f2, "GET /v2/task/9hx", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			writeJSON(w, 200, `{"id":"9hx","name":"half","tags":[{"name":`)
			return
		}
		writeJSON(w, 200, `{"id":"9hx","name":"whole"}`)
	})
	task, err := f2.client.Tasks.Get(context.Background(), Native("9hx"), nil)
	if err != nil || task.Name != "whole" || len(task.Tags) != 0 || n2.Load() != 2 {
		t.Errorf("task = %+v, err = %v, requests = %d", task, err, n2.Load())
	}
}

func TestDecodeErrorOnWriteNotRetried(t *testing.T) {
	f := setup(t)
	n := counted(f, "POST /v2/list/1/task", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"new`)
	})
	_, err := f.client.Tasks.Create(context.Background(), "1", &TaskCreate{Name: "x"})
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindDecode || !ce.MaybeApplied || n.Load() != 1 {
		t.Errorf("err = %v, requests = %d", err, n.Load())
	}
}

func TestTruncatedBodyIsNetworkError(t *testing.T) {
	f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		io.WriteString(w, `{"user":`)
	})
	_, err := f.client.Users.Me(context.Background())
	if !IsKind(err, KindNetwork) {
		t.Errorf("err = %v", err)
	}
}

func TestNoRetriesPolicy(t *testing.T) {
	f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	n := counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, `{}`)
	})
	if _, err := f.client.Users.Me(context.Background()); !IsKind(err, KindUpstream) || n.Load() != 1 {
		t.Errorf("err = %v, requests = %d", err, n.Load())
	}
}

func TestCancelledRequestIsNotRetried(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := counted(f, "GET /v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	_, err := f.client.Users.Me(ctx)
	if !IsKind(err, KindNetwork) || !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Errorf("err = %v, requests = %d", err, n.Load())
	}
}

func TestBackoffBounds(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for n := 1; n <= 8; n++ {
		nominal := min(100*time.Millisecond<<(n-1), time.Second)
		for range 50 {
			d := p.backoff(n)
			if d < nominal/2 || d > nominal {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, nominal/2, nominal)
			}
		}
	}
	if d := DefaultRetryPolicy(); d.MaxRetries != 3 || d.MaxWait != 90*time.Second {
		t.Errorf("defaults = %+v", d)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{"soon", 0, false},
		{"", 0, false},
	} {
		h := http.Header{}
		h.Set("Retry-After", c.v)
		d, ok := retryAfterHeader(h, now)
		if d != c.want || ok != c.ok {
			t.Errorf("Retry-After %q = %v %v", c.v, d, ok)
		}
	}
}
