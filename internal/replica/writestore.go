package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// WriteStore is the write guard's Store on this node's Dedupe: the guard's
// pending, done, unknown and claim records are shared by every replica, so
// the same create sent to two replicas is sent to ClickUp once. Entries are
// kept as JSON; while Redis is down the Dedupe's bounded local memory
// serves (see Dedupe).
type WriteStore struct{ d *Dedupe }

// WriteStore returns the node's shared writeguard.Store.
func (n *Node) WriteStore() *WriteStore { return &WriteStore{d: n.Dedupe()} }

var _ writeguard.Store = (*WriteStore)(nil)

func decodeEntry(b []byte) (writeguard.Entry, error) {
	var e writeguard.Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return writeguard.Entry{}, fmt.Errorf("write guard record in Redis is unreadable: %w", err)
	}
	return e, nil
}

// Get returns the live entry under key, if any.
func (s *WriteStore) Get(ctx context.Context, owner, key string) (writeguard.Entry, bool, error) {
	b, ok, err := s.d.Get(ctx, owner, key)
	if err != nil || !ok {
		return writeguard.Entry{}, false, err
	}
	e, err := decodeEntry(b)
	if err != nil {
		return writeguard.Entry{}, false, err
	}
	return e, true, nil
}

// PutIfAbsent stores e unless a live entry is there; it returns the entry
// present (e when stored) and whether e was stored.
func (s *WriteStore) PutIfAbsent(ctx context.Context, owner, key string, e writeguard.Entry, ttl time.Duration) (writeguard.Entry, bool, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return writeguard.Entry{}, false, err
	}
	got, stored, err := s.d.PutIfAbsent(ctx, owner, key, b, ttl)
	if err != nil {
		return writeguard.Entry{}, false, err
	}
	if stored {
		return e, true, nil
	}
	cur, err := decodeEntry(got)
	if err != nil {
		return writeguard.Entry{}, false, err
	}
	return cur, false, nil
}

// Resolve replaces the entry under key with e, or deletes it when e is nil.
func (s *WriteStore) Resolve(ctx context.Context, owner, key string, e *writeguard.Entry, ttl time.Duration) error {
	if e == nil {
		return s.d.Resolve(ctx, owner, key, nil, ttl)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return s.d.Resolve(ctx, owner, key, b, ttl)
}
