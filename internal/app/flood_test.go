package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Floods from callers with no valid token, each against a fresh server
// process whose peak RSS (VmHWM in /proc) is read before and after: the
// growth must stay under 200 MB and the server must answer a real user
// normally afterwards. Slow (a minute or so) and Linux-only, so it runs
// only with CLICKUP_MCP_FLOODS=1, as .ci/run does:
//
//	CLICKUP_MCP_FLOODS=1 go test ./internal/app/ -run '^TestFloods$' -count=1 -v

const floodLimitMB = 200

func TestFloods(t *testing.T) {
	if os.Getenv("CLICKUP_MCP_FLOODS") != "1" {
		t.Skip("set CLICKUP_MCP_FLOODS=1 to run the RSS floods (about a minute)")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read a process's RSS")
	}
	w := newSmallWorld(t)
	bin := filepath.Join(t.TempDir(), "clickup-mcp")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/clickup-mcp/clickup-mcp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	floods := []struct {
		name string
		run  func(t *testing.T, base string) string
	}{
		{"1,200 calls, each with a distinct 1 MB junk Authorization", func(t *testing.T, base string) string {
			return floodParallel(1200, 8, func(i int) int {
				return postInit(base, strings.Repeat(string(rune('a'+i%26)), 1<<20-8)+strconv.Itoa(i), nil, -2)
			})
		}},
		{"2,000 calls, each with a distinct plausible junk token (ClickUp refuses it)", func(t *testing.T, base string) string {
			return floodParallel(2000, 8, func(i int) int {
				c := newMCPConn(base, fmt.Sprintf("pk_%d_JUNKTOKEN%030d", 900000+i, i), nil)
				if err := c.initialize(context.Background()); err != nil {
					return -1
				}
				r, err := c.call(context.Background(), "clickup_whoami", nil)
				if err != nil || !r.IsError {
					return -1
				}
				return 200
			})
		}},
		{"10,000 sessions opened with distinct junk tokens and abandoned", func(t *testing.T, base string) string {
			return floodParallel(10000, 8, func(i int) int {
				return postInit(base, fmt.Sprintf("pk_%d_JUNKTOKEN%030d", 800000+i, i), nil, -2)
			})
		}},
		{"one SSE session that never reads, 20,000 posted messages", func(t *testing.T, base string) string {
			req, _ := http.NewRequest("GET", base+"/sse", nil)
			req.Header.Set("Authorization", "Bearer "+w.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			var endpoint string
			for endpoint == "" {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatal(err)
				}
				if d, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
					endpoint = d
				}
			}
			// From here on the stream is never read.
			msg := `{"jsonrpc":"2.0","id":%d,"method":"tools/list"}`
			return floodParallel(20000, 8, func(i int) int {
				r, _ := http.NewRequest("POST", base+endpoint, strings.NewReader(fmt.Sprintf(msg, i)))
				r.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					return -1
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode
			})
		}},
		{"40 concurrent 15 MB bodies, chunked (no declared length)", func(t *testing.T, base string) string {
			return floodParallel(40, 40, func(i int) int {
				return postInit(base, w.token, &chunked{n: 15 << 20}, -1)
			})
		}},
		{"40 concurrent 15 MB bodies with Content-Length", func(t *testing.T, base string) string {
			return floodParallel(40, 40, func(i int) int {
				return postInit(base, w.token, &chunked{n: 15 << 20}, 15<<20)
			})
		}},
	}
	for _, f := range floods {
		t.Run(f.name, func(t *testing.T) {
			p := startServer(t, bin, w.url)
			base := p.base
			// Warm up as a real user, then take the baseline.
			c := newMCPConn(base, w.token, nil)
			if err := c.initialize(context.Background()); err != nil {
				t.Fatal(err)
			}
			if r, err := c.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID}); err != nil || r.IsError {
				t.Fatalf("warm-up: %v %+v", err, r)
			}
			rss0, _ := procMem(t, p.pid)
			start := time.Now()
			outcome := f.run(t, base)
			took := time.Since(start)
			_, peak := procMem(t, p.pid)
			rss1, _ := procMem(t, p.pid)
			// The server still answers a real user normally.
			c2 := newMCPConn(base, w.token, nil)
			err := c2.initialize(context.Background())
			var r *toolResult
			if err == nil {
				r, err = c2.call(context.Background(), "clickup_get_task", map[string]any{"task_id": w.taskID})
			}
			answered := err == nil && !r.IsError && strings.Contains(r.text(), "Hardened task")
			growth := (peak - rss0) / 1024
			t.Logf("flood | %s | %s | %d MB | %d MB | %d MB | %v | %v", f.name, outcome, rss0/1024, growth, (rss1-rss0)/1024, took.Round(100*time.Millisecond), answered)
			if growth >= floodLimitMB {
				t.Errorf("peak RSS grew %d MB (from %d MB), over %d MB", growth, rss0/1024, floodLimitMB)
			}
			if !answered {
				t.Errorf("after the flood a real user's call failed: %v %+v", err, r)
			}
		})
	}
}

// floodParallel runs n calls of f, conc at a time, and counts the outcomes
// by HTTP status (-1: transport error or a failed call).
func floodParallel(n, conc int, f func(i int) int) string {
	var mu sync.Mutex
	counts := map[int]int{}
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < conc; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				code := f(i)
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var parts []string
	for _, code := range []int{200, 202, 401, 413, 429, 431, 503, -1} {
		if counts[code] > 0 {
			name := strconv.Itoa(code)
			if code == -1 {
				name = "refused/closed"
			}
			parts = append(parts, fmt.Sprintf("%d× %s", counts[code], name))
			delete(counts, code)
		}
	}
	for code, k := range counts {
		parts = append(parts, fmt.Sprintf("%d× %d", k, code))
	}
	return strings.Join(parts, ", ")
}

// postInit posts an initialize (or body, when given) with auth, and returns
// the status; length -2 means "the initialize message, declared".
func postInit(base, auth string, body io.Reader, length int64) int {
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + testProtocol + `","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	if body == nil {
		body, length = strings.NewReader(init), int64(len(init))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/mcp", body)
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// chunked is a body of n bytes of a JSON string, generated as it is read.
type chunked struct{ n, off int }

func (c *chunked) Read(p []byte) (int, error) {
	if c.off >= c.n {
		return 0, io.EOF
	}
	k := min(len(p), c.n-c.off)
	for i := 0; i < k; i++ {
		p[i] = 'x'
	}
	if c.off == 0 && k > 0 {
		p[0] = '"'
	}
	c.off += k
	return k, nil
}

type proc struct {
	base string
	pid  int
}

// startServer runs the built server on a free loopback port against the
// fake, and stops it when the test ends.
func startServer(t *testing.T, bin, apiURL string) *proc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--transport", "http", "--addr", addr, "--api-url", apiURL, "--log-level", "error")
	cmd.Env = append(os.Environ(), "CLICKUP_API_TOKEN=", "CLICKUP_MCP_CONFIG_DIR="+t.TempDir(), "GOGC=100")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server stderr: %.2000s", stderr.String())
		}
	})
	base := "http://" + addr
	if !waitFor(10*time.Second, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	}) {
		t.Fatalf("server did not start: %s", stderr.String())
	}
	return &proc{base: base, pid: cmd.Process.Pid}
}

// procMem reads a process's resident set and its peak, in KB.
func procMem(t *testing.T, pid int) (rss, peak int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = n
		case "VmHWM:":
			peak = n
		}
	}
	return rss, peak
}
