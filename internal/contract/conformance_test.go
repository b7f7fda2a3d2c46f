package contract_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/contract"
	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
)

// TestClientAndFakeConformToContract drives every client method the project uses against the
// demo fake through the validating transport: every request the client sends and every response
// the fake returns must conform to the contract (the spec as patched by exceptions.json).
func TestClientAndFakeConformToContract(t *testing.T) {
	ct, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000, time.Minute))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var (
		mu         sync.Mutex
		violations []*contract.Violation
	)
	rt, err := contract.NewTransport(http.DefaultTransport, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		var v *contract.Violation
		if !errors.As(err, &v) {
			t.Errorf("contract: %v", err)
			return
		}
		violations = append(violations, v)
	})
	if err != nil {
		t.Fatal(err)
	}
	// Count the 2xx exchanges per operation, to show below that every operation was driven.
	exercised := map[string]int{}
	counting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(r)
		if err == nil && resp.StatusCode/100 == 2 {
			mu.Lock()
			exercised[ct.Operation(r)]++
			mu.Unlock()
		}
		return resp, err
	})
	c := clickup.New(clickuptest.DemoToken,
		clickup.WithBaseURL(srv.URL+"/api"),
		clickup.WithHTTPClient(&http.Client{Transport: counting}),
		clickup.WithRateLimit(1_000_000),
	)
	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, v := range violations {
			t.Errorf("%s: %v", name, v)
		}
		violations = nil
	}
	defer func() {
		f, err := os.Open("../../testdata/contract/operations.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		ops, err := openapi.ReadOperations(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range ops {
			if exercised[op] == 0 {
				t.Errorf("%s was not exercised with a 2xx answer: drive it above", op)
			}
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws := clickuptest.DemoWorkspaceID

	// Identity and hierarchy.
	_, err = c.Users.Me(ctx)
	step("Users.Me", err)
	_, err = c.Workspaces.List(ctx)
	step("Workspaces.List", err)
	for _, archived := range []bool{false, true} {
		_, err = c.Spaces.List(ctx, ws, archived)
		step("Spaces.List", err)
		_, err = c.Folders.List(ctx, clickuptest.DemoSpaceEngineering, archived)
		step("Folders.List", err)
		_, err = c.Lists.ListInFolder(ctx, clickuptest.DemoFolderPlatform, archived)
		step("Lists.ListInFolder", err)
		_, err = c.Lists.ListFolderless(ctx, clickuptest.DemoSpaceEngineering, archived)
		step("Lists.ListFolderless", err)
	}
	for _, sp := range []string{clickuptest.DemoSpaceEngineering, clickuptest.DemoSpaceMarketing, clickuptest.DemoSpaceOperations} {
		_, err = c.Spaces.Get(ctx, sp)
		step("Spaces.Get", err)
		_, err = c.Lists.ListFolderless(ctx, sp, false)
		step("Lists.ListFolderless", err)
		_, err = c.Tags.ListForSpace(ctx, sp)
		step("Tags.ListForSpace", err)
	}
	for _, f := range []string{clickuptest.DemoFolderPlatform, clickuptest.DemoFolderMobile, clickuptest.DemoFolderContent, clickuptest.DemoFolderCampaigns} {
		_, err = c.Folders.Get(ctx, f)
		step("Folders.Get", err)
	}
	for _, l := range []string{clickuptest.DemoListBacklog, clickuptest.DemoListBugs, clickuptest.DemoListSprint11} {
		_, err = c.Lists.Get(ctx, l)
		step("Lists.Get", err)
		_, err = c.Lists.Members(ctx, l)
		step("Lists.Members", err)
	}

	// Lists and folders made plainly and from the workspace's templates.
	_, err = c.Lists.CreateInFolder(ctx, clickuptest.DemoFolderPlatform, &clickup.ListCreate{Name: "Contract list", Content: "made by the contract test"})
	step("Lists.CreateInFolder", err)
	_, err = c.Lists.CreateFolderless(ctx, clickuptest.DemoSpaceOperations, &clickup.ListCreate{Name: "Contract folderless", MarkdownContent: "**md**"})
	step("Lists.CreateFolderless", err)
	folder, err := c.Folders.Create(ctx, clickuptest.DemoSpaceMarketing, &clickup.FolderCreate{Name: "Contract folder"})
	step("Folders.Create", err)
	lts, err := c.Lists.Templates(ctx, ws)
	step("Lists.Templates", err)
	fts, err := c.Folders.Templates(ctx, ws)
	step("Folders.Templates", err)
	if len(lts) == 0 || len(fts) == 0 || folder == nil {
		t.Fatalf("the demo has list and folder templates: %d, %d", len(lts), len(fts))
	}
	_, err = c.Lists.CreateInFolderFromTemplate(ctx, folder.ID.String(), lts[0].ID.String(), &clickup.FromTemplate{Name: "From template"})
	step("Lists.CreateInFolderFromTemplate", err)
	_, err = c.Lists.CreateFolderlessFromTemplate(ctx, clickuptest.DemoSpaceOperations, lts[0].ID.String(), &clickup.FromTemplate{Name: "From template"})
	step("Lists.CreateFolderlessFromTemplate", err)
	_, err = c.Folders.CreateFromTemplate(ctx, clickuptest.DemoSpaceOperations, fts[0].ID.String(), &clickup.FromTemplate{Name: "Templated folder"})
	step("Folders.CreateFromTemplate", err)

	// Chat (v3): channels, messages and replies, paged; a message and a reply posted.
	chans, err := c.Chat.Channels(ctx, ws, &clickup.ChatPageOptions{Limit: 2})
	step("Chat.Channels", err)
	if chans == nil || chans.NextCursor == "" {
		t.Fatal("Chat.Channels: the demo has more than 2 channels")
	}
	_, err = c.Chat.Channels(ctx, ws, &clickup.ChatPageOptions{Cursor: chans.NextCursor, IncludeClosed: true})
	step("Chat.Channels (page 2)", err)
	_, err = c.Chat.Messages(ctx, ws, clickuptest.DemoChatEngineering, &clickup.ChatPageOptions{Limit: 10})
	step("Chat.Messages", err)
	_, err = c.Chat.Replies(ctx, ws, clickuptest.DemoChatThread, nil)
	step("Chat.Replies", err)
	_, err = c.Chat.Send(ctx, ws, clickuptest.DemoChatGeneral, &clickup.ChatMessageCreate{Content: "contract **test**"})
	step("Chat.Send", err)
	_, err = c.Chat.Reply(ctx, ws, clickuptest.DemoChatThread, &clickup.ChatMessageCreate{Content: "contract reply"})
	step("Chat.Reply", err)

	// Every task of the workspace, subtasks and closed ones included, through both listings.
	all := &clickup.SearchTasksOptions{Subtasks: true, IncludeClosed: true, IncludeMarkdownDescription: true}
	var tasks []clickup.Task
	for p, err := range c.Tasks.SearchPages(ctx, ws, all) {
		step("Tasks.SearchPages", err)
		if p != nil {
			tasks = append(tasks, p.Tasks...)
		}
	}
	if len(tasks) < 100 {
		t.Fatalf("search found %d tasks; the demo has about 300", len(tasks))
	}
	for _, l := range []string{clickuptest.DemoListBacklog, clickuptest.DemoListSprint12, clickuptest.DemoListBugs, clickuptest.DemoListLaunch} {
		_, err = c.Tasks.ListInList(ctx, l, &clickup.ListTasksOptions{Subtasks: true, IncludeClosed: true, IncludeTiml: true, IncludeMarkdownDescription: true})
		step("Tasks.ListInList", err)
	}

	// Search and list with every filter set.
	now := clickup.MillisOf(time.Now())
	year := clickup.Millis(365 * 24 * time.Hour / time.Millisecond)
	_, err = c.Tasks.Search(ctx, ws, &clickup.SearchTasksOptions{
		Page: 0, OrderBy: "due_date", Reverse: true, Subtasks: true,
		SpaceIDs:      []string{clickuptest.DemoSpaceEngineering},
		ProjectIDs:    []string{clickuptest.DemoFolderPlatform},
		ListIDs:       []string{clickuptest.DemoListBacklog, clickuptest.DemoListSprint12},
		Statuses:      []string{"to do", "in progress"},
		IncludeClosed: true,
		Assignees:     []string{"81000001", "81000002"},
		Tags:          []string{"feature", "tech-debt"},
		DueDateGt:     now - year, DueDateLt: now + year,
		DateCreatedGt: now - year, DateCreatedLt: now + year,
		DateUpdatedGt: now - year, DateUpdatedLt: now + year,
		DateDoneGt: now - year, DateDoneLt: now + year,
		CustomFields: []clickup.CustomFieldFilter{
			{FieldID: clickuptest.DemoFieldSeverity, Operator: "=", Value: "0f1e2d3c-4b5a-4697-8877-665544332201"},
			{FieldID: clickuptest.DemoFieldStoryPoints, Operator: "IS NOT NULL"},
		},
		Parent:                     tasks[0].ID.String(),
		IncludeMarkdownDescription: true,
		CustomItems:                []int{0, 1},
	})
	step("Tasks.Search (every filter)", err)
	_, err = c.Tasks.ListInList(ctx, clickuptest.DemoListBacklog, &clickup.ListTasksOptions{
		Page: 0, Archived: false, IncludeMarkdownDescription: true, OrderBy: "updated", Reverse: true, Subtasks: true,
		Statuses: []string{"to do", "blocked"}, IncludeClosed: true, IncludeTiml: true,
		Assignees: []string{"81000001"}, Watchers: []string{"81000002"}, Tags: []string{"backend"},
		DueDateGt: now - year, DueDateLt: now + year,
		DateCreatedGt: now - year, DateCreatedLt: now + year,
		DateUpdatedGt: now - year, DateUpdatedLt: now + year,
		DateDoneGt: now - year, DateDoneLt: now + year,
		CustomFields: []clickup.CustomFieldFilter{{FieldID: clickuptest.DemoFieldStoryPoints, Operator: ">", Value: 2}},
		CustomItems:  []int{0},
	})
	step("Tasks.ListInList (every filter)", err)

	// Single tasks: a sample of the seeded ones, by id and by custom id.
	for i, task := range tasks {
		if i%25 != 0 {
			continue
		}
		_, err = c.Tasks.Get(ctx, clickup.Native(task.ID.String()), &clickup.GetTaskOptions{IncludeSubtasks: true, IncludeMarkdownDescription: true})
		step("Tasks.Get", err)
		_, err = c.Tasks.Members(ctx, clickup.Native(task.ID.String()))
		step("Tasks.Members", err)
		_, err = c.Comments.ListForTask(ctx, clickup.Native(task.ID.String()), nil)
		step("Comments.ListForTask", err)
		if task.CustomID != "" {
			_, err = c.Tasks.Get(ctx, clickup.Custom(task.CustomID.String(), ws), nil)
			step("Tasks.Get (custom id)", err)
		}
	}

	// Writes: create with every body field, a subtask, update, comments, tags, delete.
	ptr := func(v int64) *int64 { return &v }
	yes, no := true, false
	prio, points, item := 2, 3.5, 0
	due := int64(now) + 7*24*3600*1000
	sev, _ := json.Marshal("0f1e2d3c-4b5a-4697-8877-665544332202")
	sp, _ := json.Marshal(5)
	created, err := c.Tasks.Create(ctx, clickuptest.DemoListBacklog, &clickup.TaskCreate{
		Name:                      "Contract check: every field",
		Description:               "plain text",
		MarkdownContent:           "**markdown** wins",
		Assignees:                 []int64{81000001, 81000002},
		GroupAssignees:            nil,
		Archived:                  &no,
		Tags:                      []string{"backend", "tech-debt"},
		Status:                    "in progress",
		Priority:                  &prio,
		DueDate:                   &due,
		DueDateTime:               &yes,
		TimeEstimate:              ptr(2 * 3600 * 1000),
		StartDate:                 ptr(int64(now)),
		StartDateTime:             &no,
		Points:                    &points,
		NotifyAll:                 true,
		LinksTo:                   tasks[1].ID.String(),
		CheckRequiredCustomFields: &yes,
		CustomFields: []clickup.CustomFieldValue{
			{ID: clickuptest.DemoFieldSeverity, Value: sev},
			{ID: clickuptest.DemoFieldStoryPoints, Value: sp},
		},
		CustomItemID: &item,
	})
	step("Tasks.Create", err)
	if created == nil {
		t.Fatal("no task created")
	}
	ref := clickup.Native(created.ID.String())
	sub, err := c.Tasks.Create(ctx, clickuptest.DemoListBacklog, &clickup.TaskCreate{Name: "Contract check: subtask", Parent: created.ID.String()})
	step("Tasks.Create (subtask)", err)

	name, desc, status := "Contract check: renamed", "new description", "blocked"
	_, err = c.Tasks.Update(ctx, ref, &clickup.TaskUpdate{
		Name: &name, Description: &desc, Status: &status,
		Priority:      clickup.Null[int](),
		DueDate:       clickup.Some(due + 3600*1000),
		DueDateTime:   &no,
		StartDate:     clickup.Some(int64(now)),
		StartDateTime: &yes,
		TimeEstimate:  clickup.Some(int64(3600 * 1000)),
		Points:        clickup.Some(1.0),
		Assignees:     &clickup.AddRem{Add: []int64{81000003}, Rem: []int64{81000002}},
		Watchers:      &clickup.AddRem{Add: []int64{81000004}, Rem: []int64{}},
		Archived:      &no,
	})
	step("Tasks.Update", err)
	_, err = c.Tasks.Get(ctx, ref, &clickup.GetTaskOptions{IncludeSubtasks: true, IncludeMarkdownDescription: true})
	step("Tasks.Get (created)", err)
	_, err = c.Tasks.Members(ctx, ref)
	step("Tasks.Members (created)", err)

	assignee := clickuptest.DemoUserID
	cm, err := c.Comments.CreateForTask(ctx, ref, &clickup.CommentCreate{CommentText: "Looks good", Assignee: &assignee, NotifyAll: true})
	step("Comments.CreateForTask", err)
	for i := range 30 {
		_, err = c.Comments.CreateForTask(ctx, ref, &clickup.CommentCreate{CommentText: fmt.Sprintf("note %d", i)})
		step("Comments.CreateForTask", err)
	}
	page, err := c.Comments.ListForTask(ctx, ref, nil)
	step("Comments.ListForTask", err)
	if len(page) > 0 {
		last := page[len(page)-1]
		_, err = c.Comments.ListForTask(ctx, ref, &clickup.CommentPageOptions{Start: last.Date, StartID: last.ID.String()})
		step("Comments.ListForTask (next page)", err)
	}
	_, err = c.Comments.CreateReply(ctx, cm.ID.String(), &clickup.CommentCreate{CommentText: "Agreed", Assignee: &assignee, NotifyAll: false})
	step("Comments.CreateReply", err)
	replies, err := c.Comments.ListReplies(ctx, cm.ID.String())
	step("Comments.ListReplies", err)
	if len(replies) != 1 || replies[0].CommentText != "Agreed" {
		t.Errorf("thread of %s: %+v, want the one reply", cm.ID, replies)
	}
	_, err = c.Tasks.Attach(ctx, ref, "notes.txt", "text/plain", []byte("release notes"))
	step("Tasks.Attach", err)
	_, err = c.Tasks.Get(ctx, ref, nil)
	step("Tasks.Get (with an attachment)", err)

	// Custom fields: the list's definitions, a value of each shape set, one cleared.
	fields, err := c.Lists.Fields(ctx, clickuptest.DemoListBacklog)
	step("Lists.Fields", err)
	if len(fields) == 0 {
		t.Error("Lists.Fields: the demo backlog has custom fields")
	}
	err = c.Tasks.SetField(ctx, ref, clickuptest.DemoFieldSeverity, &clickup.FieldValue{Value: json.RawMessage(`"0f1e2d3c-4b5a-4697-8877-665544332201"`)})
	step("Tasks.SetField (drop_down)", err)
	err = c.Tasks.SetField(ctx, ref, clickuptest.DemoFieldStoryPoints, &clickup.FieldValue{Value: json.RawMessage(`8`)})
	step("Tasks.SetField (number)", err)
	err = c.Tasks.RemoveField(ctx, ref, clickuptest.DemoFieldStoryPoints)
	step("Tasks.RemoveField", err)
	_, err = c.Tasks.Attach(ctx, ref, "contract-check.txt", "text/plain", []byte("contract check"))
	step("Tasks.Attach", err)

	// Relations and extra lists (through Client.Call: the curated tools use no typed method).
	other := tasks[2].ID.String()
	call := func(name, method, path string, params map[string]string, query url.Values, body any) {
		t.Helper()
		err := c.Call(ctx, clickup.Operation{Method: method, Path: path}, clickup.Params{Path: params, Query: query}, body, nil)
		step(name, err)
	}
	self := map[string]string{"task_id": created.ID.String()}
	call("AddDependency (depends_on)", "POST", "/v2/task/{task_id}/dependency", self, nil, map[string]string{"depends_on": other})
	call("DeleteDependency", "DELETE", "/v2/task/{task_id}/dependency", self, url.Values{"depends_on": {other}, "dependency_of": {other}}, nil)
	call("AddDependency (dependency_of)", "POST", "/v2/task/{task_id}/dependency", self, nil, map[string]string{"dependency_of": other})
	link := map[string]string{"task_id": created.ID.String(), "links_to": other}
	call("AddTaskLink", "POST", "/v2/task/{task_id}/link/{links_to}", link, nil, nil)
	call("DeleteTaskLink", "DELETE", "/v2/task/{task_id}/link/{links_to}", link, nil, nil)
	timl := map[string]string{"list_id": clickuptest.DemoListSprint12, "task_id": created.ID.String()}
	call("AddTaskToList", "POST", "/v2/list/{list_id}/task/{task_id}", timl, nil, nil)
	call("RemoveTaskFromList", "DELETE", "/v2/list/{list_id}/task/{task_id}", timl, nil, nil)

	// Checklists: one made on the new task (by custom id when it has one), items added, edited and deleted.
	cref := ref
	if created.CustomID != "" {
		cref = clickup.Custom(created.CustomID.String(), ws)
	}
	cl, err := c.Checklists.Create(ctx, cref, "Contract check")
	step("Checklists.Create", err)
	if cl != nil {
		cid := cl.ID.String()
		_, err = c.Checklists.CreateItem(ctx, cid, &clickup.ChecklistItemCreate{Name: "first", Assignee: clickuptest.DemoUserID})
		step("Checklists.CreateItem (assigned)", err)
		cl, err = c.Checklists.CreateItem(ctx, cid, &clickup.ChecklistItemCreate{Name: "second"})
		step("Checklists.CreateItem", err)
		if cl != nil && len(cl.Items) == 2 {
			first, second := cl.Items[0].ID.String(), cl.Items[1].ID.String()
			done, renamed := true, "second, renamed"
			_, err = c.Checklists.EditItem(ctx, cid, second, &clickup.ChecklistItemEdit{Name: &renamed, Resolved: &done,
				Assignee: clickup.Some(strconv.FormatInt(clickuptest.DemoUserID, 10)), Parent: clickup.Some(first)})
			step("Checklists.EditItem", err)
			_, err = c.Checklists.EditItem(ctx, cid, second, &clickup.ChecklistItemEdit{Assignee: clickup.Null[string](), Parent: clickup.Null[string]()})
			step("Checklists.EditItem (clear)", err)
			err = c.Checklists.DeleteItem(ctx, cid, first)
			step("Checklists.DeleteItem", err)
		} else {
			t.Errorf("Checklists.CreateItem: want 2 items, got %+v", cl)
		}
		name, top := "Contract check, renamed", 0
		err = c.Checklists.Edit(ctx, cid, &clickup.ChecklistEdit{Name: &name, Position: &top})
		step("Checklists.Edit", err)
		_, err = c.Tasks.Get(ctx, ref, nil)
		step("Tasks.Get (with a checklist)", err)
		err = c.Checklists.Delete(ctx, cid)
		step("Checklists.Delete", err)
	}

	err = c.Tags.AddToTask(ctx, ref, "performance")
	step("Tags.AddToTask", err)
	err = c.Tags.RemoveFromTask(ctx, ref, "tech-debt")
	step("Tags.RemoveFromTask", err)
	_, err = c.Tasks.Get(ctx, ref, nil)
	step("Tasks.Get (after tags)", err)

	if sub != nil {
		err = c.Tasks.Delete(ctx, clickup.Native(sub.ID.String()))
		step("Tasks.Delete (subtask)", err)
	}
	err = c.Tasks.Delete(ctx, ref)
	step("Tasks.Delete", err)

	// Errors are outside the 2xx contract, but must carry ClickUp's {err, ECODE} body.
	_, err = c.Tasks.Get(ctx, ref, nil)
	if err == nil {
		t.Error("Tasks.Get of a deleted task: want an error")
	}
	step("Tasks.Get (deleted)", nil)

	// Time tracking: a range and people always sent, a create on a task by custom id, a timer.
	_, err = c.Time.List(ctx, ws, &clickup.TimeEntriesOptions{
		StartDate: now - year/6, EndDate: now, Assignees: []int64{81000001, 81000002},
		IncludeTaskTags: true, IncludeLocationNames: true, ListID: clickuptest.DemoListSprint12,
	})
	step("Time.List", err)
	_, err = c.Time.Create(ctx, ws, &clickup.TimeEntryCreate{Start: now - 3600*1000, Duration: 90 * 60 * 1000, Description: "contract",
		Billable: true, Assignee: 81000002, Tags: []clickup.TimeEntryTag{{Name: "review", Fg: "#000000", Bg: "#000000"}},
		Task: &clickup.TaskRef{ID: tasks[0].CustomID.String(), TeamID: ws}})
	step("Time.Create", err)
	_, err = c.Time.Start(ctx, ws, &clickup.TimerStart{Description: "pairing", Task: &clickup.TaskRef{ID: tasks[0].ID.String()}})
	step("Time.Start", err)
	_, err = c.Time.Current(ctx, ws, 0)
	step("Time.Current", err)
	_, err = c.Time.Stop(ctx, ws)
	step("Time.Stop", err)

	// Docs (v3).
	found, err := c.Docs.Search(ctx, ws, &clickup.DocSearchOptions{Limit: 10})
	step("Docs.Search", err)
	if found != nil && found.NextCursor != "" {
		_, err = c.Docs.Search(ctx, ws, &clickup.DocSearchOptions{Limit: 10, Cursor: found.NextCursor})
		step("Docs.Search (cursor)", err)
	}
	_, err = c.Docs.Search(ctx, ws, &clickup.DocSearchOptions{ParentID: clickuptest.DemoSpaceEngineering, ParentType: "SPACE", Creator: clickuptest.DemoUserID, Archived: true})
	step("Docs.Search (filters)", err)
	doc, err := c.Docs.Create(ctx, ws, &clickup.DocCreate{Name: "Contract doc", Parent: clickup.DocParent{ID: clickup.FlexString(clickuptest.DemoListBacklog), Type: clickup.DocParentList}})
	step("Docs.Create", err)
	if doc != nil {
		id := doc.ID.String()
		_, err = c.Docs.Get(ctx, ws, id)
		step("Docs.Get", err)
		page, err := c.Docs.CreatePage(ctx, ws, id, &clickup.PageCreate{Name: "First", Content: "# Hello\n\nworld"})
		step("Docs.CreatePage", err)
		if page != nil {
			_, err = c.Docs.CreatePage(ctx, ws, id, &clickup.PageCreate{Name: "Child", ParentPageID: page.ID.String(), Content: "child"})
			step("Docs.CreatePage (child)", err)
			err = c.Docs.EditPage(ctx, ws, id, page.ID.String(), &clickup.PageEdit{Content: "more", Mode: clickup.EditAppend})
			step("Docs.EditPage", err)
			_, err = c.Docs.Page(ctx, ws, id, page.ID.String(), clickup.FormatPlain)
			step("Docs.Page", err)
		}
		_, err = c.Docs.PageListing(ctx, ws, id)
		step("Docs.PageListing", err)
		_, err = c.Docs.Pages(ctx, ws, id, "")
		step("Docs.Pages", err)
	}

	// OAuth: the code exchange (no Authorization header; the spec's security is empty there).
	code := fake.IssueOAuthCode(clickuptest.DemoOAuthClientID, clickuptest.DemoOAuthClientSecret, clickuptest.DemoUserID, ws)
	_, err = c.OAuth.ExchangeCode(ctx, clickuptest.DemoOAuthClientID, clickuptest.DemoOAuthClientSecret, code)
	step("OAuth.ExchangeCode", err)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
