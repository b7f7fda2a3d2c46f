package oauthserver

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// Handler serves the OAuth endpoints:
//
//	GET  /.well-known/oauth-protected-resource[/mcp|/sse]  RFC 9728
//	GET  /.well-known/oauth-authorization-server            RFC 8414
//	POST /register                                          RFC 7591
//	GET  /authorize                                         (to ClickUp's consent page)
//	GET  /oauth/callback                                    (ClickUp's redirect back)
//	POST /token                                             code + PKCE, refresh (rotating)
//	POST /revoke                                            RFC 7009
//
// Mount it beside /mcp; it answers 404 for any other path.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+MetadataPath, s.resourceMetadata(""))
	mux.HandleFunc("GET "+MetadataPath+"/mcp", s.resourceMetadata("/mcp"))
	mux.HandleFunc("GET "+MetadataPath+"/sse", s.resourceMetadata("/sse"))
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.serverMetadata)
	mux.HandleFunc("POST /register", s.register)
	mux.HandleFunc("GET /authorize", s.authorize)
	mux.HandleFunc("POST /authorize", s.authorize)
	mux.HandleFunc("POST "+ConsentPath, s.consent)
	mux.HandleFunc("GET "+CallbackPath, s.callback)
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /revoke", s.revoke)
	return cors(mux)
}

// Paths lists the paths Handler serves, for a router in front of it.
func Paths() []string {
	return []string{MetadataPath, MetadataPath + "/mcp", MetadataPath + "/sse", "/.well-known/oauth-authorization-server",
		"/register", "/authorize", ConsentPath, CallbackPath, "/token", "/revoke"}
}

// cors lets browser-based clients (the MCP Inspector) read the metadata
// and call /register, /token and /revoke. Nothing here rides on cookies,
// so any origin may. /authorize and the callback are navigations.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/authorize" && r.URL.Path != ConsentPath && r.URL.Path != CallbackPath {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) resourceMetadata(suffix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"resource":                 s.pub + suffix,
			"authorization_servers":    []string{s.pub},
			"bearer_methods_supported": []string{"header"},
			"resource_name":            "clickup-mcp",
		})
	}
}

func (s *Server) serverMetadata(w http.ResponseWriter, r *http.Request) {
	auth := []string{"none", "client_secret_basic", "client_secret_post"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                         s.pub,
		"authorization_endpoint":                         s.pub + "/authorize",
		"token_endpoint":                                 s.pub + "/token",
		"registration_endpoint":                          s.pub + "/register",
		"revocation_endpoint":                            s.pub + "/revoke",
		"response_types_supported":                       []string{"code"},
		"response_modes_supported":                       []string{"query"},
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          auth,
		"revocation_endpoint_auth_methods_supported":     auth,
		"client_id_metadata_document_supported":          true,
		"authorization_response_iss_parameter_supported": false,
	})
}

// pendingSignIn is an /authorize request waiting for ClickUp's answer.
type pendingSignIn struct {
	Form    url.Values `json:"form"`
	NoState bool       `json:"no_state,omitempty"`
	// Cookie is the hash of the browser cookie set with the consent page:
	// the approval and ClickUp's redirect back must come from that browser.
	Cookie    string `json:"cookie,omitempty"`
	Consented bool   `json:"consented,omitempty"`
}

// parseAuthorize validates an authorization request before anyone is sent
// to ClickUp, and again (from the stored parameters) when ClickUp sends
// the browser back. A failure is written: an error redirect to the client
// when its redirect URI is known good, a page otherwise.
func (s *Server) parseAuthorize(w http.ResponseWriter, r *http.Request) (*authRequest, *pendingSignIn, bool) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		page(w, problem{Status: http.StatusBadRequest, Code: "bad_request", Title: "This sign-in link is malformed",
			What: "Its parameters cannot be read.", Fix: "Go back to your MCP client and connect again."})
		return nil, nil, false
	}
	p := &pendingSignIn{Form: url.Values{}}
	for k, v := range r.Form {
		p.Form[k] = slices.Clone(v)
	}
	p.NoState = r.Form.Get("state") == ""
	if id := r.Form.Get("client_id"); isCIMDClientID(id) {
		// Fetched (or cached) here so that what is wrong with the
		// document is said, not "client does not exist".
		if _, err := s.cimd.client(ctx, id); err != nil {
			s.log.Warn("oauth authorize refused", "reason", "client metadata document", "client_id", id, "error", err.Error())
			page(w, problem{Status: http.StatusBadRequest, Code: "client_metadata", Title: "This app's client metadata document was refused",
				What: "This server could not accept it: " + err.Error() + ".",
				Fix:  "This is for the app's developer to fix (the document at its client_id URL); meanwhile, the app may be able to register with this server instead."})
			return nil, nil, false
		}
	}
	ar, err := s.checkAuthorize(ctx, r.Form)
	if errors.Is(err, errRedirectMismatch) {
		raw := r.Form.Get("redirect_uri")
		page(w, problem{Status: http.StatusBadRequest, Code: "redirect_mismatch", Title: "This app's return address is not registered",
			What: "The redirect_uri " + raw + " is not one the app registered, so this server will not send a sign-in there.",
			Fix:  "Connect again from your MCP client; if it keeps happening, remove and re-add this server in the client so that it registers again."})
		s.log.Warn("oauth authorize refused", "reason", "redirect_uri not registered", "client_id", ar.client.ID)
		return nil, nil, false
	}
	if err != nil {
		s.authorizeError(w, ar, err)
		return nil, nil, false
	}
	return ar, p, true
}

// authorizeError redirects the error to the client when its redirect URI
// checked out, and shows a page otherwise (never redirecting to an
// unverified address).
func (s *Server) authorizeError(w http.ResponseWriter, ar *authRequest, err error) {
	if storeDown(err) {
		s.unavailablePage(w, "authorize", err)
		return
	}
	oe := asOAuthError(err)
	if oe.Code == errServerError.Code {
		s.log.Error("oauth authorize failed", "error", err.Error())
	} else {
		s.log.Info("oauth authorize refused", "error", oe.Code, "hint", oe.Hint)
	}
	if ar == nil || ar.redirect == nil {
		fix := "Go back to your MCP client and connect again; if it keeps happening, remove this server from the client and add it again so that it registers afresh."
		page(w, problem{Status: oe.Status, Code: oe.Code, Title: "This sign-in request was refused", What: oe.description(), Fix: fix})
		return
	}
	redirectError(w, ar, oe)
}

// authorize checks the request and shows this server's own consent page.
// ClickUp's consent names this server, not the MCP client, and may skip
// itself for an app approved before; without a page of our own, anyone
// who registers a client could send a signed-in ClickUp user a link that
// ends with the user's access at the attacker's redirect URI (the MCP
// spec's confused-deputy case). The page names the client and where it
// will be sent, and sets a cookie that the approval and ClickUp's
// redirect back must both carry.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	ar, p, ok := s.parseAuthorize(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	key := randomString(32)
	nonce := randomString(32)
	p.Cookie = s.keys.lookup(nonce)
	if !s.savePending(ctx, w, key, p) {
		return
	}
	http.SetCookie(w, s.signInCookie(key, nonce))
	name, redirect, host := ar.client.ID, ar.redirect, ""
	if isCIMDClientID(name) {
		host = clientHost(name)
		name = host
	}
	if ar.client.Name != "" {
		name = ar.client.Name
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	writeConsentPage(w, consentPage{
		Client: name, Redirect: redirect.Scheme + "://" + redirect.Host, Server: s.pub,
		Action: ConsentPath, Request: key, Host: host,
	})
}

// ConsentPath receives the consent page's answer.
const ConsentPath = "/authorize/consent"

func (s *Server) savePending(ctx context.Context, w http.ResponseWriter, key string, p *pendingSignIn) bool {
	raw, _ := json.Marshal(p)
	if err := s.store.Put(ctx, bucketPending, s.keys.lookup(key), raw, s.now().Add(s.cfg.SignInTTL)); err != nil {
		if storeDown(err) {
			s.unavailablePage(w, "save pending sign-in", err)
			return false
		}
		s.log.Error("oauth store failed", "op", "save pending sign-in", "error", err.Error())
		page(w, problem{Status: http.StatusInternalServerError, Code: "store", Title: "The sign-in could not be started",
			What: "This server could not save the sign-in request.", Fix: "Try again in a moment; if it keeps happening, tell whoever runs this server (see its log)."})
		return false
	}
	return true
}

// signInCookie binds one sign-in to the browser that saw the consent
// page. Lax: it rides along on ClickUp's top-level redirect back.
func (s *Server) signInCookie(key, nonce string) *http.Cookie {
	secure := strings.HasPrefix(s.pub, "https://")
	name := "clickup_mcp_signin_" + s.keys.lookup(key)[:12]
	if secure {
		name = "__Host-" + name
	}
	return &http.Cookie{Name: name, Value: nonce, Path: "/", MaxAge: int(s.cfg.SignInTTL.Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}

// fromThisBrowser reports whether r carries the cookie of the sign-in.
func (s *Server) fromThisBrowser(r *http.Request, key string, p *pendingSignIn) bool {
	c, err := r.Cookie(s.signInCookie(key, "").Name)
	return err == nil && p.Cookie != "" && subtle.ConstantTimeCompare([]byte(s.keys.lookup(c.Value)), []byte(p.Cookie)) == 1
}

var notThisBrowser = problem{Status: http.StatusForbidden, Code: "other_browser", Title: "This sign-in was started elsewhere",
	What: "The sign-in request did not come from this browser (or its cookie was blocked), so it was refused: someone may have sent you a link to approve their app.",
	Fix:  "If you meant to connect an MCP client, start again from that client, in this browser, and allow cookies for this site."}

func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		page(w, s.expiredRequest())
		return
	}
	key := r.PostForm.Get("request")
	raw, err := s.store.Get(ctx, bucketPending, s.keys.lookup(key))
	if storeDown(err) {
		s.unavailablePage(w, "load pending sign-in", err)
		return
	}
	var p pendingSignIn
	if key == "" || err != nil || json.Unmarshal(raw, &p) != nil || p.Consented {
		page(w, s.expiredRequest())
		return
	}
	if !s.fromThisBrowser(r, key, &p) {
		s.log.Warn("oauth consent refused", "reason", "no matching sign-in cookie")
		page(w, notThisBrowser)
		return
	}
	if r.PostForm.Get("decision") != "allow" {
		_, _ = s.store.Take(ctx, bucketPending, s.keys.lookup(key))
		orig, err := http.NewRequestWithContext(ctx, http.MethodGet, s.pub+"/authorize?"+p.Form.Encode(), nil)
		if err != nil {
			page(w, s.expiredRequest())
			return
		}
		ar, _, ok := s.parseAuthorize(w, orig)
		if !ok {
			return
		}
		s.log.Info("oauth sign-in declined on the consent page", "client_id", ar.client.ID)
		redirectError(w, ar, errAccessDenied.withHint("The user declined on this server's consent page."))
		return
	}
	p.Consented = true
	if !s.savePending(ctx, w, key, &p) {
		return
	}
	consent, _ := url.Parse(s.cfg.ClickUpAuthURL)
	q := consent.Query()
	q.Set("client_id", s.cfg.ClickUpClientID)
	q.Set("redirect_uri", s.pub+CallbackPath)
	q.Set("state", key)
	consent.RawQuery = q.Encode()
	if pb := s.preflight(ctx, consent.String()); pb != nil {
		_ = s.store.Delete(ctx, bucketPending, s.keys.lookup(key))
		s.log.Error("oauth ClickUp consent page refused", "ecode", pb.Code)
		page(w, *pb)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, consent.String(), http.StatusSeeOther)
}

// preflight asks ClickUp's consent page first, without following
// redirects: a JSON error with an ECODE (OAUTH_007: the callback is not
// registered; OAUTH_010: unknown app) becomes a page that says what to do,
// instead of a dead end on ClickUp's side. Anything else (the real page is
// an HTML app; a network error) is left to the browser.
func (s *Server) preflight(ctx context.Context, consentURL string) *problem {
	ecode, msg := clickup.ConsentError(ctx, s.hc, consentURL)
	if ecode == "" {
		return nil
	}
	p := s.clickUpProblem(ecode, msg)
	return &p
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	st := q.Get("state")
	var p pendingSignIn
	raw, err := s.store.Take(ctx, bucketPending, s.keys.lookup(st))
	if storeDown(err) {
		s.unavailablePage(w, "take pending sign-in", err)
		return
	}
	if st == "" || err != nil || json.Unmarshal(raw, &p) != nil || !p.Consented {
		if err != nil && !errors.Is(err, ErrNotFound) {
			s.log.Error("oauth store failed", "op", "take pending sign-in", "error", err.Error())
		}
		page(w, s.expiredRequest())
		return
	}
	if !s.fromThisBrowser(r, st, &p) {
		s.log.Warn("oauth callback refused", "reason", "no matching sign-in cookie")
		page(w, notThisBrowser)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.signInCookie(st, "").Name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: strings.HasPrefix(s.pub, "https://"), SameSite: http.SameSiteLaxMode})
	orig, err := http.NewRequestWithContext(ctx, http.MethodGet, s.pub+"/authorize?"+p.Form.Encode(), nil)
	if err != nil {
		page(w, s.expiredRequest())
		return
	}
	ar, _, ok := s.parseAuthorize(w, orig)
	if !ok {
		return
	}
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			s.log.Info("oauth sign-in declined on ClickUp", "client_id", ar.client.ID)
			redirectError(w, ar, errAccessDenied.withHint("The ClickUp user declined to authorize this server on ClickUp's consent page."))
			return
		}
		pb := s.clickUpProblem(e, q.Get("error_description"))
		s.log.Warn("oauth ClickUp returned an error", "error", e)
		page(w, pb)
		return
	}
	code := q.Get("code")
	if code == "" {
		page(w, problem{Status: http.StatusBadRequest, Code: "no_code", Title: "ClickUp sent no sign-in code",
			What: "ClickUp redirected back without a code or an error.", Fix: "Go back to your MCP client and connect again."})
		return
	}
	opts := []clickup.Option{clickup.WithBaseURL(s.cfg.ClickUpAPIURL), clickup.WithHTTPClient(s.hc)}
	if s.cfg.UserAgent != "" {
		opts = append(opts, clickup.WithUserAgent(s.cfg.UserAgent))
	}
	in, err := clickup.CompleteOAuth(ctx, s.cfg.ClickUpClientID, s.cfg.ClickUpClientSecret, code, opts...)
	if err != nil {
		pb := s.exchangeProblem(err)
		what := "identity lookup"
		if step := (*clickup.OAuthStepError)(nil); !errors.As(err, &step) || step.Step == clickup.OAuthStepExchange {
			what = "code exchange"
		}
		s.log.Warn("oauth ClickUp "+what+" failed", "reason", pb.Code)
		page(w, pb)
		return
	}
	access, me, teams := in.AccessToken, in.User, in.Workspaces
	if len(teams) == 0 {
		redirectError(w, ar, errAccessDenied.withHint("No ClickUp Workspace was authorized. Sign in again and tick at least one Workspace on ClickUp's page."))
		return
	}
	now := s.now()
	g := &grant{GrantInfo: GrantInfo{
		ID: newGrantID(), ClientID: ar.client.ID, ClientName: ar.client.Name, UserID: int64(me.ID), Username: me.Username, Email: me.Email,
		Scopes: ar.scopes, Created: now, Expires: now.Add(s.cfg.CodeTTL + time.Minute),
	}}
	for _, t := range teams {
		g.Workspaces = append(g.Workspaces, Workspace{ID: string(t.ID), Name: t.Name})
	}
	g.Sealed = s.keys.sealToken(g.ID, access)
	if err := saveGrant(ctx, s.store, g); err != nil {
		if storeDown(err) {
			s.unavailablePage(w, "save grant", err)
			return
		}
		s.log.Error("oauth store failed", "op", "save grant", "error", err.Error())
		redirectError(w, ar, errServerError.withHint("The sign-in could not be saved."))
		return
	}
	ourCode, err := s.issueCode(ctx, ar, g.ID, me.Username)
	if err != nil {
		_ = s.store.Delete(ctx, bucketGrants, g.ID)
		s.authorizeError(w, ar, err)
		return
	}
	s.log.Info("oauth sign-in", "grant", g.ID, "client_id", g.ClientID, "clickup_user", g.UserID, "workspaces", len(g.Workspaces))
	params := url.Values{"code": {ourCode}}
	if len(ar.scopes) > 0 {
		params.Set("scope", strings.Join(ar.scopes, " "))
	}
	redirectBack(w, ar, params)
}

// maxFormBytes bounds a token or revocation request's form.
const maxFormBytes = 64 << 10

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, errInvalidRequest.withHint("The form cannot be read."))
		return
	}
	if isCIMDClientID(r.PostForm.Get("client_id")) {
		if _, err := s.cimd.client(ctx, r.PostForm.Get("client_id")); err != nil {
			s.log.Info("oauth token refused", "error", "invalid_client", "reason", "client metadata document")
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": err.Error()})
			return
		}
	}
	resp, err := s.grantTokens(ctx, r)
	if err == nil {
		w.Header().Set("Pragma", "no-cache")
		writeJSON(w, http.StatusOK, resp)
		return
	}
	switch {
	case storeDown(err):
		s.writeUnavailable(w, "token", err)
		return
	case errors.Is(err, errRefreshRaced):
		// Not "retry": the same refresh token again would be a replay.
		err = errInvalidGrant.wrap(err).withHint("This refresh token was just used by another request at the same time, which got the new tokens; use those, or sign in again.")
	}
	oe := asOAuthError(err)
	if oe.Code == errServerError.Code {
		s.log.Error("oauth token failed", "error", err.Error())
	} else {
		s.log.Info("oauth token refused", "error", oe.Code, "hint", oe.Hint)
	}
	basicChallenge(w, r, oe)
	writeOAuthError(w, oe)
}

// basicChallenge is RFC 6749 5.2: a client that failed to authenticate
// with HTTP Basic is answered with a Basic challenge.
func basicChallenge(w http.ResponseWriter, r *http.Request, oe *oauthError) {
	if oe.Status == http.StatusUnauthorized && strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic ") {
		w.Header().Set("WWW-Authenticate", `Basic realm="clickup-mcp", charset="UTF-8"`)
	}
}

// grantTokens authenticates the client and runs its grant.
func (s *Server) grantTokens(ctx context.Context, r *http.Request) (*tokenResponse, error) {
	for _, p := range []string{"grant_type", "code", "code_verifier", "redirect_uri", "refresh_token", "client_id", "client_secret"} {
		if len(r.PostForm[p]) > 1 {
			return nil, errInvalidRequest.withHint("The parameter '" + p + "' is given more than once.")
		}
	}
	gt := r.PostForm.Get("grant_type")
	if gt == "" {
		return nil, errInvalidRequest.withHint("The grant_type parameter is missing.")
	}
	c, err := s.authenticateClient(ctx, r)
	if err != nil {
		return nil, err
	}
	switch gt {
	case "authorization_code":
		return s.exchangeCode(ctx, c, r.PostForm)
	case "refresh_token":
		return s.refreshGrant(ctx, c, r.PostForm)
	}
	return nil, errUnsupportedGrantType.withHint("Use authorization_code or refresh_token.")
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	err := r.ParseForm()
	var c *storedClient
	if err != nil {
		err = errInvalidRequest.withHint("The form cannot be read.")
	} else if c, err = s.authenticateClient(ctx, r); err == nil {
		if tok := r.PostForm.Get("token"); tok == "" {
			err = errInvalidRequest.withHint("The token parameter is missing.")
		} else {
			err = s.revokeToken(ctx, c, tok, r.PostForm.Get("token_type_hint"))
		}
	}
	switch {
	case err == nil:
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	case storeDown(err):
		s.writeUnavailable(w, "revoke", err)
	default:
		oe := asOAuthError(err)
		if oe.Code == errServerError.Code {
			s.log.Error("oauth revocation failed", "error", err.Error())
		}
		basicChallenge(w, r, oe)
		writeOAuthError(w, oe)
	}
}

// bearer reads an "Authorization: Bearer" token.
func bearer(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
