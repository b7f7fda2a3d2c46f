package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/httpserve"
	"go.uber.org/goleak"
)

// The HTTP transport's defences, each tested against a real listener on
// 127.0.0.1 and a fake ClickUp: loopback bind by default, DNS-rebinding
// (Host) and Origin checks, the body limit, the four server timeouts, a
// client that hangs up cancelling its ClickUp request, and a graceful
// shutdown that drains in-flight calls within its deadline.

// inflight counts the requests a handler is still serving.
type inflight struct {
	mu sync.Mutex
	n  int
}

func (f *inflight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.n++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.n--
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

func (f *inflight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// waitFor polls cond every 5 ms for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// smallWorld is a fake ClickUp with one user, workspace, list and task.
type smallWorld struct {
	srv    *httptest.Server
	fake   *clickuptest.Server
	flight *inflight
	url    string // the fake's API root
	token  string
	taskID string
}

func newSmallWorld(t *testing.T) *smallWorld {
	t.Helper()
	// A high limit, not 0: the fake then still sends X-RateLimit-Remaining: 0,
	// which the client obeys by pausing the token for the window.
	f := clickuptest.New(clickuptest.WithRateLimit(1_000_000, time.Minute))
	f.AddUser(clickuptest.User{ID: 501, Username: "Hardy", Email: "hardy@example.com"})
	ws := f.AddWorkspace(clickuptest.Workspace{ID: "5001", Name: "Hardening", MemberIDs: []int64{501}}).ID
	token := "pk_501_" + strings.ToUpper(strings.ReplaceAll(t.Name(), "/", "")) + "SECRETTOKENVALUE"
	f.AddToken(token, 501, ws)
	sp := f.AddSpace(ws, clickuptest.Space{ID: "5101", Name: "S"}).ID
	l := f.AddList(sp, true, clickuptest.List{ID: "5201", Name: "L"}).ID
	task := f.AddTask(l, clickuptest.Task{ID: "hard1", Name: "Hardened task"}).ID
	fl := &inflight{}
	srv := httptest.NewServer(fl.wrap(f))
	t.Cleanup(srv.Close)
	return &smallWorld{srv: srv, fake: f, flight: fl, url: srv.URL + "/api", token: token, taskID: task}
}

// testApp builds the app as main does, from flags, against apiURL, with no
// server token (every request brings its own) and logs at debug level.
func testApp(t *testing.T, apiURL string, logs io.Writer, args ...string) *App {
	t.Helper()
	t.Setenv("CLICKUP_API_TOKEN", "")
	t.Setenv(auth.EnvConfigDir, t.TempDir())
	var cfg Config
	fs := NewFlagSet("clickup-mcp", &cfg, io.Discard)
	if err := fs.Parse(append([]string{"--transport", "http", "--api-url", apiURL, "--log-level", "debug", "--log-format", "json"}, args...)); err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = io.Discard
	}
	log, err := NewLogger(&cfg, logs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// serving is an app served by serveOn on 127.0.0.1.
type serving struct {
	base   string
	cancel context.CancelFunc
	done   chan error
}

func serve(t *testing.T, a *App, grace time.Duration) *serving {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{base: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- a.HTTP().ServeOn(ctx, ln, grace) }()
	t.Cleanup(func() { s.stop() })
	return s
}

// stop shuts the server down and returns serveOn's error.
func (s *serving) stop() error {
	s.cancel()
	err, ok := <-s.done
	if ok {
		close(s.done)
	}
	return err
}

const testProtocol = "2025-06-18"

// mcpConn is a minimal streamable-HTTP MCP client: raw JSON-RPC over POST,
// so tests control headers, contexts and connections exactly.
type mcpConn struct {
	base, token, session string
	hc                   *http.Client
	mu                   sync.Mutex
	id                   int
}

func newMCPConn(base, token string, hc *http.Client) *mcpConn {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &mcpConn{base: base, token: token, hc: hc}
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (c *mcpConn) post(ctx context.Context, method string, params any, notify bool) (json.RawMessage, error) {
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		msg["params"] = params
	}
	c.mu.Lock()
	c.id++
	id := c.id
	c.mu.Unlock()
	if !notify {
		msg["id"] = id
	}
	body, _ := json.Marshal(msg)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/mcp", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", testProtocol)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.session != "" {
		req.Header.Set("Mcp-Session-Id", c.session)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if sid := resp.Header.Get("Mcp-Session-Id"); sid != "" && c.session == "" {
		c.session = sid
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if notify {
		if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("notification: HTTP %d: %s", resp.StatusCode, data)
		}
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		data = lastSSEData(data)
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("not JSON-RPC: %v: %.200s", err, data)
	}
	if out.Error != nil {
		return nil, fmt.Errorf("JSON-RPC error %d: %s", out.Error.Code, out.Error.Message)
	}
	return out.Result, nil
}

func lastSSEData(b []byte) []byte {
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if d, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: ")); ok {
			last = append([]byte(nil), d...)
		}
	}
	return last
}

func (c *mcpConn) initialize(ctx context.Context) error {
	if _, err := c.post(ctx, "initialize", map[string]any{
		"protocolVersion": testProtocol, "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "hardening-test", "version": "1"},
	}, false); err != nil {
		return err
	}
	_, err := c.post(ctx, "notifications/initialized", nil, true)
	return err
}

// toolResult is a tools/call result as a client sees it.
type toolResult struct {
	IsError           bool `json:"isError"`
	Content           []struct{ Text string }
	StructuredContent json.RawMessage `json:"structuredContent"`
	raw               string
}

func (r *toolResult) text() string {
	var parts []string
	for _, c := range r.Content {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

func (c *mcpConn) call(ctx context.Context, tool string, args map[string]any) (*toolResult, error) {
	raw, err := c.post(ctx, "tools/call", map[string]any{"name": tool, "arguments": args}, false)
	if err != nil {
		return nil, err
	}
	var r toolResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	r.raw = string(raw)
	return &r, nil
}

// close ends the MCP session (DELETE /mcp), as a polite client does.
func (c *mcpConn) close() {
	if c.session == "" {
		return
	}
	req, _ := http.NewRequest(http.MethodDelete, c.base+"/mcp", nil)
	req.Header.Set("Mcp-Session-Id", c.session)
	req.Header.Set("MCP-Protocol-Version", testProtocol)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if resp, err := c.hc.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func TestHTTPDefaultBindIsLoopback(t *testing.T) {
	t.Setenv("CLICKUP_MCP_ADDR", "")
	var cfg Config
	if err := NewFlagSet("clickup-mcp", &cfg, io.Discard).Parse(nil); err != nil {
		t.Fatal(err)
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || cfg.Addr != "127.0.0.1:8080" || !net.ParseIP(host).IsLoopback() {
		t.Fatalf("default --addr %q: want 127.0.0.1:8080, loopback only", cfg.Addr)
	}
}

func TestHTTPRebindingOriginAndToken(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--allow-origins", "https://app.example.com")
	s := serve(t, a, time.Second)
	port := strings.TrimPrefix(s.base, "http://127.0.0.1:")
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + testProtocol + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	cases := []struct {
		name, method, path, host, origin string
		noToken                          bool
		want                             int
	}{
		{"plain", "POST", "/mcp", "", "", false, 200},
		{"Host localhost", "POST", "/mcp", "localhost:" + port, "", false, 200},
		{"Host rebinding, /mcp", "POST", "/mcp", "evil.example:" + port, "", false, 403},
		{"Host rebinding, /sse", "GET", "/sse", "evil.example", "", false, 403},
		{"Host rebinding, /message", "POST", "/message?sessionId=x", "attacker.test", "", false, 403},
		{"Origin evil", "POST", "/mcp", "", "http://evil.example", false, 403},
		{"Origin looks local", "POST", "/mcp", "", "http://localhost.evil.example", false, 403},
		{"Origin localhost", "POST", "/mcp", "", "http://localhost:5173", false, 200},
		{"Origin 127.0.0.1", "POST", "/mcp", "", "http://127.0.0.1:9999", false, 200},
		{"Origin allowed by flag", "POST", "/mcp", "", "https://app.example.com", false, 200},
		{"Origin not allowed, https", "POST", "/mcp", "", "https://app.example.com.evil.example", false, 403},
		{"Origin null (sandboxed frame, file://)", "POST", "/mcp", "", "null", false, 403},
		{"no token", "POST", "/mcp", "", "", true, 401},
	}
	for _, tc := range cases {
		var body io.Reader
		if tc.method == "POST" {
			body = strings.NewReader(init)
		}
		req, _ := http.NewRequest(tc.method, s.base+tc.path, body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if !tc.noToken {
			req.Header.Set("Authorization", "Bearer "+w.token)
		}
		if tc.host != "" {
			req.Host = tc.host
		}
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
	if n := w.fake.Count(""); n != 0 {
		t.Errorf("refused requests still made %d ClickUp requests", n)
	}
}

func TestHTTPBodyLimit(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--max-body-bytes", "65536")
	s := serve(t, a, time.Second)
	c := newMCPConn(s.base, w.token, nil)
	if err := c.initialize(context.Background()); err != nil {
		t.Fatal(err)
	}
	big := `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"clickup_create_task","arguments":{"list_id":"5201","name":"big","description":"` + strings.Repeat("x", 100_000) + `"}}}`
	send := func(body io.Reader) (int, string) {
		req, _ := http.NewRequest("POST", s.base+"/mcp", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+w.token)
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("MCP-Protocol-Version", testProtocol)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// With a Content-Length: refused before the handler reads anything.
	if code, _ := send(strings.NewReader(big)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 100 KB body: HTTP %d, want 413", code)
	}
	// Chunked, no length: the reader stops at the limit and the message is
	// refused as unreadable.
	code, body := send(io.MultiReader(strings.NewReader(big)))
	if code == http.StatusOK && !strings.Contains(body, "too large") {
		t.Errorf("chunked 100 KB body: HTTP %d %.200s", code, body)
	}
	if n := w.fake.Count("POST /v2/list/{list_id}/task"); n != 0 {
		t.Errorf("an oversized body reached ClickUp %d times", n)
	}
	// Under the limit all is well.
	r, err := c.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID})
	if err != nil || r.IsError {
		t.Fatalf("small call: %v %+v", err, r)
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil)
	def := a.HTTP().NewHTTPServer(nil)
	if def.ReadHeaderTimeout != 10*time.Second || def.ReadTimeout != 60*time.Second || def.WriteTimeout != 90*time.Second || def.IdleTimeout != 120*time.Second {
		t.Fatalf("timeouts: header %v, read %v, write %v, idle %v", def.ReadHeaderTimeout, def.ReadTimeout, def.WriteTimeout, def.IdleTimeout)
	}
	if tc := a.Deps.Config().CallTimeout; tc <= 0 || tc >= def.WriteTimeout {
		t.Fatalf("a tool call's deadline (%v) must end before the write timeout (%v)", tc, def.WriteTimeout)
	}

	// The same server with every timeout scaled down, to watch each act.
	h, shutdown := a.HTTP().Handler()
	srv := a.HTTP().NewHTTPServer(h)
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout = 200*time.Millisecond, 400*time.Millisecond, 500*time.Millisecond, 300*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		_ = shutdown(context.Background())
		_ = srv.Close()
	}()
	addr := ln.Addr().String()
	base := "http://" + addr

	// closedWithin dials, writes, and reports how long the server took to
	// close the connection (a response, if any, is read and dropped).
	closedWithin := func(write string) time.Duration {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		if _, err := io.WriteString(conn, write); err != nil {
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.Copy(io.Discard, conn)
		return time.Since(start)
	}
	t.Run("read header", func(t *testing.T) {
		d := closedWithin("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")
		if d < 150*time.Millisecond || d > 2*time.Second {
			t.Errorf("half-sent headers held the connection %v (ReadHeaderTimeout 200ms)", d)
		}
	})
	t.Run("read body", func(t *testing.T) {
		d := closedWithin("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + w.token + "\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\":")
		if d < 300*time.Millisecond || d > 2500*time.Millisecond {
			t.Errorf("a stalled body held the connection %v (ReadTimeout 400ms)", d)
		}
	})
	t.Run("idle", func(t *testing.T) {
		d := closedWithin("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		if d < 250*time.Millisecond || d > 2500*time.Millisecond {
			t.Errorf("an idle keep-alive connection stayed open %v (IdleTimeout 300ms)", d)
		}
	})
	t.Run("write", func(t *testing.T) {
		// A tool call's response due after the write deadline is not
		// delivered: the connection is closed instead.
		c := newMCPConn(base, w.token, nil)
		if err := c.initialize(context.Background()); err != nil {
			t.Fatal(err)
		}
		w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/task/{id}", Delay: 900 * time.Millisecond})
		if r, err := c.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID}); err == nil {
			t.Errorf("a response written after the write timeout arrived: %+v", r)
		}
		// An SSE stream lifts the deadline: it still delivers after it.
		req, _ := http.NewRequest("GET", base+"/sse", nil)
		req.Header.Set("Authorization", "Bearer "+w.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		events := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					events <- d
				}
			}
			close(events)
		}()
		endpoint := <-events
		time.Sleep(700 * time.Millisecond) // past the 500ms write timeout
		init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + testProtocol + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
		mreq, _ := http.NewRequest("POST", base+endpoint, strings.NewReader(init))
		mreq.Header.Set("Content-Type", "application/json")
		mresp, err := http.DefaultClient.Do(mreq)
		if err != nil {
			t.Fatal(err)
		}
		mresp.Body.Close()
		select {
		case ev, ok := <-events:
			if !ok || !strings.Contains(ev, `"serverInfo"`) {
				t.Errorf("SSE stream after the write timeout: %q (open %v)", ev, ok)
			}
		case <-time.After(5 * time.Second):
			t.Error("no event on the SSE stream after the write timeout")
		}
	})
}

func TestHTTPClientDisconnectCancelsClickUpRequest(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil)
	s := serve(t, a, time.Second)
	c := newMCPConn(s.base, w.token, nil)
	if err := c.initialize(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/task/{id}", Delay: 30 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.call(ctx, "clickup_get_task", map[string]any{"task_id": w.taskID})
		errc <- err
	}()
	if !waitFor(5*time.Second, func() bool { return w.flight.count() == 1 }) {
		t.Fatal("the ClickUp request never started")
	}
	cancel() // the MCP client hangs up mid-call
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	start := time.Now()
	if !waitFor(3*time.Second, func() bool { return w.flight.count() == 0 }) {
		t.Fatal("the ClickUp request outlived its client by 3s")
	}
	t.Logf("the ClickUp request ended %v after the client hung up", time.Since(start).Round(time.Millisecond))
	reqs := w.fake.Requests()
	if last := reqs[len(reqs)-1]; last.Route != "GET /v2/task/{task_id}" || last.Status != 0 {
		t.Fatalf("last ClickUp request: %+v, want the cancelled task read", last)
	}
}

func TestHTTPGracefulShutdown(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	w := newSmallWorld(t)

	t.Run("drains in-flight calls", func(t *testing.T) {
		a := testApp(t, w.url, nil)
		s := serve(t, a, 5*time.Second)
		c := newMCPConn(s.base, w.token, &http.Client{Transport: &http.Transport{}})
		defer c.hc.CloseIdleConnections()
		if err := c.initialize(context.Background()); err != nil {
			t.Fatal(err)
		}
		w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/task/{id}", Delay: 700 * time.Millisecond})
		type res struct {
			r   *toolResult
			err error
		}
		done := make(chan res, 1)
		go func() {
			r, err := c.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID})
			done <- res{r, err}
		}()
		if !waitFor(5*time.Second, func() bool { return w.flight.count() == 1 }) {
			t.Fatal("the call never reached ClickUp")
		}
		start := time.Now()
		if err := s.stop(); err != nil {
			t.Fatalf("shutdown: %v", err)
		}
		got := <-done
		if got.err != nil || got.r.IsError || !strings.Contains(got.r.text(), "Hardened task") {
			t.Fatalf("the in-flight call was not completed: %v %+v", got.err, got.r)
		}
		t.Logf("shutdown waited %v for the in-flight call", time.Since(start).Round(time.Millisecond))
		if _, err := http.Get(s.base + "/healthz"); err == nil {
			t.Error("the server still accepts connections after shutdown")
		}
	})

	t.Run("cancels what outlives the deadline", func(t *testing.T) {
		a := testApp(t, w.url, nil)
		s := serve(t, a, 300*time.Millisecond)
		c := newMCPConn(s.base, w.token, &http.Client{Transport: &http.Transport{}})
		defer c.hc.CloseIdleConnections()
		if err := c.initialize(context.Background()); err != nil {
			t.Fatal(err)
		}
		w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/task/{id}", Delay: 30 * time.Second})
		done := make(chan error, 1)
		go func() {
			r, err := c.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID})
			if err == nil {
				err = fmt.Errorf("answered: %s", r.text())
			}
			done <- err
		}()
		if !waitFor(5*time.Second, func() bool { return w.flight.count() == 1 }) {
			select {
			case err := <-done:
				t.Fatalf("the call never reached ClickUp: %v", err)
			default:
			}
			t.Fatalf("the call never reached ClickUp; last requests %+v", w.fake.Requests())
		}
		start := time.Now()
		err := s.stop()
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) || took > 2*time.Second {
			t.Fatalf("shutdown returned %v after %v, want the deadline after ~300ms", err, took)
		}
		if err := <-done; strings.HasPrefix(err.Error(), "answered") {
			t.Errorf("the call outliving shutdown got an answer: %v", err)
		}
		if !waitFor(3*time.Second, func() bool { return w.flight.count() == 0 }) {
			t.Fatal("its ClickUp request was not cancelled")
		}
		t.Logf("shutdown gave up after %v and cancelled the ClickUp request", took.Round(time.Millisecond))
	})
	// No goroutine outlives the server: close the fake and the idle
	// connections the tools' ClickUp clients keep, then look.
	w.srv.Close()
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)
}

// Sessions a client abandons without DELETE are swept after the idle TTL,
// and their memory comes back.
func TestHTTPAbandonedSessionsAreSwept(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil)
	if httpserve.SessionIdleTTL <= 0 || httpserve.SessionIdleTTL > 24*time.Hour {
		t.Fatalf("session idle TTL %v", httpserve.SessionIdleTTL)
	}
	h, shutdown := a.HTTP().HandlerWith(300 * time.Millisecond)
	srv := httptest.NewServer(h)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	heap := func() int64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	const n = 1000
	before := heap()
	var first, last *mcpConn
	for i := 0; i < n; i++ {
		last = newMCPConn(srv.URL, w.token, hc)
		if err := last.initialize(context.Background()); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = last
		}
	}
	held := heap()
	// The sweeper runs every max(TTL/2, 1s).
	time.Sleep(2500 * time.Millisecond)
	after := heap()
	t.Logf("%d abandoned sessions held %d bytes each; after the sweep %d bytes each remain", n, (held-before)/n, (after-before)/n)
	if (after-before)/n > 500 {
		t.Errorf("abandoned sessions still hold %d bytes each after the idle TTL", (after-before)/n)
	}
	// A client back after the sweep gets 404 and, per the spec, starts a
	// new session, which works.
	for _, c := range []*mcpConn{first, last} {
		if _, err := c.call(context.Background(), "clickup_whoami", nil); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
			t.Errorf("a swept session's next call: %v, want HTTP 404", err)
		}
	}
	fresh := newMCPConn(srv.URL, w.token, hc)
	if err := fresh.initialize(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, err := fresh.call(context.Background(), "clickup_whoami", nil); err != nil || r.IsError {
		t.Errorf("a new session after the sweep: %v %+v", err, r)
	}
	hc.CloseIdleConnections()
	srv.Close()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.srv.Close()
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)
}
