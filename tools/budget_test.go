package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/server"
)

// Token budgets (issue 18), counted with the o200k tokenizer. Each test
// derives the tools from the registry, so a new tool counts against the
// budget of its preset the day it is added.
const (
	// budgetModelDefault bounds what the model sees of tools/list for the
	// default preset: name, description and input schema of every tool.
	budgetModelDefault = 4000
	// budgetModelAll is the same for --toolsets all.
	budgetModelAll = 9000
	// budgetWireDefault bounds the whole default tools/list answer as sent,
	// output schemas and annotations included.
	budgetWireDefault = 6000
	// budgetSearchTaskTokens bounds the tokens per task in the compact text
	// of a search.
	budgetSearchTaskTokens = 35
)

// demoStack is the server in this process over the demo workspace, spoken
// to through its message handler: the bytes a transport would write.
type demoStack struct {
	fake *clickuptest.Server
	deps *workspace.Deps
	mcp  *server.MCPServer
	id   atomic.Int64
}

func newDemoStack(t testing.TB, sel toolkit.Selection, cfg workspace.Config) *demoStack {
	t.Helper()
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	cfg.Token = clickuptest.DemoToken
	cfg.BaseURL = "http://sandbox.invalid/api"
	cfg.HTTPClient = fake.Client()
	cfg.RatePerMinute = 1_000_000_000
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	d := workspace.NewDeps(cfg)
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "clickup-mcp", Version: "test", Selection: sel})
	if err != nil {
		t.Fatal(err)
	}
	return &demoStack{fake: fake, deps: d, mcp: s}
}

func (s *demoStack) rpc(t testing.TB, method string, params any) []byte {
	t.Helper()
	req := map[string]any{"jsonrpc": "2.0", "id": s.id.Add(1), "method": method}
	if params != nil {
		req["params"] = params
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(s.mcp.HandleMessage(context.Background(), b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wireResult is a tools/call answer as a client receives it.
type wireResult struct {
	Raw    []byte // the whole JSON-RPC response
	Result struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		StructuredContent json.RawMessage `json:"structuredContent"`
	} `json:"result"`
}

func (r *wireResult) text() string {
	var b strings.Builder
	for _, c := range r.Result.Content {
		b.WriteString(c.Text)
	}
	return b.String()
}

func (s *demoStack) call(t testing.TB, name string, args map[string]any) *wireResult {
	t.Helper()
	raw := s.rpc(t, "tools/call", map[string]any{"name": name, "arguments": args})
	r := &wireResult{Raw: raw}
	if err := json.Unmarshal(raw, r); err != nil {
		t.Fatalf("%s: %v: %.300s", name, err, raw)
	}
	if r.Result.IsError || len(r.Result.Content) == 0 {
		t.Fatalf("%s %v: not a result: %.500s", name, args, raw)
	}
	return r
}

// modelView is what a model is shown of a tool: name, description and
// input schema, as compact JSON.
func modelView(t testing.TB, ts []toolkit.Tool) (int, map[string]int) {
	t.Helper()
	total, per := 0, map[string]int{}
	for _, tool := range ts {
		n, err := tokens.JSON(map[string]any{
			"name":        tool.Name(),
			"description": tool.Tool.Description,
			"inputSchema": tool.Tool.RawInputSchema,
		})
		if err != nil {
			t.Fatal(err)
		}
		per[tool.Name()] = n
		total += n
	}
	return total, per
}

func topTools(per map[string]int) string {
	names := make([]string, 0, len(per))
	for n := range per {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return per[names[i]] > per[names[j]] })
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, " %s=%d", n, per[n])
	}
	return b.String()
}

func TestBudgetModelVisibleTools(t *testing.T) {
	all := All(workspace.NewDeps(workspace.Config{Token: "pk_test"}))
	for _, c := range []struct {
		preset string
		sel    toolkit.Selection
		budget int
	}{
		{"default", toolkit.Selection{}, budgetModelDefault},
		{"all", toolkit.Selection{Toolsets: []string{"all"}}, budgetModelAll},
	} {
		ts, err := toolkit.Select(all, c.sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			t.Fatalf("%s: no tools", c.preset)
		}
		total, per := modelView(t, ts)
		t.Logf("%s: %d tools, %d tokens (budget %d):%s", c.preset, len(ts), total, c.budget, topTools(per))
		if total > c.budget {
			t.Errorf("%s preset: name+description+input schema of %d tools is %d tokens, over the budget of %d; shorten the largest:%s",
				c.preset, len(ts), total, c.budget, topTools(per))
		}
	}
}

func TestBudgetToolsListOnTheWire(t *testing.T) {
	s := newDemoStack(t, toolkit.Selection{}, workspace.Config{})
	raw := s.rpc(t, "tools/list", nil)
	var r struct {
		Result struct {
			Tools []json.RawMessage `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	want, err := toolkit.Select(All(s.deps), toolkit.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Result.Tools) != len(want) {
		t.Fatalf("tools/list has %d tools, the default preset %d", len(r.Result.Tools), len(want))
	}
	n := tokens.CountBytes(raw)
	t.Logf("default tools/list: %d bytes, %d tokens (budget %d)", len(raw), n, budgetWireDefault)
	if n > budgetWireDefault {
		t.Errorf("default tools/list is %d tokens on the wire, over the budget of %d", n, budgetWireDefault)
	}
}

// Output schemas are for clients that validate structured content, not for
// the model: no descriptions, and no object nested in an object nested in
// the root (a nested object is given by its type alone).
func TestOutputSchemasShallow(t *testing.T) {
	for _, tool := range All(workspace.NewDeps(workspace.Config{Token: "pk_test"})) {
		var doc any
		if err := json.Unmarshal(tool.Tool.RawOutputSchema, &doc); err != nil {
			t.Fatal(err)
		}
		if p := findKey(doc, "description", "#"); p != "" {
			t.Errorf("%s output schema: description at %s", tool.Name(), p)
		}
		if d := objectDepth(doc); d > maxOutputDepth {
			t.Errorf("%s output schema: objects nested %d deep, at most %d", tool.Name(), d, maxOutputDepth)
		}
	}
}

// maxOutputDepth: the root's properties, and the properties of the objects
// in its arrays or fields (a search's tasks), no deeper.
const maxOutputDepth = 2

// findKey finds a schema keyword anywhere in a schema, walking property
// maps as maps of schemas (a property may be named like a keyword).
func findKey(v any, key, path string) string {
	m, ok := v.(map[string]any)
	if !ok {
		if a, ok := v.([]any); ok {
			for i, c := range a {
				if p := findKey(c, key, fmt.Sprintf("%s/%d", path, i)); p != "" {
					return p
				}
			}
		}
		return ""
	}
	for k, c := range m {
		if k == key {
			return path + "/" + k
		}
		if k == "properties" || k == "$defs" || k == "definitions" {
			if props, ok := c.(map[string]any); ok {
				for name, sub := range props {
					if p := findKey(sub, key, path+"/"+k+"/"+name); p != "" {
						return p
					}
				}
			}
			continue
		}
		if p := findKey(c, key, path+"/"+k); p != "" {
			return p
		}
	}
	return ""
}

// objectDepth counts the levels of schemas that list properties.
func objectDepth(v any) int {
	m, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	deepest := 0
	if props, ok := m["properties"].(map[string]any); ok {
		for _, p := range props {
			deepest = max(deepest, objectDepth(p))
		}
		deepest++
	}
	if items, ok := m["items"]; ok {
		deepest = max(deepest, objectDepth(items))
	}
	return deepest
}

func TestBudgetSearchTokensPerTask(t *testing.T) {
	s := newDemoStack(t, toolkit.Selection{}, workspace.Config{})
	for _, c := range []struct {
		label string
		args  map[string]any
	}{
		{"one list", map[string]any{"list_ids": []string{clickuptest.DemoListSprint12}, "limit": 25}},
		{"workspace", map[string]any{"limit": 100}},
	} {
		r := s.call(t, "clickup_search_tasks", c.args)
		var sr SearchResult
		if err := json.Unmarshal(r.Result.StructuredContent, &sr); err != nil {
			t.Fatal(err)
		}
		if len(sr.Tasks) < 10 {
			t.Fatalf("%s: only %d tasks; the measure needs a full page", c.label, len(sr.Tasks))
		}
		text := r.text()
		per := float64(tokens.Count(text)) / float64(len(sr.Tasks))
		t.Logf("%s: %d tasks, %d tokens of text, %.1f a task (budget %d)", c.label, len(sr.Tasks), tokens.Count(text), per, budgetSearchTaskTokens)
		if per > budgetSearchTaskTokens {
			t.Errorf("%s search: %.1f tokens a task in the text, over the budget of %d", c.label, per, budgetSearchTaskTokens)
		}
		// Each task's id, name and status must still be there.
		for _, task := range sr.Tasks {
			for _, want := range []string{task.ID, task.Name, task.Status} {
				if !strings.Contains(text, want) {
					t.Fatalf("%s: text lacks %q of task %s", c.label, want, task.ID)
				}
			}
		}
	}
}

// resultTokens is what a result costs a model by the real count: its text,
// its structured content as compact JSON (clients pass either or both) and
// its resource links as sent.
func resultTokens(r *wireResult) int {
	n := tokens.Count(r.text()) + tokens.CountBytes(r.Result.StructuredContent)
	for _, l := range r.links() {
		n += tokens.CountBytes(l)
	}
	return n
}

// links are the result's resource_link content items, as sent.
func (r *wireResult) links() []json.RawMessage {
	var w struct {
		Result struct {
			Content []json.RawMessage `json:"content"`
		} `json:"result"`
	}
	_ = json.Unmarshal(r.Raw, &w)
	var out []json.RawMessage
	for _, c := range w.Result.Content {
		var item struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(c, &item) == nil && item.Type == "resource_link" {
			out = append(out, c)
		}
	}
	return out
}

// budgetCheck records results: each must be within the budget by the real
// count, and the server's estimate (toolkit.EstimateTokens, which it cuts results
// by) must be at least the real count for every one of them.
type budgetCheck struct {
	t      *testing.T
	budget int
	// tightest is the lowest estimate / real count seen, and where.
	tightest   float64
	tightestAt string
	sumEst     int
	sumReal    int
	largest    int
	largestAt  string
	results    int
	links      int // resource links seen, counted in each result
}

func (c *budgetCheck) add(label string, r *wireResult) {
	c.t.Helper()
	n := resultTokens(r)
	if n == 0 {
		c.t.Fatalf("%s: an empty result", label)
	}
	c.results++
	est := toolkit.EstimateTokens(r.text()) + toolkit.EstimateJSONTokens(r.Result.StructuredContent)
	links := r.links()
	for _, l := range links {
		est += toolkit.EstimateJSONTokens(l)
	}
	c.links += len(links)
	c.sumEst += est
	c.sumReal += n
	ratio := float64(est) / float64(n)
	if c.tightestAt == "" || ratio < c.tightest {
		c.tightest, c.tightestAt = ratio, label
	}
	if n > c.largest {
		c.largest, c.largestAt = n, label
	}
	if n > c.budget {
		c.t.Errorf("%s: %d tokens, over the budget of %d", label, n, c.budget)
	}
	if est < n {
		c.t.Errorf("%s: estimated %d tokens, really %d: the server's estimate no longer bounds the count", label, est, n)
	}
}

func (c *budgetCheck) report() {
	c.t.Logf("budget %d: %d results with %d resource links, largest %d tokens (%s); estimate / real: %.2f overall, tightest %.2f (%s)",
		c.budget, c.results, c.links, c.largest, c.largestAt, float64(c.sumEst)/float64(c.sumReal), c.tightest, c.tightestAt)
}

// demoTaskIDs lists every demo task, closed ones and subtasks included.
func (s *demoStack) taskIDs(t *testing.T) []string {
	var ids []string
	cursor := ""
	for {
		args := map[string]any{"include_closed": true, "subtasks": true, "limit": 100}
		if cursor != "" {
			args["cursor"] = cursor
		}
		var sr SearchResult
		if err := json.Unmarshal(s.call(t, "clickup_search_tasks", args).Result.StructuredContent, &sr); err != nil {
			t.Fatal(err)
		}
		for _, task := range sr.Tasks {
			ids = append(ids, task.ID)
		}
		if cursor = sr.NextCursor; cursor == "" {
			return ids
		}
	}
}

// TestResultTokenBudget proves the result budget by the real count: at
// the default budget, the largest search, every task of the demo workspace
// and every comment thread; at small budgets, the same calls cut to fit.
func TestResultTokenBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenizes a few MB")
	}
	for _, budget := range []int{workspace.DefaultMaxResultTokens, 1500} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			s := newDemoStack(t, toolkit.Selection{Toolsets: []string{"all"}}, workspace.Config{MaxResultTokens: budget})
			c := &budgetCheck{t: t, budget: budget}
			for _, detail := range []string{"compact", "full"} {
				r := s.call(t, "clickup_search_tasks", map[string]any{"limit": 100, "detail": detail, "include_closed": true, "subtasks": true})
				c.add("search limit 100 "+detail, r)
				r = s.call(t, "clickup_search_tasks", map[string]any{"limit": 100, "detail": detail, "order_by": "due_date"})
				c.add("search by due date "+detail, r)
			}
			for _, id := range s.taskIDs(t) {
				c.add("get_task "+id, s.call(t, "clickup_get_task", map[string]any{"task_id": id, "detail": "full"}))
				c.add("get_task compact "+id, s.call(t, "clickup_get_task", map[string]any{"task_id": id}))
				c.add("comments "+id, s.call(t, "clickup_get_task_comments", map[string]any{"task_id": id, "include_replies": true}))
			}
			// Every doc, whole and page by page (the handbook's 40k-character
			// page needs the cursor within a page), and every chat channel
			// (the catalogue's answers: internal/catalog TestResultBudgetByTokenizer).
			var docs []DocOut
			for _, archived := range []bool{false, true} {
				var sr SearchDocsResult
				if err := json.Unmarshal(s.call(t, "clickup_search_docs", map[string]any{"archived": archived}).Result.StructuredContent, &sr); err != nil {
					t.Fatal(err)
				}
				docs = append(docs, sr.Docs...)
			}
			if len(docs) < 4 {
				t.Fatalf("the sandbox has %d docs, want its five", len(docs))
			}
			pages := 0
			for _, d := range docs {
				cursor := ""
				for range 50 {
					args := map[string]any{"doc_id": d.ID}
					if cursor != "" {
						args["cursor"] = cursor
					}
					r := s.call(t, "clickup_get_doc", args)
					c.add("get_doc "+d.ID+" "+cursor, r)
					pages++
					var g struct {
						NextCursor string `json:"next_cursor"`
					}
					if err := json.Unmarshal(r.Result.StructuredContent, &g); err != nil {
						t.Fatal(err)
					}
					if cursor = g.NextCursor; cursor == "" {
						break
					}
				}
			}
			if pages <= len(docs) {
				t.Errorf("%d doc answers for %d docs: no doc needed its cursor, so the cut was not proven", pages, len(docs))
			}
			var channels ChatChannelsResult
			if err := json.Unmarshal(s.call(t, "clickup_list_chat_channels", map[string]any{}).Result.StructuredContent, &channels); err != nil {
				t.Fatal(err)
			}
			for _, ch := range channels.Channels {
				c.add("chat "+ch.ID, s.call(t, "clickup_get_chat_messages", map[string]any{"channel": ch.ID}))
			}
			c.report()
			if budget < workspace.DefaultMaxResultTokens && c.largest < budget/2 {
				t.Errorf("at a budget of %d the largest result is %d tokens: nothing came near the budget, so nothing was proven", budget, c.largest)
			}
		})
	}
}

// TestGetTaskShareOfRaw: clickup_get_task shows the model at most 25% of
// what ClickUp sent for it (issue 5), over every demo task: the larger of
// its text and its structured content against the raw answers of the
// requests the call made (subtasks included, as the tool asks for them).
func TestGetTaskShareOfRaw(t *testing.T) {
	s := newDemoStack(t, toolkit.Selection{}, workspace.Config{})
	s.call(t, "clickup_whoami", map[string]any{})
	var model, raw int
	for _, id := range s.taskIDs(t) {
		s.fake.ResetLog()
		r := s.call(t, "clickup_get_task", map[string]any{"task_id": id})
		model += max(len(r.text()), len(r.Result.StructuredContent))
		reqs := s.fake.Requests()
		if len(reqs) != 1 {
			t.Fatalf("get_task %s made %d requests, want 1", id, len(reqs))
		}
		for _, q := range reqs {
			req, _ := http.NewRequest(http.MethodGet, "http://sandbox.invalid/api"+strings.TrimPrefix(q.Path, "/api")+"?"+q.RawQuery, nil)
			req.Header.Set("Authorization", clickuptest.DemoToken)
			resp, err := s.fake.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("raw %s: %d %.200s", q.Path, resp.StatusCode, b)
			}
			raw += len(b)
		}
	}
	share := float64(model) / float64(raw)
	t.Logf("get_task: %d bytes to the model against %d raw: %.1f%%", model, raw, 100*share)
	if share > 0.25 {
		t.Errorf("get_task shows the model %.1f%% of ClickUp's answers, over 25%%", 100*share)
	}
}

// Long and unusual texts: descriptions and comments in other scripts,
// emoji and markup-heavy markdown, cut to fit a small budget.
func TestResultTokenBudgetUnusualText(t *testing.T) {
	w := newWorld(t)
	texts := map[string]string{
		"latin":  strings.Repeat("é lorem ipsum dolor ", 4000),
		"cjk":    strings.Repeat("任务描述包含中文字符和日本語のテキスト。", 2000),
		"emoji":  strings.Repeat("🚀✅🔥 ship it 🎉 ", 3000),
		"markup": strings.Repeat("<a href=\"x\">&amp;</a>\n\t- [ ] **x**\n", 3000),
		"digits": strings.Repeat("4815162342 ", 5000),
		"list":   strings.Repeat("1, 2, 3, 4; ", 5000),
	}
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	const budget = 1500
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = budget })
	c := &budgetCheck{t: t, budget: budget}
	for name, text := range texts {
		if est, exact := toolkit.EstimateTokens(text), tokens.Count(text); est < exact {
			t.Errorf("%s: estimated %d tokens, really %d", name, est, exact)
		}
		id := w.fake.AddTask(w.sprint, taskWithDescription(name, text)).ID
		var out render.TaskDetail
		got := h.mustOK(t, "clickup_get_task", map[string]any{"task_id": id}, &out)
		raw, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		r := &wireResult{}
		r.Result.Content = append(r.Result.Content, struct {
			Text string `json:"text"`
		}{got})
		r.Result.StructuredContent = raw
		c.add(name, r)
	}
	c.report()
}
