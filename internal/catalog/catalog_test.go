package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/contract"
	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
)

// exampleArgs are arguments a model could send: every path parameter, the required query
// parameters and a body with the required fields, made from the entry's own schemas.
func exampleArgs(e *Entry, n int) map[string]any {
	d := &openapi.Document{}
	args := map[string]any{}
	for _, p := range e.Params {
		if !p.Required {
			continue
		}
		var s any
		_ = json.Unmarshal(p.Schema, &s)
		v := openapi.Example(d, s, p.Name, 0)
		if sm, ok := s.(map[string]any); ok && openapi.Types(sm)["array"] {
			if l, _ := v.([]any); len(l) == 0 {
				v = []any{openapi.Example(d, sm["items"], p.Name, 1)}
			}
		}
		if str, ok := v.(string); ok && p.In == "path" && str != "1" && !strings.Contains(string(p.Schema), `"enum"`) {
			v = str + strconv.Itoa(n)
		}
		if p.In == "path" && fmt.Sprint(v) == "1" {
			v = strconv.Itoa(n) // ids of its own, so one operation's delete leaves the next one's get
			if sm, ok := s.(map[string]any); ok && (openapi.Types(sm)["number"] || openapi.Types(sm)["integer"]) {
				v = json.Number(strconv.Itoa(n))
			}
		}
		if p.Form == "task_id" {
			v = "86b" + strconv.Itoa(n) // a task id in the form the house resolves
		}
		args[p.Name] = v
	}
	if e.Body != nil {
		var s any
		_ = json.Unmarshal(e.Body.Schema, &s)
		body := openapi.Example(d, s, "", 5)
		if m, ok := body.(map[string]any); ok {
			for k, form := range e.Body.Forms {
				if _, has := m[k]; has && form == "task_id" {
					if _, list := m[k].([]any); list {
						m[k] = []any{"86c" + strconv.Itoa(n)}
					} else {
						m[k] = "86c" + strconv.Itoa(n)
					}
				}
			}
		}
		args["body"] = body
		if e.Body.ContentType == multipartType {
			// An upload: the file goes as a part of its own.
			file := map[string]any{"name": "notes.txt", "text": "release notes"}
			args["body"] = map[string]any{"attachment": []any{file}}
			if e.Version == "v3" {
				args["body"] = map[string]any{"filename": "notes.txt", "file": file}
			}
		}
	}
	return args
}

// Every operation: Find locates it by its own words, Describe is small valid JSON, example
// arguments validate and go through Client.Call to the fake's fallback, the request and the
// answer conforming to the spec.
func TestEveryOperation(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ct, err := contract.NewUncached(clickuptest.SpecDocuments()...)
	if err != nil {
		t.Fatal(err)
	}
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(0, time.Minute))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var mu sync.Mutex
	var viol []string
	rt := ct.Transport(http.DefaultTransport, func(err error) { mu.Lock(); viol = append(viol, err.Error()); mu.Unlock() })
	client := clickup.New(clickuptest.DemoToken, clickup.WithBaseURL(srv.URL+"/api"), clickup.WithRateLimit(0),
		clickup.WithHTTPClient(&http.Client{Transport: rt, Timeout: 10 * time.Second}),
		clickup.WithRetryPolicy(clickup.RetryPolicy{MaxRetries: 0}))
	fallback, err := clickuptest.FallbackOperations()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, id := range fallback {
		served[id] = true
	}
	maxDescribe, called := 0, 0
	for i, e := range c.Entries() {
		t.Run(e.ID, func(t *testing.T) {
			found := false
			for _, m := range c.Find(strings.NewReplacer(".", " ", "_", " ").Replace(e.ID), 5) {
				found = found || m.ID == e.ID
			}
			if !found {
				t.Errorf("Find(%q) does not list %s in its first 5", e.ID, e.ID)
			}
			desc, err := c.Describe(e.ID)
			if err != nil || !json.Valid(desc) {
				t.Fatalf("describe: %v %s", err, desc)
			}
			maxDescribe = max(maxDescribe, len(desc))
			if len(desc) > 3600 {
				t.Errorf("describe is %d bytes (about %d tokens), want at most ~900 tokens", len(desc), len(desc)/4)
			}
			args := exampleArgs(e, 8000+i)
			req, err := c.Build(e.ID, args)
			if err != nil {
				t.Fatalf("example args %v: %v", args, err)
			}
			if !served[e.Aliases[0]] {
				return // a hand-written handler, driven with demo data by the contract's conformance test
			}
			called++
			var out json.RawMessage
			if err := client.Call(context.Background(), req.Op, req.Params, req.Body, &out); err != nil {
				t.Errorf("call: %v", err)
			}
			mu.Lock()
			for _, v := range viol {
				t.Error(v)
			}
			viol = nil
			mu.Unlock()
		})
	}
	t.Logf("%d operations, %d called through the fallback; the largest describe is %d bytes", len(c.Entries()), called, maxDescribe)
	// Every operation the fallback serves is called (hand-written ones are
	// driven by the contract's conformance test instead).
	if called < len(fallback)-2 || called < 100 {
		t.Errorf("only %d of %d fallback operations called", called, len(fallback))
	}
}

func TestIDsAreReadableAndAliasesKept(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for alias, want := range map[string]string{"CreateKeyResult": "goals.key_results.create", "GetTeams1": "user_groups.list", "DeleteTeam": "user_groups.delete"} {
		e, err := c.Lookup(alias)
		if err != nil || e.ID != want {
			t.Errorf("%s: %v %v, want %s", alias, e, err, want)
		}
	}
	if _, err := c.Lookup("GetAccessToken"); err == nil {
		t.Error("the OAuth code exchange is not a catalogue operation")
	}
	if _, err := c.Lookup("goals.key_result.creat"); err == nil || !strings.Contains(err.Error(), "goals.key_results.create") {
		t.Errorf("unknown id: %v, want a suggestion", err)
	}
	e, _ := c.Lookup("webhooks.create")
	if e.Area != "webhooks" || e.Kind != "write" {
		t.Errorf("webhooks.create: %+v", e)
	}
	if e, _ := c.Lookup("tasks.tags.add"); e.Anchor != "task" || !e.CustomTaskIDs {
		t.Errorf("tasks.tags.add: anchor %q custom ids %v", e.Anchor, e.CustomTaskIDs)
	}
	if e, _ := c.Lookup("docs.search"); e.Pagination != "cursor" || e.Workspace != "workspace_id" {
		t.Errorf("docs.search: %+v", e)
	}
}

func TestFindRanks(t *testing.T) {
	c, _ := Load()
	for words, want := range map[string]string{
		"create a key result for a goal": "goals.key_results.create",
		"list user groups":               "user_groups.list",
		"start a timer":                  "time_entries.start",
		"search docs":                    "docs.search",
	} {
		got := c.Find(words, 3)
		if len(got) == 0 || got[0].ID != want {
			t.Errorf("Find(%q) = %v, want %s first", words, got, want)
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	c, _ := Load()
	err := c.Validate("goals.create", map[string]any{"team_id": "1", "body": map[string]any{"name": 5}})
	var ia *InvalidArgs
	if !errors.As(err, &ia) {
		t.Fatalf("got %v", err)
	}
	s := ia.Error()
	for _, want := range []string{"body.name", "expected string"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q lacks %q", s, want)
		}
	}
	if err := c.Validate("goals.get", map[string]any{"goal_id": "g", "url": "https://evil.example"}); err == nil || !strings.Contains(err.Error(), "url") {
		t.Errorf("an argument the operation lacks: %v", err)
	}
	if err := c.Validate("goals.get", map[string]any{}); err == nil || !strings.Contains(err.Error(), "goal_id") {
		t.Errorf("a missing path parameter: %v", err)
	}
}

// operations.json is what `go generate ./internal/catalog` makes (skipped without ../shared).
func TestCatalogIsGenerated(t *testing.T) {
	var docs [][]byte
	for _, s := range contract.Specs {
		spec, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "clickup", s.Source))
		if os.IsNotExist(err) {
			t.Skipf("%s is not here (only development and CI have ../shared)", s.Source)
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := contract.GenerateEvery(s, spec, filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	meta, err := os.ReadFile("metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(docs, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, operationsJSON) {
		t.Error("operations.json is stale: run `go generate ./internal/catalog` and commit the result")
	}
}
