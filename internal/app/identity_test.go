package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/httpserve"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
)

// Identity that cannot change: each HTTP session acts for the identity it
// was opened with, for its whole life, over real HTTP and SSE connections
// to a fake ClickUp with three users: the server's own (Hardy), Bob and
// Alice.

type idWorld struct {
	*smallWorld
	bob, alice string
}

func newIDWorld(t *testing.T) *idWorld {
	w := newSmallWorld(t)
	w.fake.AddUser(clickuptest.User{ID: 502, Username: "Bob", Email: "bob@example.com"})
	w.fake.AddUser(clickuptest.User{ID: 503, Username: "Alice", Email: "alice@example.com"})
	bob, alice := "pk_502_BOBSECRETTOKENVALUE0000000", "pk_503_ALICESECRETTOKENVALUE00000"
	w.fake.AddToken(bob, 502, "5001")
	w.fake.AddToken(alice, 503, "5001")
	return &idWorld{smallWorld: w, bob: bob, alice: alice}
}

// sseConn is an SSE client: GET /sse, then POST /message?sessionId=...,
// reading the responses off the stream.
type sseConn struct {
	base, endpoint string
	events         chan string
	resp           *http.Response
	id             int
}

func openSSE(t *testing.T, base string, hdr map[string]string) (*sseConn, int) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/sse", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, resp.StatusCode
	}
	c := &sseConn{base: base, events: make(chan string, 64), resp: resp}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				c.events <- d
			}
		}
	}()
	select {
	case ep := <-c.events:
		c.endpoint = ep
	case <-time.After(5 * time.Second):
		t.Fatal("no endpoint event")
	}
	t.Cleanup(c.close)
	return c, http.StatusOK
}

func (c *sseConn) close() { c.resp.Body.Close() }

func (c *sseConn) sessionID() string {
	_, id, _ := strings.Cut(c.endpoint, "sessionId=")
	return id
}

// post sends one message with the given headers and returns the HTTP status.
func (c *sseConn) post(t *testing.T, hdr map[string]string, method string, params any) int {
	t.Helper()
	c.id++
	msg := map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if strings.HasPrefix(method, "notifications/") {
		delete(msg, "id")
	}
	b, _ := json.Marshal(msg)
	req, _ := http.NewRequest("POST", c.base+c.endpoint, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// next returns the next response on the stream.
func (c *sseConn) next(t *testing.T) string {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("stream closed")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no response on the stream")
	}
	return ""
}

func (c *sseConn) initialize(t *testing.T, hdr map[string]string) {
	t.Helper()
	if code := c.post(t, hdr, "initialize", map[string]any{"protocolVersion": testProtocol, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}); code != http.StatusAccepted {
		t.Fatalf("initialize: HTTP %d", code)
	}
	c.next(t)
	c.post(t, hdr, "notifications/initialized", nil)
}

// call posts a tools/call and returns the response from the stream.
func (c *sseConn) call(t *testing.T, hdr map[string]string, tool string, args map[string]any) (int, string) {
	t.Helper()
	code := c.post(t, hdr, "tools/call", map[string]any{"name": tool, "arguments": args})
	if code != http.StatusAccepted {
		return code, ""
	}
	return code, c.next(t)
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// usersSeen returns the user ids whose tokens reached the fake since mark.
func tokensSeen(w *idWorld, since int) map[string]int {
	out := map[string]int{}
	for _, r := range w.fake.Requests()[since:] {
		out[r.Token]++
	}
	return out
}

func TestIdentitySSESessionIsBoundForLife(t *testing.T) {
	w := newIDWorld(t)
	var logs testutil.Buffer
	a := testApp(t, w.url, &logs, "--token", w.token, "--allow-server-token")
	a.MaxSSESessions = 8
	s := serve(t, a, time.Second)

	bob, _ := openSSE(t, s.base, bearer(w.bob))
	bob.initialize(t, nil) // messages without a header, as many clients send
	// A flood of tokenless streams: past the bound they are refused; none
	// pushes Bob's binding out.
	refused := 0
	for i := 0; i < 12; i++ {
		if _, code := openSSE(t, s.base, nil); code == http.StatusServiceUnavailable {
			refused++
		} else if code != http.StatusOK {
			t.Fatalf("tokenless stream %d: HTTP %d", i, code)
		}
	}
	if refused != 5 {
		t.Errorf("%d of 12 tokenless streams refused with 503, want 5 (8 sessions at most, Bob's open)", refused)
	}
	mark := len(w.fake.Requests())
	_, res := bob.call(t, nil, "clickup_whoami", nil)
	if !strings.Contains(res, "Bob") || strings.Contains(res, "Hardy") {
		t.Fatalf("Bob's session after the flood answered as someone else: %.300s", res)
	}
	if seen := tokensSeen(w, mark); len(seen) != 1 || seen[w.bob] == 0 {
		t.Errorf("Bob's call reached ClickUp with tokens %v, want Bob's alone", redactKeys(seen, w))
	}
	// A message with another token is refused, and reaches nothing.
	mark = len(w.fake.Requests())
	if code, _ := bob.call(t, bearer(w.alice), "clickup_delete_task", map[string]any{"task_id": w.taskID}); code != http.StatusForbidden {
		t.Errorf("Alice's message on Bob's session: HTTP %d, want 403", code)
	}
	if code, _ := bob.call(t, bearer(w.token), "clickup_whoami", nil); code != http.StatusForbidden {
		t.Errorf("the server token's message on Bob's session: HTTP %d, want 403", code)
	}
	if n := len(w.fake.Requests()) - mark; n != 0 {
		t.Errorf("refused messages made %d ClickUp requests", n)
	}
	// Session ids never reach the log; a keyed hash does.
	if l := logs.String(); strings.Contains(l, bob.sessionID()) {
		t.Errorf("Bob's SSE session id is in the log")
	} else if !strings.Contains(l, httpserve.LogID(bob.sessionID())) {
		t.Errorf("the log has no hashed session id to follow the session by")
	}
}

func TestIdentitySSENarrowingOfTheStreamHolds(t *testing.T) {
	w := newIDWorld(t)
	a := testApp(t, w.url, nil)
	s := serve(t, a, time.Second)
	c, _ := openSSE(t, s.base, map[string]string{"Authorization": "Bearer " + w.bob, "X-MCP-Read-Only": "yes"})
	c.initialize(t, nil)
	c.post(t, nil, "tools/list", nil)
	if list := c.next(t); strings.Contains(list, "clickup_delete_task") || !strings.Contains(list, "clickup_get_task") {
		t.Errorf("tools/list on a read-only stream, message without headers: %.400s", list)
	}
	_, res := c.call(t, nil, "clickup_delete_task", map[string]any{"task_id": w.taskID})
	if !strings.Contains(res, "error") || w.fake.Count("DELETE /v2/task/{task_id}") != 0 {
		t.Errorf("a delete on a read-only stream went through: %.300s", res)
	}
	// A message's own headers narrow further, never widen.
	c.post(t, map[string]string{"X-MCP-Read-Only": "no", "X-MCP-Tools": "clickup_whoami"}, "tools/list", nil)
	if list := c.next(t); strings.Contains(list, "clickup_delete_task") || strings.Contains(list, "clickup_get_task") || !strings.Contains(list, "clickup_whoami") {
		t.Errorf("tools/list narrowed by stream and message: %.400s", list)
	}
	if code := c.post(t, map[string]string{"X-MCP-Read-Only": "maybe"}, "tools/list", nil); code != http.StatusBadRequest {
		t.Errorf("X-MCP-Read-Only: maybe on a message: HTTP %d, want 400", code)
	}
}

func TestIdentityStreamableSessionKeepsItsIdentity(t *testing.T) {
	w := newIDWorld(t)
	var logs testutil.Buffer
	a := testApp(t, w.url, &logs, "--token", w.token, "--allow-server-token")
	s := serve(t, a, time.Second)
	ctx := context.Background()
	bob := newMCPConn(s.base, w.bob, nil)
	if err := bob.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := bob.call(ctx, "clickup_whoami", nil); err != nil || !strings.Contains(r.text(), "Bob") {
		t.Fatalf("Bob's whoami: %v %+v", err, r)
	}
	mark := len(w.fake.Requests())
	for _, tc := range []struct{ name, tok string }{{"no header", ""}, {"Alice's token", w.alice}, {"the server's token", w.token}} {
		other := newMCPConn(s.base, tc.tok, nil)
		other.session = bob.session
		_, err := other.call(ctx, "clickup_whoami", nil)
		if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "same Authorization") {
			t.Errorf("Bob's session continued with %s: %v, want 403", tc.name, err)
		}
	}
	if n := len(w.fake.Requests()) - mark; n != 0 {
		t.Errorf("refused requests made %d ClickUp requests", n)
	}
	// A tokenless session of its own acts as the server's user, as allowed.
	anon := newMCPConn(s.base, "", nil)
	if err := anon.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := anon.call(ctx, "clickup_whoami", nil); err != nil || !strings.Contains(r.text(), "Hardy") {
		t.Fatalf("tokenless whoami with --allow-server-token: %v %+v", err, r)
	}
	if strings.Contains(logs.String(), bob.session) {
		t.Error("a streamable-HTTP session id is in the log")
	}
}

func TestIdentityTokenlessNeedsAllowServerToken(t *testing.T) {
	w := newIDWorld(t)
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + testProtocol + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	status := func(base, method, path string) (int, string) {
		var body io.Reader
		if method == "POST" {
			body = strings.NewReader(init)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if method == "GET" {
			return resp.StatusCode, ""
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name     string
		env      string
		args     []string
		want     int
		wantLog  string
		sandbox  bool
		wantBody string
	}{
		{"server token, no flag", "", []string{"--token", w.token}, 401, "get 401", false, "--allow-server-token"},
		{"server token, --allow-server-token", "", []string{"--token", w.token, "--allow-server-token"}, 200, "act as this server's own ClickUp user", false, ""},
		{"server token, CLICKUP_MCP_ALLOW_SERVER_TOKEN=on", "on", []string{"--token", w.token}, 200, "act as this server's own ClickUp user", false, ""},
		{"no token anywhere", "", nil, 401, "get 401", false, ""},
		{"sandbox", "", []string{"--sandbox"}, 200, "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CLICKUP_MCP_ALLOW_SERVER_TOKEN", tc.env)
			var logs testutil.Buffer
			a := testApp(t, w.url, &logs, tc.args...)
			a.logServerToken()
			s := serve(t, a, time.Second)
			code, body := status(s.base, "POST", "/mcp")
			if code != tc.want || !strings.Contains(body, tc.wantBody) {
				t.Errorf("tokenless POST /mcp: HTTP %d %q, want %d with %q", code, body, tc.want, tc.wantBody)
			}
			if code, _ := status(s.base, "GET", "/sse"); code != tc.want {
				t.Errorf("tokenless GET /sse: HTTP %d, want %d", code, tc.want)
			}
			if !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("start-up log lacks %q: %s", tc.wantLog, logs.String())
			}
			if strings.Contains(logs.String(), w.token) {
				t.Error("the server token is in the log")
			}
		})
	}
}

func TestHTTPNarrowingHeadersFailClosed(t *testing.T) {
	w := newIDWorld(t)
	a := testApp(t, w.url, nil)
	s := serve(t, a, time.Second)
	ctx := context.Background()
	headerConn := func(h map[string]string) (*mcpConn, error) {
		c := newMCPConn(s.base, w.bob, &http.Client{Transport: headerRT(h), Timeout: 10 * time.Second})
		return c, c.initialize(ctx)
	}
	// Every spelling of "true" narrows; the delete is not offered, not run.
	for _, v := range []string{"yes", "on", "1", "TRUE", "Yes"} {
		c, err := headerConn(map[string]string{"X-MCP-Read-Only": v})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := c.post(ctx, "tools/list", nil, false)
		if err != nil || strings.Contains(string(raw), "clickup_delete_task") {
			t.Errorf("X-MCP-Read-Only: %s offered the delete: %v", v, err)
		}
		if r, err := c.call(ctx, "clickup_delete_task", map[string]any{"task_id": w.taskID}); err == nil && !r.IsError {
			t.Errorf("X-MCP-Read-Only: %s: the delete ran: %s", v, r.text())
		}
	}
	if n := w.fake.Count("DELETE /v2/task/{task_id}"); n != 0 {
		t.Errorf("%d deletes reached ClickUp under X-MCP-Read-Only", n)
	}
	for _, tc := range []struct{ header, value, want string }{
		{"X-MCP-Read-Only", "maybe", "X-MCP-Read-Only: cannot read \"maybe\""},
		{"X-MCP-Tools", "clickup_get_tsak", "X-MCP-Tools: unknown tool \"clickup_get_tsak\" in tools; valid tools: "},
		{"X-MCP-Exclude-Tools", "delete", "X-MCP-Exclude-Tools: unknown tool \"delete\""},
		{"X-MCP-Toolsets", "taks", "X-MCP-Toolsets: unknown toolset \"taks\"; valid toolsets: "},
	} {
		_, err := headerConn(map[string]string{tc.header: tc.value})
		if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %s: %v, want 400 with %q", tc.header, tc.value, err, tc.want)
		}
	}
}

// headerRT adds headers to every request.
type headerRT map[string]string

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestHTTPTokenHeaderAndBodyCaps(t *testing.T) {
	w := newIDWorld(t)
	a := testApp(t, w.url, nil)
	s := serve(t, a, time.Second)
	send := func(auth string, body io.Reader, n int64) int {
		req, _ := http.NewRequest("POST", s.base+"/mcp", body)
		req.ContentLength = n
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + testProtocol + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	if code := send(strings.Repeat("j", 1<<20), strings.NewReader(init), int64(len(init))); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("1 MB Authorization: HTTP %d, want 431", code)
	}
	if code := send("pk_"+strings.Repeat("j", 600), strings.NewReader(init), int64(len(init))); code != http.StatusUnauthorized {
		t.Errorf("600-byte token: HTTP %d, want 401", code)
	}
	big := strings.Repeat("x", 15<<20)
	if code := send("Bearer "+w.bob, strings.NewReader(big), int64(len(big))); code != http.StatusRequestEntityTooLarge {
		t.Errorf("15 MB body: HTTP %d, want 413 (limit %d)", code, httpserve.DefaultMaxBody)
	}
	if n := w.fake.Count(""); n != 0 {
		t.Errorf("refused requests made %d ClickUp requests", n)
	}
	if a.Cfg.MaxBodyBytes != httpserve.DefaultMaxBody || httpserve.DefaultMaxBody < 1<<20 || httpserve.DefaultMaxBody > 4<<20 {
		t.Errorf("default body limit %d: want between the 1 MiB argument cap and 4 MiB", a.Cfg.MaxBodyBytes)
	}
}

// An SSE session whose client never reads its stream cannot queue without
// bound: past maxSSEPending requests awaiting the stream, messages get 429,
// and the server keeps answering others.
func TestHTTPSSEQueueBounded(t *testing.T) {
	w := newIDWorld(t)
	a := testApp(t, w.url, nil)
	s := serve(t, a, time.Second)
	c, _ := openSSE(t, s.base, bearer(w.bob))
	c.initialize(t, nil)
	// Stop reading: park the reader by not draining events (the channel
	// fills, then the socket buffers, then the server's queue).
	accepted, refused := 0, 0
	for i := 0; i < 5000 && refused == 0; i++ {
		switch code := c.post(t, nil, "tools/list", nil); code {
		case http.StatusAccepted:
			accepted++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("message %d: HTTP %d", i, code)
		}
	}
	t.Logf("a session that never reads: %d messages accepted, then 429", accepted)
	if refused == 0 {
		t.Fatalf("5000 messages to a session that never reads were all accepted")
	}
	other := newMCPConn(s.base, w.alice, nil)
	if err := other.initialize(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, err := other.call(context.Background(), "clickup_whoami", nil); err != nil || !strings.Contains(r.text(), "Alice") {
		t.Errorf("another user while a session is flooded: %v %+v", err, r)
	}
}

func redactKeys(m map[string]int, w *idWorld) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		name := "other"
		switch k {
		case w.bob:
			name = "bob"
		case w.alice:
			name = "alice"
		case w.token:
			name = "server"
		case "":
			name = "none"
		}
		out[name] += v
	}
	return out
}

// Opening a session needs no valid token, so their number is bounded:
// tokens never seen working get 20 of the 30 sessions here; past that a
// new one is refused with 503 (none is evicted), a proven token still gets
// in, and ending a session makes room.
func TestHTTPOpenSessionsBounded(t *testing.T) {
	w := newIDWorld(t)
	a := testApp(t, w.url, nil)
	a.Sessions.Max, a.Sessions.MaxUnproven = 30, 20
	s := serve(t, a, time.Second)
	ctx := context.Background()
	// Alice's token has worked before the flood.
	alice := newMCPConn(s.base, w.alice, nil)
	if err := alice.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := alice.call(ctx, "clickup_whoami", nil); err != nil || r.IsError {
		t.Fatal(err, r)
	}
	var conns []*mcpConn
	// Alice's session was opened before her token had worked: it counts
	// among the 20 unproven ones.
	for i := 0; i < 19; i++ {
		c := newMCPConn(s.base, fmt.Sprintf("pk_%d_JUNKTOKENVALUE000000000000", 7000+i), nil)
		if err := c.initialize(ctx); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	bob := newMCPConn(s.base, w.bob, nil)
	if err := bob.initialize(ctx); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("the 21st session: %v, want 503", err)
	}
	if _, code := openSSE(t, s.base, bearer(w.bob)); code != http.StatusServiceUnavailable {
		t.Errorf("an SSE stream past the bound: HTTP %d, want 503", code)
	}
	// A token that has worked still gets a session, up to the overall bound.
	alice2 := newMCPConn(s.base, w.alice, nil)
	if err := alice2.initialize(ctx); err != nil {
		t.Fatalf("a proven token's new session while unproven ones fill their share: %v", err)
	}
	// The open sessions are untouched; ending one makes room.
	if r, err := conns[0].call(ctx, "clickup_whoami", nil); err != nil || !r.IsError {
		t.Errorf("an open session stopped working: %v %+v", err, r)
	}
	conns[0].close()
	bob = newMCPConn(s.base, w.bob, nil)
	if err := bob.initialize(ctx); err != nil {
		t.Fatalf("after one session ended: %v", err)
	}
	if r, err := bob.call(ctx, "clickup_whoami", nil); err != nil || !strings.Contains(r.text(), "Bob") {
		t.Errorf("Bob's whoami: %v %+v", err, r)
	}
}
