package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
)

// intentCount is how many ClickUp requests one user intent costs, done the
// way a model does it with these tools.
type intentCount struct {
	Intent     string
	Calls      []string // the tool calls, in order
	Cold, Warm int      // ClickUp requests: fresh server, then the same again
	ColdRoutes string   // what the cold requests were
}

// intent runs one intent; n makes each run's names unique (a create
// retried with the same arguments is deduplicated, not created again).
type intent struct {
	name string
	run  func(ctx context.Context, s *stack, n int) ([]string, error)
}

func measureIntents(ctx context.Context) ([]intentCount, error) {
	fake := newFake(clickuptest.WithRequestLogLimit(1 << 20))
	// Tasks in a sprint list that are still "to do": each "move" run takes
	// the next one.
	todo, err := tasksWithStatus(fake, clickuptest.DemoListSprint13, "to do")
	if err != nil {
		return nil, err
	}
	if len(todo) < 4 {
		return nil, fmt.Errorf("want 4 'to do' tasks in Sprint 13, have %d", len(todo))
	}
	intents := []intent{
		{"Find my overdue tasks", func(ctx context.Context, s *stack, n int) ([]string, error) {
			return []string{"search_tasks(assignees=[me], due_before=yesterday)"},
				callOK(ctx, s, "clickup_search_tasks", map[string]any{"assignees": []string{"me"}, "due_before": "yesterday"}, nil)
		}},
		{`Create a task with two subtasks in list "Sprint 13" for Priya`, func(ctx context.Context, s *stack, n int) ([]string, error) {
			var h workspace.HierarchyResult
			if err := callOK(ctx, s, "clickup_get_workspace_hierarchy", map[string]any{}, &h); err != nil {
				return nil, err
			}
			list := findList(h, "Sprint 13")
			if list == "" {
				return nil, fmt.Errorf("no list Sprint 13 in the hierarchy")
			}
			return []string{"get_workspace_hierarchy", "create_task(list_id, assignees=[Priya], subtasks=[2])"},
				callOK(ctx, s, "clickup_create_task", map[string]any{
					"list_id": list, "name": fmt.Sprintf("Prepare release %d", n), "assignees": []string{"Priya"},
					"subtasks": []map[string]any{{"name": "Draft notes"}, {"name": "Review notes"}},
				}, nil)
		}},
		{`Move a task (id known from an earlier answer) to "in review"`, func(ctx context.Context, s *stack, n int) ([]string, error) {
			return []string{"update_task(task_id, status=in review)"},
				callOK(ctx, s, "clickup_update_task", map[string]any{"task_id": todo[n].id, "status": "in review"}, nil)
		}},
		{`Move the task named "…" to "in review"`, func(ctx context.Context, s *stack, n int) ([]string, error) {
			t := todo[2+n]
			var r tools.SearchResult
			if err := callOK(ctx, s, "clickup_search_tasks", map[string]any{"query": t.name, "list_ids": []string{clickuptest.DemoListSprint13}}, &r); err != nil {
				return nil, err
			}
			if len(r.Tasks) == 0 {
				return nil, fmt.Errorf("search for %q found nothing", t.name)
			}
			return []string{"search_tasks(query=name, list_ids=[list])", "update_task(task_id, status=in review)"},
				callOK(ctx, s, "clickup_update_task", map[string]any{"task_id": r.Tasks[0].ID, "status": "in review"}, nil)
		}},
	}
	var out []intentCount
	for _, in := range intents {
		s, err := newStack(fake, "", toolkit.Selection{Toolsets: []string{"all"}})
		if err != nil {
			return nil, err
		}
		ic := intentCount{Intent: in.name}
		for n := 0; n < 2; n++ {
			before := len(fake.Requests())
			calls, err := in.run(ctx, s, n)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", in.name, err)
			}
			reqs := fake.Requests()[before:]
			if n == 0 {
				ic.Calls, ic.Cold, ic.ColdRoutes = calls, len(reqs), routes(reqs)
			} else {
				ic.Warm = len(reqs)
			}
		}
		out = append(out, ic)
	}
	return out, nil
}

func callOK(ctx context.Context, s *stack, tool string, args map[string]any, out any) error {
	_, r, err := s.call(ctx, tool, args)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(r.Result.StructuredContent, out)
}

func findList(h workspace.HierarchyResult, name string) string {
	for _, sp := range h.Spaces {
		for _, f := range sp.Folders {
			for _, l := range f.Lists {
				if strings.EqualFold(l.Name, name) {
					return l.ID
				}
			}
		}
		for _, l := range sp.Lists {
			if strings.EqualFold(l.Name, name) {
				return l.ID
			}
		}
	}
	return ""
}

type namedTask struct{ id, name string }

func tasksWithStatus(fake *clickuptest.Server, listID, status string) ([]namedTask, error) {
	b, err := rawGet(fake, "/api/v2/list/"+listID+"/task")
	if err != nil {
		return nil, err
	}
	var p struct {
		Tasks []struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Status struct {
				Status string `json:"status"`
			} `json:"status"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	var out []namedTask
	for _, t := range p.Tasks {
		if t.Status.Status == status {
			out = append(out, namedTask{t.ID, t.Name})
		}
	}
	return out, nil
}

// routes summarizes requests as "2× GET /v2/team/{team_id}/space, ...".
func routes(reqs []clickuptest.Request) string {
	n := map[string]int{}
	var order []string
	for _, r := range reqs {
		if n[r.Route] == 0 {
			order = append(order, r.Route)
		}
		n[r.Route]++
	}
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = r
		if n[r] > 1 {
			parts[i] = fmt.Sprintf("%d× %s", n[r], r)
		}
	}
	return strings.Join(parts, ", ")
}
