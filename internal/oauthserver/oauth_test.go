package oauthserver

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestEndToEndStandardClient(t *testing.T) { eachStore(t, testEndToEndStandardClient) }

func testEndToEndStandardClient(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("claude")
	tok := c.signIn()
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Fatalf("token response lacks access, refresh or expiry: %+v", tok)
	}
	if got := e.userOf(tok.AccessToken); got != e.alice.ID {
		t.Fatalf("/mcp acted as ClickUp user %d, want Alice %d", got, e.alice.ID)
	}
	_, m, _ := e.call(tok.AccessToken)
	if ws := m["workspaces"].([]any); len(ws) != 1 || ws[0] != e.wsA.ID {
		t.Errorf("the ClickUp token sees workspaces %v, want only %s (ClickUp's token teams)", ws, e.wsA.ID)
	}
	// Our tokens are our own, never ClickUp's.
	grants, err := e.srv.Grants(t.Context())
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants = %v, %v", grants, err)
	}
	cu, _, err := e.srv.Authenticate(bearerReq(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok.AccessToken, cu) || strings.Contains(tok.RefreshToken, cu) {
		t.Error("the client's token contains the ClickUp token")
	}
	if g := grants[0]; g.UserID != e.alice.ID || g.ClientName != "claude" || len(g.Workspaces) != 1 || g.Workspaces[0].Name != "Alpha" {
		t.Errorf("grant = %+v", g)
	}
	// Nothing secret in the logs.
	for _, s := range []string{cu, tok.AccessToken, tok.RefreshToken, appSecret} {
		if strings.Contains(e.logs.String(), s) {
			t.Errorf("the log holds a secret (%d chars)", len(s))
		}
	}
}

func bearerReq(tok string) *http.Request {
	r, _ := http.NewRequest("GET", "http://x/mcp", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

func TestTokensAtRestAreHashesAndSealed(t *testing.T) {
	eachStore(t, testTokensAtRestAreHashesAndSealed)
}

func testTokensAtRestAreHashesAndSealed(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("vscode")
	tok := c.signIn()
	cu, _, err := e.srv.Authenticate(bearerReq(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if k == kindRedis {
		raw = e.redisDump()
	} else if raw, err = os.ReadFile(e.storePath); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"ClickUp token": cu, "access token": tok.AccessToken, "refresh token": tok.RefreshToken}
	// The random half of an HMAC token ("ory_at_<key>.<sig>") must not be stored either.
	for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
		if k, _, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(s, "ory_at_"), "ory_rt_"), "."); ok {
			secrets["token key of "+s[:6]] = k
		}
	}
	for what, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the store file holds the %s in the clear", what)
		}
	}
	if k == kindBolt {
		if fi, _ := os.Stat(e.storePath); fi.Mode().Perm() != 0o600 {
			t.Errorf("store file mode %v, want 0600", fi.Mode().Perm())
		}
	}
	e.start()
}

func TestWrongVerifier(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	f := c.start()
	q := f.finish()
	if _, err := c.exchange(q.Get("code"), oauth2.GenerateVerifier()); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("exchange with the wrong verifier: %v, want invalid_grant", err)
	}
}

func TestPKCERequired(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	for name, u := range map[string]string{
		"no challenge": c.cfg.AuthCodeURL("state-12345", oauth2.SetAuthURLParam("resource", c.resource)),
		"plain":        c.cfg.AuthCodeURL("state-12345", oauth2.SetAuthURLParam("code_challenge", strings.Repeat("a", 43)), oauth2.SetAuthURLParam("code_challenge_method", "plain")),
	} {
		f := &flow{c: c, next: u}
		q := f.finish()
		if q == nil || q.Get("error") != "invalid_request" || q.Get("state") != "state-12345" {
			t.Errorf("%s: redirect back %v, want error=invalid_request", name, q)
		}
	}
}

func TestReusedCode(t *testing.T) { eachStore(t, testReusedCode) }

func testReusedCode(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	f := c.start()
	q := f.finish()
	tok, err := c.exchange(q.Get("code"), f.verifier)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.exchange(q.Get("code"), f.verifier); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("second exchange: %v, want invalid_grant", err)
	}
	// A replayed code revokes what it was exchanged for (RFC 6749 4.1.2).
	e.refused(tok.AccessToken)
	if _, err := c.refresh(tok.RefreshToken); err == nil {
		t.Error("the refresh token of a replayed code still works")
	}
}

func TestMismatchedRedirect(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	// Another port on the same loopback host: RFC 8252 would allow it; this server does not.
	for _, other := range []string{strings.Replace(c.redirect, "43210", "43211", 1), "https://evil.example/callback"} {
		f := c.start(oauth2.SetAuthURLParam("redirect_uri", other))
		if q := f.finish(); q != nil || strings.HasPrefix(f.last.Header.Get("Location"), other) {
			t.Fatalf("redirect %s: sent the browser on (%v)", other, q)
		}
		if f.last.StatusCode != 400 || !strings.Contains(f.last.Header.Get("Content-Type"), "text/html") {
			t.Errorf("redirect %s: %d %s, want a 400 page", other, f.last.StatusCode, f.last.Header.Get("Content-Type"))
		}
	}
	// The token request must name the same redirect URI as the authorization.
	f := c.start()
	q := f.finish()
	if _, err := c.exchange(q.Get("code"), f.verifier, oauth2.SetAuthURLParam("redirect_uri", "http://127.0.0.1:43210/elsewhere")); err == nil {
		t.Error("exchange with another redirect_uri succeeded")
	}
}

func TestWrongResource(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	f := c.start(oauth2.SetAuthURLParam("resource", "https://other.example/mcp"))
	q := f.finish()
	if q == nil || q.Get("error") != "invalid_target" {
		t.Fatalf("authorize for another resource: %v, want error=invalid_target", q)
	}
	f = c.start()
	q = f.finish()
	if _, err := c.exchange(q.Get("code"), f.verifier, oauth2.SetAuthURLParam("resource", "https://other.example/mcp")); err == nil || !strings.Contains(err.Error(), "invalid_target") {
		t.Fatalf("token for another resource: %v, want invalid_target", err)
	}
	// Both the root and the /mcp resource name this server.
	for _, res := range []string{e.ts.URL, e.ts.URL + "/mcp"} {
		c.resource = res
		if got := e.userOf(c.signIn().AccessToken); got != e.alice.ID {
			t.Errorf("resource %s: user %d", res, got)
		}
	}
}

func TestExpiredAccessToken(t *testing.T) { eachStore(t, testExpiredAccessToken) }

func testExpiredAccessToken(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	tok := c.signIn()
	e.clk.advance(DefaultAccessTokenTTL + time.Second)
	if ch := e.refused(tok.AccessToken); !strings.Contains(ch, `error="invalid_token"`) {
		t.Errorf("challenge %q lacks invalid_token", ch)
	}
	// The refresh token still gets a fresh one.
	nt, err := c.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.userOf(nt.AccessToken); got != e.alice.ID {
		t.Errorf("refreshed token acts as %d", got)
	}
}

func TestRevokedTokens(t *testing.T) { eachStore(t, testRevokedTokens) }

func testRevokedTokens(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	tok := c.signIn()
	e.userOf(tok.AccessToken)
	resp, err := http.PostForm(e.ts.URL+"/revoke", map[string][]string{"token": {tok.RefreshToken}, "client_id": {c.id}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	e.refused(tok.AccessToken)
	if _, err := c.refresh(tok.RefreshToken); err == nil {
		t.Error("a revoked refresh token still works")
	}
	if g, _ := e.srv.Grants(t.Context()); len(g) != 0 {
		t.Errorf("revoking the refresh token left %d grants (and their ClickUp tokens)", len(g))
	}

	// Revoking the access token ends the whole grant too (RFC 7009 2.1
	// allows it): a client that signs out is out.
	tok = c.signIn()
	resp, _ = http.PostForm(e.ts.URL+"/revoke", map[string][]string{"token": {tok.AccessToken}, "client_id": {c.id}})
	resp.Body.Close()
	e.refused(tok.AccessToken)
	if _, err := c.refresh(tok.RefreshToken); err == nil {
		t.Error("the refresh token survived revoking its access token")
	}
	// Another client cannot revoke this client's tokens.
	other := e.discover("other")
	tok = c.signIn()
	resp, _ = http.PostForm(e.ts.URL+"/revoke", map[string][]string{"token": {tok.RefreshToken}, "client_id": {other.id}})
	resp.Body.Close()
	e.userOf(tok.AccessToken)
}

func TestRefreshRotation(t *testing.T) { eachStore(t, testRefreshRotation) }

func testRefreshRotation(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	tok := c.signIn()
	nt, err := c.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if nt.RefreshToken == tok.RefreshToken || nt.AccessToken == tok.AccessToken {
		t.Fatal("refresh did not rotate the tokens")
	}
	e.refused(tok.AccessToken) // the old access token goes with the old refresh token
	if got := e.userOf(nt.AccessToken); got != e.alice.ID {
		t.Fatalf("user %d", got)
	}
	// The old refresh token is refused, and its replay ends the grant:
	// whoever holds the new one (maybe a thief) loses it too; past the
	// leeway for a concurrent twin, that is (TestConcurrentRefresh).
	e.clk.advance(refreshRaceLeeway)
	if _, err := c.refresh(tok.RefreshToken); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("old refresh token: %v, want invalid_grant", err)
	}
	e.refused(nt.AccessToken)
	if _, err := c.refresh(nt.RefreshToken); err == nil {
		t.Error("the new refresh token survived a replay of the old one")
	}
}

func TestDeniedConsent(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	e.fake.SetOAuthConsent(clickuptestDeny())
	f := c.start()
	q := f.finish()
	if q == nil || q.Get("error") != "access_denied" || q.Get("state") != f.state || q.Get("code") != "" {
		t.Fatalf("denied consent: redirect back %v, want error=access_denied with the state", q)
	}
	if g, _ := e.srv.Grants(t.Context()); len(g) != 0 {
		t.Errorf("a denied consent left %d grants", len(g))
	}
}

func TestMadeUpBearer(t *testing.T) {
	e := newEnv(t)
	for _, tok := range []string{"pk_123_ABC", "ory_at_made.up", "x", strings.Repeat("a", 5000)} {
		if ch := e.refused(tok); !strings.Contains(ch, `error="invalid_token"`) {
			t.Errorf("%.10s: challenge %q", tok, ch)
		}
	}
	// No token at all: the bare challenge, with no error (RFC 6750 3.1).
	resp := e.get(e.ts.URL + "/mcp")
	if ch := resp.Header.Get("WWW-Authenticate"); resp.StatusCode != 401 || strings.Contains(ch, "error=") {
		t.Errorf("no token: %d %q", resp.StatusCode, ch)
	}
	// A refresh token is not an access token.
	c := e.discover("c")
	tok := c.signIn()
	e.refused(tok.RefreshToken)
}

func TestTwoUsersAtOnce(t *testing.T) { eachStore(t, testTwoUsersAtOnce) }

func testTwoUsersAtOnce(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	ca, cb := e.discover("alice-client"), e.discover("bob-client")
	fa, fb := ca.start(), cb.start()
	fa.step() // both at ClickUp's consent page
	fb.step()
	e.consent(e.alice.ID, e.wsA.ID)
	fa.step()
	e.consent(e.bob.ID, e.wsB.ID)
	fb.step()
	qb, qa := fb.finish(), fa.finish() // back in the other order
	ta, err := ca.exchange(qa.Get("code"), fa.verifier)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := cb.exchange(qb.Get("code"), fb.verifier)
	if err != nil {
		t.Fatal(err)
	}
	// A client cannot redeem another client's code.
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, want, wantWS := ta.AccessToken, e.alice.ID, e.wsA.ID
			if i%2 == 1 {
				tok, want, wantWS = tb.AccessToken, e.bob.ID, e.wsB.ID
			}
			req, _ := http.NewRequest("GET", e.ts.URL+"/mcp", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			m := decode(t, resp)
			if int64(m["clickup_user"].(float64)) != want || int64(m["grant_user"].(float64)) != want {
				errs <- "a request acted as the other user"
			}
			if ws := m["workspaces"].([]any); len(ws) != 1 || ws[0] != wantWS {
				errs <- "a request saw the other user's workspaces"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestCodeBelongsToItsClient(t *testing.T) {
	e := newEnv(t)
	ca, cb := e.discover("a"), e.discover("b")
	f := ca.start()
	q := f.finish()
	cb.cfg.RedirectURL = ca.redirect
	if _, err := cb.exchange(q.Get("code"), f.verifier); err == nil {
		t.Fatal("client b redeemed client a's code")
	}
}

func TestRestartKeepsGrants(t *testing.T) { eachStore(t, testRestartKeepsGrants) }

func testRestartKeepsGrants(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	tok := c.signIn()
	e.restart()
	if got := e.userOf(tok.AccessToken); got != e.alice.ID {
		t.Fatalf("after restart: user %d", got)
	}
	nt, err := c.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after restart: %v", err)
	}
	e.userOf(nt.AccessToken)
	// The registered client is remembered too.
	e.restart()
	e.userOf(c.signIn().AccessToken)

	// Another key: everyone is signed out, with a clear reason.
	e.key = bytes.Repeat([]byte{9}, KeySize)
	e.restart()
	e.refused(nt.AccessToken)
}

func TestExpiredSignInRequest(t *testing.T) { eachStore(t, testExpiredSignInRequest) }

func testExpiredSignInRequest(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	f := c.start()
	f.step() // at ClickUp
	f.step() // ClickUp approved: the browser is about to come back
	e.clk.advance(DefaultSignInTTL + time.Second)
	if q := f.finish(); q != nil {
		t.Fatalf("an expired sign-in went through: %v", q)
	}
	body := readAll(f.last)
	if f.last.StatusCode != 400 || !strings.Contains(body, "expired") || !strings.Contains(body, "connect again") {
		t.Errorf("expired request page: %d %s", f.last.StatusCode, body)
	}
	// A callback with a state that was never issued gets the same page.
	resp := e.get(e.ts.URL + CallbackPath + "?state=forged&code=abc")
	if resp.StatusCode != 400 || !strings.Contains(readAll(resp), "expired") {
		t.Errorf("forged callback: %d", resp.StatusCode)
	}
}

func TestRedirectNotRegisteredAtClickUp(t *testing.T) {
	e := newEnv(t)
	e.fake.AddOAuthApp(appID, appSecret, "https://somewhere-else.example/oauth/callback")
	c := e.discover("c")
	f := c.start()
	if q := f.finish(); q != nil {
		t.Fatalf("went through: %v", q)
	}
	body := readAll(f.last)
	if !strings.Contains(body, "OAUTH_007") || !strings.Contains(body, e.ts.URL+CallbackPath) || !strings.Contains(body, "What to do") {
		t.Errorf("OAUTH_007 page: %d %s", f.last.StatusCode, body)
	}
}

func TestClickUpRefusesExchange(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ClickUpClientSecret = "wrong-secret" })
	c := e.discover("c")
	f := c.start()
	if q := f.finish(); q != nil {
		t.Fatalf("went through: %v", q)
	}
	body := readAll(f.last)
	if !strings.Contains(body, "OAUTH_010") || !strings.Contains(body, "CLICKUP_OAUTH_CLIENT_SECRET") {
		t.Errorf("page: %d %s", f.last.StatusCode, body)
	}
	if strings.Contains(body, "wrong-secret") || strings.Contains(e.logs.String(), "wrong-secret") {
		t.Error("the client secret leaked")
	}
}

func TestNoWorkspaceAuthorized(t *testing.T) {
	e := newEnv(t)
	loner := e.fake.AddUser(clickuptestUser("Loner"))
	e.consent(loner.ID)
	c := e.discover("c")
	q := c.start().finish()
	if q == nil || q.Get("error") != "access_denied" || !strings.Contains(q.Get("error_description"), "Workspace") {
		t.Fatalf("no workspace: %v", q)
	}
}

func TestNoState(t *testing.T) {
	e := newEnv(t)
	c := e.discover("c")
	f := c.start()
	f.next = strings.Replace(f.next, "state="+f.state, "state=", 1)
	q := f.finish()
	if q == nil || q.Get("code") == "" || q.Has("state") {
		t.Fatalf("without state: %v", q)
	}
	if _, err := c.exchange(q.Get("code"), f.verifier); err != nil {
		t.Fatal(err)
	}
}

// Of many concurrent redemptions of one code, at most one gets tokens: a
// replayed code revokes the whole grant (RFC 6749 section 4.1.2), which may
// end the first exchange too when the replay lands while it is still
// running, so zero winners is the safe outcome, two never.
func TestConcurrentCodeRedemption(t *testing.T) { eachStore(t, testConcurrentCodeRedemption) }

func testConcurrentCodeRedemption(t *testing.T, k storeKind) {
	e := newEnvOn(t, onStore(k))
	c := e.discover("c")
	f := c.start()
	q := f.finish()
	const n = 8
	var wins, losses atomicCounter
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.exchange(q.Get("code"), f.verifier); err == nil {
				wins.add()
			} else {
				losses.add()
			}
		}()
	}
	wg.Wait()
	if wins.get() > 1 || wins.get()+losses.get() != n {
		t.Fatalf("%d of %d redemptions of one code got tokens, want at most 1", wins.get(), n)
	}
}

type atomicCounter struct {
	mu sync.Mutex
	n  int
}

func (a *atomicCounter) add() { a.mu.Lock(); a.n++; a.mu.Unlock() }
func (a *atomicCounter) get() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

func TestConsentPage(t *testing.T) {
	e := newEnv(t)
	c := e.discover("evil<b>app")
	// The page names the client (escaped) and where it will be sent.
	resp, err := e.newBrowser().Get(c.start().next)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	resp.Body.Close()
	if !strings.Contains(body, "evil&lt;b&gt;app") || !strings.Contains(body, "http://127.0.0.1:43210") || strings.Contains(body, "<b>app") {
		t.Errorf("consent page does not name the client safely:\n%s", body)
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("the consent page may be framed (clickjacking)")
	}

	// Cancel ends in an error redirect to the client.
	f := c.start()
	f.decision = "deny"
	q := f.finish()
	if q == nil || q.Get("error") != "access_denied" || q.Get("state") != f.state {
		t.Fatalf("cancel on the consent page: %v", q)
	}
}

// The confused deputy: an attacker registers a client, starts a sign-in,
// approves it in their own browser and sends the ClickUp link to a victim
// whose ClickUp may approve at once. The victim's browser lacks the
// sign-in's cookie, so no code is issued.
func TestConsentBoundToBrowser(t *testing.T) {
	e := newEnv(t)
	attacker := e.discover("attacker")
	f := attacker.start()
	f.step() // attacker's browser: consent page approved, now at ClickUp's link
	if !strings.HasPrefix(f.next, e.fakeURL) {
		t.Fatalf("expected ClickUp's consent URL, got %s", f.next)
	}
	e.consent(e.bob.ID, e.wsB.ID) // the victim is signed in to ClickUp
	victim := &flow{c: attacker, next: f.next, browser: e.newBrowser()}
	if q := victim.finish(); q != nil {
		t.Fatalf("the victim's browser delivered a code to the attacker: %v", q)
	}
	if victim.last.StatusCode != 403 || !strings.Contains(readAll(victim.last), "started elsewhere") {
		t.Errorf("victim's callback: %d", victim.last.StatusCode)
	}
	if g, _ := e.srv.Grants(t.Context()); len(g) != 0 {
		t.Errorf("%d grants", len(g))
	}
	// A consent POST without the page's cookie is refused too.
	f2 := attacker.start()
	resp, _ := e.newBrowser().Get(f2.next)
	body := readAll(resp)
	resp.Body.Close()
	rq := inputRe.FindStringSubmatch(body)
	pr, err := e.newBrowser().PostForm(e.ts.URL+ConsentPath, map[string][]string{"request": {rq[1]}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	pr.Body.Close()
	if pr.StatusCode != 403 {
		t.Errorf("consent without the cookie: %d, want 403", pr.StatusCode)
	}
}
