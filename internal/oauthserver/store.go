package oauthserver

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Store is where the server keeps clients, grants and token records. It is
// a small key-value interface with two implementations: BoltStore, the
// embedded default, and RedisStore, shared by replicas (SET with PX, GETDEL,
// a Lua compare-and-swap, sorted-set indexes for Scan). Keys are opaque strings within a bucket; values are opaque
// bytes. A record past its expiry is gone: Get, Take and Scan never return
// it. The zero expiry means "never".
//
// Nothing secret is handed to a Store in the clear: token records are keyed
// by HMAC signatures of the tokens, and ClickUp tokens are sealed with
// AES-GCM before they are stored.
type Store interface {
	// Put stores val under key, replacing any value.
	Put(ctx context.Context, bucket, key string, val []byte, expires time.Time) error
	// Get returns the value, or ErrNotFound.
	Get(ctx context.Context, bucket, key string) ([]byte, error)
	// Take returns the value and deletes it in one step, or ErrNotFound:
	// of two callers taking one key, only one gets it.
	Take(ctx context.Context, bucket, key string) ([]byte, error)
	// Swap replaces old with new (keeping the expiry) only if the stored
	// value is still old; otherwise ErrConflict (or ErrNotFound).
	Swap(ctx context.Context, bucket, key string, old, replacement []byte) error
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, bucket, key string) error
	// Scan calls fn for each live record whose key starts with prefix,
	// in key order, until fn returns false.
	Scan(ctx context.Context, bucket, prefix string, fn func(key string, val []byte) bool) error
	Close() error
}

var (
	// ErrNotFound: no live record under the key.
	ErrNotFound = errors.New("oauthserver: not found")
	// ErrConflict: the record changed under a Swap.
	ErrConflict = errors.New("oauthserver: record changed concurrently")
)

// Buckets the server uses.
const (
	bucketClients  = "clients"
	bucketGrants   = "grants"
	bucketPending  = "pending"
	bucketCodes    = "codes"
	bucketPKCE     = "pkce" // fosite's PKCE records, no longer written; kept so that older files open
	bucketAccess   = "access"
	bucketRefresh  = "refresh"
	bucketByReq    = "byreq" // requestID \x00 kind \x00 signature -> ""
	sweepEvery     = 10 * time.Minute
	boltOpenWait   = 2 * time.Second
	boltFileMode   = 0o600
	expiryHdrBytes = 8
)

var allBuckets = []string{bucketClients, bucketGrants, bucketPending, bucketCodes, bucketPKCE, bucketAccess, bucketRefresh, bucketByReq}

// BoltStore is the default Store: one bbolt file, surviving restarts.
// Each value is prefixed with its expiry (Unix nanoseconds, 0 = never);
// expired records are skipped on read and swept every ten minutes.
type BoltStore struct {
	db   *bolt.DB
	now  func() time.Time
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// ErrStoreBusy: another process (a running server) holds the store file.
var ErrStoreBusy = errors.New("the OAuth store file is in use by another clickup-mcp process")

// OpenBoltStore opens (creating if needed, mode 0600) the bbolt file at
// path. now is the clock for expiry (nil = time.Now). bbolt locks the file:
// a second process gets ErrStoreBusy after a short wait.
func OpenBoltStore(path string, now func() time.Time) (*BoltStore, error) {
	if path == "" {
		return nil, errors.New("oauthserver: no store path")
	}
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the directory of the OAuth store %s: %w", path, err)
	}
	db, err := bolt.Open(path, boltFileMode, &bolt.Options{Timeout: boltOpenWait})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w (%s): stop that server first, or point this one at another file", ErrStoreBusy, path)
		}
		return nil, fmt.Errorf("opening the OAuth store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("preparing the OAuth store %s: %w", path, err)
	}
	s := &BoltStore{db: db, now: now, stop: make(chan struct{})}
	_ = s.Sweep()
	s.wg.Add(1)
	go s.sweeper()
	return s, nil
}

func (s *BoltStore) sweeper() {
	defer s.wg.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_ = s.Sweep()
		}
	}
}

// Sweep deletes every expired record.
func (s *BoltStore) Sweep() error {
	now := s.now().UnixNano()
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			b := tx.Bucket([]byte(name))
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if expired(v, now) {
					if err := c.Delete(); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// Count is the number of live records in bucket (for tests and listings).
func (s *BoltStore) Count(bucket string) (int, error) {
	n := 0
	err := s.Scan(context.Background(), bucket, "", func(string, []byte) bool { n++; return true })
	return n, err
}

func (s *BoltStore) Close() error {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
	return s.db.Close()
}

func encode(val []byte, expires time.Time) []byte {
	out := make([]byte, expiryHdrBytes+len(val))
	var ns int64
	if !expires.IsZero() {
		ns = expires.UnixNano()
	}
	binary.BigEndian.PutUint64(out, uint64(ns)) //nolint:gosec // G115: the bits of a time, decoded back as int64 in expired
	copy(out[expiryHdrBytes:], val)
	return out
}

func expired(raw []byte, now int64) bool {
	if len(raw) < expiryHdrBytes {
		return true // not ours: treat as garbage
	}
	ns := int64(binary.BigEndian.Uint64(raw)) //nolint:gosec // G115: the int64 encode wrote
	return ns != 0 && ns <= now
}

func payload(raw []byte) []byte { return bytes.Clone(raw[expiryHdrBytes:]) }

func bucketOf(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	b := tx.Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("oauthserver: unknown bucket %q", name)
	}
	return b, nil
}

func (s *BoltStore) Put(_ context.Context, bucket, key string, val []byte, expires time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), encode(val, expires))
	})
}

func (s *BoltStore) Get(_ context.Context, bucket, key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil || expired(raw, s.now().UnixNano()) {
			return ErrNotFound
		}
		out = payload(raw)
		return nil
	})
	return out, err
}

func (s *BoltStore) Take(_ context.Context, bucket, key string) ([]byte, error) {
	var out []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return ErrNotFound
		}
		live := !expired(raw, s.now().UnixNano())
		if live {
			out = payload(raw)
		}
		if err := b.Delete([]byte(key)); err != nil {
			return err
		}
		if !live {
			return ErrNotFound
		}
		return nil
	})
	return out, err
}

func (s *BoltStore) Swap(_ context.Context, bucket, key string, old, replacement []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil || expired(raw, s.now().UnixNano()) {
			return ErrNotFound
		}
		if !bytes.Equal(raw[expiryHdrBytes:], old) {
			return ErrConflict
		}
		out := make([]byte, expiryHdrBytes+len(replacement))
		copy(out, raw[:expiryHdrBytes])
		copy(out[expiryHdrBytes:], replacement)
		return b.Put([]byte(key), out)
	})
}

func (s *BoltStore) Delete(_ context.Context, bucket, key string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
}

func (s *BoltStore) Scan(_ context.Context, bucket, prefix string, fn func(key string, val []byte) bool) error {
	now := s.now().UnixNano()
	return s.db.View(func(tx *bolt.Tx) error {
		b, err := bucketOf(tx, bucket)
		if err != nil {
			return err
		}
		c := b.Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if expired(v, now) {
				continue
			}
			if !fn(string(k), payload(v)) {
				return nil
			}
		}
		return nil
	})
}
