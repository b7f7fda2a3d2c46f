package tools

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
)

// get_task weighs the detail without its description on the JSON it sends,
// with the description's member taken out: that must be exactly what
// json.Marshal makes of the detail with no description, for every demo
// task and for descriptions that need escaping.
func TestWithoutDescriptionIsTheDetailWithoutOne(t *testing.T) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	var tasks []clickup.Task
	for page := 0; ; page++ {
		req := httptest.NewRequest(http.MethodGet, "/api/v2/team/"+clickuptest.DemoWorkspaceID+"/task?include_closed=true&subtasks=true&include_markdown_description=true&page="+strconv.Itoa(page), nil)
		req.Header.Set("Authorization", clickuptest.DemoToken)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		var p clickup.TaskPage
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, p.Tasks...)
		if len(p.Tasks) < clickup.PageSize {
			break
		}
	}
	odd := []string{"", `say "hi" \ <b>&amp;</b>`, "line\nbreak\ttab \u2028 \x01", "café ☕ 😀", "\xff bad utf8", `","description":"x`}
	described := 0
	for i := range tasks {
		for _, desc := range append([]string{tasks[i].MarkdownDescription}, odd...) {
			r := render.Detail(&tasks[i], time.UTC)
			r.Description = desc
			whole := r.Encode()
			if want, _ := json.Marshal(r); string(whole) != string(want) || string(r.EncodedJSON()) != string(want) {
				t.Fatalf("%s: Encode differs from json.Marshal", tasks[i].ID)
			}
			r.Description = ""
			want, _ := json.Marshal(r)
			if got := withoutDescription(whole, desc); string(got) != string(want) {
				t.Fatalf("%s, description %q:\n got %s\nwant %s", tasks[i].ID, desc, got, want)
			}
			if desc != "" {
				described++
			}
		}
	}
	if len(tasks) < 300 || described < len(tasks)*len(odd)-len(tasks) {
		t.Fatalf("%d tasks, %d with a description", len(tasks), described)
	}
}
