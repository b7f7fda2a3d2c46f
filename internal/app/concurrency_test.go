package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"go.uber.org/goleak"
)

// Many users over HTTP: concSessions MCP sessions, each with its own token
// authorized for its own workspace, make concCalls tool calls each, at the
// same time, through the real HTTP handler (streamable HTTP). The fake's
// request log then shows which token every ClickUp request carried:
//   - no request touches a session's workspace, lists or tasks with another
//     session's token, except each session's deliberate probes of its
//     neighbour's task, which ClickUp refused;
//   - no result shows another session's tasks, user or workspace;
//   - every token keeps within its ClickUp budget: the fake allows each token
//     concWindowLimit requests a second (a plan scaled down from 100 a
//     minute so the test hits it), and no request is ever refused with 429;
//   - no token appears in any result or log line;
//   - no goroutine outlives the server.
//
// go test -run TestManyUsersOverHTTP -v prints the figures.
const (
	concSessions = 50
	concCalls    = 40  // per session: concSessions x concCalls tool calls
	concRate     = 180 // --rate-limit: requests per minute per token (3/s)
	// The fake's budget per token and fixed window. A token bucket at
	// concRate (burst 18) fits in it, and the client also reads the window
	// from the X-RateLimit-* headers; either way each session's 32 requests
	// need two windows or more, so the budget binds.
	concWindowLimit = 21
	concWindow      = time.Second
)

func randToken(userID int) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return fmt.Sprintf("pk_%d_%s", userID, b)
}

func TestManyUsersOverHTTP(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	fake := clickuptest.New(clickuptest.WithRateLimit(concWindowLimit, concWindow), clickuptest.WithRequestLogLimit(1_000_000))
	owner := map[string]int{} // workspace, space, list and task ids -> session
	tokens := make([]string, concSessions)
	tokenOwner := map[string]int{}
	ownTask := make([]string, concSessions)
	ownList := make([]string, concSessions)
	for i := 0; i < concSessions; i++ {
		uid := int64(2000 + i)
		fake.AddUser(clickuptest.User{ID: uid, Username: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("u%d@example.com", i)})
		ws := fake.AddWorkspace(clickuptest.Workspace{ID: strconv.Itoa(70000 + i), Name: fmt.Sprintf("WS %d", i), MemberIDs: []int64{uid}}).ID
		tokens[i] = randToken(int(uid))
		tokenOwner[tokens[i]] = i
		fake.AddToken(tokens[i], uid, ws)
		sp := fake.AddSpace(ws, clickuptest.Space{ID: strconv.Itoa(71000 + i), Name: fmt.Sprintf("Space %d", i)}).ID
		l := fake.AddList(sp, true, clickuptest.List{ID: strconv.Itoa(72000 + i), Name: fmt.Sprintf("List %d", i)}).ID
		owner[ws], owner[sp], owner[l] = i, i, i
		ownList[i] = l
		for k := 0; k < 3; k++ {
			id := fmt.Sprintf("s%dt%d", i, k)
			fake.AddTask(l, clickuptest.Task{ID: id, Name: fmt.Sprintf("S%d task %d", i, k)})
			owner[id] = i
		}
		ownTask[i] = fmt.Sprintf("s%dt0", i)
	}
	fakeSrv := httptest.NewServer(fake)

	logs := &testutil.Buffer{}
	a := testApp(t, fakeSrv.URL+"/api", logs, "--rate-limit", strconv.Itoa(concRate))
	s := serve(t, a, 5*time.Second)
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: concSessions, MaxConnsPerHost: concSessions * 2}}

	other := regexp.MustCompile(`\bS(\d+) task|\bUser (\d+)\b|\bWS (\d+)\b|\bList (\d+)\b`)
	type stats struct {
		calls, errors, probes, created int
		own                            int // results naming the session's own data: the check is not vacuous
		lat                            []time.Duration
		problems                       []string
	}
	all := make([]stats, concSessions)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < concSessions; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st := &all[i]
			fail := func(format string, a ...any) {
				st.problems = append(st.problems, fmt.Sprintf("session %d: ", i)+fmt.Sprintf(format, a...))
			}
			c := newMCPConn(s.base, tokens[i], hc)
			ctx := context.Background()
			if err := c.initialize(ctx); err != nil {
				fail("initialize: %v", err)
				return
			}
			defer c.close()
			neighbour := (i + 1) % concSessions
			for k := 0; k < concCalls; k++ {
				var tool string
				args := map[string]any{}
				probe := false
				switch k % 6 {
				case 0:
					tool = "clickup_whoami"
				case 1:
					tool = "clickup_search_tasks"
				case 2:
					tool, args["task_id"] = "clickup_get_task", ownTask[i]
				case 3:
					tool, args["list_id"], args["name"] = "clickup_create_task", ownList[i], fmt.Sprintf("S%d task new %d", i, k)
				case 4:
					tool, args["task_id"], probe = "clickup_get_task", ownTask[neighbour], true
				case 5:
					tool = "clickup_get_workspace_hierarchy"
				}
				t0 := time.Now()
				r, err := c.call(ctx, tool, args)
				st.lat = append(st.lat, time.Since(t0))
				st.calls++
				if err != nil {
					fail("%s: %v", tool, err)
					continue
				}
				if r.IsError {
					st.errors++
				}
				switch {
				case probe:
					st.probes++
					if !r.IsError {
						fail("read its neighbour's task: %.200s", r.text())
					}
				case r.IsError:
					fail("%s: %.300s", tool, r.text())
				case tool == "clickup_create_task":
					st.created++
				}
				for _, m := range other.FindAllStringSubmatch(r.raw, -1) {
					for _, g := range m[1:] {
						switch {
						case g == "":
						case g == strconv.Itoa(i):
							st.own++
						default:
							fail("%s shows another session's data: %q", tool, m[0])
						}
					}
				}
				for j, tok := range tokens {
					if strings.Contains(r.raw, tok) {
						fail("%s result shows the token of session %d", tool, j)
					}
				}
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)

	var calls, errs, probes, created int
	var lat []time.Duration
	for _, st := range all {
		calls += st.calls
		errs += st.errors
		probes += st.probes
		created += st.created
		lat = append(lat, st.lat...)
		for _, p := range st.problems {
			t.Error(p)
		}
		if st.own == 0 {
			t.Error("a session never saw its own data: the cross-data check would see nothing")
		}
	}
	if calls != concSessions*concCalls {
		t.Errorf("%d calls made, want %d", calls, concSessions*concCalls)
	}

	// Every ClickUp request, attributed: by the resource in its path to the
	// session that owns it, and by its token to the session that holds it.
	reqs := fake.Requests()
	perToken := map[int][]time.Time{}
	probeReqs := map[int]int{}
	unattributed, limited := 0, 0
	for _, r := range reqs {
		k, ok := tokenOwner[r.Token]
		if !ok {
			t.Errorf("a request carried an unknown token: %s %s", r.Method, r.Path)
			continue
		}
		perToken[k] = append(perToken[k], r.At)
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
		o := -1
		for _, seg := range strings.Split(r.Path, "/") {
			if n, ok := owner[seg]; ok {
				o = n
			}
		}
		switch {
		case o == -1:
			unattributed++ // /v2/user, /v2/team: the token's own identity
		case o == k:
		case o == (k+1)%concSessions && r.Route == "GET /v2/task/{task_id}":
			probeReqs[k]++
			if r.Status != http.StatusUnauthorized {
				t.Errorf("session %d's probe of session %d's task got HTTP %d", k, o, r.Status)
			}
		default:
			t.Errorf("session %d's resource %s was requested with session %d's token", o, r.Path, k)
		}
	}
	for i := 0; i < concSessions; i++ {
		if probeReqs[i] != all[i].probes {
			t.Errorf("session %d made %d probes but ClickUp saw %d", i, all[i].probes, probeReqs[i])
		}
	}
	if limited != 0 {
		t.Errorf("%d requests were refused with 429: the client-side budget let them through", limited)
	}

	// The budget, window by window as the fake counts them: a window opens
	// with a token's first request after the previous one ended.
	worst, windows := 0, 0
	for k, ts := range perToken {
		sort.Slice(ts, func(a, b int) bool { return ts[a].Before(ts[b]) })
		var start time.Time
		n := 0
		for _, at := range ts {
			if start.IsZero() || !at.Before(start.Add(concWindow)) {
				start, n = at, 0
				windows++
			}
			n++
			worst = max(worst, n)
		}
		if len(ts) > 0 && worst > concWindowLimit {
			t.Errorf("token %d: %d requests in one window, budget %d", k, worst, concWindowLimit)
		}
	}

	// No token in any log line.
	logText := logs.String()
	for j, tok := range tokens {
		if strings.Contains(logText, tok) || strings.Contains(logText, tok[len(tok)-20:]) {
			t.Errorf("the logs show session %d's token", j)
		}
	}

	// Shut down, then nothing may be left running.
	// Clients hang up first: a connection a client dialled but never used
	// would hold net/http's Shutdown for 5 s.
	hc.CloseIdleConnections()
	if err := s.stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	fakeSrv.Close()
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)

	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(math.Min(float64(len(lat)-1), p*float64(len(lat))))].Round(time.Millisecond)
	}
	maxPer := 0
	for _, ts := range perToken {
		maxPer = max(maxPer, len(ts))
	}
	t.Logf("%d sessions x %d calls = %d tool calls in %v (%.0f calls/s); %d ClickUp requests (%d identity, %d probes refused), at most %d per token; %d tasks created; latency p50 %v p95 %v p99 %v max %v; %d rate windows, the busiest with %d requests (budget %d per %v), %d refused with 429; %d log bytes, no token in them",
		concSessions, concCalls, calls, elapsed.Round(time.Millisecond), float64(calls)/elapsed.Seconds(), len(reqs), unattributed, probes, maxPer, created,
		pct(0.5), pct(0.95), pct(0.99), pct(1), windows, worst, concWindowLimit, concWindow, limited, len(logText))
	_ = errs
}
