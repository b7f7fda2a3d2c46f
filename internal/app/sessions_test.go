package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// rawSession sends one request on /mcp with the session id and token and
// returns the status code.
func rawSession(t *testing.T, method, base, token, session string) int {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"jsonrpc":"2.0","id":9,"method":"tools/list"}`)
	}
	req, _ := http.NewRequest(method, base+"/mcp", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", testProtocol)
	req.Header.Set("Authorization", "Bearer "+token)
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("%s /mcp: %v", method, err)
	}
	// A GET that is answered 200 is an event stream: the status is enough.
	resp.Body.Close()
	return resp.StatusCode
}

// TestHTTPSessionLifecycle: after DELETE /mcp the session is gone (POST,
// GET and DELETE with its id get 404) and a made-up id gets 404, with and
// without the Redis-shared registry; a live session keeps working.
func TestHTTPSessionLifecycle(t *testing.T) {
	for _, shared := range []bool{false, true} {
		name := "local"
		if shared {
			name = "redis"
		}
		t.Run(name, func(t *testing.T) {
			w := newSmallWorld(t)
			var extra []string
			if shared {
				extra = []string{"--redis-url", "redis://" + miniredis.RunT(t).Addr()}
			}
			s := serve(t, testApp(t, w.url, nil, extra...), time.Second)
			ctx := context.Background()
			live := newMCPConn(s.base, w.token, nil)
			gone := newMCPConn(s.base, w.token, nil)
			for _, c := range []*mcpConn{live, gone} {
				if err := c.initialize(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if code := rawSession(t, http.MethodDelete, s.base, w.token, gone.session); code != http.StatusOK {
				t.Fatalf("DELETE of a live session: %d, want 200", code)
			}
			made := "mcp-session-" + strings.Repeat("ab", 16) + "." + strings.Repeat("cd", 16)
			if shared {
				made = "mcp-session-3f0a1b2c-1d2e-4f00-8a9b-0c1d2e3f4a5b"
			}
			for _, id := range []string{gone.session, made, "not-even-the-format"} {
				for _, m := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
					if code := rawSession(t, m, s.base, w.token, id); code != http.StatusNotFound {
						t.Errorf("%s with session %.24s...: %d, want 404", m, id, code)
					}
				}
			}
			if code := rawSession(t, http.MethodDelete, s.base, w.token, ""); code != http.StatusBadRequest {
				t.Errorf("DELETE without a session id: %d, want 400", code)
			}
			if r, err := live.call(ctx, "clickup_whoami", nil); err != nil || r.IsError {
				t.Errorf("the other session after a DELETE: %v %+v", err, r)
			}
		})
	}
}
