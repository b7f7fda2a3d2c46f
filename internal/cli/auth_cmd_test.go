package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/rs/zerolog"
)

// authTestEnv is the auth command against the demo fake: its OAuth app
// (DemoOAuthClientID) approves Alex for Acme Product. The "browser" follows
// the authorization URL to the fake's page and on to the callback.
type authTestEnv struct {
	env     map[string]string
	visited chan error
	dir     string
}

func newAuthTestEnv(t *testing.T) *authTestEnv {
	t.Helper()
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(100000, time.Minute))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "config")
	return &authTestEnv{
		dir: dir,
		env: map[string]string{
			"CLICKUP_OAUTH_CLIENT_ID":     clickuptest.DemoOAuthClientID,
			"CLICKUP_OAUTH_CLIENT_SECRET": clickuptest.DemoOAuthClientSecret,
			"CLICKUP_OAUTH_REDIRECT_URI":  "http://127.0.0.1:0/callback",
			"CLICKUP_OAUTH_AUTH_URL":      srv.URL + "/api",
			"CLICKUP_API_URL":             srv.URL + "/api",
			auth.EnvConfigDir:             dir,
		},
		visited: make(chan error, 1),
	}
}

func (e *authTestEnv) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := authCommand{
		stdout: &out, stderr: &errb,
		getenv: func(k string) string { return e.env[k] },
		open: func(u string) error {
			go func() {
				// Its own transport: closing the shared default one's idle
				// connections would break parallel tests.
				c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
				defer c.CloseIdleConnections()
				resp, err := c.Get(u)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				e.visited <- err
			}()
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code = c.run(ctx, args)
	return code, out.String(), errb.String()
}

func TestAuthCommandLoginStatusLogout(t *testing.T) {
	e := newAuthTestEnv(t)
	var all strings.Builder
	run := func(args ...string) (int, string, string) {
		code, out, errs := e.run(t, args...)
		all.WriteString(out + errs)
		return code, out, errs
	}

	code, out, errs := run("login", "--timeout", "10s")
	if code != 0 {
		t.Fatalf("login = %d\n%s%s", code, out, errs)
	}
	if err := <-e.visited; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"client_id=" + clickuptest.DemoOAuthClientID, "Signed in to ClickUp as Alex Rivera <alex@example.com>", "Authorized workspaces: Acme Product (" + clickuptest.DemoWorkspaceID + ")", "stored in " + filepath.Join(e.dir, auth.FileName)} {
		if !strings.Contains(out, want) {
			t.Errorf("login output lacks %q:\n%s", want, out)
		}
	}
	st := auth.NewStore(e.dir)
	tok, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{st.Path(): 0o600, e.dir: 0o700} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v (%v), want %04o", path, fi.Mode().Perm(), err, want)
			}
		}
	}

	code, out, errs = run("status")
	if code != 0 {
		t.Fatalf("status = %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"Source:     file " + st.Path(), "Kind:       OAuth", "Token:      " + tok.Redacted(), "User:       Alex Rivera", "Workspaces: Acme Product (" + clickuptest.DemoWorkspaceID + ")", "auth login` again"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}

	// The environment wins over the file, and status says so.
	e.env[auth.EnvToken] = clickuptest.DemoToken2
	code, out, _ = run("status")
	if code != 0 || !strings.Contains(out, "Source:     environment (CLICKUP_API_TOKEN)") || !strings.Contains(out, "Kind:       personal") ||
		!strings.Contains(out, "Globex") || !strings.Contains(out, "is not used while CLICKUP_API_TOKEN is set") {
		t.Errorf("status with the env token = %d:\n%s", code, out)
	}
	delete(e.env, auth.EnvToken)

	code, out, _ = run("logout")
	if code != 0 || !strings.Contains(out, "Removed the stored token") {
		t.Errorf("logout = %d: %s", code, out)
	}
	if _, err := os.Stat(st.Path()); !os.IsNotExist(err) {
		t.Errorf("token file still there: %v", err)
	}
	code, out, _ = run("logout")
	if code != 0 || !strings.Contains(out, "No stored token") {
		t.Errorf("second logout = %d: %s", code, out)
	}
	code, _, errs = run("status")
	if code != 1 || !strings.Contains(errs, "auth login") || !strings.Contains(errs, "CLICKUP_API_TOKEN") {
		t.Errorf("status with no token = %d: %s", code, errs)
	}

	// A token ClickUp no longer accepts.
	if err := st.Save(auth.NewToken("81000001_REVOKEDREVOKEDREVOKED0000")); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run("status")
	if code != 1 || !strings.Contains(errs, "rejects this token") || strings.Contains(errs, "REVOKEDREVOKED") {
		t.Errorf("status with a revoked token = %d: %s", code, errs)
	}

	for _, secret := range []string{tok.Value(), clickuptest.DemoOAuthClientSecret, clickuptest.DemoToken2} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("a secret leaked into the output:\n%s", all.String())
		}
	}
}

func TestAuthCommandUsageAndErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run([]string{"auth", "help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "clickup-mcp auth logout") {
		t.Errorf("run auth help = %d (usage to stdout): %s", code, errb.String())
	}
	e := &authTestEnv{env: map[string]string{auth.EnvConfigDir: t.TempDir(), "CLICKUP_OAUTH_CLIENT_ID": "X"}}
	if code, _, errs := e.run(t); code != 2 || !strings.Contains(errs, "auth login") {
		t.Errorf("auth = %d: %s", code, errs)
	}
	if code, _, errs := e.run(t, "bogus"); code != 2 || !strings.Contains(errs, `unknown command "bogus"`) {
		t.Errorf("auth bogus = %d: %s", code, errs)
	}
	delete(e.env, "CLICKUP_OAUTH_CLIENT_ID")
	if code, _, errs := e.run(t, "login"); code != 1 || !strings.Contains(errs, "Create an App") {
		t.Errorf("login without a client id = %d: %s", code, errs)
	}
	if code, _, errs := e.run(t, "status", "extra"); code != 2 || !strings.Contains(errs, "unexpected argument") {
		t.Errorf("status extra = %d: %s", code, errs)
	}
}

// The server takes --token, then CLICKUP_API_TOKEN, then the stored token.
func TestNewAppTokenOrder(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(auth.EnvConfigDir, dir)
	t.Setenv("CLICKUP_API_TOKEN", "")
	build := func(mod func(*app.Config)) (*app.App, error) {
		var cfg app.Config
		if err := app.NewFlagSet("test", &cfg, io.Discard).Parse(nil); err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(&cfg)
		}
		return app.New(cfg, zerolog.Nop())
	}
	if a, err := build(nil); err != nil || a.Cfg.Token != "" {
		t.Fatalf("nothing anywhere: token %q, %v", a.Cfg.Token, err)
	}
	stored := "81000001_STOREDTOKENSTOREDTOKEN0000"
	if err := auth.NewStore(dir).Save(auth.NewToken(stored)); err != nil {
		t.Fatal(err)
	}
	if a, err := build(nil); err != nil || a.Cfg.Token != stored {
		t.Errorf("stored only: got %v", err)
	}
	t.Setenv("CLICKUP_API_TOKEN", "pk_1_FROMENVIRONMENT00000000")
	if a, err := build(nil); err != nil || a.Cfg.Token != "pk_1_FROMENVIRONMENT00000000" {
		t.Errorf("env over stored: got %v", err)
	}
	if a, err := build(func(c *app.Config) { c.Token = "pk_2_FROMTHEFLAG000000000000" }); err != nil || a.Cfg.Token != "pk_2_FROMTHEFLAG000000000000" {
		t.Errorf("flag over env: got %v", err)
	}
	t.Setenv("CLICKUP_API_TOKEN", "")
	if a, err := build(func(c *app.Config) { c.Sandbox = true }); err != nil || a.Cfg.Token != "" {
		t.Errorf("sandbox must not read the stored token: %v", err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(filepath.Join(dir, auth.FileName), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := build(nil); err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), stored) {
			t.Errorf("a token file others can read: %v", err)
		}
	}
}
