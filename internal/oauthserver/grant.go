package oauthserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Workspace is a ClickUp Workspace a grant may use.
type Workspace struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// GrantInfo describes one sign-in: which MCP client, which ClickUp user,
// which Workspaces that user authorized. It never holds a token.
type GrantInfo struct {
	ID         string      `json:"id"`
	ClientID   string      `json:"client_id"`
	ClientName string      `json:"client_name,omitempty"`
	UserID     int64       `json:"user_id"`
	Username   string      `json:"username,omitempty"`
	Email      string      `json:"email,omitempty"`
	Workspaces []Workspace `json:"workspaces"`
	Scopes     []string    `json:"scopes,omitempty"`
	Created    time.Time   `json:"created"`
	// Expires is when the newest refresh token expires: after that, the
	// client must sign in again.
	Expires time.Time `json:"expires"`
}

// grant is a GrantInfo at rest with its sealed ClickUp token.
type grant struct {
	GrantInfo
	Sealed []byte `json:"sealed"`
}

func loadGrant(ctx context.Context, st Store, id string) (*grant, error) {
	raw, err := st.Get(ctx, bucketGrants, id)
	if err != nil {
		return nil, err
	}
	var g grant
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("grant record: %w", err)
	}
	return &g, nil
}

func saveGrant(ctx context.Context, st Store, g *grant) error {
	raw, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return st.Put(ctx, bucketGrants, g.ID, raw, g.Expires)
}

// listGrants returns every live grant, oldest first.
func listGrants(ctx context.Context, st Store) ([]GrantInfo, error) {
	var out []GrantInfo
	var bad error
	err := st.Scan(ctx, bucketGrants, "", func(_ string, raw []byte) bool {
		var g grant
		if err := json.Unmarshal(raw, &g); err != nil {
			bad = fmt.Errorf("grant record: %w", err)
			return false
		}
		out = append(out, g.GrantInfo)
		return true
	})
	if err == nil {
		err = bad
	}
	sortGrants(out)
	return out, err
}

// ErrNoGrant: no sign-in has that id (revoked, expired, or mistyped).
var ErrNoGrant = errors.New("no such sign-in")

// revokeGrant ends a sign-in: its tokens stop working at once and its
// ClickUp token is deleted.
func revokeGrant(ctx context.Context, recs *records, id string) error {
	if _, err := loadGrant(ctx, recs.st, id); errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %q (list them with `clickup-mcp auth sessions`)", ErrNoGrant, id)
	} else if err != nil {
		return err
	}
	return recs.endGrant(ctx, id)
}
