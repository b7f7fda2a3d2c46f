package clickuptest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (w *world) raw(t *testing.T, ctx context.Context, method, path, body string) (*http.Response, []byte, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(ctx, method, w.srv.URL+path, rd)
	req.Header.Set("Authorization", annTok)
	req.Header.Set("Content-Type", "application/json")
	// A fresh transport per call so a dropped connection is not retried
	// from the pool.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaultStatus(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "x"})
	w.InjectFault(Fault{Method: "GET", Path: "/v2/task/{id}", Times: 2, Status: 503,
		Body: "<html><body>Service Unavailable</body></html>", Header: http.Header{"Retry-After": {"7"}}})
	// Other routes, methods and sub-paths are untouched.
	expect(t, w.get(t, "/api/v2/task/"+task.ID+"/comment"), 200, "")
	expect(t, w.call(t, "PUT", "/api/v2/task/"+task.ID, annTok, map[string]any{"name": "y"}), 200, "")
	for i := 0; i < 2; i++ {
		r := w.get(t, "/api/v2/task/"+task.ID)
		if r.status != 503 || !strings.Contains(string(r.body), "Service Unavailable") || r.header.Get("Retry-After") != "7" {
			t.Fatalf("fault %d: %d %v %s", i, r.status, r.header, r.body)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q", ct)
		}
		if r.header.Get("X-RateLimit-Limit") != "" {
			t.Error("a fault's response carries only the fault's headers")
		}
	}
	expect(t, w.get(t, "/api/v2/task/"+task.ID), 200, "")

	// A 429 with its own reset header, on a path prefix, any method.
	w.InjectFault(Fault{Path: "/api/v2/team/", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`,
		Header: http.Header{"X-Ratelimit-Reset": {"1700000000"}}})
	r := w.get(t, "/api/v2/team/"+wsDev+"/task")
	expect(t, r, 429, "APP_002")
	if r.header.Get("X-RateLimit-Reset") != "1700000000" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("headers = %v", r.header)
	}
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task"), 200, "")

	// Empty and malformed bodies.
	w.InjectFault(Fault{Status: 500})
	if r := w.get(t, "/api/v2/user"); r.status != 500 || len(r.body) != 0 {
		t.Errorf("empty 500: %d %q", r.status, r.body)
	}
	w.InjectFault(Fault{Status: 200, Body: `{"user":`})
	if r := w.get(t, "/api/v2/user"); r.status != 200 || json.Valid(r.body) {
		t.Errorf("malformed: %d %q", r.status, r.body)
	}
	w.InjectFault(Fault{Status: 502, Times: 5})
	w.ClearFaults()
	expect(t, w.get(t, "/api/v2/user"), 200, "")
	if reqs := w.Requests(); reqs[2].Status != 503 || reqs[2].Route != "GET /v2/task/{task_id}" {
		t.Errorf("log = %+v", reqs)
	}
}

func TestFaultDelay(t *testing.T) {
	w := newWorld(t)
	w.InjectFault(Fault{Path: "/v2/user", Delay: 30 * time.Millisecond})
	start := time.Now()
	expect(t, w.get(t, "/api/v2/user"), 200, "")
	if time.Since(start) < 30*time.Millisecond {
		t.Error("no delay")
	}
	// The delay honours the request's context: the client gives up, the
	// handler returns, nothing is applied.
	w.InjectFault(Fault{Method: "POST", Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, _, err := w.raw(t, ctx, "POST", "/api/v2/list/"+list30+"/task", `{"name":"slow"}`); err == nil {
		t.Fatal("want a timeout")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the client waited for the whole delay")
	}
	waitFor(t, func() bool { return w.Count("POST /v2/list/{list_id}/task") == 1 })
	if w.TaskCount() != 0 || w.TasksCreated() != 0 {
		t.Error("a request abandoned during its delay was applied")
	}
	// Delay then status.
	w.InjectFault(Fault{Delay: 20 * time.Millisecond, Status: 504})
	if r := w.get(t, "/api/v2/user"); r.status != 504 {
		t.Errorf("status = %d", r.status)
	}
}

func TestFaultDrop(t *testing.T) {
	w := newWorld(t)
	path := "/api/v2/list/" + list30 + "/task"
	w.InjectFault(Fault{Method: "POST", Path: "/v2/list/{list_id}/task", Drop: DropBeforeHandling})
	if _, _, err := w.raw(t, context.Background(), "POST", path, `{"name":"lost"}`); err == nil {
		t.Fatal("want a connection error")
	}
	if w.TaskCount() != 0 || w.TasksCreated() != 0 {
		t.Errorf("drop before handling applied the request: %d tasks", w.TaskCount())
	}
	w.InjectFault(Fault{Method: "POST", Path: "/v2/list/{list_id}/task", Drop: DropAfterHandling})
	if _, _, err := w.raw(t, context.Background(), "POST", path, `{"name":"ghost"}`); err == nil {
		t.Fatal("want a connection error")
	}
	if w.TaskCount() != 1 || w.TasksCreated() != 1 {
		t.Errorf("drop after handling must apply the request: %d tasks, %d created", w.TaskCount(), w.TasksCreated())
	}
	reqs := w.Requests()
	if reqs[0].Status != 0 || reqs[1].Status != 200 {
		t.Errorf("logged statuses = %d, %d", reqs[0].Status, reqs[1].Status)
	}
	// Next request is normal.
	resp, _, err := w.raw(t, context.Background(), "POST", path, `{"name":"fine"}`)
	if err != nil || resp.StatusCode != 200 || w.TaskCount() != 2 {
		t.Fatalf("after faults: %v %v", err, resp)
	}
}

func TestFaultTruncate(t *testing.T) {
	w := newWorld(t)
	w.InjectFault(Fault{Method: "POST", Truncate: true})
	resp, body, err := w.raw(t, context.Background(), "POST", "/api/v2/list/"+list30+"/task", `{"name":"cut"}`)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || json.Valid(body) || !strings.HasPrefix(string(body), `{"id":"86`) {
		t.Errorf("truncated: %d %q", resp.StatusCode, body)
	}
	if w.TaskCount() != 1 || w.TasksCreated() != 1 {
		t.Error("a truncated response's request must be applied")
	}
}

func TestFaultAppliedThenStatus(t *testing.T) {
	w := newWorld(t)
	w.InjectFault(Fault{Method: "POST", Path: "/v2/list/{list_id}/task", Status: 502, Body: `{"err":"Bad gateway"}`, Applied: true})
	resp, body, err := w.raw(t, context.Background(), "POST", "/api/v2/list/"+list30+"/task", `{"name":"done behind a 502"}`)
	if err != nil || resp.StatusCode != 502 || !strings.Contains(string(body), "Bad gateway") {
		t.Fatalf("want the 502: %v %v %s", err, resp, body)
	}
	if w.TaskCount() != 1 || w.TasksCreated() != 1 {
		t.Errorf("an Applied fault must apply the request: %d tasks", w.TaskCount())
	}
	if st := w.Requests()[0].Status; st != 502 {
		t.Errorf("logged status = %d, want the 502 the client saw", st)
	}
}

func TestFaultLandAfter(t *testing.T) {
	w := newWorld(t)
	w.InjectFault(Fault{Method: "POST", LandAfter: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, _, err := w.raw(t, ctx, "POST", "/api/v2/list/"+list30+"/task", `{"name":"late"}`); err == nil {
		t.Fatal("want a timeout")
	}
	if w.TaskCount() != 0 {
		t.Fatal("landed before its time")
	}
	// The client is gone; the write lands anyway.
	waitFor(t, func() bool { return w.TaskCount() == 1 })
	if w.TasksCreated() != 1 {
		t.Errorf("created %d", w.TasksCreated())
	}
}
