// Command fakeclickup serves the offline fake ClickUp (clickuptest's demo
// Workspace, with its OAuth app and consent page) over HTTP for CI scripts
// that run the built server against it. It prints its base URL and serves
// until SIGTERM or SIGINT. It lives under .ci so `go test ./...` skips it.
//
// For load tests (.ci/replicas.sh) it takes a rate window of any length
// (-rate-limit, -rate-window), extra tokens for the demo's owner (-token,
// repeated) and answers GET /_fake/stats?token=T[&since=ms] with what it saw
// for one token: requests, their statuses, successful task creates, and the
// first and last request's time. /_fake/ is not a ClickUp path; the stats
// read the request log, which keeps the last 1,000,000 requests here.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	redirect := flag.String("oauth-redirect", "", "register this as the demo OAuth app's only redirect URL (as ClickUp checks it)")
	limit := flag.Int("rate-limit", 100, "requests per token per window; 0 turns rate limiting off")
	window := flag.Duration("rate-window", time.Minute, "length of the fixed rate window, e.g. 10s")
	var tokens []string
	flag.Func("token", "another personal token of the demo's owner, Alex Rivera (repeat for more); each has its own rate window", func(v string) error {
		v = strings.TrimSpace(v)
		if !strings.HasPrefix(v, "pk_") || len(v) < 10 {
			return errors.New(`want a personal token such as pk_81000001_CI01`)
		}
		tokens = append(tokens, v)
		return nil
	})
	flag.Parse()
	if *window <= 0 {
		fmt.Fprintln(os.Stderr, "fakeclickup: -rate-window must be positive, e.g. 10s")
		os.Exit(2)
	}
	demo := clickuptest.NewDemo(clickuptest.WithRateLimit(*limit, *window), clickuptest.WithRequestLogLimit(1_000_000))
	if *redirect != "" {
		demo.AddOAuthApp(clickuptest.DemoOAuthClientID, clickuptest.DemoOAuthClientSecret, *redirect)
	}
	for _, t := range tokens {
		demo.AddToken(t, clickuptest.DemoUserID)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeclickup:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	mux := http.NewServeMux()
	mux.Handle("/", demo)
	mux.HandleFunc("GET /_fake/stats", func(w http.ResponseWriter, r *http.Request) { serveStats(w, r, demo) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
}

// Stats is what the fake saw for one token (the JSON of /_fake/stats).
type Stats struct {
	Requests int            `json:"requests"`
	Status   map[string]int `json:"status"` // "200", "429", ... ("0": no response sent)
	Created  int            `json:"created"`
	FirstMS  int64          `json:"first_ms,omitempty"`
	LastMS   int64          `json:"last_ms,omitempty"`
}

func serveStats(w http.ResponseWriter, r *http.Request, demo *clickuptest.Server) {
	q := r.URL.Query()
	token := q.Get("token")
	if token == "" {
		http.Error(w, "want ?token=<the token>[&since=<unix ms>]", http.StatusBadRequest)
		return
	}
	var since int64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			http.Error(w, "since: want unix milliseconds", http.StatusBadRequest)
			return
		}
		since = n
	}
	st := Stats{Status: map[string]int{}}
	for _, rq := range demo.Requests() {
		at := rq.At.UnixMilli()
		if rq.Token != token || at < since {
			continue
		}
		st.Requests++
		st.Status[strconv.Itoa(rq.Status)]++
		if rq.Route == "POST /v2/list/{list_id}/task" && rq.Status >= 200 && rq.Status < 300 {
			st.Created++
		}
		if st.FirstMS == 0 || at < st.FirstMS {
			st.FirstMS = at
		}
		st.LastMS = max(st.LastMS, at)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}
