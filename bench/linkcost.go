package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// linkCost is what linking one dependency costs a start: the floor built
// with it (blank-imported: its package initialisers run, as in the server)
// against the floor without it, interleaved in one run.
type linkCost struct {
	Dep, UsedBy  string
	BinaryBytes  int64
	StartRatio   float64 // time to the first tools/list answer, medians
	RSSRatio     float64 // RSS after it, medians
	InitKB       int     // allocated by package init
	InitAllocs   int
	FloorInitKB  int
	FloorBinary  int64
	Runs         int
	FloorListP50 time.Duration
}

// linkDeps are the heavy dependencies of the server, by the build tag of
// bench/floor that links each (bench/floor/link_*.go).
var linkDeps = []struct{ tag, dep, usedBy string }{
	{"floor_oauthserver", "internal/oauthserver (stdlib OAuth, bbolt)", "--auth oauth"},
	{"floor_otlp", "go.opentelemetry.io/otel/sdk (traces; the OTLP/HTTP exporter is ours)", "internal/tracing (OTEL_EXPORTER_OTLP_ENDPOINT)"},
	{"floor_redis", "github.com/redis/go-redis/v9", "internal/replica (--redis-url)"},
	{"floor_bbolt", "go.etcd.io/bbolt (alone)", "internal/oauthserver's default store"},
	{"floor_when", "internal/whenrules (olebedev/when's English rules, compiled on first use)", "internal/workspace (dates in words)"},
	{"floor_when_upstream", "github.com/olebedev/when/rules/en and common (upstream, linked until this session)", "(no longer linked)"},
	{"floor_oauthserver,floor_otlp,floor_redis,floor_when", "all that the server links of the above", ""},
}

func measureLinkCosts(ctx context.Context, dir, floor string, n int) ([]linkCost, error) {
	bins := []string{floor}
	var out []linkCost
	for _, d := range linkDeps {
		bin := filepath.Join(dir, "floor-"+strings.ReplaceAll(d.tag, ",", "-"))
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", d.tag, "-o", bin, "./bench/floor")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("building the floor with %s: %w", d.tag, err)
		}
		st, err := os.Stat(bin)
		if err != nil {
			return nil, err
		}
		bins = append(bins, bin)
		out = append(out, linkCost{Dep: d.dep, UsedBy: d.usedBy, BinaryBytes: st.Size(), Runs: n})
	}
	lists := make([][]time.Duration, len(bins))
	rss := make([][]int, len(bins))
	for i := -1; i < n; i++ { // one unmeasured round warms the page cache
		for k, b := range bins {
			_, at, m, err := stdioStart(ctx, b, nil, nil)
			if err != nil {
				return nil, err
			}
			if i >= 0 {
				lists[k], rss[k] = append(lists[k], at), append(rss[k], m.RSS)
			}
		}
	}
	fl, frss := distOf(lists[0]).P50, medianInt(rss[0])
	fi, err := initTrace(ctx, floor)
	if err != nil {
		return nil, err
	}
	fst, err := os.Stat(floor)
	if err != nil {
		return nil, err
	}
	for k := range out {
		out[k].StartRatio = float64(distOf(lists[k+1]).P50) / float64(fl)
		out[k].RSSRatio = float64(medianInt(rss[k+1])) / float64(frss)
		it, err := initTrace(ctx, bins[k+1])
		if err != nil {
			return nil, err
		}
		out[k].InitKB, out[k].InitAllocs, out[k].FloorInitKB = it.Bytes/1024, it.Allocs, fi.Bytes/1024
		out[k].FloorBinary, out[k].FloorListP50 = fst.Size(), fl
	}
	return out, nil
}
