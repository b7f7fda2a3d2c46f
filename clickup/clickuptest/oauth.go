package clickuptest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

type oauthApp struct {
	secret    string
	redirects []string
}

type oauthCode struct {
	clientID   string
	userID     int64
	workspaces []string
	expires    time.Time
}

// AddOAuthApp registers an OAuth app. With redirectURIs, the authorization
// page accepts only a redirect_uri that starts with one of them (ClickUp
// checks the app's registered redirect URL); without, any.
func (s *Server) AddOAuthApp(clientID, secret string, redirectURIs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps[clientID] = &oauthApp{secret: secret, redirects: slices.Clone(redirectURIs)}
}

// IssueOAuthCode mints a single-use authorization code, as if userID had
// approved the app for workspaceIDs (none = every Workspace the user is in).
// The app is registered with clientSecret if it is not already.
func (s *Server) IssueOAuthCode(clientID, clientSecret string, userID int64, workspaceIDs ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apps[clientID] == nil {
		s.apps[clientID] = &oauthApp{secret: clientSecret}
	}
	return s.issueCodeLocked(clientID, userID, workspaceIDs)
}

func (s *Server) issueCodeLocked(clientID string, userID int64, workspaceIDs []string) string {
	code := strings.ToUpper(s.randAlnum(32, false))
	s.codes[code] = &oauthCode{clientID: clientID, userID: userID, workspaces: slices.Clone(workspaceIDs), expires: s.now().Add(s.codeTTL)}
	return code
}

// SetOAuthConsent sets how the authorization page answers.
func (s *Server) SetOAuthConsent(c OAuthConsent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.WorkspaceIDs = slices.Clone(c.WorkspaceIDs)
	s.consent = c
}

// oauthToken exchanges a code: POST /v2/oauth/token with client_id,
// client_secret and code as JSON, a form, or query parameters.
//
// ClickUp documents OAUTH_010 for an unknown client; the fake also answers
// it for a wrong secret. For a bad, used, expired or foreign code the real
// code is undocumented: the fake answers 400 OAUTH_014 "Code not found".
func (c *call) oauthToken() *response {
	get := func(k string) string { return first(c.q[k]) }
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch {
	case ct == "application/x-www-form-urlencoded":
		if form, err := url.ParseQuery(string(c.body)); err == nil {
			get = func(k string) string {
				if v := form.Get(k); v != "" {
					return v
				}
				return first(c.q[k])
			}
		}
	case len(strings.TrimSpace(string(c.body))) > 0:
		var m map[string]any
		if err := json.Unmarshal(c.body, &m); err != nil {
			return errResp(http.StatusBadRequest, "Body must be a JSON object", "INPUT_001")
		}
		get = func(k string) string {
			if v, ok := m[k]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return first(c.q[k])
		}
	}
	s := c.s
	app := s.apps[get("client_id")]
	if app == nil || app.secret != get("client_secret") {
		return errResp(http.StatusBadRequest, "Client not found", "OAUTH_010")
	}
	code := s.codes[get("code")]
	if code == nil || code.clientID != get("client_id") || !s.now().Before(code.expires) {
		return errResp(http.StatusBadRequest, "Code not found", "OAUTH_014")
	}
	delete(s.codes, get("code")) // single use
	if s.users[code.userID] == nil {
		return errResp(http.StatusBadRequest, "Code not found", "OAUTH_014")
	}
	token := fmt.Sprintf("%d_%s", code.userID, s.randAlnum(40, false))
	s.tokens[token] = &tokenRec{userID: code.userID, workspaces: code.workspaces}
	return jsonResp(200, map[string]string{"access_token": token})
}

// oauthAuthorize plays app.clickup.com/api: the page where a user approves
// an app. It approves (or denies) at once per SetOAuthConsent and redirects
// to redirect_uri with code and state, or error=access_denied and state.
func (c *call) oauthAuthorize() *response {
	s := c.s
	clientID := first(c.q["client_id"])
	app := s.apps[clientID]
	if app == nil {
		return errResp(http.StatusBadRequest, "Client not found", "OAUTH_010")
	}
	redirect := first(c.q["redirect_uri"])
	if redirect == "" {
		return errResp(http.StatusBadRequest, "Redirect URI not passed", "OAUTH_017")
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return errResp(http.StatusBadRequest, "Redirect URI not registered", "OAUTH_007")
	}
	if len(app.redirects) > 0 && !slices.ContainsFunc(app.redirects, func(r string) bool { return strings.HasPrefix(redirect, r) }) {
		return errResp(http.StatusBadRequest, "Redirect URI not registered", "OAUTH_007")
	}
	q := u.Query()
	if st := first(c.q["state"]); st != "" {
		q.Set("state", st)
	}
	if s.consent.Deny || s.users[s.consent.UserID] == nil {
		q.Set("error", "access_denied")
	} else {
		q.Set("code", s.issueCodeLocked(clientID, s.consent.UserID, s.consent.WorkspaceIDs))
	}
	u.RawQuery = q.Encode()
	return &response{status: http.StatusFound, location: u.String()}
}
