package clickuptest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/contract"
	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
)

type fallbackRig struct {
	fake   *Server
	client *clickup.Client
	mu     sync.Mutex
	viol   []string
}

func newFallbackRig(t *testing.T, opts ...Option) *fallbackRig {
	t.Helper()
	ct, err := contract.NewUncached(SpecDocuments()...)
	if err != nil {
		t.Fatal(err)
	}
	rig := &fallbackRig{fake: NewDemo(append([]Option{WithRateLimit(0, time.Minute)}, opts...)...)}
	srv := httptest.NewServer(rig.fake)
	t.Cleanup(srv.Close)
	rt := ct.Transport(http.DefaultTransport, func(err error) {
		rig.mu.Lock()
		defer rig.mu.Unlock()
		rig.viol = append(rig.viol, err.Error())
	})
	rig.client = clickup.New(DemoToken, clickup.WithBaseURL(srv.URL+"/api"), clickup.WithRateLimit(0),
		clickup.WithHTTPClient(&http.Client{Transport: rt, Timeout: 10 * time.Second}),
		clickup.WithRetryPolicy(clickup.RetryPolicy{MaxRetries: 0}))
	return rig
}

func (r *fallbackRig) takeViolations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.viol
	r.viol = nil
	return v
}

// exampleArgs are arguments a caller could send to so: every path parameter, the required
// query parameters and a body with the required fields, each synthesized from its schema.
func exampleArgs(so *specOp, n int) (clickup.Params, any) {
	d := so.doc.doc
	p := clickup.Params{Path: map[string]string{}, Query: url.Values{}}
	for _, prm := range so.op.Params {
		if prm.In == "header" || prm.In == "query" && !prm.Required {
			continue
		}
		var vals []string
		v := openapi.Example(d, prm.Schema, prm.Name, 0)
		if arr, ok := v.([]any); ok {
			s, _ := d.Resolve(prm.Schema).(map[string]any)
			if len(arr) == 0 {
				arr = []any{openapi.Example(d, s["items"], prm.Name, 1)}
			}
			for _, x := range arr {
				vals = append(vals, fmt.Sprint(x))
			}
		} else {
			vals = []string{fmt.Sprint(v)}
		}
		if prm.In == "path" {
			if vals[0] == "1" {
				vals[0] = strconv.Itoa(n) // ids of its own, so one operation's delete leaves the next one's get
			}
			p.Path[prm.Name] = vals[0]
		} else {
			p.Query[prm.Name] = vals
		}
	}
	var body any
	if so.op.Body != nil && so.op.Body.ContentType == "application/json" {
		body = openapi.Example(d, so.op.Body.Schema, "", 5) // depth 5: the required fields only
	}
	return p, body
}

// Every operation of both specs without a hand-written handler answers through the fallback,
// with a request and a response that conform to the spec.
func TestFallbackServesEveryOperation(t *testing.T) {
	ops, err := loadSpecs()
	if err != nil {
		t.Fatal(err)
	}
	rig := newFallbackRig(t)
	served := 0
	for i, so := range ops {
		if handWritten(so) {
			continue
		}
		if so.op.Body != nil && so.op.Body.ContentType != "application/json" {
			continue // multipart uploads: Client.Call sends JSON only
		}
		t.Run(so.op.ID, func(t *testing.T) {
			p, body := exampleArgs(so, 7000+i)
			var out json.RawMessage
			err := rig.client.Call(context.Background(), clickup.Operation{Method: so.op.Method, Path: so.op.Path}, p, body, &out)
			if err != nil {
				t.Errorf("%s %s: %v", so.op.Method, so.op.Path, err)
			}
			for _, v := range rig.takeViolations() {
				t.Error(v)
			}
		})
		served++
	}
	ids, _ := FallbackOperations()
	if served < len(ids)-2 || served < 100 {
		t.Errorf("served %d of %d fallback operations", served, len(ids))
	}
	t.Logf("%d operations through the fallback", served)
}

// A create then a get, a list, an update and a delete see one another.
func TestFallbackStoresWhatWasWritten(t *testing.T) {
	rig := newFallbackRig(t)
	ctx := context.Background()
	ws := DemoWorkspaceID
	var created struct {
		Goal struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"goal"`
	}
	err := rig.client.Call(ctx, clickup.Operation{Method: "POST", Path: "/v2/team/{team_id}/goal"},
		clickup.Params{Path: map[string]string{"team_id": ws}},
		map[string]any{"name": "Ship v2", "due_date": 1767258000000, "description": "d", "multiple_owners": true, "owners": []int{1}, "color": "#32a852"}, &created)
	if err != nil {
		t.Fatal(err)
	}
	if created.Goal.ID == "" || created.Goal.Name != "Ship v2" {
		t.Fatalf("created %+v", created)
	}
	get := func() (string, error) {
		var got struct {
			Goal struct {
				Name string `json:"name"`
			} `json:"goal"`
		}
		err := rig.client.Call(ctx, clickup.Operation{Method: "GET", Path: "/v2/goal/{goal_id}"},
			clickup.Params{Path: map[string]string{"goal_id": created.Goal.ID}}, nil, &got)
		return got.Goal.Name, err
	}
	if name, err := get(); err != nil || name != "Ship v2" {
		t.Errorf("get: %q, %v", name, err)
	}
	var list struct {
		Goals []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"goals"`
	}
	if err := rig.client.Call(ctx, clickup.Operation{Method: "GET", Path: "/v2/team/{team_id}/goal"},
		clickup.Params{Path: map[string]string{"team_id": ws}}, nil, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Goals) != 1 || list.Goals[0].ID != created.Goal.ID {
		t.Errorf("list: %+v", list)
	}
	if err := rig.client.Call(ctx, clickup.Operation{Method: "PUT", Path: "/v2/goal/{goal_id}"},
		clickup.Params{Path: map[string]string{"goal_id": created.Goal.ID}},
		map[string]any{"name": "Ship v3", "due_date": 1767258000000, "description": "d", "rem_owners": []int{}, "add_owners": []int{}, "color": "#32a852"}, nil); err != nil {
		t.Fatal(err)
	}
	if name, err := get(); err != nil || name != "Ship v3" {
		t.Errorf("get after update: %q, %v", name, err)
	}
	if err := rig.client.Call(ctx, clickup.Operation{Method: "DELETE", Path: "/v2/goal/{goal_id}"},
		clickup.Params{Path: map[string]string{"goal_id": created.Goal.ID}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	_, err = get()
	var e *clickup.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusNotFound {
		t.Errorf("get after delete: %v, want a 404", err)
	}
	for _, v := range rig.takeViolations() {
		t.Error(v)
	}
	if n := rig.fake.Count("POST /v2/team/{team_id}/goal"); n != 1 {
		t.Errorf("the log counts %d goal creations", n)
	}
}

// A request that breaks the spec gets a 400 in ClickUp's error shape: v2's {err, ECODE}, v3's
// {status, message}.
func TestFallbackRefusesInvalidRequests(t *testing.T) {
	fake := NewDemo(WithRateLimit(0, time.Minute))
	for _, tc := range []struct {
		method, path, body string
		want               string
	}{
		{"POST", "/api/v2/team/" + DemoWorkspaceID + "/goal", `{"name": 5}`, `"ECODE":"INPUT_004"`},
		{"POST", "/api/v2/team/" + DemoWorkspaceID + "/goal", ``, `"ECODE":"INPUT_003"`},
		{"GET", "/api/v2/team/" + DemoWorkspaceID + "/time_entries/123?include_task_tags=maybe", ``, `include_task_tags`},
		{"POST", "/api/v3/workspaces/" + DemoWorkspaceID + "/docs", `{"name": []}`, `"status":400`},
		{"GET", "/api/v3/workspaces/" + DemoWorkspaceID + "/nope", ``, `"status":404`},
	} {
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", DemoToken)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		if rec.Code/100 != 4 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s %s: %d %s, want a 4xx with %s", tc.method, tc.path, rec.Code, rec.Body, tc.want)
		}
	}
}

// The fallback honours the fake's rate limit and fault injection like the hand-written routes.
func TestFallbackHonoursRateLimitsAndFaults(t *testing.T) {
	fake := NewDemo(WithRateLimit(1, time.Hour))
	fake.InjectFault(Fault{Method: "GET", Path: "/v2/team/{team_id}/customroles", Status: 503, Times: 1})
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v2/team/"+DemoWorkspaceID+"/customroles", nil)
		req.Header.Set("Authorization", DemoToken)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		return rec
	}
	if rec := do(); rec.Code != 503 {
		t.Errorf("fault: %d", rec.Code)
	}
	if rec := do(); rec.Code != 200 {
		t.Errorf("first counted request: %d %s", rec.Code, rec.Body)
	}
	if rec := do(); rec.Code != 429 {
		t.Errorf("over the limit: %d", rec.Code)
	}
}

// The fallback's facts are what `go generate ./clickup/clickuptest` makes from ClickUp's specs
// (skipped where ../shared is absent: a user's clone).
func TestFallbackSpecsAreGenerated(t *testing.T) {
	docs := SpecDocuments()
	for i, s := range contract.Specs {
		spec, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "clickup", s.Source))
		if os.IsNotExist(err) {
			t.Skipf("%s is not here (only development and CI have ../shared)", s.Source)
		}
		if err != nil {
			t.Fatal(err)
		}
		want, err := contract.GenerateEvery(s, spec, filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(docs[i], want) {
			t.Errorf("spec/clickup-%s.json is stale: run `go generate ./clickup/clickuptest` and commit the result", s.Version)
		}
	}
}
