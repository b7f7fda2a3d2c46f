package prompts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/mcp"
)

func TestResourcesList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	ctx := context.Background()
	rs, err := h.c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Resources) != 1 || rs.Resources[0].URI != "clickup://me" || rs.Resources[0].MIMEType != "text/markdown" {
		t.Fatalf("resources: %+v", rs.Resources)
	}
	ts, err := h.c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, tpl := range ts.ResourceTemplates {
		got[tpl.URITemplate.Raw()] = true
		if tpl.Description == "" || tpl.Title == "" || tpl.MIMEType != "text/markdown" {
			t.Errorf("%s: needs a title, a description and a MIME type", tpl.URITemplate.Raw())
		}
	}
	for _, want := range []string{"clickup://workspace/{workspace_id}/hierarchy", "clickup://task/{+task_id}", "clickup://list/{list_id}"} {
		if !got[want] {
			t.Errorf("no template %s in %v", want, got)
		}
	}
	b, err := json.MarshalIndent(map[string]any{"resources": rs.Resources, "resourceTemplates": ts.ResourceTemplates}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	snapshot(t, "resources.json", append(b, '\n'))
}

func TestReadMe(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	text := h.mustRead(t, "clickup://me")
	mustContain(t, "me", text, "SANDBOX", "# Alex Rivera", "User id 81000001", "alex@example.com", "America/New_York",
		"Acme Product (id 9015123456, 8 members), the default: clickup://workspace/9015123456/hierarchy")
}

func TestReadHierarchy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	text := h.mustRead(t, "clickup://workspace/9015123456/hierarchy")
	mustContain(t, "hierarchy", text, "# Acme Product: workspace hierarchy", "## Engineering (space 901510000011)",
		"- Platform/ (folder 901520000021)", "  - Sprint 13 (list 901530000033, ", "- Bugs (list 901530000036, ", "## Operations")
	snapshot(t, "rendered/resource_hierarchy.md", []byte(text))
	// A workspace name works too; one the token cannot use lists those it can.
	if byName := h.mustRead(t, "clickup://workspace/Acme%20Product/hierarchy"); byName != text {
		t.Errorf("by name differs:\n%s", byName)
	}
	_, err := h.read(t, "clickup://workspace/"+clickuptest.DemoOtherWorkspaceID+"/hierarchy")
	if err == nil {
		t.Fatal("want an error for a workspace the token may not use")
	}
	mustContain(t, "error", err.Error(), "clickup://workspace/9015654321/hierarchy: ", "9015123456 (Acme Product)")
}

func TestReadTask(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	const id = "866vp4gxg" // ACME-1 in the demo
	want := h.mustRead(t, "clickup://task/"+id)
	mustContain(t, "task", want, "# Redesign permissions model", "ACME-1 · id 866vp4gxg · [open in ClickUp](https://app.clickup.com/t/866vp4gxg)",
		"- **Status:** to do (open)", "- **Assignees:** Alex Rivera <alex@example.com> (81000001)", "- **List:** Platform / Backlog (list 901530000031)",
		"## Description", "### Context", "- **Story Points:** 8",
		"## Attachments\n\n- [permissions-matrix.xlsx](https://", ") (21 KB)")
	snapshot(t, "rendered/resource_task.md", []byte(want))
	// The headline task: what waits on it, what it is linked to, its files.
	mustContain(t, "headline task", h.mustRead(t, "clickup://task/86qrg0fwh"), "- **Blocking:** ", " (clickup://task/", "- **Linked:** ",
		"## Attachments\n\n- [stripe-billing-v2-plan.pdf](https://", "(248 KB)")
	for _, form := range []string{
		"ACME-1",
		"acme-1",
		"#" + id,
		"https://app.clickup.com/t/" + id,
		url.PathEscape("https://app.clickup.com/t/" + id),
		url.QueryEscape("https://app.clickup.com/t/" + id),
		url.QueryEscape("https://app.clickup.com/t/9015123456/ACME-1"),
	} {
		uri := "clickup://task/" + form
		text, err := h.read(t, uri)
		if err != nil {
			t.Errorf("%s: %v", uri, err)
			continue
		}
		if text != want {
			t.Errorf("%s: differs from the native id's:\n%s", uri, text)
		}
	}
	// A task with subtasks lists them.
	var r struct {
		Tasks []struct {
			ID     string `json:"id"`
			Parent string `json:"parent"`
		} `json:"tasks"`
	}
	h.callTool(t, "clickup_search_tasks", map[string]any{"subtasks": true, "list_ids": []string{clickuptest.DemoListSprint13}, "limit": 100}, &r)
	for _, task := range r.Tasks {
		if task.Parent != "" {
			parent := h.mustRead(t, "clickup://task/"+task.Parent)
			mustContain(t, "parent", parent, "## Subtasks (", task.ID)
			sub := h.mustRead(t, "clickup://task/"+task.ID)
			mustContain(t, "subtask", sub, "- **Parent:** "+task.Parent+" (clickup://task/"+task.Parent+")")
			break
		}
	}
}

func TestReadTaskErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	for uri, want := range map[string][]string{
		"clickup://task/zzz999":                     {"resource not found: clickup://task/zzz999: no task zzz999", "OAUTH_027", "custom id", "clickup_search_tasks"},
		"clickup://task/ACME-99999":                 {"no task ACME-99999"},
		"clickup://task/not%20an%20id":              {"not a task id"},
		"clickup://task/https://example.com/t/abc1": {"not a ClickUp task URL"},
		"clickup://task/":                           {"task id is required"},
	} {
		_, err := h.read(t, uri)
		if err == nil {
			t.Errorf("%s: want an error", uri)
			continue
		}
		mustContain(t, uri, err.Error(), want...)
	}
}

func TestReadList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	text := h.mustRead(t, "clickup://list/"+clickuptest.DemoListBugs)
	mustContain(t, "bugs", text, "# Bugs", "List id 901530000036 in space Engineering", "Customer-reported and internal bugs.",
		"## Statuses, in order", "1. open (open)", "2. triaged\n", "4. fixed (done)", "5. won't fix (closed)",
		"## Members", "No one has explicit access")
	sprint := h.mustRead(t, "clickup://list/"+clickuptest.DemoListSprint13)
	mustContain(t, "sprint", sprint, "# Sprint 13", "in space Engineering, folder Platform", "blocked", "- Priya Patel <priya.patel@example.com> (81000002)")
	snapshot(t, "rendered/resource_list.md", []byte(sprint))
	for uri, want := range map[string][]string{
		"clickup://list/123":         {"resource not found: clickup://list/123: no list 123 that this token can see"},
		"clickup://list/Sprint%2013": {"is not a list id", "digits"},
	} {
		_, err := h.read(t, uri)
		if err == nil {
			t.Errorf("%s: want an error", uri)
			continue
		}
		mustContain(t, uri, err.Error(), want...)
	}
}

// A task, list or workspace that is not there: what the wire carries. The
// code is mcp-go's for any handler error (-32603, no data: see readError),
// so the message says "resource not found" and the URI first; a URI no
// template matches gets mcp-go's -32002 (-32602 on 2026-07-28). When this
// test fails because mcp-go sends data.uri, drop the workaround.
func TestResourceNotFoundOnTheWire(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	for uri, want := range map[string]struct {
		code int
		msg  string
	}{
		"clickup://task/zzz999":                {mcp.INTERNAL_ERROR, "resource not found: clickup://task/zzz999: no task zzz999 that this token can see"},
		"clickup://task/ACME-99999":            {mcp.INTERNAL_ERROR, "resource not found: clickup://task/ACME-99999: no task ACME-99999"},
		"clickup://list/123":                   {mcp.INTERNAL_ERROR, "resource not found: clickup://list/123: no list 123"},
		"clickup://workspace/nosuch/hierarchy": {mcp.INTERNAL_ERROR, `resource not found: clickup://workspace/nosuch/hierarchy: "nosuch" is not a workspace this token may use; use one of:`},
		"clickup://nothing/here":               {mcp.RESOURCE_NOT_FOUND, "handler not found for resource URI 'clickup://nothing/here'"},
	} {
		b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": map[string]any{"uri": uri}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(h.srv.HandleMessage(context.Background(), b))
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			Error struct {
				Code    int             `json:"code"`
				Message string          `json:"message"`
				Data    json.RawMessage `json:"data"`
			} `json:"error"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Error.Code != want.code || !strings.HasPrefix(resp.Error.Message, want.msg) || len(resp.Error.Data) != 0 {
			t.Errorf("%s: %s\nwant code %d, a message starting %q and no data (mcp-go v1.2.1 sends none)", uri, out, want.code, want.msg)
		}
	}
}

// A resource read that loads a cache from ClickUp says so in a log
// notification at info, as the tools do; a warm read says nothing.
func TestResourceReadLogsCacheRefresh(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logs []string
	h := newHarness(t, setup{own: true, notified: func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/message" {
			mu.Lock()
			logs = append(logs, fmt.Sprint(n.Params.AdditionalFields["data"]))
			mu.Unlock()
		}
	}})
	req := mcp.SetLevelRequest{}
	req.Params.Level = mcp.LoggingLevelInfo
	if err := h.c.SetLevel(context.Background(), req); err != nil { //nolint:staticcheck // SA1019: the level clients of 2025-11-25 set
		t.Fatal(err)
	}
	uri := "clickup://workspace/" + clickuptest.DemoWorkspaceID + "/hierarchy"
	h.mustRead(t, uri)
	seen := func() []string {
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			mu.Lock()
			n := len(logs)
			mu.Unlock()
			if n >= 3 { // the workspaces, the hierarchy, the user
				break
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), logs...)
	}
	got := seen()
	if !slices.ContainsFunc(got, func(m string) bool {
		return strings.HasPrefix(m, "cache refresh: the workspace hierarchy, read from ClickUp (not cached yet)")
	}) {
		t.Fatalf("reading the hierarchy logged %q", got)
	}
	h.mustRead(t, uri)
	time.Sleep(100 * time.Millisecond)
	if again := seen(); len(again) != len(got) {
		t.Errorf("a warm read logged %q", again[len(got):])
	}
}

func TestUnknownResource(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	_, err := h.read(t, "clickup://nothing/here")
	if err == nil || !strings.Contains(err.Error(), "resource") {
		t.Fatalf("want resource not found, got %v", err)
	}
}

// TestResourceTokenIsolation reads as another token: each request acts for
// its own token, like the tools.
func TestResourceTokenIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{token: clickuptest.DemoToken2})
	text := h.mustRead(t, "clickup://me")
	mustContain(t, "me", text, "Nora Klein", "Globex R&D")
	if strings.Contains(text, "Acme") {
		t.Errorf("Nora sees Acme:\n%s", text)
	}
	if _, err := h.read(t, "clickup://list/"+clickuptest.DemoListBugs); err == nil {
		t.Error("Nora read Acme's Bugs list")
	}
}
