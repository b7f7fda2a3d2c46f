package tools

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// elicitor is a client's user: it answers every elicitation with action
// (and, on accept, content) and records what it was asked.
type elicitor struct {
	action  mcp.ElicitationResponseAction
	content map[string]any
	mu      sync.Mutex
	asked   []mcp.ElicitationParams
}

func (e *elicitor) Elicit(_ context.Context, r mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.asked = append(e.asked, r.Params)
	res := &mcp.ElicitationResult{}
	res.Action = e.action
	if e.action == mcp.ElicitationResponseActionAccept {
		res.Content = e.content
	}
	return res, nil
}

// connectEliciting is newHarness for a client that advertises elicitation
// (handled by e) on protocol version proto.
func (w *world) connectEliciting(t *testing.T, e *elicitor, proto string) *harness {
	t.Helper()
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	d := workspace.NewDeps(workspace.Config{Token: "pk_alex" + w.suffix, BaseURL: srv.URL + "/api", Location: time.UTC, Now: func() time.Time { return testNow }, RatePerMinute: 100000,
		Retry: &clickup.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond}})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, s, testutil.WithProtocol(proto), testutil.WithClientName("eliciting-test"), testutil.WithElicitation(e))
	return &harness{world: w, deps: d, c: c}
}

// A client that advertises elicitation is asked before a task is deleted,
// with the task's name and its subtask and comment counts, on both protocol
// eras (2026-07-28's multi round-trip and 2025-11-25's elicitation/create);
// only accept deletes. A client without elicitation deletes as before.
func TestDeleteTaskConfirmsByElicitation(t *testing.T) {
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		for _, tc := range []struct {
			name    string
			action  mcp.ElicitationResponseAction
			content map[string]any
			deleted bool
		}{
			{"accept", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, true},
			{"accept-unticked", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false}, false},
			{"decline", mcp.ElicitationResponseActionDecline, nil, false},
			{"cancel", mcp.ElicitationResponseActionCancel, nil, false},
		} {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				w := newWorld(t)
				e := &elicitor{action: tc.action, content: tc.content}
				h := w.connectEliciting(t, e, proto)
				var r DeleteTaskResult
				text := h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": w.login}, &r)
				if len(e.asked) != 1 {
					t.Fatalf("asked %d times, want once", len(e.asked))
				}
				msg := e.asked[0].Message
				for _, want := range []string{"Fix login redirect", w.login, "1 subtasks", "0 comments", "Sprint 12", "cannot be undone"} {
					if !strings.Contains(msg, want) {
						t.Errorf("confirmation %q lacks %q", msg, want)
					}
				}
				deletes := w.fake.Count("DELETE /v2/task/{task_id}")
				if tc.deleted {
					if !r.Deleted || deletes != 1 || r.Confirmation != "accepted" {
						t.Errorf("accepted: deleted=%v, %d DELETEs, confirmation %q; text %q", r.Deleted, deletes, r.Confirmation, text)
					}
					return
				}
				if r.Deleted || deletes != 0 {
					t.Errorf("%s: deleted=%v with %d DELETEs, want nothing deleted", tc.name, r.Deleted, deletes)
				}
				if !strings.Contains(text, "Nothing was changed") || !strings.Contains(text, "not deleted") || r.Confirmation == "" {
					t.Errorf("%s: text %q (confirmation %q) does not say nothing was deleted", tc.name, text, r.Confirmation)
				}
			})
		}
	}
	t.Run("without elicitation", func(t *testing.T) {
		h := newHarness(t, "pk_alex")
		var dry DeleteTaskResult
		h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": h.login, "dry_run": true}, &dry)
		if dry.Deleted || !dry.DryRun || h.fake.Count("DELETE /v2/task/{task_id}") != 0 {
			t.Fatalf("dry run deleted: %+v", dry)
		}
		var r DeleteTaskResult
		h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": h.login}, &r)
		if !r.Deleted || r.Confirmation != "" || h.fake.Count("DELETE /v2/task/{task_id}") != 1 {
			t.Errorf("without elicitation: %+v, %d DELETEs; want deleted unasked", r, h.fake.Count("DELETE /v2/task/{task_id}"))
		}
	})
	t.Run("dry run is not asked", func(t *testing.T) {
		w := newWorld(t)
		e := &elicitor{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
		h := w.connectEliciting(t, e, mcp.LATEST_PROTOCOL_VERSION)
		var r DeleteTaskResult
		h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": w.login, "dry_run": true}, &r)
		if len(e.asked) != 0 || r.Deleted {
			t.Errorf("dry run: asked %d times, deleted=%v", len(e.asked), r.Deleted)
		}
	})
}
