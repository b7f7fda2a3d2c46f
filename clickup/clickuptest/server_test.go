package clickuptest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestAuthErrors(t *testing.T) {
	w := newWorld(t)
	other := w.AddTask(list40, Task{Name: "Their task"})
	mine := w.AddTask(list30, Task{Name: "My task"})
	tests := []struct {
		name, method, path, token string
		status                    int
		ecode                     string
	}{
		{"no header", "GET", "/api/v2/user", "", 401, "OAUTH_017"},
		{"unknown token", "GET", "/api/v2/user", "pk_nope", 401, "OAUTH_025"},
		{"personal token", "GET", "/api/v2/user", annTok, 200, ""},
		{"bearer prefix", "GET", "/api/v2/user", "Bearer " + annTok, 200, ""},
		{"without /api prefix", "GET", "/v2/user", annTok, 200, ""},
		{"team not authorized", "GET", "/api/v2/team/" + wsOther + "/space", annTok, 401, "OAUTH_027"},
		{"unknown team", "GET", "/api/v2/team/999/task", annTok, 401, "OAUTH_027"},
		{"task in another workspace", "GET", "/api/v2/task/" + other.ID, annTok, 401, "OAUTH_027"},
		{"unknown task answers like the real API", "GET", "/api/v2/task/86zzzzzzz", annTok, 401, "OAUTH_027"},
		{"malformed task id", "GET", "/api/v2/task/no-such-id", annTok, 400, "INPUT_004"},
		{"list in another workspace", "GET", "/api/v2/list/" + list40, annTok, 401, "OAUTH_027"},
		{"unknown list", "GET", "/api/v2/list/999999", annTok, 404, "ITEM_015"},
		{"malformed list id", "GET", "/api/v2/list/abc", annTok, 400, "INPUT_003"},
		{"unknown space", "GET", "/api/v2/space/999", annTok, 401, "OAUTH_027"},
		{"unknown route", "GET", "/api/v2/nothing/here", annTok, 404, "APP_001"},
		{"wrong method", "PATCH", "/api/v2/task/" + mine.ID, annTok, 404, "APP_001"},
		{"other user sees own", "GET", "/api/v2/task/" + other.ID, cyTok, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, w.call(t, tc.method, tc.path, tc.token, nil), tc.status, tc.ecode)
		})
	}
}

func TestNotFoundAs404(t *testing.T) {
	w := newWorld(t, WithNotFoundAs404(true))
	expect(t, w.get(t, "/api/v2/task/86zzzzzzz"), 404, "ITEM_013")
	expect(t, w.get(t, "/api/v2/space/999"), 404, "PROJ_005")
	// Existing but not visible is still "not authorized".
	other := w.AddTask(list40, Task{Name: "Their task"})
	expect(t, w.get(t, "/api/v2/task/"+other.ID), 401, "OAUTH_027")
}

func TestErrorBodyShape(t *testing.T) {
	w := newWorld(t)
	r := w.call(t, "GET", "/api/v2/user", "", nil)
	if got, want := string(r.body), `{"err":"Authorization header required","ECODE":"OAUTH_017"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestRateLimit(t *testing.T) {
	clock := newClock()
	clock.t = clock.t.Add(400 * time.Millisecond) // the window ends mid-second
	w := newWorld(t, WithClock(clock.Now), WithRateLimit(3, time.Minute))
	wantReset := strconv.FormatInt(clock.Now().Add(time.Minute).Unix()+1, 10) // rounded up
	for i := 0; i < 3; i++ {
		r := w.get(t, "/api/v2/user")
		expect(t, r, 200, "")
		if got := r.header.Get("X-RateLimit-Limit"); got != "3" {
			t.Errorf("limit = %q", got)
		}
		if got, want := r.header.Get("X-RateLimit-Remaining"), strconv.Itoa(2-i); got != want {
			t.Errorf("remaining = %q, want %q", got, want)
		}
		if got := r.header.Get("X-RateLimit-Reset"); got != wantReset {
			t.Errorf("reset = %q, want %q (epoch seconds of the window end)", got, wantReset)
		}
	}
	r := w.call(t, "GET", "/api/v2/user", "Bearer "+annTok, nil) // same token, same budget
	expect(t, r, 429, "APP_002")
	if string(r.body) != `{"err":"Rate limit reached","ECODE":"APP_002"}` {
		t.Errorf("429 body = %s", r.body)
	}
	if r.header.Get("X-RateLimit-Remaining") != "0" || r.header.Get("X-RateLimit-Reset") != wantReset {
		t.Errorf("429 headers = %v", r.header)
	}
	// Another token has its own budget; errors carry the headers too.
	r = w.call(t, "GET", "/api/v2/user", cyTok, nil)
	expect(t, r, 200, "")
	r = w.call(t, "GET", "/api/v2/user", "", nil)
	expect(t, r, 401, "OAUTH_017")
	if r.header.Get("X-RateLimit-Limit") == "" {
		t.Error("error responses must carry the rate-limit headers")
	}
	clock.Advance(time.Minute)
	r = w.get(t, "/api/v2/user")
	expect(t, r, 200, "")
	if r.header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("new window remaining = %q", r.header.Get("X-RateLimit-Remaining"))
	}
}

func TestDefaultRateLimitIs100PerMinute(t *testing.T) {
	s := New()
	s.AddUser(User{ID: 1, Username: "A"})
	s.AddToken("pk_a", 1)
	for i := 0; i < 101; i++ {
		req, _ := http.NewRequest("GET", "/api/v2/user", nil)
		req.Header.Set("Authorization", "pk_a")
		rec := &recorder{header: http.Header{}}
		s.ServeHTTP(rec, req)
		if i < 100 && rec.status != 200 || i == 100 && rec.status != 429 {
			t.Fatalf("request %d: status %d", i, rec.status)
		}
	}
}

type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int)   { r.status = s }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

func TestRequestLog(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Logged"})
	w.get(t, "/api/v2/task/"+task.ID)
	w.get(t, "/v2/task/"+task.ID)
	w.call(t, "PUT", "/api/v2/task/"+task.ID, annTok, map[string]any{"name": "Renamed"})
	w.get(t, "/api/v2/team/"+wsDev+"/task?page=0")
	w.get(t, "/api/v2/nope")
	if got := w.Count("GET /v2/task/{task_id}"); got != 2 {
		t.Errorf("Count(GET task) = %d", got)
	}
	if got := w.Count("/v2/task/{task_id}"); got != 3 {
		t.Errorf("Count(any method) = %d", got)
	}
	if got := w.Count("GET /v2/team/{team_id}/task"); got != 1 {
		t.Errorf("Count(team tasks) = %d", got)
	}
	if got := w.Count(""); got != 5 {
		t.Errorf("Count(all) = %d", got)
	}
	reqs := w.Requests()
	if len(reqs) != 5 {
		t.Fatalf("Requests = %d", len(reqs))
	}
	r := reqs[3]
	if r.Route != "GET /v2/team/{team_id}/task" || r.RawQuery != "page=0" || r.Token != annTok || r.Status != 200 || r.Path != "/api/v2/team/100/task" || r.At.IsZero() {
		t.Errorf("request = %+v", r)
	}
	if reqs[4].Route != "" || reqs[4].Status != 404 {
		t.Errorf("unmatched request = %+v", reqs[4])
	}
	w.ResetLog()
	if w.Count("") != 0 || len(w.Requests()) != 0 || w.TasksCreated() != 0 {
		t.Error("ResetLog left something behind")
	}
}

func TestRequestLogLimit(t *testing.T) {
	w := newWorld(t, WithRequestLogLimit(3))
	// Past twice the limit too, where the log drops its oldest half.
	for i := 0; i < 14; i++ {
		w.get(t, fmt.Sprintf("/api/v2/user?i=%d", i))
		reqs := w.Requests()
		if want := min(i+1, 3); len(reqs) != want || reqs[want-1].RawQuery != fmt.Sprintf("i=%d", i) || reqs[0].RawQuery != fmt.Sprintf("i=%d", i+1-want) {
			t.Fatalf("after %d requests: %+v", i+1, reqs)
		}
	}
	if w.Count("") != 14 {
		t.Errorf("Count is not capped: %d", w.Count(""))
	}
}

func TestLatency(t *testing.T) {
	w := newWorld(t, WithLatency(40*time.Millisecond))
	start := time.Now()
	expect(t, w.get(t, "/api/v2/user"), 200, "")
	if time.Since(start) < 40*time.Millisecond {
		t.Error("response came before the latency")
	}
	// A client that gives up gets nothing, quickly, and nothing is applied.
	w2 := newWorld(t, WithLatency(10*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", w2.srv.URL+"/api/v2/list/"+list30+"/task", nil)
	req.Header.Set("Authorization", annTok)
	start = time.Now()
	if _, err := w2.srv.Client().Do(req); err == nil {
		t.Fatal("want a context error")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the delay did not honour the context")
	}
	waitFor(t, func() bool { return w2.Count("") == 1 })
	if r := w2.Requests()[0]; r.Status != 0 {
		t.Errorf("abandoned request logged with status %d", r.Status)
	}
	if w2.TaskCount() != 0 {
		t.Error("an abandoned request was applied")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConcurrentRequests(t *testing.T) {
	w := newWorld(t)
	seed := w.AddTask(list30, Task{Name: "Shared"})
	var wg sync.WaitGroup
	const workers, each = 16, 15
	errs := make(chan error, workers*each)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var r reply
				switch i % 5 {
				case 0:
					r = w.call(t, "POST", "/api/v2/list/"+list30+"/task", annTok, map[string]any{"name": fmt.Sprintf("t%d-%d", g, i)})
				case 1:
					r = w.get(t, "/api/v2/team/"+wsDev+"/task?subtasks=true")
				case 2:
					r = w.call(t, "PUT", "/api/v2/task/"+seed.ID, annTok, map[string]any{"name": fmt.Sprintf("v%d", i)})
				case 3:
					r = w.call(t, "POST", "/api/v2/task/"+seed.ID+"/comment", annTok, map[string]any{"comment_text": "hi"})
				case 4:
					r = w.get(t, "/api/v2/task/"+seed.ID+"/comment")
				}
				if r.status != 200 {
					errs <- fmt.Errorf("status %d: %s", r.status, r.body)
				}
			}
		}(g)
	}
	// Building the world while serving is safe too.
	for i := 0; i < 20; i++ {
		w.AddTask(list32, Task{Name: fmt.Sprintf("direct %d", i)})
		w.Requests()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got, want := w.TasksCreated(), workers*each/5; got != want {
		t.Errorf("TasksCreated = %d, want %d", got, want)
	}
	if got, want := w.TaskCount(), 1+workers*each/5+20; got != want {
		t.Errorf("TaskCount = %d, want %d", got, want)
	}
	if got := len(w.Comments(seed.ID)); got != workers*each/5 {
		t.Errorf("comments = %d", got)
	}
}

func TestRateLimitOff(t *testing.T) {
	w := newWorld(t, WithRateLimit(0, time.Minute))
	for range 3 {
		r := w.get(t, "/api/v2/user")
		expect(t, r, 200, "")
		for _, k := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			if v := r.header.Get(k); v != "" {
				t.Errorf("%s = %q with rate limiting off, want none", k, v)
			}
		}
	}
}
