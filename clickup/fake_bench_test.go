package clickup

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// The same pair as BenchmarkGetTaskRoundTrip / BenchmarkBareHTTPGet, but
// against the fake ClickUp serving the demo workspace: the ratio of the two
// is the client's overhead on a get-task round trip.
//
//	go test -run x -bench 'ViaFake' -benchmem ./clickup/

func fakeServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute)))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkGetTaskViaFake(b *testing.B) {
	srv := fakeServer(b)
	c := New(clickuptest.DemoToken, WithBaseURL(srv.URL+"/api"), WithRateLimit(1_000_000_000))
	ctx := context.Background()
	ref := Custom("ACME-1", clickuptest.DemoWorkspaceID)
	b.ReportAllocs()
	for b.Loop() {
		task, err := c.Tasks.Get(ctx, ref, nil)
		if err != nil || task.CustomID != "ACME-1" {
			b.Fatal(task, err)
		}
	}
}

func BenchmarkBareHTTPGetViaFake(b *testing.B) {
	srv := fakeServer(b)
	hc := &http.Client{}
	url := srv.URL + "/api/v2/task/ACME-1?custom_task_ids=true&team_id=" + clickuptest.DemoWorkspaceID
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", clickuptest.DemoToken)
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
		if err := json.Unmarshal(data, &m); err != nil || m["custom_id"] != "ACME-1" {
			b.Fatal(resp.StatusCode, err)
		}
	}
}
