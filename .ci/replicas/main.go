// Command replicas is issue 21's end-to-end test of many replicas: Debian's
// redis-server on loopback, the fake ClickUp (.ci/fakeclickup) as its own
// process with a short rate window, clickup-mcp replica processes
// (--transport http, --redis-url) and a round-robin reverse proxy in front of
// them, driven by streamable-HTTP MCP clients. .ci/replicas.sh builds the
// binaries and runs it; it lives under .ci so `go test ./...` skips it.
//
// It checks, each on a token of its own (the fake's windows are per token):
//   - 300 calls for one token from 30 clients through 3 replicas on Redis:
//     0 upstream 429s, every call answered, and the run within 1.10x the
//     floor the fake's window allows (requests the fake counted / its rate);
//   - the same create sent to two replicas at once makes one task;
//   - a replica killed (SIGKILL) during creates loses no acknowledged write;
//   - Redis stopped mid-run: every call is still answered, a replica logs
//     the warning;
//
// and measures calls/s and p99 for 1 and 3 replicas, and the 429s of 3
// replicas without Redis. With -docs it rewrites the figures' block in
// docs/DEPLOY.md. It prints one verdict line last; every process it started
// is stopped by its PID before it exits, on failure and on SIGINT/SIGTERM
// too.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	protocolVersion = "2025-06-18"
	demoWorkspace   = "9015123456"
	docsBegin       = "<!-- replicas:begin (written by: bash .ci/replicas.sh --write-docs) -->"
	docsEnd         = "<!-- replicas:end -->"
)

type options struct {
	bin, fake, redisBin, out, docs string
	calls, clients                 int
	limit                          int
	window                         time.Duration
	maxRatio                       float64
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the clickup-mcp binary")
	flag.StringVar(&o.fake, "fake", "", "the fakeclickup binary (.ci/fakeclickup)")
	flag.StringVar(&o.redisBin, "redis-server", "redis-server", "the redis-server binary")
	flag.StringVar(&o.out, "out", "", "directory for the processes' logs")
	flag.StringVar(&o.docs, "docs", "", "rewrite the figures' block of this file (docs/DEPLOY.md)")
	flag.IntVar(&o.calls, "calls", 300, "tool calls per load run")
	flag.IntVar(&o.clients, "clients", 30, "concurrent MCP clients per load run")
	// ClickUp's 10 requests a second, in windows of 149: 300 requests are
	// just over two windows, so the floor at the window's rate (300 / 10 a
	// second) is also the least time the fixed windows allow (two windows,
	// then the last request); with 100 per 10 s the last 100 would go at
	// once, 10 s under the rate's floor, and a run 40% slower would pass.
	flag.IntVar(&o.limit, "rate-limit", 149, "the fake's requests per token per window")
	flag.DurationVar(&o.window, "rate-window", 14900*time.Millisecond, "the fake's window")
	flag.Float64Var(&o.maxRatio, "max-ratio", 1.10, "the longest a 3-replica run may take, as a multiple of the window's floor")
	flag.Parse()
	if o.bin == "" || o.fake == "" || o.out == "" {
		fmt.Println("replicas: FAILED: want -bin, -fake and -out")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o)
	stop()
	stopAll()
	if err != nil {
		fmt.Println("replicas: FAILED:", err)
		os.Exit(1)
	}
}

// ---- processes

type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	mu   sync.Mutex
	seen []string // stderr lines matched by watch
	addr chan string
}

var (
	procsMu sync.Mutex
	procs   []*proc
)

// start runs a process with stdout and stderr in out/name.log; lines with
// "addr=" report its address (clickup-mcp's start-up line), lines with
// watch are kept.
func start(o options, name string, watch string, bin string, args ...string) (*proc, error) {
	f, err := os.Create(filepath.Join(o.out, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CLICKUP_API_TOKEN=") // callers bring their tokens
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	p := &proc{name: name, cmd: cmd, log: f.Name(), done: make(chan struct{}), addr: make(chan string, 1)}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	procsMu.Lock()
	procs = append(procs, p)
	procsMu.Unlock()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(f, line)
			if _, a, ok := strings.Cut(line, "addr="); ok {
				select {
				case p.addr <- strings.Fields(a)[0]:
				default:
				}
			}
			if strings.HasPrefix(line, "http://") {
				select {
				case p.addr <- line:
				default:
				}
			}
			if watch != "" && strings.Contains(line, watch) {
				p.mu.Lock()
				p.seen = append(p.seen, line)
				p.mu.Unlock()
			}
		}
		_, _ = io.Copy(io.Discard, pr)
		f.Close()
	}()
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) waitAddr(d time.Duration) (string, error) {
	select {
	case a := <-p.addr:
		return a, nil
	case <-p.done:
		return "", fmt.Errorf("%s exited at start-up (see %s)", p.name, p.log)
	case <-time.After(d):
		return "", fmt.Errorf("%s reported no address within %v (see %s)", p.name, d, p.log)
	}
}

// kill sends SIGKILL to the process by its PID and waits for it.
func (p *proc) kill() {
	_ = syscall.Kill(p.pid(), syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM, and SIGKILL after 15 s.
func (p *proc) stop() {
	if !p.alive() {
		return
	}
	_ = syscall.Kill(p.pid(), syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

func (p *proc) matched() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func stopAll() {
	procsMu.Lock()
	ps := slices.Clone(procs)
	procsMu.Unlock()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startRedis(o options) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	dir, err := os.MkdirTemp(o.out, "redis")
	if err != nil {
		return nil, "", err
	}
	p, err := start(o, "redis", "", o.redisBin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dir", dir)
	if err != nil {
		return nil, "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		cctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		err := c.Ping(cctx).Err()
		cancel()
		if err == nil {
			return p, "redis://" + addr, nil
		}
		if !p.alive() || time.Now().After(deadline) {
			return nil, "", fmt.Errorf("redis-server on %s did not answer (see %s): %v", addr, p.log, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cluster is n replicas behind a round-robin proxy.
type cluster struct {
	replicas []*proc
	urls     []string // each replica's /mcp
	proxy    *rrProxy
	srv      *http.Server
	url      string // the proxy's /mcp
}

func startCluster(o options, name string, n int, apiURL, redisURL string) (*cluster, error) {
	c := &cluster{}
	for i := 0; i < n; i++ {
		args := []string{"--transport", "http", "--addr", "127.0.0.1:0", "--api-url", apiURL,
			// The fake's window in ClickUp's unit: requests a minute.
			"--rate-limit", strconv.Itoa(int(math.Round(float64(o.limit) * float64(time.Minute) / float64(o.window)))),
			"--timezone", "UTC"}
		if redisURL != "" {
			args = append(args, "--redis-url", redisURL)
		}
		p, err := start(o, fmt.Sprintf("%s-replica%d", name, i+1), "Redis unreachable", o.bin, args...)
		if err != nil {
			return nil, err
		}
		c.replicas = append(c.replicas, p)
	}
	var backends []*url.URL
	for _, p := range c.replicas {
		a, err := p.waitAddr(20 * time.Second)
		if err != nil {
			return nil, err
		}
		c.urls = append(c.urls, "http://"+a+"/mcp")
		backends = append(backends, &url.URL{Scheme: "http", Host: a})
	}
	c.proxy = newRRProxy(backends)
	// Without Redis a session lives on the replica that opened it (its id
	// is keyed by that process): route by Mcp-Session-Id, as DEPLOY.md
	// says. The calls of one token still spread over every replica.
	c.proxy.affinity = redisURL == ""
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.srv = &http.Server{Handler: c.proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.srv.Serve(ln) }()
	c.url = "http://" + ln.Addr().String() + "/mcp"
	return c, nil
}

// toolCalls reads each replica's clickup_mcp_tool_calls_total (all tools
// and outcomes) from its /metrics.
func (c *cluster) toolCalls() ([]int, error) {
	var out []int
	for _, u := range c.urls {
		resp, err := httpClient.Get(strings.TrimSuffix(u, "/mcp") + "/metrics")
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return nil, fmt.Errorf("GET %s/metrics: HTTP %d %v", u, resp.StatusCode, err)
		}
		n := 0.0
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "clickup_mcp_tool_calls_total{") {
				f := strings.Fields(l)
				v, err := strconv.ParseFloat(f[len(f)-1], 64)
				if err != nil {
					return nil, fmt.Errorf("metrics line %q: %v", l, err)
				}
				n += v
			}
		}
		out = append(out, int(n))
	}
	return out, nil
}

func (c *cluster) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = c.srv.Shutdown(ctx)
	cancel()
	var wg sync.WaitGroup
	for _, p := range c.replicas {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
}

// ---- the round-robin proxy

// rrProxy sends each request to the next backend in turn (sessions
// included: no affinity). A backend that refuses the connection is skipped
// for that request, as a load balancer's passive health check does; nothing
// was sent to it, so the retry cannot repeat a write.
type rrProxy struct {
	backends []*url.URL
	// affinity routes a request with an Mcp-Session-Id to the replica that
	// opened the session, as replicas without Redis need.
	affinity bool
	bySID    sync.Map // session id -> *url.URL
	next     atomic.Uint64
	rp       *httputil.ReverseProxy
	dialErrs atomic.Int64
}

type backendKey struct{}

func newRRProxy(backends []*url.URL) *rrProxy {
	p := &rrProxy{backends: backends}
	tr := &http.Transport{MaxIdleConnsPerHost: 256, DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			b := r.In.Context().Value(backendKey{}).(*url.URL)
			r.Out.URL.Scheme, r.Out.URL.Host = b.Scheme, b.Host
			r.Out.Host = r.In.Host // the replicas see the proxy's (loopback) Host
		},
		Transport: retryDial{p: p, tr: tr},
		ModifyResponse: func(resp *http.Response) error {
			if sid := resp.Header.Get("Mcp-Session-Id"); p.affinity && sid != "" {
				// resp.Request went to the replica that answered (after
				// any retry), the one holding the session.
				p.bySID.LoadOrStore(sid, &url.URL{Scheme: "http", Host: resp.Request.URL.Host})
			}
			return nil
		},
		FlushInterval: -1, // event streams pass through as they come
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		},
	}
	return p
}

func (p *rrProxy) pick() *url.URL {
	return p.backends[(p.next.Add(1)-1)%uint64(len(p.backends))]
}

func (p *rrProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		http.Error(w, "proxy: reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	b := p.pick()
	if sid := r.Header.Get("Mcp-Session-Id"); p.affinity && sid != "" {
		if v, ok := p.bySID.Load(sid); ok {
			b = v.(*url.URL)
		}
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), backendKey{}, b)))
}

// retryDial moves a request whose connection could not be made to the next
// backend, once per backend.
type retryDial struct {
	p  *rrProxy
	tr *http.Transport
}

func (t retryDial) RoundTrip(req *http.Request) (*http.Response, error) {
	var err error
	for i := 0; i < len(t.p.backends); i++ {
		rq := req
		if i > 0 {
			b := t.p.pick()
			rq = req.Clone(req.Context())
			rq.URL.Host = b.Host
			if req.GetBody != nil {
				if rq.Body, err = req.GetBody(); err != nil {
					return nil, err
				}
			}
		}
		var resp *http.Response
		resp, err = t.tr.RoundTrip(rq)
		var op *net.OpError
		if err == nil || !errors.As(err, &op) || op.Op != "dial" {
			return resp, err
		}
		t.p.dialErrs.Add(1)
	}
	return nil, err
}

// ---- a lean streamable-HTTP MCP client

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512,
	DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}, Timeout: 120 * time.Second}

type session struct {
	url, token, id string
	seq            int
}

func openSession(ctx context.Context, url, token string) (*session, error) {
	s := &session{url: url, token: token}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + protocolVersion +
		`","capabilities":{},"clientInfo":{"name":"ci-replicas","version":"1"}}}`
	if _, err := s.post(ctx, []byte(init)); err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	if s.id == "" {
		return nil, errors.New("initialize answered without Mcp-Session-Id")
	}
	if _, err := s.post(ctx, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)); err != nil {
		return nil, fmt.Errorf("initialized: %w", err)
	}
	return s, nil
}

func (s *session) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json, text/event-stream")
	h.Set("Authorization", "Bearer "+s.token)
	h.Set("Mcp-Protocol-Version", protocolVersion)
	if s.id != "" {
		h.Set("Mcp-Session-Id", s.id)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
		s.id = id
	}
	switch {
	case resp.StatusCode == http.StatusAccepted:
		return nil, nil
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, data)
	case strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream"):
		var last []byte
		for _, l := range bytes.Split(data, []byte("\n")) {
			if d, ok := bytes.CutPrefix(l, []byte("data:")); ok {
				last = bytes.TrimSpace(d)
			}
		}
		return last, nil
	}
	return data, nil
}

// call makes one tools/call; a protocol error or an isError result is an
// error. It returns the structured content.
func (s *session) call(ctx context.Context, tool string, args any) (json.RawMessage, error) {
	s.seq++
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.seq + 10, "method": "tools/call",
		"params": map[string]any{"name": tool, "arguments": args}})
	if err != nil {
		return nil, err
	}
	data, err := s.post(ctx, b)
	if err != nil {
		return nil, err
	}
	var r struct {
		Result *struct {
			IsError    bool            `json:"isError"`
			Structured json.RawMessage `json:"structuredContent"`
		} `json:"result"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %.200s", err, data)
	}
	if r.Error != nil {
		return nil, errors.New(r.Error.Message)
	}
	if r.Result == nil || r.Result.IsError {
		return nil, fmt.Errorf("tool error: %.300s", data)
	}
	return r.Result.Structured, nil
}

// ---- the fake's side

type fakeStats struct {
	Requests int            `json:"requests"`
	Status   map[string]int `json:"status"`
	Created  int            `json:"created"`
	FirstMS  int64          `json:"first_ms"`
	LastMS   int64          `json:"last_ms"`
}

func (f fakeStats) r429() int { return f.Status["429"] }

type fake struct {
	base string // http://host:port
}

func (f fake) stats(token string, since time.Time) (fakeStats, error) {
	var st fakeStats
	resp, err := httpClient.Get(f.base + "/_fake/stats?token=" + url.QueryEscape(token) + "&since=" + strconv.FormatInt(since.UnixMilli(), 10))
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return st, fmt.Errorf("fake stats: HTTP %d", resp.StatusCode)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

func (f fake) get(token, path string, v any) error {
	req, err := http.NewRequest(http.MethodGet, f.base+"/api"+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", token)
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: HTTP %d: %.200s", path, resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}

// tasks lists the demo's task ids and a list to create in.
func (f fake) tasks(token string) (ids []string, listID string, err error) {
	for page := 0; ; page++ {
		var p struct {
			Tasks []struct {
				ID   string `json:"id"`
				List struct {
					ID string `json:"id"`
				} `json:"list"`
			} `json:"tasks"`
			LastPage bool `json:"last_page"`
		}
		if err := f.get(token, fmt.Sprintf("/v2/team/%s/task?page=%d", demoWorkspace, page), &p); err != nil {
			return nil, "", err
		}
		for _, t := range p.Tasks {
			ids = append(ids, t.ID)
			if listID == "" {
				listID = t.List.ID
			}
		}
		if p.LastPage || len(p.Tasks) == 0 {
			break
		}
	}
	if len(ids) == 0 || listID == "" {
		return nil, "", errors.New("the fake's demo has no tasks")
	}
	return ids, listID, nil
}

// ---- the runs

type loadResult struct {
	name                 string
	replicas             int
	redis                bool
	calls, answered      int
	failed               int
	firstErr             string
	took                 time.Duration
	p50, p99             time.Duration
	requests, r429, need int
	// floor is the answered requests at the window's rate; windows is the
	// least time the fixed windows allow them: they start at a token's
	// first request, so the last of ceil(need/limit) batches can go
	// (ceil-1) windows after the first.
	floor, windows time.Duration
}

func (r loadResult) perSecond() float64 { return float64(r.answered) / r.took.Seconds() }
func (r loadResult) ratio() float64     { return r.took.Seconds() / r.floor.Seconds() }
func (r loadResult) ratioWindows() float64 {
	if r.windows <= 0 {
		return 0 // one window's worth: no floor but the requests' own time
	}
	return r.took.Seconds() / r.windows.Seconds()
}

func (r loadResult) String() string {
	return fmt.Sprintf("%s: %d/%d calls answered (%d failed) in %.1fs = %.1f calls/s, p50 %dms, p99 %dms; the fake counted %d requests, %d of them 429; floor %.1fs (%d answered requests at the window's rate; ratio %.3f), the windows' floor %.1fs (ratio %.3f)",
		r.name, r.answered, r.calls, r.failed, r.took.Seconds(), r.perSecond(), r.p50.Milliseconds(), r.p99.Milliseconds(),
		r.requests, r.r429, r.floor.Seconds(), r.need, r.ratio(), r.windows.Seconds(), r.ratioWindows())
}

// hook lets a run act mid-way: after answered calls reach at, do runs once.
type hook struct {
	at int
	do func()
}

// load opens clients sessions through url, then makes calls tool calls for
// token, each clickup_get_task on the next demo task.
func load(ctx context.Context, o options, f fake, name, url, token string, ids []string, calls, clients int, h *hook) (loadResult, error) {
	res := loadResult{name: name, calls: calls}
	sessions := make([]*session, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := openSession(ctx, url, token)
			if err != nil {
				errs <- err
				return
			}
			sessions[i] = s
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return res, fmt.Errorf("%s: opening sessions: %w", name, err)
	}
	var (
		next, answered atomic.Int64
		mu             sync.Mutex
		lat            []time.Duration
		hookOnce       sync.Once
	)
	start := time.Now()
	for _, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(calls) {
					return
				}
				t0 := time.Now()
				_, err := s.call(ctx, "clickup_get_task", map[string]any{"task_id": ids[int(i)%len(ids)]})
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					res.failed++
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
				if err == nil && answered.Add(1) == int64(max(h.when(), 1)) && h != nil {
					hookOnce.Do(func() { go h.do() })
				}
			}
		}()
	}
	wg.Wait()
	res.took = time.Since(start)
	res.answered = len(lat)
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		res.p50 = lat[(n-1)/2]
		res.p99 = lat[int(math.Ceil(0.99*float64(n)))-1]
	}
	// The request log records a request when it is answered; give the last
	// ones a moment to land, then read what the fake saw since the start.
	st, err := f.stats(token, start.Add(-time.Second))
	if err != nil {
		return res, err
	}
	res.requests, res.r429 = st.Requests, st.r429()
	res.need = st.Requests - st.r429()
	res.floor = time.Duration(float64(res.need) / float64(o.limit) * float64(o.window))
	res.windows = time.Duration((res.need+o.limit-1)/o.limit-1) * o.window
	return res, nil
}

func (h *hook) when() int {
	if h == nil {
		return 0
	}
	return h.at
}

func run(ctx context.Context, o options) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	began := time.Now()
	scenarios := []string{"setup", "r3", "r1", "r3noredis", "dedupe", "kill", "redisdown"}
	token := map[string]string{}
	fargs := []string{"-rate-limit", strconv.Itoa(o.limit), "-rate-window", o.window.String()}
	for i, s := range scenarios {
		token[s] = fmt.Sprintf("pk_81000001_CIREPLICAS%02d%s", i, strings.ToUpper(s))
		fargs = append(fargs, "-token", token[s])
	}
	fp, err := start(o, "fakeclickup", "", o.fake, fargs...)
	if err != nil {
		return err
	}
	base, err := fp.waitAddr(20 * time.Second)
	if err != nil {
		return err
	}
	f := fake{base: base}
	apiURL := base + "/api"
	ids, listID, err := f.tasks(token["setup"])
	if err != nil {
		return err
	}
	rp, redisURL, err := startRedis(o)
	if err != nil {
		return err
	}
	fmt.Printf("replicas: fake ClickUp with a window of %d requests per %v per token, %d demo tasks; redis-server %s\n",
		o.limit, o.window, len(ids), redisURL)

	var problems []string
	check := func(ok bool, format string, a ...any) {
		if !ok {
			problems = append(problems, fmt.Sprintf(format, a...))
			fmt.Println("  FAIL:", fmt.Sprintf(format, a...))
		}
	}
	type loaded struct {
		key   string
		n     int
		redis bool
		label string
	}
	results := map[string]loadResult{}
	for _, l := range []loaded{
		{"r3", 3, true, "3 replicas, Redis"},
		{"r1", 1, true, "1 replica, Redis"},
		{"r3noredis", 3, false, "3 replicas, no Redis"},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		ru := ""
		if l.redis {
			ru = redisURL
		}
		c, err := startCluster(o, l.key, l.n, apiURL, ru)
		if err != nil {
			return err
		}
		r, err := load(ctx, o, f, l.label, c.url, token[l.key], ids, o.calls, o.clients, nil)
		var split []int
		if err == nil {
			split, err = c.toolCalls()
		}
		c.stop()
		if err != nil {
			return err
		}
		r.replicas, r.redis = l.n, l.redis
		results[l.key] = r
		fmt.Println("replicas:", r)
		fmt.Printf("replicas:   tool calls per replica (their /metrics): %v\n", split)
		for i, n := range split {
			check(n > 0, "%s: replica %d answered no call: the proxy did not spread them", l.label, i+1)
		}
		if l.redis {
			check(r.answered == r.calls, "%s: %d of %d calls answered (first error: %s)", l.label, r.answered, r.calls, r.firstErr)
			check(r.r429 == 0, "%s: %d upstream 429s, want 0", l.label, r.r429)
			check(r.ratio() <= o.maxRatio, "%s: took %.1fs, %.3fx the floor of %.1fs; want at most %.2fx", l.label, r.took.Seconds(), r.ratio(), r.floor.Seconds(), o.maxRatio)
			check(r.ratioWindows() <= o.maxRatio, "%s: took %.1fs, %.3fx the %.1fs the fixed windows allow; want at most %.2fx", l.label, r.took.Seconds(), r.ratioWindows(), r.windows.Seconds(), o.maxRatio)
		}
	}

	// The same create, at once, on two replicas.
	{
		c, err := startCluster(o, "dedupe", 3, apiURL, redisURL)
		if err != nil {
			return err
		}
		err = dedupe(ctx, f, c, token["dedupe"], listID, check)
		c.stop()
		if err != nil {
			return err
		}
	}
	// A replica killed during creates.
	{
		c, err := startCluster(o, "kill", 3, apiURL, redisURL)
		if err != nil {
			return err
		}
		err = killMidRun(ctx, f, c, token["kill"], token["setup"], listID, check)
		c.stop()
		if err != nil {
			return err
		}
	}
	// Redis stopped mid-run.
	var down loadResult
	{
		c, err := startCluster(o, "redisdown", 3, apiURL, redisURL)
		if err != nil {
			return err
		}
		calls := o.calls / 2
		down, err = load(ctx, o, f, "3 replicas, Redis stopped after a third of the calls", c.url, token["redisdown"], ids, calls, o.clients,
			&hook{at: calls / 3, do: rp.kill})
		var warned int
		for _, p := range c.replicas {
			if len(p.matched()) > 0 {
				warned++
			}
		}
		c.stop()
		if err != nil {
			return err
		}
		fmt.Println("replicas:", down)
		check(!rp.alive(), "redis-server still running after SIGKILL")
		check(down.answered == down.calls, "Redis stopped: %d of %d calls answered (first error: %s)", down.answered, down.calls, down.firstErr)
		check(warned > 0, "Redis stopped: no replica logged \"Redis unreachable\"")
		fmt.Printf("replicas: Redis stopped: %d of 3 replicas logged the warning; %d upstream 429s on the way\n", warned, down.r429)
	}
	took := time.Since(began)
	if o.docs != "" && len(problems) == 0 {
		if err := writeDocs(o, results, down); err != nil {
			return err
		}
		fmt.Println("replicas: figures written to", o.docs)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d checks failed (logs in %s): %s", len(problems), o.out, strings.Join(problems, "; "))
	}
	r3, r1, nr := results["r3"], results["r1"], results["r3noredis"]
	fmt.Printf("replicas: ok: 3 replicas on Redis: %d calls, 0 429s, %.2fx the floor, %.1f calls/s, p99 %dms (1 replica: %.1f calls/s, p99 %dms); without Redis %d 429s; one task from two creates; no acknowledged write lost; Redis stopped, no call failed (%.0fs)\n",
		r3.answered, r3.ratio(), r3.perSecond(), r3.p99.Milliseconds(), r1.perSecond(), r1.p99.Milliseconds(), nr.r429, took.Seconds())
	return nil
}

type checker func(ok bool, format string, a ...any)

type created struct {
	Task struct {
		ID string `json:"id"`
	} `json:"task"`
	Deduplicated bool `json:"deduplicated"`
}

// dedupe sends the same create to two replicas at once.
func dedupe(ctx context.Context, f fake, c *cluster, token, listID string, check checker) error {
	start := time.Now()
	var ss [2]*session
	for i := range ss {
		s, err := openSession(ctx, c.urls[i], token)
		if err != nil {
			return fmt.Errorf("dedupe: %w", err)
		}
		ss[i] = s
	}
	args := map[string]any{"list_id": listID, "name": "CI replicas: one create sent to two replicas " + strconv.FormatInt(time.Now().UnixNano(), 36)}
	gate := make(chan struct{})
	var wg sync.WaitGroup
	var out [2]created
	var errs [2]error
	for i, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			raw, err := s.call(ctx, "clickup_create_task", args)
			if err == nil {
				err = json.Unmarshal(raw, &out[i])
			}
			errs[i] = err
		}()
	}
	close(gate)
	wg.Wait()
	st, err := f.stats(token, start.Add(-time.Second))
	if err != nil {
		return err
	}
	fmt.Printf("replicas: the same create on replicas 1 and 2 at once: answers %q/%v and %q/%v (deduplicated), errors %v / %v; the fake made %d task(s)\n",
		out[0].Task.ID, out[0].Deduplicated, out[1].Task.ID, out[1].Deduplicated, errs[0], errs[1], st.Created)
	check(errs[0] == nil && errs[1] == nil, "dedupe: a create failed: %v / %v", errs[0], errs[1])
	check(st.Created == 1, "dedupe: the same create on two replicas made %d tasks, want 1", st.Created)
	check(out[0].Task.ID != "" && out[0].Task.ID == out[1].Task.ID, "dedupe: the two answers name tasks %q and %q, want the same", out[0].Task.ID, out[1].Task.ID)
	return nil
}

// killMidRun has 10 clients create 40 tasks through the proxy and kills a
// replica with SIGKILL after 12 were acknowledged; every acknowledged task
// must exist on the fake.
func killMidRun(ctx context.Context, f fake, c *cluster, token, verifyToken, listID string, check checker) error {
	const clients, creates, killAt = 10, 40, 12
	start := time.Now()
	sessions := make([]*session, clients)
	for i := range sessions {
		s, err := openSession(ctx, c.url, token)
		if err != nil {
			return fmt.Errorf("kill: %w", err)
		}
		sessions[i] = s
	}
	var (
		next atomic.Int64
		mu   sync.Mutex
		acks []string
		fail []string
		once sync.Once
		wg   sync.WaitGroup
	)
	victim := c.replicas[1]
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= creates {
					return
				}
				raw, err := s.call(ctx, "clickup_create_task", map[string]any{"list_id": listID, "name": fmt.Sprintf("CI replicas: kill test %s #%d", nonce, i)})
				var cr created
				if err == nil {
					err = json.Unmarshal(raw, &cr)
				}
				mu.Lock()
				if err != nil || cr.Task.ID == "" {
					fail = append(fail, fmt.Sprint(err))
				} else {
					acks = append(acks, cr.Task.ID)
				}
				n := len(acks)
				mu.Unlock()
				if n >= killAt {
					once.Do(victim.kill)
				}
			}
		}()
	}
	wg.Wait()
	check(!victim.alive(), "kill: replica 2 still running")
	var missing []string
	for _, id := range acks {
		var t struct {
			ID string `json:"id"`
		}
		if err := f.get(verifyToken, "/v2/task/"+id, &t); err != nil || t.ID != id {
			missing = append(missing, id)
		}
	}
	st, err := f.stats(token, start.Add(-time.Second))
	if err != nil {
		return err
	}
	fmt.Printf("replicas: replica 2 killed (SIGKILL) after %d acknowledged creates: %d acknowledged, %d failed (in flight on it), the fake made %d tasks, %d acknowledged missing; %d connections refused and sent on by the proxy\n",
		killAt, len(acks), len(fail), st.Created, len(missing), c.proxy.dialErrs.Load())
	check(len(missing) == 0, "kill: %d acknowledged creates are not on the fake: %v", len(missing), missing)
	check(len(acks)+len(fail) == creates, "kill: %d acknowledged + %d failed, want %d", len(acks), len(fail), creates)
	check(len(fail) <= clients, "kill: %d creates failed, more than the %d that can have been in flight on the killed replica: %v", len(fail), clients, fail)
	check(len(acks) > killAt, "kill: no create was acknowledged after the kill")
	check(st.Created >= len(acks), "kill: the fake made %d tasks, fewer than the %d acknowledged", st.Created, len(acks))
	return nil
}

func writeDocs(o options, res map[string]loadResult, down loadResult) error {
	b, err := os.ReadFile(o.docs)
	if err != nil {
		return err
	}
	doc := string(b)
	i, j := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no block between %q and %q", o.docs, docsBegin, docsEnd)
	}
	var w strings.Builder
	fmt.Fprintf(&w, "%s\n", docsBegin)
	fmt.Fprintf(&w, "%d clickup_get_task calls for one token from %d concurrent streamable-HTTP clients through a round-robin\n", o.calls, o.clients)
	fmt.Fprintf(&w, "proxy (on Redis their sessions go round-robin too), replica processes against the fake ClickUp with a window\n")
	fmt.Fprintf(&w, "of %d requests per %v per token (ClickUp's 10 a second, `--rate-limit %d`; %d requests are just over two\n",
		o.limit, o.window, int(math.Round(float64(o.limit)*float64(time.Minute)/float64(o.window))), o.calls)
	fmt.Fprintf(&w, "windows, so the rate's floor is also the fixed windows' floor), on the shared 2-core build machine, %s:\n\n",
		time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(&w, "| setup | calls answered | calls/s | p50 | p99 | upstream 429s | ClickUp requests | time / window floor |")
	fmt.Fprintln(&w, "|---|---|---|---|---|---|---|---|")
	for _, k := range []string{"r1", "r3", "r3noredis"} {
		r := res[k]
		fmt.Fprintf(&w, "| %s | %d of %d | %.1f | %d ms | %d ms | **%d** | %d | %.1f s / %.1f s = %.2fx |\n",
			r.name, r.answered, r.calls, r.perSecond(), r.p50.Milliseconds(), r.p99.Milliseconds(), r.r429, r.requests,
			r.took.Seconds(), r.floor.Seconds(), r.ratio())
	}
	fmt.Fprintf(&w, "| %s | %d of %d | %.1f | %d ms | %d ms | %d | %d | %.1f s / %.1f s = %.2fx |\n",
		down.name, down.answered, down.calls, down.perSecond(), down.p50.Milliseconds(), down.p99.Milliseconds(), down.r429, down.requests,
		down.took.Seconds(), down.floor.Seconds(), down.ratio())
	fmt.Fprintf(&w, "\nThe floor is the requests ClickUp answered (429s excluded) at the window's rate. Calls/s is the window's\n")
	fmt.Fprintf(&w, "rate, not the replicas': one token gets no faster with more replicas; the p99 is a call that waited for the\n")
	fmt.Fprintf(&w, "next window. Without Redis the server's retries hide the 429s from callers, but each costs a request of\n")
	fmt.Fprintf(&w, "the token's budget and a hold on that replica. Also checked by the same command: the\n")
	fmt.Fprintf(&w, "same create sent to two replicas at once makes one task, and a replica killed (SIGKILL) during creates loses\n")
	fmt.Fprintf(&w, "no acknowledged one.\n")
	fmt.Fprintf(&w, "%s", docsEnd)
	doc = doc[:i] + w.String() + doc[j+len(docsEnd):]
	return os.WriteFile(o.docs, []byte(doc), 0o644)
}
