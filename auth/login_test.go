package auth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

const (
	clientID     = "TESTCLIENT01"
	clientSecret = "test-client-secret-0123456789"
)

// clock is a settable clock for the fake (code expiry).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// userSeq gives each fixture its own user, so the fakes (which mint tokens
// from a fixed seed) hand out distinct tokens and parallel tests do not
// share a client-side rate budget.
var userSeq atomic.Int64

type fixture struct {
	fake   *clickuptest.Server
	api    string // the fake's root; it also serves the authorization page at /api
	clock  *clock
	store  *Store
	out    *testutil.Buffer
	userID int64
}

// newFixture is a fake ClickUp with user Ann in workspaces Dev and Ops, an
// OAuth app, and a consent page that approves Dev only.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 10, 14, 30, 0, 0, time.UTC)}
	fake := clickuptest.New(clickuptest.WithClock(clk.Now), clickuptest.WithRateLimit(100000, time.Minute))
	uid := 7000 + userSeq.Add(1)
	fake.AddUser(clickuptest.User{ID: uid, Username: "Ann Lee", Email: "ann@example.test"})
	fake.AddWorkspace(clickuptest.Workspace{ID: "100", Name: "Dev", MemberIDs: []int64{uid}})
	fake.AddWorkspace(clickuptest.Workspace{ID: "200", Name: "Ops", MemberIDs: []int64{uid}})
	fake.AddOAuthApp(clientID, clientSecret, "http://127.0.0.1:")
	fake.SetOAuthConsent(clickuptest.OAuthConsent{UserID: uid, WorkspaceIDs: []string{"100"}})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &fixture{fake: fake, api: srv.URL + "/api", clock: clk, store: NewStore(t.TempDir()), out: &testutil.Buffer{}, userID: uid}
}

func (f *fixture) options(b *browser) LoginOptions {
	o := LoginOptions{
		ClientID: clientID, ClientSecret: clientSecret,
		RedirectURI: "http://127.0.0.1:0/callback",
		AuthURL:     f.api, APIURL: f.api,
		Timeout: 10 * time.Second, // a backstop: every test ends long before
		Store:   f.store, Out: f.out,
	}
	if b != nil {
		o.Open = b.open
	}
	return o
}

// visit is what the simulated browser saw at the end.
type visit struct {
	status int
	body   string
	url    *url.URL // the last URL requested
	err    error
}

// browser plays the user's browser: it follows the authorization URL to
// the fake's consent page and on through its redirect to the callback.
// tamper may change the redirect to the callback before it is followed.
type browser struct {
	tamper func(u *url.URL)
	seen   chan visit
	opened atomic.Int32
}

func newBrowser(tamper func(*url.URL)) *browser {
	return &browser{tamper: tamper, seen: make(chan visit, 1)}
}

func (b *browser) open(authURL string) error {
	b.opened.Add(1)
	go func() {
		// A transport of its own: CloseIdleConnections on the shared default
		// transport would break other parallel tests' connections.
		c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if b.tamper != nil {
				b.tamper(req.URL)
			}
			return nil
		}}
		defer c.CloseIdleConnections()
		resp, err := c.Get(authURL)
		if err != nil {
			b.seen <- visit{err: err}
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		b.seen <- visit{status: resp.StatusCode, body: string(body), url: resp.Request.URL}
	}()
	return nil
}

func (b *browser) wait(t *testing.T) visit {
	t.Helper()
	select {
	case v := <-b.seen:
		if v.err != nil {
			t.Fatalf("browser: %v", v.err)
		}
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("the browser never finished")
	}
	return visit{}
}

// noSecrets fails if any text holds one of the secrets.
func noSecrets(t *testing.T, secrets []string, texts ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, x := range texts {
			if strings.Contains(x, s) {
				t.Errorf("a secret (%s) leaked into %q", clickup.Redact(s), x)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestLoginEndToEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var code string
	b := newBrowser(func(u *url.URL) {
		if u.Port() != "" && u.Path == "/callback" {
			code = u.Query().Get("code")
		}
	})
	tok, err := Login(context.Background(), f.options(b))
	if err != nil {
		t.Fatal(err)
	}
	v := b.wait(t)
	if v.status != 200 || !strings.Contains(v.body, "Signed in to ClickUp") || !strings.Contains(v.body, "Dev (100)") {
		t.Errorf("callback page: %d %s", v.status, v.body)
	}
	if v.url.Hostname() != "127.0.0.1" || code == "" {
		t.Errorf("callback at %s, code seen %v", v.url.Host, code != "")
	}
	if tok.User.ID != f.userID || tok.User.Username != "Ann Lee" || len(tok.Workspaces) != 1 || tok.Workspaces[0] != (Workspace{ID: "100", Name: "Dev"}) {
		t.Errorf("token grants: %+v %+v", tok.User, tok.Workspaces)
	}
	if tok.Kind() != "oauth" || tok.ClientID != clientID {
		t.Errorf("kind %s client %s", tok.Kind(), tok.ClientID)
	}

	// Stored, owner-only, and the same token.
	stored, err := f.store.Load()
	if err != nil || stored.Value() != tok.Value() {
		t.Fatalf("stored: %v", err)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, f.store.Path()); m != 0o600 {
			t.Errorf("token file mode %04o", m)
		}
		if m := mode(t, f.store.Dir()); m != 0o700 {
			t.Errorf("dir mode %04o", m)
		}
	}
	// The token works, for the workspace that was ticked and no other.
	teams, err := clickup.New(tok.Value(), clickup.WithBaseURL(f.api)).Workspaces.List(context.Background())
	if err != nil || len(teams) != 1 || string(teams[0].ID) != "100" {
		t.Errorf("teams with the new token: %v %v", teams, err)
	}
	// The URL printed is ClickUp's page with the app, the loopback redirect
	// and a state.
	out := f.out.String()
	m := regexp.MustCompile(`(?m)^  (\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no URL in the output:\n%s", out)
	}
	au, _ := url.Parse(m[1])
	q := au.Query()
	if !strings.HasPrefix(m[1], f.api+"?") || q.Get("client_id") != clientID || len(q.Get("state")) < 32 ||
		!strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") || !strings.HasSuffix(q.Get("redirect_uri"), "/callback") {
		t.Errorf("authorization URL %s", m[1])
	}
	noSecrets(t, []string{tok.Value(), clientSecret, code}, out, v.body)

	// The callback server is gone.
	ru, _ := url.Parse(q.Get("redirect_uri"))
	if c, err := net.DialTimeout("tcp", ru.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("callback server still listening on %s", ru.Host)
	}
}

// failedLogin runs a sign-in that must fail, and returns the error and
// what the browser saw. Nothing may be stored and no secret may leak.
func failedLogin(t *testing.T, f *fixture, o LoginOptions, b *browser, secrets ...string) (visit, error) {
	t.Helper()
	tok, err := Login(context.Background(), o)
	if err == nil {
		t.Fatalf("Login succeeded (%v), want an error", tok)
	}
	t.Logf("error: %v", err)
	var v visit
	if b != nil && b.opened.Load() > 0 {
		v = b.wait(t)
	}
	var ae *Error
	if !errors.As(err, &ae) || ae.Fix == "" {
		t.Errorf("error %q is not an *Error with a fix", err)
	}
	if _, lerr := f.store.Load(); !errors.Is(lerr, ErrNotStored) {
		t.Errorf("a token was stored after a failed sign-in (%v)", lerr)
	}
	noSecrets(t, append(secrets, clientSecret), errText(err), f.out.String(), v.body)
	return v, err
}

func TestLoginRejectsAWrongState(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var code string
	b := newBrowser(func(u *url.URL) {
		if u.Path == "/callback" {
			q := u.Query()
			code = q.Get("code")
			q.Set("state", "forged-state")
			u.RawQuery = q.Encode()
		}
	})
	v, err := failedLogin(t, f, f.options(b), b)
	if !errors.Is(err, ErrStateMismatch) || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("err = %v", err)
	}
	if v.status != http.StatusBadRequest || !strings.Contains(v.body, "does not match") {
		t.Errorf("page: %d %s", v.status, v.body)
	}
	if n := f.fake.Count("POST /v2/oauth/token"); n != 0 {
		t.Errorf("a forged callback reached the token exchange (%d calls)", n)
	}
	noSecrets(t, []string{code}, errText(err), f.out.String(), v.body)
}

func TestLoginRejectsAReusedCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var first string
	b1 := newBrowser(func(u *url.URL) {
		if u.Path == "/callback" {
			first = u.Query().Get("code")
		}
	})
	if _, err := Login(context.Background(), f.options(b1)); err != nil {
		t.Fatal(err)
	}
	b1.wait(t)
	if err := f.store.Delete(); err != nil {
		t.Fatal(err)
	}
	// A second sign-in that gets the first one's (spent) code back, with
	// its own valid state.
	b2 := newBrowser(func(u *url.URL) {
		if u.Path == "/callback" {
			q := u.Query()
			q.Set("code", first)
			u.RawQuery = q.Encode()
		}
	})
	v, err := failedLogin(t, f, f.options(b2), b2, first)
	if !errors.Is(err, ErrCodeRejected) || !strings.Contains(err.Error(), "already used or has expired") {
		t.Errorf("err = %v", err)
	}
	if v.status != http.StatusBadRequest || !strings.Contains(v.body, "Sign-in failed") {
		t.Errorf("page: %d %s", v.status, v.body)
	}
}

func TestLoginRejectsAnExpiredCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var code string
	b := newBrowser(func(u *url.URL) {
		if u.Path == "/callback" {
			code = u.Query().Get("code")
			f.clock.Advance(11 * time.Minute) // the user wandered off
		}
	})
	_, err := failedLogin(t, f, f.options(b), b)
	if !errors.Is(err, ErrCodeRejected) || !strings.Contains(err.Error(), "OAUTH_014") {
		t.Errorf("err = %v", err)
	}
	noSecrets(t, []string{code}, errText(err), f.out.String())
}

func TestLoginReportsDeniedConsent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.SetOAuthConsent(clickuptest.OAuthConsent{UserID: f.userID, Deny: true})
	b := newBrowser(nil)
	v, err := failedLogin(t, f, f.options(b), b)
	if !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "declined") {
		t.Errorf("err = %v", err)
	}
	if v.status != http.StatusForbidden || !strings.Contains(v.body, "declined") {
		t.Errorf("page: %d %s", v.status, v.body)
	}
	if v.url.Query().Get("error") != "access_denied" {
		t.Errorf("callback URL %s", v.url)
	}
}

func TestLoginReportsNoWorkspaceTicked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// A user in no workspace at all: /v2/team comes back empty.
	lone := f.fake.AddUser(clickuptest.User{ID: f.userID + 500000, Username: "Lone"})
	f.fake.SetOAuthConsent(clickuptest.OAuthConsent{UserID: lone.ID})
	b := newBrowser(nil)
	_, err := failedLogin(t, f, f.options(b), b)
	if !errors.Is(err, ErrNoWorkspace) || !strings.Contains(err.Error(), "tick at least one workspace") {
		t.Errorf("err = %v", err)
	}
}

func TestLoginExplainsOAuthAppErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		setup      func(f *fixture, o *LoginOptions)
		wantECODE  string
		wantText   string
		wantOpened bool
	}{
		{"wrong secret, found at the exchange", func(f *fixture, o *LoginOptions) { o.ClientSecret = "not-the-secret-0123456789" },
			"OAUTH_010", "--client-secret", true},
		{"unknown client, found on the authorization page", func(f *fixture, o *LoginOptions) { o.ClientID = "NOSUCHAPP" },
			"OAUTH_010", "--client-id", false},
		{"redirect URL not registered", func(f *fixture, o *LoginOptions) {
			f.fake.AddOAuthApp("STRICTAPP", clientSecret, "http://127.0.0.1:1/registered")
			o.ClientID = "STRICTAPP"
		}, "OAUTH_007", "--redirect-uri", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			b := newBrowser(nil)
			o := f.options(b)
			tc.setup(f, &o)
			_, err := failedLogin(t, f, o, b, o.ClientSecret)
			var ae *Error
			if !errors.As(err, &ae) || ae.ECODE != tc.wantECODE || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %v, want %s mentioning %s", err, tc.wantECODE, tc.wantText)
			}
			if got := b.opened.Load() > 0; got != tc.wantOpened {
				t.Errorf("browser opened: %v, want %v", got, tc.wantOpened)
			}
		})
	}
}

func TestLoginTimesOutCleanly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := f.options(nil) // nobody opens the URL
	o.Timeout = 50 * time.Millisecond
	start := time.Now()
	_, err := failedLogin(t, f, o, nil)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "OAUTH_007") || !strings.Contains(err.Error(), "--timeout") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestLoginCancelled(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	o := f.options(nil)
	o.Open = func(string) error { cancel(); return nil } // Ctrl-C right away
	_, err := Login(ctx, o)
	if !errors.Is(err, context.Canceled) || !strings.Contains(errText(err), "cancelled") {
		t.Errorf("err = %v", err)
	}
}

func TestLoginKeepsGoingWhenNoBrowserOpens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := newBrowser(nil)
	o := f.options(nil)
	// The desktop cannot open it; the user copies the URL by hand.
	o.Open = func(u string) error { b.open(u); return ErrNoDesktop }
	if _, err := Login(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	b.wait(t)
	if !strings.Contains(f.out.String(), "Could not open a browser") || !strings.Contains(f.out.String(), "ssh -L") {
		t.Errorf("output:\n%s", f.out)
	}
}

func TestLoginArgumentErrors(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := []struct {
		name string
		edit func(o *LoginOptions)
		want string
	}{
		{"no client id", func(o *LoginOptions) { o.ClientID = "" }, "Create an App"},
		{"no secret", func(o *LoginOptions) { o.ClientSecret = "" }, "CLICKUP_OAUTH_CLIENT_SECRET"},
		{"remote redirect", func(o *LoginOptions) { o.RedirectURI = "http://example.com:8976/callback" }, "127.0.0.1 only"},
		{"https redirect", func(o *LoginOptions) { o.RedirectURI = "https://127.0.0.1:8976/callback" }, "must look like"},
		{"port in use", func(o *LoginOptions) { o.RedirectURI = "http://" + busy.Addr().String() + "/callback" }, "cannot listen"},
		{"bad auth URL", func(o *LoginOptions) { o.AuthURL = "ftp://x" }, "--auth-url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			o := f.options(nil)
			tc.edit(&o)
			_, err := Login(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestCallbackHandlesOneSignInOnly(t *testing.T) {
	t.Parallel()
	results := make(chan result, 1)
	h := &callback{o: &LoginOptions{}, ctx: context.Background(), path: "/callback", state: "S", results: results}
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec
	}
	if rec := get("/favicon.ico"); rec.Code != http.StatusNotFound {
		t.Errorf("favicon: %d", rec.Code)
	}
	rec := get("/callback?state=S&error=access_denied")
	if rec.Code != http.StatusForbidden || rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("first callback: %d %v", rec.Code, rec.Header())
	}
	if r := <-results; !errors.Is(r.err, ErrAccessDenied) {
		t.Errorf("result %v", r.err)
	}
	if rec := get("/callback?state=S&code=X"); rec.Code != http.StatusConflict {
		t.Errorf("second callback: %d", rec.Code)
	}
	// Messages are escaped into the page.
	h2 := &callback{o: &LoginOptions{}, ctx: context.Background(), path: "/callback", state: "S", results: make(chan result, 1)}
	rec = httptest.NewRecorder()
	h2.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/callback?state=S&error=%3Cscript%3Ex", nil))
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("unescaped: %s", rec.Body)
	}
}

func TestExplainECODE(t *testing.T) {
	t.Parallel()
	for ecode, want := range map[string]string{
		"OAUTH_007": "not registered",
		"OAUTH_010": "client id or the client secret is wrong",
		"OAUTH_017": "no redirect URL",
		"OAUTH_014": "already used or has expired",
	} {
		e := explainECODE(ecode, "", "http://127.0.0.1:8976/callback", nil)
		if e == nil || !strings.Contains(e.Error(), want) || !strings.Contains(e.Error(), ecode) || e.Fix == "" {
			t.Errorf("%s: %v", ecode, e)
		}
	}
	if e := explainECODE("ITEM_013", "", "", nil); e != nil {
		t.Errorf("unknown code explained: %v", e)
	}
	// ClickUp's authorization page may send its codes back as error=.
	if err := callbackError("OAUTH_007", "Redirect URI not registered", "http://127.0.0.1:9/cb"); !strings.Contains(err.Error(), "http://127.0.0.1:9/cb") {
		t.Errorf("callbackError: %v", err)
	}
}

func TestHasDesktop(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	none := env(nil)
	if !HasDesktop("darwin", none) || !HasDesktop("windows", none) || HasDesktop("linux", none) {
		t.Error("platform defaults")
	}
	if !HasDesktop("linux", env(map[string]string{"WAYLAND_DISPLAY": "wayland-0"})) || !HasDesktop("freebsd", env(map[string]string{"DISPLAY": ":0"})) {
		t.Error("X11/Wayland not detected")
	}
}
