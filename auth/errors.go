package auth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// Sentinels for errors.Is on a failed Login.
var (
	// ErrStateMismatch: the callback's state is not this sign-in's. It came
	// from an older attempt or from someone trying to slip their own
	// authorization code in (login CSRF).
	ErrStateMismatch = errors.New("state mismatch")
	// ErrAccessDenied: the user declined on ClickUp's authorization page.
	ErrAccessDenied = errors.New("access denied")
	// ErrCodeRejected: ClickUp would not exchange the authorization code:
	// it was used already, has expired, or belongs to another app.
	ErrCodeRejected = errors.New("authorization code rejected")
	// ErrTimeout: the browser never came back to the callback.
	ErrTimeout = errors.New("timed out")
	// ErrNoWorkspace: the user authorized no Workspace.
	ErrNoWorkspace = errors.New("no workspace authorized")
)

// Error is a failed sign-in: what happened, ClickUp's error code if any,
// and how to fix it. It never holds the token, the client secret or the
// authorization code.
type Error struct {
	Msg   string
	ECODE string
	Fix   string
	Err   error // a sentinel above, a *clickup.Error, or nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	if e.ECODE != "" {
		fmt.Fprintf(&b, " (%s)", e.ECODE)
	}
	if e.Fix != "" {
		b.WriteString(". ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

const appSettings = "ClickUp Settings > ClickUp API (under Integrations) > your app"

// explainECODE turns ClickUp's OAuth error codes into advice. redirect is
// the redirect URL this sign-in used. It returns nil for a code it does
// not know.
func explainECODE(ecode, msg, redirect string, cause error) *Error {
	e := &Error{ECODE: ecode, Err: cause}
	switch ecode {
	case "OAUTH_007":
		e.Msg = "ClickUp does not accept the redirect URL " + redirect + ": it is not registered for this OAuth app"
		e.Fix = "Add exactly that URL to the app's redirect URLs in " + appSettings + ", or pass --redirect-uri with one that is registered"
	case "OAUTH_010":
		e.Msg = "ClickUp does not know this OAuth app: the client id or the client secret is wrong"
		e.Fix = "Copy both from " + appSettings + " into --client-id and --client-secret (or CLICKUP_OAUTH_CLIENT_ID and CLICKUP_OAUTH_CLIENT_SECRET); a regenerated secret replaces the old one"
	case "OAUTH_017":
		e.Msg = "ClickUp received no redirect URL"
		e.Fix = "Pass --redirect-uri http://127.0.0.1:PORT/callback and register the same URL in " + appSettings
	case "OAUTH_014":
		e.Msg = "ClickUp refused the authorization code: it was already used or has expired"
		e.Fix = "Codes work once and only for a few minutes. Run `clickup-mcp auth login` again and approve promptly"
		e.Err = errors.Join(ErrCodeRejected, cause)
	default:
		return nil
	}
	if msg != "" && e.Err == nil {
		e.Err = errors.New(msg)
	}
	return e
}

// exchangeError explains a failed POST /v2/oauth/token.
func exchangeError(err error, redirect string) error {
	var ce *clickup.Error
	if !errors.As(err, &ce) {
		return &Error{Msg: "exchanging the authorization code failed", Fix: "Run `clickup-mcp auth login` again", Err: err}
	}
	if e := explainECODE(ce.ECODE, ce.Message, redirect, err); e != nil {
		return e
	}
	switch ce.Kind {
	case clickup.KindInvalid, clickup.KindNotFound, clickup.KindUnauthorized:
		// ClickUp documents no code for a bad code: any other refusal of the
		// exchange is most likely that.
		return &Error{Msg: "ClickUp refused the authorization code: " + ce.Message, ECODE: ce.ECODE,
			Fix: "Codes work once and only for a few minutes. Run `clickup-mcp auth login` again and approve promptly",
			Err: errors.Join(ErrCodeRejected, err)}
	case clickup.KindNetwork:
		return &Error{Msg: "could not reach ClickUp to exchange the authorization code", Fix: "Check the network (and --api-url), then run `clickup-mcp auth login` again", Err: err}
	}
	return &Error{Msg: "exchanging the authorization code failed: " + ce.Error(), Fix: "Run `clickup-mcp auth login` again in a moment", Err: err}
}

// callbackError explains an error=... redirect from the authorization page.
func callbackError(code, desc, redirect string) error {
	if code == "access_denied" {
		return &Error{Msg: "access was declined on ClickUp's authorization page; nothing was stored",
			Fix: "Run `clickup-mcp auth login` again and approve clickup-mcp, ticking each workspace it should use", Err: ErrAccessDenied}
	}
	if e := explainECODE(code, desc, redirect, nil); e != nil {
		return e
	}
	msg := "ClickUp's authorization page reported " + code
	if desc != "" {
		msg += ": " + desc
	}
	return &Error{Msg: msg, Fix: "Run `clickup-mcp auth login` again", Err: errors.New(code)}
}

// pageHints is what the user may see on ClickUp's page instead of the
// consent screen, and what each means.
func pageHints(redirect string) string {
	return "If ClickUp showed an error instead of asking for approval: OAUTH_007 means the redirect URL " + redirect +
		" is not registered for the app; OAUTH_010 means the client id is wrong; OAUTH_017 means no redirect URL was sent. Fix it in " + appSettings + "."
}
