// Package httpserve serves an MCP server over streamable HTTP (/mcp) and SSE
// (/sse and /message): the bearer token per request (or, with --auth oauth,
// the tokens of internal/oauthserver), the X-MCP-* narrowing headers, Origin
// checks, body limits, timeouts, health and graceful shutdown.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/health"
	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/clickup-mcp/clickup-mcp/internal/replica"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/tracing"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// Server is the HTTP transport of one MCP server.
type Server struct {
	MCP *server.MCPServer
	Log zerolog.Logger
	// ServerToken is the token the server was started with; without it
	// every request must carry its own.
	ServerToken string
	// AllowServerToken lets tokenless requests act as the server's own
	// user (--allow-server-token); Sandbox always does (no real data).
	AllowServerToken bool
	Sandbox          bool
	AllowOrigins     []string
	// MaxBodyBytes bounds one request body (0: DefaultMaxBody).
	MaxBodyBytes int64
	Addr         string
	// AllowedHosts are the Host header values answered (empty: any);
	// probes and /metrics are exempt.
	AllowedHosts []string

	// The operator's parts, each optional. Health is the readiness and
	// drain state (nil: one of the server's own). Metrics serves /metrics,
	// on MetricsAddr when set, else beside /mcp. Tracer traces each
	// request. SharedSessions, when set, gives the session registry
	// shared by replicas (through Redis) for the given idle TTL.
	Health         *health.State
	Metrics        *metrics.Metrics
	MetricsAddr    string
	Tracer         *tracing.Tracer
	SharedSessions func(idle time.Duration) *replica.Sessions

	// Tools are every tool the server knows: X-MCP-* names are checked
	// against them.
	Tools []toolkit.Tool
	// Sessions counts the MCP sessions; its Hooks must be on MCP. Nil
	// counts none (no bound on sessions).
	Sessions *Sessions
	// MaxSSESessions bounds the open SSE sessions (0: DefaultMaxSSESessions).
	MaxSSESessions int
	// CallTimeout is the deadline of one call; responses get 30 s more to
	// be written.
	CallTimeout time.Duration
	// OAuth, when set (--auth oauth), serves the OAuth endpoints and
	// admits to /mcp, /sse and /message only the access tokens it issued,
	// acting with the ClickUp token of their sign-in; ServerToken is then
	// never used. ServeOn closes it when it stops.
	OAuth *oauthserver.Server
}

// health is the readiness and drain state: Health, or the server's own
// (made by the first caller: Handler, before ServeOn's other uses).
func (a *Server) health() *health.State {
	if a.Health == nil {
		a.Health = health.New()
	}
	return a.Health
}

// sharedSessions is the shared session registry, nil without one.
func (a *Server) sharedSessions(idle time.Duration) *replica.Sessions {
	if a.SharedSessions == nil {
		return nil
	}
	return a.SharedSessions(idle)
}

// NewStdLogger adapts the logger for libraries that log through log.Logger.
func NewStdLogger(l zerolog.Logger) *log.Logger {
	return log.New(l.With().Str("component", "mcp").Logger(), "", 0)
}

// BearerToken is the ClickUp token a request carries ("" when none): who
// it acts for, e.g. for binding a shared session to its opener.
func BearerToken(r *http.Request) string { return bearerToken(r) }

// bearerToken reads the ClickUp token a request carries.
func bearerToken(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return ""
	}
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return h // a raw personal token, as ClickUp itself accepts
}

// Handler serves streamable HTTP at /mcp and SSE at /sse + /message; the
// function it returns shuts the MCP sessions down.
func (a *Server) Handler() (http.Handler, func(context.Context) error) {
	return a.HandlerWith(SessionIdleTTL)
}

// SessionIdleTTL is how long a streamable-HTTP session may sit unused
// before its state is dropped. Most clients never send DELETE; without a
// TTL each session they open keeps about 10 KB for the life of the process.
// A client back after longer gets 404 and, per the spec, starts a new one.
const SessionIdleTTL = time.Hour

// HandlerWith is Handler with the given idle-session TTL.
func (a *Server) HandlerWith(idleTTL time.Duration) (http.Handler, func(context.Context) error) {
	withRequest := func(ctx context.Context, r *http.Request) context.Context {
		ctx = workspace.WithRequestToken(ctx, bearerToken(r))
		sel, _ := narrowing(r) // checked by a.identify before mcp-go runs
		return toolkit.WithNarrowing(ctx, sel)
	}
	// With OAuth every MCP request needs a token this server issued, so a
	// rebinding page gains nothing, and a TLS proxy on the same host may
	// keep the public Host header.
	oauthMode := a.OAuth != nil
	mcpLog := slog.New(HideSessionIDs(zerolog.NewSlogHandler(a.Log.With().Str("component", "mcp").Logger())))
	reg := newSessionRegistry(idleTTL)
	var local server.SessionIdManagerResolver = boundResolver{reg: reg}
	streamOpts := []server.StreamableHTTPOption{
		server.WithEndpointPath("/mcp"),
		server.WithHTTPContextFunc(withRequest),
		// Session ids name the identity they were issued to, and live
		// from initialize until DELETE or the idle sweep.
		server.WithSessionIdManagerResolver(local),
		// Into our log, not slog's default: the sweeper reports each
		// session it drops.
		server.WithStreamableHTTPLogger(mcpLog),
		server.WithSessionIdleTTL(idleTTL),
		server.WithDisableLocalhostProtection(oauthMode),
	}
	shared := a.sharedSessions(idleTTL)
	if shared != nil {
		// Shared through Redis: valid on every replica, ended on all by
		// DELETE, 404 for unknown ids, bound to the opener's token (this
		// replaces the process-keyed bound ids, which no other replica
		// could validate).
		streamOpts = append(streamOpts, server.WithSessionIdManagerResolver(shared))
		local = shared
	}
	stream := server.NewStreamableHTTPServer(a.MCP, streamOpts...)
	sessions := newSSETable(a.MaxSSESessions)
	sse := server.NewSSEServer(a.MCP,
		server.WithSSEDisableLocalhostProtection(oauthMode),
		server.WithSSEEndpoint("/sse"),
		server.WithMessageEndpoint("/message"),
		server.WithKeepAliveInterval(25*time.Second),
		server.WithSessionIDGenerator(sessions.genID),
	)
	// mcp-go checks the session of a POST only; the gate checks GET and
	// DELETE against the same registry (local, or shared through Redis).
	streamH := gateSessions(stream, local)
	hs := a.health()
	isStream := func(r *http.Request) bool { return r.Method == http.MethodGet }
	tr := a.Tracer
	mux := http.NewServeMux()
	mux.Handle("/mcp", tr.Handler(hs.Track(streaming(streamH), isStream)))
	mux.Handle("/sse", tr.Handler(streaming(sse.SSEHandler())))
	mux.Handle("/message", tr.Handler(hs.Track(sseSessionHere(sse.MessageHandler(), sessions), nil)))
	mux.Handle("/healthz", hs.Healthz())
	mux.Handle("/readyz", hs.Readyz())
	if a.MetricsAddr == "" && a.Metrics != nil {
		mux.Handle("/metrics", a.Metrics.Handler())
	}
	allowed := map[string]bool{}
	for _, o := range a.AllowOrigins {
		allowed[strings.TrimRight(o, "/")] = true
	}
	var h http.Handler = mux
	counts := a.Sessions
	if counts == nil {
		counts = NewSessions(nil)
	}
	h = a.identify(h, sessions, counts, reg)
	if oauthMode {
		// Outside identify, which then sees the sign-in's ClickUp token.
		h = a.requireOAuth(h)
	}
	refused := newRefusalLog(a.Log)
	h = checkOrigin(h, allowed, refused)
	if oauthMode {
		h = a.withOAuthEndpoints(h)
	} else {
		h = noteRebinding(h, refused)
	}
	h = checkHost(h, a.AllowedHosts, refused)
	h = newBodies(a.MaxBodyBytes).wrap(h)
	shutdown := func(ctx context.Context) error {
		return errors.Join(stream.Shutdown(ctx), sse.Shutdown(ctx))
	}
	return h, shutdown
}

// serverTokenServes says whether tokenless requests may act as the
// server's own user: in sandbox mode (no real data), or when the operator
// said so with --allow-server-token.
func (a *Server) serverTokenServes() bool {
	return a.Sandbox || (a.AllowServerToken && a.ServerToken != "")
}

// identify decides who each request acts for before any MCP work is done:
// a token too long to be ClickUp's is refused; a tokenless request gets 401
// unless the server's token serves it; a session's messages must carry the
// identity it was opened with; narrowing headers must be readable.
func (a *Server) identify(next http.Handler, sessions *sseTable, counts *Sessions, reg *sessionRegistry) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if probePath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		tok := bearerToken(r)
		if len(tok) > maxTokenBytes {
			w.Header().Set("WWW-Authenticate", `Bearer realm="clickup-mcp", error="invalid_token"`)
			http.Error(w, fmt.Sprintf("401 Unauthorized: the Authorization value is %d bytes, longer than any ClickUp token (%d at most)", len(tok), maxTokenBytes), http.StatusUnauthorized)
			return
		}
		sel, err := narrowing(r)
		if err == nil {
			err = checkNarrowing(a.Tools, sel)
		}
		if err != nil {
			http.Error(w, "400 Bad Request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/message" {
			if b := sessions.get(r.URL.Query().Get("sessionId")); b != nil {
				r, ok := sessions.message(w, r, b)
				if ok {
					next.ServeHTTP(w, r)
				}
				return
			}
		}
		if tok == "" && !a.serverTokenServes() {
			msg := "401 Unauthorized: send your ClickUp API token as 'Authorization: Bearer <token>'"
			if a.ServerToken != "" {
				msg += " (this server has a token of its own but lends it to tokenless requests only when started with --allow-server-token)"
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="clickup-mcp", error="invalid_request", error_description="send your ClickUp token as Authorization: Bearer <token>"`)
			http.Error(w, msg, http.StatusUnauthorized)
			return
		}
		if !counts.room(w, r, tok) {
			return
		}
		switch {
		case r.URL.Path == "/sse" && r.Method == http.MethodGet:
			sessions.stream(tok, sel, w, r, next)
			return
		case r.URL.Path == "/mcp" && !checkStreamSession(w, r, reg):
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkOrigin refuses browser requests from origins other than localhost
// (DNS-rebinding and cross-site protection); mcp-go checks the Host header.
func checkOrigin(next http.Handler, allowed map[string]bool, refused *refusalLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "null" is what sandboxed frames and file:// pages send: a browser
		// context we cannot vouch for, so it is refused like any foreign one.
		if o := r.Header.Get("Origin"); o != "" && !allowed[strings.TrimRight(o, "/")] {
			u, err := url.Parse(o)
			if err != nil || !isLocalHost(u.Hostname()) {
				refused.note("origin", o, r, "refused a browser request from an origin not allowed (widen with --allow-origins)")
				http.Error(w, "403 Forbidden: origin not allowed", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// probePath is served without a token or Host check: orchestrators probe
// pods by IP.
func probePath(p string) bool { return p == "/healthz" || p == "/readyz" || p == "/metrics" }

// checkHost answers 403 to a request whose Host is not one of hosts (when
// any are set): behind a load balancer on 0.0.0.0, the DNS-rebinding guard
// that mcp-go applies to loopback connections does not apply.
func checkHost(next http.Handler, hosts []string, refused *refusalLog) http.Handler {
	if len(hosts) == 0 {
		return next
	}
	ok := map[string]bool{}
	for _, h := range hosts {
		ok[strings.ToLower(hostOnly(h))] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !probePath(r.URL.Path) && !ok[strings.ToLower(hostOnly(r.Host))] {
			refused.note("host", r.Host, r, "refused a request for a Host not allowed (see --allowed-hosts)")
			http.Error(w, "403 Forbidden: host not allowed (see --allowed-hosts)", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func hostOnly(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return strings.Trim(h, "[]")
}

// sseSessionHere answers 404, clearly, to a legacy SSE message for a session
// whose stream this replica does not hold (mcp-go answers 400): with several
// replicas, legacy SSE needs load-balancer affinity on sessionId.
func sseSessionHere(next http.Handler, sessions *sseTable) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A rebinding attempt (a loopback connection naming a foreign
		// Host) is mcp-go's to refuse with 403, before any session talk.
		rebinding := isLoopbackPeer(r) && !isLocalHost(hostOnly(r.Host))
		if r.Method == http.MethodPost && !rebinding {
			if sessions.get(r.URL.Query().Get("sessionId")) == nil {
				http.Error(w, "404 no SSE session with this sessionId on this server: open a new stream at /sse (behind several replicas, legacy SSE needs load-balancer affinity on sessionId; streamable HTTP at /mcp needs none)", http.StatusNotFound)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isLoopbackPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isLocalHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// HTTP limits. A tool call is bounded by tools' CallTimeout (60 s), so a
// response has that plus slack to be written; the long-lived SSE streams
// (GET /sse, GET /mcp) lift the write deadline for themselves.
const (
	httpReadHeaderTimeout = 10 * time.Second
	httpReadTimeout       = 60 * time.Second
	httpWriteTimeout      = 90 * time.Second
	httpIdleTimeout       = 120 * time.Second
	// ShutdownGrace is how long in-flight calls may finish after SIGTERM;
	// calls still running then are cancelled.
	ShutdownGrace = 10 * time.Second
)

// NewHTTPServer wraps h in an http.Server with the transport's limits.
func (a *Server) NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      a.writeTimeout(),
		IdleTimeout:       httpIdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          NewStdLogger(a.Log),
	}
}

// writeTimeout leaves a response 30 s to be written after the call
// deadline, and never less than httpWriteTimeout.
func (a *Server) writeTimeout() time.Duration {
	if d := a.CallTimeout + 30*time.Second; d > httpWriteTimeout {
		return d
	}
	return httpWriteTimeout
}

// streaming lifts the server's write deadline for a long-lived event
// stream, which writes for as long as the client listens.
func streaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
		}
		next.ServeHTTP(w, r)
	})
}

// Serve listens on Addr until ctx ends, then drains in-flight calls.
func (a *Server) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Addr)
	if err != nil {
		return err
	}
	return a.ServeOn(ctx, ln, ShutdownGrace)
}

// ServeOn serves on ln until ctx ends, then gives in-flight calls grace to
// finish and cancels the rest (closing a connection cancels its request's
// context, and so its ClickUp request).
func (a *Server) ServeOn(ctx context.Context, ln net.Listener, grace time.Duration) error {
	h, shutdownMCP := a.Handler()
	srv := a.NewHTTPServer(h)
	a.Log.Info().Str("addr", ln.Addr().String()).Msg("serving streamable HTTP at /mcp and SSE at /sse")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	stopMetrics, err := a.serveMetrics()
	if err != nil {
		_ = srv.Close()
		<-errc
		return err
	}
	defer stopMetrics()
	a.health().Ready()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	// /readyz turns 503 so the load balancer sends no new work, and the
	// calls in flight get the grace period to finish.
	if left := a.health().Drain(sctx); left > 0 {
		a.Log.Warn().Int("calls", left).Dur("grace", grace).Msg("grace period over with calls in flight; cancelling them")
	}
	_ = shutdownMCP(sctx)
	err = srv.Shutdown(sctx)
	if a.OAuth != nil {
		_ = a.OAuth.Close()
	}
	if err != nil {
		_ = srv.Close()
	}
	<-errc
	return err
}

// serveMetrics serves /metrics (and the probes) on --metrics-addr when set.
func (a *Server) serveMetrics() (stop func(), err error) {
	if a.MetricsAddr == "" || a.Metrics == nil {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", a.Metrics.Handler())
	mux.Handle("/healthz", a.health().Healthz())
	mux.Handle("/readyz", a.health().Readyz())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: httpReadHeaderTimeout, WriteTimeout: httpWriteTimeout, ErrorLog: NewStdLogger(a.Log)}
	done := make(chan struct{})
	go func() { _ = srv.Serve(ln); close(done) }()
	a.Log.Info().Str("addr", ln.Addr().String()).Msg("serving Prometheus metrics at /metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
		<-done
	}, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
