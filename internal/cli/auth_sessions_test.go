package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/rs/zerolog"
)

// sessionsWorld is an --auth oauth server (internal/oauthserver over real
// HTTP) in front of the fake ClickUp, with its store in a temp dir.
type sessionsWorld struct {
	t         *testing.T
	fake      *clickuptest.Server
	fakeURL   string
	ts        *httptest.Server
	mux       *http.ServeMux
	srv       *oauthserver.Server
	storePath string
	redisURL  string // when set, the server's store is on this Redis
	env       map[string]string
}

func newSessionsWorld(t *testing.T) *sessionsWorld { return newSessionsWorldOn(t, "") }

// newSessionsWorldOn keeps the server's sign-ins on the Redis at redisURL
// (the file when empty).
func newSessionsWorldOn(t *testing.T, redisURL string) *sessionsWorld {
	t.Helper()
	w := &sessionsWorld{t: t, fake: clickuptest.New(), mux: http.NewServeMux(), redisURL: redisURL}
	fs := httptest.NewServer(w.fake)
	t.Cleanup(fs.Close)
	w.fakeURL = fs.URL
	w.ts = httptest.NewServer(w.mux)
	t.Cleanup(w.ts.Close)
	w.fake.AddOAuthApp("app", "app-secret", w.ts.URL+oauthserver.CallbackPath)
	dir := t.TempDir()
	w.storePath = filepath.Join(dir, "oauth.db")
	w.env = map[string]string{app.EnvOAuthStore: w.storePath, auth.EnvConfigDir: filepath.Join(dir, "config")}
	w.start()
	return w
}

// start opens the server on the store (again).
func (w *sessionsWorld) start() {
	w.t.Helper()
	cfg := oauthserver.Config{
		PublicURL: w.ts.URL, ClickUpClientID: "app", ClickUpClientSecret: "app-secret",
		ClickUpAuthURL: w.fakeURL + "/api", ClickUpAPIURL: w.fakeURL + "/api",
		SecretKey: bytes.Repeat([]byte{9}, oauthserver.KeySize), StorePath: w.storePath,
	}
	if w.redisURL != "" {
		st, err := app.OpenOAuthRedisStore(w.redisURL, zerolog.Nop())
		if err != nil {
			w.t.Fatal(err)
		}
		cfg.Store, cfg.CloseStore = st, true
	}
	srv, err := oauthserver.New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.srv = srv
	w.t.Cleanup(func() { srv.Close() })
	if w.mux != nil {
		w.mux.Handle("/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { w.srv.Handler().ServeHTTP(rw, r) }))
		w.mux = nil
	}
}

var consentField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// signIn runs a client's whole sign-in (register, PKCE, our consent page,
// ClickUp's, the code exchange) for the user ClickUp's page approves, and
// returns the access token.
func (w *sessionsWorld) signIn(client string, user int64, wsID string) string {
	t := w.t
	t.Helper()
	w.fake.SetOAuthConsent(clickuptest.OAuthConsent{UserID: user, WorkspaceIDs: []string{wsID}})
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	postJSON := func(u, body string) map[string]any {
		resp, err := hc.Post(u, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("POST %s: %d %v %v", u, resp.StatusCode, m, err)
		}
		return m
	}
	redirect := "http://127.0.0.1:5555/cb"
	reg := postJSON(w.ts.URL+"/register", `{"redirect_uris":["`+redirect+`"],"token_endpoint_auth_method":"none","client_name":"`+client+`"}`)
	clientID, _ := reg["client_id"].(string)
	resource := w.ts.URL + "/mcp"
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {"state-12345"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}, "resource": {resource}}
	next := w.ts.URL + "/authorize?" + q.Encode()
	for i := 0; !strings.HasPrefix(next, redirect); i++ {
		if i > 6 {
			t.Fatal("redirect loop")
		}
		resp, err := hc.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m := consentField.FindSubmatch(body); resp.StatusCode == 200 && m != nil {
			if resp, err = hc.PostForm(w.ts.URL+oauthserver.ConsentPath, url.Values{"request": {string(m[1])}, "decision": {"allow"}}); err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if resp.StatusCode/100 != 3 {
			t.Fatalf("sign-in stopped at %s: %d %s", next, resp.StatusCode, body)
		}
		u, _ := resp.Request.URL.Parse(resp.Header.Get("Location"))
		next = u.String()
	}
	back, _ := url.Parse(next)
	resp, err := hc.PostForm(w.ts.URL+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")},
		"redirect_uri": {redirect}, "client_id": {clientID}, "code_verifier": {verifier}, "resource": {resource}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	access, _ := tok["access_token"].(string)
	if resp.StatusCode != 200 || access == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, tok)
	}
	return access
}

// admitted reports whether the server takes the access token.
func (w *sessionsWorld) admitted(access string) bool {
	r := httptest.NewRequest("POST", w.ts.URL+"/mcp", nil)
	r.Header.Set("Authorization", "Bearer "+access)
	_, _, err := w.srv.Authenticate(r)
	return err == nil
}

func (w *sessionsWorld) run(args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	var out, errb bytes.Buffer
	c := authCommand{stdout: &out, stderr: &errb, getenv: func(k string) string { return w.env[k] }}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code = c.run(ctx, append([]string{"sessions"}, args...))
	return code, out.String(), errb.String()
}

// TestAuthSessions: `auth sessions` lists the sign-ins of a stopped
// --auth oauth server, refuses (saying why) while it runs, and revokes one
// so that its token stops working when the server is back.
func TestAuthSessions(t *testing.T) {
	w := newSessionsWorld(t)
	alice := w.fake.AddUser(clickuptest.User{Username: "Alice Sessions", Email: "alice@example.com"})
	bob := w.fake.AddUser(clickuptest.User{Username: "Bob Sessions", Email: "bob@example.com"})
	wsA := w.fake.AddWorkspace(clickuptest.Workspace{Name: "Alpha", MemberIDs: []int64{alice.ID}})
	wsB := w.fake.AddWorkspace(clickuptest.Workspace{Name: "Beta", MemberIDs: []int64{bob.ID}})
	aliceTok := w.signIn("claude-code", alice.ID, wsA.ID)
	bobTok := w.signIn("vscode", bob.ID, wsB.ID)
	var all strings.Builder

	// The running server holds the store: the command says to stop it.
	code, out, errs := w.run()
	all.WriteString(out + errs)
	if code != 1 || !strings.Contains(errs, "stop that server") || !strings.Contains(errs, w.storePath) {
		t.Fatalf("sessions while the server runs = %d\n%s%s", code, out, errs)
	}

	if err := w.srv.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errs = w.run()
	all.WriteString(out + errs)
	if code != 0 {
		t.Fatalf("sessions = %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"Alice Sessions <alice@example.com>", "Bob Sessions <bob@example.com>", "claude-code", "vscode",
		"Alpha (" + wsA.ID + ")", "Beta (" + wsB.ID + ")", "--revoke ID"} {
		if !strings.Contains(out, want) {
			t.Errorf("listing lacks %q:\n%s", want, out)
		}
	}
	var bobGrant string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Bob Sessions") {
			bobGrant = strings.Fields(line)[0]
		}
	}
	if bobGrant == "" {
		t.Fatalf("no grant id for Bob in:\n%s", out)
	}

	code, out, errs = w.run("--revoke", bobGrant)
	all.WriteString(out + errs)
	if code != 0 || !strings.Contains(out, "revoked "+bobGrant) {
		t.Fatalf("--revoke %s = %d\n%s%s", bobGrant, code, out, errs)
	}
	code, out, errs = w.run()
	all.WriteString(out + errs)
	if code != 0 || strings.Contains(out, "Bob Sessions") || !strings.Contains(out, "Alice Sessions") {
		t.Fatalf("listing after revoking Bob = %d\n%s%s", code, out, errs)
	}
	code, out, errs = w.run("--revoke", "no-such-id")
	all.WriteString(out + errs)
	if code != 1 || !strings.Contains(errs, "no-such-id") {
		t.Errorf("--revoke of an unknown id = %d\n%s%s", code, out, errs)
	}
	code, out, errs = w.run("--revoke", "all,"+bobGrant)
	all.WriteString(out + errs)
	if code != 2 || !strings.Contains(errs, "--revoke all") {
		t.Errorf("--revoke all with an id = %d\n%s%s", code, out, errs)
	}

	// Back up: Bob's token is dead, Alice's works.
	w.start()
	if w.admitted(bobTok) || !w.admitted(aliceTok) {
		t.Fatalf("after revoking Bob: Bob admitted %v, Alice admitted %v", w.admitted(bobTok), w.admitted(aliceTok))
	}
	if err := w.srv.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errs = w.run("--revoke", "all")
	all.WriteString(out + errs)
	if code != 0 || !strings.Contains(out, "revoked ") {
		t.Fatalf("--revoke all = %d\n%s%s", code, out, errs)
	}
	code, out, _ = w.run()
	if code != 0 || !strings.Contains(out, "no OAuth sign-ins") {
		t.Errorf("listing after --revoke all = %d\n%s", code, out)
	}
	// No token in anything the command printed.
	for _, tok := range []string{aliceTok, bobTok} {
		if strings.Contains(all.String(), tok) {
			t.Error("the command printed an access token")
		}
	}
}

func TestAuthSessionsWithoutStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "none", "oauth.db")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := map[string]string{app.EnvOAuthStore: path, auth.EnvConfigDir: dir}
		c := authCommand{stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
		return c.run(context.Background(), append([]string{"sessions"}, args...)), out.String(), errb.String()
	}
	if code, out, errs := run(); code != 0 || !strings.Contains(out, "no store at "+path) {
		t.Errorf("sessions without a store = %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("--revoke", "x"); code != 1 || !strings.Contains(errs, "nothing to revoke") {
		t.Errorf("--revoke without a store = %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run("--revoke", ""); code != 2 || !strings.Contains(errs, "sign-in ID") {
		t.Errorf("--revoke with no id = %d\n%s", code, errs)
	}
	if code, _, errs := run("extra"); code != 2 || !strings.Contains(errs, `unexpected argument "extra"`) {
		t.Errorf("an extra argument = %d\n%s", code, errs)
	}
	// Listing must not create the store as a side effect.
	if code, _, _ := run(); code != 0 {
		t.Fatal(code)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "none", "*")); len(matches) > 0 {
		t.Errorf("listing created %v", matches)
	}
}

// TestAuthSessionsOnRedis: with the replicas' --redis-url the command lists
// and revokes while the server runs, and the revoked token is refused at
// once; an unreachable Redis is a clear error.
func TestAuthSessionsOnRedis(t *testing.T) {
	mr := miniredis.RunT(t)
	w := newSessionsWorldOn(t, "redis://"+mr.Addr())
	w.env["CLICKUP_MCP_REDIS_URL"] = w.redisURL
	alice := w.fake.AddUser(clickuptest.User{Username: "Alice Redis", Email: "alice@example.com"})
	ws := w.fake.AddWorkspace(clickuptest.Workspace{Name: "Alpha", MemberIDs: []int64{alice.ID}})
	tok := w.signIn("claude-code", alice.ID, ws.ID)
	code, out, errs := w.run()
	if code != 0 || !strings.Contains(out, "Alice Redis <alice@example.com>") || !strings.Contains(out, "claude-code") {
		t.Fatalf("sessions beside the running server = %d\n%s%s", code, out, errs)
	}
	if code, out, errs := w.run("--revoke", "all"); code != 0 || !strings.Contains(out, "revoked ") {
		t.Fatalf("--revoke all = %d\n%s%s", code, out, errs)
	}
	if w.admitted(tok) {
		t.Error("the running server still admits a token revoked on Redis")
	}
	if strings.Contains(out+errs, tok) {
		t.Error("the command printed an access token")
	}
	if _, err := os.Stat(w.storePath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the store file exists beside Redis: %v", err)
	}
	mr.Close()
	if code, out, errs := w.run(); code != 1 || !strings.Contains(errs, "unreachable") || !strings.Contains(errs, "--redis-url") {
		t.Errorf("sessions with Redis down = %d\n%s%s", code, out, errs)
	}
	if code, _, errs := w.run("--redis-url", "redis://user:hunter2@[bad"); code != 2 || strings.Contains(errs, "hunter2") {
		t.Errorf("a bad Redis URL = %d (%s): must fail without repeating the password", code, errs)
	}
}
