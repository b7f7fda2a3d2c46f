package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/catalog"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/server"
)

const (
	demoWS    = clickuptest.DemoWorkspaceID
	demoToken = clickuptest.DemoToken
	// unpaced is a client rate so high that pacing never waits: the figures
	// are about the server, not about ClickUp's budget (measured apart).
	unpaced = 1_000_000_000
)

// newFake is the demo workspace with a rate limit never reached (a limit
// of 0 would send X-RateLimit-Remaining: 0, which holds the client).
func newFake(opts ...clickuptest.Option) *clickuptest.Server {
	return clickuptest.NewDemo(append([]clickuptest.Option{clickuptest.WithRateLimit(1_000_000_000, time.Minute)}, opts...)...)
}

// stack is the MCP server in this process, its tools acting for the demo
// token against a fake.
type stack struct {
	fake *clickuptest.Server
	deps *workspace.Deps
	mcp  *server.MCPServer
	id   atomic.Int64
}

// newStack builds the server with the selection; baseURL "" serves the
// fake in process (like --sandbox), otherwise it is the fake's URL.
func newStack(fake *clickuptest.Server, baseURL string, sel toolkit.Selection) (*stack, error) {
	cfg := workspace.Config{Token: demoToken, BaseURL: baseURL, RatePerMinute: unpaced, Location: time.UTC}
	if baseURL == "" {
		cfg.BaseURL = "http://sandbox.invalid/api"
		cfg.HTTPClient = fake.Client()
	}
	d := workspace.NewDeps(cfg)
	// The tools as the server composes them (internal/app): the curated
	// ones and the catalogue's.
	cat, err := catalog.Tools(d, catalog.Options{ReadOnly: sel.ReadOnly})
	if err != nil {
		return nil, err
	}
	s, _, err := toolkit.NewServer(append(tools.All(d), cat...), toolkit.ServerOptions{
		Name: "clickup-mcp", Version: "bench", Instructions: tools.Instructions(false), Others: catalog.IsOperation, Selection: sel})
	if err != nil {
		return nil, err
	}
	return &stack{fake: fake, deps: d, mcp: s}, nil
}

// rpc sends one JSON-RPC request through the server's message handler and
// returns the response exactly as a transport would write it.
func (s *stack) rpc(ctx context.Context, method string, params any) ([]byte, error) {
	req := map[string]any{"jsonrpc": "2.0", "id": s.id.Add(1), "method": method}
	if params != nil {
		req["params"] = params
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	resp := s.mcp.HandleMessage(ctx, b)
	return json.Marshal(resp)
}

// callResult is the part of a tools/call response the bench reads.
type callResult struct {
	Result *struct {
		IsError           bool            `json:"isError"`
		Content           []textContent   `json:"content"`
		StructuredContent json.RawMessage `json:"structuredContent"`
	} `json:"result"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

type textContent struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// call runs a tool and returns the raw response and its parsed result; a
// tool error is an error here.
func (s *stack) call(ctx context.Context, name string, args any) ([]byte, *callResult, error) {
	raw, err := s.rpc(ctx, "tools/call", map[string]any{"name": name, "arguments": args})
	if err != nil {
		return nil, nil, err
	}
	var r callResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, nil, err
	}
	if r.Error != nil {
		return nil, nil, fmt.Errorf("%s: %s", name, r.Error.Message)
	}
	if r.Result == nil || r.Result.IsError {
		return nil, nil, fmt.Errorf("%s: tool error: %.300s", name, raw)
	}
	return raw, &r, nil
}

// callFast is call without decoding the answer: the server's side of a
// call only (what a transport does: handle, then encode), for timings.
func (s *stack) callFast(ctx context.Context, name string, args any) ([]byte, error) {
	raw, err := s.rpc(ctx, "tools/call", map[string]any{"name": name, "arguments": args})
	if err == nil && (bytes.Contains(raw, []byte(`"isError":true`)) || !bytes.Contains(raw, []byte(`"result":`))) {
		err = fmt.Errorf("%s: %.300s", name, raw)
	}
	return raw, err
}

// text is the result's text content, joined.
func (r *callResult) text() string {
	var out string
	for _, c := range r.Result.Content {
		out += c.Text
	}
	return out
}

// rawGet fetches a ClickUp path straight from the fake, as the demo user:
// the JSON ClickUp itself would send.
func rawGet(fake http.Handler, pathAndQuery string) ([]byte, error) {
	req := httptest.NewRequest(http.MethodGet, "http://fake"+pathAndQuery, nil)
	req.Header.Set("Authorization", demoToken)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %.200s", pathAndQuery, rec.Code, body)
	}
	return body, nil
}

// demoTaskIDs lists every task of the demo workspace, closed and subtasks
// included, in ClickUp's order.
func demoTaskIDs(fake http.Handler) ([]string, error) {
	var ids []string
	for page := 0; ; page++ {
		b, err := rawGet(fake, fmt.Sprintf("/api/v2/team/%s/task?page=%d&include_closed=true&subtasks=true", demoWS, page))
		if err != nil {
			return nil, err
		}
		var p struct {
			Tasks []struct {
				ID string `json:"id"`
			} `json:"tasks"`
		}
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, err
		}
		for _, t := range p.Tasks {
			ids = append(ids, t.ID)
		}
		if len(p.Tasks) < clickup.PageSize {
			return ids, nil
		}
	}
}

// dist summarizes durations.
type dist struct {
	N                  int
	P50, P90, P99, Max time.Duration
	Mean               time.Duration
}

func distOf(ds []time.Duration) dist {
	if len(ds) == 0 {
		return dist{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return dist{N: len(s), P50: q(0.50), P90: q(0.90), P99: q(0.99), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}
