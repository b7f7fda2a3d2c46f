package httpserve

import (
	"net/http"
	"slices"

	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
)

// requireOAuth lets a request to the MCP endpoints through only with an
// access token this server issued, and hands on its ClickUp token in the
// request's Authorization header (in process only), so that everything
// after it (session identity, the tools) sees one identity: the sign-in's
// ClickUp user. The server's own token never serves in this mode.
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
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+tok)
		next.ServeHTTP(w, r)
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
