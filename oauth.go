package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/rs/zerolog"
)

// EnvOAuthStore moves the OAuth store file (default: oauth.db in the user
// config directory, next to `auth login`'s token.json).
const EnvOAuthStore = "CLICKUP_MCP_OAUTH_STORE"

// checkAuthMode validates --auth and reports whether it is oauth.
func checkAuthMode(cfg *Config) (bool, error) {
	switch cfg.Auth {
	case "", "bearer":
		return false, nil
	case "oauth":
	default:
		return false, fmt.Errorf("unknown --auth %q (CLICKUP_MCP_AUTH): use bearer or oauth", cfg.Auth)
	}
	if cfg.Transport != "http" {
		return false, errors.New("--auth oauth signs in HTTP clients: use it with --transport http")
	}
	if cfg.Sandbox {
		return false, errors.New("--auth oauth signs in with ClickUp and cannot serve the --sandbox demo; drop one of them")
	}
	// Only signed-in users are served: the server's own token (if any)
	// is never used for a caller.
	cfg.Token = ""
	return true, nil
}

func newOAuthServer(cfg Config, log zerolog.Logger) (*oauthserver.Server, error) {
	key, err := oauthserver.ParseSecretKey(os.Getenv(oauthserver.EnvSecretKey))
	if err != nil {
		return nil, err
	}
	path := os.Getenv(EnvOAuthStore)
	if path == "" {
		st, err := auth.DefaultStore(os.Getenv)
		if err != nil {
			return nil, fmt.Errorf("no place for the OAuth store (%v): set %s", err, EnvOAuthStore)
		}
		path = filepath.Join(st.Dir(), "oauth.db")
	}
	return oauthserver.New(oauthserver.Config{
		PublicURL:           cfg.PublicURL,
		ClickUpClientID:     os.Getenv("CLICKUP_OAUTH_CLIENT_ID"),
		ClickUpClientSecret: os.Getenv("CLICKUP_OAUTH_CLIENT_SECRET"),
		ClickUpAuthURL:      os.Getenv("CLICKUP_OAUTH_AUTH_URL"),
		ClickUpAPIURL:       cfg.APIURL,
		SecretKey:           key,
		StorePath:           path,
		Logger:              slog.New(zerolog.NewSlogHandler(log.With().Str("component", "oauth").Logger())),
		UserAgent:           "clickup-mcp/" + version,
	})
}

type oauthTokenKey struct{}

// requestToken is the ClickUp token a request acts with: in oauth mode the
// one its sign-in holds (set by requireOAuth), else the one it carries.
func (a *app) requestToken(r *http.Request) string {
	if a.oauth != nil {
		tok, _ := r.Context().Value(oauthTokenKey{}).(string)
		return tok
	}
	return bearerToken(r)
}

// requireOAuth lets a request to the MCP endpoints through only with an
// access token this server issued, and hands on its ClickUp token.
func (a *app) requireOAuth(next http.Handler) http.Handler {
	guarded := []string{"/mcp", "/sse", "/message"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(guarded, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		tok, _, err := a.oauth.Authenticate(r)
		if err != nil {
			a.oauth.WriteUnauthorized(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), oauthTokenKey{}, tok)))
	})
}

// withOAuthEndpoints serves the OAuth paths ahead of the origin check:
// they are made for cross-origin use (metadata, registration, token) or
// are top-level navigations, and carry no ambient credentials.
func (a *app) withOAuthEndpoints(next http.Handler) http.Handler {
	oh := a.oauth.Handler()
	paths := oauthserver.Paths()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(paths, r.URL.Path) {
			oh.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
