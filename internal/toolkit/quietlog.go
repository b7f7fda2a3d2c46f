package toolkit

import (
	"context"
	"log/slog"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// quietCalls logs mcp-go's per-request and per-tool-call lines (mcp.request,
// mcp.tool) at debug level when they succeeded; failures keep their level.
// At the default info level a busy HTTP server otherwise writes two lines a
// call, which took some 15% of its CPU under load (console formatting
// included), for lines that only say a call happened.
//
// A failed call's mcp.tool line also says why (outcome=error_result alone
// does not): the attributes errAttrs gives for the error the handler met,
// such as ClickUp's error code and HTTP status.
type quietCalls struct {
	slog.Handler
	errAttrs func(error) []slog.Attr
}

func (h quietCalls) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && (r.Message == "mcp.request" || r.Message == "mcp.tool") && callSucceeded(r) {
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	if r.Message == "mcp.tool" && h.errAttrs != nil {
		if f, ok := ctx.Value(failureKey{}).(*failure); ok {
			f.mu.Lock()
			err := f.err
			f.mu.Unlock()
			if err != nil {
				r.AddAttrs(h.errAttrs(err)...)
			}
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietCalls) WithAttrs(as []slog.Attr) slog.Handler {
	return quietCalls{h.Handler.WithAttrs(as), h.errAttrs}
}

func (h quietCalls) WithGroup(name string) slog.Handler {
	return quietCalls{h.Handler.WithGroup(name), h.errAttrs}
}

// failure is where a tool handler leaves the error behind its isError
// result, for the mcp.tool log line written after it returns.
type failure struct {
	mu  sync.Mutex
	err error
}

type failureKey struct{}

// withFailureSlot gives each tool call a failure slot. It must run outside
// mcp-go's logging middleware, which logs with the context it was given.
func withFailureSlot(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return next(context.WithValue(ctx, failureKey{}, &failure{}), req)
	}
}

// noteFailure records err as the reason of the call's isError result.
func noteFailure(ctx context.Context, err error) {
	if f, ok := ctx.Value(failureKey{}).(*failure); ok {
		f.mu.Lock()
		f.err = err
		f.mu.Unlock()
	}
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
