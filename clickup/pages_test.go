package clickup

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// tasksJSON renders a page of n tasks, with last_page when last is "true"
// or "false" (omitted when "").
func tasksJSON(page, n int, last string) string {
	var b strings.Builder
	b.WriteString(`{"tasks":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"p%dt%d","name":"task %d"}`, page, i, i)
	}
	b.WriteString("]")
	if last != "" {
		b.WriteString(`,"last_page":` + last)
	}
	b.WriteString("}")
	return b.String()
}

func TestSearchPages(t *testing.T) {
	for _, c := range []struct {
		name  string
		start int
		sizes []int    // tasks per page, by page number
		last  []string // last_page per page
		want  []int    // pages fetched
	}{
		{"last_page stops", 0, []int{100, 100, 100}, []string{"false", "true", "false"}, []int{0, 1}},
		{"short page stops", 0, []int{100, 40, 100}, []string{"", "", ""}, []int{0, 1}},
		{"empty page stops", 0, []int{100, 100, 0, 100}, []string{"false", "false", "false", "false"}, []int{0, 1, 2}},
		{"empty first page", 0, []int{0}, []string{""}, []int{0}},
		{"starts at opts.Page", 2, []int{100, 100, 100, 7}, []string{"false", "false", "false", "false"}, []int{2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := setup(t)
			f.mux.HandleFunc("GET /v2/team/9011/task", func(w http.ResponseWriter, r *http.Request) {
				p, _ := strconv.Atoi(r.URL.Query().Get("page"))
				if got := r.URL.Query()["statuses[]"]; len(got) != 1 || got[0] != "open" {
					t.Errorf("page %d lost the filters: %q", p, r.URL.RawQuery)
				}
				writeJSON(w, 200, tasksJSON(p, c.sizes[p], c.last[p]))
			})
			opts := &SearchTasksOptions{Page: c.start, Statuses: []string{"open"}}
			var got []int
			for page, err := range f.client.Tasks.SearchPages(context.Background(), "9011", opts) {
				if err != nil {
					t.Fatal(err)
				}
				n, _ := strconv.Atoi(strings.TrimPrefix(strings.Split(string(firstID(page)), "t")[0], "p"))
				if len(page.Tasks) == 0 {
					n = c.start + len(got)
				}
				got = append(got, n)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("pages = %v, want %v", got, c.want)
			}
			if opts.Page != c.start {
				t.Errorf("opts.Page changed to %d", opts.Page)
			}
		})
	}
}

func firstID(p *TaskPage) FlexString {
	if len(p.Tasks) == 0 {
		return ""
	}
	return p.Tasks[0].ID
}

func TestSearchPagesErrorYieldedOnce(t *testing.T) {
	f := setup(t)
	n := counted(f, "GET /v2/team/9011/task", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			writeJSON(w, 200, tasksJSON(0, 100, "false"))
			return
		}
		writeJSON(w, 401, `{"err":"Team not authorized","ECODE":"OAUTH_027"}`)
	})
	var pages, errs int
	for page, err := range f.client.Tasks.SearchPages(context.Background(), "9011", nil) {
		if err != nil {
			errs++
			if page != nil || !IsKind(err, KindWorkspaceNotAuthorized) {
				t.Errorf("page = %v, err = %v", page, err)
			}
			continue // the iterator must stop on its own
		}
		pages++
	}
	if pages != 1 || errs != 1 || n.Load() != 2 {
		t.Errorf("pages = %d, errors = %d, requests = %d", pages, errs, n.Load())
	}
}

func TestSearchPagesCallerBreaks(t *testing.T) {
	f := setup(t)
	n := counted(f, "GET /v2/team/9011/task", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, tasksJSON(int(n-1), 100, "false"))
	})
	for range f.client.Tasks.SearchPages(context.Background(), "9011", nil) {
		break
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestSearchPagesBadTeam(t *testing.T) {
	f := setup(t)
	var errs int
	for _, err := range f.client.Tasks.SearchPages(context.Background(), "../x", nil) {
		if !IsKind(err, KindInvalid) {
			t.Errorf("err = %v", err)
		}
		errs++
	}
	if errs != 1 || f.hits.Load() != 0 {
		t.Errorf("errors = %d, hits = %d", errs, f.hits.Load())
	}
}
