package tools

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// The fault matrix: every fault the fake can inject, on a read
// (clickup_get_task) and on two writes (clickup_create_task,
// clickup_update_task), driven through the MCP protocol. Each cell records
// what the model saw, how many requests reached ClickUp and how many tasks
// were created; then the model "retries" the identical call once, as models
// do after an error, and the cell records the tasks created by both calls.
//
// go test ./tools -run TestFaultMatrix -v prints the matrix as the markdown
// table in docs/RELIABILITY.md.

// fmConfig is the configuration the matrix runs under: the client's real
// retry count (3), short backoffs so the suite stays fast, and per-attempt
// and per-call timeouts scaled down from 60s/60s.
type fmConfig struct {
	attemptTimeout time.Duration
	callTimeout    time.Duration
}

var fmDefaults = fmConfig{attemptTimeout: 2 * time.Second, callTimeout: 5 * time.Second}

// fmInflight counts the requests the fake is still serving, so a cell can
// wait for a request its client gave up on to end (and be logged) before
// reading the fake's counts.
type fmInflight struct {
	mu sync.Mutex
	n  int
}

func (f *fmInflight) wrap(h http.Handler) http.Handler {
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

// settle waits until no request is in flight; false after d.
func (f *fmInflight) settle(d time.Duration) bool {
	for end := time.Now().Add(d); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		n := f.n
		f.mu.Unlock()
		if n == 0 {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// fmConnect is connect with the matrix's retry policy and timeouts.
func fmConnect(t *testing.T, w *world, token string, fc fmConfig) (*harness, *fmInflight) {
	t.Helper()
	fl := &fmInflight{}
	srv := httptest.NewServer(fl.wrap(w.fake))
	t.Cleanup(srv.Close)
	d := workspace.NewDeps(workspace.Config{
		Token: token + w.suffix, BaseURL: srv.URL + "/api", Location: time.UTC, TimezoneSet: true,
		Now: func() time.Time { return testNow }, RatePerMinute: 100000,
		HTTPClient:  &http.Client{Timeout: fc.attemptTimeout},
		CallTimeout: fc.callTimeout,
		Retry:       &clickup.RetryPolicy{MaxRetries: 3, BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxWait: 3 * time.Second},
	})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, s)
	return &harness{world: w, deps: d, c: c}, fl
}

type fmFault struct {
	name string
	// make builds the fault; method and path are filled in per operation.
	make func() clickuptest.Fault
	cfg  *fmConfig
}

func fmFaults() []fmFault {
	rl := `{"err":"Rate limit reached","ECODE":"APP_002"}`
	rlHeaders := func(reset time.Duration) http.Header {
		return http.Header{
			"X-Ratelimit-Limit":     {"100"},
			"X-Ratelimit-Remaining": {"0"},
			"X-Ratelimit-Reset":     {strconv.FormatInt(time.Now().Add(reset).Unix(), 10)},
		}
	}
	html := "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>cloudflare</p></body></html>"
	slow := fmConfig{attemptTimeout: 300 * time.Millisecond, callTimeout: 5 * time.Second}
	hang := fmConfig{attemptTimeout: 60 * time.Second, callTimeout: time.Second}
	return []fmFault{
		{name: "429 with X-RateLimit-* headers (reset in ≤1 s)", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 429, Body: rl, Header: rlHeaders(time.Second)}
		}},
		{name: "429 without headers", make: func() clickuptest.Fault { return clickuptest.Fault{Status: 429, Body: rl} }},
		{name: "429, reset in 120 s (past the 3 s wait cap)", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 429, Body: rl, Header: rlHeaders(120 * time.Second)}
		}},
		{name: "500 once", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 500, Body: `{"err":"Internal server error","ECODE":"APP_000"}`}
		}},
		{name: "502 once", make: func() clickuptest.Fault { return clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`} }},
		{name: "503 once", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 503, Body: `{"err":"Service unavailable"}`}
		}},
		{name: "503 on every attempt", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 503, Body: `{"err":"Service unavailable"}`, Times: 20}
		}},
		{name: "slow response (1 s) past the attempt timeout (0.3 s)", cfg: &slow, make: func() clickuptest.Fault {
			return clickuptest.Fault{Delay: time.Second}
		}},
		{name: "hang (30 s) past the call deadline (1 s)", cfg: &hang, make: func() clickuptest.Fault {
			return clickuptest.Fault{Delay: 30 * time.Second, Times: 20}
		}},
		{name: "connection dropped before the request is handled", make: func() clickuptest.Fault {
			return clickuptest.Fault{Drop: clickuptest.DropBeforeHandling}
		}},
		{name: "connection dropped after the request is handled", make: func() clickuptest.Fault {
			return clickuptest.Fault{Drop: clickuptest.DropAfterHandling}
		}},
		{name: "502 after the change was applied", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`, Applied: true}
		}},
		{name: "truncated JSON body (2xx, change applied)", make: func() clickuptest.Fault { return clickuptest.Fault{Truncate: true} }},
		{name: "malformed JSON body (200, not applied)", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 200, Body: `{"id":"abc123","name":"Fix lo`}
		}},
		{name: "HTML error page (502 text/html)", make: func() clickuptest.Fault { return clickuptest.Fault{Status: 502, Body: html} }},
		{name: "HTML page with 200 (captive proxy)", make: func() clickuptest.Fault {
			return clickuptest.Fault{Status: 200, Body: "<html><body>Please log in to the proxy</body></html>"}
		}},
		{name: "empty body (200)", make: func() clickuptest.Fault { return clickuptest.Fault{Status: 200} }},
	}
}

type fmOp struct {
	tool, method, path string
	reply              bool // create_task_comment with reply_to
}

// label names the operation in the matrix.
func (op fmOp) label() string {
	if op.reply {
		return op.tool + " (reply_to)"
	}
	return op.tool
}

var fmOps = []fmOp{
	{"clickup_get_task", "GET", "/v2/task/{id}", false},
	{"clickup_create_task", "POST", "/v2/list/{id}/task", false},
	{"clickup_create_task_comment", "POST", "/v2/task/{id}/comment", false},
	{"clickup_create_task_comment", "POST", "/v2/comment/{id}/reply", true},
	{"clickup_update_task", "PUT", "/v2/task/{id}", false},
}

// fmCell is one measured cell of the matrix.
type fmCell struct {
	fault, tool string
	isError     bool
	outcome     string
	requests    int // every ClickUp request the call made
	attempts    int // requests to the faulted route
	created     int // tasks ClickUp created
	applied     bool
	retry       string // the model's identical retry: outcome
	createdBoth int    // tasks created by the call and its retry
	elapsed     time.Duration
}

func TestFaultMatrix(t *testing.T) {
	var mu sync.Mutex
	var cells []fmCell
	faults := fmFaults()
	t.Run("cells", func(t *testing.T) {
		for fi, f := range faults {
			for _, op := range fmOps {
				t.Run(fmt.Sprintf("%02d_%s", fi, op.label()), func(t *testing.T) {
					t.Parallel()
					c := runFaultCell(t, f, op)
					mu.Lock()
					cells = append(cells, c)
					mu.Unlock()
				})
			}
		}
	})
	if t.Failed() || !testing.Verbose() {
		return
	}
	order := map[string]int{}
	for i, f := range faults {
		order[f.name] = i
	}
	opOrder := map[string]int{}
	for i, op := range fmOps {
		opOrder[op.label()] = i
	}
	sort.Slice(cells, func(i, j int) bool {
		if order[cells[i].fault] != order[cells[j].fault] {
			return order[cells[i].fault] < order[cells[j].fault]
		}
		return opOrder[cells[i].tool] < opOrder[cells[j].tool]
	})
	var b strings.Builder
	b.WriteString("| Fault | Tool | Outcome | ClickUp requests (to the faulted route) | Tasks (comments) created | Model retries the same call: outcome, created in all | Time |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, c := range cells {
		created := "—"
		both := "—"
		if fmCreates(c.tool) {
			created = strconv.Itoa(c.created)
			both = strconv.Itoa(c.createdBoth)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d (%d) | %s | %s, %s | %s |\n",
			c.fault, strings.TrimPrefix(c.tool, "clickup_"), c.outcome, c.requests, c.attempts, created, c.retry, both, c.elapsed.Round(10*time.Millisecond))
	}
	fmt.Fprintf(os.Stdout, "\nFault matrix (%d cells; retries 3, backoff 5-20 ms, attempt timeout 2 s, call deadline 5 s unless the row says otherwise):\n\n%s\n", len(cells), b.String())
}

func runFaultCell(t *testing.T, f fmFault, op fmOp) fmCell {
	w := newWorld(t)
	fc := fmDefaults
	if f.cfg != nil {
		fc = *f.cfg
	}
	h, fl := fmConnect(t, w, "pk_alex", fc)
	cell := fmCell{fault: f.name, tool: op.label()}

	var args map[string]any
	switch op.tool {
	case "clickup_get_task":
		args = map[string]any{"task_id": w.login}
		h.mustOK(t, op.tool, args, nil)
	case "clickup_create_task":
		// Warm the caches with another create, so the cell measures the
		// faulted call alone.
		h.mustOK(t, op.tool, map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
		args = map[string]any{"list_id": w.sprint, "name": "Matrix task"}
	case "clickup_update_task":
		h.mustOK(t, op.tool, map[string]any{"task_id": w.logout, "name": "warm-up"}, nil)
		args = map[string]any{"task_id": w.logout, "name": "Renamed by the matrix"}
	case "clickup_create_task_comment":
		h.mustOK(t, op.tool, map[string]any{"task_id": w.login, "text": "warm-up"}, nil)
		args = map[string]any{"task_id": w.login, "text": "Matrix comment"}
	}
	var thread string
	if op.reply {
		// Warm: the thread's comment was read, a reply was posted.
		thread = w.fake.AddComment(w.login, clickuptest.Comment{UserID: w.blair, Text: "Matrix thread"}).ID
		h.mustOK(t, "clickup_get_task_comments", map[string]any{"task_id": w.login}, nil)
		h.mustOK(t, op.tool, map[string]any{"task_id": w.login, "text": "warm-up", "reply_to": thread}, nil)
		args = map[string]any{"task_id": w.login, "text": "Matrix reply", "reply_to": thread}
	}
	commentsBefore := len(w.fake.Comments(w.login))
	repliesBefore := len(w.fake.Replies(thread))
	made := func() int {
		switch {
		case op.reply:
			return len(w.fake.Replies(thread)) - repliesBefore
		case op.tool == "clickup_create_task_comment":
			return len(w.fake.Comments(w.login)) - commentsBefore
		}
		return w.fake.TasksCreated()
	}
	w.fake.ResetLog()
	tasksBefore := w.fake.TaskCount()

	flt := f.make()
	flt.Method, flt.Path = op.method, op.path
	w.fake.InjectFault(flt)

	start := time.Now()
	var detail render.TaskDetail
	var created CreateTaskResult
	var updated UpdateTaskResult
	var comment CreateCommentResult
	var out any
	switch op.tool {
	case "clickup_get_task":
		out = &detail
	case "clickup_create_task_comment":
		out = &comment
	case "clickup_create_task":
		out = &created
	default:
		out = &updated
	}
	text, isErr := h.call(t, op.tool, args, out)
	cell.elapsed = time.Since(start)
	cell.isError = isErr
	// A request the client gave up on must end too: the fake sees its
	// context cancelled at once, not when its delay runs out.
	if !fl.settle(2 * time.Second) {
		t.Errorf("%s: a ClickUp request is still in flight 2s after the call ended", op.tool)
	}
	cell.requests = w.fake.Count("")
	cell.attempts = w.fake.Count(op.method + " " + fmRoute(op))
	cell.created = made()

	// No hang: the call ends within its deadline (plus slack for a loaded
	// machine under -race).
	if limit := fc.callTimeout + 3*time.Second; cell.elapsed > limit {
		t.Errorf("%s: took %v, past the %v deadline", op.tool, cell.elapsed, fc.callTimeout)
	}
	// What happened in ClickUp.
	switch op.tool {
	case "clickup_create_task":
		cell.applied = w.fake.TaskCount() > tasksBefore
	case "clickup_create_task_comment":
		cell.applied = cell.created > 0
	case "clickup_update_task":
		got, _ := w.fake.Task(w.logout)
		cell.applied = got.Name == "Renamed by the matrix"
	}
	if cell.created > 1 {
		t.Errorf("%s: one call created %d tasks", op.tool, cell.created)
	}
	if !isErr {
		// A success must be true.
		switch op.tool {
		case "clickup_get_task":
			if detail.ID != w.login || detail.Name != "Fix login redirect" {
				t.Errorf("get_task succeeded with the wrong task: %+v", detail)
			}
		case "clickup_create_task":
			got, ok := w.fake.Task(created.Task.ID)
			if !cell.applied || !ok || got.Name != "Matrix task" {
				t.Errorf("create_task claims %s but ClickUp has %+v (applied %v)", created.Task.ID, got, cell.applied)
			}
		case "clickup_update_task":
			if !cell.applied {
				t.Errorf("update_task claims success but the task was not renamed")
			}
		case "clickup_create_task_comment":
			found := false
			if op.reply {
				for _, c := range w.fake.Replies(thread) {
					found = found || c.ID == comment.ID && c.Text == "Matrix reply"
				}
			}
			for _, c := range w.fake.Comments(w.login) {
				found = found || c.ID == comment.ID && c.Text == "Matrix comment"
			}
			if !found {
				t.Errorf("%s claims %s but ClickUp has no such comment", op.label(), comment.ID)
			}
		}
	} else {
		first, _, _ := strings.Cut(text, "\n")
		if strings.Contains(text, "token") && strings.Contains(text, "pk_alex") {
			t.Errorf("error shows the token: %s", text)
		}
		// An error after a write that took (or may have taken) effect must
		// say so, so the model checks instead of repeating it blindly.
		maybe := strings.Contains(text, "may or may not have been applied") || strings.Contains(text, "may have been applied")
		if cell.applied && !maybe {
			t.Errorf("%s: the write was applied but the error does not say it may have been: %s", op.tool, text)
		}
		cell.outcome = "isError: " + fmSummary(first, text)
	}
	if !isErr {
		switch {
		case op.tool == "clickup_create_task" && created.Deduplicated, comment.Deduplicated:
			cell.outcome = "ok (deduplicated)"
		case cell.attempts > 1:
			cell.outcome = "retried, ok"
		default:
			cell.outcome = "ok"
		}
		if strings.Contains(text, "this call's own") {
			cell.outcome = "ok: answer lost, proven this call's own by a check (made once)"
		}
	}

	// The model retries the identical call once, the fault gone.
	w.fake.ClearFaults()
	var again CreateTaskResult
	var againComment CreateCommentResult
	var rout any
	switch op.tool {
	case "clickup_create_task":
		rout = &again
	case "clickup_create_task_comment":
		rout = &againComment
	}
	rtext, rErr := h.call(t, op.tool, args, rout)
	switch {
	case rErr:
		first, _, _ := strings.Cut(rtext, "\n")
		cell.retry = "isError: " + fmSummary(first, rtext)
	case again.Deduplicated || againComment.Deduplicated:
		cell.retry = "ok (deduplicated)"
	default:
		cell.retry = "ok"
	}
	cell.createdBoth = made()
	if fmCreates(op.tool) && cell.createdBoth > 1 {
		t.Errorf("%s: the call and its retry made %d (a duplicate); first result: %s", op.tool, cell.createdBoth, text)
	}
	return cell
}

func fmCreates(tool string) bool {
	return strings.HasPrefix(tool, "clickup_create_task")
}

func fmRoute(op fmOp) string {
	if op.reply {
		return "/v2/comment/{comment_id}/reply"
	}
	switch op.tool {
	case "clickup_create_task":
		return "/v2/list/{list_id}/task"
	case "clickup_create_task_comment":
		return "/v2/task/{task_id}/comment"
	}
	return "/v2/task/{task_id}"
}

// fmSummary names the kind of error result in a few words.
func fmSummary(first, text string) string {
	switch {
	case strings.Contains(text, "retry_after_s"):
		i := strings.Index(text, "retry_after_s: ")
		n, _, _ := strings.Cut(text[i+len("retry_after_s: "):], "\n")
		return "rate limited, retry_after_s " + n
	case strings.Contains(text, "Outcome unknown") && strings.Contains(text, "never sends it again"):
		kind := "checked, not there"
		switch {
		case strings.Contains(text, "could not be checked"):
			kind = "could not check"
		case strings.Contains(text, "candidates:"):
			kind = "candidates not proven"
		case strings.Contains(text, "earlier identical call"):
			kind = "still unknown, not sent again"
		}
		return "\"outcome unknown; " + kind + "; guarded\" (" + fmShort(first) + ")"
	case strings.Contains(text, "may or may not have been applied"), strings.Contains(text, "may have been applied"):
		return "\"may have been applied, check first\" (" + fmShort(first) + ")"
	case strings.Contains(text, "timed out"), strings.Contains(text, "deadline"):
		return "timed out (" + fmShort(first) + ")"
	case strings.Contains(text, "Try again"):
		return "\"temporary problem, try again\" (" + fmShort(first) + ")"
	}
	return fmShort(first)
}

func fmShort(s string) string {
	s = strings.TrimPrefix(s, "ClickUp error ")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strings.ReplaceAll(s, "|", "/")
}

// A create whose answer is lost is looked up, not repeated: for the task
// and for each subtask, in the call itself and in an identical retry.
func TestCreateWithLostAnswerIsNotDuplicated(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	post := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/list/{id}/task"
		w.fake.InjectFault(f)
	}
	var r CreateTaskResult

	// The task's answer comes back truncated.
	post(clickuptest.Fault{Truncate: true})
	args := map[string]any{"list_id": w.sprint, "name": "Lost answer", "subtasks": []map[string]any{{"name": "one"}, {"name": "two"}}}
	text := h.mustOK(t, "clickup_create_task", args, &r)
	if !strings.Contains(text, "answer to the create was lost") || len(r.Subtasks) != 2 || len(r.FailedSubtasks) != 0 || w.fake.TasksCreated() != 3 {
		t.Fatalf("created %d: %+v\n%s", w.fake.TasksCreated(), r, text)
	}

	// A subtask's connection drops after ClickUp made it: a 1 ms delay uses
	// up the first POST, so the drop hits the second.
	w.fake.ResetLog()
	post(clickuptest.Fault{Delay: time.Millisecond})
	post(clickuptest.Fault{Drop: clickuptest.DropAfterHandling})
	args["name"] = "Lost subtask answer"
	h.mustOK(t, "clickup_create_task", args, &r)
	if len(r.Subtasks) != 2 || len(r.FailedSubtasks) != 0 || w.fake.TasksCreated() != 3 {
		t.Fatalf("created %d: %+v", w.fake.TasksCreated(), r)
	}

	// The answer is lost and the list cannot be read either: the error says
	// so, and the identical retry looks again before creating.
	w.fake.ResetLog()
	post(clickuptest.Fault{Drop: clickuptest.DropAfterHandling})
	w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/list/{id}/task", Status: 503, Times: 10, Body: `{"err":"down"}`})
	args = map[string]any{"list_id": w.sprint, "name": "Retry looks first"}
	h.mustErr(t, "clickup_create_task", args, "may have been applied", "could not be checked", "never sends it again")
	w.fake.ClearFaults()
	text = h.mustOK(t, "clickup_create_task", args, &r)
	if !r.Deduplicated || w.fake.TasksCreated() != 1 || !strings.Contains(text, "not created again") {
		t.Fatalf("retry created %d: %+v\n%s", w.fake.TasksCreated(), r, text)
	}
	// allow_duplicate still creates another on purpose.
	args["allow_duplicate"] = true
	h.mustOK(t, "clickup_create_task", args, &r)
	if w.fake.TasksCreated() != 2 {
		t.Fatalf("allow_duplicate: created %d", w.fake.TasksCreated())
	}
}
