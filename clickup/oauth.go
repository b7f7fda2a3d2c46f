package clickup

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"
)

// The steps of CompleteOAuth, named in its OAuthStepError.
const (
	OAuthStepExchange   = "exchange"   // POST /v2/oauth/token
	OAuthStepUser       = "user"       // GET /v2/user
	OAuthStepWorkspaces = "workspaces" // GET /v2/team
)

// OAuthSignIn is what a completed ClickUp sign-in yields: the access token,
// whom it belongs to and the workspaces it was authorized for.
type OAuthSignIn struct {
	AccessToken string
	User        *User
	Workspaces  []Team
}

// OAuthStepError says which step of CompleteOAuth failed (one of the
// OAuthStep constants). Its message is the step's error's, which it wraps.
type OAuthStepError struct {
	Step string
	Err  error
}

func (e *OAuthStepError) Error() string { return e.Err.Error() }
func (e *OAuthStepError) Unwrap() error { return e.Err }

// CompleteOAuth finishes ClickUp's authorization-code flow, for both
// `clickup-mcp auth login` and the OAuth server: it exchanges code for an
// access token, then asks ClickUp whom the token belongs to and which
// workspaces it reaches. opts (base URL, HTTP client, user agent) configure
// both clients. The exchange is one unpaced call: the empty token's rate
// budget would be shared by every exchange in the process.
func CompleteOAuth(ctx context.Context, clientID, clientSecret, code string, opts ...Option) (*OAuthSignIn, error) {
	anon := New("", append(slices.Clip(opts), WithRateLimit(0))...)
	access, err := anon.OAuth.ExchangeCode(ctx, clientID, clientSecret, code)
	if err != nil {
		return nil, &OAuthStepError{Step: OAuthStepExchange, Err: err}
	}
	c := New(access, opts...)
	me, err := c.Users.Me(ctx)
	if err != nil {
		return nil, &OAuthStepError{Step: OAuthStepUser, Err: err}
	}
	teams, err := c.Workspaces.List(ctx)
	if err != nil {
		return nil, &OAuthStepError{Step: OAuthStepWorkspaces, Err: err}
	}
	return &OAuthSignIn{AccessToken: access, User: me, Workspaces: teams}, nil
}

// ConsentError GETs ClickUp's consent page URL without following redirects
// and, when ClickUp answers a JSON error with an ECODE instead of the page
// (OAUTH_007: redirect URI not registered; OAUTH_010: unknown app), returns
// that code and message. Anything else (the real page is an HTML app; a
// network error) gives "", "": the browser handles it.
func ConsentError(ctx context.Context, hc *http.Client, consentURL string) (ecode, msg string) {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, consentURL, nil)
	if err != nil {
		return "", ""
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", ""
	}
	defer resp.Body.Close()
	if resp.StatusCode < 400 {
		return "", ""
	}
	var body struct {
		Err     string `json:"err"`
		Error   string `json:"error"`
		Message string `json:"message"`
		ECODE   string `json:"ECODE"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body) != nil || body.ECODE == "" {
		return "", ""
	}
	for _, m := range []string{body.Err, body.Error, body.Message} {
		if m != "" {
			return body.ECODE, m
		}
	}
	return body.ECODE, ""
}
