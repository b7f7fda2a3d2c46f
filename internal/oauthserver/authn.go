package oauthserver

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// AuthError is why a request to /mcp or /sse was not let in.
type AuthError struct {
	// Code is the RFC 6750 error: "" when no token was sent (the client
	// should start the OAuth flow), "invalid_token" otherwise.
	Code string
	Desc string
	Err  error
}

func (e *AuthError) Error() string {
	if e.Code == "" {
		return "unauthorized: " + e.Desc
	}
	return e.Code + ": " + e.Desc
}

func (e *AuthError) Unwrap() error { return e.Err }

// ErrNoToken: the request carried no bearer token.
var ErrNoToken = errors.New("no bearer token")

var errTokenExpired = errors.New("the token has expired")

func invalidToken(desc string, err error) *AuthError {
	return &AuthError{Code: "invalid_token", Desc: desc, Err: err}
}

// Authenticate checks the request's bearer token, one this server issued,
// and returns the ClickUp token of the sign-in it belongs to. A token that
// is unknown, expired, revoked, a refresh token, or issued for another
// resource is refused with an *AuthError.
func (s *Server) Authenticate(r *http.Request) (string, GrantInfo, error) {
	tok := bearer(r)
	if tok == "" {
		return "", GrantInfo{}, &AuthError{Desc: "sign in with OAuth (see " + s.MetadataURL() + ")", Err: ErrNoToken}
	}
	ctx := r.Context()
	// The record is looked up before the signature is checked, so that
	// while the store (Redis) is down every bearer, even a forged one, is
	// answered 503, never a 401 that sends a client through sign-in; a
	// record alone is worthless: the token must also carry its key.
	rec, _, err := s.recs.load(ctx, bucketAccess, signaturePart(kindAccess, tok))
	if storeDown(err) {
		return "", GrantInfo{}, fmt.Errorf("checking the access token: %w", err)
	}
	if _, ok := s.keys.signature(kindAccess, tok); !ok {
		if _, isRefresh := s.keys.signature(kindRefresh, tok); isRefresh {
			return "", GrantInfo{}, invalidToken("that is a refresh token; send the access token", nil)
		}
		return "", GrantInfo{}, invalidToken("the access token is not valid here (unknown, revoked or malformed); sign in again", errNoRecord)
	}
	if err != nil {
		if !errors.Is(err, errNoRecord) {
			s.log.Error("oauth store failed", "op", "load access token", "error", err.Error())
		}
		return "", GrantInfo{}, invalidToken("the access token is not valid here (unknown, revoked or malformed); sign in again", err)
	}
	if rec.Session.expired(kindAccess, s.now()) {
		return "", GrantInfo{}, invalidToken("the access token has expired; refresh it or sign in again", errTokenExpired)
	}
	ours := false
	for _, a := range rec.GrantedAudience {
		for _, mine := range s.resources {
			if normResource(a) == mine {
				ours = true
			}
		}
	}
	if !ours {
		return "", GrantInfo{}, invalidToken("the access token was issued for another resource, not "+s.pub, nil)
	}
	g, err := loadGrant(ctx, s.store, rec.subject())
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return "", GrantInfo{}, invalidToken("this sign-in was revoked; sign in again", err)
		}
		if !storeDown(err) {
			s.log.Error("oauth store failed", "op", "load grant", "error", err.Error())
		}
		return "", GrantInfo{}, fmt.Errorf("loading the sign-in: %w", err)
	}
	ck, err := s.keys.openToken(g.ID, g.Sealed)
	if err != nil {
		s.log.Error("oauth grant cannot be opened", "grant", g.ID, "error", err.Error())
		return "", GrantInfo{}, invalidToken("this sign-in cannot be used any more (the server's key changed); sign in again", err)
	}
	return ck, g.GrantInfo, nil
}

// WriteUnauthorized answers 401 with the RFC 9728 challenge that sends a
// standard MCP client to the metadata and through sign-in. err is what
// Authenticate returned (nil = no token was sent). When the store (Redis)
// did not answer, it is 503 with Retry-After instead: the token may be
// fine, and a 401 would send the client through sign-in for nothing.
func (s *Server) WriteUnauthorized(w http.ResponseWriter, err error) {
	var ae *AuthError
	if storeDown(err) {
		s.writeUnavailable(w, "authenticate", err)
		return
	}
	if err != nil && !errors.As(err, &ae) {
		http.Error(w, "500 internal error while checking the token", http.StatusInternalServerError)
		return
	}
	ch := `Bearer resource_metadata="` + s.MetadataURL() + `"`
	body := map[string]string{"error": "unauthorized", "error_description": "Sign in with OAuth: " + s.MetadataURL()}
	if ae != nil && ae.Code != "" {
		ch += `, error="` + ae.Code + `", error_description="` + quoteSafe(ae.Desc) + `"`
		body = map[string]string{"error": ae.Code, "error_description": ae.Desc}
	}
	w.Header().Set("WWW-Authenticate", ch)
	w.Header().Set("Access-Control-Expose-Headers", "WWW-Authenticate")
	writeJSON(w, http.StatusUnauthorized, body)
}

func quoteSafe(s string) string {
	return strings.NewReplacer(`"`, "'", `\`, "/", "\r", " ", "\n", " ").Replace(s)
}
