package httpserve

import (
	"context"
	"net/http"
	"slices"

	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
)

type oauthTokenKey struct{}

// requestToken is the ClickUp token a request acts with: in oauth mode the
// one its sign-in holds (set by requireOAuth), else the one it carries.
func (a *Server) requestToken(r *http.Request) string {
	if a.OAuth != nil {
		tok, _ := r.Context().Value(oauthTokenKey{}).(string)
		return tok
	}
	return bearerToken(r)
}

// requireOAuth lets a request to the MCP endpoints through only with an
// access token this server issued, and hands on its ClickUp token.
func (a *Server) requireOAuth(next http.Handler) http.Handler {
	guarded := []string{"/mcp", "/sse", "/message"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(guarded, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		tok, _, err := a.OAuth.Authenticate(r)
		if err != nil {
			a.OAuth.WriteUnauthorized(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), oauthTokenKey{}, tok)))
	})
}

// withOAuthEndpoints serves the OAuth paths ahead of the origin check:
// they are made for cross-origin use (metadata, registration, token) or
// are top-level navigations, and carry no ambient credentials.
func (a *Server) withOAuthEndpoints(next http.Handler) http.Handler {
	oh := a.OAuth.Handler()
	paths := oauthserver.Paths()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(paths, r.URL.Path) {
			oh.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
