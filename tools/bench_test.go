package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/server"
)

// Benchmarks report sizes and ratios as metrics (b.ReportMetric); none of
// them asserts a timing. The figures for docs/BENCHMARKS.md come from
// `go run ./bench`; these are the same measures in `go test -bench` form:
//
//	go test -run '^$' -bench . ./tools/

// benchStack is the server over the demo workspace (about 300 tasks).
type benchStack struct {
	fake *clickuptest.Server
	hc   *http.Client
	srv  *server.MCPServer
	id   int
}

const benchBase = "http://fake.invalid/api"

func newBenchStack(b *testing.B, sel toolkit.Selection) *benchStack {
	b.Helper()
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute), clickuptest.WithRequestLogLimit(1))
	hc := fake.Client() // in process, as --sandbox: the figures are the server's CPU, not loopback TCP
	d := workspace.NewDeps(workspace.Config{Token: clickuptest.DemoToken, BaseURL: benchBase, HTTPClient: hc,
		RatePerMinute: 1_000_000_000, Location: time.UTC})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "clickup-mcp", Version: "bench", Selection: sel})
	if err != nil {
		b.Fatal(err)
	}
	return &benchStack{fake: fake, hc: hc, srv: s}
}

// rpc handles one JSON-RPC request and returns the answer as a transport
// writes it.
func (s *benchStack) rpc(b *testing.B, method string, params any) []byte {
	s.id++
	req, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.id, "method": method, "params": params})
	if err != nil {
		b.Fatal(err)
	}
	out, err := json.Marshal(s.srv.HandleMessage(context.Background(), req))
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// benchCall is the part of a tools/call answer the benchmarks read.
type benchCall struct {
	Result struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		StructuredContent json.RawMessage `json:"structuredContent"`
	} `json:"result"`
}

func (s *benchStack) call(b *testing.B, tool string, args map[string]any) ([]byte, benchCall) {
	raw := s.rpc(b, "tools/call", map[string]any{"name": tool, "arguments": args})
	var c benchCall
	if err := json.Unmarshal(raw, &c); err != nil || c.Result.IsError {
		b.Fatalf("%s: %v %.300s", tool, err, raw)
	}
	return raw, c
}

// raw fetches ClickUp's own JSON from the fake.
func (s *benchStack) raw(b *testing.B, pathAndQuery string) []byte {
	req, _ := http.NewRequest(http.MethodGet, benchBase+pathAndQuery, nil)
	req.Header.Set("Authorization", clickuptest.DemoToken)
	resp, err := s.hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %.200s", pathAndQuery, resp.StatusCode, body)
	}
	return body
}

// BenchmarkToolsList: bytes (and ~tokens, at 4 bytes a token) of the
// tools/list answer per toolset preset, and the time to produce it.
func BenchmarkToolsList(b *testing.B) {
	presets := []struct {
		name string
		sel  toolkit.Selection
	}{
		{"default", toolkit.Selection{}},
		{"all", toolkit.Selection{Toolsets: []string{"all"}}},
		{"read-only", toolkit.Selection{ReadOnly: true}},
		{toolkit.ToolsetContext, toolkit.Selection{Toolsets: []string{toolkit.ToolsetContext}}},
		{toolkit.ToolsetTasks, toolkit.Selection{Toolsets: []string{toolkit.ToolsetTasks}}},
		{toolkit.ToolsetComments, toolkit.Selection{Toolsets: []string{toolkit.ToolsetComments}}},
	}
	for _, p := range presets {
		b.Run(p.name, func(b *testing.B) {
			s := newBenchStack(b, p.sel)
			var n int
			b.ReportAllocs()
			for b.Loop() {
				n = len(s.rpc(b, "tools/list", map[string]any{}))
			}
			b.ReportMetric(float64(n), "bytes")
			b.ReportMetric(float64(n)/4, "tokens")
		})
	}
}

// BenchmarkSearch100: clickup_search_tasks with limit 100 against the raw
// page ClickUp sends for the same query (issue 5: compact at most 10%).
func BenchmarkSearch100(b *testing.B) {
	s := newBenchStack(b, toolkit.Selection{})
	args := map[string]any{"limit": 100}
	_, c := s.call(b, "clickup_search_tasks", args)
	var r SearchResult
	if err := json.Unmarshal(c.Result.StructuredContent, &r); err != nil || len(r.Tasks) != 100 {
		b.Fatalf("want 100 tasks: %v (%d)", err, len(r.Tasks))
	}
	// The fake keeps one request in its log: the search the tool made.
	q := s.fake.Requests()[0]
	raw := s.raw(b, strings.TrimPrefix(q.Path, "/api")+"?"+q.RawQuery)
	var resp []byte
	b.ReportAllocs()
	for b.Loop() {
		resp, c = s.call(b, "clickup_search_tasks", args)
	}
	reportSizes(b, resp, c, len(raw))
}

// BenchmarkGetTask: clickup_get_task against ClickUp's JSON for the same
// task (issue 5: at most 25%), over every demo task.
func BenchmarkGetTask(b *testing.B) {
	s := newBenchStack(b, toolkit.Selection{})
	var ids []string
	for page := 0; ; page++ {
		var p struct {
			Tasks []struct {
				ID string `json:"id"`
			} `json:"tasks"`
		}
		body := s.raw(b, fmt.Sprintf("/v2/team/%s/task?page=%d&include_closed=true&subtasks=true", clickuptest.DemoWorkspaceID, page))
		if err := json.Unmarshal(body, &p); err != nil {
			b.Fatal(err)
		}
		for _, t := range p.Tasks {
			ids = append(ids, t.ID)
		}
		if len(p.Tasks) < clickup.PageSize {
			break
		}
	}
	// Sizes over every task once; then time calls on them in turn.
	var raw, resp, text, structured int
	for _, id := range ids {
		raw += len(s.raw(b, "/v2/task/"+id+"?include_markdown_description=true"))
		r, c := s.call(b, "clickup_get_task", map[string]any{"task_id": id})
		resp, text, structured = resp+len(r), text+len(c.text()), structured+len(c.Result.StructuredContent)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		s.call(b, "clickup_get_task", map[string]any{"task_id": ids[i%len(ids)]})
		i++
	}
	n := float64(len(ids))
	b.ReportMetric(float64(structured)/n, "structured-bytes")
	b.ReportMetric(float64(text)/n, "text-bytes")
	b.ReportMetric(float64(raw)/n, "raw-bytes")
	b.ReportMetric(float64(max(text, structured))/float64(raw), "model/raw")
	b.ReportMetric(float64(resp)/float64(raw), "response/raw")
}

func (c benchCall) text() string {
	var sb strings.Builder
	for _, t := range c.Result.Content {
		sb.WriteString(t.Text)
	}
	return sb.String()
}

// reportSizes: a client shows the model the text or the structured
// content; model/raw is the larger of the two against ClickUp's JSON, and
// response/raw the whole answer with both.
func reportSizes(b *testing.B, resp []byte, c benchCall, raw int) {
	text, structured := len(c.text()), len(c.Result.StructuredContent)
	b.ReportMetric(float64(structured), "structured-bytes")
	b.ReportMetric(float64(text), "text-bytes")
	b.ReportMetric(float64(raw), "raw-bytes")
	b.ReportMetric(float64(max(text, structured))/float64(raw), "model/raw")
	b.ReportMetric(float64(len(resp))/float64(raw), "response/raw")
}

// BenchmarkToolCallOverhead: clickup_get_task through the MCP message
// handler against the bare client call it wraps (Tasks.Get), both served
// by the same in-process fake, timed alternately in one run. x-bare is
// tool time over bare time; overhead-ns/op is the difference.
func BenchmarkToolCallOverhead(b *testing.B) {
	s := newBenchStack(b, toolkit.Selection{})
	c := clickup.New(clickuptest.DemoToken, clickup.WithBaseURL(benchBase), clickup.WithHTTPClient(s.hc), clickup.WithRateLimit(1_000_000_000))
	ctx := context.Background()
	const id = "86lps8b4v"
	if _, err := c.Tasks.Get(ctx, clickup.Native(id), nil); err != nil {
		b.Fatal(err)
	}
	s.call(b, "clickup_get_task", map[string]any{"task_id": id}) // warm the session
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clickup_get_task","arguments":{"task_id":"` + id + `"}}}`)
	var bare, tool time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.Tasks.Get(ctx, clickup.Native(id), &clickup.GetTaskOptions{IncludeMarkdownDescription: true}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		out, err := json.Marshal(s.srv.HandleMessage(ctx, req))
		if err != nil || bytes.Contains(out, []byte(`"isError":true`)) {
			b.Fatalf("%v %.300s", err, out)
		}
		t2 := time.Now()
		bare, tool = bare+t1.Sub(t0), tool+t2.Sub(t1)
	}
	b.ReportMetric(float64(tool)/float64(bare), "x-bare")
	b.ReportMetric(float64(tool-bare)/float64(b.N), "overhead-ns/op")
}
