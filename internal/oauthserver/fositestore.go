package oauthserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ory/fosite"
)

// storedClient is a dynamically registered client (RFC 7591).
type storedClient struct {
	ID            string    `json:"id"`
	SecretHash    []byte    `json:"secret_hash,omitempty"` // SHA-256 of the secret; nil for public clients
	Name          string    `json:"name,omitempty"`
	RedirectURIs  []string  `json:"redirect_uris"`
	GrantTypes    []string  `json:"grant_types"`
	ResponseTypes []string  `json:"response_types"`
	Scopes        []string  `json:"scopes,omitempty"`
	AuthMethod    string    `json:"auth_method"`
	Created       time.Time `json:"created"`
}

// client is what fosite sees of a storedClient.
type client struct {
	fosite.DefaultClient
	name       string
	authMethod string
}

func (c *client) GetTokenEndpointAuthMethod() string { return c.authMethod }

func (s *storedClient) fosite(audience []string) *client {
	return &client{
		DefaultClient: fosite.DefaultClient{
			ID:            s.ID,
			Secret:        s.SecretHash,
			RedirectURIs:  s.RedirectURIs,
			GrantTypes:    s.GrantTypes,
			ResponseTypes: s.ResponseTypes,
			Scopes:        s.Scopes,
			Audience:      audience,
			Public:        s.AuthMethod == "none",
		},
		name:       s.Name,
		authMethod: s.AuthMethod,
	}
}

// storedRequest is a fosite request at rest. Its form keeps only the
// parameters later steps compare (never a code, token or verifier).
type storedRequest struct {
	ID                string                 `json:"id"`
	RequestedAt       time.Time              `json:"requested_at"`
	ClientID          string                 `json:"client_id"`
	RequestedScope    []string               `json:"requested_scope,omitempty"`
	GrantedScope      []string               `json:"granted_scope,omitempty"`
	RequestedAudience []string               `json:"requested_audience,omitempty"`
	GrantedAudience   []string               `json:"granted_audience,omitempty"`
	Form              url.Values             `json:"form,omitempty"`
	Session           *fosite.DefaultSession `json:"session"`
	Active            bool                   `json:"active"`
	AccessSig         string                 `json:"access_sig,omitempty"`
	// RotatedAt is when this refresh token was used (and retired): a use
	// of it within refreshRaceLeeway is a concurrent twin, not a replay.
	RotatedAt time.Time `json:"rotated_at,omitzero"`
}

// keptForm are the request parameters kept at rest.
var keptForm = []string{"redirect_uri", "code_challenge", "code_challenge_method", "resource"}

// fositeStore implements fosite's storage interfaces (clients, codes,
// PKCE, access and refresh tokens, revocation) over a Store.
type fositeStore struct {
	st       Store
	audience []string
	now      func() time.Time // nil = time.Now
	cimd     *cimdFetcher     // client_id URLs (nil = none accepted)
}

func (f *fositeStore) clock() time.Time {
	if f.now == nil {
		return time.Now()
	}
	return f.now()
}

// refreshRaceLeeway: a refresh token presented again this soon after it
// was used is refused (invalid_grant) without ending the grant. Two
// replicas handed one refresh token at once (a client retrying, two tabs)
// both read it as active before either rotates it; the compare-and-swap
// in RotateRefreshToken lets one win, and without the leeway the loser,
// if it read the token a moment after the winner retired it, would count
// as a replay and revoke the grant under the winner, leaving nobody
// signed in. Past the leeway, a replay revokes the grant (RFC 6819
// 5.2.2.3), as before.
const refreshRaceLeeway = 10 * time.Second

// errRefreshRaced marks a refresh that lost to a concurrent use of the
// same refresh token.
var errRefreshRaced = errors.New("the refresh token was used by a concurrent request")

func (f *fositeStore) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	if f.cimd != nil && isCIMDClientID(id) {
		c, err := f.cimd.client(ctx, id)
		if err != nil {
			return nil, err
		}
		return c.fosite(f.audience), nil
	}
	c, err := f.loadClient(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.fosite(f.audience), nil
}

func (f *fositeStore) loadClient(ctx context.Context, id string) (*storedClient, error) {
	raw, err := f.st.Get(ctx, bucketClients, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var c storedClient
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("client record %s: %w", id, err)
	}
	return &c, nil
}

func (f *fositeStore) ClientAssertionJWTValid(context.Context, string) error {
	return fosite.ErrJTIKnown // assertion-based client auth is not offered
}

func (f *fositeStore) SetClientAssertionJWT(context.Context, string, time.Time) error { return nil }

func toStored(r fosite.Requester) (*storedRequest, error) {
	sess, ok := r.GetSession().(*fosite.DefaultSession)
	if !ok {
		return nil, fmt.Errorf("unexpected session type %T", r.GetSession())
	}
	form := url.Values{}
	for _, k := range keptForm {
		if v, ok := r.GetRequestForm()[k]; ok {
			form[k] = v
		}
	}
	return &storedRequest{
		ID: r.GetID(), RequestedAt: r.GetRequestedAt(), ClientID: r.GetClient().GetID(),
		RequestedScope: r.GetRequestedScopes(), GrantedScope: r.GetGrantedScopes(),
		RequestedAudience: r.GetRequestedAudience(), GrantedAudience: r.GetGrantedAudience(),
		Form: form, Session: sess, Active: true,
	}, nil
}

func (f *fositeStore) fromStored(ctx context.Context, s *storedRequest, into fosite.Session) (fosite.Requester, error) {
	c, err := f.GetClient(ctx, s.ClientID)
	if err != nil {
		return nil, err
	}
	// The stored session is returned as its own value; the one fosite
	// passes in is left alone (as fosite's memory store does). Copying
	// into it would let a later lookup (PKCE) overwrite the expiry that
	// the token handler has just set on the request's session.
	_ = into
	var sess fosite.Session = s.Session
	if s.Session == nil {
		sess = &fosite.DefaultSession{}
	}
	return &fosite.Request{
		ID: s.ID, RequestedAt: s.RequestedAt, Client: c,
		RequestedScope: s.RequestedScope, GrantedScope: s.GrantedScope,
		RequestedAudience: s.RequestedAudience, GrantedAudience: s.GrantedAudience,
		Form: s.Form, Session: sess,
	}, nil
}

func expiryOf(r fosite.Requester, t fosite.TokenType) time.Time {
	if s := r.GetSession(); s != nil {
		return s.GetExpiresAt(t)
	}
	return time.Time{}
}

func (f *fositeStore) create(ctx context.Context, bucket, kind, sig string, r fosite.Requester, exp time.Time, accessSig string) error {
	s, err := toStored(r)
	if err != nil {
		return err
	}
	s.AccessSig = accessSig
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := f.st.Put(ctx, bucket, sig, raw, exp); err != nil {
		return err
	}
	if kind != "" {
		return f.st.Put(ctx, bucketByReq, byReqKey(r.GetID(), kind, sig), nil, exp)
	}
	return nil
}

func byReqKey(requestID, kind, sig string) string { return requestID + "\x00" + kind + "\x00" + sig }

func (f *fositeStore) load(ctx context.Context, bucket, sig string) (*storedRequest, []byte, error) {
	raw, err := f.st.Get(ctx, bucket, sig)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	var s storedRequest
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, nil, fmt.Errorf("%s record: %w", bucket, err)
	}
	return &s, raw, nil
}

// get loads a record of any kind and rebuilds its request.
func (f *fositeStore) get(ctx context.Context, bucket, sig string, into fosite.Session) (*storedRequest, fosite.Requester, error) {
	s, _, err := f.load(ctx, bucket, sig)
	if err != nil {
		return nil, nil, err
	}
	r, err := f.fromStored(ctx, s, into)
	if err != nil {
		return nil, nil, err
	}
	return s, r, nil
}

// deactivate marks a record inactive; of two concurrent callers, one wins
// and the other gets ErrInvalidatedAuthorizeCode / ErrInactiveToken.
func (f *fositeStore) deactivate(ctx context.Context, bucket, sig string, inactive error) error {
	return f.retire(ctx, bucket, sig, nil, inactive)
}

// retire compare-and-swaps an active record to inactive, with mark (if
// any) applied to it, atomic in every Store; a record already inactive, or
// still contended after five tries, answers inactive.
func (f *fositeStore) retire(ctx context.Context, bucket, sig string, mark func(*storedRequest), inactive error) error {
	for range 5 {
		s, raw, err := f.load(ctx, bucket, sig)
		if err != nil {
			return err
		}
		if !s.Active {
			return inactive
		}
		s.Active = false
		if mark != nil {
			mark(s)
		}
		next, err := json.Marshal(s)
		if err != nil {
			return err
		}
		err = f.st.Swap(ctx, bucket, sig, raw, next)
		switch {
		case errors.Is(err, ErrConflict):
			continue
		case errors.Is(err, ErrNotFound):
			return fosite.ErrNotFound
		}
		return err
	}
	return inactive
}

// Authorization codes.

func (f *fositeStore) CreateAuthorizeCodeSession(ctx context.Context, sig string, r fosite.Requester) error {
	return f.create(ctx, bucketCodes, "", sig, r, expiryOf(r, fosite.AuthorizeCode), "")
}

func (f *fositeStore) GetAuthorizeCodeSession(ctx context.Context, sig string, into fosite.Session) (fosite.Requester, error) {
	s, r, err := f.get(ctx, bucketCodes, sig, into)
	if err != nil {
		return nil, err
	}
	if !s.Active {
		return r, fosite.ErrInvalidatedAuthorizeCode
	}
	return r, nil
}

func (f *fositeStore) InvalidateAuthorizeCodeSession(ctx context.Context, sig string) error {
	return f.deactivate(ctx, bucketCodes, sig, fosite.ErrInvalidatedAuthorizeCode)
}

// PKCE.

func (f *fositeStore) CreatePKCERequestSession(ctx context.Context, sig string, r fosite.Requester) error {
	return f.create(ctx, bucketPKCE, "", sig, r, expiryOf(r, fosite.AuthorizeCode), "")
}

func (f *fositeStore) GetPKCERequestSession(ctx context.Context, sig string, into fosite.Session) (fosite.Requester, error) {
	_, r, err := f.get(ctx, bucketPKCE, sig, into)
	return r, err
}

func (f *fositeStore) DeletePKCERequestSession(ctx context.Context, sig string) error {
	return f.st.Delete(ctx, bucketPKCE, sig)
}

// Access tokens.

func (f *fositeStore) CreateAccessTokenSession(ctx context.Context, sig string, r fosite.Requester) error {
	exp := expiryOf(r, fosite.AccessToken)
	if err := f.create(ctx, bucketAccess, "a", sig, r, exp, ""); err != nil {
		return err
	}
	return f.extendGrant(ctx, r.GetID(), exp)
}

func (f *fositeStore) GetAccessTokenSession(ctx context.Context, sig string, into fosite.Session) (fosite.Requester, error) {
	_, r, err := f.get(ctx, bucketAccess, sig, into)
	return r, err
}

func (f *fositeStore) DeleteAccessTokenSession(ctx context.Context, sig string) error {
	return f.st.Delete(ctx, bucketAccess, sig)
}

// Refresh tokens.

func (f *fositeStore) CreateRefreshTokenSession(ctx context.Context, sig, accessSig string, r fosite.Requester) error {
	exp := expiryOf(r, fosite.RefreshToken)
	if err := f.create(ctx, bucketRefresh, "r", sig, r, exp, accessSig); err != nil {
		return err
	}
	// The grant lives as long as its newest refresh token.
	return f.extendGrant(ctx, r.GetID(), exp)
}

func (f *fositeStore) GetRefreshTokenSession(ctx context.Context, sig string, into fosite.Session) (fosite.Requester, error) {
	s, r, err := f.get(ctx, bucketRefresh, sig, into)
	if err != nil {
		return nil, err
	}
	if !s.Active {
		if !s.RotatedAt.IsZero() && f.clock().Sub(s.RotatedAt) < refreshRaceLeeway {
			// fosite answers ErrNotFound with invalid_grant, and does
			// not revoke; the token handler says why.
			return nil, fmt.Errorf("%w: %w", fosite.ErrNotFound, errRefreshRaced)
		}
		return r, fosite.ErrInactiveToken
	}
	return r, nil
}

func (f *fositeStore) DeleteRefreshTokenSession(ctx context.Context, sig string) error {
	return f.st.Delete(ctx, bucketRefresh, sig)
}

// sigsOf lists the signatures of one kind issued for a request (grant).
func (f *fositeStore) sigsOf(ctx context.Context, requestID, kind string) ([]string, error) {
	prefix := requestID + "\x00" + kind + "\x00"
	var out []string
	err := f.st.Scan(ctx, bucketByReq, prefix, func(k string, _ []byte) bool {
		out = append(out, k[len(prefix):])
		return true
	})
	return out, err
}

// RotateRefreshToken first claims the refresh token being used: a
// compare-and-swap from active to inactive, atomic in every Store, so of
// two requests (on any replicas) that both read it as active, exactly one
// goes on to get new tokens and the other gets ErrSerializationFailure.
// Then it retires every other refresh token of the grant (kept, inactive,
// so that a replay is caught as reuse) and its access tokens.
func (f *fositeStore) RotateRefreshToken(ctx context.Context, requestID, sig string) error {
	if err := f.claimRefresh(ctx, sig); err != nil {
		return err
	}
	if err := f.retireRefresh(ctx, requestID); err != nil {
		return err
	}
	return f.RevokeAccessToken(ctx, requestID)
}

func (f *fositeStore) claimRefresh(ctx context.Context, sig string) error {
	return f.retire(ctx, bucketRefresh, sig, func(s *storedRequest) { s.RotatedAt = f.clock() },
		fmt.Errorf("%w: %w", fosite.ErrSerializationFailure, errRefreshRaced))
}

func (f *fositeStore) retireRefresh(ctx context.Context, requestID string) error {
	sigs, err := f.sigsOf(ctx, requestID, "r")
	if err != nil {
		return err
	}
	for _, sig := range sigs {
		err := f.deactivate(ctx, bucketRefresh, sig, nil)
		if err != nil && !errors.Is(err, fosite.ErrNotFound) {
			return err
		}
	}
	return nil
}

// RevokeRefreshToken ends the grant: its refresh tokens stop working and
// the grant (with its sealed ClickUp token) is deleted. fosite calls it on
// revocation and when a used refresh token or code is replayed.
func (f *fositeStore) RevokeRefreshToken(ctx context.Context, requestID string) error {
	if err := f.retireRefresh(ctx, requestID); err != nil {
		return err
	}
	return f.st.Delete(ctx, bucketGrants, requestID)
}

// RevokeAccessToken deletes every access token of the grant.
func (f *fositeStore) RevokeAccessToken(ctx context.Context, requestID string) error {
	sigs, err := f.sigsOf(ctx, requestID, "a")
	if err != nil {
		return err
	}
	for _, sig := range sigs {
		if err := f.st.Delete(ctx, bucketAccess, sig); err != nil {
			return err
		}
		if err := f.st.Delete(ctx, bucketByReq, byReqKey(requestID, "a", sig)); err != nil {
			return err
		}
	}
	return nil
}

func (f *fositeStore) extendGrant(ctx context.Context, id string, exp time.Time) error {

	g, err := loadGrant(ctx, f.st, id)
	if err != nil {
		return err // a refresh token for a grant that is gone must not be issued
	}
	if !exp.IsZero() && exp.After(g.Expires) {
		g.Expires = exp
	}
	return saveGrant(ctx, f.st, g)
}
