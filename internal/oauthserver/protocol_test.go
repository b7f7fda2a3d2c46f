package oauthserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// postToken posts a form to /token (or another path) and returns the
// status, the decoded JSON body and the response.
func (e *env) postForm(path string, form url.Values, basic ...string) (int, map[string]any, *http.Response) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			e.t.Fatalf("POST %s: %d %q is not JSON", path, resp.StatusCode, body)
		}
	}
	return resp.StatusCode, m, resp
}

// wantOAuthError checks an RFC 6749 5.2 error: the status, exactly
// error and error_description, and no caching.
func wantOAuthError(t *testing.T, what string, st int, m map[string]any, resp *http.Response, status int, code string) {
	t.Helper()
	if st != status || m["error"] != code {
		t.Errorf("%s: %d %v, want %d error=%s", what, st, m, status, code)
		return
	}
	if d, _ := m["error_description"].(string); d == "" || len(m) != 2 {
		t.Errorf("%s: body %v, want exactly error and error_description", what, m)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: headers %v", what, resp.Header)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	f := c.start()
	q := f.finish()
	code := q.Get("code")
	base := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {c.id},
			"redirect_uri": {c.redirect}, "code_verifier": {f.verifier}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"no grant_type", base("grant_type", ""), 400, "invalid_request"},
		{"password grant", base("grant_type", "password"), 400, "unsupported_grant_type"},
		{"client_credentials", base("grant_type", "client_credentials"), 400, "unsupported_grant_type"},
		{"no client", base("client_id", ""), 401, "invalid_client"},
		{"unknown client", base("client_id", "nobody"), 401, "invalid_client"},
		{"no verifier", base("code_verifier", ""), 400, "invalid_grant"},
		{"short verifier", base("code_verifier", strings.Repeat("a", 42)), 400, "invalid_grant"},
		{"verifier with bad characters", base("code_verifier", strings.Repeat("a", 42)+"!"), 400, "invalid_grant"},
		{"plain verifier (the challenge itself)", base("code_verifier", oauth2.S256ChallengeFromVerifier(f.verifier)), 400, "invalid_grant"},
		{"tampered code", base("code", code[:len(code)-2]+"xx"), 400, "invalid_grant"},
		{"made-up code", base("code", "ory_ac_made.up"), 400, "invalid_grant"},
		{"an access-token-shaped code", base("code", strings.Replace(code, "ory_ac_", "ory_at_", 1)), 400, "invalid_grant"},
		{"redirect_uri missing", base("redirect_uri", ""), 400, "invalid_grant"},
		{"code twice in the form", func() url.Values { v := base(); v.Add("code", code); return v }(), 400, "invalid_request"},
		{"a form over 64 KiB", base("code_verifier", strings.Repeat("v", maxFormBytes)), 400, "invalid_request"},
	} {
		st, m, resp := e.postForm("/token", tc.form)
		wantOAuthError(t, tc.name, st, m, resp, tc.status, tc.code)
	}
	// None of that used the code up: the right request still works.
	st, m, _ := e.postForm("/token", base())
	if st != 200 || m["access_token"] == nil || m["refresh_token"] == nil || m["token_type"] != "bearer" || m["expires_in"].(float64) != DefaultAccessTokenTTL.Seconds() {
		t.Fatalf("the good exchange after the bad ones: %d %v", st, m)
	}
}

func TestAuthorizeRequestChecks(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	for _, tc := range []struct {
		name string
		opts []oauth2.AuthCodeOption
		want string
	}{
		{"short state", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("state", "abc")}, "invalid_state"},
		{"token response type", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("response_type", "token")}, "unsupported_response_type"},
		{"fragment response mode", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("response_mode", "fragment")}, "unsupported_response_mode"},
		{"challenge not S256-shaped", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", "short")}, "invalid_request"},
		{"request object", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("request", "eyJ.x.y")}, "invalid_request"},
	} {
		f := c.start(tc.opts...)
		q := f.finish()
		if q == nil || q.Get("error") != tc.want || q.Get("error_description") == "" || q.Get("code") != "" {
			t.Errorf("%s: redirect back %v, want error=%s", tc.name, q, tc.want)
		}
	}
	// An unknown client gets a page, never a redirect.
	f := c.start()
	f.next = strings.Replace(f.next, "client_id="+c.id, "client_id=nobody", 1)
	if q := f.finish(); q != nil || f.last.StatusCode != 401 || !strings.Contains(readAll(f.last), "does not exist") {
		t.Errorf("unknown client: %v %d", q, f.last.StatusCode)
	}
	// Without redirect_uri, the only registered one is used.
	f = c.start()
	f.next = strings.Replace(f.next, "redirect_uri="+url.QueryEscape(c.redirect)+"&", "", 1)
	q := f.finish()
	if q == nil || q.Get("code") == "" {
		t.Fatalf("without redirect_uri: %v", q)
	}
	tok, err := c.exchange(q.Get("code"), f.verifier, oauth2.SetAuthURLParam("redirect_uri", ""))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("exchange without redirect_uri: %v", err)
	}
}

// A refresh token works only for the client it was issued to; another
// client's attempt is refused and ends nothing.
func TestRefreshBelongsToItsClient(t *testing.T) {
	e := newEnv(t)
	ca, cb := e.discover("a"), e.discover("b")
	tok := ca.signIn()
	st, m, resp := e.postForm("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {cb.id}})
	wantOAuthError(t, "refresh by another client", st, m, resp, 400, "invalid_grant")
	e.userOf(tok.AccessToken)
	if _, err := ca.refresh(tok.RefreshToken); err != nil {
		t.Fatalf("the owner's refresh after the other client's attempt: %v", err)
	}
}

func TestConfidentialClientAuth(t *testing.T) {
	e := newEnv(t)
	c := e.discover("web")
	resp, err := http.Post(e.ts.URL+"/register", "application/json", strings.NewReader(`{"redirect_uris":["`+c.redirect+`"]}`))
	if err != nil {
		t.Fatal(err)
	}
	reg := decode(t, resp)
	resp.Body.Close()
	id, secret := reg["client_id"].(string), reg["client_secret"].(string)
	c.id, c.cfg.ClientID = id, id
	f := c.start()
	q := f.finish()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {c.redirect}, "code_verifier": {f.verifier}}
	st, m, r := e.postForm("/token", form, id, secret+"x")
	wantOAuthError(t, "wrong secret (basic)", st, m, r, 401, "invalid_client")
	if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("a failed Basic authentication: WWW-Authenticate %q, want a Basic challenge (RFC 6749 5.2)", r.Header.Get("WWW-Authenticate"))
	}
	withPost := url.Values{"client_id": {id}, "client_secret": {""}}
	for k, v := range form {
		withPost[k] = v
	}
	st, m, r = e.postForm("/token", withPost)
	wantOAuthError(t, "no secret", st, m, r, 401, "invalid_client")
	st, m, r = e.postForm("/token", url.Values{"client_id": {"other"}, "grant_type": {"authorization_code"}}, id, secret)
	wantOAuthError(t, "client_id in the form differs from the header", st, m, r, 400, "invalid_request")
	st, m, _ = e.postForm("/token", form, id, secret)
	if st != 200 || m["refresh_token"] == nil {
		t.Fatalf("basic auth with the secret: %d %v", st, m)
	}
	// Its refresh token needs the secret too.
	rt := m["refresh_token"].(string)
	st, m, r = e.postForm("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {id}})
	wantOAuthError(t, "refresh without the secret", st, m, r, 401, "invalid_client")
	if st, m, _ = e.postForm("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {id}, "client_secret": {secret}}); st != 200 {
		t.Fatalf("refresh with the secret in the form: %d %v", st, m)
	}
}

// A client registered without the refresh_token grant gets no refresh
// token, and may not use one.
func TestNoRefreshGrant(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	resp, err := http.Post(e.ts.URL+"/register", "application/json", strings.NewReader(`{"redirect_uris":["`+c.redirect+`"],"token_endpoint_auth_method":"none","grant_types":["authorization_code"]}`))
	if err != nil {
		t.Fatal(err)
	}
	reg := decode(t, resp)
	resp.Body.Close()
	c.id, c.cfg.ClientID = reg["client_id"].(string), reg["client_id"].(string)
	tok := c.signIn()
	if tok.RefreshToken != "" {
		t.Error("a client without the refresh_token grant got a refresh token")
	}
	e.userOf(tok.AccessToken)
}

func TestCodeAndRefreshExpiry(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	f := c.start()
	q := f.finish()
	e.clk.advance(DefaultCodeTTL + time.Second)
	if _, err := c.exchange(q.Get("code"), f.verifier); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("an expired code: %v, want invalid_grant", err)
	}
	tok := c.signIn()
	e.clk.advance(DefaultRefreshTokenTTL + time.Second)
	if _, err := c.refresh(tok.RefreshToken); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("an expired refresh token: %v, want invalid_grant", err)
	}
}

func TestRevocationEndpoint(t *testing.T) {
	e := newEnv(t)
	c, other := e.discover("c"), e.discover("other")
	tok := c.signIn()
	st, m, r := e.postForm("/revoke", url.Values{"token": {tok.AccessToken}, "client_id": {other.id}})
	wantOAuthError(t, "another client's token", st, m, r, 400, "unauthorized_client")
	st, m, r = e.postForm("/revoke", url.Values{"client_id": {c.id}})
	wantOAuthError(t, "no token", st, m, r, 400, "invalid_request")
	st, m, r = e.postForm("/revoke", url.Values{"token": {tok.AccessToken}})
	wantOAuthError(t, "no client", st, m, r, 401, "invalid_client")
	// An unknown or malformed token is not an error (RFC 7009 2.2).
	for _, bad := range []string{"ory_rt_made.up", "x"} {
		if st, m, _ := e.postForm("/revoke", url.Values{"token": {bad}, "client_id": {c.id}}); st != 200 {
			t.Errorf("revoking %q: %d %v, want 200", bad, st, m)
		}
	}
	e.userOf(tok.AccessToken)
	if st, _, _ := e.postForm("/revoke", url.Values{"token": {tok.AccessToken}, "client_id": {c.id}, "token_type_hint": {"access_token"}}); st != 200 {
		t.Fatalf("revoke: %d", st)
	}
	e.refused(tok.AccessToken)
	if _, err := c.refresh(tok.RefreshToken); err == nil {
		t.Error("the refresh token survived revoking its access token")
	}
}

// A token whose signature was made with another key, or altered, is
// refused before any lookup; so is one of the wrong kind.
func TestForgedTokens(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	tok := c.signIn()
	key, sig, _ := strings.Cut(strings.TrimPrefix(tok.AccessToken, "ory_at_"), ".")
	other := &keys{hmac: bytes.Repeat([]byte{1}, 32)}
	forged, _ := other.newToken(kindAccess)
	// The first character: it carries six bits of the key, where the
	// last carries four (and was already "A" in one token of sixteen,
	// which left that case unaltered).
	altered := "A" + key[1:]
	if key[0] == 'A' {
		altered = "B" + key[1:]
	}
	for name, bad := range map[string]string{
		"another key":          forged,
		"altered key":          "ory_at_" + altered + "." + sig,
		"signature only":       "ory_at_." + sig,
		"code prefix":          "ory_ac_" + key + "." + sig,
		"no prefix":            key + "." + sig,
		"refresh token as one": tok.RefreshToken,
	} {
		if ch := e.refused(bad); !strings.Contains(ch, `error="invalid_token"`) {
			t.Errorf("%s: %q", name, ch)
		}
	}
	e.userOf(tok.AccessToken)
}

// Tokens and records written before the upgrade (by ory/fosite's HMAC
// strategy and this package's fosite store) keep working: this token was
// made by fosite v0.49.0's HMACStrategy.Generate with the global secret
// that deriveKeys makes from the test key (32 bytes of 7).
func TestTokensFromBeforeTheUpgrade(t *testing.T) {
	e := newEnv(t)
	const (
		fositeToken = "ory_at_mrWKLD7nUQB5VFEMRDH_AHdDFGAllbPK9o5ujM-yl3g.Li33MgU3_1T4icWrCpnmBQApMGLQ81PLqj1UDwKVYTM"
		fositeSig   = "Li33MgU3_1T4icWrCpnmBQApMGLQ81PLqj1UDwKVYTM"
		grantID     = "0b6a4b8e-3c1d-4f5e-9a7b-2c3d4e5f6a7b"
	)
	if sig, ok := e.srv.keys.signature(kindAccess, fositeToken); !ok || sig != fositeSig {
		t.Fatalf("fosite's token: signature %q, %v", sig, ok)
	}
	ctx := t.Context()
	exp := e.clk.now().Add(time.Hour).UTC().Format(time.RFC3339Nano)
	// The access record as the fosite store wrote it (fosite.DefaultSession).
	rec := `{"id":"` + grantID + `","requested_at":"2026-01-01T00:00:00Z","client_id":"old-client",` +
		`"granted_audience":["` + e.ts.URL + `"],"form":{"redirect_uri":["http://127.0.0.1:43210/c/callback"]},` +
		`"session":{"expires_at":{"access_token":"` + exp + `"},"username":"Alice","subject":"` + grantID + `","extra":null},"active":true}`
	if err := e.srv.store.Put(ctx, bucketAccess, fositeSig, []byte(rec), time.Time{}); err != nil {
		t.Fatal(err)
	}
	cu, _, err := e.srv.Authenticate(bearerReq(c0(t, e).AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	g := &grant{GrantInfo: GrantInfo{ID: grantID, ClientID: "old-client", UserID: e.alice.ID, Created: e.clk.now(), Expires: e.clk.now().Add(time.Hour)}}
	g.Sealed = e.srv.keys.sealToken(grantID, cu)
	if err := saveGrant(ctx, e.srv.store, g); err != nil {
		t.Fatal(err)
	}
	if got := e.userOf(fositeToken); got != e.alice.ID {
		t.Fatalf("fosite's token acts as %d", got)
	}
}

// c0 signs a client in and returns its tokens (for a ClickUp token).
func c0(t *testing.T, e *env) *oauth2.Token {
	t.Helper()
	return e.discover("c0").signIn()
}

// While Redis is down even a made-up bearer gets 503, as .ci/oauth-replicas.sh
// checks: the server cannot tell, and a 401 would start a sign-in.
func TestAnyBearerWhileStoreDown(t *testing.T) {
	e := newEnvOn(t, onStore(kindRedis))
	e.mr.Close()
	for _, tok := range []string{"ory_at_any.token", "x", "ory_rt_a.b"} {
		st, _, resp := e.call(tok)
		if st != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || resp.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("%s with Redis down: %d %v, want 503 with Retry-After", tok, st, resp.Header)
		}
	}
}
