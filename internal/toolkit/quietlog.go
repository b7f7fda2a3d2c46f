package toolkit

import (
	"context"
	"log/slog"
)

// quietCalls logs mcp-go's per-request and per-tool-call lines (mcp.request,
// mcp.tool) at debug level when they succeeded; failures keep their level.
// At the default info level a busy HTTP server otherwise writes two lines a
// call, which took some 15% of its CPU under load (console formatting
// included), for lines that only say a call happened.
type quietCalls struct{ slog.Handler }

func (h quietCalls) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && (r.Message == "mcp.request" || r.Message == "mcp.tool") && callSucceeded(r) {
		if !h.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietCalls) WithAttrs(as []slog.Attr) slog.Handler {
	return quietCalls{h.Handler.WithAttrs(as)}
}

func (h quietCalls) WithGroup(name string) slog.Handler {
	return quietCalls{h.Handler.WithGroup(name)}
}

func callSucceeded(r slog.Record) bool {
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "outcome" {
			ok = a.Value.String() == "ok"
			return false
		}
		return true
	})
	return ok
}
