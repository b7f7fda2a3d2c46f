package contract

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func load(t *testing.T) *Contract {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func request(method, target, body string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "pk_1_TEST")
	return r
}

func response(status int, body string) *http.Response {
	rec := httptest.NewRecorder()
	if body != "" {
		rec.Header().Set("Content-Type", "application/json")
	}
	rec.WriteHeader(status)
	rec.WriteString(body)
	return rec.Result()
}

// messages renders violations one a line, for failure output and substring checks.
func messages(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintln(&b, e)
	}
	return b.String()
}

func TestValidateRequest(t *testing.T) {
	c := load(t)
	for _, tc := range []struct {
		name string
		req  *http.Request
		want []string // substrings of the violations; none means valid
	}{
		{name: "search with bracketed arrays and a custom_fields filter",
			req: request("GET", "http://fake/api/v2/team/9015123456/task?page=0&statuses[]=to%20do&statuses[]=done&assignees[]=81000001&custom_items[]=0&include_closed=true&custom_fields="+
				"%5B%7B%22field_id%22%3A%22x%22%2C%22operator%22%3A%22%3D%22%2C%22value%22%3A%22y%22%7D%5D", "")},
		{name: "list tasks with brackets (renamed by an exception)",
			req: request("GET", "http://fake/api/v2/list/901530000031/task?statuses[]=open&tags[]=bug&watchers[]=1&custom_items[]=1", "")},
		{name: "list tasks without brackets: ClickUp ignores them",
			req:  request("GET", "http://fake/api/v2/list/901530000031/task?statuses=open", ""),
			want: []string{"GetTasks GET /api/v2/list/901530000031/task: request:", "'statuses' at '$.query.statuses' is not declared"}},
		{name: "an unknown query parameter",
			req:  request("GET", "http://fake/api/v2/team/9015123456/task?archived=true", ""),
			want: []string{"GetFilteredTeamTasks", "archived"}},
		{name: "a non-numeric page",
			req:  request("GET", "http://fake/api/v2/team/9015123456/task?page=first", ""),
			want: []string{"parameter page:", "'first'"}},
		{name: "create a task with every field",
			req: request("POST", "http://fake/api/v2/list/901530000031/task", `{"name":"n","description":"d","markdown_content":"m",
				"assignees":[81000001],"group_assignees":["g"],"archived":false,"tags":["bug"],"status":"open","priority":null,
				"due_date":1700000000000,"due_date_time":true,"time_estimate":3600000,"start_date":1700000000000,"start_date_time":false,
				"points":1.5,"notify_all":true,"parent":"abc","links_to":"def","check_required_custom_fields":true,
				"custom_fields":[{"id":"f","value":"v"}],"custom_item_id":0}`)},
		{name: "create a task with user names for assignees",
			req:  request("POST", "http://fake/api/v2/list/901530000031/task", `{"name":"n","assignees":["alex"]}`),
			want: []string{"CreateTask POST", "body $.assignees[0]"}},
		{name: "create a task without a name",
			req:  request("POST", "http://fake/api/v2/list/901530000031/task", `{"description":"d"}`),
			want: []string{"CreateTask", "name"}},
		{name: "create a task with a field ClickUp does not know",
			req:  request("POST", "http://fake/api/v2/list/901530000031/task", `{"name":"n","due":1}`),
			want: []string{"CreateTask", "'due'"}},
		{name: "update clearing the priority (an exception)",
			req: request("PUT", "http://fake/api/v2/task/abc", `{"priority":null,"assignees":{"add":[1],"rem":[]}}`)},
		{name: "update with a plain assignee list",
			req:  request("PUT", "http://fake/api/v2/task/abc", `{"assignees":[1]}`),
			want: []string{"UpdateTask PUT /api/v2/task/abc", "assignees"}},
		{name: "delete without Content-Type (an exception)",
			req: func() *http.Request { r := request("DELETE", "http://fake/api/v2/task/abc", ""); return r }()},
		{name: "a tag name with a space",
			req: request("POST", "http://fake/api/v2/task/abc/tag/tech%20debt", "")},
		{name: "the token exchange needs no Authorization",
			req: func() *http.Request {
				r := request("POST", "http://fake/api/v2/oauth/token", `{"client_id":"a","client_secret":"b","code":"c"}`)
				r.Header.Del("Authorization")
				return r
			}()},
		{name: "anything else needs Authorization",
			req: func() *http.Request {
				r := request("GET", "http://fake/api/v2/user", "")
				r.Header.Del("Authorization")
				return r
			}(),
			want: []string{"GetAuthorizedUser", "Authorization"}},
		{name: "a path without the /api prefix",
			req: request("GET", "http://fake/v2/space/901510000011", "")},
		{name: "a route outside the contract",
			req:  request("GET", "http://fake/api/v2/goal/1", ""),
			want: []string{"(no operation) GET /api/v2/goal/1", "not found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := c.ValidateRequest(tc.req)
			got := messages(errs)
			if len(tc.want) == 0 && len(errs) > 0 {
				t.Fatalf("want no violations, got:\n%s", got)
			}
			if len(tc.want) > 0 && len(errs) == 0 {
				t.Fatal("want a violation, got none")
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("violations do not mention %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestValidateResponse(t *testing.T) {
	c := load(t)
	task := func(fields string) string {
		return `{"id":"86abc","name":"t","status":{"id":"s","status":"open","color":"#000","orderindex":0,"type":"open"},
			"assignees":[{"id":81000001,"username":"Alex","email":"a@x","color":"#fff","initials":"A","profilePicture":null}],
			"watchers":[],"tags":[{"name":"bug","tag_fg":"#000","tag_bg":"#000","creator":81000001}],
			"checklists":[],"dependencies":[],"linked_tasks":[],"group_assignees":[],
			"date_created":"1700000000000","date_updated":"1700000000000","date_closed":null,"due_date":null` + fields + `}`
	}
	for _, tc := range []struct {
		name string
		req  *http.Request
		resp *http.Response
		want []string
	}{
		{name: "a task as ClickUp sends it",
			req:  request("GET", "http://fake/api/v2/task/86abc", ""),
			resp: response(200, task(`,"priority":null,"time_estimate":3600000,"time_spent":0`))},
		{name: "a task with an object priority",
			req:  request("GET", "http://fake/api/v2/task/86abc", ""),
			resp: response(200, task(`,"priority":{"id":"1","priority":"urgent","color":"#f50000","orderindex":"1"}`))},
		{name: "a task whose date is a number",
			req:  request("GET", "http://fake/api/v2/task/86abc", ""),
			resp: response(200, task(`,"start_date":1700000000000`)),
			want: []string{"GetTask GET /api/v2/task/86abc: response: body $.start_date"}},
		{name: "a created task (objects where the spec says strings: exceptions)",
			req:  request("POST", "http://fake/api/v2/list/1/task", `{"name":"t"}`),
			resp: response(200, task(`,"priority":null,"time_estimate":null,"time_spent":0`))},
		{name: "a created task with a string time estimate",
			req:  request("POST", "http://fake/api/v2/list/1/task", `{"name":"t"}`),
			resp: response(200, task(`,"time_estimate":"8640000"`)),
			want: []string{"CreateTask", "$.time_estimate"}},
		{name: "updated task with user ids for assignees",
			req:  request("PUT", "http://fake/api/v2/task/86abc", `{}`),
			resp: response(200, `{"id":"86abc","assignees":[81000001]}`),
			want: []string{"UpdateTask", "$.assignees[0]"}},
		{name: "a search page with last_page",
			req:  request("GET", "http://fake/api/v2/team/1/task", ""),
			resp: response(200, `{"tasks":[],"last_page":true}`)},
		{name: "a search page whose last_page is a string",
			req:  request("GET", "http://fake/api/v2/team/1/task", ""),
			resp: response(200, `{"tasks":[],"last_page":"yes"}`),
			want: []string{"GetFilteredTeamTasks", "$.last_page"}},
		{name: "a search page without tasks",
			req:  request("GET", "http://fake/api/v2/team/1/task", ""),
			resp: response(200, `{"last_page":true}`),
			want: []string{"GetFilteredTeamTasks", "tasks"}},
		{name: "folders as an array (an exception)",
			req:  request("GET", "http://fake/api/v2/space/1/folder", ""),
			resp: response(200, `{"folders":[{"id":"1","name":"f","orderindex":0,"override_statuses":false,"hidden":false,"space":{"id":"1","name":"s","access":true},"task_count":"0","lists":[]}]}`)},
		{name: "a folder missing its name",
			req:  request("GET", "http://fake/api/v2/space/1/folder", ""),
			resp: response(200, `{"folders":[{"id":"1","orderindex":0,"override_statuses":false,"hidden":false,"space":{"id":"1","name":"s","access":true},"task_count":"0","lists":[]}]}`),
			want: []string{"GetFolders", "name"}},
		{name: "a deleted task: 204, no body",
			req:  request("DELETE", "http://fake/api/v2/task/86abc", ""),
			resp: response(204, "")},
		{name: "an untagged task: 200, {}",
			req:  request("DELETE", "http://fake/api/v2/task/86abc/tag/bug", ""),
			resp: response(200, `{}`)},
		{name: "a 204 where the contract has 200",
			req:  request("POST", "http://fake/api/v2/task/86abc/tag/bug", ""),
			resp: response(204, ""),
			want: []string{"AddTagToTask", "204 is not declared"}},
		{name: "a ClickUp error",
			req:  request("GET", "http://fake/api/v2/task/nope", ""),
			resp: response(404, `{"err":"Task not found","ECODE":"ITEM_013"}`)},
		{name: "an error without ECODE",
			req:  request("GET", "http://fake/api/v2/task/nope", ""),
			resp: response(401, `{"error":"Token invalid"}`),
			want: []string{"GetTask", `lacks "err" or "ECODE"`}},
		{name: "an error page",
			req:  request("GET", "http://fake/api/v2/task/nope", ""),
			resp: response(502, `<html>bad gateway</html>`),
			want: []string{"not JSON"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := c.ValidateResponse(tc.req, tc.resp)
			got := messages(errs)
			if len(tc.want) == 0 && len(errs) > 0 {
				t.Fatalf("want no violations, got:\n%s", got)
			}
			if len(tc.want) > 0 && len(errs) == 0 {
				t.Fatal("want a violation, got none")
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("violations do not mention %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestViolationNamesTheField(t *testing.T) {
	c := load(t)
	errs := c.ValidateResponse(request("GET", "http://fake/api/v2/list/1/task", ""),
		response(200, `{"tasks":[{"id":"a","points":"many"},{"id":"b","points":"lots"}]}`))
	if len(errs) != 1 {
		t.Fatalf("want one violation for the field (not one per task), got:\n%s", messages(errs))
	}
	var v *Violation
	if !errors.As(errs[0], &v) {
		t.Fatalf("%T is not a *Violation", errs[0])
	}
	if v.Operation != "GetTasks" || v.Method != "GET" || v.Path != "/api/v2/list/1/task" ||
		v.Where != "response" || v.Field != "$.tasks[].points" || !strings.Contains(v.Message, "$.tasks[0].points") {
		t.Errorf("violation = %+v", *v)
	}
}

func TestBodiesCanBeReadAgain(t *testing.T) {
	c := load(t)
	const in, out = `{"name":"t"}`, `{"id":"x","name":"t"}`
	req := request("POST", "http://fake/api/v2/list/1/task", in)
	if errs := c.ValidateRequest(req); len(errs) > 0 {
		t.Fatal(messages(errs))
	}
	resp := response(200, out)
	if errs := c.ValidateResponse(req, resp); len(errs) > 0 {
		t.Fatal(messages(errs))
	}
	for name, body := range map[string]io.Reader{in: req.Body, out: resp.Body} {
		if b, _ := io.ReadAll(body); string(b) != name {
			t.Errorf("body after validation = %q, want %q", b, name)
		}
	}
}

// fakeTB records what the transport reports.
type fakeTB struct{ errs []string }

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

func TestTransportReportsViolations(t *testing.T) {
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/list/1/task":
			io.WriteString(w, `{"id":"x","name":"t","time_estimate":"soon"}`)
		default:
			io.WriteString(w, `{"user":{"id":1,"username":"u"}}`)
		}
	}))
	defer srv.Close()

	tb := &fakeTB{}
	hc := &http.Client{Transport: Transport(tb, nil)}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v2/list/1/task", strings.NewReader(`{"name":"t","bogus":1}`))
	req.Header.Set("Authorization", "pk_1_TEST")
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != `{"id":"x","name":"t","time_estimate":"soon"}` || gotBody != `{"name":"t","bogus":1}` {
		t.Errorf("the transport changed the traffic: sent %q, received %q", gotBody, b)
	}
	all := strings.Join(tb.errs, "\n")
	for _, want := range []string{
		"contract: CreateTask POST /api/v2/list/1/task: request:", "'bogus'",
		"contract: CreateTask POST /api/v2/list/1/task: response: body $.time_estimate",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("reports do not mention %q:\n%s", want, all)
		}
	}

	tb.errs = nil
	req, _ = http.NewRequest("GET", srv.URL+"/api/v2/user", nil)
	req.Header.Set("Authorization", "pk_1_TEST")
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(tb.errs) > 0 {
		t.Errorf("conforming exchange reported: %v", tb.errs)
	}
}

// The committed contracts are themselves valid OpenAPI 3.1 documents.
func TestContractIsValidOpenAPI(t *testing.T) {
	c := load(t)
	for _, name := range []string{"v2", "v3"} {
		v := c.versions[name]
		if v == nil {
			t.Fatalf("no %s document", name)
		}
		if ok, errs := v.responses.ValidateDocument(); !ok {
			for _, e := range errs {
				t.Errorf("%s: %v", name, e)
			}
		}
	}
}
