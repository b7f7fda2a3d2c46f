package oauthserver

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/clickup-mcp/clickup-mcp/internal/netguard"
)

// Client ID Metadata Documents (MCP authorization 2025-11-25,
// draft-ietf-oauth-client-id-metadata-document): a client_id that is an
// https URL names a JSON document, served by the client's owner, that
// describes the client. This server fetches it (guarded against SSRF),
// checks it, caches it for a while and treats the client as a registered
// public client. Nothing about such a client is stored.

// Defaults for ClientMetadataConfig.
const (
	DefaultCIMDTimeout  = 5 * time.Second
	DefaultCIMDMaxBytes = 64 << 10
	DefaultCIMDEntries  = 1000
	// A document is cached for its Cache-Control max-age, clamped to
	// [cimdMinTTL, cimdMaxTTL]; cimdDefaultTTL without one.
	cimdMinTTL     = time.Minute
	cimdMaxTTL     = 24 * time.Hour
	cimdDefaultTTL = 10 * time.Minute
)

// Resolver looks up a host's addresses (net.DefaultResolver has this).
type Resolver = netguard.Resolver

// ClientMetadataConfig configures fetching Client ID Metadata Documents.
// The zero value is right for production; the fields exist for tests.
type ClientMetadataConfig struct {
	// Resolver resolves the document's host (nil = net.DefaultResolver).
	// Every address it returns must be public, or the fetch is refused.
	Resolver Resolver
	// DialContext connects to a checked ip:port (nil = net.Dialer).
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSConfig for the fetch (nil = the system roots).
	TLSConfig *tls.Config
	// Timeout bounds one fetch (DefaultCIMDTimeout).
	Timeout time.Duration
	// MaxBytes caps a document (DefaultCIMDMaxBytes).
	MaxBytes int64
	// Entries bounds the cache (DefaultCIMDEntries).
	Entries int
}

// isCIMDClientID reports whether a client_id names a metadata document:
// an https URL with a path. Registered clients' ids are random strings.
func isCIMDClientID(id string) bool {
	return strings.HasPrefix(id, "https://") || strings.HasPrefix(id, "http://")
}

// cimdError is what was wrong with a client's metadata document, said so
// that the client's developer can fix it.
type cimdError struct{ msg string }

func (e *cimdError) Error() string { return e.msg }

func cimdErrf(format string, a ...any) error { return &cimdError{fmt.Sprintf(format, a...)} }

type cimdEntry struct {
	c       *storedClient
	expires time.Time
}

// cimdFetcher fetches, checks and caches metadata documents.
type cimdFetcher struct {
	hc       *http.Client
	maxBytes int64
	entries  int
	now      func() time.Time

	mu    sync.Mutex
	cache map[string]cimdEntry
}

func newCIMDFetcher(cfg ClientMetadataConfig, now func() time.Time) (*cimdFetcher, error) {
	if cfg.Timeout < 0 || cfg.MaxBytes < 0 || cfg.Entries < 0 {
		return nil, errors.New("oauthserver: a client metadata limit is negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultCIMDTimeout
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultCIMDMaxBytes
	}
	if cfg.Entries == 0 {
		cfg.Entries = DefaultCIMDEntries
	}
	f := &cimdFetcher{maxBytes: cfg.MaxBytes, entries: cfg.Entries, now: now, cache: map[string]cimdEntry{}}
	// Every host is checked to be public, and the checked address dialled
	// (netguard), so that a client_id cannot point this server at its own
	// network.
	d := &netguard.Dialer{Resolver: cfg.Resolver, Dial: cfg.DialContext, Timeout: cfg.Timeout}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would resolve the host itself, past the address check
		DialContext:           d.DialContext,
		TLSClientConfig:       cfg.TLSConfig,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          10,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	f.hc = &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		// No redirects: each hop would need the same checks, and the
		// document must be served at its own URL anyway.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f, nil
}

// clientMetadata is the part of a metadata document this server reads.
type clientMetadata struct {
	ClientID                string          `json:"client_id"`
	ClientName              string          `json:"client_name"`
	RedirectURIs            []string        `json:"redirect_uris"`
	GrantTypes              []string        `json:"grant_types"`
	ResponseTypes           []string        `json:"response_types"`
	TokenEndpointAuthMethod *string         `json:"token_endpoint_auth_method"`
	ClientSecret            json.RawMessage `json:"client_secret"`
	ClientSecretExpiresAt   json.RawMessage `json:"client_secret_expires_at"`
	Scope                   string          `json:"scope"`
}

// client returns the client that id names, from the cache or fetched.
func (f *cimdFetcher) client(ctx context.Context, id string) (*storedClient, error) {
	now := f.now()
	f.mu.Lock()
	if e, ok := f.cache[id]; ok && now.Before(e.expires) {
		f.mu.Unlock()
		return e.c, nil
	}
	f.mu.Unlock()
	c, ttl, err := f.fetch(ctx, id)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.cache) >= f.entries {
		f.evict(now)
	}
	f.cache[id] = cimdEntry{c: c, expires: now.Add(ttl)}
	return c, nil
}

// evict drops expired entries, and if none had expired the one closest
// to expiry, so the cache never outgrows its bound.
func (f *cimdFetcher) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, e := range f.cache {
		if !now.Before(e.expires) {
			delete(f.cache, k)
			continue
		}
		if oldest == "" || e.expires.Before(oldestAt) {
			oldest, oldestAt = k, e.expires
		}
	}
	if len(f.cache) >= f.entries && oldest != "" {
		delete(f.cache, oldest)
	}
}

func checkCIMDURL(id string) (*url.URL, error) {
	u, err := url.Parse(id)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, cimdErrf("the client_id %q is not an absolute URL", id)
	}
	if u.Scheme != "https" {
		return nil, cimdErrf("the client_id %q must be an https URL: a client metadata document is fetched only over https", id)
	}
	if u.Path == "" || u.Path == "/" {
		return nil, cimdErrf("the client_id %q must have a path (e.g. https://app.example.com/oauth/client.json)", id)
	}
	if u.User != nil || u.Fragment != "" || strings.Contains(id, "#") {
		return nil, cimdErrf("the client_id %q must not hold user info or a fragment", id)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, cimdErrf("the client_id %q must not have . or .. path segments", id)
		}
	}
	return u, nil
}

// fetch gets and checks the document at id.
func (f *cimdFetcher) fetch(ctx context.Context, id string) (*storedClient, time.Duration, error) {
	u, err := checkCIMDURL(id)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, cimdErrf("the client_id %q cannot be fetched: %v", id, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := f.hc.Do(req)
	if err != nil {
		var ce *cimdError
		if errors.As(err, &ce) {
			return nil, 0, ce
		}
		var re *netguard.RefusedError
		if errors.As(err, &re) {
			return nil, 0, cimdErrf("%v; this server fetches client metadata only from public hosts", re)
		}
		var le *netguard.LookupError
		if errors.As(err, &le) {
			return nil, 0, cimdErrf("%v", le)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return nil, 0, cimdErrf("fetching the client metadata document %s timed out", id)
		}
		return nil, 0, cimdErrf("the client metadata document %s could not be fetched (%s)", id, fetchFailure(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, 0, cimdErrf("the client metadata document %s answered with a redirect (HTTP %d); it must be served at its own URL", id, resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, cimdErrf("the client metadata document %s answered HTTP %d, want 200", id, resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, 0, cimdErrf("the client metadata document %s has Content-Type %q, want application/json", id, resp.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return nil, 0, cimdErrf("fetching the client metadata document %s timed out", id)
		}
		return nil, 0, cimdErrf("the client metadata document %s could not be read", id)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, 0, cimdErrf("the client metadata document %s is larger than %d bytes", id, f.maxBytes)
	}
	var md clientMetadata
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, 0, cimdErrf("the client metadata document %s is not a JSON object of client metadata: %v", id, err)
	}
	c, err := checkClientMetadata(id, &md, f.now())
	if err != nil {
		return nil, 0, err
	}
	return c, cacheTTL(resp.Header.Get("Cache-Control")), nil
}

// fetchFailure names a transport failure without echoing anything the
// remote side chose.
func fetchFailure(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var te *tls.CertificateVerificationError
	switch {
	case errors.As(err, &te):
		return "its TLS certificate is not valid"
	default:
		return err.Error()
	}
}

// checkClientMetadata checks a document as the draft and this server ask:
// it names itself, lists redirect URIs, and is a public client.
func checkClientMetadata(id string, md *clientMetadata, now time.Time) (*storedClient, error) {
	if md.ClientID != id {
		return nil, cimdErrf("the client metadata document at %s says its client_id is %q; it must be exactly the document's URL", id, md.ClientID)
	}
	if len(md.RedirectURIs) == 0 {
		return nil, cimdErrf("the client metadata document %s lists no redirect_uris", id)
	}
	if len(md.RedirectURIs) > maxRedirectURIs {
		return nil, cimdErrf("the client metadata document %s lists more than %d redirect_uris", id, maxRedirectURIs)
	}
	for _, ru := range md.RedirectURIs {
		if err := checkRedirectURI(ru); err != nil {
			return nil, cimdErrf("the client metadata document %s: %v", id, err)
		}
	}
	if len(md.ClientSecret) > 0 || len(md.ClientSecretExpiresAt) > 0 {
		return nil, cimdErrf("the client metadata document %s holds a client_secret; a metadata document is public, so its client must be a public client (token_endpoint_auth_method none) with no secret", id)
	}
	am := "none"
	if md.TokenEndpointAuthMethod != nil {
		am = *md.TokenEndpointAuthMethod
	}
	if am != "none" {
		return nil, cimdErrf("the client metadata document %s has token_endpoint_auth_method %q; this server accepts only none (a public client using PKCE) for a client_id URL", id, am)
	}
	if utf8.RuneCountInString(md.ClientName) > maxClientName {
		return nil, cimdErrf("the client metadata document %s has a client_name longer than %d characters", id, maxClientName)
	}
	gt := md.GrantTypes
	if len(gt) == 0 {
		gt = []string{"authorization_code", "refresh_token"}
	}
	for _, g := range gt {
		if g != "authorization_code" && g != "refresh_token" {
			return nil, cimdErrf("the client metadata document %s has grant_types %q, which this server does not support; use authorization_code and refresh_token", id, g)
		}
	}
	if !slices.Contains(gt, "authorization_code") {
		return nil, cimdErrf("the client metadata document %s: grant_types must include authorization_code", id)
	}
	rt := md.ResponseTypes
	if len(rt) == 0 {
		rt = []string{"code"}
	}
	for _, t := range rt {
		if t != "code" {
			return nil, cimdErrf("the client metadata document %s has response_types %q; only code is supported", id, t)
		}
	}
	return &storedClient{
		ID: id, Name: strings.TrimSpace(md.ClientName), RedirectURIs: slices.Clone(md.RedirectURIs),
		GrantTypes: gt, ResponseTypes: rt, Scopes: strings.Fields(md.Scope), AuthMethod: "none", Created: now,
	}, nil
}

// cacheTTL is Cache-Control max-age clamped to the limits; no-store and
// no-cache get the minimum.
func cacheTTL(cc string) time.Duration {
	ttl := cimdDefaultTTL
	for _, d := range strings.Split(cc, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		switch {
		case d == "no-store" || d == "no-cache":
			return cimdMinTTL
		case strings.HasPrefix(d, "max-age="):
			n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(d, "max-age="), `"`), 10, 64)
			if err == nil && n >= 0 {
				ttl = time.Duration(min(n, int64(cimdMaxTTL/time.Second))) * time.Second
			}
		}
	}
	return min(max(ttl, cimdMinTTL), cimdMaxTTL)
}

// clientHost is the host of a client_id URL, for the consent page.
func clientHost(id string) string {
	if u, err := url.Parse(id); err == nil {
		return u.Host
	}
	return ""
}
