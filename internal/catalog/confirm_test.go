package catalog

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/mark3labs/mcp-go/mcp"
)

// elicitor is the user of a client with elicitation: it answers every
// question with action (and content on accept) and records what it asked.
type elicitor struct {
	action  mcp.ElicitationResponseAction
	content map[string]any
	mu      sync.Mutex
	asked   []string
}

func (e *elicitor) Elicit(_ context.Context, r mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.asked = append(e.asked, r.Params.Message)
	res := &mcp.ElicitationResult{}
	res.Action = e.action
	if e.action == mcp.ElicitationResponseActionAccept {
		res.Content = e.content
	}
	return res, nil
}

const goalDelete = "DELETE /v2/goal/{goal_id}"

// A destructive catalogue operation asks the user first when the client
// has elicitation, as clickup_delete_task does, on both protocol eras: the
// form names the operation and the request it sends (the id filled in),
// and only accept sends it. A write that is not destructive is not asked.
func TestDestructiveOperationConfirmsByElicitation(t *testing.T) {
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		for _, tc := range []struct {
			name    string
			action  mcp.ElicitationResponseAction
			content map[string]any
			sent    bool
		}{
			{"accept", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, true},
			{"accept-unticked", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false}, false},
			{"decline", mcp.ElicitationResponseActionDecline, nil, false},
			{"cancel", mcp.ElicitationResponseActionCancel, nil, false},
		} {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				e := &elicitor{action: tc.action, content: tc.content}
				r := newRig(t, rigConfig{connect: []testutil.Option{testutil.WithProtocol(proto), testutil.WithElicitation(e)}})
				in := opArgs(t, "goals.delete", map[string]any{"goal_id": "e53a033c-900e-462d-a849-4a216b06d930"})
				text, sc, isErr := r.call(t, "clickup_call_write", in)
				if isErr {
					t.Fatalf("error: %s", text)
				}
				if len(e.asked) != 1 {
					t.Fatalf("asked %d times, want once", len(e.asked))
				}
				for _, want := range []string{"goals.delete", "DELETE /v2/goal/e53a033c-900e-462d-a849-4a216b06d930", "cannot be undone"} {
					if !strings.Contains(e.asked[0], want) {
						t.Errorf("the form %q lacks %q", e.asked[0], want)
					}
				}
				sent := r.fake.Count(goalDelete)
				if tc.sent {
					if sent != 1 {
						t.Errorf("accepted: %d DELETEs, want 1: %s", sent, text)
					}
					return
				}
				if sent != 0 || !strings.Contains(text, "Nothing was changed") || !strings.Contains(text, "goals.delete was not sent") || sc["operation"] != "goals.delete" {
					t.Errorf("%s: %d DELETEs, text %q, result %v: want nothing sent and said so", tc.name, sent, text, sc)
				}
			})
		}
	}
	t.Run("a write that destroys nothing is not asked", func(t *testing.T) {
		e := &elicitor{action: mcp.ElicitationResponseActionDecline}
		r := newRig(t, rigConfig{connect: []testutil.Option{testutil.WithElicitation(e)}})
		if text, _, isErr := r.call(t, "clickup_call_write", opArgs(t, "goals.create", nil)); isErr || len(e.asked) != 0 {
			t.Errorf("goals.create: asked %d times, error=%v: %s", len(e.asked), isErr, text)
		}
	})
}

// A client without elicitation keeps today's behaviour (the operation is
// sent unasked), and dry_run, with or without elicitation, checks the call
// and shows the request without sending it or asking anyone.
func TestDestructiveOperationDryRun(t *testing.T) {
	in := opArgs(t, "goals.delete", map[string]any{"goal_id": "e53a033c-900e-462d-a849-4a216b06d930"})
	dry := map[string]any{"operation": in["operation"], "args": in["args"], "dry_run": true}

	r := newRig(t, rigConfig{})
	text, sc, isErr := r.call(t, "clickup_call_write", dry)
	if isErr || r.fake.Count(goalDelete) != 0 {
		t.Fatalf("dry run: error=%v, %d DELETEs: %s", isErr, r.fake.Count(goalDelete), text)
	}
	shown, _ := sc["result"].(map[string]any)
	if shown["dry_run"] != true || shown["request"] != "DELETE /v2/goal/e53a033c-900e-462d-a849-4a216b06d930" || !strings.Contains(text, "not sent") {
		t.Errorf("dry run shows %v: %s", sc, text)
	}
	if text, _, isErr := r.call(t, "clickup_call_write", in); isErr || r.fake.Count(goalDelete) != 1 {
		t.Errorf("without elicitation: error=%v, %d DELETEs, want sent unasked: %s", isErr, r.fake.Count(goalDelete), text)
	}

	e := &elicitor{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
	r = newRig(t, rigConfig{connect: []testutil.Option{testutil.WithElicitation(e)}})
	if text, _, isErr := r.call(t, "clickup_call_write", dry); isErr || len(e.asked) != 0 || r.fake.Count(goalDelete) != 0 {
		t.Errorf("dry run with elicitation: asked %d, %d DELETEs, error=%v: %s", len(e.asked), r.fake.Count(goalDelete), isErr, text)
	}
	// A dry run is checked as a call is: a bad argument is still refused.
	bad := map[string]any{"operation": "goals.delete", "args": map[string]any{}, "dry_run": true}
	if text, _, isErr := r.call(t, "clickup_call_write", bad); !isErr || !strings.Contains(text, "goal_id") {
		t.Errorf("a dry run without goal_id: error=%v: %s", isErr, text)
	}
	// dry_run belongs to clickup_call_write only.
	if text, _, isErr := r.call(t, "clickup_call_read", map[string]any{"operation": "goals.list", "dry_run": true}); !isErr || !strings.Contains(text, "dry_run") {
		t.Errorf("clickup_call_read took dry_run: %s", text)
	}
}
