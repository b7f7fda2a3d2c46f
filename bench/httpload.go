package main

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
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

const protocolVersion = "2025-06-18"

// httpServer is the built binary serving streamable HTTP, its ClickUp being
// a fake served by this process.
type httpServer struct {
	cmd    *exec.Cmd
	url    string // .../mcp
	stderr *bytes.Buffer
	done   chan error
}

func spawnHTTP(ctx context.Context, bin, apiURL string) (*httpServer, error) {
	// Logging stays at its defaults (console, info: a line per request), as
	// users run it.
	cmd := exec.CommandContext(ctx, bin, "--transport", "http", "--addr", "127.0.0.1:0",
		"--api-url", apiURL, "--rate-limit", fmt.Sprint(unpaced), "--timezone", "UTC")
	cmd.Env = append(os.Environ(), "CLICKUP_API_TOKEN="+demoToken)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &httpServer{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		// Keep the first lines (for errors), find the address, then drain.
		rd := bufio.NewReader(pipe)
		for s.stderr.Len() < 4096 {
			line, err := rd.ReadString('\n')
			s.stderr.WriteString(line)
			if _, a, ok := strings.Cut(line, "addr="); ok {
				select {
				case addr <- strings.Fields(a)[0]:
				default:
				}
			}
			if err != nil {
				break
			}
		}
		_, _ = io.Copy(io.Discard, rd)
		s.done <- cmd.Wait()
	}()
	select {
	case a := <-addr:
		s.url = "http://" + a + "/mcp"
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("server exited: %w: %s", err, s.stderr.String())
	case <-time.After(15 * time.Second):
		s.stop()
		return nil, errors.New("server did not report its address")
	}
}

func (s *httpServer) pid() int { return s.cmd.Process.Pid }

// stop asks the server to shut down, as a service manager would.
func (s *httpServer) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// loadClient is shared by every session: one pool of keep-alive
// connections, sized for the largest run.
var loadClient = &http.Client{Transport: &http.Transport{
	MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute,
	DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
}}

// mcpSession is a minimal streamable HTTP client: POST JSON-RPC, read the
// answer as JSON or from an event stream. It is lean on purpose, so the
// driver takes as little of the machine's CPU as it can.
type mcpSession struct {
	url, id string
	seq     int
}

func openSession(ctx context.Context, url string) (*mcpSession, error) {
	s := &mcpSession{url: url}
	if _, err := s.post(ctx, []byte(initializeMsg)); err != nil {
		return nil, err
	}
	if s.id == "" {
		return nil, errors.New("initialize answered without Mcp-Session-Id")
	}
	if _, err := s.post(ctx, []byte(initializedMsg)); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *mcpSession) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json, text/event-stream")
	h.Set("Authorization", "Bearer "+demoToken)
	h.Set("Mcp-Protocol-Version", protocolVersion)
	if s.id != "" {
		h.Set("Mcp-Session-Id", s.id)
	}
	resp, err := loadClient.Do(req)
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
		// The answer is the last data line of the stream.
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

// callTool makes one tools/call and fails on a protocol or tool error.
func (s *mcpSession) callTool(ctx context.Context, name string, args any) ([]byte, error) {
	s.seq++
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.seq + 10, "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": args}})
	if err != nil {
		return nil, err
	}
	data, err := s.post(ctx, b)
	if err != nil {
		return nil, err
	}
	var r struct {
		Result *struct {
			IsError bool `json:"isError"`
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
	return data, nil
}

// loadRun is one throughput run: some sessions calling a tool in a loop.
type loadRun struct {
	Latency    time.Duration // the fake's answer delay
	Repeat     int           // which repetition of this configuration
	Sessions   int
	Calls      int
	Errors     int
	FirstError string `json:",omitempty"`
	Elapsed    time.Duration
	PerSecond  float64
	Lat        dist
	PeakRSSKB  int // the server's, sampled during the run
	// ServerCPU is the server process's CPU time per call (user + system,
	// 10 ms ticks over the whole run): robust to other load on the machine.
	ServerCPU time.Duration
	// ClickUpRequests is what the fake saw during the run, over
	// ClickUpConns new connections from the server.
	ClickUpRequests, ClickUpConns int
}

// httpFigures are the streamable HTTP results.
type httpFigures struct {
	IdleRSSKB int // started, no session
	WarmRSSKB int // after the overhead run
	HWMKB     int // VmHWM at the end of all runs
	Overhead  overhead
	Runs      []loadRun
	// FloorRuns are bench/floor's HTTP mode (a one-tool mcp-go server
	// making the same GET) under the zero-latency 50-session load,
	// alternated with clickup-mcp's runs of it.
	FloorRuns       []loadRun
	LoadFor         time.Duration
	LoadMax, Repeat int
	Tool            string
}

func measureHTTP(ctx context.Context, bin, floor string, o opts) (*httpFigures, error) {
	out := &httpFigures{LoadFor: o.loadFor, LoadMax: o.loadMax, Repeat: o.loadRepeat, Tool: "clickup_get_task"}
	for _, lat := range []time.Duration{0, 100 * time.Millisecond} {
		var fopts []clickuptest.Option
		if lat > 0 {
			fopts = append(fopts, clickuptest.WithLatency(lat))
		}
		fake := newFake(fopts...)
		api := httptest.NewUnstartedServer(fake)
		var conns atomic.Int64
		api.Config.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				conns.Add(1)
			}
		}
		api.Start()
		srv, err := spawnHTTP(ctx, bin, api.URL+"/api")
		if err != nil {
			api.Close()
			return nil, err
		}
		var fl *httpServer
		if lat == 0 {
			if fl, err = spawnHTTP(ctx, floor, api.URL+"/api"); err != nil {
				srv.stop()
				api.Close()
				return nil, fmt.Errorf("the floor: %w", err)
			}
		}
		err = func() error {
			ids, err := demoTaskIDs(fake)
			if err != nil {
				return err
			}
			if lat == 0 {
				time.Sleep(200 * time.Millisecond) // let start-up garbage settle
				m, err := readMem(srv.pid())
				if err != nil {
					return err
				}
				out.IdleRSSKB = m.RSS
				if out.Overhead, err = overheadHTTP(ctx, srv.url, api.URL+"/api", ids, o.overheadN); err != nil {
					return err
				}
				if m, err = readMem(srv.pid()); err != nil {
					return err
				}
				out.WarmRSSKB = m.RSS
			}
			for _, n := range []int{1, 10, 50} {
				for rep := 1; rep <= o.loadRepeat; rep++ {
					c0 := conns.Load()
					r, err := loadOnce(ctx, srv, fake, ids, n, o.loadFor, o.loadMax)
					if err != nil {
						return err
					}
					r.ClickUpConns = int(conns.Load() - c0)
					r.Latency, r.Repeat = lat, rep
					out.Runs = append(out.Runs, r)
					if fl != nil && n == 50 {
						c0 = conns.Load()
						f, err := loadOnce(ctx, fl, fake, ids, n, o.loadFor, o.loadMax)
						if err != nil {
							return fmt.Errorf("the floor: %w", err)
						}
						f.ClickUpConns = int(conns.Load() - c0)
						f.Latency, f.Repeat = lat, rep
						out.FloorRuns = append(out.FloorRuns, f)
					}
				}
			}
			m, err := readMem(srv.pid())
			if err != nil {
				return err
			}
			out.HWMKB = max(out.HWMKB, m.HWM)
			return nil
		}()
		srv.stop()
		if fl != nil {
			fl.stop()
		}
		api.Close()
		if err != nil {
			return nil, fmt.Errorf("latency %v: %w (server log: %.500s)", lat, err, srv.stderr.String())
		}
	}
	return out, nil
}

// loadOnce opens n sessions, then has each call the tool back to back until
// the time or the call budget runs out.
func loadOnce(ctx context.Context, srv *httpServer, fake *clickuptest.Server, ids []string, n int, d time.Duration, maxCalls int) (loadRun, error) {
	sessions := make([]*mcpSession, n)
	for i := range sessions {
		s, err := openSession(ctx, srv.url)
		if err != nil {
			return loadRun{}, err
		}
		sessions[i] = s
	}
	// Warm: one call per session, so every session's first call (and the
	// server's connection to ClickUp) is not in the figures.
	for i, s := range sessions {
		if _, err := s.callTool(ctx, "clickup_get_task", map[string]any{"task_id": ids[i%len(ids)]}); err != nil {
			return loadRun{}, err
		}
	}
	fakeBefore := fake.Count("")
	cpu0, err := readCPU(srv.pid())
	if err != nil {
		return loadRun{}, err
	}
	var budget atomic.Int64
	budget.Store(int64(maxCalls))
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type res struct {
		lat        []time.Duration
		errs       int
		firstError string
	}
	results := make([]res, n)
	peak := 0
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(25 * time.Millisecond)
		defer t.Stop()
		for {
			if m, err := readMem(srv.pid()); err == nil {
				peak = max(peak, m.RSS)
			}
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
		}
	}()
	var wg sync.WaitGroup
	start := time.Now()
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.lat = make([]time.Duration, 0, 1024)
			for k := i; runCtx.Err() == nil && budget.Add(-1) >= 0; k += n {
				t := time.Now()
				// The call gets its own context: a call in flight when the
				// run ends completes and counts.
				_, err := s.callTool(ctx, "clickup_get_task", map[string]any{"task_id": ids[k%len(ids)]})
				if err != nil {
					if r.errs == 0 {
						r.firstError = err.Error()
					}
					r.errs++
					continue
				}
				r.lat = append(r.lat, time.Since(t))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampling)
	<-sampled
	cpu1, err := readCPU(srv.pid())
	if err != nil {
		return loadRun{}, err
	}
	out := loadRun{Sessions: n, Elapsed: elapsed, PeakRSSKB: peak, ClickUpRequests: fake.Count("") - fakeBefore}
	var all []time.Duration
	for _, r := range results {
		all = append(all, r.lat...)
		out.Errors += r.errs
		if out.FirstError == "" {
			out.FirstError = r.firstError
		}
	}
	out.Calls = len(all)
	out.Lat = distOf(all)
	out.PerSecond = float64(out.Calls) / elapsed.Seconds()
	if out.Calls > 0 {
		out.ServerCPU = (cpu1 - cpu0) / time.Duration(out.Calls)
	}
	return out, nil
}

// overhead compares a tool call with the bare ClickUp call it wraps.
type overhead struct {
	Calls          int
	Bare, Tool     dist
	ExtraP50       time.Duration
	Ratio          float64 // tool p50 / bare p50
	BareBy, ToolBy string
}

// overheadHTTP: clickup_get_task over streamable HTTP (bench -> server ->
// fake) against Tasks.Get from this process to the same fake.
func overheadHTTP(ctx context.Context, mcpURL, apiURL string, ids []string, n int) (overhead, error) {
	s, err := openSession(ctx, mcpURL)
	if err != nil {
		return overhead{}, err
	}
	c := clickup.New(demoToken, clickup.WithBaseURL(apiURL), clickup.WithRateLimit(unpaced), clickup.WithHTTPClient(loadClient))
	tool := func(i int) error {
		_, err := s.callTool(ctx, "clickup_get_task", map[string]any{"task_id": ids[i%len(ids)]})
		return err
	}
	bare := func(i int) error {
		_, err := c.Tasks.Get(ctx, clickup.Native(ids[i%len(ids)]), &clickup.GetTaskOptions{IncludeMarkdownDescription: true})
		return err
	}
	o, err := compare(n, bare, tool)
	o.BareBy, o.ToolBy = "clickup.Client Tasks.Get, this process -> fake (loopback HTTP)", "clickup_get_task, this process -> server (streamable HTTP) -> fake (loopback HTTP)"
	return o, err
}

// compare times n calls of each side, alternating in blocks so that drift
// (GC, CPU frequency, the fake's growing log) hits both alike.
func compare(n int, bare, tool func(i int) error) (overhead, error) {
	const block = 50
	for i := 0; i < block; i++ { // warm both paths
		if err := bare(i); err != nil {
			return overhead{}, fmt.Errorf("bare: %w", err)
		}
		if err := tool(i); err != nil {
			return overhead{}, fmt.Errorf("tool: %w", err)
		}
	}
	var bs, ts []time.Duration
	for i := 0; i < n; i += block {
		for j := i; j < i+block && j < n; j++ {
			t := time.Now()
			if err := bare(j); err != nil {
				return overhead{}, fmt.Errorf("bare: %w", err)
			}
			bs = append(bs, time.Since(t))
		}
		for j := i; j < i+block && j < n; j++ {
			t := time.Now()
			if err := tool(j); err != nil {
				return overhead{}, fmt.Errorf("tool: %w", err)
			}
			ts = append(ts, time.Since(t))
		}
	}
	o := overhead{Calls: n, Bare: distOf(bs), Tool: distOf(ts)}
	o.ExtraP50 = o.Tool.P50 - o.Bare.P50
	o.Ratio = float64(o.Tool.P50) / float64(o.Bare.P50)
	return o, nil
}
