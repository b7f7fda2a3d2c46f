package clickuptest

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newDemoWorld(t *testing.T, clock *fakeClock) *world {
	t.Helper()
	s := NewDemo(WithClock(clock.Now), WithRateLimit(0, time.Minute))
	w := &world{Server: s, clock: clock, srv: httptest.NewServer(s)}
	t.Cleanup(w.srv.Close)
	return w
}

func demoGet(t *testing.T, w *world, path string) reply {
	t.Helper()
	return w.call(t, "GET", path, DemoToken, nil)
}

func TestDemoIsDeterministic(t *testing.T) {
	a, b := NewDemo(WithClock(newClock().Now)), NewDemo(WithClock(newClock().Now))
	if a.TaskCount() != b.TaskCount() {
		t.Fatalf("task counts differ: %d vs %d", a.TaskCount(), b.TaskCount())
	}
	for i, ta := range a.taskOrder {
		tb := b.taskOrder[i]
		if ta.ID != tb.ID || ta.Name != tb.Name || ta.CustomID != tb.CustomID || !ta.DueDate.Equal(tb.DueDate) {
			t.Fatalf("task %d differs: %+v vs %+v", i, ta, tb)
		}
	}
}

func TestDemoWorld(t *testing.T) {
	clock := newClock()
	w := newDemoWorld(t, clock)
	now := clock.Now()
	if n := w.TaskCount(); n < 280 || n > 360 {
		t.Errorf("TaskCount = %d, want about 300", n)
	}
	u := demoGet(t, w, "/api/v2/user").json(t)["user"].(map[string]any)
	if u["id"] != float64(DemoUserID) || u["username"] != "Alex Rivera" || u["email"] != "alex@example.com" {
		t.Errorf("user = %v", u)
	}
	teams := demoGet(t, w, "/api/v2/team").json(t)["teams"].([]any)
	if len(teams) != 1 || teams[0].(map[string]any)["id"] != DemoWorkspaceID || len(teams[0].(map[string]any)["members"].([]any)) != 8 {
		t.Fatalf("teams = %v", teams)
	}
	guests := 0
	for _, m := range teams[0].(map[string]any)["members"].([]any) {
		if m.(map[string]any)["user"].(map[string]any)["role"] == float64(4) {
			guests++
		}
	}
	if guests != 1 {
		t.Errorf("guests = %d", guests)
	}
	expect(t, demoGet(t, w, "/api/v2/team/"+DemoOtherWorkspaceID+"/space"), 401, "OAUTH_027")
	expect(t, w.call(t, "GET", "/api/v2/team/"+DemoOtherWorkspaceID+"/space", DemoToken2, nil), 200, "")
	expect(t, w.call(t, "GET", "/api/v2/team/"+DemoWorkspaceID+"/space", DemoToken2, nil), 401, "OAUTH_027")

	spaces := demoGet(t, w, "/api/v2/team/"+DemoWorkspaceID+"/space").json(t)["spaces"].([]any)
	var names []string
	for _, s := range spaces {
		names = append(names, s.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "Engineering,Marketing,Operations" {
		t.Errorf("spaces = %v", names)
	}
	folders := demoGet(t, w, "/api/v2/space/"+DemoSpaceEngineering+"/folder").json(t)["folders"].([]any)
	var lists []string
	for _, l := range folders[0].(map[string]any)["lists"].([]any) {
		lists = append(lists, l.(map[string]any)["name"].(string))
	}
	if strings.Join(lists, ",") != "Backlog,Sprint 12,Sprint 13" {
		t.Errorf("Platform lists = %v (Sprint 11 is archived)", lists)
	}
	mkt := demoGet(t, w, "/api/v2/list/"+DemoListBlog).json(t)
	var sts []string
	for _, s := range mkt["statuses"].([]any) {
		sts = append(sts, s.(map[string]any)["status"].(string))
	}
	if strings.Join(sts, ",") != "idea,drafting,in review,scheduled,published" {
		t.Errorf("marketing statuses = %v", sts)
	}

	// Your work: overdue and due this week.
	me := strconv.FormatInt(DemoUserID, 10)
	ms := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).UnixMilli(), 10) }
	overdue := w.tasksAs(t, "/api/v2/team/"+DemoWorkspaceID+"/task"+q("assignees[]", me, "due_date_lt", ms(0)))
	week := w.tasksAs(t, "/api/v2/team/"+DemoWorkspaceID+"/task"+q("assignees[]", me, "due_date_gt", ms(0), "due_date_lt", ms(7*24*time.Hour)))
	if len(overdue.Tasks) < 4 || len(week.Tasks) < 4 {
		t.Errorf("overdue %d, due this week %d", len(overdue.Tasks), len(week.Tasks))
	}

	// Everything open in the Workspace pages at 100.
	total := 0
	for page := 0; ; page++ {
		tl := w.tasksAs(t, "/api/v2/team/"+DemoWorkspaceID+"/task"+q("page", strconv.Itoa(page), "subtasks", "true", "include_closed", "true"))
		total += len(tl.Tasks)
		if *tl.LastPage {
			break
		}
		if len(tl.Tasks) != 100 {
			t.Fatalf("page %d has %d tasks", page, len(tl.Tasks))
		}
	}
	if total < 250 {
		t.Errorf("visible tasks = %d", total)
	}

	// The headline task: custom id, checklist, long comment thread, markdown.
	tl := w.tasksAs(t, "/api/v2/list/"+DemoListSprint13+"/task")
	var lead string
	for _, tk := range tl.Tasks {
		if tk.Name == "Migrate billing to Stripe Billing v2" {
			lead = tk.ID
			if tk.CustomID == nil || !strings.HasPrefix(*tk.CustomID, "ACME-") {
				t.Errorf("custom id = %v", tk.CustomID)
			}
		}
	}
	if lead == "" {
		t.Fatal("headline task missing")
	}
	m := demoGet(t, w, "/api/v2/task/"+lead+"?include_markdown_description=true").json(t)
	if !strings.Contains(m["markdown_description"].(string), "```bash") || len(m["checklists"].([]any)) != 1 || len(m["assignees"].([]any)) != 2 {
		t.Errorf("headline task = %v", m)
	}
	expect(t, demoGet(t, w, "/api/v2/task/"+m["custom_id"].(string)+"?custom_task_ids=true&team_id="+DemoWorkspaceID), 200, "")
	cs := demoGet(t, w, "/api/v2/task/"+lead+"/comment").json(t)["comments"].([]any)
	if len(cs) != 25 {
		t.Errorf("first comment page = %d", len(cs))
	}
	// Its newest comments have threads; its plan and diagram are attached.
	newest := cs[0].(map[string]any)
	if newest["reply_count"] == "0" {
		t.Errorf("newest comment of the headline task has no thread: %v", newest)
	}
	rs := demoGet(t, w, "/api/v2/comment/"+newest["id"].(string)+"/reply").json(t)["comments"].([]any)
	if fmt.Sprint(len(rs)) != newest["reply_count"] {
		t.Errorf("thread of %v: %d replies, reply_count %v", newest["id"], len(rs), newest["reply_count"])
	}
	files := m["attachments"].([]any)
	if len(files) != 2 || files[0].(map[string]any)["title"] != "stripe-billing-v2-plan.pdf" || files[0].(map[string]any)["size"].(float64) != 248331 {
		t.Errorf("headline task attachments = %v", files)
	}
	if len(m["dependencies"].([]any)) < 2 || len(m["linked_tasks"].([]any)) != 1 {
		t.Errorf("headline task relations: dependencies %v, links %v", m["dependencies"], m["linked_tasks"])
	}

	// Custom fields are filterable.
	sev := `[{"field_id":"` + DemoFieldSeverity + `","operator":"=","value":"S1 - Critical"}]`
	crit := w.tasksAs(t, "/api/v2/list/"+DemoListBugs+"/task"+q("custom_fields", sev, "include_closed", "true"))
	if len(crit.Tasks) == 0 {
		t.Error("no S1 bugs")
	}
	// Tags and subtasks exist.
	var tags struct{ Tags []struct{ Name string } }
	json.Unmarshal(demoGet(t, w, "/api/v2/space/"+DemoSpaceEngineering+"/tag").body, &tags)
	if len(tags.Tags) < 8 {
		t.Errorf("engineering tags = %v", tags.Tags)
	}
	subs := 0
	for _, tk := range w.taskOrder {
		if tk.Parent != "" {
			subs++
		}
	}
	if subs < 15 {
		t.Errorf("subtasks = %d", subs)
	}

	// The demo OAuth app signs Alex in for Acme Product.
	code := w.IssueOAuthCode(DemoOAuthClientID, DemoOAuthClientSecret, DemoUserID, DemoWorkspaceID)
	r := w.call(t, "POST", "/api/v2/oauth/token", "", map[string]any{"client_id": DemoOAuthClientID, "client_secret": DemoOAuthClientSecret, "code": code})
	expect(t, r, 200, "")
}

func (w *world) tasksAs(t *testing.T, path string) taskList {
	t.Helper()
	r := w.call(t, "GET", path, DemoToken, nil)
	expect(t, r, 200, "")
	var tl taskList
	if err := json.Unmarshal(r.body, &tl); err != nil {
		t.Fatal(err)
	}
	return tl
}

// BenchmarkTeamSearch measures a Get Filtered Team Tasks request against the
// demo world, through ServeHTTP without a network.
func BenchmarkTeamSearch(b *testing.B) {
	s := NewDemo(WithRateLimit(0, time.Minute))
	for _, query := range []string{"?subtasks=true&include_closed=true", "?statuses[]=in%20progress&tags[]=backend&page=0"} {
		b.Run(query, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/api/v2/team/"+DemoWorkspaceID+"/task"+query, nil)
			req.Header.Set("Authorization", DemoToken)
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
