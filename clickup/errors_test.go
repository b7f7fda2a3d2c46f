package clickup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func asError(err error, target **Error) bool { return errors.As(err, target) }

func TestErrorKinds(t *testing.T) {
	type tc struct {
		status int
		body   string
		kind   Kind
		ecode  string
		msg    string
	}
	cases := []tc{
		{401, `{"err":"Authorization header required","ECODE":"OAUTH_017"}`, KindUnauthorized, "OAUTH_017", "Authorization header required"},
		{401, `{"err":"Token invalid","ECODE":"OAUTH_019"}`, KindUnauthorized, "OAUTH_019", "Token invalid"},
		{401, `{"err":"Token invalid","ECODE":"OAUTH_021"}`, KindUnauthorized, "OAUTH_021", "Token invalid"},
		{401, `{"err":"Token invalid","ECODE":"OAUTH_025"}`, KindUnauthorized, "OAUTH_025", "Token invalid"},
		{401, `{"err":"Authorization revoked","ECODE":"OAUTH_077"}`, KindUnauthorized, "OAUTH_077", "Authorization revoked"},
		{401, `{"err":"Team not authorized","ECODE":"OAUTH_023"}`, KindWorkspaceNotAuthorized, "OAUTH_023", "Team not authorized"},
		{401, `{"err":"Team not authorized","ECODE":"OAUTH_026"}`, KindWorkspaceNotAuthorized, "OAUTH_026", "Team not authorized"},
		{401, `{"err":"Team not authorized","ECODE":"OAUTH_027"}`, KindWorkspaceNotAuthorized, "OAUTH_027", "Team not authorized"},
		{400, `{"err":"Status does not exist","ECODE":"ITEM_114"}`, KindInvalid, "ITEM_114", "Status does not exist"},
		{400, `{"err":"Parent not child of list","ECODE":"ITEM_137"}`, KindInvalid, "ITEM_137", "Parent not child of list"},
		{404, `{"err":"Task not found","ECODE":"ITEM_013"}`, KindNotFound, "ITEM_013", "Task not found"},
		{400, `{"err":"Task not found","ECODE":"ITEM_013"}`, KindNotFound, "ITEM_013", "Task not found"},
		{404, `{"err":"List not found","ECODE":"ITEM_015"}`, KindNotFound, "ITEM_015", "List not found"},
		{429, `{"err":"Rate limit reached","ECODE":"APP_002"}`, KindRateLimited, "APP_002", "Rate limit reached"},
		{400, `{"err":"Max usage for custom task types reached","ECODE":"ITEM_246"}`, KindInvalid, "ITEM_246", "Max usage for custom task types reached"},
		// error/message fallbacks and other shapes
		{400, `{"error":"Name is required","ECODE":"OAUTH_119"}`, KindInvalid, "OAUTH_119", "Name is required"},
		{400, `{"err":"","error":"","message":"Custom field not applicable","ECODE":"FIELD_033"}`, KindInvalid, "FIELD_033", "Custom field not applicable"},
		{404, `{"status":404,"message":"Task not found","trace_id":1,"timestamp":1}`, KindNotFound, "", "Task not found"},
		{400, `{"err":"x","ECODE":12}`, KindInvalid, "12", "x"},
		// statuses without a known code
		{401, `{}`, KindUnauthorized, "", "Unauthorized"},
		{403, ``, KindWorkspaceNotAuthorized, "", "Forbidden"},
		{404, ``, KindNotFound, "", "Not Found"},
		{409, `{"err":"Conflict"}`, KindInvalid, "", "Conflict"},
		{422, `not json`, KindInvalid, "", "not json"},
		{500, `{"err":"Internal error","ECODE":"APP_001"}`, KindUpstream, "APP_001", "Internal error"},
		{502, `<html><body>Bad Gateway</body></html>`, KindUpstream, "", "an HTML error page instead of ClickUp's JSON"},
		{503, ``, KindUpstream, "", "Service Unavailable"},
		{403, `<!DOCTYPE html><title>Access denied</title>`, KindUpstream, "", "an HTML error page instead of ClickUp's JSON"},
		{200, `<html>captive portal</html>`, KindUpstream, "", "an HTML page instead of ClickUp's JSON (a proxy or outage page)"},
		{200, `{"user":{"id":1`, KindDecode, "", "malformed JSON in response: unexpected end of JSON input"},
		{200, ``, KindDecode, "", "malformed JSON in response: empty response body"},
		{200, `{"user":{"id":{}}}`, KindDecode, "", ""},
	}
	for n := 29; n <= 45; n++ {
		code := fmt.Sprintf("OAUTH_%03d", n)
		cases = append(cases, tc{401, `{"err":"Team not authorized","ECODE":"` + code + `"}`, KindWorkspaceNotAuthorized, code, "Team not authorized"})
	}
	// neighbours of the ranges stay what their status says
	cases = append(cases,
		tc{401, `{"err":"x","ECODE":"OAUTH_028"}`, KindUnauthorized, "OAUTH_028", "x"},
		tc{400, `{"err":"x","ECODE":"OAUTH_046"}`, KindInvalid, "OAUTH_046", "x"},
	)
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d_%s_%s", c.status, c.ecode, c.kind), func(t *testing.T) {
			f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
			f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(c.body, "<") {
					w.Header().Set("Content-Type", "text/html")
				}
				w.WriteHeader(c.status)
				fmt.Fprint(w, c.body)
			})
			_, err := f.client.Users.Me(context.Background())
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if ce.Kind != c.kind || ce.ECODE != c.ecode || ce.StatusCode != c.status {
				t.Errorf("got kind=%s ecode=%q status=%d, want %s %q %d", ce.Kind, ce.ECODE, ce.StatusCode, c.kind, c.ecode, c.status)
			}
			if c.msg != "" && ce.Message != c.msg {
				t.Errorf("message = %q, want %q", ce.Message, c.msg)
			}
			if ce.Method != "GET" || ce.Path != "/v2/user" {
				t.Errorf("method/path = %s %s", ce.Method, ce.Path)
			}
			if KindOf(err) != c.kind || !IsKind(err, c.kind) {
				t.Errorf("KindOf = %s", KindOf(err))
			}
			if ce.MaybeApplied {
				t.Errorf("a GET is never MaybeApplied")
			}
			if strings.Contains(err.Error(), f.token) {
				t.Errorf("token in error: %s", err)
			}
		})
	}
}

func TestClassifyTable(t *testing.T) {
	for _, c := range []struct {
		status int
		ecode  string
		want   Kind
	}{
		{401, "OAUTH_017", KindUnauthorized}, {400, "OAUTH_017", KindUnauthorized},
		{401, "OAUTH_019", KindUnauthorized}, {401, "OAUTH_021", KindUnauthorized},
		{401, "OAUTH_025", KindUnauthorized}, {401, "OAUTH_077", KindUnauthorized},
		{401, "OAUTH_023", KindWorkspaceNotAuthorized}, {401, "OAUTH_026", KindWorkspaceNotAuthorized},
		{401, "OAUTH_027", KindWorkspaceNotAuthorized}, {403, "OAUTH_029", KindWorkspaceNotAuthorized},
		{401, "OAUTH_045", KindWorkspaceNotAuthorized}, {401, "OAUTH_046", KindUnauthorized},
		{400, "ITEM_114", KindInvalid}, {400, "ITEM_137", KindInvalid},
		{404, "ITEM_013", KindNotFound}, {401, "ITEM_015", KindNotFound},
		{429, "APP_002", KindRateLimited}, {400, "APP_002", KindRateLimited}, {429, "", KindRateLimited},
		{401, "", KindUnauthorized}, {403, "", KindWorkspaceNotAuthorized}, {404, "", KindNotFound},
		{400, "", KindInvalid}, {405, "", KindInvalid}, {418, "", KindInvalid},
		{500, "", KindUpstream}, {502, "", KindUpstream}, {503, "", KindUpstream}, {504, "", KindUpstream},
		{302, "", KindUpstream},
	} {
		if got := classify(c.status, c.ecode); got != c.want {
			t.Errorf("classify(%d, %q) = %s, want %s", c.status, c.ecode, got, c.want)
		}
	}
}

func TestErrorString(t *testing.T) {
	for _, c := range []struct {
		e    *Error
		want string
	}{
		{&Error{Kind: KindWorkspaceNotAuthorized, StatusCode: 401, ECODE: "OAUTH_027", Message: "Team not authorized", Method: "GET", Path: "/v2/task/9hx"},
			"clickup: GET /v2/task/9hx: 401 OAUTH_027 Team not authorized"},
		{&Error{Kind: KindRateLimited, StatusCode: 429, ECODE: "APP_002", Message: "Rate limit reached", Method: "POST", Path: "/v2/list/1/task", RetryAfter: 42 * time.Second},
			"clickup: POST /v2/list/1/task: 429 APP_002 Rate limit reached (retry after 42s)"},
		{&Error{Kind: KindNetwork, Message: "connection reset by peer", Method: "POST", Path: "/v2/list/1/task", MaybeApplied: true},
			"clickup: POST /v2/list/1/task: network: connection reset by peer (the write may have been applied)"},
		{&Error{Kind: KindInvalid, Message: `invalid id "a/b": contains one of / ? # \`},
			`clickup: invalid: invalid id "a/b": contains one of / ? # \`},
		{&Error{Kind: KindNotFound, StatusCode: 404, Method: "GET", Path: "/v2/list/1"},
			"clickup: GET /v2/list/1: 404"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func TestErrorPathHasNoQuery(t *testing.T) {
	f := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	f.mux.HandleFunc("/v2/task/DEV-1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"err":"Team not authorized","ECODE":"OAUTH_027"}`)
	})
	_, err := f.client.Tasks.Get(context.Background(), Custom("DEV-1", "9011"), &GetTaskOptions{IncludeSubtasks: true})
	want := "clickup: GET /v2/task/DEV-1: 401 OAUTH_027 Team not authorized"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestKindOfForeignErrors(t *testing.T) {
	if KindOf(nil) != "" || KindOf(errors.New("x")) != "" || IsKind(nil, "") {
		t.Error("KindOf of nil or a foreign error must be empty")
	}
	wrapped := fmt.Errorf("tool: %w", &Error{Kind: KindNotFound})
	if !IsKind(wrapped, KindNotFound) {
		t.Error("IsKind must see through wrapping")
	}
}

func TestLongMessageIsOneLine(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"err":"line one\nline two\t`+strings.Repeat("x", 1000)+`"}`)
	})
	_, err := f.client.Users.Me(context.Background())
	if s := err.Error(); strings.ContainsAny(s, "\n\t") || len(s) > 400 {
		t.Errorf("error not squeezed: %q", s)
	}
}
