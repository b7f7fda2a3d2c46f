package oauthserver

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
)

// Two replicas on one Redis are one authorization server: a sign-in on
// one is good on the other, a rotation on one retires the old refresh
// token on the other, a revocation on one is refused on the other at once,
// and `auth sessions` sees and ends the same grants.
func TestReplicasShareOneRedis(t *testing.T) {
	t.Run("miniredis", func(t *testing.T) { replicaScenario(t, newEnvOn(t, onStore(kindRedis))) })
	t.Run("redis-server", func(t *testing.T) { replicaScenario(t, newEnvOn(t, onRedis(testutil.StartRedis(t)))) })
}

func replicaScenario(t *testing.T, e *env) {
	a, b := 0, e.addReplica()
	e.use(a)
	c := e.discover("claude-code")
	tok := c.signIn()
	e.use(b)
	if got := e.userOf(tok.AccessToken); got != e.alice.ID {
		t.Fatalf("replica b: the token signed in on a acts as %d, want Alice %d", got, e.alice.ID)
	}

	// Refresh on a; on b the old access token is gone and the new works.
	e.use(a)
	nt, err := c.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh on a: %v", err)
	}
	e.use(b)
	e.refused(tok.AccessToken)
	if got := e.userOf(nt.AccessToken); got != e.alice.ID {
		t.Fatalf("replica b: the refreshed token acts as %d", got)
	}
	// The old refresh token on b, right away: refused, and the grant lives
	// (a concurrent twin); later, a replay that ends the grant on a too.
	if _, err := c.refresh(tok.RefreshToken); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("old refresh token on b: %v, want invalid_grant", err)
	}
	e.use(a)
	e.userOf(nt.AccessToken)
	e.clk.advance(refreshRaceLeeway)
	e.use(b)
	if _, err := c.refresh(tok.RefreshToken); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("replayed refresh token on b: %v, want invalid_grant", err)
	}
	e.use(a)
	e.refused(nt.AccessToken)
	if _, err := c.refresh(nt.RefreshToken); err == nil {
		t.Fatal("replica a: the new refresh token survived the replay of the old one on b")
	}

	// Revocation (RFC 7009) on b is refused on a at once.
	e.use(a)
	tok = c.signIn()
	e.use(b)
	e.userOf(tok.AccessToken)
	resp, err := http.PostForm(e.ts.URL+"/revoke", url.Values{"token": {tok.RefreshToken}, "client_id": {c.id}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revoke on b: %d", resp.StatusCode)
	}
	e.use(a)
	e.refused(tok.AccessToken)
	if _, err := c.refresh(tok.RefreshToken); err == nil {
		t.Error("replica a: a refresh token revoked on b still works")
	}

	// `auth sessions --revoke` beside both replicas.
	tok = c.signIn()
	gs, err := e.replicas[b].Grants(t.Context())
	if err != nil || len(gs) != 1 {
		t.Fatalf("grants seen from b: %v, %v", gs, err)
	}
	var out strings.Builder
	if err := Sessions(context.Background(), SessionsOptions{Store: e.newRedisStore(), Revoke: []string{gs[0].ID}, Out: &out}); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{a, b} {
		e.use(i)
		e.refused(tok.AccessToken)
	}
}

// Of many concurrent uses of one refresh token, on any replicas, exactly
// one gets new tokens; the others are refused without ending the grant,
// so the winner's tokens keep working.
func TestConcurrentRefresh(t *testing.T) {
	eachStore(t, func(t *testing.T, k storeKind) {
		e := newEnvOn(t, onStore(k))
		if k == kindRedis {
			e.addReplica()
			e.roundRobin()
		}
		c := e.discover("c")
		tok := c.signIn()
		const n = 8
		var mu sync.Mutex
		var wins []string
		var errs []string
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				nt, err := c.refresh(tok.RefreshToken)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					wins = append(wins, nt.AccessToken, nt.RefreshToken)
				} else {
					errs = append(errs, err.Error())
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(wins) != 2 {
			t.Fatalf("%d of %d concurrent refreshes got tokens, want exactly 1; refusals: %q", len(wins)/2, n, errs)
		}
		for _, msg := range errs {
			if !strings.Contains(msg, "invalid_grant") {
				t.Errorf("a losing refresh: %s, want invalid_grant", msg)
			}
		}
		if got := e.userOf(wins[0]); got != e.alice.ID {
			t.Fatalf("the winner's access token acts as %d", got)
		}
		if _, err := c.refresh(wins[1]); err != nil {
			t.Errorf("the winner's refresh token: %v", err)
		}
	})
}

// With Redis unreachable every endpoint says so with 503 and Retry-After:
// never a 401 that would send the client through sign-in, never a page
// that calls the request expired, never a local fallback. When Redis is
// back, the sign-in made before works again.
func TestStoreUnavailable(t *testing.T) {
	e := newEnvOn(t, onStore(kindRedis))
	c := e.discover("c")
	tok := c.signIn()
	f := c.start()
	f.step() // the consent page was answered; the browser is at ClickUp
	m := e.mr
	m.Close()

	check := func(what string, resp *http.Response, wantHTML bool) {
		t.Helper()
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d (Retry-After %q) %s, want 503 with Retry-After", what, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			return
		}
		if wantHTML {
			if !strings.Contains(string(body), "Redis") || !strings.Contains(string(body), "What to do") {
				t.Errorf("%s: page %s", what, body)
			}
			return
		}
		var v map[string]string
		if json.Unmarshal(body, &v) != nil || v["error"] != "temporarily_unavailable" || !strings.Contains(v["error_description"], "Redis") {
			t.Errorf("%s: body %s", what, body)
		}
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("WWW-Authenticate") != "" {
		t.Error("/mcp: a challenge while the store is down sends the client to sign in again")
	}
	check("/mcp", resp, false)
	resp, _ = http.PostForm(e.ts.URL+"/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {c.id}})
	check("/token", resp, false)
	resp, _ = http.Post(e.ts.URL+"/register", "application/json", strings.NewReader(`{"redirect_uris":["http://127.0.0.1:1/cb"],"token_endpoint_auth_method":"none"}`))
	check("/register", resp, false)
	resp, _ = http.PostForm(e.ts.URL+"/revoke", url.Values{"token": {tok.RefreshToken}, "client_id": {c.id}})
	check("/revoke", resp, false)
	resp, _ = e.browser().Get(c.start().next)
	check("/authorize", resp, true)
	for f.step() { // ClickUp sends the browser back to the callback
	}
	check("/oauth/callback", f.last, true)
	for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
		if strings.Contains(e.logs.String(), s) {
			t.Error("a token in the log")
		}
	}

	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	// go-redis' pool tries a dial again once a second after failures.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		st, body, _ := e.call(tok.AccessToken)
		if st == 200 {
			if got := int64(body["clickup_user"].(float64)); got != e.alice.ID {
				t.Errorf("after Redis came back: user %d", got)
			}
			break
		}
		if st != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("after Redis came back: %d", st)
		}
	}
}
