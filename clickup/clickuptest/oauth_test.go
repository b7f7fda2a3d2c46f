package clickuptest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOAuthTokenExchange(t *testing.T) {
	w := newWorld(t)
	w.AddOAuthApp("app1", "s3cret")
	code := w.IssueOAuthCode("app1", "s3cret", annID, wsDev)
	body := map[string]any{"client_id": "app1", "client_secret": "s3cret", "code": code}

	r := w.call(t, "POST", "/api/v2/oauth/token", "", body)
	expect(t, r, 200, "")
	tok, _ := r.json(t)["access_token"].(string)
	if tok == "" || len(r.json(t)) != 1 {
		t.Fatalf("response = %s", r.body)
	}
	// The token works raw and as Bearer, for the chosen Workspace only.
	expect(t, w.call(t, "GET", "/api/v2/user", tok, nil), 200, "")
	expect(t, w.call(t, "GET", "/api/v2/team/"+wsDev+"/space", "Bearer "+tok, nil), 200, "")
	// Single use.
	expect(t, w.call(t, "POST", "/api/v2/oauth/token", "", body), 400, "OAUTH_014")

	// Form encoding, and a grant limited to one of two Workspaces.
	w.AddWorkspace(Workspace{ID: "300", Name: "Ann's side project", MemberIDs: []int64{annID}})
	code = w.IssueOAuthCode("app1", "s3cret", annID, "300")
	req, _ := http.NewRequest("POST", w.srv.URL+"/v2/oauth/token", strings.NewReader(url.Values{
		"client_id": {"app1"}, "client_secret": {"s3cret"}, "code": {code}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("form exchange: %v %v", err, resp)
	}
	resp.Body.Close()
	teams := func(token string) int {
		return len(w.call(t, "GET", "/api/v2/team", token, nil).json(t)["teams"].([]any))
	}
	if n := teams(annTok); n != 2 {
		t.Errorf("personal token sees %d workspaces, want 2", n)
	}
	if n := teams(tok); n != 1 {
		t.Errorf("OAuth token sees %d workspaces, want 1", n)
	}
	expect(t, w.call(t, "GET", "/api/v2/team/300/space", tok, nil), 401, "OAUTH_027")

	// Query parameters work too (ClickUp's older docs send them that way).
	code = w.IssueOAuthCode("app1", "s3cret", annID)
	expect(t, w.call(t, "POST", "/api/v2/oauth/token"+q("client_id", "app1", "client_secret", "s3cret", "code", code), "", nil), 200, "")
}

func TestOAuthTokenErrors(t *testing.T) {
	w := newWorld(t, WithOAuthCodeTTL(time.Minute))
	w.AddOAuthApp("app1", "s3cret")
	w.AddOAuthApp("app2", "other")
	code := w.IssueOAuthCode("app1", "s3cret", annID)
	tests := []struct {
		name  string
		body  map[string]any
		ecode string
	}{
		{"unknown client", map[string]any{"client_id": "nope", "client_secret": "s3cret", "code": code}, "OAUTH_010"},
		{"wrong secret", map[string]any{"client_id": "app1", "client_secret": "bad", "code": code}, "OAUTH_010"},
		{"missing client", map[string]any{"code": code}, "OAUTH_010"},
		{"unknown code", map[string]any{"client_id": "app1", "client_secret": "s3cret", "code": "NOPE"}, "OAUTH_014"},
		{"another app's code", map[string]any{"client_id": "app2", "client_secret": "other", "code": code}, "OAUTH_014"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, w.call(t, "POST", "/api/v2/oauth/token", "", tc.body), 400, tc.ecode)
		})
	}
	// The failures above did not use the code up; expiry does.
	w.clock.Advance(61 * time.Second)
	expect(t, w.call(t, "POST", "/api/v2/oauth/token", "", map[string]any{"client_id": "app1", "client_secret": "s3cret", "code": code}), 400, "OAUTH_014")
	code = w.IssueOAuthCode("app1", "s3cret", annID)
	w.clock.Advance(59 * time.Second)
	expect(t, w.call(t, "POST", "/api/v2/oauth/token", "", map[string]any{"client_id": "app1", "client_secret": "s3cret", "code": code}), 200, "")
}

func TestOAuthAuthorizePage(t *testing.T) {
	w := newWorld(t)
	w.AddOAuthApp("app1", "s3cret", "http://localhost:8080/callback")
	w.SetOAuthConsent(OAuthConsent{UserID: annID, WorkspaceIDs: []string{wsDev}})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	authorize := func(query string) *http.Response {
		t.Helper()
		resp, err := noRedirect.Get(w.srv.URL + "/api" + query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := authorize(q("client_id", "app1", "redirect_uri", "http://localhost:8080/callback?x=1", "state", "xyz"))
	if resp.StatusCode != 302 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Host != "localhost:8080" || loc.Path != "/callback" || loc.Query().Get("state") != "xyz" || loc.Query().Get("x") != "1" || loc.Query().Get("code") == "" {
		t.Fatalf("Location = %s", loc)
	}
	r := w.call(t, "POST", "/api/v2/oauth/token", "", map[string]any{"client_id": "app1", "client_secret": "s3cret", "code": loc.Query().Get("code")})
	expect(t, r, 200, "")
	expect(t, w.call(t, "GET", "/api/v2/team/"+wsDev+"/space", r.json(t)["access_token"].(string), nil), 200, "")

	w.SetOAuthConsent(OAuthConsent{UserID: annID, Deny: true})
	resp = authorize(q("client_id", "app1", "redirect_uri", "http://localhost:8080/callback", "state", "s2"))
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "s2" || loc.Query().Has("code") {
		t.Errorf("denied: %d %s", resp.StatusCode, loc)
	}
	for query, ecode := range map[string]string{
		q("client_id", "nope", "redirect_uri", "http://localhost:8080/callback"): "OAUTH_010",
		q("client_id", "app1"): "OAUTH_017",
		q("client_id", "app1", "redirect_uri", "https://evil.example.com/callback"): "OAUTH_007",
	} {
		expect(t, w.call(t, "GET", "/api"+query, "", nil), 400, ecode)
	}
}
