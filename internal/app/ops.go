package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/health"
	"github.com/clickup-mcp/clickup-mcp/internal/httpserve"
	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"github.com/clickup-mcp/clickup-mcp/internal/replica"
	"github.com/clickup-mcp/clickup-mcp/internal/tracing"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// ops is what an operator runs many replicas with: metrics, traces,
// health and drain, and the state shared through Redis. Each part is nil
// when off, and every use below accepts that.
type ops struct {
	metrics *metrics.Metrics
	tracer  *tracing.Tracer
	health  *health.State
	node    *replica.Node
	window  *replica.Window
	stop    context.CancelFunc
}

// newOps builds the parts the configuration asks for: metrics and health
// for HTTP, traces when OTEL_EXPORTER_OTLP_ENDPOINT is set, Redis with
// --redis-url.
func newOps(cfg Config, log zerolog.Logger) (*ops, error) {
	o := &ops{health: health.New(), stop: func() {}}
	if cfg.Transport == "http" || cfg.MetricsAddr != "" {
		o.metrics = metrics.New()
	}
	if cfg.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
			return nil, fmt.Errorf("bad --metrics-addr %q (CLICKUP_MCP_METRICS_ADDR): use host:port, e.g. 0.0.0.0:9090", cfg.MetricsAddr)
		}
	}
	t, err := tracing.Setup(context.Background(), Version)
	if err != nil {
		return nil, err
	}
	o.tracer = t
	if cfg.RedisURL != "" {
		n, err := replica.New(replica.Options{URL: cfg.RedisURL, Metrics: o.metrics, Logger: log})
		if err != nil {
			return nil, err
		}
		o.node, o.window = n, n.Window()
	}
	return o, nil
}

// configure adds the parts to the tools' configuration.
func (o *ops) configure(tc *workspace.Config) {
	if o.window != nil {
		tc.ClientOptions = append(tc.ClientOptions, clickup.WithSharedWindow(o.window))
	}
	if o.metrics != nil {
		tc.ClientOptions = append(tc.ClientOptions, clickup.WithWaitObserver(o.metrics.RateWait))
		tc.CacheObserver = o.metrics.Cache
	}
	if o.metrics != nil || o.tracer != nil {
		hc := tc.HTTPClient
		if hc == nil {
			base := http.DefaultTransport.(*http.Transport).Clone()
			base.MaxIdleConnsPerHost = 100 // as clickup's own default transport
			hc = &http.Client{Timeout: clickup.DefaultTimeout, Transport: base}
		}
		cp := *hc
		// The trace span encloses the metrics' timing.
		cp.Transport = o.tracer.Transport(o.metrics.Transport(hc.Transport))
		tc.HTTPClient = &cp
	}
	if o.node != nil {
		// The write guard's records on Redis: the same create sent to
		// two replicas is sent to ClickUp once.
		tc.WriteStore = o.node.WriteStore()
		bus := o.node.Bus()
		tc.OnTaskCountChange = func(listID string) {
			// Off the call's path: a slow Redis must not slow the write.
			go func() { _ = bus.Publish(context.Background(), replica.Invalidation{Lists: []string{listID}}) }()
		}
	}
}

// serverOptions times and traces every tool call.
func (o *ops) serverOptions() []server.ServerOption {
	if o.metrics == nil && o.tracer == nil {
		return nil
	}
	mw := func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			name := req.Params.Name
			done := o.metrics.ToolStarted(name)
			ctx, end := o.tracer.StartTool(ctx, name)
			res, err := next(ctx, req)
			outcome := metrics.OutcomeOK
			switch {
			case err != nil || res == nil:
				outcome = metrics.OutcomeFailed
			case res.IsError:
				outcome = metrics.OutcomeError
			}
			end(outcome)
			done(outcome)
			return res, err
		}
	}
	return []server.ServerOption{server.WithToolHandlerMiddleware(mw)}
}

// addHooks counts sessions in the metrics, on the server's one Hooks.
func (o *ops) addHooks(h *server.Hooks) {
	if o.metrics == nil {
		return
	}
	h.AddOnRegisterSession(func(ctx context.Context, s server.ClientSession) { o.metrics.SessionOpened(sessionKind(s)) })
	h.AddOnUnregisterSession(func(ctx context.Context, s server.ClientSession) { o.metrics.SessionClosed(sessionKind(s)) })
}

func sessionKind(s server.ClientSession) string {
	t := fmt.Sprintf("%T", s)
	switch {
	case strings.Contains(t, "sse"), strings.Contains(t, "SSE"):
		return "sse"
	case strings.Contains(t, "streamable"), strings.Contains(t, "Streamable"):
		return "streamable"
	}
	return "other"
}

// start subscribes to invalidations from other replicas once the tools'
// deps exist.
func (o *ops) start(a *App) {
	if o.metrics != nil {
		names := make([]string, len(a.Tools))
		for i, t := range a.Tools {
			names[i] = t.Name()
		}
		o.metrics.KnownTools(names)
	}
	if o.node == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	o.stop = cancel
	o.node.Bus().Subscribe(ctx, func(inv replica.Invalidation) {
		a.Deps.Invalidate(inv.Lists, inv.All || (inv.Hierarchy && len(inv.Lists) == 0))
	})
}

// sessions is the shared session registry, nil without Redis.
func (o *ops) sessions(idle time.Duration) *replica.Sessions {
	if o.node == nil {
		return nil
	}
	return o.node.Sessions(identityOf, idle)
}

// identityOf is who a request acts for: its bearer token, or the server's
// own token when it carries none (hashed by the registry).
func identityOf(r *http.Request) string { return httpserve.BearerToken(r) }

func (o *ops) close(ctx context.Context) {
	o.stop()
	if o.node != nil {
		_ = o.node.Close()
	}
	_ = o.tracer.Shutdown(ctx)
}
