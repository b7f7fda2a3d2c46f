package oauthserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// Defaults for Config.
const (
	DefaultClickUpAuthURL  = "https://app.clickup.com/api"
	DefaultAccessTokenTTL  = time.Hour
	DefaultRefreshTokenTTL = 30 * 24 * time.Hour
	DefaultCodeTTL         = 5 * time.Minute
	DefaultSignInTTL       = 10 * time.Minute
	// CallbackPath is where ClickUp sends the browser back: register
	// <public-url>/oauth/callback as the ClickUp app's redirect URL.
	CallbackPath = "/oauth/callback"
	// MetadataPath is the RFC 9728 protected-resource metadata.
	MetadataPath = "/.well-known/oauth-protected-resource"
)

// Config configures New.
type Config struct {
	// PublicURL is how clients reach this server: https://host[:port],
	// no path (the RFC 8414 / 9728 documents live at the host's root).
	// Plain http is accepted only for localhost and loopback addresses.
	PublicURL string
	// The ClickUp OAuth app (ClickUp Settings > ClickUp API).
	ClickUpClientID     string
	ClickUpClientSecret string
	// ClickUpAuthURL is ClickUp's consent page (DefaultClickUpAuthURL).
	ClickUpAuthURL string
	// ClickUpAPIURL is the API root (clickup.DefaultBaseURL).
	ClickUpAPIURL string
	// SecretKey is the 32-byte key (ParseSecretKey) that seals ClickUp
	// tokens and signs this server's tokens. Changing it signs everyone out.
	SecretKey []byte
	// StorePath is the bbolt file (used when Store is nil).
	StorePath string
	// Store replaces the embedded store (e.g. NewRedisStore). New does
	// not close a Store it was given unless CloseStore is set.
	Store      Store
	CloseStore bool
	// Now is the clock for sign-in requests, grants and the access-token
	// expiry check (nil = time.Now).
	Now func() time.Time
	// HTTPClient calls ClickUp (nil = a client with a one-minute timeout).
	HTTPClient *http.Client
	// Logger receives sign-ins, refusals and failures; never a token.
	Logger *slog.Logger
	// UserAgent for the calls to ClickUp.
	UserAgent string
	// ClientMetadata tunes fetching Client ID Metadata Documents (a
	// client_id that is an https URL); the zero value suits production.
	ClientMetadata ClientMetadataConfig
	// Lifetimes (zero = the defaults above).
	AccessTokenTTL, RefreshTokenTTL, CodeTTL, SignInTTL time.Duration
}

// Server is the OAuth 2.1 authorization server in front of ClickUp's
// OAuth. Its tokens are its own; the ClickUp token stays server-side.
type Server struct {
	cfg       Config
	pub       string
	resources []string
	now       func() time.Time
	keys      *keys
	store     Store
	ownStore  bool
	recs      *records
	log       *slog.Logger
	hc        *http.Client
	cimd      *cimdFetcher
}

// New checks cfg and opens the store. It refuses to start without a
// valid public URL, the ClickUp app's id and secret, and a 32-byte key.
func New(cfg Config) (*Server, error) {
	pub, err := checkPublicURL(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	if cfg.ClickUpClientID == "" || cfg.ClickUpClientSecret == "" {
		return nil, errors.New("oauth mode needs the ClickUp OAuth app: set CLICKUP_OAUTH_CLIENT_ID and CLICKUP_OAUTH_CLIENT_SECRET (create the app in ClickUp Settings > ClickUp API, with redirect URL " + pub + CallbackPath + ")")
	}
	if len(cfg.SecretKey) != KeySize {
		return nil, fmt.Errorf("oauth mode needs a %d-byte secret key in %s (got %d bytes); make one with `openssl rand -base64 32`", KeySize, EnvSecretKey, len(cfg.SecretKey))
	}
	if cfg.ClickUpAuthURL == "" {
		cfg.ClickUpAuthURL = DefaultClickUpAuthURL
	}
	if u, err := url.Parse(cfg.ClickUpAuthURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("CLICKUP_OAUTH_AUTH_URL %q is not an http(s) URL", cfg.ClickUpAuthURL)
	}
	if cfg.ClickUpAPIURL == "" {
		cfg.ClickUpAPIURL = clickup.DefaultBaseURL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	for _, d := range []struct {
		p   *time.Duration
		def time.Duration
	}{{&cfg.AccessTokenTTL, DefaultAccessTokenTTL}, {&cfg.RefreshTokenTTL, DefaultRefreshTokenTTL}, {&cfg.CodeTTL, DefaultCodeTTL}, {&cfg.SignInTTL, DefaultSignInTTL}} {
		if *d.p < 0 {
			return nil, errors.New("oauthserver: a token lifetime is negative")
		}
		if *d.p == 0 {
			*d.p = d.def
		}
	}
	k, err := deriveKeys(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, pub: pub, now: cfg.Now, keys: k, log: cfg.Logger, hc: cfg.HTTPClient,
		resources: []string{pub, pub + "/mcp", pub + "/sse"}}
	s.store, s.ownStore = cfg.Store, cfg.CloseStore
	if s.store == nil {
		bs, err := OpenBoltStore(cfg.StorePath, cfg.Now)
		if err != nil {
			return nil, err
		}
		s.store, s.ownStore = bs, true
	}
	s.cimd, err = newCIMDFetcher(cfg.ClientMetadata, cfg.Now)
	if err != nil {
		if s.ownStore {
			_ = s.store.Close()
		}
		return nil, err
	}
	s.recs = &records{st: s.store, now: cfg.Now, cimd: s.cimd}
	return s, nil
}

// Close closes the store if New opened it.
func (s *Server) Close() error {
	if s.ownStore {
		return s.store.Close()
	}
	return nil
}

// PublicURL is the normalised public URL (the issuer).
func (s *Server) PublicURL() string { return s.pub }

// MetadataURL is the protected-resource metadata URL that 401s point to.
func (s *Server) MetadataURL() string { return s.pub + MetadataPath }

func checkPublicURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("oauth mode needs --public-url (or CLICKUP_MCP_PUBLIC_URL): the https URL clients use to reach this server, e.g. https://mcp.example.com")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("--public-url %q is not an absolute URL like https://mcp.example.com", raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return "", fmt.Errorf("--public-url %q must be https (plain http only for localhost): OAuth tokens and codes cross it; put the server behind a TLS proxy", raw)
	default:
		return "", fmt.Errorf("--public-url %q must be an https URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("--public-url %q must be just scheme and host (no path, query or user): the OAuth metadata lives at the host's root", raw)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

func isLoopback(h string) bool {
	switch strings.ToLower(h) {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return strings.HasPrefix(h, "127.")
}

// normResource canonicalises a resource indicator for comparison.
func normResource(r string) string {
	u, err := url.Parse(strings.TrimSpace(r))
	if err != nil || u.Host == "" {
		return r
	}
	p := strings.TrimRight(u.Path, "/")
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + p
}

// checkResources is RFC 8707: every resource asked for must be this
// server. It returns the audiences to grant (the public URL by default).
func (s *Server) checkResources(rs []string) ([]string, error) {
	if len(rs) == 0 {
		return []string{s.pub}, nil
	}
	var out []string
	for _, r := range rs {
		n := normResource(r)
		ok := false
		for _, mine := range s.resources {
			if n == mine {
				ok = true
			}
		}
		if !ok {
			return nil, errInvalidTarget.withHint(fmt.Sprintf("The resource %q is not this server; tokens here are only for %s (or %s/mcp).", r, s.pub, s.pub))
		}
		out = append(out, n)
	}
	return out, nil
}
