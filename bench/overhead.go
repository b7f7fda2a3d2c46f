package main

import (
	"context"
	"net/http/httptest"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// overheadInProcess: clickup_get_task through the server's message handler
// (JSON-RPC in, JSON-RPC out, as stdio does it without the pipe) against
// Tasks.Get, both reading the same fake over loopback HTTP.
func overheadInProcess(ctx context.Context, n int) (*overhead, error) {
	fake := newFake()
	api := httptest.NewServer(fake)
	defer api.Close()
	s, err := newStack(fake, api.URL+"/api", toolkit.Selection{})
	if err != nil {
		return nil, err
	}
	ids, err := demoTaskIDs(fake)
	if err != nil {
		return nil, err
	}
	c := clickup.New(demoToken, clickup.WithBaseURL(api.URL+"/api"), clickup.WithRateLimit(unpaced))
	o, err := compare(n,
		func(i int) error {
			_, err := c.Tasks.Get(ctx, clickup.Native(ids[i%len(ids)]), &clickup.GetTaskOptions{IncludeMarkdownDescription: true})
			return err
		},
		func(i int) error {
			_, err := s.callFast(ctx, "clickup_get_task", map[string]any{"task_id": ids[i%len(ids)]})
			return err
		})
	o.BareBy, o.ToolBy = "clickup.Client Tasks.Get -> fake (loopback HTTP)", "tools/call clickup_get_task via the server's message handler -> fake (loopback HTTP)"
	return &o, err
}
