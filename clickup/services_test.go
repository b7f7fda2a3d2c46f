package clickup

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestUsersMe(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		writeJSON(w, 200, `{"user":{"id":183,"username":"Jane Doe","email":"jane@example.com","color":"#827718","profilePicture":null,"initials":"JD","week_start_day":null,"global_font_support":false,"timezone":"Europe/Berlin"}}`)
	})
	u, err := f.client.Users.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 183 || u.Username != "Jane Doe" || u.Timezone != "Europe/Berlin" {
		t.Errorf("user = %+v", u)
	}
}

func TestWorkspacesList(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/team", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"teams":[{"id":9011234567,"name":"Acme","color":"#000","avatar":null,"members":[{"user":{"id":183,"username":"Jane","role":1},"invited_by":{"id":1,"username":"Boss"}},{"user":{"id":"184","username":"Sam","role":"3"}}]}]}`)
	})
	teams, err := f.client.Workspaces.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 1 || teams[0].ID != "9011234567" || len(teams[0].Members) != 2 {
		t.Fatalf("teams = %+v", teams)
	}
	if m := teams[0].Members[1].User; m.ID != 184 || m.Role != 3 {
		t.Errorf("member = %+v", m)
	}
}

func TestSpaces(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/team/{id}/space", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.PathValue("id") != "901" {
			t.Errorf("team id = %q", r.PathValue("id"))
		}
		testQuery(t, r, "archived=true")
		writeJSON(w, 200, `{"spaces":[{"id":"790","name":"Eng","private":false,"archived":"true","multiple_assignees":true,"statuses":[{"status":"to do","orderindex":"0","type":"open"}],"features":{"due_dates":{"enabled":true}}}]}`)
	})
	f.mux.HandleFunc("GET /v2/space/790", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "")
		writeJSON(w, 200, `{"id":790,"name":"Eng","private":true}`)
	})
	ctx := context.Background()
	sp, err := f.client.Spaces.List(ctx, "901", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(sp) != 1 || sp[0].ID != "790" || !bool(sp[0].Archived) || sp[0].Statuses[0].Orderindex != 0 || len(sp[0].Features) == 0 {
		t.Errorf("spaces = %+v", sp)
	}
	s, err := f.client.Spaces.Get(ctx, "790")
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "790" || !bool(s.Private) {
		t.Errorf("space = %+v", s)
	}
}

func TestFolders(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/space/790/folder", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "archived=false")
		writeJSON(w, 200, `{"folders":[{"id":"457","name":"Sprints","orderindex":0,"override_statuses":false,"hidden":false,"space":{"id":"790","name":"Eng","access":true},"task_count":"20","lists":[{"id":"901","name":"Sprint 1","task_count":3}]}]}`)
	})
	f.mux.HandleFunc("GET /v2/folder/457", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"457","name":"Sprints","task_count":20,"lists":[]}`)
	})
	ctx := context.Background()
	fs, err := f.client.Folders.List(ctx, "790", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].TaskCount != 20 || fs[0].Space.ID != "790" || fs[0].Lists[0].ID != "901" {
		t.Errorf("folders = %+v", fs)
	}
	fo, err := f.client.Folders.Get(ctx, "457")
	if err != nil {
		t.Fatal(err)
	}
	if fo.Name != "Sprints" || fo.TaskCount != 20 {
		t.Errorf("folder = %+v", fo)
	}
}

func TestLists(t *testing.T) {
	f := setup(t)
	list := `{"id":"124","name":"Backlog","orderindex":1,"content":"","status":null,"priority":{"priority":"high","color":"#f50000"},"assignee":null,"task_count":null,"due_date":"1567780450202","start_date":null,"folder":{"id":"456","name":"Folder","hidden":false,"access":true},"space":{"id":"789","name":"Space","access":true},"archived":false,"override_statuses":false,"permission_level":"create"}`
	f.mux.HandleFunc("GET /v2/folder/456/list", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "archived=false")
		writeJSON(w, 200, `{"lists":[`+list+`]}`)
	})
	f.mux.HandleFunc("GET /v2/space/789/list", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "archived=true")
		writeJSON(w, 200, `{"lists":null}`)
	})
	f.mux.HandleFunc("GET /v2/list/124", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, strings.TrimSuffix(list, "}")+`,"statuses":[{"id":"p1","status":"to do","orderindex":0,"color":"#d3d3d3","type":"open"},{"status":"complete","orderindex":1,"type":"closed"}]}`)
	})
	f.mux.HandleFunc("GET /v2/list/124/member", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"members":[{"id":812,"username":"John","email":"john@example.com","color":"#FFFFFF","initials":"J","profilePicture":null,"profileInfo":{"display_profile":true}}]}`)
	})
	ctx := context.Background()
	ls, err := f.client.Lists.ListInFolder(ctx, "456", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].ID != "124" || ls[0].DueDate != 1567780450202 || ls[0].Folder.ID != "456" {
		t.Errorf("lists = %+v", ls)
	}
	ls, err = f.client.Lists.ListFolderless(ctx, "789", true)
	if err != nil {
		t.Fatal(err)
	}
	if ls == nil || len(ls) != 0 {
		t.Errorf("folderless = %#v, want empty non-nil", ls)
	}
	l, err := f.client.Lists.Get(ctx, "124")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Statuses) != 2 || l.Statuses[1].Type != "closed" {
		t.Errorf("list statuses = %+v", l.Statuses)
	}
	ms, err := f.client.Lists.Members(ctx, "124")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].ID != 812 {
		t.Errorf("members = %+v", ms)
	}
}

func TestTasksSearchQuery(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/team/{id}/task", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		want := "page=2&order_by=updated&reverse=true&subtasks=true" +
			"&space_ids[]=s1&space_ids[]=s2&project_ids[]=f1&list_ids[]=l1&list_ids[]=l2" +
			"&statuses[]=to%20do&statuses[]=in%20review%2Bqa&include_closed=true" +
			"&assignees[]=183&tags[]=bug&tags[]=a%26b%3Dc" +
			"&due_date_gt=1&due_date_lt=2&date_created_gt=3&date_created_lt=4&date_updated_gt=5&date_updated_lt=6&date_done_gt=7&date_done_lt=8" +
			"&custom_fields=" + escapeQuery(`[{"field_id":"cf1","operator":"=","value":"x"},{"field_id":"cf2","operator":"IS NULL"}]`) +
			"&parent=p9&include_markdown_description=true&custom_items[]=0&custom_items[]=1"
		testQuery(t, r, want)
		// The server sees the arrays as repeated name[] values.
		q := r.URL.Query()
		if got := q["statuses[]"]; !reflect.DeepEqual(got, []string{"to do", "in review+qa"}) {
			t.Errorf("statuses[] = %q", got)
		}
		if got := q["tags[]"]; !reflect.DeepEqual(got, []string{"bug", "a&b=c"}) {
			t.Errorf("tags[] = %q", got)
		}
		var cf []map[string]any
		if err := json.Unmarshal([]byte(q.Get("custom_fields")), &cf); err != nil || len(cf) != 2 {
			t.Errorf("custom_fields = %q (%v)", q.Get("custom_fields"), err)
		}
		writeJSON(w, 200, `{"tasks":[`+taskJSON+`],"last_page":true}`)
	})
	opts := &SearchTasksOptions{
		Page: 2, OrderBy: "updated", Reverse: true, Subtasks: true,
		SpaceIDs: []string{"s1", "s2"}, ProjectIDs: []string{"f1"}, ListIDs: []string{"l1", "l2"},
		Statuses: []string{"to do", "in review+qa"}, IncludeClosed: true,
		Assignees: []string{"183"}, Tags: []string{"bug", "a&b=c"},
		DueDateGt: 1, DueDateLt: 2, DateCreatedGt: 3, DateCreatedLt: 4, DateUpdatedGt: 5, DateUpdatedLt: 6, DateDoneGt: 7, DateDoneLt: 8,
		CustomFields: []CustomFieldFilter{{FieldID: "cf1", Operator: "=", Value: "x"}, {FieldID: "cf2", Operator: "IS NULL"}},
		Parent:       "p9", IncludeMarkdownDescription: true, CustomItems: []int{0, 1},
	}
	p, err := f.client.Tasks.Search(context.Background(), "9011", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !p.LastPage || len(p.Tasks) != 1 || p.Tasks[0].ID != "86caqr85m" {
		t.Errorf("page = %+v", p)
	}
}

func TestTasksSearchMinimal(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/team/9011/task", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "page=0")
		writeJSON(w, 200, `{"tasks":null}`)
	})
	p, err := f.client.Tasks.Search(context.Background(), "9011", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tasks == nil || len(p.Tasks) != 0 || p.LastPage {
		t.Errorf("page = %+v", p)
	}
}

func TestTasksListInList(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/list/{id}/task", func(w http.ResponseWriter, r *http.Request) {
		want := "page=1&archived=true&include_markdown_description=true&order_by=due_date&reverse=true&subtasks=true" +
			"&statuses[]=open&include_closed=true&include_timl=true&assignees[]=1&watchers[]=2&tags[]=t" +
			"&due_date_gt=10&date_done_lt=20&custom_fields=" + escapeQuery(`[{"field_id":"f","operator":"RANGE","value":[1,2]}]`) +
			"&custom_items[]=1"
		testQuery(t, r, want)
		writeJSON(w, 200, `{"tasks":[`+taskJSON+`,`+taskJSON+`],"last_page":false}`)
	})
	p, err := f.client.Tasks.ListInList(context.Background(), "901", &ListTasksOptions{
		Page: 1, Archived: true, IncludeMarkdownDescription: true, OrderBy: "due_date", Reverse: true, Subtasks: true,
		Statuses: []string{"open"}, IncludeClosed: true, IncludeTiml: true,
		Assignees: []string{"1"}, Watchers: []string{"2"}, Tags: []string{"t"},
		DueDateGt: 10, DateDoneLt: 20,
		CustomFields: []CustomFieldFilter{{FieldID: "f", Operator: "RANGE", Value: []int{1, 2}}},
		CustomItems:  []int{1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 || p.LastPage {
		t.Errorf("page = %+v", p)
	}
}

func TestTasksGetDecodesQuirks(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/task/86caqr85m", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "include_subtasks=true&include_markdown_description=true")
		writeJSON(w, 200, taskJSON)
	})
	task, err := f.client.Tasks.Get(context.Background(), Native("86caqr85m"), &GetTaskOptions{IncludeSubtasks: true, IncludeMarkdownDescription: true})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"id", task.ID == "86caqr85m"},
		{"custom id", task.CustomID == "DEV-42"},
		{"date as string", task.DateCreated == 1567780450202},
		{"null date", task.DateClosed == 0},
		{"priority object", task.Priority != nil && task.Priority.Priority == "high" && task.Priority.ID == "2"},
		{"numeric list id", task.List.ID == "901100200300"},
		{"user id as string", task.Assignees[1].ID == 184},
		{"time_estimate string", task.TimeEstimate == 8640000},
		{"time_spent number", task.TimeSpent == 3600000},
		{"points", task.Points == 3},
		{"tags", len(task.Tags) == 1 && task.Tags[0].Creator == 183},
		{"checklist", len(task.Checklists) == 1 && bool(task.Checklists[0].Items[0].Resolved)},
		{"status", task.Status.Status == "in progress" && task.Status.Orderindex == 1},
		{"due_date_time", bool(task.DueDateTime)},
		{"custom field", len(task.CustomFields) == 1 && string(task.CustomFields[0].Value) == "0"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: decoded wrong; task = %+v", c.name, task)
		}
	}
}

func TestTasksGetNullPriorityAndCustomID(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/task/DEV-42", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "custom_task_ids=true&team_id=9011")
		writeJSON(w, 200, `{"id":"9hx","custom_id":"DEV-42","name":"x","priority":null,"due_date":null,"status":{"status":"open","orderindex":"0"}}`)
	})
	task, err := f.client.Tasks.Get(context.Background(), Custom("DEV-42", "9011"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if task.Priority != nil || task.ID != "9hx" || task.DueDate != 0 {
		t.Errorf("task = %+v", task)
	}
}

func TestTasksCreate(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/list/{id}/task", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.PathValue("id") != "901" {
			t.Errorf("list = %q", r.PathValue("id"))
		}
		testBody(t, r, `{"name":"New","markdown_content":"**hi**","assignees":[183],"tags":["bug"],"status":"to do","priority":2,"due_date":1508369194377,"parent":"86caqr85m"}`)
		writeJSON(w, 200, taskJSON)
	})
	prio, due := 2, int64(1508369194377)
	task, err := f.client.Tasks.Create(context.Background(), "901", &TaskCreate{
		Name: "New", MarkdownContent: "**hi**", Assignees: []int64{183}, Tags: []string{"bug"},
		Status: "to do", Priority: &prio, DueDate: &due, Parent: "86caqr85m",
	})
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != "86caqr85m" {
		t.Errorf("task = %+v", task)
	}
	if _, err := f.client.Tasks.Create(context.Background(), "901", &TaskCreate{}); !IsKind(err, KindInvalid) {
		t.Errorf("nameless create: err = %v", err)
	}
}

func TestTasksUpdate(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/task/{id}", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testQuery(t, r, "custom_task_ids=true&team_id=9011")
		testBody(t, r, `{"name":"Renamed","status":"done","priority":null,"due_date":1700000000000,"assignees":{"add":[1],"rem":[2]}}`)
		writeJSON(w, 200, taskJSON)
	})
	name, status := "Renamed", "done"
	_, err := f.client.Tasks.Update(context.Background(), Custom("DEV-1", "9011"), &TaskUpdate{
		Name: &name, Status: &status, Priority: Null[int](), DueDate: Some(int64(1700000000000)),
		Assignees: &AddRem{Add: []int64{1}, Rem: []int64{2}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTasksDelete(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{{204, ""}, {200, "{}"}, {200, ""}} {
		f := setup(t)
		f.mux.HandleFunc("/v2/task/9hx", func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "DELETE")
			w.WriteHeader(tc.status)
			io.WriteString(w, tc.body)
		})
		if err := f.client.Tasks.Delete(context.Background(), Native("9hx")); err != nil {
			t.Errorf("%d %q: %v", tc.status, tc.body, err)
		}
	}
}

func TestTasksMembers(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/task/9hx/member", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"members":[{"id":"5","username":"Ann"}]}`)
	})
	ms, err := f.client.Tasks.Members(context.Background(), Native("9hx"))
	if err != nil || len(ms) != 1 || ms[0].ID != 5 {
		t.Fatalf("members = %+v, %v", ms, err)
	}
}

func TestComments(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/task/9hx/comment", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			writeJSON(w, 200, `{"comments":[{"id":"458","comment":[{"text":"hello"}],"comment_text":"hello","user":{"id":183,"username":"Jane"},"resolved":false,"assignee":null,"assigned_by":null,"reactions":[],"date":"1568036964079","reply_count":"2"}]}`)
			return
		}
		testQuery(t, r, "start=1568036964079&start_id=458")
		writeJSON(w, 200, `{"comments":[]}`)
	})
	f.mux.HandleFunc("POST /v2/task/9hx/comment", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, `{"comment_text":"Looks good","assignee":183,"notify_all":false}`)
		writeJSON(w, 200, `{"id":"459","hist_id":"26508","date":1568036964079}`)
	})
	ctx := context.Background()
	cs, err := f.client.Comments.ListForTask(ctx, Native("9hx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != "458" || cs[0].Date != 1568036964079 || cs[0].ReplyCount != 2 || cs[0].Comment[0].Text != "hello" {
		t.Errorf("comments = %+v", cs)
	}
	cs, err = f.client.Comments.ListForTask(ctx, Native("9hx"), &CommentPageOptions{Start: cs[0].Date, StartID: string(cs[0].ID)})
	if err != nil || len(cs) != 0 {
		t.Errorf("page 2 = %+v, %v", cs, err)
	}
	if _, err := f.client.Comments.ListForTask(ctx, Native("9hx"), &CommentPageOptions{StartID: "1"}); !IsKind(err, KindInvalid) {
		t.Errorf("half a cursor: %v", err)
	}
	assignee := int64(183)
	cc, err := f.client.Comments.CreateForTask(ctx, Native("9hx"), &CommentCreate{CommentText: "Looks good", Assignee: &assignee})
	if err != nil {
		t.Fatal(err)
	}
	if cc.ID != "459" || cc.HistID != "26508" || cc.Date != 1568036964079 {
		t.Errorf("created = %+v", cc)
	}
}

func TestTags(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v2/space/790/tag", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"tags":[{"name":"bug","tag_fg":"#fff","tag_bg":"#f00"}]}`)
	})
	var seen []string
	f.mux.HandleFunc("/v2/task/9hx/tag/{tag}", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+" "+r.PathValue("tag")+" "+r.URL.RawQuery)
		writeJSON(w, 200, `{}`)
	})
	ctx := context.Background()
	tags, err := f.client.Tags.ListForSpace(ctx, "790")
	if err != nil || len(tags) != 1 || tags[0].Name != "bug" {
		t.Fatalf("tags = %+v, %v", tags, err)
	}
	if err := f.client.Tags.AddToTask(ctx, Native("9hx"), "needs review?"); err != nil {
		t.Fatal(err)
	}
	if err := f.client.Tags.RemoveFromTask(ctx, Custom("9hx", "77"), "a#b&c"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"POST /v2/task/9hx/tag/needs%20review%3F needs review? ",
		"DELETE /v2/task/9hx/tag/a%23b&c a#b&c custom_task_ids=true&team_id=77",
	}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("requests =\n%q\nwant\n%q", seen, want)
	}
	for _, bad := range []string{"", "a/b", "..", "x\ny"} {
		if err := f.client.Tags.AddToTask(ctx, Native("9hx"), bad); !IsKind(err, KindInvalid) {
			t.Errorf("tag %q: err = %v", bad, err)
		}
	}
}

func TestOAuthExchangeCode(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("Authorization = %q, want none", a)
		}
		testBody(t, r, `{"client_id":"cid","client_secret":"csecret-123456","code":"thecode-987"}`)
		writeJSON(w, 200, `{"access_token":"61681706_dc747044a6941fc9aa645a4f3bca2ba5576e7dfb516a3d1889553fe96a4084f6"}`)
	})
	tok, err := f.client.OAuth.ExchangeCode(context.Background(), "cid", "csecret-123456", "thecode-987")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "61681706_") {
		t.Errorf("token = %q", tok)
	}
	for _, s := range []string{"csecret-123456", "thecode-987", "61681706_dc7"} {
		if strings.Contains(f.logs.String(), s) {
			t.Errorf("log contains %q: %s", s, f.logs.String())
		}
	}
	if _, err := f.client.OAuth.ExchangeCode(context.Background(), "cid", "", "x"); !IsKind(err, KindInvalid) {
		t.Errorf("missing secret: %v", err)
	}
}

func TestOAuthErrorIsScrubbed(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes what it got must not leak it through us.
		writeJSON(w, 400, `{"err":"Code thecode-987 invalid for secret csecret-123456","ECODE":"OAUTH_015"}`)
	})
	_, err := f.client.OAuth.ExchangeCode(context.Background(), "cid", "csecret-123456", "thecode-987")
	if !IsKind(err, KindInvalid) {
		t.Fatalf("err = %v", err)
	}
	if s := err.Error(); strings.Contains(s, "thecode-987") || strings.Contains(s, "csecret-123456") {
		t.Errorf("secret in error: %s", s)
	}
}

func TestHostileIDsNeverReachServer(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	bad := []string{"", "../team", "a/b", "x?y=1", "frag#x", "..", "a\x00b", "a\nb", "a b", strings.Repeat("x", 300), "a\\b"}
	for _, id := range bad {
		calls := map[string]error{}
		_, calls["Spaces.List"] = f.client.Spaces.List(ctx, id, false)
		_, calls["Spaces.Get"] = f.client.Spaces.Get(ctx, id)
		_, calls["Folders.List"] = f.client.Folders.List(ctx, id, false)
		_, calls["Folders.Get"] = f.client.Folders.Get(ctx, id)
		_, calls["Lists.ListInFolder"] = f.client.Lists.ListInFolder(ctx, id, false)
		_, calls["Lists.ListFolderless"] = f.client.Lists.ListFolderless(ctx, id, false)
		_, calls["Lists.Get"] = f.client.Lists.Get(ctx, id)
		_, calls["Lists.Members"] = f.client.Lists.Members(ctx, id)
		_, calls["Tasks.Search"] = f.client.Tasks.Search(ctx, id, nil)
		_, calls["Tasks.ListInList"] = f.client.Tasks.ListInList(ctx, id, nil)
		_, calls["Tasks.Get"] = f.client.Tasks.Get(ctx, Native(id), nil)
		if id != "" { // Custom(x, "") is a native ref
			_, calls["Tasks.Get custom team"] = f.client.Tasks.Get(ctx, Custom("DEV-1", id), nil)
		}
		_, calls["Tasks.Create"] = f.client.Tasks.Create(ctx, id, &TaskCreate{Name: "x"})
		_, calls["Tasks.Update"] = f.client.Tasks.Update(ctx, Native(id), &TaskUpdate{})
		calls["Tasks.Delete"] = f.client.Tasks.Delete(ctx, Native(id))
		_, calls["Tasks.Members"] = f.client.Tasks.Members(ctx, Native(id))
		_, calls["Comments.ListForTask"] = f.client.Comments.ListForTask(ctx, Native(id), nil)
		_, calls["Comments.CreateForTask"] = f.client.Comments.CreateForTask(ctx, Native(id), &CommentCreate{CommentText: "x"})
		_, calls["Tags.ListForSpace"] = f.client.Tags.ListForSpace(ctx, id)
		calls["Tags.AddToTask"] = f.client.Tags.AddToTask(ctx, Native(id), "t")
		calls["Tags.RemoveFromTask"] = f.client.Tags.RemoveFromTask(ctx, Native(id), "t")
		for name, err := range calls {
			var ce *Error
			if !asError(err, &ce) || ce.Kind != KindInvalid || ce.Method == "" || !strings.Contains(ce.Path, "{") {
				t.Errorf("%s(%q): err = %#v", name, id, err)
			}
		}
	}
	if n := f.hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestValidID(t *testing.T) {
	for _, ok := range []string{"9hx", "86caqr85m", "DEV-42", "1234567", "b955c4dc-b8e0-4b4f-8c2c-1c8f3f1f7a1e", "a.b", "ü"} {
		if err := ValidID(ok); err != nil {
			t.Errorf("ValidID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/", "a/b", "?", "#", "..", "a..b", "\x7f", "\t", "a b", "\xff", strings.Repeat("a", 257)} {
		err := ValidID(bad)
		if !IsKind(err, KindInvalid) {
			t.Errorf("ValidID(%q) = %v, want invalid", bad, err)
		}
	}
}

// TestDecodedValuesOutliveTheBodyBuffer: response bodies are read into
// reused buffers; nothing decoded from one (strings, FlexStrings, raw custom
// field values) may change when the buffer is reused for the next answers.
func TestDecodedValuesOutliveTheBodyBuffer(t *testing.T) {
	f := setup(t)
	for _, id := range []string{"aaaa1", "bbbb2"} {
		f.mux.HandleFunc("GET /v2/task/"+id, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"id":"`+id+`","name":"name-`+id+`","custom_id":"C-`+id+`","custom_fields":[{"id":"f","name":"F","type":"text","value":"v-`+id+`"}]}`)
		})
	}
	first, err := f.client.Tasks.Get(context.Background(), Native("aaaa1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := f.client.Tasks.Get(context.Background(), Native("bbbb2"), nil); err != nil {
			t.Fatal(err)
		}
	}
	if first.ID != "aaaa1" || first.Name != "name-aaaa1" || string(first.CustomID) != "C-aaaa1" ||
		len(first.CustomFields) != 1 || string(first.CustomFields[0].Value) != `"v-aaaa1"` {
		t.Errorf("the first answer changed after its buffer was reused: %+v", first)
	}
}
