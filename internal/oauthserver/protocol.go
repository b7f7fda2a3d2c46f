package oauthserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The OAuth 2.1 subset this server speaks, on the standard library:
// authorization code with PKCE (S256 only, required), refresh tokens
// rotated on every use with replay detection, RFC 7009 revocation, and the
// check of its own access tokens. Every code and token is single use or
// rotated with a compare-and-swap in the Store, so replicas agree.

// authRequest is a checked authorization request.
type authRequest struct {
	client *storedClient
	form   url.Values
	// redirect is the client's redirect URI, checked against its
	// registration (exact match); nil while it is not known good, and
	// then no error is ever sent there.
	redirect *url.URL
	state    string
	scopes   []string
	audience []string
}

// minStateLength: a state shorter than this is refused (as before, from
// fosite): it protects nothing. A missing state is fine with PKCE.
const minStateLength = 8

// checkAuthorize checks an authorization request's parameters. The
// returned request has its redirect set as soon as the redirect URI is
// known good, so that an error after that point goes back to the client.
func (s *Server) checkAuthorize(ctx context.Context, form url.Values) (*authRequest, error) {
	ar := &authRequest{form: form, state: form.Get("state")}
	c, err := s.recs.client(ctx, form.Get("client_id"))
	if errors.Is(err, errUnknownClient) {
		return ar, errInvalidClient.withHint("The requested OAuth 2.0 Client does not exist.")
	}
	if err != nil {
		return ar, err
	}
	ar.client = c
	raw := form.Get("redirect_uri")
	switch {
	case raw == "" && len(c.RedirectURIs) == 1:
		raw = c.RedirectURIs[0]
	case raw == "":
		return ar, errInvalidRequest.withHint("The 'redirect_uri' parameter is required when the client registered more than one.")
	case !slices.Contains(c.RedirectURIs, raw):
		if loopbackVariant(raw, c.RedirectURIs) {
			return ar, errRedirectMismatch
		}
		return ar, errInvalidRequest.withHint("The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Fragment != "" {
		return ar, errInvalidRequest.withHint("The registered redirect_uri is not an absolute URL.")
	}
	ar.redirect = u
	for _, p := range []string{"client_id", "response_type", "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method", "response_mode"} {
		if len(form[p]) > 1 {
			return ar, errInvalidRequest.withHint("The parameter '" + p + "' is given more than once.")
		}
	}
	switch {
	case ar.state != "" && len(ar.state) < minStateLength:
		return ar, errInvalidState.withHint("Request parameter 'state' must be at least be 8 characters long to ensure sufficient entropy.")
	case form.Get("response_type") != "code" || !slices.Contains(c.ResponseTypes, "code"):
		return ar, errUnsupportedResponseType.withHint("Only response_type=code is supported.")
	case form.Get("response_mode") != "" && form.Get("response_mode") != "query":
		return ar, errUnsupportedResponseMode.withHint("Only response_mode=query is supported.")
	case form.Has("request") || form.Has("request_uri"):
		return ar, errInvalidRequest.withHint("Request objects (request, request_uri) are not supported.")
	case !c.allows("authorization_code"):
		return ar, errUnauthorizedClient.withHint("The client is not allowed the authorization_code grant.")
	case form.Get("code_challenge") == "":
		return ar, errInvalidRequest.withHint("PKCE is required: send code_challenge and code_challenge_method=S256.")
	case form.Get("code_challenge_method") != "S256":
		return ar, errInvalidRequest.withHint("Only code_challenge_method=S256 is supported.")
	case !isS256Challenge(form.Get("code_challenge")):
		return ar, errInvalidRequest.withHint("The code_challenge is not an S256 challenge (43 base64url characters).")
	}
	ar.scopes = strings.Fields(form.Get("scope"))
	// ClickUp has no scopes: a scope a client asks for is granted and
	// means nothing.
	if ar.audience, err = s.checkResources(form["resource"]); err != nil {
		return ar, err
	}
	return ar, nil
}

// errRedirectMismatch: a loopback redirect URI that differs from the
// registered one only in its port. RFC 8252 lets servers allow it; this
// one wants the exact registered string.
var errRedirectMismatch = errors.New("redirect_uri differs from the registered one in its port")

func loopbackVariant(raw string, registered []string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		return false
	}
	for _, r := range registered {
		ru, err := url.Parse(r)
		if err == nil && ru.Scheme == u.Scheme && ru.Hostname() == u.Hostname() && ru.Path == u.Path {
			return true
		}
	}
	return false
}

func isS256Challenge(c string) bool {
	return len(c) == 43 && isPKCEChars(c)
}

// isPKCEChars: the unreserved characters of RFC 7636 4.1.
func isPKCEChars(v string) bool {
	for _, r := range v {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '.', r == '_', r == '~':
		default:
			return false
		}
	}
	return true
}

// redirectBack sends the browser to the client's redirect URI with params
// (and the state, if the client sent one).
func redirectBack(w http.ResponseWriter, ar *authRequest, params url.Values) {
	u := *ar.redirect
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if ar.state != "" {
		q.Set("state", ar.state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusSeeOther)
}

// redirectError sends an authorization error to the client (RFC 6749
// 4.1.2.1). Only for a request whose redirect URI is known good.
func redirectError(w http.ResponseWriter, ar *authRequest, oe *oauthError) {
	redirectBack(w, ar, url.Values{"error": {oe.Code}, "error_description": {oe.description()}})
}

// issueCode stores an authorization code for the grant and returns it.
func (s *Server) issueCode(ctx context.Context, ar *authRequest, grantID, username string) (string, error) {
	now := s.now()
	code, sig := s.keys.newToken(kindCode)
	form := url.Values{}
	for _, k := range keptForm {
		if v, ok := ar.form[k]; ok {
			form[k] = slices.Clone(v)
		}
	}
	exp := now.Add(s.cfg.CodeTTL)
	rec := &storedRequest{
		ID: grantID, RequestedAt: now, ClientID: ar.client.ID,
		RequestedScope: ar.scopes, GrantedScope: ar.scopes, GrantedAudience: ar.audience,
		Form: form, Active: true,
		Session: &session{Subject: grantID, Username: username, ExpiresAt: map[string]time.Time{kindCode: exp}},
	}
	return code, s.recs.create(ctx, bucketCodes, "", sig, rec, exp)
}

// authenticateClient is RFC 6749 2.3.1: a confidential client sends its
// secret (HTTP Basic or client_secret in the form), a public client only
// its client_id.
func (s *Server) authenticateClient(ctx context.Context, r *http.Request) (*storedClient, error) {
	id, secret, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return nil, errInvalidRequest.withHint("The client credentials in the Authorization header are not form-encoded.")
		}
		if f := r.PostForm.Get("client_id"); f != "" && f != id {
			return nil, errInvalidRequest.withHint("The client_id in the form differs from the one in the Authorization header.")
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id == "" {
		return nil, errInvalidClient.withHint("Client credentials missing or malformed: send client_id (and the client secret, for a confidential client).")
	}
	c, err := s.recs.client(ctx, id)
	if errors.Is(err, errUnknownClient) {
		return nil, errInvalidClient.withHint("The requested OAuth 2.0 Client does not exist.")
	}
	if err != nil {
		return nil, err
	}
	if c.public() {
		return c, nil
	}
	h := sha256.Sum256([]byte(secret))
	if secret == "" || len(c.SecretHash) != len(h) || subtle.ConstantTimeCompare(c.SecretHash, h[:]) != 1 {
		return nil, errInvalidClient.withHint("The client secret is missing or wrong.")
	}
	return c, nil
}

// tokenResponse is RFC 6749 5.1.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// exchangeCode is the authorization_code grant.
func (s *Server) exchangeCode(ctx context.Context, c *storedClient, form url.Values) (*tokenResponse, error) {
	if !c.allows("authorization_code") {
		return nil, errUnauthorizedClient.withHint("The client is not allowed the authorization_code grant.")
	}
	sig, ok := s.keys.signature(kindCode, form.Get("code"))
	if !ok {
		return nil, errInvalidGrant.withHint("The authorization code is malformed or was not issued here.")
	}
	rec, _, err := s.recs.load(ctx, bucketCodes, sig)
	if errors.Is(err, errNoRecord) {
		return nil, errInvalidGrant.withHint("The authorization code is unknown or has expired.")
	}
	if err != nil {
		return nil, err
	}
	if !rec.Active {
		return nil, s.replayed(ctx, rec, "authorization code")
	}
	now := s.now()
	if rec.Session.expired(kindCode, now) {
		return nil, errInvalidGrant.withHint("The authorization code has expired.")
	}
	if rec.ClientID != c.ID {
		return nil, errInvalidGrant.withHint("The OAuth 2.0 Client ID from this request does not match the one from the authorize request.")
	}
	if want := rec.Form.Get("redirect_uri"); want != "" && form.Get("redirect_uri") != want {
		return nil, errInvalidGrant.withHint("The 'redirect_uri' from this request does not match the one from the authorize request.")
	}
	if err := checkVerifier(rec.Form.Get("code_challenge"), form.Get("code_verifier")); err != nil {
		return nil, err
	}
	if _, err := s.checkResources(form["resource"]); err != nil {
		return nil, err
	}
	if err := s.grantLive(ctx, rec.subject()); err != nil {
		return nil, err
	}
	// Single use: of concurrent redemptions, one wins the swap; a loser
	// is a replay like any other.
	if err := s.recs.retire(ctx, bucketCodes, sig, nil); errors.Is(err, errRetired) || errors.Is(err, errNoRecord) {
		return nil, s.replayed(ctx, rec, "authorization code")
	} else if err != nil {
		return nil, err
	}
	return s.issueTokens(ctx, c, rec, rec.GrantedScope, now)
}

// checkVerifier is RFC 7636 4.6 for S256, in constant time.
func checkVerifier(challenge, verifier string) error {
	switch {
	case challenge == "":
		return errInvalidGrant.withHint("The authorization request had no PKCE code challenge.")
	case verifier == "":
		return errInvalidGrant.withHint("The PKCE code verifier is missing.")
	case len(verifier) < 43 || len(verifier) > 128:
		return errInvalidGrant.withHint("The PKCE code verifier must be 43 to 128 characters long.")
	case !isPKCEChars(verifier):
		return errInvalidGrant.withHint("The PKCE code verifier has characters outside [A-Za-z0-9-._~].")
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(b64.EncodeToString(sum[:])), []byte(challenge)) != 1 {
		return errInvalidGrant.withHint("The PKCE code challenge did not match the code verifier.")
	}
	return nil
}

// replayed ends the grant of a code or refresh token presented after it
// was used (RFC 6749 4.1.2, RFC 6819 5.2.2.3): whoever holds the tokens
// it was exchanged for, maybe a thief, loses them.
func (s *Server) replayed(ctx context.Context, rec *storedRequest, what string) error {
	if err := s.recs.endGrant(ctx, rec.subject()); err != nil {
		return err
	}
	s.log.Warn("oauth "+what+" replayed: sign-in ended", "grant", rec.subject(), "client_id", rec.ClientID)
	return errInvalidGrant.withHint("The " + what + " has been used already; the sign-in it belonged to was ended. Sign in again.")
}

// grantLive checks the sign-in still exists: a grant revoked with `auth
// sessions` must not mint new tokens.
func (s *Server) grantLive(ctx context.Context, id string) error {
	_, err := loadGrant(ctx, s.store, id)
	if errors.Is(err, ErrNotFound) {
		return errInvalidGrant.withHint("This sign-in was revoked or has expired; sign in again.")
	}
	return err
}

// refreshGrant is the refresh_token grant, rotating the refresh token.
func (s *Server) refreshGrant(ctx context.Context, c *storedClient, form url.Values) (*tokenResponse, error) {
	if !c.allows("refresh_token") {
		return nil, errUnauthorizedClient.withHint("The client is not allowed the refresh_token grant.")
	}
	sig, ok := s.keys.signature(kindRefresh, form.Get("refresh_token"))
	if !ok {
		return nil, errInvalidGrant.withHint("The refresh token is malformed or was not issued here.")
	}
	rec, _, err := s.recs.load(ctx, bucketRefresh, sig)
	if errors.Is(err, errNoRecord) {
		return nil, errInvalidGrant.withHint("The refresh token is unknown, revoked or expired.")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !rec.Active {
		if !rec.RotatedAt.IsZero() && now.Sub(rec.RotatedAt) < refreshRaceLeeway {
			return nil, errRefreshRaced
		}
		return nil, s.replayed(ctx, rec, "refresh token")
	}
	if rec.ClientID != c.ID {
		return nil, errInvalidGrant.withHint("The OAuth 2.0 Client ID from this request does not match the ID during the initial token issuance.")
	}
	if rec.Session.expired(kindRefresh, now) {
		return nil, errInvalidGrant.withHint("The refresh token has expired.")
	}
	scopes := rec.GrantedScope
	if asked := strings.Fields(form.Get("scope")); len(asked) > 0 {
		for _, sc := range asked {
			if !slices.Contains(rec.GrantedScope, sc) {
				return nil, errInvalidScope.withHint("The scope '" + sc + "' was not granted in the original authorization.")
			}
		}
		scopes = asked
	}
	if _, err := s.checkResources(form["resource"]); err != nil {
		return nil, err
	}
	if err := s.grantLive(ctx, rec.subject()); err != nil {
		return nil, err
	}
	if err := s.recs.claimRefresh(ctx, sig); err != nil {
		if errors.Is(err, errNoRecord) {
			return nil, errInvalidGrant.withHint("The refresh token is unknown, revoked or expired.")
		}
		return nil, err
	}
	// The grant's other refresh tokens are retired (kept, so that a
	// replay is caught) and its access tokens deleted.
	if err := s.recs.retireRefresh(ctx, rec.ID); err != nil {
		return nil, err
	}
	if err := s.recs.revokeAccess(ctx, rec.ID); err != nil {
		return nil, err
	}
	return s.issueTokens(ctx, c, rec, scopes, now)
}

// issueTokens stores a new access token (and a refresh token, if the
// client may refresh) for the grant of from.
func (s *Server) issueTokens(ctx context.Context, c *storedClient, from *storedRequest, scopes []string, now time.Time) (*tokenResponse, error) {
	access, asig := s.keys.newToken(kindAccess)
	aexp, rexp := now.Add(s.cfg.AccessTokenTTL), now.Add(s.cfg.RefreshTokenTTL)
	rec := func(exp map[string]time.Time) *storedRequest {
		sess := &session{Subject: from.subject(), ExpiresAt: exp}
		if from.Session != nil {
			sess.Username = from.Session.Username
		}
		return &storedRequest{
			ID: from.ID, RequestedAt: now, ClientID: c.ID,
			RequestedScope: from.RequestedScope, GrantedScope: scopes,
			RequestedAudience: from.RequestedAudience, GrantedAudience: from.GrantedAudience,
			Form: from.Form, Active: true, Session: sess,
		}
	}
	if err := s.recs.create(ctx, bucketAccess, "a", asig, rec(map[string]time.Time{kindAccess: aexp}), aexp); err != nil {
		return nil, err
	}
	if err := s.recs.extendGrant(ctx, from.ID, aexp); err != nil {
		return nil, s.issueFailed(err)
	}
	resp := &tokenResponse{AccessToken: access, TokenType: "bearer", ExpiresIn: int64(s.cfg.AccessTokenTTL / time.Second), Scope: strings.Join(scopes, " ")}
	if c.allows("refresh_token") {
		refresh, rsig := s.keys.newToken(kindRefresh)
		r := rec(map[string]time.Time{kindAccess: aexp, kindRefresh: rexp})
		r.AccessSig = asig
		if err := s.recs.create(ctx, bucketRefresh, "r", rsig, r, rexp); err != nil {
			return nil, err
		}
		// The grant lives as long as its newest refresh token.
		if err := s.recs.extendGrant(ctx, from.ID, rexp); err != nil {
			return nil, s.issueFailed(err)
		}
		resp.RefreshToken = refresh
	}
	return resp, nil
}

// issueFailed: the grant went away while its tokens were being issued
// (revoked by a replay or `auth sessions` at that moment).
func (s *Server) issueFailed(err error) error {
	if errors.Is(err, ErrNotFound) {
		return errInvalidGrant.withHint("This sign-in was revoked while the tokens were being issued; sign in again.")
	}
	return err
}

// revokeToken is RFC 7009: the client's access or refresh token ends its
// whole sign-in (2.1 allows it: a client that signs out is out). A token
// that is unknown, malformed or already gone is not an error.
func (s *Server) revokeToken(ctx context.Context, c *storedClient, token, hint string) error {
	kinds := []string{kindRefresh, kindAccess}
	if hint == "access_token" {
		kinds = []string{kindAccess, kindRefresh}
	}
	buckets := map[string]string{kindRefresh: bucketRefresh, kindAccess: bucketAccess}
	for _, k := range kinds {
		sig, ok := s.keys.signature(k, token)
		if !ok {
			continue
		}
		rec, _, err := s.recs.load(ctx, buckets[k], sig)
		if errors.Is(err, errNoRecord) {
			continue
		}
		if err != nil {
			return err
		}
		if rec.ClientID != c.ID {
			return errUnauthorizedClient.withHint("The token was issued to another client.")
		}
		if err := s.recs.endGrant(ctx, rec.subject()); err != nil {
			return err
		}
		s.log.Info("oauth sign-in revoked by its client", "grant", rec.subject(), "client_id", c.ID)
		return nil
	}
	return nil
}
