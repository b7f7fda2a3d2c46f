package oauthserver

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Registration limits.
const (
	maxRegistrationBytes = 64 << 10
	maxRedirectURIs      = 20
	maxClientName        = 200
)

// registration is an RFC 7591 client registration request.
type registration struct {
	RedirectURIs            []string `json:"redirect_uris"`
	ClientName              string   `json:"client_name,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
}

func regError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

// register is RFC 7591 dynamic client registration, open to anyone (as
// the MCP authorization spec expects): a client only gets to start a
// sign-in that a ClickUp user must still approve.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRegistrationBytes+1))
	if err != nil {
		regError(w, "invalid_client_metadata", "the request body could not be read")
		return
	}
	if len(body) > maxRegistrationBytes {
		regError(w, "invalid_client_metadata", fmt.Sprintf("the registration is larger than %d bytes", maxRegistrationBytes))
		return
	}
	var req registration
	if err := json.Unmarshal(body, &req); err != nil {
		regError(w, "invalid_client_metadata", "the body must be a JSON object of client metadata (RFC 7591): "+err.Error())
		return
	}
	sc, err := s.checkRegistration(&req)
	if err != nil {
		var re *regErr
		if errors.As(err, &re) {
			regError(w, re.code, re.desc)
			return
		}
		regError(w, "invalid_client_metadata", err.Error())
		return
	}
	secret := ""
	if sc.AuthMethod != "none" {
		secret = randomString(32)
		// The secret is 32 random bytes: a slow password hash would add
		// nothing but latency.
		h := sha256.Sum256([]byte(secret))
		sc.SecretHash = h[:]
	}
	raw, _ := json.Marshal(sc)
	if err := s.store.Put(ctx, bucketClients, sc.ID, raw, time.Time{}); err != nil {
		if storeDown(err) {
			s.writeUnavailable(w, "register client", err)
			return
		}
		s.log.Error("oauth store failed", "op", "register client", "error", err.Error())
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error", "error_description": "the client could not be saved"})
		return
	}
	s.log.Info("oauth client registered", "client_id", sc.ID, "name", sc.Name, "auth_method", sc.AuthMethod)
	out := map[string]any{
		"client_id":                  sc.ID,
		"client_id_issued_at":        sc.Created.Unix(),
		"redirect_uris":              sc.RedirectURIs,
		"grant_types":                sc.GrantTypes,
		"response_types":             sc.ResponseTypes,
		"token_endpoint_auth_method": sc.AuthMethod,
	}
	if sc.Name != "" {
		out["client_name"] = sc.Name
	}
	if len(sc.Scopes) > 0 {
		out["scope"] = strings.Join(sc.Scopes, " ")
	}
	if secret != "" {
		out["client_secret"] = secret
		out["client_secret_expires_at"] = 0
	}
	writeJSON(w, http.StatusCreated, out)
}

type regErr struct{ code, desc string }

func (e *regErr) Error() string { return e.code + ": " + e.desc }

func (s *Server) checkRegistration(req *registration) (*storedClient, error) {
	if len(req.RedirectURIs) == 0 {
		return nil, &regErr{"invalid_redirect_uri", "redirect_uris is required: list the exact URLs this client will receive codes at"}
	}
	if len(req.RedirectURIs) > maxRedirectURIs {
		return nil, &regErr{"invalid_redirect_uri", fmt.Sprintf("at most %d redirect_uris", maxRedirectURIs)}
	}
	for _, ru := range req.RedirectURIs {
		if err := checkRedirectURI(ru); err != nil {
			return nil, &regErr{"invalid_redirect_uri", err.Error()}
		}
	}
	if utf8.RuneCountInString(req.ClientName) > maxClientName {
		return nil, fmt.Errorf("client_name is longer than %d characters", maxClientName)
	}
	gt := req.GrantTypes
	if len(gt) == 0 {
		gt = []string{"authorization_code", "refresh_token"}
	}
	for _, g := range gt {
		if g != "authorization_code" && g != "refresh_token" {
			return nil, fmt.Errorf("grant_types: %q is not supported; use authorization_code and refresh_token", g)
		}
	}
	if !slices.Contains(gt, "authorization_code") {
		return nil, errors.New("grant_types must include authorization_code")
	}
	rt := req.ResponseTypes
	if len(rt) == 0 {
		rt = []string{"code"}
	}
	for _, t := range rt {
		if t != "code" {
			return nil, fmt.Errorf("response_types: %q is not supported; use code", t)
		}
	}
	am := req.TokenEndpointAuthMethod
	if am == "" {
		am = "client_secret_basic" // RFC 7591's default
	}
	switch am {
	case "none", "client_secret_basic", "client_secret_post":
	default:
		return nil, fmt.Errorf("token_endpoint_auth_method %q is not supported; use none, client_secret_basic or client_secret_post", am)
	}
	return &storedClient{
		ID: randomString(18), Name: strings.TrimSpace(req.ClientName),
		RedirectURIs: slices.Clone(req.RedirectURIs), GrantTypes: gt, ResponseTypes: rt,
		Scopes: strings.Fields(req.Scope), AuthMethod: am, Created: s.now(),
	}, nil
}

// checkRedirectURI accepts https, http on a loopback host (native apps,
// RFC 8252) and private-use schemes (vscode://, cursor://); never a
// fragment, and never plain http to another host.
func checkRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("redirect_uri %q is not an absolute URL", raw)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("redirect_uri %q must not have a fragment", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" {
			return fmt.Errorf("redirect_uri %q has no host", raw)
		}
	case "http":
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("redirect_uri %q: plain http is allowed only to localhost or a loopback address; use https", raw)
		}
	case "javascript", "data", "file", "vbscript":
		return fmt.Errorf("redirect_uri %q uses a scheme that cannot receive a code", raw)
	}
	return nil
}
