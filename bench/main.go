// Command bench is clickup-mcp's load driver and benchmark report: one run
// measures cold start, memory, tool-call overhead, streamable HTTP
// throughput and latency, rate limiting, response sizes and ClickUp requests
// per intent, all against the in-memory fake ClickUp (clickuptest), and
// writes docs/BENCHMARKS.md with a chart (docs/bench-sizes.svg) drawn from
// its own figures.
//
//	go run ./bench            # the full run, a few minutes
//	go run ./bench -quick     # shorter runs, to check the driver itself
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// opts are the knobs of one run.
type opts struct {
	out        string        // directory for BENCHMARKS.md and the SVG
	coldRuns   int           // process spawns for the cold-start figure
	overheadN  int           // sequential calls per side for the overhead figure
	loadFor    time.Duration // each throughput run lasts at most this
	loadMax    int           // and makes at most this many calls
	loadRepeat int           // each throughput configuration runs this many times
	profileDir string        // where pprof files go ("" = a temp dir)
	only       string        // run only the steps whose name contains this, any case (no report)
	bin        string        // a server binary to measure instead of building one
}

func main() {
	o := opts{}
	quick := flag.Bool("quick", false, "short runs: checks the driver, figures are rough")
	flag.StringVar(&o.out, "out", "docs", "directory to write BENCHMARKS.md and bench-sizes.svg to")
	flag.StringVar(&o.profileDir, "profiles", "", "keep the CPU profiles in this directory")
	flag.StringVar(&o.bin, "bin", "", "measure this clickup-mcp binary instead of building the tree (for before/after comparisons)")
	flag.StringVar(&o.only, "only", "", "run only the steps whose name contains this, print the figures as JSON, write nothing")
	flag.Parse()
	o.coldRuns, o.overheadN, o.loadFor, o.loadMax, o.loadRepeat = 20, 2000, 3*time.Second, 50_000, 2
	if *quick {
		o.coldRuns, o.overheadN, o.loadFor, o.loadMax, o.loadRepeat = 3, 200, time.Second, 5_000, 1
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o opts) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the module root (go run ./bench): %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	tmp, err := os.MkdirTemp("", "clickup-mcp-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.profileDir == "" {
		o.profileDir = tmp
	}
	start := time.Now()
	r := &report{Machine: machine(), Started: start, LoadStart: loadAvg(), PressureStart: cpuPressure(), Commit: gitCommit(ctx)}
	step := func(name string, f func() error) error {
		t := time.Now()
		fmt.Fprintf(os.Stderr, "bench: %s ...", name)
		if err := f(); err != nil {
			fmt.Fprintln(os.Stderr, " failed")
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(os.Stderr, " %.1fs\n", time.Since(t).Seconds())
		return nil
	}
	bin := filepath.Join(tmp, "clickup-mcp")
	floor := filepath.Join(tmp, "floor")
	steps := []struct {
		name string
		f    func() error
	}{
		{"build", func() (err error) {
			if o.bin != "" {
				bin = o.bin
				st, err := os.Stat(bin)
				if err == nil {
					r.BinaryBytes = st.Size()
				}
				return err
			}
			if r.BinaryBytes, err = build(ctx, bin, "."); err != nil {
				return err
			}
			return nil
		}},
		{"build floor", func() (err error) { r.FloorBinaryBytes, err = build(ctx, floor, "./bench/floor"); return }},
		{"cold start", func() (err error) { r.Cold, err = coldStart(ctx, bin, floor, o.coldRuns); return }},
		{"link costs", func() (err error) { r.LinkCosts, err = measureLinkCosts(ctx, tmp, floor, max(o.coldRuns/2, 3)); return }},
		{"sizes", func() (err error) { r.Sizes, err = measureSizes(ctx); return }},
		{"requests per intent", func() (err error) { r.Intents, err = measureIntents(ctx); return }},
		{"overhead in process", func() (err error) { r.OverheadInProc, err = overheadInProcess(ctx, o.overheadN); return }},
		{"streamable HTTP", func() (err error) { r.HTTP, err = measureHTTP(ctx, bin, floor, o); return }},
		{"rate limiting", func() (err error) { r.Rate, err = measureRateLimit(ctx); return }},
		{"profile", func() (err error) { r.Profile, err = profileHotPaths(ctx, o.profileDir); return }},
	}
	for _, s := range steps {
		if o.only != "" && !strings.HasPrefix(s.name, "build") && !strings.Contains(strings.ToLower(s.name), strings.ToLower(o.only)) {
			continue
		}
		if err := step(s.name, s.f); err != nil {
			return err
		}
	}
	if o.only != "" {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.Took, r.LoadEnd, r.PressureEnd = time.Since(start), loadAvg(), cpuPressure()
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	svg := filepath.Join(o.out, "bench-sizes.svg")
	if err := os.WriteFile(svg, []byte(sizesChart(r.Sizes)), 0o644); err != nil {
		return err
	}
	tokSVG := filepath.Join(o.out, "bench-tokens.svg")
	if err := os.WriteFile(tokSVG, []byte(tokensChart(r.Sizes, r.Cold)), 0o644); err != nil {
		return err
	}
	md := filepath.Join(o.out, "BENCHMARKS.md")
	if err := os.WriteFile(md, []byte(r.markdown(filepath.Base(svg))), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: wrote %s and %s in %.0fs\n", md, svg, r.Took.Seconds())
	return nil
}

// gitCommit names the tree measured: the commit, "+changes" when the
// working tree differs from it.
func gitCommit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += " (+ uncommitted changes)"
	}
	return c
}
