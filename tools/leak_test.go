package tools

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/rs/zerolog"
)

// No token in any log line, tool result or error string, across a suite of
// scenarios: every tool, bad arguments, ClickUp errors, faults whose bodies
// echo the token back, an unknown token and a malformed one. Logs are
// captured at debug level, the most verbose the server has.

// lkConnect serves the world to an MCP client with token, every log at
// debug level into logs.
func lkConnect(t *testing.T, w *world, token string, logs *testutil.Buffer) (*harness, *workspace.Deps) {
	t.Helper()
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	zl := zerolog.New(logs).Level(zerolog.DebugLevel).With().Timestamp().Logger()
	d := workspace.NewDeps(workspace.Config{Token: token, BaseURL: srv.URL + "/api", Location: time.UTC, TimezoneSet: true, Now: func() time.Time { return testNow },
		RatePerMinute: 100000, Logger: zl, CallTimeout: time.Second, HTTPClient: &http.Client{Timeout: 500 * time.Millisecond},
		Retry: &clickup.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond}})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}},
		Logger: slog.New(zerolog.NewSlogHandler(zl))})
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, s)
	return &harness{world: w, deps: d, c: c}, d
}

// leaks reports where text shows the token's secret: the whole token, or
// any 8 characters of what follows its "pk_<user>_" prefix (the redacted
// form shows only the last 4).
func leaks(text, token string) string {
	// Look through the spellings a URL or body carries it in too.
	for _, dec := range []func(string) (string, error){url.PathUnescape, unescapeU} {
		if d, err := dec(text); err == nil && d != text {
			if l := leaksLiteral(d, token); l != "" {
				return l
			}
		}
	}
	return leaksLiteral(text, token)
}

// unescapeU undoes JSON's \u00XX escapes.
func unescapeU(s string) (string, error) {
	return regexp.MustCompile(`\\u00[0-9a-fA-F]{2}`).ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.ParseUint(m[2:], 16, 8)
		return string(rune(n))
	}), nil
}

func leaksLiteral(text, token string) string {
	secret := token
	if i := strings.LastIndexByte(token, '_'); i >= 0 {
		secret = token[i+1:]
	}
	if strings.Contains(text, token) {
		return token
	}
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+8]) {
			return secret[i : i+8]
		}
	}
	return ""
}

func TestNoTokenInLogsResultsOrErrors(t *testing.T) {
	w := newWorld(t)
	token := "pk_101_" + strings.ToUpper(strings.ReplaceAll(fmt.Sprintf("%x", time.Now().UnixNano()), "0", "Q")) + "Z7ZSECRETLEAKCHECKVALUE42"
	w.fake.AddToken(token, w.alex, w.ws)
	logs := &testutil.Buffer{}
	h, d := lkConnect(t, w, token, logs)

	var results []string
	call := func(tool string, args map[string]any) {
		text, _ := h.call(t, tool, args, nil)
		results = append(results, tool+": "+text)
	}
	echo := `{"err":"Token ` + token + ` is invalid (Authorization: ` + token + `)","ECODE":"OAUTH_025"}`
	var pct, uesc strings.Builder
	for i := 0; i < len(token); i++ {
		fmt.Fprintf(&pct, "%%%02X", token[i])
		fmt.Fprintf(&uesc, `\u%04x`, token[i])
	}
	echoEncoded := `{"err":"bad request to /v2/user?token=` + pct.String() + ` (` + strings.ReplaceAll(token, "_", "%5F") + `), token ` + uesc.String() + `","ECODE":"OAUTH_025"}`
	scenarios := []struct {
		name  string
		fault *clickuptest.Fault
		run   func()
	}{
		{name: "every tool", run: func() {
			call("clickup_whoami", nil)
			call("clickup_get_workspace_hierarchy", nil)
			call("clickup_list_members", map[string]any{"query": "a"})
			call("clickup_search_tasks", map[string]any{"query": "login", "assignees": []string{"me"}})
			call("clickup_get_task", map[string]any{"task_id": w.loginCustom, "detail": "full"})
			call("clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Leak check", "assignees": []string{"me"}, "tags": []string{"x"}})
			call("clickup_update_task", map[string]any{"task_id": w.logout, "status": "done", "add_tags": []string{"y"}})
			call("clickup_delete_task", map[string]any{"task_id": w.subtask, "dry_run": true})
			call("clickup_get_task_comments", map[string]any{"task_id": w.login})
			call("clickup_create_task_comment", map[string]any{"task_id": w.login, "text": "hi", "assignee": "me"})
		}},
		{name: "bad arguments and ClickUp refusals", run: func() {
			call("clickup_get_task", map[string]any{"task_id": "../x"})
			call("clickup_get_task", map[string]any{"task_id": "zzz999"})
			call("clickup_get_task", map[string]any{"task_id": "secret1"})
			call("clickup_search_tasks", map[string]any{"workspace_id": "9002"})
			call("clickup_create_task", map[string]any{"list_id": w.sprint, "name": "x", "status": "nope"})
			call("clickup_update_task", map[string]any{"task_id": w.login, "add_tags": []string{"../x"}})
		}},
		{name: "401 echoing the token", fault: &clickuptest.Fault{Status: 401, Body: echo, Times: 3}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
		}},
		{name: "500 echoing the token", fault: &clickuptest.Fault{Status: 500, Body: echo, Times: 10}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
			call("clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Leak 500"})
		}},
		{name: "errors echoing the token percent-encoded and JSON-escaped", fault: &clickuptest.Fault{Status: 400, Body: echoEncoded, Times: 10}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
			call("clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Leak encoded"})
		}},
		{name: "short plain-text error echoing the token", fault: &clickuptest.Fault{Status: 502, Body: "bad token " + token, Times: 10}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
		}},
		{name: "HTML page echoing the token", fault: &clickuptest.Fault{Status: 503, Body: "<html>" + token + "</html>", Times: 10}, run: func() {
			call("clickup_update_task", map[string]any{"task_id": w.login, "name": "x"})
		}},
		{name: "429 echoing the token", fault: &clickuptest.Fault{Status: 429, Body: echo, Times: 10, Header: http.Header{"X-Ratelimit-Reset": {fmt.Sprint(time.Now().Add(time.Hour).Unix())}}}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
		}},
		{name: "truncated answer", fault: &clickuptest.Fault{Truncate: true}, run: func() {
			call("clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Leak truncated"})
		}},
		{name: "dropped connection", fault: &clickuptest.Fault{Drop: clickuptest.DropAfterHandling, Times: 10}, run: func() {
			call("clickup_create_task_comment", map[string]any{"task_id": w.login, "text": "dropped"})
		}},
		{name: "hang past the deadline", fault: &clickuptest.Fault{Delay: 5 * time.Second, Times: 10}, run: func() {
			call("clickup_get_task", map[string]any{"task_id": w.login})
		}},
	}
	for _, sc := range scenarios {
		w.fake.ClearFaults()
		if sc.fault != nil {
			w.fake.InjectFault(*sc.fault)
		}
		sc.run()
	}
	w.fake.ClearFaults()

	// Error strings, as Go code sees them, for the same echoing faults.
	sess, err := d.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, f := range []clickuptest.Fault{{Status: 401, Body: echo}, {Status: 500, Body: echo, Times: 5}, {Status: 400, Body: "bad " + token, Times: 5}, {Drop: clickuptest.DropBeforeHandling, Times: 5}} {
		w.fake.InjectFault(f)
		_, err := sess.Client.Tasks.Get(context.Background(), clickup.Native(w.login), nil)
		if err == nil {
			t.Fatalf("fault %+v: no error", f)
		}
		errs = append(errs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), workspace.Explain(err))
		w.fake.ClearFaults()
	}

	// Tokens this server does not know, or cannot send.
	for _, bad := range []string{"pk_999_UNKNOWNTOKENVALUE1234567890ABCD", "pk_999_WITH\nNEWLINE\x00ANDNULSECRETVALUE77"} {
		h2, _ := lkConnect(t, w, bad, logs)
		text, isErr := h2.call(t, "clickup_whoami", nil, nil)
		if !isErr {
			t.Errorf("token %q worked", bad)
		}
		if l := leaks(text, bad); l != "" {
			t.Errorf("the result for a bad token shows %q: %s", l, text)
		}
		if l := leaks(logs.String(), bad); l != "" {
			t.Errorf("the logs show a bad token's %q", l)
		}
	}

	logText := logs.String()
	if !strings.Contains(logText, `"level":"debug"`) || !strings.Contains(logText, "clickup request") {
		t.Fatalf("debug logging was not captured; the check would be vacuous:\n%.500s", logText)
	}
	for _, r := range results {
		if l := leaks(r, token); l != "" {
			t.Errorf("a result shows %q: %.300s", l, r)
		}
	}
	for _, e := range errs {
		if l := leaks(e, token); l != "" {
			t.Errorf("an error string shows %q: %.300s", l, e)
		}
	}
	if l := leaks(logText, token); l != "" {
		i := strings.Index(logText, l)
		t.Errorf("the logs show %q: …%s…", l, logText[max(0, i-200):min(len(logText), i+100)])
	}
	t.Logf("%d results, %d error strings and %d log lines (%d bytes) checked", len(results), len(errs), strings.Count(logText, "\n"), len(logText))
}
