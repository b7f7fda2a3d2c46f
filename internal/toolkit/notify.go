package toolkit

import (
	"context"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Progress and log notifications of one call. A request that carries a
// progress token gets notifications/progress as its work goes on (clients
// reset their time-outs on each); a client that set a log level (by
// logging/setLevel, or per request on 2026-07-28) gets notifications/message
// at that level or above. Both are sent on the request's own channel.

type progressKey struct{}

// progress is one request's progress: a counter that only goes up.
type progress struct {
	token mcp.ProgressToken
	mu    sync.Mutex
	n     float64
}

// withProgress gives a call the progress token of its request, if any.
func withProgress(ctx context.Context, meta *mcp.Meta) context.Context {
	if meta == nil || meta.ProgressToken == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, &progress{token: meta.ProgressToken})
}

// Progress tells the client that the call has made one more step, saying
// which in message; without a progress token on the request it does
// nothing.
func Progress(ctx context.Context, message string) {
	p, ok := ctx.Value(progressKey{}).(*progress)
	if !ok {
		return
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), map[string]any{
		"progressToken": p.token,
		"progress":      p.n,
		"message":       message,
	})
}

// Log sends a notifications/message of the given level to the client of
// the call, if its log level admits it (mcp-go checks, for both protocol
// eras); the logger is "clickup-mcp".
func Log(ctx context.Context, level mcp.LoggingLevel, message string) {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return
	}
	_ = srv.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(level, "clickup-mcp", message))
}
