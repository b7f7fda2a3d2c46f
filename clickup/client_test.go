package clickup

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func TestAuthorizationHeader(t *testing.T) {
	for _, c := range []struct {
		token, header, kind string
	}{
		{"pk_12345_ABCDEFGHIJKLMNOPQRSTUVWXYZ", "pk_12345_ABCDEFGHIJKLMNOPQRSTUVWXYZ", "personal"},
		{"61681706_dc747044a6941fc9aa645a4f3bca2ba5", "Bearer 61681706_dc747044a6941fc9aa645a4f3bca2ba5", "oauth"},
		{"Bearer 61681706_dc747044a6941fc9aa645a4f3bca2ba5", "Bearer 61681706_dc747044a6941fc9aa645a4f3bca2ba5", "oauth"},
		{"  pk_1_ABCDEFGHIJKLMNOPQRSTU \n", "pk_1_ABCDEFGHIJKLMNOPQRSTU", "personal"},
	} {
		f := setup(t)
		var got string
		f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
			got = r.Header.Get("Authorization")
			writeJSON(w, 200, `{"user":{}}`)
		})
		c2 := f.another(c.token)
		if _, err := c2.Users.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got != c.header {
			t.Errorf("token %q: Authorization = %q, want %q", c.token, got, c.header)
		}
		if c2.TokenKind() != c.kind {
			t.Errorf("token %q: kind = %q", c.token, c2.TokenKind())
		}
	}
	if k := New("").TokenKind(); k != "none" {
		t.Errorf("empty token kind = %q", k)
	}
}

func TestStandardHeaders(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		for k, want := range map[string]string{
			"Accept":       "application/json",
			"Content-Type": "application/json",
			"User-Agent":   DefaultUserAgent,
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", r.Method, r.URL.Path, k, got, want)
			}
		}
		writeJSON(w, 200, `{}`)
	})
	ctx := context.Background()
	f.client.Users.Me(ctx)
	f.client.Tasks.Create(ctx, "1", &TaskCreate{Name: "x"})
	f.client.Tasks.Delete(ctx, Native("x"))

	g := setup(t, WithUserAgent("my-agent/1.0"))
	g.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); ua != "my-agent/1.0" {
			t.Errorf("User-Agent = %q", ua)
		}
		writeJSON(w, 200, `{"user":{}}`)
	})
	g.client.Users.Me(ctx)
}

func TestBaseURLForms(t *testing.T) {
	f := setup(t)
	var paths []string
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		writeJSON(w, 200, `{"user":{}}`)
	})
	for _, base := range []string{f.base, f.base + "/", f.base + "/v2", f.base + "/v2/"} {
		c := f.another(f.token, WithBaseURL(base))
		if _, err := c.Users.Me(context.Background()); err != nil {
			t.Errorf("base %q: %v", base, err)
		}
	}
	if len(paths) != 4 {
		t.Errorf("paths = %v", paths)
	}
	if New("x").baseURL != "https://api.clickup.com/api" {
		t.Error("default base URL")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345": "pk_…2345",
		"61681706_dc747044a6941fc9aa645a4f3bca2ba5":    "…2ba5",
		"Bearer 61681706_dc747044a6941fc9aa645a4f3bc":  "…f3bc",
		"pk_short": "pk_…",
		"tiny":     "…",
		"":         "",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	c := New("pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
	if c.RedactedToken() != "pk_…2345" {
		t.Errorf("RedactedToken = %q", c.RedactedToken())
	}
}

// TestTokenNeverLeaks drives every error kind and checks the token appears
// in no error string and no log line, while the redacted form does appear in
// the logs.
func TestTokenNeverLeaks(t *testing.T) {
	f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 1}))
	tok := f.token
	f.mux.HandleFunc("/v2/task/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "echo":
			// a server that echoes the header back in its message
			writeJSON(w, 401, `{"err":"Token `+r.Header.Get("Authorization")+` invalid","ECODE":"OAUTH_025"}`)
		case "ws":
			writeJSON(w, 401, `{"err":"Team not authorized","ECODE":"OAUTH_027"}`)
		case "missing":
			writeJSON(w, 404, `{"err":"Task not found","ECODE":"ITEM_013"}`)
		case "bad":
			writeJSON(w, 400, `{"err":"Status does not exist","ECODE":"ITEM_114"}`)
		case "limited":
			writeJSON(w, 429, `{"err":"Rate limit reached","ECODE":"APP_002"}`)
		case "down":
			writeJSON(w, 503, `{"err":"down"}`)
		case "html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			w.Write([]byte("<html>" + tok + "</html>"))
		case "garbled":
			writeJSON(w, 200, `{"id":`)
		case "drop":
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
	})
	ctx := context.Background()
	var errs []error
	for _, id := range []string{"echo", "ws", "missing", "bad", "limited", "down", "html", "garbled", "drop"} {
		_, err := f.client.Tasks.Get(ctx, Native(id), &GetTaskOptions{IncludeSubtasks: true})
		if err == nil {
			t.Errorf("%s: no error", id)
		}
		errs = append(errs, err)
	}
	// network: connection refused, with the token in the query-free URL path
	dead := f.another(tok, WithBaseURL("http://127.0.0.1:1/api"), WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	_, err := dead.Tasks.Get(ctx, Custom("x", "1"), nil)
	if !IsKind(err, KindNetwork) {
		t.Errorf("dead server: %v", err)
	}
	errs = append(errs, err)
	// a token that net/http would refuse to send
	bad := f.another(tok[:10] + "\x01" + tok[10:])
	_, err = bad.Users.Me(ctx)
	if !IsKind(err, KindUnauthorized) {
		t.Errorf("control-char token: %v", err)
	}
	errs = append(errs, err)

	kinds := map[Kind]bool{}
	for _, err := range errs {
		kinds[KindOf(err)] = true
		if s := err.Error(); strings.Contains(s, tok) || strings.Contains(s, tok[3:20]) {
			t.Errorf("token in error: %s", s)
		}
		var ce *Error
		if errors.As(err, &ce) && (strings.Contains(ce.Message, tok) || strings.Contains(ce.Path, "?")) {
			t.Errorf("token or query in fields: %+v", ce)
		}
	}
	for _, k := range []Kind{KindUnauthorized, KindWorkspaceNotAuthorized, KindNotFound, KindInvalid, KindRateLimited, KindUpstream, KindDecode, KindNetwork} {
		if !kinds[k] {
			t.Errorf("kind %s not exercised", k)
		}
	}
	logs := f.logs.String()
	if strings.Contains(logs, tok) || strings.Contains(logs, tok[3:20]) {
		t.Errorf("token in logs:\n%s", logs)
	}
	if strings.Contains(logs, "include_subtasks") || strings.Contains(logs, "team_id") {
		t.Errorf("query string in logs:\n%s", logs)
	}
	if !strings.Contains(logs, Redact(tok)) || !strings.Contains(logs, `"attempt":2`) || !strings.Contains(logs, `"status":503`) {
		t.Errorf("logs lack the redacted token, attempt or status:\n%s", logs)
	}
}

func TestLogLinePerAttempt(t *testing.T) {
	f := setup(t)
	counted(f, "/v2/user", func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			writeJSON(w, 500, `{}`)
			return
		}
		writeJSON(w, 200, `{"user":{}}`)
	})
	if _, err := f.client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(f.logs.String()), "\n")
	var reqs []string
	for _, l := range lines {
		if strings.Contains(l, "clickup request") {
			reqs = append(reqs, l)
		}
	}
	if len(reqs) != 2 {
		t.Fatalf("log lines = %v", lines)
	}
	for _, want := range []string{`"level":"debug"`, `"method":"GET"`, `"path":"/v2/user"`, `"status":500`, `"attempt":1`, `"kind":"upstream"`, `"duration":`} {
		if !strings.Contains(reqs[0], want) {
			t.Errorf("first line lacks %s: %s", want, reqs[0])
		}
	}
	if !strings.Contains(reqs[1], `"status":200`) || !strings.Contains(reqs[1], `"attempt":2`) {
		t.Errorf("second line: %s", reqs[1])
	}
}

func TestSilentByDefault(t *testing.T) {
	// New without WithLogger must not write anywhere; zerolog.Nop is the
	// default, so this just guards against a global logger creeping in.
	c := New("pk_x")
	if c.log.GetLevel() != zerolog.Disabled {
		t.Errorf("default logger level = %v", c.log.GetLevel())
	}
}

func TestConcurrentUse(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/task/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "50")
		w.Header().Set("X-RateLimit-Reset", epoch(time.Now().Add(time.Minute)))
		writeJSON(w, 200, `{"id":"`+r.PathValue("id")+`"}`)
	})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			c := f.client
			if i%2 == 0 {
				c = f.another(f.token)
			}
			id := string(rune('a' + i))
			task, err := c.Tasks.Get(context.Background(), Native(id), nil)
			if err != nil || string(task.ID) != id {
				t.Errorf("task %s: %v %v", id, task, err)
			}
			c.RateState()
		})
	}
	wg.Wait()
}

func TestBadBaseURL(t *testing.T) {
	c := New(testToken(t), WithBaseURL("::not a url"), WithClock(newFakeClock()))
	_, err := c.Tasks.Get(context.Background(), Custom("x", "12345"), nil)
	if !IsKind(err, KindInvalid) || strings.Contains(err.Error(), "12345") {
		t.Errorf("err = %v", err)
	}
}
