package clickup_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// agree checks the direct task decoder against encoding/json on data: when
// it takes the input, encoding/json must take it too and decode the same
// value. It reports whether the direct decoder took it.
func agree[T any](t *testing.T, name string, data []byte) bool {
	t.Helper()
	var fast, want T
	took := clickup.DecodeFast(data, &fast)
	err := json.Unmarshal(data, &want)
	if !took {
		return false
	}
	if err != nil {
		t.Errorf("%s: the direct decoder took input encoding/json refuses (%v): %.300s", name, err, data)
		return true
	}
	if !reflect.DeepEqual(fast, want) {
		t.Errorf("%s: the direct decoder differs from encoding/json\n got %+v\nwant %+v\ninput %.300s", name, fast, want, data)
	}
	return true
}

func fakeGet(t testing.TB, fake http.Handler, path string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api"+path, nil)
	req.Header.Set("Authorization", clickuptest.DemoToken)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// Every demo task, as GET task (with subtasks and markdown) and in the
// workspace's search pages, decodes directly and as encoding/json does.
func TestTaskDecoderAgreesOnTheDemoWorkspace(t *testing.T) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	tasks := 0
	for page := 0; ; page++ {
		body := fakeGet(t, fake, "/v2/team/"+clickuptest.DemoWorkspaceID+"/task?include_closed=true&subtasks=true&include_markdown_description=true&page="+itoa(page))
		if !agree[clickup.TaskPage](t, "page", body) {
			t.Fatalf("page %d: the direct decoder did not take a page of the fake's tasks", page)
		}
		var p clickup.TaskPage
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		for _, task := range p.Tasks {
			one := fakeGet(t, fake, "/v2/task/"+string(task.ID)+"?include_subtasks=true&include_markdown_description=true")
			if !agree[clickup.Task](t, string(task.ID), one) {
				t.Errorf("%s: the direct decoder did not take the fake's task: %.300s", task.ID, one)
			}
			tasks++
		}
		if len(p.Tasks) < clickup.PageSize {
			break
		}
	}
	if tasks < 300 {
		t.Fatalf("only %d demo tasks checked", tasks)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A task with every field set (reflect fills each with a value of its
// type) decodes directly to what encoding/json makes of it: no field of
// Task or of what it holds is left to the unknown-key path.
func TestTaskDecoderKnowsEveryField(t *testing.T) {
	var task clickup.Task
	fill(reflect.ValueOf(&task).Elem(), 0)
	task.Subtasks = []clickup.Task{task}
	data, err := json.Marshal(task)
	if err != nil {
		t.Fatal(err)
	}
	if !agree[clickup.Task](t, "filled", data) {
		t.Fatalf("the direct decoder did not take a task with every field set: %s", data)
	}
	var back clickup.Task
	_ = json.Unmarshal(data, &back)
	if !reflect.DeepEqual(back, task) {
		t.Fatalf("the filled task does not survive encoding/json itself; fix fill\n got %+v\nwant %+v", back, task)
	}
	page, _ := json.Marshal(clickup.TaskPage{Tasks: []clickup.Task{task}, LastPage: true})
	if !agree[clickup.TaskPage](t, "page", page) {
		t.Fatal("the direct decoder did not take a page with every field set")
	}
}

// fill sets every field reachable from v to a non-zero value of its type.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + v.Type().Name())
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(2.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	case reflect.Pointer:
		if depth < 3 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.SetBytes([]byte(`{"k":[1,"x",null]}`))
			return
		}
		if v.Type().Elem() == reflect.TypeFor[clickup.Task]() {
			return // set by the caller, one level deep
		}
		if depth < 3 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fill(v.Index(0), depth+1)
		}
	}
}

// Inputs at the edges: the direct decoder either takes them as
// encoding/json does or leaves them to it. The ones marked take must be
// taken (the fast path must cover what ClickUp sends).
func TestTaskDecoderEdges(t *testing.T) {
	for _, c := range []struct {
		in   string
		take bool
	}{
		{`{}`, true},
		{`null`, true},
		{` {"id": 12, "name": "a"} `, true},
		{`{"id": "x", "name": null, "priority": null, "assignees": null, "tags": []}`, true},
		{`{"name": "caf\u00e9 \"q\" \n"}`, true},
		{`{"name": "\ud83d\ude00 \ud83d x \ude00 \ud83d\u0041 \/\b\f\r\t\\ \u00E9"}`, true},
		{"{\"name\": \"a\\n\xff\xfe b\\t\xe2\x82\"}", true},
		{`{"name": "\ud83d\ud83d\ude00"}`, true},
		{`{"name": "\'"}`, false},
		{`{"name": "\u12"}`, false},
		{`{"name": "café"}`, true},
		{"{\"name\": \"\xff\xfe\"}", true},
		{`{"group_assignees": null, "custom_fields": [{"id": "f", "value": null, "type_config": {}}]}`, true},
		{`{"checklists": [{"id": "c", "items": [{"id": "i", "assignee": 183}]}], "attachments": [{"id": "a", "user": {"id": 1}}]}`, true},
		{`{"dependencies": [{"task_id": "a", "depends_on": "b", "type": 1}], "linked_tasks": [ ]}`, true},
		{`{"sharing": {"public": false, "x": [1, 2.5e3, -0.1, true, null, "s\u0041"]}, "locations": []}`, true},
		{`{"subtasks": [{"id": "s1", "subtasks": [{"id": "s2"}]}]}`, true},
		{`{"status": {"status": "open", "orderindex": "3"}, "list": {"id": 901, "access": "true"}}`, true},
		{`{"due_date": "", "start_date": 1730000000000, "points": "2.5", "time_estimate": "1.5e3"}`, true},
		{`{"tasks": [{"id": "a"}], "last_page": true}`, true},
		// Left to encoding/json, or refused by both.
		{`{"ID": "x"}`, false},
		{`{"Name": "x"}`, false},
		{`{"id": "a", "id": "b"}`, false},
		{`{"n\u0061me": "x"}`, false},
		{`{"name": 5}`, false},
		{`{"name": "a",}`, false},
		{`{"name": "a"} x`, false},
		{`{"name": "a"`, false},
		{`{"sharing": [01]}`, false},
		{`{"sharing": [1.]}`, false},
		{`{"sharing": "\x"}`, false},
		{"{\"sharing\": \"tab\there\"}", false},
		{`{"priority": "high"}`, false},
		{`{"tags": {}}`, false},
		{`{"url": true}`, false},
		{`{"id": {}}`, false},
		{`{"archived": "maybe"}`, false},
		{`[]`, false},
		{`{"subtasks": [null]}`, true},
		{`{"assignees": [null, {"id": 1}]}`, true},
		{`{"last_page": "yes"}`, false},
		{`{"ſtatus": {}}`, false},
	} {
		tookTask := agree[clickup.Task](t, "task", []byte(c.in))
		tookPage := agree[clickup.TaskPage](t, "page", []byte(c.in))
		if c.take && !tookTask && !tookPage {
			t.Errorf("the direct decoder left %s to encoding/json", c.in)
		}
	}
}

func FuzzTaskDecoder(f *testing.F) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	page := fakeGet(f, fake, "/v2/list/"+clickuptest.DemoListSprint12+"/task?include_markdown_description=true")
	var p clickup.TaskPage
	_ = json.Unmarshal(page, &p)
	for _, task := range p.Tasks[:2] {
		f.Add(fakeGet(f, fake, "/v2/task/"+string(task.ID)+"?include_subtasks=true&include_markdown_description=true"))
	}
	f.Add([]byte(`{"name": "a\u00e9\ud83d\ude00", "status": null, "priority": {"id": 2}}`))
	f.Add([]byte(`{"tasks": [{"id": 1, "tags": [], "subtasks": [{"id": "s"}]}], "last_page": false}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		agree[clickup.Task](t, "task", data)
		agree[clickup.TaskPage](t, "page", data)
	})
}
