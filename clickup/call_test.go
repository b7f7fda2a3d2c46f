package clickup

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCallFillsAndEscapesThePath(t *testing.T) {
	f := setup(t)
	var gotPath, gotQuery, gotBody string
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		writeJSON(w, 200, `{"goal":{"id":"g1"}}`)
	})
	var out struct {
		Goal struct{ ID string } `json:"goal"`
	}
	err := f.client.Call(context.Background(), Operation{"post", "/v2/team/{team_id}/goal"},
		Params{Path: map[string]string{"team_id": "9 0/1"}, Query: url.Values{"statuses[]": {"to do", "done"}, "a": {"x+y"}}},
		map[string]any{"name": "Ship"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/v2/team/9%200%2F1/goal" {
		t.Errorf("path %q: want the value escaped into one segment", gotPath)
	}
	if gotQuery != "a=x%2By&statuses[]=to%20do&statuses[]=done" {
		t.Errorf("query %q", gotQuery)
	}
	if gotBody != `{"name":"Ship"}` || out.Goal.ID != "g1" {
		t.Errorf("body %q, out %+v", gotBody, out)
	}
}

func TestCallReachesV3(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("GET /v3/workspaces/{ws}/docs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"docs":[{"id":"d1"}],"next_cursor":""}`)
	})
	for _, tmpl := range []string{"/api/v3/workspaces/{workspace_id}/docs", "/v3/workspaces/{workspace_id}/docs"} {
		var out json.RawMessage
		if err := f.client.Call(context.Background(), Operation{"GET", tmpl}, Params{Path: map[string]string{"workspace_id": "1"}}, nil, &out); err != nil {
			t.Fatalf("%s: %v", tmpl, err)
		}
		if !strings.Contains(string(out), `"d1"`) {
			t.Errorf("%s: %s", tmpl, out)
		}
	}
}

func TestCallRefusesBadArgumentsWithoutARequest(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s", r.URL) })
	for _, tc := range []struct {
		op   Operation
		path map[string]string
		want string
	}{
		{Operation{"GET", "/v2/goal/{goal_id}"}, nil, "goal_id: missing"},
		{Operation{"GET", "/v2/goal/{goal_id}"}, map[string]string{"goal_id": ""}, "goal_id: missing"},
		{Operation{"GET", "/v2/goal/{goal_id}"}, map[string]string{"goal_id": ".."}, "is not an id"},
		{Operation{"GET", "/v2/goal/{goal_id}"}, map[string]string{"goal_id": "1", "team_id": "2"}, "team_id: not in the template"},
		{Operation{"GET", "https://evil.example/v2/goal"}, nil, "want a ClickUp path template"},
		{Operation{"GET", "/v2/goal/../user"}, nil, "neither a name nor a {placeholder}"},
		{Operation{"GET", "/v2/goal?x=1"}, nil, "neither a name nor a {placeholder}"},
		{Operation{"TRACE", "/v2/user"}, nil, `method "TRACE"`},
	} {
		err := f.client.Call(context.Background(), tc.op, Params{Path: tc.path}, nil, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindInvalid || !strings.Contains(e.Message, tc.want) {
			t.Errorf("%v %v: got %v, want a KindInvalid error saying %q", tc.op, tc.path, err, tc.want)
		}
	}
	if f.hits.Load() != 0 {
		t.Errorf("%d requests sent", f.hits.Load())
	}
}

// A POST that got a 5xx may have been applied: never repeated. A PUT is; a 429 is for any method.
func TestCallKeepsTheRetryRules(t *testing.T) {
	f := setup(t)
	post := counted(f, "POST /v2/team/1/goal", func(n int64, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 502, `{"err":"bad gateway","ECODE":"X"}`)
	})
	put := counted(f, "PUT /v2/goal/g", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n < 3 {
			writeJSON(w, 503, `{"err":"busy","ECODE":"X"}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	limited := counted(f, "PATCH /v3/workspaces/1/chat/messages/m", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("X-RateLimit-Reset", epoch(f.clock.Now().Add(2*time.Second)))
			writeJSON(w, 429, `{"status":429,"message":"Rate limit reached"}`)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ctx := context.Background()
	err := f.client.Call(ctx, Operation{"POST", "/v2/team/{team_id}/goal"}, Params{Path: map[string]string{"team_id": "1"}}, map[string]any{"name": "x"}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUpstream || !e.MaybeApplied || post.Load() != 1 {
		t.Errorf("POST: %v after %d attempts, want one upstream error that may have applied", err, post.Load())
	}
	if err := f.client.Call(ctx, Operation{"PUT", "/v2/goal/{goal_id}"}, Params{Path: map[string]string{"goal_id": "g"}}, map[string]any{}, nil); err != nil || put.Load() != 3 {
		t.Errorf("PUT: %v after %d attempts, want success on the third", err, put.Load())
	}
	var out map[string]any
	err = f.client.Call(ctx, Operation{"PATCH", "/api/v3/workspaces/{workspace_id}/chat/messages/{message_id}"},
		Params{Path: map[string]string{"workspace_id": "1", "message_id": "m"}}, json.RawMessage(`{"content":"hi"}`), &out)
	if err != nil || limited.Load() != 2 || out != nil {
		t.Errorf("PATCH after a 429: %v after %d attempts, out %v; want a 204 on the second", err, limited.Load(), out)
	}
}

func TestCallErrorsAreTypedAndRedacted(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"status":400,"message":"bad token `+r.Header.Get("Authorization")+`"}`)
	})
	err := f.client.Call(context.Background(), Operation{"GET", "/v3/workspaces/{workspace_id}/docs"}, Params{Path: map[string]string{"workspace_id": "1"}}, nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 400 || !strings.Contains(e.Message, "bad token") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), f.token) || strings.Contains(f.logs.String(), f.token) {
		t.Error("the token leaked into the error or the logs")
	}
}
