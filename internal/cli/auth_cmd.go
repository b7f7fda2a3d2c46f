package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/rs/zerolog"
)

const authUsage = `Usage:
  clickup-mcp auth login [flags]   sign in with ClickUp in the browser (OAuth) and store the token
  clickup-mcp auth status          show the token in use: source, kind, user, authorized workspaces
  clickup-mcp auth logout          remove the stored token
  clickup-mcp auth sessions [--revoke ID|all] [--redis-url URL]
                                   list (or revoke) the sign-ins of the --auth oauth
                                   HTTP server: on its Redis (--redis-url) while it
                                   runs, or in its store file once it is stopped

The server uses, in order: a token sent with the request (HTTP), --token,
CLICKUP_API_TOKEN, then the token stored by 'auth login'. The stored token is
in %s (override with CLICKUP_MCP_CONFIG_DIR).
`

// authCommand is `clickup-mcp auth ...`, with its surroundings injected for
// tests.
type authCommand struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	open           func(url string) error // opens the browser; nil never does
	httpClient     *http.Client           // nil: the default
}

func runAuth(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return authCommand{stdout: stdout, stderr: stderr, getenv: os.Getenv, open: auth.OpenBrowser}.run(ctx, args)
}

func (c authCommand) env(name, def string) string {
	if v := c.getenv(name); v != "" {
		return v
	}
	return def
}

func (c authCommand) usage(w io.Writer) {
	where := "the user config directory, clickup-mcp/token.json"
	if s, err := auth.DefaultStore(c.getenv); err == nil {
		where = s.Path()
	}
	fmt.Fprintf(w, authUsage, where)
}

func (c authCommand) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		c.usage(c.stderr)
		return 2
	}
	switch args[0] {
	case "login":
		return c.login(ctx, args[1:])
	case "status":
		return c.status(ctx, args[1:])
	case "logout":
		return c.logout(args[1:])
	case "sessions":
		return c.sessions(ctx, args[1:])
	case "help", "-h", "--help", "-help":
		c.usage(c.stdout)
		return 0
	}
	fmt.Fprintf(c.stderr, "clickup-mcp auth: unknown command %q; the commands are login, status, logout and sessions (run 'clickup-mcp auth --help')\n", args[0])
	return 2
}

func (c authCommand) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("clickup-mcp auth "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// parse parses flags (--help to stdout, a wrong flag as one line and a
// pointer to --help); ok=false ends the command with code.
func (c authCommand) parse(fs *flag.FlagSet, args []string, usage string) (code int, ok bool) {
	if code, ok := app.ParseFlags(fs, args, usage, c.stdout, c.stderr); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}

func (c authCommand) store() (*auth.Store, error) { return auth.DefaultStore(c.getenv) }

func (c authCommand) login(ctx context.Context, args []string) int {
	fs := c.flags("login")
	var o auth.LoginOptions
	fs.StringVar(&o.ClientID, "client-id", c.getenv("CLICKUP_OAUTH_CLIENT_ID"), "the OAuth app's client id [CLICKUP_OAUTH_CLIENT_ID]")
	fs.StringVar(&o.ClientSecret, "client-secret", "", "the OAuth app's client secret; prefer the environment, which stays out of shell history [CLICKUP_OAUTH_CLIENT_SECRET]")
	fs.StringVar(&o.RedirectURI, "redirect-uri", c.env("CLICKUP_OAUTH_REDIRECT_URI", auth.DefaultRedirectURI), "loopback URL registered in the app; ClickUp sends the browser back here [CLICKUP_OAUTH_REDIRECT_URI]")
	fs.StringVar(&o.AuthURL, "auth-url", c.env("CLICKUP_OAUTH_AUTH_URL", auth.DefaultAuthURL), "ClickUp's authorization page, for tests and proxies [CLICKUP_OAUTH_AUTH_URL]")
	fs.StringVar(&o.APIURL, "api-url", c.env("CLICKUP_API_URL", clickup.DefaultBaseURL), "ClickUp API base URL [CLICKUP_API_URL]")
	fs.DurationVar(&o.Timeout, "timeout", auth.DefaultTimeout, "how long to wait for the browser")
	noBrowser := fs.Bool("no-browser", false, "only print the URL; do not try to open a browser")
	if code, ok := c.parse(fs, args, "Usage: clickup-mcp auth login --client-id ID [--client-secret SECRET] [--redirect-uri http://127.0.0.1:PORT/callback]\n"); !ok {
		return code
	}
	if o.ClientSecret == "" {
		o.ClientSecret = c.getenv("CLICKUP_OAUTH_CLIENT_SECRET")
	}
	st, err := c.store()
	if err != nil {
		fmt.Fprintln(c.stderr, "clickup-mcp auth login:", err)
		return 1
	}
	o.Store, o.HTTPClient, o.Out = st, c.httpClient, c.stdout
	o.UserAgent = "clickup-mcp/" + app.Version
	if !*noBrowser {
		o.Open = c.open
	}
	tok, err := auth.Login(ctx, o)
	if err != nil {
		fmt.Fprintln(c.stderr, "clickup-mcp auth login:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "\nSigned in to ClickUp as %s.\n", tok.User)
	fmt.Fprintf(c.stdout, "Authorized workspaces: %s\n", joinWorkspaces(tok.Workspaces))
	fmt.Fprintf(c.stdout, "Token %s stored in %s (readable only by you).\n", tok.Redacted(), st.Path())
	fmt.Fprintln(c.stdout, "To add or remove workspaces later, run `clickup-mcp auth login` again and tick them on ClickUp's page.")
	if c.getenv(auth.EnvToken) != "" {
		fmt.Fprintf(c.stdout, "Note: %s is set and takes precedence over the stored token; unset it to use this sign-in.\n", auth.EnvToken)
	}
	return 0
}

func joinWorkspaces(ws []auth.Workspace) string {
	if len(ws) == 0 {
		return "none"
	}
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.String()
	}
	return strings.Join(s, ", ")
}

func (c authCommand) status(ctx context.Context, args []string) int {
	fs := c.flags("status")
	apiURL := fs.String("api-url", c.env("CLICKUP_API_URL", clickup.DefaultBaseURL), "ClickUp API base URL [CLICKUP_API_URL]")
	if code, ok := c.parse(fs, args, "Usage: "+fs.Name()+"\n"); !ok {
		return code
	}
	st, stErr := c.store()
	src, err := auth.Resolve(c.getenv, st)
	if err != nil {
		fmt.Fprintln(c.stderr, "clickup-mcp auth status:", err)
		return 1
	}
	if src.Token == nil {
		msg := "clickup-mcp auth status: no ClickUp token. Run `clickup-mcp auth login` to sign in with OAuth, or set " + auth.EnvToken + " to a personal token (ClickUp > Settings > Apps > API Token)."
		if stErr != nil {
			msg += " (" + stErr.Error() + ")"
		}
		fmt.Fprintln(c.stderr, msg)
		return 1
	}
	w := c.stdout
	switch src.From {
	case "environment":
		fmt.Fprintf(w, "Source:     environment (%s)\n", auth.EnvToken)
	default:
		fmt.Fprintf(w, "Source:     file %s\n", src.Path)
	}
	kind := "OAuth"
	if src.Token.Kind() == "personal" {
		kind = "personal"
	}
	fmt.Fprintf(w, "Kind:       %s\n", kind)
	fmt.Fprintf(w, "Token:      %s\n", src.Token.Redacted())
	if src.From == "environment" && st != nil {
		if _, err := os.Stat(st.Path()); err == nil {
			fmt.Fprintf(w, "Note:       a stored token in %s is not used while %s is set\n", st.Path(), auth.EnvToken)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cl := clickup.New(src.Token.Value(), clickup.WithBaseURL(*apiURL), clickup.WithHTTPClient(c.httpClient), clickup.WithUserAgent("clickup-mcp/"+app.Version))
	me, err := cl.Users.Me(ctx)
	if err == nil {
		fmt.Fprintf(w, "User:       %s\n", auth.User{ID: int64(me.ID), Username: me.Username, Email: me.Email})
		var teams []clickup.Team
		if teams, err = cl.Workspaces.List(ctx); err == nil {
			ws := make([]auth.Workspace, len(teams))
			for i, t := range teams {
				ws[i] = auth.Workspace{ID: string(t.ID), Name: t.Name}
			}
			fmt.Fprintf(w, "Workspaces: %s\n", joinWorkspaces(ws))
			if kind == "OAuth" {
				fmt.Fprintln(w, "To authorize more workspaces, run `clickup-mcp auth login` again and tick them.")
			}
			return 0
		}
	}
	fmt.Fprintln(c.stderr, "clickup-mcp auth status:", statusAdvice(err, src.From))
	return 1
}

// statusAdvice explains why ClickUp would not describe the token.
func statusAdvice(err error, from string) string {
	switch clickup.KindOf(err) {
	case clickup.KindUnauthorized:
		fix := "run `clickup-mcp auth login` again"
		if from == "environment" {
			fix = "set " + auth.EnvToken + " to a valid token, or unset it and run `clickup-mcp auth login`"
		}
		return "ClickUp rejects this token (" + err.Error() + "): it is invalid or was revoked; " + fix + "."
	case clickup.KindNetwork:
		return "could not reach ClickUp (" + err.Error() + "): check the network and --api-url."
	}
	return err.Error()
}

func (c authCommand) logout(args []string) int {
	fs := c.flags("logout")
	if code, ok := c.parse(fs, args, "Usage: "+fs.Name()+"\n"); !ok {
		return code
	}
	st, err := c.store()
	if err != nil {
		fmt.Fprintln(c.stderr, "clickup-mcp auth logout:", err)
		return 1
	}
	switch err := st.Delete(); {
	case errors.Is(err, auth.ErrNotStored):
		fmt.Fprintf(c.stdout, "No stored token in %s.\n", st.Path())
	case err != nil:
		fmt.Fprintln(c.stderr, "clickup-mcp auth logout:", err)
		return 1
	default:
		fmt.Fprintf(c.stdout, "Removed the stored token (%s).\n", st.Path())
		fmt.Fprintln(c.stdout, "ClickUp OAuth tokens do not expire: to revoke clickup-mcp's access as well, remove the app's authorization in ClickUp's settings.")
	}
	if c.getenv(auth.EnvToken) != "" {
		fmt.Fprintf(c.stdout, "%s is still set; the server will use it.\n", auth.EnvToken)
	}
	return 0
}

// sessions is `auth sessions`: the sign-ins of the --auth oauth server (who,
// which client, which Workspaces, since and until when), read from its store,
// or revoked there. It prints no token and needs no secret key. On Redis
// (--redis-url, as the replicas) it works beside the running servers and a
// revocation is refused on every replica at once; bbolt locks its file
// while the server runs, so that server must be stopped.
func (c authCommand) sessions(ctx context.Context, args []string) int {
	fs := c.flags("sessions")
	def, defErr := app.OAuthStorePath(c.getenv)
	storePath := fs.String("store", def, "the --auth oauth server's store file ["+app.EnvOAuthStore+"; default oauth.db in the config directory]")
	redisURL := fs.String("redis-url", c.getenv("CLICKUP_MCP_REDIS_URL"), "the Redis the --auth oauth replicas keep their sign-ins on (their --redis-url) [CLICKUP_MCP_REDIS_URL]")
	var revoke []string
	fs.Func("revoke", "end a sign-in by its ID (repeat, or comma-separate; \"all\" ends every one): its access and refresh tokens stop working and its ClickUp token is deleted", func(v string) error {
		ids := app.SplitList(v)
		if len(ids) == 0 {
			return errors.New("name a sign-in ID from the listing, or all")
		}
		revoke = append(revoke, ids...)
		return nil
	})
	if code, ok := c.parse(fs, args, "Usage: clickup-mcp auth sessions [--revoke ID|all] [--redis-url URL | --store FILE]\nLists the sign-ins of the --auth oauth HTTP server. With Redis (--redis-url, as the server) it works while the server runs; with the store file, stop that server first: it locks the file.\n"); !ok {
		return code
	}
	if slices.Contains(revoke, "all") && len(revoke) > 1 {
		fmt.Fprintln(c.stderr, "clickup-mcp auth sessions: --revoke all ends every sign-in; do not combine it with IDs")
		return 2
	}
	if *redisURL != "" {
		st, err := app.OpenOAuthRedisStore(*redisURL, zerolog.Nop())
		if err != nil {
			fmt.Fprintln(c.stderr, "clickup-mcp auth sessions:", err)
			return 2
		}
		defer st.Close()
		err = oauthserver.Sessions(ctx, oauthserver.SessionsOptions{Store: st, Revoke: revoke, Out: c.stdout})
		switch {
		case errors.Is(err, oauthserver.ErrStoreUnavailable):
			fmt.Fprintf(c.stderr, "clickup-mcp auth sessions: %v. Check --redis-url (CLICKUP_MCP_REDIS_URL): it must be the Redis the servers use.\n", err)
			return 1
		case err != nil:
			fmt.Fprintln(c.stderr, "clickup-mcp auth sessions:", err)
			return 1
		}
		return 0
	}
	if *storePath == "" {
		fmt.Fprintln(c.stderr, "clickup-mcp auth sessions:", defErr)
		return 1
	}
	if _, err := os.Stat(*storePath); errors.Is(err, os.ErrNotExist) {
		// Opening would create an empty store: say there is none instead.
		msg := fmt.Sprintf("No OAuth sign-ins: there is no store at %s (the server creates it in --auth oauth; %s or --store points elsewhere).", *storePath, app.EnvOAuthStore)
		if len(revoke) > 0 {
			fmt.Fprintln(c.stderr, "clickup-mcp auth sessions: nothing to revoke.", msg)
			return 1
		}
		fmt.Fprintln(c.stdout, msg)
		return 0
	}
	err := oauthserver.Sessions(ctx, oauthserver.SessionsOptions{StorePath: *storePath, Revoke: revoke, Out: c.stdout})
	switch {
	case errors.Is(err, oauthserver.ErrStoreBusy):
		fmt.Fprintf(c.stderr, "clickup-mcp auth sessions: the OAuth store %s is in use by another clickup-mcp process, most likely the --auth oauth server (its store file is locked to one process at a time): stop that server, run this command, then start the server again.\n", *storePath)
		return 1
	case err != nil:
		fmt.Fprintln(c.stderr, "clickup-mcp auth sessions:", err)
		return 1
	}
	return 0
}
