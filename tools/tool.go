// Package tools holds the curated MCP tools of clickup-mcp: one file per
// ClickUp area, each tool's argument and result types beside it, and one
// registry list (registry.go). The framework (internal/toolkit) decodes,
// checks and renders; the workspace (internal/workspace) resolves names and
// talks to ClickUp.
package tools

//go:generate go run ../internal/schemagen/gen -set tools -o schemas_gen.go

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"
)

// handlerFunc is the typed body of a tool.
type handlerFunc[A, R any] = toolkit.Handler[*workspace.Session, A, R]

// newTool builds a tool on the workspace's sessions, with the schemas
// generated for it (schemas_gen.go). A call that succeeds
// marks its token as one ClickUp accepts; a token ClickUp refuses (401)
// has its session dropped, so junk tokens keep no state.
func newTool[A, R any](d *workspace.Deps, s toolkit.Spec, h handlerFunc[A, R]) toolkit.Tool {
	s.Schemas = generatedSchemas[s.Name]
	return toolkit.New(runtime{d}, s, func(ctx context.Context, sess *workspace.Session, a *A) (*R, string, error) {
		ctx = clickup.WithEvents(ctx, notifyEvents(ctx))
		ctx = workspace.WithCacheRefreshes(ctx, notifyRefresh(ctx))
		r, text, err := h(ctx, sess, a)
		if err != nil {
			forgetRefused(d, sess, err)
			return r, text, err
		}
		sess.MarkWorked()
		return r, text, nil
	})
}

// notifyEvents turns what the ClickUp client does during a call into
// progress (for a request with a progress token) and log notifications (at
// the level the client set): rate-limit waits and retries at info and
// warning, each request answered at debug. The first answered request is
// no progress worth reporting; the second and later (multi-page searches,
// look-ups before a write) are.
func notifyEvents(ctx context.Context) clickup.EventFunc {
	var done atomic.Int64
	return func(e clickup.Event) {
		switch e.Kind {
		case clickup.EventWait:
			msg := fmt.Sprintf("waiting %s for ClickUp's rate limit (%s) before %s", e.Wait.Round(10*time.Millisecond), e.Reason, e.Route)
			toolkit.Progress(ctx, msg)
			toolkit.Log(ctx, mcp.LoggingLevelInfo, msg)
		case clickup.EventRetry:
			msg := fmt.Sprintf("retrying %s after attempt %d failed (%s)", e.Route, e.Attempt, e.Reason)
			toolkit.Progress(ctx, msg)
			toolkit.Log(ctx, mcp.LoggingLevelWarning, msg)
		case clickup.EventDone:
			n := done.Add(1)
			msg := fmt.Sprintf("ClickUp answered %s (request %d of this call)", e.Route, n)
			if n > 1 {
				toolkit.Progress(ctx, msg)
			}
			toolkit.Log(ctx, mcp.LoggingLevelDebug, msg)
		}
	}
}

// notifyRefresh turns a cache load during a call (the hierarchy, the
// workspaces and members, a list's statuses or custom fields) into a log
// notification at info, the level of rate-limit waits: it says why a call
// made more requests than a warm one.
func notifyRefresh(ctx context.Context) func(workspace.CacheRefresh) {
	return func(r workspace.CacheRefresh) { toolkit.Log(ctx, mcp.LoggingLevelInfo, r.String()) }
}

// forgetRefused drops the session of a token ClickUp refused.
func forgetRefused(d *workspace.Deps, s *workspace.Session, err error) {
	if clickup.IsKind(err, clickup.KindUnauthorized) {
		d.WarnRefused(s)
		d.Forget(s)
	}
}

// runtime gives the framework the workspace's sessions, explanations and
// write-scope check.
type runtime struct{ d *workspace.Deps }

func (r runtime) Session(ctx context.Context) (*workspace.Session, error) { return r.d.Session(ctx) }

func (r runtime) CallTimeout() time.Duration { return r.d.CallTimeout() }

func (r runtime) Explain(ctx context.Context, s *workspace.Session, ok bool, err error) string {
	if ok {
		err = s.ExplainWorkspaceErr(ctx, err)
	}
	return workspace.Explain(err)
}

func (r runtime) CheckWrite(ctx context.Context, s *workspace.Session, p toolkit.Place) error {
	err := s.CheckWritePlace(ctx, p.ListArg, p.List, p.TaskArg, p.Task, p.Workspace)
	if err != nil {
		forgetRefused(r.d, s, err)
	}
	return err
}

func (r runtime) WithNotes(ctx context.Context) (context.Context, *[]string) {
	return workspace.WithNotes(ctx)
}

func (r runtime) Logger() *zerolog.Logger { return r.d.Logger() }

func (r runtime) MaxResultTokens() int { return r.d.Config().MaxResultTokens }
