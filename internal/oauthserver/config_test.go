package oauthserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSecretKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, KeySize)
	for _, s := range []string{
		base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key),
		hex.EncodeToString(key), "  " + base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		got, err := ParseSecretKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("ParseSecretKey(%.8s...) = %x, %v", s, got, err)
		}
	}
	short := base64.StdEncoding.EncodeToString(key[:16])
	for in, want := range map[string]string{"": "is not set", short: "16 bytes", "not a key!": "neither base64"} {
		_, err := ParseSecretKey(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "openssl rand") {
			t.Errorf("ParseSecretKey(%q) = %v, want %q with how to make one", in, err, want)
		}
		if in != "" && err != nil && strings.Contains(err.Error(), in) {
			t.Errorf("the error repeats the value: %v", err)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	ok := Config{PublicURL: "https://mcp.example.com", ClickUpClientID: "id", ClickUpClientSecret: "s", SecretKey: key,
		StorePath: filepath.Join(t.TempDir(), "x.db")}
	cases := map[string]struct {
		edit func(*Config)
		want string
	}{
		"no key":          {func(c *Config) { c.SecretKey = nil }, EnvSecretKey},
		"short key":       {func(c *Config) { c.SecretKey = key[:31] }, "32-byte"},
		"no public url":   {func(c *Config) { c.PublicURL = "" }, "--public-url"},
		"http public url": {func(c *Config) { c.PublicURL = "http://mcp.example.com" }, "must be https"},
		"path":            {func(c *Config) { c.PublicURL = "https://mcp.example.com/clickup" }, "no path"},
		"relative":        {func(c *Config) { c.PublicURL = "mcp.example.com" }, "absolute URL"},
		"no client id":    {func(c *Config) { c.ClickUpClientID = "" }, "CLICKUP_OAUTH_CLIENT_ID"},
		"bad auth url":    {func(c *Config) { c.ClickUpAuthURL = "ftp://x" }, "CLICKUP_OAUTH_AUTH_URL"},
		"no store path":   {func(c *Config) { c.StorePath = "" }, "store path"},
		"negative ttl":    {func(c *Config) { c.AccessTokenTTL = -time.Second }, "negative"},
	}
	for name, tc := range cases {
		c := ok
		tc.edit(&c)
		s, err := New(c)
		if err == nil {
			s.Close()
			t.Errorf("%s: New succeeded", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	c := ok
	c.PublicURL = "http://localhost:8080/"
	s, err := New(c)
	if err != nil {
		t.Fatalf("loopback http: %v", err)
	}
	defer s.Close()
	if s.PublicURL() != "http://localhost:8080" || s.MetadataURL() != "http://localhost:8080"+MetadataPath {
		t.Errorf("public URL %q", s.PublicURL())
	}
	// A second server on the same store file is refused, not hung.
	c2 := ok
	c2.StorePath = c.StorePath
	if s2, err := New(c2); err == nil || !errors.Is(err, ErrStoreBusy) {
		if s2 != nil {
			s2.Close()
		}
		t.Errorf("second New on a locked store: %v", err)
	}
}

func TestMetadata(t *testing.T) {
	e := newEnv(t)
	prm := decode(t, e.get(e.ts.URL+MetadataPath+"/mcp"))
	if prm["resource"] != e.ts.URL+"/mcp" || prm["authorization_servers"].([]any)[0] != e.ts.URL {
		t.Errorf("path-suffixed metadata %v", prm)
	}
	asm := decode(t, e.get(e.ts.URL+"/.well-known/oauth-authorization-server"))
	if asm["issuer"] != e.ts.URL {
		t.Errorf("issuer %v", asm["issuer"])
	}
	for _, k := range []string{"authorization_endpoint", "token_endpoint", "registration_endpoint", "revocation_endpoint"} {
		if !strings.HasPrefix(asm[k].(string), e.ts.URL+"/") {
			t.Errorf("%s = %v", k, asm[k])
		}
	}
	if gt := asm["grant_types_supported"].([]any); len(gt) != 2 {
		t.Errorf("grant types %v", gt)
	}
	// Browser clients (the Inspector) may read it cross-origin.
	req, _ := http.NewRequest("OPTIONS", e.ts.URL+"/token", nil)
	req.Header.Set("Origin", "http://localhost:6274")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("CORS preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestRegistrationValidation(t *testing.T) {
	e := newEnv(t)
	post := func(body string) (int, map[string]any) {
		resp, err := http.Post(e.ts.URL+"/register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, decode(t, resp)
	}
	for body, want := range map[string]string{
		`{}`: "invalid_redirect_uri",
		`{"redirect_uris":["http://evil.example/cb"]}`:                                              "invalid_redirect_uri",
		`{"redirect_uris":["https://x.example/cb#frag"]}`:                                           "invalid_redirect_uri",
		`{"redirect_uris":["javascript:alert(1)"]}`:                                                 "invalid_redirect_uri",
		`{"redirect_uris":["/relative"]}`:                                                           "invalid_redirect_uri",
		`{"redirect_uris":["https://x.example/cb"],"grant_types":["client_credentials"]}`:           "invalid_client_metadata",
		`{"redirect_uris":["https://x.example/cb"],"response_types":["token"]}`:                     "invalid_client_metadata",
		`{"redirect_uris":["https://x.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}`: "invalid_client_metadata",
		`[1,2]`: "invalid_client_metadata",
		`{"redirect_uris":["https://x.example/cb"],"client_name":"` + strings.Repeat("n", 300) + `"}`: "invalid_client_metadata",
	} {
		st, m := post(body)
		if st != 400 || m["error"] != want || m["error_description"] == "" {
			t.Errorf("%.60s: %d %v, want 400 %s", body, st, m, want)
		}
	}
	st, m := post(strings.Repeat(" ", maxRegistrationBytes+10))
	if st != 400 || !strings.Contains(m["error_description"].(string), "larger") {
		t.Errorf("huge body: %d %v", st, m)
	}
	// Confidential clients get a secret, and must use it.
	st, m = post(`{"redirect_uris":["https://app.example/cb","vscode://auth/cb"],"client_name":"web"}`)
	if st != 201 || m["client_secret"] == nil || m["token_endpoint_auth_method"] != "client_secret_basic" {
		t.Fatalf("confidential registration: %d %v", st, m)
	}
}

func TestConfidentialClient(t *testing.T) {
	e := newEnv(t)
	c := e.discover("web")
	resp, err := http.Post(e.ts.URL+"/register", "application/json", strings.NewReader(`{"redirect_uris":["`+c.redirect+`"],"token_endpoint_auth_method":"client_secret_post"}`))
	if err != nil {
		t.Fatal(err)
	}
	reg := decode(t, resp)
	resp.Body.Close()
	c.id = reg["client_id"].(string)
	c.cfg.ClientID = c.id
	f := c.start()
	q := f.finish()
	if _, err := c.exchange(q.Get("code"), f.verifier); err == nil {
		t.Fatal("a confidential client exchanged a code without its secret")
	}
	c.cfg.ClientSecret = reg["client_secret"].(string)
	if got := e.userOf(c.signIn().AccessToken); got != e.alice.ID {
		t.Errorf("user %d", got)
	}
}

func TestSessions(t *testing.T) { eachStore(t, testSessions) }

func testSessions(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("claude-code")
	ta := c.signIn()
	e.consent(e.bob.ID, e.wsB.ID)
	tb := c.signIn()
	// `auth sessions` runs with the server stopped on bbolt (it locks its
	// file), and beside the running replicas on Redis.
	opts := SessionsOptions{StorePath: e.storePath}
	var grants []GrantInfo
	if k == kindRedis {
		opts = SessionsOptions{Store: e.newRedisStore()}
		grants, _ = listGrants(t.Context(), opts.Store)
	} else {
		if err := e.srv.Close(); err != nil {
			t.Fatal(err)
		}
		grants, _ = listGrantsAt(t, e.storePath)
	}
	sessions := func(revoke ...string) (string, error) {
		var out bytes.Buffer
		o := opts
		o.Out, o.Revoke = &out, revoke
		err := Sessions(context.Background(), o)
		return out.String(), err
	}
	list, err := sessions()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Alice <alice@example.com>", "Bob <bob@example.com>", "claude-code", "Alpha (" + e.wsA.ID + ")", "Beta"} {
		if !strings.Contains(list, want) {
			t.Errorf("listing lacks %q:\n%s", want, list)
		}
	}
	var bobGrant string
	for _, g := range grants {
		if g.UserID == e.bob.ID {
			bobGrant = g.ID
		}
	}
	if out, err := sessions(bobGrant); err != nil || !strings.Contains(out, "revoked "+bobGrant) {
		t.Fatalf("revoking Bob: %q, %v", out, err)
	}
	if _, err := sessions("nope"); err == nil || !errors.Is(err, ErrNoGrant) {
		t.Errorf("revoking an unknown id: %v", err)
	}
	if k == kindBolt {
		e.start()
	}
	e.refused(tb.AccessToken)
	if _, err := c.refresh(tb.RefreshToken); err == nil {
		t.Error("a revoked sign-in refreshed")
	}
	if got := e.userOf(ta.AccessToken); got != e.alice.ID {
		t.Errorf("Alice's sign-in was hit: %d", got)
	}
	// In-process: revoke all.
	gs, _ := e.srv.Grants(t.Context())
	for _, g := range gs {
		if err := e.srv.RevokeGrant(t.Context(), g.ID); err != nil {
			t.Fatal(err)
		}
	}
	e.refused(ta.AccessToken)
	if strings.Contains(list, ta.AccessToken) || strings.Contains(list, tb.RefreshToken) {
		t.Error("the listing prints a token")
	}
}

func listGrantsAt(t *testing.T, path string) ([]GrantInfo, error) {
	st, err := OpenBoltStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return listGrants(context.Background(), st)
}
