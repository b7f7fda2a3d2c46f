package replica

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clickup-mcp/clickup-mcp/internal/redisscript"
)

// Dedupe is a shared key/value store with a time to live, per owner, for the
// de-duplication memory of non-idempotent writes (done answers, in-flight
// and unknown markers), so that the same create sent to two replicas is made
// once. It stores opaque bytes: writeguard's Store is a thin adapter over
// it (Entry to and from JSON). Redis keys hold hashes of the owner and the
// key only; the values are what the guard gives (answers may hold task
// names, never a token).
//
// While Redis is down it keeps entries in this replica's memory (bounded),
// so a retry that lands on the same replica is still guarded, and counts
// the fallback; a replica killed mid-write leaves its marker in Redis until
// its TTL.
type Dedupe struct {
	n *Node

	mu    sync.Mutex
	local map[string]localEntry
}

type localEntry struct {
	v       []byte
	expires time.Time
}

// maxLocalDedupe bounds the fallback memory.
const maxLocalDedupe = 50_000

// Dedupe returns the node's shared de-duplication store.
func (n *Node) Dedupe() *Dedupe { return &Dedupe{n: n, local: map[string]localEntry{}} }

func (d *Dedupe) key(owner, key string) string {
	return d.n.key("dedupe", "{"+hashOf("owner\x00"+owner)+"}", hashOf("key\x00"+key))
}

// putScript stores ARGV[1] for ARGV[2] ms unless a value is there, and
// returns {1, stored} or {0, present}.
var putScript = redisscript.Script{Src: `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ARGV[1]} end
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, ARGV[1]}
end
return {0, v}
`}

// Get returns the live value under (owner, key).
func (d *Dedupe) Get(ctx context.Context, owner, key string) ([]byte, bool, error) {
	var v []byte
	err := d.n.do(ctx, "dedupe_get", func(ctx context.Context) error {
		var err error
		v, err = d.n.rdb.Get(ctx, d.key(owner, key)).Bytes()
		return err
	})
	switch {
	case err == nil:
		return v, true, nil
	case errors.Is(err, redis.Nil):
		return d.getLocal(owner, key)
	}
	d.n.m.Fallback("dedupe")
	return d.getLocal(owner, key)
}

// PutIfAbsent stores v unless a live value is there; it returns the value
// present (v when stored) and whether v was stored.
func (d *Dedupe) PutIfAbsent(ctx context.Context, owner, key string, v []byte, ttl time.Duration) ([]byte, bool, error) {
	var res []any
	err := d.n.do(ctx, "dedupe_put", func(ctx context.Context) error {
		var err error
		res, err = putScript.Run(ctx, d.n.rdb, []string{d.key(owner, key)}, v, max(ttl.Milliseconds(), 1)).Slice()
		return err
	})
	if err == nil && len(res) == 2 {
		stored, _ := res[0].(int64)
		s, _ := res[1].(string)
		return []byte(s), stored == 1, nil
	}
	d.n.m.Fallback("dedupe")
	return d.putLocal(owner, key, v, ttl)
}

// Resolve replaces the value under (owner, key) with v, or deletes it when
// v is nil.
func (d *Dedupe) Resolve(ctx context.Context, owner, key string, v []byte, ttl time.Duration) error {
	d.resolveLocal(owner, key, v, ttl) // a fallback entry must not outlive its resolution
	err := d.n.do(ctx, "dedupe_resolve", func(ctx context.Context) error {
		if v == nil {
			return d.n.rdb.Del(ctx, d.key(owner, key)).Err()
		}
		return d.n.rdb.Set(ctx, d.key(owner, key), v, max(ttl, time.Millisecond)).Err()
	})
	if err != nil {
		d.n.m.Fallback("dedupe")
	}
	return nil
}

func (d *Dedupe) getLocal(owner, key string) ([]byte, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.local[d.key(owner, key)]
	if !ok || !d.n.now().Before(e.expires) {
		return nil, false, nil
	}
	return e.v, true, nil
}

func (d *Dedupe) putLocal(owner, key string, v []byte, ttl time.Duration) ([]byte, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, now := d.key(owner, key), d.n.now()
	if e, ok := d.local[k]; ok && now.Before(e.expires) {
		return e.v, false, nil
	}
	if len(d.local) >= maxLocalDedupe {
		for lk, e := range d.local {
			if !now.Before(e.expires) {
				delete(d.local, lk)
			}
		}
		for lk := range d.local { // still full: drop one, as a bounded cache does
			if len(d.local) < maxLocalDedupe {
				break
			}
			delete(d.local, lk)
		}
	}
	d.local[k] = localEntry{v: v, expires: now.Add(ttl)}
	return v, true, nil
}

func (d *Dedupe) resolveLocal(owner, key string, v []byte, ttl time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := d.key(owner, key)
	if _, ok := d.local[k]; !ok {
		return
	}
	if v == nil {
		delete(d.local, k)
		return
	}
	d.local[k] = localEntry{v: v, expires: d.n.now().Add(ttl)}
}
