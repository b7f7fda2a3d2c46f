package app

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

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

// OAuthStorePath is where the OAuth sign-ins are kept, with getenv for the
// environment: CLICKUP_MCP_OAUTH_STORE, else oauth.db in the user config
// directory (CLICKUP_MCP_CONFIG_DIR moves it). `auth sessions` reads the
// same file.
func OAuthStorePath(getenv func(string) string) (string, error) {
	if path := getenv(EnvOAuthStore); path != "" {
		return path, nil
	}
	st, err := auth.DefaultStore(getenv)
	if err != nil {
		return "", fmt.Errorf("no place for the OAuth store (%w): set %s", err, EnvOAuthStore)
	}
	return filepath.Join(st.Dir(), "oauth.db"), nil
}

func newOAuthServer(cfg Config, log zerolog.Logger) (*oauthserver.Server, error) {
	key, err := oauthserver.ParseSecretKey(os.Getenv(oauthserver.EnvSecretKey))
	if err != nil {
		return nil, err
	}
	path, err := OAuthStorePath(os.Getenv)
	if err != nil {
		return nil, err
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
		UserAgent:           "clickup-mcp/" + Version,
	})
}
