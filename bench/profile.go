package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
)

// opCost is what one operation costs this process: CPU (user+system, which
// other load on the machine disturbs far less than wall time), wall time
// and heap allocations.
type opCost struct {
	Op           string
	N            int
	CPU, Wall    time.Duration // per op
	Allocs, Heap uint64        // per op
}

// profileFigures: per-operation costs, and where the CPU of the heaviest
// call goes.
type profileFigures struct {
	Ops []opCost
	// Search is the CPU profile of 100-task searches, split by area.
	Search     []share
	SearchFile string
}

type share struct {
	Area    string
	Percent float64
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureOp runs f until it has used about budget of CPU (at least 5
// times) and returns the cost per run.
func measureOp(name string, budget time.Duration, f func() error) (opCost, error) {
	if err := f(); err != nil { // warm
		return opCost{}, fmt.Errorf("%s: %w", name, err)
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0, w0 := cpuNow(), time.Now()
	n := 0
	for n < 5 || cpuNow()-c0 < budget {
		if err := f(); err != nil {
			return opCost{}, fmt.Errorf("%s: %w", name, err)
		}
		n++
	}
	c1, w1 := cpuNow(), time.Now()
	runtime.ReadMemStats(&m1)
	return opCost{
		Op: name, N: n,
		CPU: (c1 - c0) / time.Duration(n), Wall: w1.Sub(w0) / time.Duration(n),
		Allocs: (m1.Mallocs - m0.Mallocs) / uint64(n), Heap: (m1.TotalAlloc - m0.TotalAlloc) / uint64(n),
	}, nil
}

func profileHotPaths(ctx context.Context, dir string) (*profileFigures, error) {
	fake := newFake()
	s, err := newStack(fake, "", toolkit.Selection{})
	if err != nil {
		return nil, err
	}
	ids, err := demoTaskIDs(fake)
	if err != nil {
		return nil, err
	}
	page, err := rawGet(fake, "/api/v2/team/"+demoWS+"/task?page=0")
	if err != nil {
		return nil, err
	}
	bare := clickup.New(demoToken, clickup.WithBaseURL("http://sandbox.invalid/api"),
		clickup.WithHTTPClient(s.deps.Config().HTTPClient), clickup.WithRateLimit(unpaced))
	const budget = 400 * time.Millisecond
	search := func() error {
		_, err := s.callFast(ctx, "clickup_search_tasks", map[string]any{"limit": 100})
		return err
	}
	i := 0
	ops := []struct {
		name string
		f    func() error
	}{
		{"clickup_search_tasks, limit 100 (fake included)", search},
		{"  the fake answering that page (not server work)", func() error {
			_, err := rawGet(fake, "/api/v2/team/"+demoWS+"/task?page=0")
			return err
		}},
		{"  decoding that page (320 KB) into clickup.TaskPage", func() error {
			var p clickup.TaskPage
			return json.Unmarshal(page, &p)
		}},
		{"clickup_get_task (fake included)", func() error {
			i++
			_, err := s.callFast(ctx, "clickup_get_task", map[string]any{"task_id": ids[i%len(ids)]})
			return err
		}},
		{"Tasks.Get, the bare client call (fake included)", func() error {
			i++
			_, err := bare.Tasks.Get(ctx, clickup.Native(ids[i%len(ids)]), &clickup.GetTaskOptions{IncludeMarkdownDescription: true})
			return err
		}},
		{"tools/list (default toolsets)", func() error {
			_, err := s.rpc(ctx, "tools/list", nil)
			return err
		}},
		{"start-up: tools.NewServer (the curated tools, schemas generated ahead)", func() error {
			d := workspace.NewDeps(workspace.Config{Token: demoToken, Location: time.UTC})
			_, _, err := tools.NewServer(d, toolkit.ServerOptions{Name: "clickup-mcp", Version: "bench"})
			return err
		}},
		{"start-up: clickuptest.NewDemo (--sandbox seeding)", func() error {
			clickuptest.NewDemo()
			return nil
		}},
	}
	out := &profileFigures{}
	for _, o := range ops {
		c, err := measureOp(o.name, budget, o.f)
		if err != nil {
			return nil, err
		}
		out.Ops = append(out.Ops, c)
	}

	// The heaviest call, profiled.
	out.SearchFile = filepath.Join(dir, "search100.cpu.pprof")
	f, err := os.Create(out.SearchFile)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	for t := cpuNow(); cpuNow()-t < 3*time.Second; {
		if err := search(); err != nil {
			pprof.StopCPUProfile()
			_ = f.Close()
			return nil, err
		}
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		return nil, err
	}
	for _, a := range []struct{ area, focus, ignore string }{
		{"decoding ClickUp's JSON (clickup client)", `clickup\.\(\*Client\)\.outcome`, ``},
		{"the fake rendering ClickUp's JSON (not in production)", `clickuptest\.`, ``},
		{"summaries, text and size budget (tools)", `tools\.SearchTasks\.func`, `clickup\.|clickuptest\.`},
		{"encoding the JSON-RPC answer", `main\.\(\*stack\)\.rpc`, `HandleMessage`},
		{"garbage collection in the background", `gcBgMarkWorker|bgsweep|bgscavenge`, ``},
	} {
		p, err := pprofShare(ctx, out.SearchFile, a.focus, a.ignore)
		if err != nil {
			return nil, err
		}
		out.Search = append(out.Search, share{a.area, p})
	}
	return out, nil
}

// pprofShare is the share of a profile's samples whose stacks match focus
// (and not ignore): the cumulative share of the top node of
// `go tool pprof -top -cum`, a root every such stack passes through.
func pprofShare(ctx context.Context, prof, focus, ignore string) (float64, error) {
	args := []string{"tool", "pprof", "-top", "-cum", "-nodecount=1", "-focus=" + focus}
	if ignore != "" {
		args = append(args, "-ignore="+ignore)
	}
	out, err := exec.CommandContext(ctx, "go", append(args, prof)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("go tool pprof: %w: %s", err, out)
	}
	//       flat  flat%   sum%        cum   cum%
	//          0     0%     0%      0.56s 47.86%  github.com/...
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if strings.Contains(l, "flat%") && strings.Contains(l, "cum%") && i+1 < len(lines) {
			f := strings.Fields(lines[i+1])
			if len(f) < 6 {
				return 0, nil
			}
			return strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		}
	}
	return 0, nil // nothing matched
}
