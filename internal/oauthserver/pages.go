package oauthserver

import (
	"errors"
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// The pages are written with html.EscapeString rather than html/template:
// every value lands in element text or a double-quoted attribute, where
// escaping & < > " ' is what html/template does too, and executing a
// template links reflect's MethodByName, which stops the linker from
// dropping unused methods anywhere in the binary (go-redis' command set
// alone is 4 MB of it): every start maps and pays for them.
const pageStyle = `body{font:16px/1.5 system-ui,sans-serif;max-width:38em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}`

func writeProblemPage(w io.Writer, p problem) {
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + e(p.Title) + ` · clickup-mcp</title>
<style>` + pageStyle + `.fix{background:#f4f4f4;padding:.8em 1em;border-radius:6px}</style>
</head><body><h1>` + e(p.Title) + `</h1><p>` + e(p.What) + `</p>`)
	if p.Fix != "" {
		b.WriteString(`<p class="fix"><strong>What to do:</strong> ` + e(p.Fix) + `</p>`)
	}
	b.WriteString("</body></html>\n")
	_, _ = io.WriteString(w, b.String())
}

// consentPage is what the consent page shows.
type consentPage struct {
	Client, Host, Server, Redirect, Action, Request string
}

func writeConsentPage(w io.Writer, c consentPage) {
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect ` + e(c.Client) + ` to ClickUp · clickup-mcp</title>
<style>` + pageStyle + `button{font:inherit;padding:.5em 1.2em;margin-right:.6em}code{background:#f4f4f4;padding:0 .3em}</style>
</head><body><h1>Connect “` + e(c.Client) + `” to your ClickUp?</h1>
<p>The app <strong>` + e(c.Client) + `</strong>`)
	if c.Host != "" {
		b.WriteString(` (identified by its client metadata at <code>` + e(c.Host) + `</code>)`)
	}
	b.WriteString(` asks to use ClickUp as you through the MCP server at <code>` + e(c.Server) + `</code>.
If you allow it, ClickUp asks which Workspaces to share, and the app (at <code>` + e(c.Redirect) + `</code>) can then read and change them as you.</p>
<p>Allow it only if you just started connecting this app yourself.</p>
<form method="post" action="` + e(c.Action) + `"><input type="hidden" name="request" value="` + e(c.Request) + `">
<button type="submit" name="decision" value="allow">Continue to ClickUp</button>
<button type="submit" name="decision" value="deny">Cancel</button></form>
</body></html>
`)
	_, _ = io.WriteString(w, b.String())
}

// problem is a failure a person meets in the browser.
type problem struct {
	Status int
	Title  string
	What   string
	Fix    string
	Code   string // short reason for the log
}

// page writes a self-contained HTML page that loads nothing and sends no
// Referer (the URL may hold a code).
func page(w http.ResponseWriter, p problem) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(p.Status)
	writeProblemPage(w, p)
}

const appSettings = "ClickUp Settings > ClickUp API (under Integrations) > the app"

func (s *Server) expiredRequest() problem {
	return problem{Status: http.StatusBadRequest, Code: "expired_request",
		Title: "This sign-in request has expired",
		What:  "The link you followed belongs to a sign-in that was already finished, was started more than " + s.cfg.SignInTTL.String() + " ago, or did not start on this server.",
		Fix:   "Go back to your MCP client (Claude, ChatGPT, VS Code, ...) and connect again, then approve on ClickUp's page within " + s.cfg.SignInTTL.String() + "."}
}

// clickUpProblem explains an ECODE from ClickUp's consent page or token
// endpoint to the person signing in (and whoever runs the server).
func (s *Server) clickUpProblem(ecode, msg string) problem {
	cb := s.pub + CallbackPath
	switch ecode {
	case "OAUTH_007":
		return problem{Status: http.StatusBadGateway, Code: ecode, Title: "ClickUp does not accept this server's sign-in address",
			What: "ClickUp refused the sign-in because " + cb + " is not a registered redirect URL of this server's ClickUp app (OAUTH_007).",
			Fix:  "Whoever runs this server must add exactly " + cb + " to the redirect URLs in " + appSettings + ". Then connect again from your MCP client."}
	case "OAUTH_010":
		return problem{Status: http.StatusBadGateway, Code: ecode, Title: "ClickUp does not know this server's app",
			What: "ClickUp answered that the app's client id or secret is wrong (OAUTH_010).",
			Fix:  "Whoever runs this server must copy the client id and secret from " + appSettings + " into CLICKUP_OAUTH_CLIENT_ID and CLICKUP_OAUTH_CLIENT_SECRET and restart it."}
	case "OAUTH_017":
		return problem{Status: http.StatusBadGateway, Code: ecode, Title: "ClickUp received no redirect URL",
			What: "ClickUp answered that no redirect URL was sent (OAUTH_017).",
			Fix:  "Check that CLICKUP_OAUTH_AUTH_URL points at ClickUp's consent page (https://app.clickup.com/api), then connect again."}
	case "OAUTH_014":
		return problem{Status: http.StatusBadRequest, Code: ecode, Title: "ClickUp refused the sign-in code",
			What: "ClickUp would not exchange the code it sent back: it was already used or has expired.",
			Fix:  "Go back to your MCP client and connect again; approve on ClickUp's page promptly."}
	}
	what := "ClickUp refused the sign-in"
	if msg != "" {
		what += ": " + msg
	}
	if ecode != "" {
		what += " (" + ecode + ")"
	}
	return problem{Status: http.StatusBadGateway, Code: "clickup_refused", Title: "ClickUp refused the sign-in", What: what + ".",
		Fix: "Go back to your MCP client and connect again. If it keeps happening, whoever runs this server should check the app in " + appSettings + "."}
}

// exchangeProblem explains a failed ClickUp code exchange or lookup.
func (s *Server) exchangeProblem(err error) problem {
	var ce *clickup.Error
	if errors.As(err, &ce) {
		if ce.Kind == clickup.KindNetwork {
			return problem{Status: http.StatusBadGateway, Code: "clickup_unreachable", Title: "ClickUp could not be reached",
				What: "This server could not reach ClickUp to finish the sign-in.", Fix: "Wait a minute, then connect again from your MCP client."}
		}
		if ce.ECODE == "" && (ce.Kind == clickup.KindInvalid || ce.Kind == clickup.KindNotFound || ce.Kind == clickup.KindUnauthorized) {
			return s.clickUpProblem("OAUTH_014", ce.Message)
		}
		return s.clickUpProblem(ce.ECODE, ce.Message)
	}
	return problem{Status: http.StatusBadGateway, Code: "clickup_failed", Title: "The sign-in could not be finished",
		What: "Talking to ClickUp failed.", Fix: "Connect again from your MCP client in a moment."}
}
