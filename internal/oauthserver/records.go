package oauthserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"
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

func (c *storedClient) public() bool { return c.AuthMethod == "none" }

func (c *storedClient) allows(grantType string) bool {
	for _, g := range c.GrantTypes {
		if g == grantType {
			return true
		}
	}
	return false
}

// Token kinds, as the expiry keys of a session (and, shortened, the
// prefixes of the tokens: ory_ac_, ory_at_, ory_rt_).
const (
	kindCode    = "authorize_code"
	kindAccess  = "access_token"
	kindRefresh = "refresh_token"
)

// session is what a code or token carries: whose grant (Subject) and
// when each kind of token expires. Its JSON is ory/fosite's DefaultSession,
// as earlier builds (on fosite) wrote it, so their sign-ins keep working.
type session struct {
	ExpiresAt map[string]time.Time `json:"expires_at"`
	Username  string               `json:"username"`
	Subject   string               `json:"subject"`
	Extra     map[string]any       `json:"extra"`
}

func (s *session) expiry(kind string) time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.ExpiresAt[kind]
}

// expired reports whether the kind's expiry is set and not after now.
func (s *session) expired(kind string, now time.Time) bool {
	exp := s.expiry(kind)
	return !exp.IsZero() && !now.Before(exp)
}

// storedRequest is a code, access or refresh token record, keyed by the
// token's signature. Its form keeps only the parameters later steps
// compare (never a code, token or verifier).
type storedRequest struct {
	ID                string     `json:"id"` // the grant's id, shared by its codes and tokens
	RequestedAt       time.Time  `json:"requested_at"`
	ClientID          string     `json:"client_id"`
	RequestedScope    []string   `json:"requested_scope,omitempty"`
	GrantedScope      []string   `json:"granted_scope,omitempty"`
	RequestedAudience []string   `json:"requested_audience,omitempty"`
	GrantedAudience   []string   `json:"granted_audience,omitempty"`
	Form              url.Values `json:"form,omitempty"`
	Session           *session   `json:"session"`
	Active            bool       `json:"active"`
	AccessSig         string     `json:"access_sig,omitempty"`
	// RotatedAt is when this refresh token was used (and retired): a use
	// of it within refreshRaceLeeway is a concurrent twin, not a replay.
	RotatedAt time.Time `json:"rotated_at,omitzero"`
}

// subject is the grant the record belongs to.
func (r *storedRequest) subject() string {
	if r.Session != nil && r.Session.Subject != "" {
		return r.Session.Subject
	}
	return r.ID
}

// keptForm are the authorization request parameters kept at rest.
var keptForm = []string{"redirect_uri", "code_challenge", "code_challenge_method", "resource"}

// records keeps clients, codes, access and refresh tokens over a Store,
// with the grant index (bucketByReq) that rotation and revocation walk.
type records struct {
	st   Store
	now  func() time.Time // nil = time.Now
	cimd *cimdFetcher     // client_id URLs (nil = none accepted)
}

func (f *records) clock() time.Time {
	if f.now == nil {
		return time.Now()
	}
	return f.now()
}

// refreshRaceLeeway: a refresh token presented again this soon after it
// was used is refused (invalid_grant) without ending the grant. Two
// replicas handed one refresh token at once (a client retrying, two tabs)
// both read it as active before either rotates it; the compare-and-swap
// in claimRefresh lets one win, and without the leeway the loser, if it
// read the token a moment after the winner retired it, would count as a
// replay and revoke the grant under the winner, leaving nobody signed in.
// Past the leeway, a replay revokes the grant (RFC 6819 5.2.2.3).
const refreshRaceLeeway = 10 * time.Second

// errRefreshRaced marks a refresh that lost to a concurrent use of the
// same refresh token.
var errRefreshRaced = errors.New("the refresh token was used by a concurrent request")

// errNoRecord: no live record under the signature.
var errNoRecord = errors.New("no such code or token")

// errRetired: the record was already inactive (a used code or refresh
// token), or lost a compare-and-swap to another request.
var errRetired = errors.New("the code or token was already used")

// client returns a registered client, or the one a client_id URL's
// metadata document describes; errUnknownClient if there is none.
func (f *records) client(ctx context.Context, id string) (*storedClient, error) {
	if id == "" {
		return nil, errUnknownClient
	}
	if f.cimd != nil && isCIMDClientID(id) {
		return f.cimd.client(ctx, id)
	}
	raw, err := f.st.Get(ctx, bucketClients, id)
	if errors.Is(err, ErrNotFound) {
		return nil, errUnknownClient
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

var errUnknownClient = errors.New("the client is not registered here")

// create stores a record under sig, indexed under its grant by kind
// ("a", "r"; "" = not indexed).
func (f *records) create(ctx context.Context, bucket, kind, sig string, s *storedRequest, exp time.Time) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := f.st.Put(ctx, bucket, sig, raw, exp); err != nil {
		return err
	}
	if kind != "" {
		return f.st.Put(ctx, bucketByReq, byReqKey(s.ID, kind, sig), nil, exp)
	}
	return nil
}

func byReqKey(requestID, kind, sig string) string { return requestID + "\x00" + kind + "\x00" + sig }

// load reads a record (errNoRecord if there is none) and its raw bytes.
func (f *records) load(ctx context.Context, bucket, sig string) (*storedRequest, []byte, error) {
	raw, err := f.st.Get(ctx, bucket, sig)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, errNoRecord
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

// retire compare-and-swaps an active record to inactive, with mark (if
// any) applied to it, atomic in every Store: of two concurrent callers
// (on any replicas), exactly one succeeds. A record already inactive, or
// still contended after five tries, answers errRetired; a missing one
// errNoRecord.
func (f *records) retire(ctx context.Context, bucket, sig string, mark func(*storedRequest)) error {
	for range 5 {
		s, raw, err := f.load(ctx, bucket, sig)
		if err != nil {
			return err
		}
		if !s.Active {
			return errRetired
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
			return errNoRecord
		}
		return err
	}
	return errRetired
}

// sigsOf lists the signatures of one kind issued for a grant.
func (f *records) sigsOf(ctx context.Context, requestID, kind string) ([]string, error) {
	prefix := requestID + "\x00" + kind + "\x00"
	var out []string
	err := f.st.Scan(ctx, bucketByReq, prefix, func(k string, _ []byte) bool {
		out = append(out, k[len(prefix):])
		return true
	})
	return out, err
}

// claimRefresh retires the refresh token being used, stamping when: of
// two requests that both read it as active, exactly one goes on to get
// new tokens and the other gets errRefreshRaced.
func (f *records) claimRefresh(ctx context.Context, sig string) error {
	err := f.retire(ctx, bucketRefresh, sig, func(s *storedRequest) { s.RotatedAt = f.clock() })
	if errors.Is(err, errRetired) {
		return fmt.Errorf("%w: %w", errRetired, errRefreshRaced)
	}
	return err
}

// retireRefresh retires every refresh token of the grant (kept, inactive,
// so that a replay is caught as reuse).
func (f *records) retireRefresh(ctx context.Context, requestID string) error {
	sigs, err := f.sigsOf(ctx, requestID, "r")
	if err != nil {
		return err
	}
	for _, sig := range sigs {
		err := f.retire(ctx, bucketRefresh, sig, nil)
		if err != nil && !errors.Is(err, errNoRecord) && !errors.Is(err, errRetired) {
			return err
		}
	}
	return nil
}

// revokeAccess deletes every access token of the grant.
func (f *records) revokeAccess(ctx context.Context, requestID string) error {
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

// endGrant ends a sign-in: its access tokens are deleted, its refresh
// tokens stop working and the grant (with its sealed ClickUp token) is
// deleted. It runs on revocation and when a used code or refresh token is
// presented again.
func (f *records) endGrant(ctx context.Context, requestID string) error {
	if err := f.revokeAccess(ctx, requestID); err != nil {
		return err
	}
	if err := f.retireRefresh(ctx, requestID); err != nil {
		return err
	}
	return f.st.Delete(ctx, bucketGrants, requestID)
}

// extendGrant makes the grant live as long as its newest token.
func (f *records) extendGrant(ctx context.Context, id string, exp time.Time) error {
	g, err := loadGrant(ctx, f.st, id)
	if err != nil {
		return err // a token for a grant that is gone must not be issued
	}
	if !exp.IsZero() && exp.After(g.Expires) {
		g.Expires = exp
	}
	return saveGrant(ctx, f.st, g)
}
