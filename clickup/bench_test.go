package clickup

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchServer serves the realistic task for GET /api/v2/task/{id}.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := []byte(taskJSON)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "10000")
		w.Header().Set("X-RateLimit-Remaining", "9999")
		w.Header().Set("X-RateLimit-Reset", "4102444800")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetTaskRoundTrip is Tasks.Get through the whole client: pacing,
// headers, retry bookkeeping, lenient decoding into Task.
func BenchmarkGetTaskRoundTrip(b *testing.B) {
	srv := benchServer(b)
	c := New(testToken(b), WithBaseURL(srv.URL+"/api"), WithRateLimit(1_000_000_000))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		task, err := c.Tasks.Get(ctx, Native("86caqr85m"), nil)
		if err != nil || task.ID != "86caqr85m" {
			b.Fatal(task, err)
		}
	}
}

// BenchmarkBareHTTPGet is the floor: the same request with plain net/http
// and json.Unmarshal into a map.
func BenchmarkBareHTTPGet(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	url := srv.URL + "/api/v2/task/86caqr85m"
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "pk_x")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil || m["id"] != "86caqr85m" {
			b.Fatal(err)
		}
	}
}
