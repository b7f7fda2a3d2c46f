// Package tools holds the curated MCP tools of clickup-mcp: one file per
// ClickUp area, each tool's argument and result types beside it, and one
// registry list (registry.go). The framework (internal/toolkit) decodes,
// checks and renders; the workspace (internal/workspace) resolves names and
// talks to ClickUp.
package tools

//go:generate go run ../internal/schemagen/gen -set tools -o schemas_gen.go

import (
	"context"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
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
		r, text, err := h(ctx, sess, a)
		if err != nil {
			forgetRefused(d, sess, err)
			return r, text, err
		}
		sess.MarkWorked()
		return r, text, nil
	})
}

// forgetRefused drops the session of a token ClickUp refused.
func forgetRefused(d *workspace.Deps, s *workspace.Session, err error) {
	if clickup.IsKind(err, clickup.KindUnauthorized) {
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
