package prompts

import (
	"context"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/mcp"
)

// Every request kind has the tools' deadline: against a ClickUp that hangs,
// prompts/get, resources/read (static and templated) and completion/complete
// end at the call timeout instead of when the connection gives up (243 s
// in the issue). The hang is 30 s and the deadline 300 ms: each must end in
// under a tenth of the hang.
func TestEveryRequestKindHasTheCallDeadline(t *testing.T) {
	h := newHarness(t, setup{own: true, callTimeout: 300 * time.Millisecond})
	const hang = 30 * time.Second
	h.fake.InjectFault(clickuptest.Fault{Delay: hang, Times: 1000})
	defer h.fake.ClearFaults()
	ref := mcp.PromptReference{Type: "ref/prompt", Name: "standup"}
	for _, tc := range []struct {
		kind string
		do   func() error
	}{
		{"prompts/get standup", func() error {
			_, _, err := h.prompt(t, "standup", nil)
			return err
		}},
		{"resources/read clickup://me", func() error {
			_, err := h.read(t, "clickup://me")
			return err
		}},
		{"resources/read a task (template)", func() error {
			_, err := h.read(t, "clickup://task/ACME-1")
			return err
		}},
		{"completion/complete", func() error {
			req := mcp.CompleteRequest{}
			req.Params.Ref = ref
			req.Params.Argument = mcp.CompleteArgument{Name: "member", Value: "pri"}
			_, err := h.c.Complete(context.Background(), req)
			return err
		}},
	} {
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- tc.do() }()
		select {
		case err := <-done:
			took := time.Since(start)
			if took > hang/10 {
				t.Errorf("%s: answered after %v, past a tenth of the %v hang (deadline 300ms)", tc.kind, took, hang)
			}
			t.Logf("%s against a hung ClickUp: ended after %v (%v)", tc.kind, took.Round(10*time.Millisecond), err)
		case <-time.After(hang / 2):
			t.Fatalf("%s: still running after %v with a 300ms deadline", tc.kind, hang/2)
		}
	}
}
