package clickuptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 10, 14, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// The fixture world: Workspace 100 ("DEV-" custom ids) with Ann and Bob,
// Workspace 200 with Cy; Space 10 (default statuses) with Folder 20 holding
// Lists 30 and 32, and folderless List 31 with its own statuses.
const (
	annID    int64 = 501
	bobID    int64 = 502
	cyID     int64 = 503
	annTok         = "pk_501_ANN"
	cyTok          = "pk_503_CY"
	wsDev          = "100"
	wsOther        = "200"
	space10        = "10"
	folder20       = "20"
	list30         = "30"
	list31         = "31"
	list32         = "32"
	list40         = "40" // in Workspace 200
)

type world struct {
	*Server
	srv   *httptest.Server
	clock *fakeClock
	sev   CustomField
	pts   CustomField
}

func newWorld(t *testing.T, opts ...Option) *world {
	t.Helper()
	clock := newClock()
	s := New(append([]Option{WithClock(clock.Now), WithRateLimit(0, time.Minute)}, opts...)...)
	s.AddUser(User{ID: annID, Username: "Ann Lee", Email: "ann@example.com"})
	s.AddUser(User{ID: bobID, Username: "Bob Ray", Email: "bob@example.com"})
	s.AddUser(User{ID: cyID, Username: "Cy Twombly", Email: "cy@example.com"})
	s.AddWorkspace(Workspace{ID: wsDev, Name: "Dev", MemberIDs: []int64{annID, bobID}, CustomTaskIDPrefix: "DEV"})
	s.AddWorkspace(Workspace{ID: wsOther, Name: "Other", MemberIDs: []int64{cyID}})
	s.AddToken(annTok, annID)
	s.AddToken(cyTok, cyID)
	s.AddSpace(wsDev, Space{ID: space10, Name: "Eng", Tags: []Tag{{Name: "bug"}}})
	s.AddFolder(space10, Folder{ID: folder20, Name: "Platform"})
	s.AddList(folder20, false, List{ID: list30, Name: "Sprint", MemberIDs: []int64{annID}})
	s.AddList(folder20, false, List{ID: list32, Name: "Backlog"})
	s.AddList(space10, true, List{ID: list31, Name: "Bugs", Statuses: []Status{
		{Name: "Open", Type: "open"}, {Name: "Fixing", Type: "custom"}, {Name: "Fixed", Type: "done"}, {Name: "Closed", Type: "closed"},
	}})
	s.AddSpace(wsOther, Space{ID: "11", Name: "Theirs"})
	s.AddList("11", true, List{ID: list40, Name: "Secret"})
	w := &world{Server: s, clock: clock}
	w.sev = s.AddCustomField(space10, CustomField{Name: "Severity", Type: "drop_down", Options: []FieldOption{{Name: "High"}, {Name: "Low"}}})
	w.pts = s.AddCustomField(space10, CustomField{Name: "Points", Type: "number"})
	w.srv = httptest.NewServer(s)
	t.Cleanup(w.srv.Close)
	return w
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (r reply) ecode(t *testing.T) string {
	t.Helper()
	e, _ := r.json(t)["ECODE"].(string)
	return e
}

// call sends a request with token (none when ""); body is JSON-encoded
// unless it is already a string.
func (w *world) call(t *testing.T, method, path, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, w.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func (w *world) get(t *testing.T, path string) reply {
	t.Helper()
	return w.call(t, "GET", path, annTok, nil)
}

func expect(t *testing.T, r reply, status int, ecode string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ecode != "" {
		if got := r.ecode(t); got != ecode {
			t.Fatalf("ECODE = %q, want %q; body %s", got, ecode, r.body)
		}
	}
}

// taskList decodes {"tasks": [...], "last_page": bool}.
type taskList struct {
	Tasks []struct {
		ID       string  `json:"id"`
		CustomID *string `json:"custom_id"`
		Name     string  `json:"name"`
		Parent   *string `json:"parent"`
		Status   struct {
			Status string `json:"status"`
			Type   string `json:"type"`
		} `json:"status"`
	} `json:"tasks"`
	LastPage *bool `json:"last_page"`
}

func (w *world) tasks(t *testing.T, path string) taskList {
	t.Helper()
	r := w.get(t, path)
	expect(t, r, 200, "")
	var tl taskList
	if err := json.Unmarshal(r.body, &tl); err != nil {
		t.Fatal(err)
	}
	return tl
}

func (tl taskList) names() []string {
	out := make([]string, len(tl.Tasks))
	for i, t := range tl.Tasks {
		out[i] = t.Name
	}
	return out
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}
