package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
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
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/rs/zerolog"
)

// TestOAuthModeEndToEnd: --auth oauth as main wires it. A client that knows
// nothing follows the 401 to the metadata, registers, signs in on the
// fake's consent page with PKCE, and its tool call acts as that ClickUp
// user; the server's own token is never used for anyone.
//
// With --redis-url the sign-ins are kept on Redis, not in the file, and an
// unreachable Redis answers 503, not 401.
func TestOAuthModeEndToEnd(t *testing.T) {
	t.Run("bolt", func(t *testing.T) { oauthModeEndToEnd(t, nil) })
	t.Run("redis", func(t *testing.T) { oauthModeEndToEnd(t, miniredis.RunT(t)) })
}

func oauthModeEndToEnd(t *testing.T, mr *miniredis.Miniredis) {
	f := clickuptest.New()
	alice := f.AddUser(clickuptest.User{Username: "Alice OAuth", Email: "alice@example.com"})
	f.AddUser(clickuptest.User{ID: 777, Username: "Server Owner"})
	ws := f.AddWorkspace(clickuptest.Workspace{Name: "Alpha", MemberIDs: []int64{alice.ID, 777}})
	f.AddToken("pk_777_SERVERTOKEN", 777, ws.ID)
	fs := httptest.NewServer(f)
	defer fs.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f.AddOAuthApp("app", "app-secret", base+"/oauth/callback")
	f.SetOAuthConsent(clickuptest.OAuthConsent{UserID: alice.ID, WorkspaceIDs: []string{ws.ID}})
	key := make([]byte, 32)
	rand.Read(key)
	t.Setenv("CLICKUP_OAUTH_CLIENT_ID", "app")
	t.Setenv("CLICKUP_OAUTH_CLIENT_SECRET", "app-secret")
	t.Setenv("CLICKUP_OAUTH_AUTH_URL", fs.URL+"/api")
	t.Setenv(oauthserver.EnvSecretKey, base64.StdEncoding.EncodeToString(key))
	storeFile := filepath.Join(t.TempDir(), "oauth.db")
	t.Setenv(EnvOAuthStore, storeFile)
	args := []string{"--auth", "oauth", "--public-url", base}
	if mr != nil {
		args = append(args, "--redis-url", "redis://"+mr.Addr())
	}
	a := testApp(t, fs.URL+"/api", nil, args...)
	t.Setenv("CLICKUP_API_TOKEN", "pk_777_SERVERTOKEN") // must not be picked up by requests
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.HTTP().ServeOn(ctx, ln, time.Second) }()
	defer func() { cancel(); <-done }()

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	getJSON := func(u string) map[string]any {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		return m
	}

	// 1. No token: 401 pointing at the metadata, for /mcp and /sse alike.
	for _, p := range []string{"/mcp", "/sse"} {
		resp, err := hc.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := `Bearer resource_metadata="` + base + `/.well-known/oauth-protected-resource"`
		if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), want) {
			t.Fatalf("%s without a token: %d %q", p, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// The server's own ClickUp token is no way in either.
	if _, err := newMCPConn(base, "pk_777_SERVERTOKEN", nil).post(ctx, "tools/list", nil, false); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("a ClickUp token as bearer in oauth mode: %v", err)
	}

	// 2. Metadata and registration.
	prm := getJSON(base + "/.well-known/oauth-protected-resource/mcp")
	asm := getJSON(prm["authorization_servers"].([]any)[0].(string) + "/.well-known/oauth-authorization-server")
	redirect := "http://127.0.0.1:5555/cb"
	resp, err := http.Post(asm["registration_endpoint"].(string), "application/json",
		strings.NewReader(`{"redirect_uris":["`+redirect+`"],"token_endpoint_auth_method":"none","client_name":"e2e"}`))
	if err != nil {
		t.Fatal(err)
	}
	var reg map[string]any
	json.NewDecoder(resp.Body).Decode(&reg)
	resp.Body.Close()
	clientID, _ := reg["client_id"].(string)
	if resp.StatusCode != 201 || clientID == "" {
		t.Fatalf("register: %d %v", resp.StatusCode, reg)
	}

	// 3. Authorize with PKCE; the browser goes to ClickUp and back.
	verifier := base64.RawURLEncoding.EncodeToString(key) + "verifier-padding"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {"st-123456"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}, "resource": {prm["resource"].(string)}}
	next := asm["authorization_endpoint"].(string) + "?" + q.Encode()
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
		if m := consentRequest.FindSubmatch(body); resp.StatusCode == 200 && m != nil {
			// The server's own consent page: approve.
			resp, err = hc.PostForm(base+oauthserver.ConsentPath, url.Values{"request": {string(m[1])}, "decision": {"allow"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if resp.StatusCode/100 != 3 {
			t.Fatalf("stopped at %s: %d %s", next, resp.StatusCode, body)
		}
		u, _ := resp.Request.URL.Parse(resp.Header.Get("Location"))
		next = u.String()
	}
	back, _ := url.Parse(next)
	code := back.Query().Get("code")
	if code == "" || back.Query().Get("state") != "st-123456" {
		t.Fatalf("redirect back: %s", next)
	}

	// 4. Token.
	resp, err = http.PostForm(asm["token_endpoint"].(string), url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirect}, "client_id": {clientID}, "code_verifier": {verifier}, "resource": {prm["resource"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	access, _ := tok["access_token"].(string)
	if resp.StatusCode != 200 || access == "" || tok["refresh_token"] == nil {
		t.Fatalf("token: %d %v", resp.StatusCode, tok)
	}

	// 5. A tool call acts as Alice.
	c := newMCPConn(base, access, nil)
	if err := c.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.call(ctx, "clickup_whoami", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if r.IsError || !strings.Contains(r.raw, "Alice OAuth") || strings.Contains(r.raw, "Server Owner") {
		t.Fatalf("whoami over OAuth: %s", r.raw)
	}
	// A made-up bearer is refused.
	if _, err := newMCPConn(base, "ory_at_made.up", nil).post(ctx, "tools/list", nil, false); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("made-up bearer: %v", err)
	}
	if mr == nil {
		return
	}
	// The sign-in is on Redis, only there.
	if _, err := os.Stat(storeFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("with --redis-url the OAuth store file was created too (%v): grants would split between replicas", err)
	}
	grants := 0
	for _, k := range mr.Keys() {
		if strings.HasPrefix(k, "clickup-mcp:{oauth}:rec:grants:") {
			grants++
		}
	}
	if grants != 1 {
		t.Errorf("%d grants on Redis, want 1", grants)
	}
	// Redis gone: 503 with a message, not a 401 that starts a sign-in.
	mr.Close()
	req, _ := http.NewRequest("POST", base+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "Redis") || resp.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("/mcp with Redis down: %d %s", resp.StatusCode, body)
	}
}

var consentRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)

func TestAuthModeFlags(t *testing.T) {
	t.Setenv("CLICKUP_API_TOKEN", "")
	for args, want := range map[string]string{
		"--auth magic --transport http":           "use bearer or oauth",
		"--auth oauth":                            "--transport http",
		"--auth oauth --transport http --sandbox": "--sandbox",
		"--auth oauth --transport http":           oauthserver.EnvSecretKey,
	} {
		var cfg Config
		if err := NewFlagSet("clickup-mcp", &cfg, io.Discard).Parse(strings.Fields(args)); err != nil {
			t.Fatal(err)
		}
		t.Setenv(oauthserver.EnvSecretKey, "")
		if _, err := New(cfg, zerolog.Nop()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", args, err, want)
		}
	}
}
