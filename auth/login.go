package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

const (
	// DefaultAuthURL is ClickUp's authorization page.
	DefaultAuthURL = "https://app.clickup.com/api"
	// DefaultRedirectURI is where the browser comes back to. Register it
	// in the OAuth app; port 0 picks a free port (which an app can only
	// have registered if ClickUp ignores the port).
	DefaultRedirectURI = "http://127.0.0.1:8976/callback"
	// DefaultTimeout bounds the wait for the browser.
	DefaultTimeout = 5 * time.Minute
)

// LoginOptions configures Login.
type LoginOptions struct {
	ClientID     string
	ClientSecret string
	// RedirectURI is the loopback callback: http://127.0.0.1:PORT/PATH or
	// http://localhost:PORT/PATH (default DefaultRedirectURI). The server
	// listens on 127.0.0.1 only. Port 0 picks a free port.
	RedirectURI string
	// AuthURL is the authorization page (default DefaultAuthURL).
	AuthURL string
	// APIURL is the API root (default clickup.DefaultBaseURL).
	APIURL string
	// HTTPClient makes the calls to ClickUp; nil uses a default one.
	HTTPClient *http.Client
	// Timeout bounds the whole sign-in (default DefaultTimeout).
	Timeout time.Duration
	// Store receives the token.
	Store *Store
	// Out receives what the user must read: the URL to open, progress.
	Out io.Writer
	// Open opens a URL in the user's browser (see OpenBrowser); nil only
	// prints it. An error is reported and the sign-in goes on.
	Open func(url string) error
	// UserAgent for the calls to ClickUp.
	UserAgent string
}

func (o *LoginOptions) defaults() {
	if o.RedirectURI == "" {
		o.RedirectURI = DefaultRedirectURI
	}
	if o.AuthURL == "" {
		o.AuthURL = DefaultAuthURL
	}
	if o.APIURL == "" {
		o.APIURL = clickup.DefaultBaseURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
}

// parseRedirect checks that the redirect URL is a loopback http URL: the
// callback server binds 127.0.0.1 and nothing else.
func parseRedirect(s string) (*url.URL, string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, "", fmt.Errorf("--redirect-uri %q must look like http://127.0.0.1:PORT/callback", s)
	}
	host := u.Hostname()
	if host != "127.0.0.1" && host != "localhost" {
		return nil, "", fmt.Errorf("--redirect-uri %q must point at this machine (127.0.0.1 or localhost): the callback server listens on 127.0.0.1 only", s)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, port, nil
}

// newState is the anti-forgery value echoed back by the authorization page.
func newState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthorizationURL is ClickUp's authorization page for the app, with the
// redirect URL and state.
func AuthorizationURL(base, clientID, redirectURI, state string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("--auth-url %q is not an http(s) URL", base)
	}
	q := u.Query()
	q.Set("client_id", clientID)
	q.Set("redirect_uri", redirectURI)
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

type result struct {
	tok *Token
	err error
}

// Login signs in with ClickUp's OAuth authorization-code flow and stores
// the token. It listens on the loopback redirect URL, shows (and opens)
// the authorization URL, and waits for the browser to come back with a
// code and the state it was sent with. It then exchanges the code, asks
// ClickUp who signed in and which Workspaces they authorized, and saves
// the token. It gives up after o.Timeout or when ctx ends.
//
// A failure is an *Error saying how to fix it; errors.Is tells the cases
// apart (ErrStateMismatch, ErrAccessDenied, ErrCodeRejected, ErrTimeout).
func Login(ctx context.Context, o LoginOptions) (*Token, error) {
	o.defaults()
	if o.ClientID == "" || o.ClientSecret == "" {
		return nil, &Error{Msg: "an OAuth app's client id and secret are needed",
			Fix: "Create an app in ClickUp Settings > ClickUp API (under Integrations) > Create an App, with redirect URL " + o.RedirectURI +
				", then pass --client-id and --client-secret (or set CLICKUP_OAUTH_CLIENT_ID and CLICKUP_OAUTH_CLIENT_SECRET)"}
	}
	if o.Store == nil {
		return nil, errors.New("auth: LoginOptions.Store is nil")
	}
	redirect, port, err := parseRedirect(o.RedirectURI)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return nil, &Error{Msg: "cannot listen on 127.0.0.1:" + port + " for ClickUp's redirect",
			Fix: "Another program may be using the port: pass --redirect-uri http://127.0.0.1:OTHER_PORT" + redirect.Path + " and register that URL in the app", Err: err}
	}
	if port == "0" {
		redirect.Host = net.JoinHostPort(redirect.Hostname(), fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
	}
	redirectURI := redirect.String()
	state := newState()
	authURL, err := AuthorizationURL(o.AuthURL, o.ClientID, redirectURI, state)
	if err != nil {
		_ = ln.Close() // the URL error is the one to report
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	results := make(chan result, 1)
	cb := &callback{o: &o, ctx: ctx, path: redirect.Path, state: state, redirect: redirectURI, results: results}
	srv := &http.Server{
		Handler:           cb,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = srv.Serve(ln)
	}()
	shutdown := func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx) // waits for a callback still being handled
		wg.Wait()
	}

	// ClickUp answers a bad client id or redirect URL on its page, in the
	// browser. Ask the page first: an error that comes back as JSON (the
	// offline fake does this) can be explained here, before the user is
	// sent to a dead end.
	if err := preflight(ctx, o.HTTPClient, authURL, redirectURI); err != nil {
		shutdown()
		return nil, err
	}

	fmt.Fprintf(o.Out, "To sign in, open this URL in a browser on this machine and approve clickup-mcp for the workspaces it should use:\n\n  %s\n\n", authURL)
	if o.Open != nil {
		if err := o.Open(authURL); err != nil {
			fmt.Fprintf(o.Out, "(Could not open a browser: %v. Open the URL yourself. If your browser runs on another machine, forward the port first: ssh -L %s:127.0.0.1:%s HOST)\n", err, redirect.Port(), redirect.Port())
		} else {
			fmt.Fprintln(o.Out, "Asked your browser to open it.")
		}
	}
	fmt.Fprintf(o.Out, "Waiting up to %s for ClickUp to redirect to %s ...\n", o.Timeout, redirectURI)

	select {
	case r := <-results:
		shutdown()
		return r.tok, r.err
	case <-ctx.Done():
		shutdown()
		// A callback that finished while we were giving up still counts.
		select {
		case r := <-results:
			return r.tok, r.err
		default:
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &Error{Msg: fmt.Sprintf("no answer from the browser within %s; nothing was stored", o.Timeout),
				Fix: "Run `clickup-mcp auth login` again, open the URL and approve (--timeout waits longer). " + pageHints(redirectURI), Err: ErrTimeout}
		}
		return nil, &Error{Msg: "sign-in cancelled; nothing was stored", Err: ctx.Err()}
	}
}

// preflight GETs the authorization URL without following redirects. A JSON
// error with an ECODE becomes an explained *Error; anything else (the real
// page is an HTML app; a network error) is left for the browser.
func preflight(ctx context.Context, hc *http.Client, authURL, redirect string) error {
	ecode, msg := clickup.ConsentError(ctx, hc, authURL)
	if ecode == "" {
		return nil
	}
	if e := explainECODE(ecode, msg, redirect, nil); e != nil {
		return e
	}
	return &Error{Msg: "ClickUp's authorization page answered " + msg, ECODE: ecode, Fix: "Check the OAuth app in " + appSettings, Err: errors.New(msg)}
}

// callback is the loopback server's handler. It handles one sign-in: the
// first request to the callback path decides the outcome.
type callback struct {
	o        *LoginOptions
	ctx      context.Context
	path     string
	state    string
	redirect string
	results  chan<- result
	used     atomic.Bool
}

func (h *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != h.path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !h.used.CompareAndSwap(false, true) {
		page(w, http.StatusConflict, "This sign-in is already finished", "See the terminal for the outcome. You can close this tab.")
		return
	}
	tok, err := h.complete(r.URL.Query())
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrAccessDenied) {
			status = http.StatusForbidden
		}
		lines := []string{"See the terminal for details."}
		var e *Error
		if errors.As(err, &e) {
			msg := e.Msg
			if e.ECODE != "" {
				msg += " (" + e.ECODE + ")"
			}
			lines = []string{sentence(msg)}
			if e.Fix != "" {
				lines = append(lines, sentence(e.Fix))
			}
		}
		page(w, status, "Sign-in failed", append(lines, "You can close this tab.")...)
	} else {
		ws := make([]string, len(tok.Workspaces))
		for i, x := range tok.Workspaces {
			ws[i] = x.String()
		}
		page(w, http.StatusOK, "Signed in to ClickUp",
			"clickup-mcp may now act as "+tok.User.String()+" in: "+strings.Join(ws, ", ")+".",
			"You can close this tab and return to the terminal.")
	}
	h.results <- result{tok, err}
}

// complete checks the callback and turns its code into a stored token.
func (h *callback) complete(q url.Values) (*Token, error) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(h.state)) != 1 {
		return nil, &Error{Msg: "the redirect's state does not match this sign-in, so it was refused and nothing was stored",
			Fix: "It came from an older sign-in attempt or from someone else. Run `clickup-mcp auth login` again and use only the newest URL", Err: ErrStateMismatch}
	}
	if e := q.Get("error"); e != "" {
		return nil, callbackError(e, q.Get("error_description"), h.redirect)
	}
	code := q.Get("code")
	if code == "" {
		return nil, &Error{Msg: "ClickUp redirected back without an authorization code", Fix: "Run `clickup-mcp auth login` again"}
	}
	o := h.o
	opts := []clickup.Option{clickup.WithBaseURL(o.APIURL), clickup.WithHTTPClient(o.HTTPClient)}
	if o.UserAgent != "" {
		opts = append(opts, clickup.WithUserAgent(o.UserAgent))
	}
	in, err := clickup.CompleteOAuth(h.ctx, o.ClientID, o.ClientSecret, code, opts...)
	var step *clickup.OAuthStepError
	if errors.As(err, &step) {
		err = step.Err
		switch step.Step {
		case clickup.OAuthStepUser:
			return nil, &Error{Msg: "ClickUp issued a token but would not say who it belongs to (GET /v2/user): " + err.Error() + "; nothing was stored",
				Fix: "Run `clickup-mcp auth login` again", Err: err}
		case clickup.OAuthStepWorkspaces:
			return nil, &Error{Msg: "ClickUp issued a token but would not list its workspaces (GET /v2/team): " + err.Error() + "; nothing was stored",
				Fix: "Run `clickup-mcp auth login` again", Err: err}
		}
	}
	if err != nil {
		return nil, exchangeError(err, h.redirect)
	}
	me, teams := in.User, in.Workspaces
	tok := NewToken(in.AccessToken)
	tok.ClientID = o.ClientID
	tok.User = User{ID: int64(me.ID), Username: me.Username, Email: me.Email}
	for _, t := range teams {
		tok.Workspaces = append(tok.Workspaces, Workspace{ID: string(t.ID), Name: t.Name})
	}
	if len(tok.Workspaces) == 0 {
		return nil, &Error{Msg: "no workspace was authorized, so the token could not reach anything; nothing was stored",
			Fix: "Run `clickup-mcp auth login` again and tick at least one workspace on ClickUp's page", Err: ErrNoWorkspace}
	}
	if err := o.Store.Save(tok); err != nil {
		return nil, &Error{Msg: "could not store the token: " + err.Error(), Fix: "Check that " + o.Store.Dir() + " is writable, or set " + EnvConfigDir, Err: err}
	}
	return tok, nil
}

func sentence(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// page writes a self-contained HTML page. The callback URL holds the
// authorization code: the page loads nothing and sends no Referer.
func page(w http.ResponseWriter, status int, title string, lines ...string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("Connection", "close")
	w.WriteHeader(status)
	// html.EscapeString, not html/template: every value is element text, and
	// executing a template links reflect's MethodByName, which keeps every
	// unused method in the binary (see internal/oauthserver/pages.go).
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + e(title) + ` · clickup-mcp</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:38em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}</style>
</head><body><h1>` + e(title) + `</h1>`)
	for _, l := range lines {
		b.WriteString("<p>" + e(l) + "</p>")
	}
	b.WriteString("</body></html>\n")
	_, _ = io.WriteString(w, b.String())
}
