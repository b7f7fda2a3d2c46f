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

	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
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

// NewStdLogger adapts the logger for libraries that log through log.Logger.
func NewStdLogger(l zerolog.Logger) *log.Logger {
	return log.New(l.With().Str("component", "mcp").Logger(), "", 0)
}

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
	stream := server.NewStreamableHTTPServer(a.MCP,
		server.WithEndpointPath("/mcp"),
		server.WithHTTPContextFunc(withRequest),
		// Session ids name the identity they were issued to.
		server.WithSessionIdManagerResolver(boundResolver{}),
		// Into our log, not slog's default: the sweeper reports each
		// session it drops.
		server.WithStreamableHTTPLogger(mcpLog),
		server.WithSessionIdleTTL(idleTTL),
		server.WithDisableLocalhostProtection(oauthMode),
	)
	sessions := newSSETable(a.MaxSSESessions)
	sse := server.NewSSEServer(a.MCP,
		server.WithSSEDisableLocalhostProtection(oauthMode),
		server.WithSSEEndpoint("/sse"),
		server.WithMessageEndpoint("/message"),
		server.WithKeepAliveInterval(25*time.Second),
		server.WithSessionIDGenerator(sessions.genID),
	)
	mux := http.NewServeMux()
	mux.Handle("/mcp", streaming(stream))
	mux.Handle("/sse", streaming(sse.SSEHandler()))
	mux.Handle("/message", sse.MessageHandler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	allowed := map[string]bool{}
	for _, o := range a.AllowOrigins {
		allowed[strings.TrimRight(o, "/")] = true
	}
	var h http.Handler = mux
	counts := a.Sessions
	if counts == nil {
		counts = NewSessions(nil)
	}
	h = a.identify(h, sessions, counts)
	if oauthMode {
		// Outside identify, which then sees the sign-in's ClickUp token.
		h = a.requireOAuth(h)
	}
	h = checkOrigin(h, allowed)
	if oauthMode {
		h = a.withOAuthEndpoints(h)
	}
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
func (a *Server) identify(next http.Handler, sessions *sseTable, counts *Sessions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
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
		case r.URL.Path == "/mcp" && !checkStreamSession(w, r):
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkOrigin refuses browser requests from origins other than localhost
// (DNS-rebinding and cross-site protection); mcp-go checks the Host header.
func checkOrigin(next http.Handler, allowed map[string]bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "null" is what sandboxed frames and file:// pages send: a browser
		// context we cannot vouch for, so it is refused like any foreign one.
		if o := r.Header.Get("Origin"); o != "" && !allowed[strings.TrimRight(o, "/")] {
			u, err := url.Parse(o)
			if err != nil || !isLocalHost(u.Hostname()) {
				http.Error(w, "403 Forbidden: origin not allowed", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
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
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	_ = shutdownMCP(sctx)
	err := srv.Shutdown(sctx)
	if a.OAuth != nil {
		_ = a.OAuth.Close()
	}
	if err != nil {
		_ = srv.Close()
	}
	<-errc
	return err
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
