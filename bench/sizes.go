package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/clickup-mcp/clickup-mcp/internal/catalog"
	"sort"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/tools"
)

// listSize is the tools/list answer for one toolset preset.
type listSize struct {
	Preset, Flags string
	Tools         int
	Bytes         int
	// Tokens is the whole answer in o200k tokens; ModelTokens what a model
	// is shown of it: name, description and input schema of each tool, as
	// compact JSON (the budget of issue 18).
	Tokens, ModelTokens int
}

// respSize compares one tool's answer with the raw ClickUp JSON the server
// read to make it.
type respSize struct {
	Label, Tool      string // Label says which call, for people
	Args             string
	Text, Structured int // the text content, the structured content
	// TextTokens and StructuredTokens are their o200k counts; the result
	// budget (--max-result-tokens) bounds their sum.
	TextTokens, StructuredTokens int
	Response                     int // the whole JSON-RPC response on the wire
	Raw                          int // ClickUp's JSON for the same data
	Requests                     int // ClickUp requests behind the answer
}

// Model is what a client puts in front of the model. Clients read either
// the text or the structured content, not both; the larger is the bound.
func (r respSize) Model() int { return max(r.Text, r.Structured) }

type sizes struct {
	Initialize       int // the initialize answer: server info and instructions
	InitializeTokens int
	Lists            []listSize
	Responses        []respSize
	// GetTaskAll is clickup_get_task over every demo task.
	GetTaskAll struct {
		Tasks                      int
		SumModel, SumRaw           int
		MedianRatio, MaxRatio      float64
		MedianModel, MedianRawSize int
	}
}

func measureSizes(ctx context.Context) (*sizes, error) {
	fake := newFake(clickuptest.WithRequestLogLimit(1 << 20))
	out := &sizes{}
	presets := []struct {
		name, flags string
		sel         toolkit.Selection
	}{
		{"default", "(none)", toolkit.Selection{}},
		{"all", "--toolsets all", toolkit.Selection{Toolsets: []string{"all"}}},
		{"read-only", "--read-only", toolkit.Selection{ReadOnly: true}},
		{"all, read-only", "--toolsets all --read-only", toolkit.Selection{Toolsets: []string{"all"}, ReadOnly: true}},
	}
	probe, err := newStack(fake, "", toolkit.Selection{Toolsets: []string{"all"}})
	if err != nil {
		return nil, err
	}
	var sets []string
	cat, err := catalog.Tools(probe.deps, catalog.Options{})
	if err != nil {
		return nil, err
	}
	for _, t := range append(tools.All(probe.deps), cat...) {
		if !contains(sets, t.Toolset) {
			sets = append(sets, t.Toolset)
		}
	}
	for _, ts := range sets {
		presets = append(presets, struct {
			name, flags string
			sel         toolkit.Selection
		}{ts, "--toolsets " + ts, toolkit.Selection{Toolsets: []string{ts}}})
	}
	for _, p := range presets {
		s, err := newStack(fake, "", p.sel)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		raw, err := s.rpc(ctx, "tools/list", nil)
		if err != nil {
			return nil, err
		}
		var r struct {
			Result struct {
				Tools []struct {
					Name        string          `json:"name"`
					Description string          `json:"description"`
					InputSchema json.RawMessage `json:"inputSchema"`
				} `json:"tools"`
			} `json:"result"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		l := listSize{Preset: p.name, Flags: p.flags, Tools: len(r.Result.Tools), Bytes: len(raw), Tokens: tokens.CountBytes(raw)}
		for _, t := range r.Result.Tools {
			n, err := tokens.JSON(t)
			if err != nil {
				return nil, err
			}
			l.ModelTokens += n
		}
		out.Lists = append(out.Lists, l)
	}
	init, err := probe.rpc(ctx, "initialize", map[string]any{
		"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "bench", "version": "1"},
	})
	if err != nil {
		return nil, err
	}
	out.Initialize, out.InitializeTokens = len(init), tokens.CountBytes(init)

	// Tool answers against raw ClickUp: warm (identity cached) for the data
	// tools, cold for the identity ones, so each counts only the ClickUp
	// reads that answer needs.
	warm, err := newStack(fake, "", toolkit.Selection{Toolsets: []string{"all"}})
	if err != nil {
		return nil, err
	}
	if _, _, err := warm.call(ctx, "clickup_whoami", map[string]any{}); err != nil {
		return nil, err
	}
	ids, err := demoTaskIDs(fake)
	if err != nil {
		return nil, err
	}
	typical := clickuptest.DemoListSprint12
	cases := []struct {
		label string
		cold  bool
		tool  string
		args  map[string]any
	}{
		{"whoami", true, "clickup_whoami", map[string]any{}},
		{"list_members", true, "clickup_list_members", map[string]any{}},
		{"get_workspace_hierarchy", false, "clickup_get_workspace_hierarchy", map[string]any{}},
		{"search_tasks, limit 100", false, "clickup_search_tasks", map[string]any{"limit": 100}},
		{"search_tasks, one list (25)", false, "clickup_search_tasks", map[string]any{"list_ids": []string{typical}, "limit": 25}},
		{"get_task, median-size task", false, "clickup_get_task", map[string]any{"task_id": ""}}, // filled below
		{"get_task_comments, busiest task", false, "clickup_get_task_comments", map[string]any{"task_id": ""}},
	}
	// The task shown is the one with the median raw size; every task is
	// measured below.
	all, err := getTaskAll(ctx, warm, ids)
	if err != nil {
		return nil, err
	}
	out.GetTaskAll.Tasks = len(all)
	var ratios []float64
	for _, r := range all {
		out.GetTaskAll.SumModel += r.Model()
		out.GetTaskAll.SumRaw += r.Raw
		ratios = append(ratios, float64(r.Model())/float64(r.Raw))
	}
	sort.Float64s(ratios)
	out.GetTaskAll.MedianRatio, out.GetTaskAll.MaxRatio = ratios[len(ratios)/2], ratios[len(ratios)-1]
	byRaw := append([]respSize(nil), all...)
	sort.Slice(byRaw, func(i, j int) bool { return byRaw[i].Raw < byRaw[j].Raw })
	med := byRaw[len(byRaw)/2]
	out.GetTaskAll.MedianModel, out.GetTaskAll.MedianRawSize = med.Model(), med.Raw
	medID := strings.TrimSuffix(strings.TrimPrefix(med.Args, `{"task_id":"`), `"}`)
	commented, err := taskWithComments(fake, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		switch c.tool {
		case "clickup_get_task":
			c.args["task_id"] = medID
		case "clickup_get_task_comments":
			c.args["task_id"] = commented
		}
		s := warm
		if c.cold {
			if s, err = newStack(fake, "", toolkit.Selection{Toolsets: []string{"all"}}); err != nil {
				return nil, err
			}
		}
		r, err := measureResponse(ctx, s, c.tool, c.args)
		if err != nil {
			return nil, err
		}
		r.Label = c.label
		out.Responses = append(out.Responses, r)
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// measureResponse calls a tool and re-reads, raw, every ClickUp request the
// call made.
func measureResponse(ctx context.Context, s *stack, tool string, args map[string]any) (respSize, error) {
	before := len(s.fake.Requests())
	raw, res, err := s.call(ctx, tool, args)
	if err != nil {
		return respSize{}, err
	}
	reqs := s.fake.Requests()[before:]
	a, _ := json.Marshal(args)
	r := respSize{Tool: tool, Args: string(a), Text: len(res.text()), Structured: len(res.Result.StructuredContent), Response: len(raw), Requests: len(reqs),
		TextTokens: tokens.Count(res.text()), StructuredTokens: tokens.CountBytes(res.Result.StructuredContent)}
	for _, q := range reqs {
		if q.Method != "GET" {
			return r, fmt.Errorf("%s made a %s request", tool, q.Method)
		}
		u := q.Path
		if q.RawQuery != "" {
			u += "?" + q.RawQuery
		}
		b, err := rawGet(s.fake, u)
		if err != nil {
			return r, err
		}
		r.Raw += len(b)
	}
	return r, nil
}

func getTaskAll(ctx context.Context, s *stack, ids []string) ([]respSize, error) {
	out := make([]respSize, 0, len(ids))
	for _, id := range ids {
		r, err := measureResponse(ctx, s, "clickup_get_task", map[string]any{"task_id": id})
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// taskWithComments picks the demo task with the most comments.
func taskWithComments(fake *clickuptest.Server, ids []string) (string, error) {
	best, most := ids[0], -1
	for _, id := range ids {
		b, err := rawGet(fake, "/api/v2/task/"+id+"/comment")
		if err != nil {
			return "", err
		}
		var c struct {
			Comments []json.RawMessage `json:"comments"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return "", err
		}
		if len(c.Comments) > most {
			best, most = id, len(c.Comments)
		}
	}
	return best, nil
}
