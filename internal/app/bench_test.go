package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// BenchmarkHTTPToolCalls is 50 streamable-HTTP sessions calling
// clickup_get_task against a zero-latency fake, the server in this process:
// the shape of the bench's HTTP load run, for `-cpuprofile`. It reports
// calls/s (machine-dependent) and allocations a call.
//
//	go test -run '^$' -bench HTTPToolCalls -cpuprofile cpu.out ./internal/app/
func BenchmarkHTTPToolCalls(b *testing.B) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	api := httptest.NewServer(fake)
	defer api.Close()
	b.Setenv("CLICKUP_API_TOKEN", "")
	var cfg Config
	fs := NewFlagSet("clickup-mcp", &cfg, io.Discard)
	if err := fs.Parse([]string{"--transport", "http", "--api-url", api.URL + "/api", "--rate-limit", "1000000000", "--timezone", "UTC"}); err != nil {
		b.Fatal(err)
	}
	log, err := NewLogger(&cfg, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(cfg, log)
	if err != nil {
		b.Fatal(err)
	}
	h, shutdown := a.HTTP().Handler()
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer shutdown(context.Background())
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
	post := func(session string, body []byte) (string, []byte, error) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/mcp", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+clickuptest.DemoToken)
		req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
		}
		resp, err := client.Do(req)
		if err != nil {
			return "", nil, err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 && resp.StatusCode != http.StatusAccepted {
			return "", nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, data)
		}
		return resp.Header.Get("Mcp-Session-Id"), data, err
	}
	ids := []string{}
	for _, l := range []string{clickuptest.DemoListSprint12, clickuptest.DemoListSprint13} {
		var p struct {
			Tasks []struct {
				ID string `json:"id"`
			} `json:"tasks"`
		}
		req := httptest.NewRequest(http.MethodGet, "http://fake/api/v2/list/"+l+"/task", nil)
		req.Header.Set("Authorization", clickuptest.DemoToken)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		for _, t := range p.Tasks {
			ids = append(ids, t.ID)
		}
	}
	const sessions = 50
	sids := make([]string, sessions)
	for i := range sids {
		sid, _, err := post("", []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`))
		if err != nil || sid == "" {
			b.Fatal(err, sid)
		}
		if _, _, err := post(sid, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)); err != nil {
			b.Fatal(err)
		}
		sids[i] = sid
	}
	var next atomic.Int64
	var failed atomic.Value
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"clickup_get_task","arguments":{"task_id":%q}}}`, n+10, ids[int(n)%len(ids)])
				_, data, err := post(sids[i], []byte(body))
				if err == nil && !bytes.Contains(data, []byte(`"result"`)) {
					err = fmt.Errorf("%.200s", data)
				}
				if err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
}

// BenchmarkStartup is what a start costs after package init: the app built
// from flags (tools, schemas, prompts) and the first tools/list answered,
// for `-cpuprofile`.
//
//	go test -run '^$' -bench Startup -cpuprofile cpu.out ./internal/app/
func BenchmarkStartup(b *testing.B) {
	b.Setenv("CLICKUP_API_TOKEN", "pk_1_BENCHSTARTUP")
	b.ReportAllocs()
	for b.Loop() {
		var cfg Config
		fs := NewFlagSet("clickup-mcp", &cfg, io.Discard)
		if err := fs.Parse([]string{"--api-url", "http://127.0.0.1:9/api", "--log-level", "warn"}); err != nil {
			b.Fatal(err)
		}
		log, err := NewLogger(&cfg, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		a, err := New(cfg, log)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range []string{
			`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`,
			`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		} {
			if resp := a.MCP.HandleMessage(context.Background(), []byte(m)); resp == nil {
				b.Fatal("no answer")
			}
		}
	}
}
