package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
	"github.com/clickup-mcp/clickup-mcp/internal/replica"
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

// oauthRedisTimeout bounds one OAuth store operation on Redis. Longer than
// the replicas' 300ms: there is no local state to fall back on, so a slow
// answer is better than a 503.
const oauthRedisTimeout = 3 * time.Second

// OpenOAuthRedisStore is the OAuth store on the Redis at url (--redis-url),
// shared by every replica and by `auth sessions`.
func OpenOAuthRedisStore(url string, log zerolog.Logger) (*oauthserver.RedisStore, error) {
	rc, err := replica.Dial(url, oauthRedisTimeout, log)
	if err != nil {
		return nil, err
	}
	return oauthserver.NewRedisStore(rc, oauthserver.RedisStoreOptions{Prefix: replica.DefaultPrefix, Timeout: oauthRedisTimeout}), nil
}

func newOAuthServer(cfg Config, log zerolog.Logger) (*oauthserver.Server, error) {
	key, err := oauthserver.ParseSecretKey(os.Getenv(oauthserver.EnvSecretKey))
	if err != nil {
		return nil, err
	}
	var store oauthserver.Store
	path := ""
	if cfg.RedisURL != "" {
		// Replicas must share one store: never a local file beside Redis,
		// which would split sign-ins between replicas. While Redis is
		// down, OAuth endpoints and MCP requests answer 503.
		rs, err := OpenOAuthRedisStore(cfg.RedisURL, log)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), oauthRedisTimeout)
		if err := rs.Ping(ctx); err != nil {
			log.Warn().Str("error", err.Error()).Msg("the OAuth store on Redis does not answer yet: sign-ins and MCP requests get 503 until it does")
		}
		cancel()
		store = rs
		log.Info().Msg("OAuth sign-ins are kept on Redis (--redis-url), shared by every replica")
	} else if path, err = OAuthStorePath(os.Getenv); err != nil {
		return nil, err
	}
	srv, err := oauthserver.New(oauthserver.Config{
		PublicURL:           cfg.PublicURL,
		ClickUpClientID:     os.Getenv("CLICKUP_OAUTH_CLIENT_ID"),
		ClickUpClientSecret: os.Getenv("CLICKUP_OAUTH_CLIENT_SECRET"),
		ClickUpAuthURL:      os.Getenv("CLICKUP_OAUTH_AUTH_URL"),
		ClickUpAPIURL:       cfg.APIURL,
		SecretKey:           key,
		StorePath:           path,
		Store:               store,
		CloseStore:          store != nil,
		Logger:              slog.New(zerolog.NewSlogHandler(log.With().Str("component", "oauth").Logger())),
		UserAgent:           "clickup-mcp/" + Version,
	})
	if err != nil && store != nil {
		_ = store.Close()
	}
	return srv, err
}
