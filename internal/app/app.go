// Package app is the composition root of clickup-mcp: the configuration
// (flags and environment), the server built from it, the transports and the
// signals. The command line (internal/cli) and main.go call into it; it calls
// internal/httpserve for the HTTP transports.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/clickup-mcp/clickup-mcp/internal/buildinfo"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/catalog"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/flagval"
	"github.com/clickup-mcp/clickup-mcp/internal/httpserve"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/prompts"
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// Version is the running version, from the build (internal/buildinfo).
var Version = buildinfo.Version()

// Config is everything the process reads from flags and the environment.
type Config struct {
	Transport     string
	Addr          string
	Token         string
	WorkspaceID   string
	APIURL        string
	RatePerMinute int
	Timezone      string
	LogLevel      string
	LogFormat     string
	Sandbox       bool
	Toolsets      string
	Tools         string
	ExcludeTools  string
	CatalogAreas  string
	ReadOnly      bool
	MaxBodyBytes  int64
	AllowOrigins  string
	WriteScope    string
	RedisURL      string
	MetricsAddr   string
	AllowedHosts  string
	// AllowServerToken lets tokenless HTTP requests act as the server's
	// own user (its token from the environment or `auth login`).
	AllowServerToken bool
	// Lockdown withholds bodies written by workspace guests.
	Lockdown bool
	// CallTimeout bounds every request: tools, prompts, resources and
	// completions.
	CallTimeout time.Duration
	// envErr holds the environment variables that could not be read; New
	// refuses to start with them (configuration fails closed).
	envErr    error
	Auth      string // bearer (default) or oauth
	PublicURL string
	// MaxResultTokens and the deprecated MaxResultBytes are read by
	// resultTokens.
	MaxResultTokens string
	MaxResultBytes  string
	// UploadDir is the directory clickup_attach_file may read files from
	// (stdio only); MaxUploadBytes caps one attached file.
	UploadDir      string
	MaxUploadBytes int64
}

// Env reads an environment variable, def when unset or empty.
func Env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envBool reads a boolean variable (true/false, 1/0, yes/no, on/off); an
// unreadable value is recorded in cfg and stops the server in New, since
// reading CLICKUP_MCP_READ_ONLY=enabled as false would fail open.
func envBool(cfg *Config, name string) bool {
	v, ok := os.LookupEnv(name)
	if !ok || strings.TrimSpace(v) == "" {
		return false
	}
	b, err := flagval.ParseBool(v)
	if err != nil {
		cfg.envErr = errors.Join(cfg.envErr, fmt.Errorf("%s: %w", name, err))
	}
	return b
}

// envInt reads an integer variable; an unreadable value is recorded in cfg.
func envInt(cfg *Config, name string, def int) int {
	v := Env(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		cfg.envErr = errors.Join(cfg.envErr, fmt.Errorf("%s: cannot read %q as a whole number", name, v))
		return def
	}
	return n
}

// envDuration reads a duration variable (60s, 2m); an unreadable value is
// recorded in cfg.
func envDuration(cfg *Config, name string, def time.Duration) time.Duration {
	v := Env(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		cfg.envErr = errors.Join(cfg.envErr, fmt.Errorf("%s: cannot read %q as a positive duration such as 60s or 2m", name, v))
		return def
	}
	return d
}

// NewFlagSet declares every setting; the environment supplies defaults.
func NewFlagSet(name string, cfg *Config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	rate := envInt(cfg, "CLICKUP_RATE_LIMIT", 100)
	fs.StringVar(&cfg.Transport, "transport", Env("CLICKUP_MCP_TRANSPORT", "stdio"), "stdio or http (streamable HTTP at /mcp plus SSE at /sse and /message) [CLICKUP_MCP_TRANSPORT]")
	fs.StringVar(&cfg.Addr, "addr", Env("CLICKUP_MCP_ADDR", "127.0.0.1:8080"), "listen address for --transport http: HOST:PORT, or a bare PORT for 127.0.0.1:PORT (0.0.0.0:PORT listens on every interface) [CLICKUP_MCP_ADDR]")
	fs.StringVar(&cfg.Token, "token", "", "ClickUp API token (prefer the environment: CLICKUP_API_TOKEN)")
	fs.StringVar(&cfg.WorkspaceID, "workspace", Env("CLICKUP_WORKSPACE_ID", ""), "default workspace id when the token has several [CLICKUP_WORKSPACE_ID]")
	fs.StringVar(&cfg.APIURL, "api-url", Env("CLICKUP_API_URL", "https://api.clickup.com/api"), "ClickUp API base URL, for proxies and tests [CLICKUP_API_URL]")
	fs.IntVar(&cfg.RatePerMinute, "rate-limit", rate, "ClickUp requests per minute per token: 100 on most plans, 1000 Business Plus, 10000 Enterprise [CLICKUP_RATE_LIMIT]")
	fs.StringVar(&cfg.Timezone, "timezone", Env("CLICKUP_TIMEZONE", ""), "IANA time zone for reading and showing dates, e.g. Europe/Berlin (default: the ClickUp user's, else the machine's) [CLICKUP_TIMEZONE]")
	fs.StringVar(&cfg.LogLevel, "log-level", Env("CLICKUP_MCP_LOG_LEVEL", "info"), "debug, info, warn or error [CLICKUP_MCP_LOG_LEVEL]")
	fs.StringVar(&cfg.LogFormat, "log-format", Env("CLICKUP_MCP_LOG_FORMAT", "console"), "console or json; logs go to stderr [CLICKUP_MCP_LOG_FORMAT]")
	cfg.Sandbox = envBool(cfg, "CLICKUP_MCP_SANDBOX")
	fs.Var(flagval.Bool{V: &cfg.Sandbox}, "sandbox", "serve a built-in demo workspace instead of ClickUp: no account or network needed [CLICKUP_MCP_SANDBOX]")
	fs.StringVar(&cfg.Toolsets, "toolsets", Env("CLICKUP_MCP_TOOLSETS", "default"), "comma-separated toolsets to offer: context, tasks, comments, default, all [CLICKUP_MCP_TOOLSETS]")
	fs.StringVar(&cfg.Tools, "tools", Env("CLICKUP_MCP_TOOLS", ""), "comma-separated single tools to add [CLICKUP_MCP_TOOLS]")
	fs.StringVar(&cfg.ExcludeTools, "exclude-tools", Env("CLICKUP_MCP_EXCLUDE_TOOLS", ""), "comma-separated tools or catalogue operation ids never to offer [CLICKUP_MCP_EXCLUDE_TOOLS]")
	fs.StringVar(&cfg.CatalogAreas, "catalog-areas", Env("CLICKUP_MCP_CATALOG_AREAS", ""), "comma-separated sensitive catalogue areas to enable: webhooks, guests, user_groups, roles, audit_logs, hierarchy_delete, or all [CLICKUP_MCP_CATALOG_AREAS]")
	cfg.ReadOnly = envBool(cfg, "CLICKUP_MCP_READ_ONLY")
	fs.Var(flagval.Bool{V: &cfg.ReadOnly}, "read-only", "offer only tools that do not change ClickUp [CLICKUP_MCP_READ_ONLY]")
	cfg.AllowServerToken = envBool(cfg, "CLICKUP_MCP_ALLOW_SERVER_TOKEN")
	fs.Var(flagval.Bool{V: &cfg.AllowServerToken}, "allow-server-token", "HTTP: let requests without a token act as the server's own ClickUp user (CLICKUP_API_TOKEN or 'auth login'); without it they get 401 [CLICKUP_MCP_ALLOW_SERVER_TOKEN]")
	cfg.Lockdown = envBool(cfg, "CLICKUP_MCP_LOCKDOWN")
	fs.Var(flagval.Bool{V: &cfg.Lockdown}, "lockdown", "withhold descriptions and comments written by workspace guests, for servers that read external input [CLICKUP_MCP_LOCKDOWN]")
	fs.DurationVar(&cfg.CallTimeout, "call-timeout", envDuration(cfg, "CLICKUP_MCP_CALL_TIMEOUT", 60*time.Second), "deadline of one request (tool call, prompt, resource read or completion), ClickUp retries and waits included [CLICKUP_MCP_CALL_TIMEOUT]")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", httpserve.DefaultMaxBody, "largest HTTP request body accepted; tool arguments are capped at 1 MiB")
	fs.StringVar(&cfg.WriteScope, "write-scope", Env("CLICKUP_MCP_WRITE_SCOPE", ""), "comma-separated space, folder or list ids or names (paths like Space/Folder/List) that writes are limited to; reads are not limited [CLICKUP_MCP_WRITE_SCOPE]")
	fs.StringVar(&cfg.MaxResultTokens, "max-result-tokens", Env("CLICKUP_MCP_MAX_RESULT_TOKENS", strconv.Itoa(workspace.DefaultMaxResultTokens)), "token budget of one tool result, text and structured content together; lists are cut with a cursor to continue [CLICKUP_MCP_MAX_RESULT_TOKENS]")
	fs.StringVar(&cfg.MaxResultBytes, "max-result-bytes", Env("CLICKUP_MCP_MAX_RESULT_BYTES", ""), "deprecated: use --max-result-tokens; read as bytes / 4 tokens [CLICKUP_MCP_MAX_RESULT_BYTES]")
	fs.StringVar(&cfg.Auth, "auth", Env("CLICKUP_MCP_AUTH", "bearer"), "how HTTP callers sign in: bearer (each sends its ClickUp token) or oauth (sign in with ClickUp from any MCP client; needs --public-url, CLICKUP_OAUTH_CLIENT_ID, CLICKUP_OAUTH_CLIENT_SECRET and CLICKUP_MCP_SECRET_KEY) [CLICKUP_MCP_AUTH]")
	fs.StringVar(&cfg.PublicURL, "public-url", Env("CLICKUP_MCP_PUBLIC_URL", ""), "the https URL clients reach this server at, for --auth oauth (register <public-url>/oauth/callback in the ClickUp app) [CLICKUP_MCP_PUBLIC_URL]")
	fs.StringVar(&cfg.RedisURL, "redis-url", Env("CLICKUP_MCP_REDIS_URL", ""), "Redis shared by replicas (redis://[user:password@]host:port[/db], rediss:// for TLS): per-token rate windows, sessions and cache invalidation; unreachable Redis degrades to local state [CLICKUP_MCP_REDIS_URL]")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", Env("CLICKUP_MCP_METRICS_ADDR", ""), "serve Prometheus /metrics on this address instead of on --addr, e.g. 0.0.0.0:9090 [CLICKUP_MCP_METRICS_ADDR]")
	fs.StringVar(&cfg.AllowedHosts, "allowed-hosts", Env("CLICKUP_MCP_ALLOWED_HOSTS", ""), "comma-separated Host header values the HTTP server answers (e.g. mcp.example.com); empty: any. Probes and /metrics are exempt [CLICKUP_MCP_ALLOWED_HOSTS]")
	fs.StringVar(&cfg.UploadDir, "upload-dir", Env("CLICKUP_MCP_UPLOAD_DIR", ""), "stdio only: a directory clickup_attach_file may attach files from (paths are resolved inside it; .. and links out of it are refused); default: none [CLICKUP_MCP_UPLOAD_DIR]")
	fs.Int64Var(&cfg.MaxUploadBytes, "max-upload-bytes", int64(envInt(cfg, "CLICKUP_MCP_MAX_UPLOAD_BYTES", workspace.DefaultMaxUploadBytes)), "largest file clickup_attach_file sends, from a URL, base64 or --upload-dir; held in memory while sent [CLICKUP_MCP_MAX_UPLOAD_BYTES]")
	fs.StringVar(&cfg.AllowOrigins, "allow-origins", Env("CLICKUP_MCP_ALLOW_ORIGINS", ""), "comma-separated browser origins allowed to call the HTTP server (default: localhost only) [CLICKUP_MCP_ALLOW_ORIGINS]")
	return fs
}

// resultTokens reads the result budget: --max-result-tokens, or the
// deprecated --max-result-bytes at the 4 bytes a token it documented.
// Giving both, or a value that is not a positive whole number, is an error.
func (c *Config) resultTokens() (n int, deprecated bool, err error) {
	const lo, hi = 1000, 1_000_000
	def := workspace.DefaultMaxResultTokens
	parse := func(name, v string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--%s (%s) %q: want a whole number such as %d", name, "CLICKUP_MCP_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_")), v, def)
		}
		return n, nil
	}
	if c.MaxResultBytes != "" {
		if c.MaxResultTokens != "" && c.MaxResultTokens != strconv.Itoa(def) {
			return 0, false, errors.New("--max-result-bytes (CLICKUP_MCP_MAX_RESULT_BYTES) is deprecated and conflicts with --max-result-tokens: set only --max-result-tokens")
		}
		b, err := parse("max-result-bytes", c.MaxResultBytes)
		if err != nil {
			return 0, false, err
		}
		n, deprecated = b/4, true
	} else if c.MaxResultTokens == "" {
		n = def // a Config built in code, not from flags
	} else if n, err = parse("max-result-tokens", c.MaxResultTokens); err != nil {
		return 0, false, err
	}
	if n < lo || n > hi {
		return 0, false, fmt.Errorf("result budget of %d tokens is out of range: use %d to %d (default %d)", n, lo, hi, def)
	}
	return n, deprecated, nil
}

// Bounds of --max-upload-bytes: below 1 KiB nothing useful fits; above
// 256 MiB one call would hold half a gigabyte.
const minUploadBytes, maxUploadBytes = 1 << 10, 256 << 20

// uploads checks the attachment settings: the cap in range, and the upload
// directory an existing directory, over stdio only. A bad setting stops
// the server (configuration fails closed).
func (c *Config) uploads() (workspace.Uploads, error) {
	u := workspace.Uploads{MaxBytes: c.MaxUploadBytes, Remote: c.Transport == "http"}
	if u.MaxBytes == 0 {
		u.MaxBytes = workspace.DefaultMaxUploadBytes // a Config built in code
	}
	if u.MaxBytes < minUploadBytes || u.MaxBytes > maxUploadBytes {
		return u, fmt.Errorf("--max-upload-bytes (CLICKUP_MCP_MAX_UPLOAD_BYTES) %d is out of range: use %d to %d (default %d)", c.MaxUploadBytes, minUploadBytes, maxUploadBytes, workspace.DefaultMaxUploadBytes)
	}
	if c.UploadDir == "" {
		return u, nil
	}
	if u.Remote {
		return u, errors.New("--upload-dir (CLICKUP_MCP_UPLOAD_DIR) is for --transport stdio only: over HTTP the callers are remote, and this machine's files are not theirs to send; unset it, or attach by url or content_base64")
	}
	fi, err := os.Stat(c.UploadDir)
	if err != nil {
		return u, fmt.Errorf("--upload-dir (CLICKUP_MCP_UPLOAD_DIR) %q: %w", c.UploadDir, err)
	}
	if !fi.IsDir() {
		return u, fmt.Errorf("--upload-dir (CLICKUP_MCP_UPLOAD_DIR) %q is not a directory", c.UploadDir)
	}
	root, err := os.OpenRoot(c.UploadDir)
	if err != nil {
		return u, fmt.Errorf("--upload-dir (CLICKUP_MCP_UPLOAD_DIR) %q cannot be opened: %w", c.UploadDir, err)
	}
	u.Root, u.Dir = root, c.UploadDir
	return u, nil
}

// SplitList splits a comma-separated setting, dropping blanks.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Selection is the tool selection the configuration asks for.
func (c *Config) Selection() toolkit.Selection {
	return toolkit.Selection{
		Toolsets: SplitList(c.Toolsets),
		Tools:    SplitList(c.Tools),
		Exclude:  SplitList(c.ExcludeTools),
		ReadOnly: c.ReadOnly,
	}
}

// NewLogger builds the process logger the configuration asks for.
func NewLogger(cfg *Config, w io.Writer) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(strings.ToLower(cfg.LogLevel))
	if err != nil || lvl == zerolog.NoLevel {
		return zerolog.Nop(), fmt.Errorf("unknown --log-level %q: use debug, info, warn or error", cfg.LogLevel)
	}
	switch cfg.LogFormat {
	case "json":
	case "console":
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly, NoColor: true}
	default:
		return zerolog.Nop(), fmt.Errorf("unknown --log-format %q: use console or json", cfg.LogFormat)
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

// App is a configured server, ready to serve on any transport.
type App struct {
	Cfg   Config
	Log   zerolog.Logger
	Deps  *workspace.Deps
	MCP   *server.MCPServer
	Tools []toolkit.Tool
	// AllTools are every tool before the selection (--toolsets, --tools,
	// --exclude-tools, --read-only) chose Tools from them.
	AllTools []toolkit.Tool
	Sandbox  *clickuptest.Server
	ops      *ops
	// Sessions counts the MCP sessions registered (streamable HTTP and
	// SSE), so new ones can be refused past the bounds.
	Sessions *httpserve.Sessions
	// MaxSSESessions bounds the open SSE sessions (0: the default).
	MaxSSESessions int
	OAuth          *oauthserver.Server // --auth oauth
}

// New builds the server from the configuration. In sandbox mode the demo
// workspace is served in-process: no network and no token.
func New(cfg Config, log zerolog.Logger) (*App, error) {
	if cfg.envErr != nil {
		return nil, fmt.Errorf("cannot read the environment: %w", cfg.envErr)
	}
	if cfg.CallTimeout < 0 {
		return nil, fmt.Errorf("--call-timeout %v: must be positive", cfg.CallTimeout)
	}
	if cfg.Transport == "http" {
		addr, err := NormalizeAddr("addr", cfg.Addr)
		if err != nil {
			return nil, err
		}
		cfg.Addr = addr
	}
	if cfg.MetricsAddr != "" {
		addr, err := NormalizeAddr("metrics-addr", cfg.MetricsAddr)
		if err != nil {
			return nil, err
		}
		cfg.MetricsAddr = addr
	}
	oauthMode, err := checkAuthMode(&cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" && !oauthMode {
		cfg.Token = os.Getenv("CLICKUP_API_TOKEN")
	}
	if cfg.Token == "" && !cfg.Sandbox && !oauthMode {
		t, err := auth.StoredToken() // from `clickup-mcp auth login`
		if err != nil {
			return nil, err
		}
		cfg.Token = t
	}
	loc := time.Local
	if cfg.Timezone != "" {
		l, err := time.LoadLocation(cfg.Timezone)
		if err != nil {
			return nil, fmt.Errorf("unknown time zone %q (CLICKUP_TIMEZONE): use an IANA name such as Europe/Berlin", cfg.Timezone)
		}
		loc = l
	}
	maxTokens, deprecated, err := cfg.resultTokens()
	if err != nil {
		return nil, err
	}
	if deprecated {
		log.Warn().Int("max_result_tokens", maxTokens).Msg("--max-result-bytes (CLICKUP_MCP_MAX_RESULT_BYTES) is deprecated: set --max-result-tokens (CLICKUP_MCP_MAX_RESULT_TOKENS)")
	}
	uploads, err := cfg.uploads()
	if err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, Log: log}
	if oauthMode {
		if a.OAuth, err = newOAuthServer(cfg, log); err != nil {
			return nil, err
		}
	}
	tc := workspace.Config{
		Token:           cfg.Token,
		BaseURL:         cfg.APIURL,
		RatePerMinute:   cfg.RatePerMinute,
		UserAgent:       "clickup-mcp/" + Version,
		WorkspaceID:     cfg.WorkspaceID,
		Location:        loc,
		TimezoneSet:     cfg.Timezone != "",
		WriteScope:      SplitList(cfg.WriteScope),
		MaxResultTokens: maxTokens,
		Logger:          log,
		CallTimeout:     cfg.CallTimeout,
		Lockdown:        cfg.Lockdown,
		Uploads:         uploads,
	}
	if cfg.Sandbox {
		a.Sandbox = clickuptest.NewDemo()
		tc.Sandbox = true
		tc.Token = clickuptest.DemoToken
		tc.BaseURL = "http://sandbox.invalid/api"
		tc.HTTPClient = a.Sandbox.Client()
	}
	o, err := newOps(cfg, log)
	if err != nil {
		return nil, err
	}
	o.configure(&tc)
	a.ops = o
	a.Deps = workspace.NewDeps(tc)
	a.Sessions = httpserve.NewSessions(a.Deps.Known)
	hooks := a.Sessions.Hooks()
	o.addHooks(hooks)
	catTools, err := catalog.Tools(a.Deps, catalog.Options{ReadOnly: cfg.ReadOnly, Exclude: SplitList(cfg.ExcludeTools), Areas: SplitList(cfg.CatalogAreas)})
	if err != nil {
		o.close(context.Background())
		return nil, err
	}
	a.AllTools = append(tools.All(a.Deps), catTools...)
	s, ts, err := toolkit.NewServer(a.AllTools, toolkit.ServerOptions{
		Name: "clickup-mcp", Version: Version, Instructions: tools.Instructions(a.Deps.Config().Sandbox),
		Others:     catalog.IsOperation,
		ErrorAttrs: tools.ErrorAttrs,
		Selection:  cfg.Selection(),
		Logger:     slog.New(httpserve.HideSessionIDs(zerolog.NewSlogHandler(log))),
		// One Hooks: mcp-go keeps only the last WithHooks, so the metrics'
		// session hooks join the session counter's.
		Extra: append(append(prompts.ServerOptions(a.Deps), server.WithHooks(hooks)), o.serverOptions()...),
	})
	if err != nil {
		o.close(context.Background())
		return nil, err
	}
	prompts.Register(s, a.Deps, toolkit.Icon)
	a.MCP, a.Tools = s, ts
	o.start(a)
	return a, nil
}

// Usage is the command line's help text, before the flags.
const Usage = `clickup-mcp: a Model Context Protocol server for ClickUp.

Usage:
  clickup-mcp [flags]                 serve MCP (stdio by default; --transport http for HTTP)
  clickup-mcp demo                    a guided tour of every core tool against the sandbox
  clickup-mcp tools [--json]          list the tools (or their full definitions)
  clickup-mcp call TOOL '{"arg":1}'   call one tool and print the result (--json for structured content);
                                      arguments may also be key=value pairs: call clickup_get_task task_id=ACME-1
  clickup-mcp auth login|status|logout  sign in with ClickUp (OAuth), show or remove the stored token
  clickup-mcp auth sessions [--revoke ID|all]  list or end the sign-ins of an --auth oauth server (stopped)
  clickup-mcp version                 print the version

Environment: CLICKUP_API_TOKEN (a personal token pk_... or an OAuth token) and the
variables named in brackets below. Flags:
`

// Serve is the serve command: it reads the flags in args, builds the
// server and serves on the chosen transport until a signal stops it. It
// returns the process exit code.
func Serve(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cfg Config
	fs := NewFlagSet("clickup-mcp", &cfg, stderr)
	if code, ok := ParseFlags(fs, args, Usage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "clickup-mcp: unknown command %q; the commands are demo, tools, call, auth, version and serve (run 'clickup-mcp --help')\n", fs.Arg(0))
		return 2
	}
	log, err := NewLogger(&cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp:", err)
		return 2
	}
	a, err := New(cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp:", err)
		return 2
	}
	if a.Cfg.Token == "" && !cfg.Sandbox && cfg.Transport == "stdio" {
		fmt.Fprintln(stderr, "clickup-mcp: no ClickUp token. Set CLICKUP_API_TOKEN (ClickUp > Settings > Apps > API Token), sign in with 'clickup-mcp auth login', or run with --sandbox to try the demo workspace.")
		return 2
	}
	if cfg.Transport != "stdio" && cfg.Transport != "http" {
		fmt.Fprintf(stderr, "clickup-mcp: unknown --transport %q: use stdio or http\n", cfg.Transport)
		return 2
	}
	// Listen before saying "starting": a port in use is one line with a
	// hint, not a start-up line followed by an error.
	var ln net.Listener
	if cfg.Transport == "http" {
		if ln, err = Listen(a.Cfg.Addr); err != nil {
			fmt.Fprintln(stderr, "clickup-mcp:", err)
			return 1
		}
		defer ln.Close()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info().Str("transport", cfg.Transport).Bool("sandbox", cfg.Sandbox).Int("tools", len(a.Tools)).
		Str("token", clickup.Redact(a.Deps.Config().Token)).Str("version", Version).Msg("starting clickup-mcp")
	if cfg.Transport == "http" {
		a.logServerToken()
	}
	if err := a.checkWriteScope(ctx); err != nil {
		fmt.Fprintln(stderr, "clickup-mcp:", err)
		return 2
	}
	switch cfg.Transport {
	case "stdio":
		err = a.ServeStdio(ctx, stdin, stdout)
	case "http":
		err = a.HTTP().ServeOn(ctx, ln, httpserve.ShutdownGrace)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
	a.ops.close(cctx)
	ccancel()
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error().Err(err).Msg("server stopped")
		return 1
	}
	log.Info().Msg("stopped")
	return 0
}

// checkWriteScope stops the server when a --write-scope entry matches
// nothing the server's token can see. When ClickUp cannot be reached it
// only warns: the scope is checked again at the first write.
func (a *App) checkWriteScope(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := a.Deps.CheckWriteScope(ctx)
	if err != nil && !workspace.IsScopeError(err) {
		a.Log.Warn().Err(err).Msg("could not check --write-scope against ClickUp now; it is checked at the first write")
		return nil
	}
	return err
}

// logServerToken says at start-up who tokenless HTTP requests act for.
func (a *App) logServerToken() {
	switch {
	case a.Cfg.Sandbox:
	case a.Cfg.AllowServerToken && a.Cfg.Token != "":
		a.Log.Warn().Str("token", clickup.Redact(a.Cfg.Token)).Msg("--allow-server-token: HTTP requests without a token act as this server's own ClickUp user; anyone who can reach the address can use it")
	case a.Cfg.AllowServerToken:
		a.Log.Warn().Msg("--allow-server-token has no effect: the server has no token of its own")
	default:
		a.Log.Info().Msg("HTTP requests must bring their own ClickUp token (Authorization: Bearer <token>); without one they get 401")
	}
}

// ServeStdio serves MCP over stdin and stdout until ctx ends.
func (a *App) ServeStdio(ctx context.Context, in io.Reader, out io.Writer) error {
	s := server.NewStdioServer(a.MCP)
	s.SetErrorLogger(httpserve.NewStdLogger(a.Log))
	return s.Listen(ctx, in, out)
}

// HTTP is the HTTP transport of this server.
func (a *App) HTTP() *httpserve.Server {
	return &httpserve.Server{
		MCP:              a.MCP,
		Log:              a.Log,
		ServerToken:      a.Deps.Config().Token,
		AllowServerToken: a.Cfg.AllowServerToken,
		Sandbox:          a.Cfg.Sandbox,
		AllowOrigins:     SplitList(a.Cfg.AllowOrigins),
		MaxBodyBytes:     a.Cfg.MaxBodyBytes,
		Addr:             a.Cfg.Addr,
		Tools:            tools.All(a.Deps),
		Sessions:         a.Sessions,
		MaxSSESessions:   a.MaxSSESessions,
		CallTimeout:      a.Deps.Config().CallTimeout,
		OAuth:            a.OAuth,
		AllowedHosts:     a.Cfg.allowedHosts(),

		Health:         a.ops.health,
		Metrics:        a.ops.metrics,
		MetricsAddr:    a.Cfg.MetricsAddr,
		Tracer:         a.ops.tracer,
		SharedSessions: a.ops.sessions,
	}
}

// allowedHosts are the Host values the HTTP server answers (none: any).
// When some are set, --public-url's host is one of them: it is the name
// clients are told to use.
func (c *Config) allowedHosts() []string {
	hosts := SplitList(c.AllowedHosts)
	if len(hosts) == 0 || c.PublicURL == "" {
		return hosts
	}
	if u, err := url.Parse(c.PublicURL); err == nil && u.Host != "" {
		hosts = append(hosts, u.Host)
	}
	return hosts
}

// ServeHTTP listens on the configured address until ctx ends, then drains
// in-flight calls.
func (a *App) ServeHTTP(ctx context.Context) error { return a.HTTP().Serve(ctx) }
