package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// machineInfo is where the figures were taken.
type machineInfo struct {
	CPUs      int
	CPUModel  string
	GoVersion string
	OS        string
	MemTotal  string
}

func machine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && k == "MemTotal" {
				if kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB")); err == nil {
					m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	return m
}

// build compiles a package (the server: ".") as a user would install it.
func build(ctx context.Context, bin, pkg string) (int64, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	st, err := os.Stat(bin)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// memKB is a process's resident memory from /proc/<pid>/status: in all,
// its peak, and the part of it that is the process's own (anonymous: heap,
// stacks), not pages of its binary that every process running it shares.
type memKB struct{ RSS, HWM, Anon int }

func readMem(pid int) (memKB, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memKB{}, err
	}
	var m memKB
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "VmRSS":
			m.RSS = n
		case "VmHWM":
			m.HWM = n
		case "RssAnon":
			m.Anon = n
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc/pid/status")
	}
	return m, nil
}

// readCPU is a process's CPU time (user + system) from /proc/<pid>/stat,
// in clock ticks of 10 ms.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, errors.New("short /proc/pid/stat")
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// loadAvg is /proc/loadavg's first three fields: how busy the machine was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// cpuPressure is the kernel's CPU pressure (PSI): the share of the last 10
// and 300 seconds in which some runnable task waited for a CPU.
func cpuPressure() string {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return "?"
	}
	line, _, _ := strings.Cut(string(b), "\n")
	var a10, a300 string
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, "avg10="); ok {
			a10 = v
		}
		if v, ok := strings.CutPrefix(f, "avg300="); ok {
			a300 = v
		}
	}
	return fmt.Sprintf("%s%% (10 s), %s%% (5 min)", a10, a300)
}

// coldFigures is the time from process start to the first answers over
// stdio, and the memory of the idle process, for clickup-mcp and for the
// floor: a minimal mcp-go stdio server with one tool, built in the same run.
type coldFigures struct {
	Runs int
	// Sandbox: --sandbox (demo workspace seeded at start-up); Token: a
	// token and an API URL, as a user runs it (no request made); Floor: the
	// one-tool mcp-go server.
	Sandbox, Token, Floor coldRun
	// Package init of one run each (GODEBUG=inittrace=1).
	Init, FloorInit initFigures
}

type coldRun struct {
	Initialize, ToolsList dist
	IdleRSSKB             int // after tools/list, median
	IdleAnonKB            int // of it anonymous (RssAnon), median
}

// initFigures sums the package initialisers of one start.
type initFigures struct {
	Ms, EndMs     float64   // clock in initialisers, and when the last ended
	Bytes, Allocs int       // allocated by them: the same on every run
	Top           []initPkg // every initialiser, the largest allocation first
}

type initPkg struct {
	Pkg           string
	Ms            float64
	Bytes, Allocs int
}

// StartRatio is clickup-mcp's time to the first tools/list answer (with a
// token, as users run it) over the floor's, medians of interleaved runs.
func (c *coldFigures) StartRatio() float64 {
	return float64(c.Token.ToolsList.P50) / float64(c.Floor.ToolsList.P50)
}

// AnonRatio is the anonymous part of RSSRatio: the memory each further
// process costs, the binary's shared pages aside.
func (c *coldFigures) AnonRatio() float64 {
	return float64(c.Token.IdleAnonKB) / float64(max(c.Floor.IdleAnonKB, 1))
}

// RSSRatio is clickup-mcp's resident memory after tools/list over the
// floor's.
func (c *coldFigures) RSSRatio() float64 {
	return float64(c.Token.IdleRSSKB) / float64(c.Floor.IdleRSSKB)
}

func coldStart(ctx context.Context, bin, floor string, n int) (*coldFigures, error) {
	out := &coldFigures{Runs: n}
	variants := []struct {
		dst  *coldRun
		bin  string
		args []string
		env  []string
	}{
		{&out.Sandbox, bin, []string{"--sandbox"}, nil},
		{&out.Token, bin, []string{"--api-url", "http://127.0.0.1:9/api"}, []string{"CLICKUP_API_TOKEN=pk_1_BENCHCOLDSTART"}},
		{&out.Floor, floor, nil, nil},
	}
	inits := make([][]time.Duration, len(variants))
	lists := make([][]time.Duration, len(variants))
	rss := make([][]int, len(variants))
	anon := make([][]int, len(variants))
	// Runs alternate between the variants, so a change in the machine's
	// load hits all alike; one unmeasured round warms the page cache, as
	// any second start is.
	for i := -1; i < n; i++ {
		for k, v := range variants {
			a, b, m, err := stdioStart(ctx, v.bin, v.args, v.env)
			if err != nil {
				return nil, err
			}
			if i >= 0 {
				inits[k], lists[k], rss[k] = append(inits[k], a), append(lists[k], b), append(rss[k], m.RSS)
				anon[k] = append(anon[k], m.Anon)
			}
		}
	}
	for k, v := range variants {
		v.dst.Initialize, v.dst.ToolsList = distOf(inits[k]), distOf(lists[k])
		v.dst.IdleRSSKB = medianInt(rss[k])
		v.dst.IdleAnonKB = medianInt(anon[k])
	}
	var err error
	if out.Init, err = initTrace(ctx, bin, "--api-url", "http://127.0.0.1:9/api"); err != nil {
		return nil, err
	}
	if out.FloorInit, err = initTrace(ctx, floor); err != nil {
		return nil, err
	}
	return out, nil
}

func medianInt(v []int) int {
	s := append([]int(nil), v...)
	sort.Ints(s)
	return s[len(s)/2]
}

const (
	initializeMsg  = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`
	initializedMsg = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
	toolsListMsg   = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
)

// stdioStart spawns the server over stdio as an MCP host does, and times
// the answers to initialize and tools/list from the moment of spawning.
func stdioStart(ctx context.Context, bin string, args, env []string) (initAt, listAt time.Duration, mem memKB, err error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--log-level", "warn")...)
	cmd.Env = append(os.Environ(), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err = cmd.Start(); err != nil {
		return
	}
	defer func() {
		_ = stdin.Close()
		if werr := cmd.Wait(); err == nil && werr != nil {
			err = fmt.Errorf("server exited: %w: %s", werr, stderr.String())
		}
	}()
	rd := bufio.NewReaderSize(stdout, 1<<20)
	send := func(msgs ...string) error {
		_, err := io.WriteString(stdin, strings.Join(msgs, "\n")+"\n")
		return err
	}
	read := func(id int) error {
		for {
			line, err := rd.ReadBytes('\n')
			if err != nil {
				return fmt.Errorf("reading answer %d: %w: %s", id, err, stderr.String())
			}
			var m struct {
				ID    *int            `json:"id"`
				Error json.RawMessage `json:"error"`
			}
			if json.Unmarshal(line, &m) == nil && m.ID != nil && *m.ID == id {
				if m.Error != nil {
					return fmt.Errorf("answer %d: %s", id, m.Error)
				}
				return nil
			}
		}
	}
	if err = send(initializeMsg); err != nil {
		return
	}
	if err = read(1); err != nil {
		return
	}
	initAt = time.Since(start)
	if err = send(initializedMsg, toolsListMsg); err != nil {
		return
	}
	if err = read(2); err != nil {
		return
	}
	listAt = time.Since(start)
	mem, err = readMem(cmd.Process.Pid)
	return
}

// initTrace starts the server once with GODEBUG=inittrace=1 and sums its
// package initialisers.
func initTrace(ctx context.Context, bin string, args ...string) (initFigures, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--log-level", "warn")...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "CLICKUP_API_TOKEN=pk_1_BENCHCOLDSTART")
	cmd.Stdin = strings.NewReader(initializeMsg + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	var f initFigures
	if err := cmd.Run(); err != nil {
		return f, fmt.Errorf("%w: %s", err, stderr.String())
	}
	// init github.com/x @67 ms, 44 ms clock, 1702056 bytes, 21295 allocs
	for _, l := range strings.Split(stderr.String(), "\n") {
		w := strings.Fields(l)
		if len(w) < 10 || w[0] != "init" || !strings.HasPrefix(w[2], "@") {
			continue
		}
		at, _ := strconv.ParseFloat(strings.TrimPrefix(w[2], "@"), 64)
		took, _ := strconv.ParseFloat(w[4], 64)
		b, _ := strconv.Atoi(w[7])
		a, _ := strconv.Atoi(w[9])
		f.Ms += took
		f.EndMs = max(f.EndMs, at+took)
		f.Bytes += b
		f.Allocs += a
		f.Top = append(f.Top, initPkg{Pkg: w[1], Ms: took, Bytes: b, Allocs: a})
	}
	// The largest by allocation: clock times on a shared machine wander,
	// allocations do not.
	sort.Slice(f.Top, func(i, j int) bool { return f.Top[i].Bytes > f.Top[j].Bytes })
	return f, nil
}
