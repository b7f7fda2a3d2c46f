package oauthserver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clickup-mcp/clickup-mcp/internal/redisscript"
)

// ErrStoreUnavailable: the shared store (Redis) did not answer. The server
// answers 503 with a message rather than serve from anywhere else: a local
// fallback would split grants between replicas (a token issued on one is
// unknown on the others, a revocation reaches only one).
var ErrStoreUnavailable = errors.New("the OAuth store (Redis) is unreachable")

// RedisStore is the Store shared by replicas (--redis-url with --auth
// oauth). Each record is a string key with a Redis TTL, so Redis itself
// drops expired codes, tokens and grants; its value starts with its expiry
// (19 decimal digits of Unix nanoseconds, 0 = never) so that reads agree
// with the server's clock to the nanosecond. Two sorted sets per bucket
// index the keys: one by name (scores 0, for Scan's ZRANGEBYLEX) and one
// by expiry (for the sweep that keeps the first from growing).
//
// Keys are the same as in the bbolt store: HMAC signatures of tokens and
// codes, hashes of sign-in states, client and grant ids; never a token.
// All keys share the hash tag {oauth}, so the multi-key scripts stay in
// one slot.
type RedisStore struct {
	rdb     redis.UniversalClient
	base    string
	now     func() time.Time
	timeout time.Duration

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

var _ Store = (*RedisStore)(nil)

// RedisStoreOptions configure NewRedisStore.
type RedisStoreOptions struct {
	// Prefix starts every key (the replicas' prefix, "clickup-mcp:" by
	// default); the OAuth keys are under <prefix>{oauth}:.
	Prefix string
	// Now is the clock for expiry (nil = time.Now).
	Now func() time.Time
	// Timeout bounds one operation (default 3s).
	Timeout time.Duration
	// SweepEvery is how often index entries of expired records are
	// dropped (default ten minutes; negative = never, for tests).
	SweepEvery time.Duration
}

const (
	redisExpiryDigits     = 19
	defaultRedisTimeout   = 3 * time.Second
	redisScanPage         = 256
	redisSweepBatch       = 1000
	redisExpiryNeverValue = "0000000000000000000"
)

// NewRedisStore is a Store on rdb. The store closes rdb on Close. It does
// not talk to Redis until used: a Redis that is down at start makes every
// operation fail with ErrStoreUnavailable until it answers (see Ping).
func NewRedisStore(rdb redis.UniversalClient, o RedisStoreOptions) *RedisStore {
	if o.Prefix == "" {
		o.Prefix = "clickup-mcp:"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultRedisTimeout
	}
	s := &RedisStore{rdb: rdb, base: o.Prefix + "{oauth}:", now: o.Now, timeout: o.Timeout, stop: make(chan struct{})}
	every := o.SweepEvery
	if every == 0 {
		every = sweepEvery
	}
	if every > 0 {
		s.wg.Add(1)
		go s.sweeper(every)
	}
	return s
}

func (s *RedisStore) rec(bucket, key string) string { return s.base + "rec:" + bucket + ":" + key }
func (s *RedisStore) lex(bucket string) string      { return s.base + "lex:" + bucket }
func (s *RedisStore) exp(bucket string) string      { return s.base + "exp:" + bucket }

func knownBucket(b string) error {
	for _, k := range allBuckets {
		if k == b {
			return nil
		}
	}
	return fmt.Errorf("oauthserver: unknown bucket %q", b)
}

// op bounds one operation: not by the caller's context alone (a client
// that hangs up mid-rotation must not leave it half done) but by Timeout.
func (s *RedisStore) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
}

func unavailable(op string, err error) error {
	return fmt.Errorf("%w (%s: %v)", ErrStoreUnavailable, op, oneLine(err.Error()))
}

func oneLine(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return s[:i]
		}
	}
	return s
}

// Ping reports whether Redis answers.
func (s *RedisStore) Ping(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

func (s *RedisStore) header(expires time.Time) string {
	if expires.IsZero() {
		return redisExpiryNeverValue
	}
	return fmt.Sprintf("%0*d", redisExpiryDigits, expires.UnixNano())
}

func (s *RedisStore) nowHeader() string {
	return fmt.Sprintf("%0*d", redisExpiryDigits, s.now().UnixNano())
}

// live splits a stored value into its payload, or reports it expired (or
// not ours).
func (s *RedisStore) live(raw string) ([]byte, bool) {
	if len(raw) < redisExpiryDigits {
		return nil, false
	}
	h := raw[:redisExpiryDigits]
	if h != redisExpiryNeverValue && h <= s.nowHeader() {
		return nil, false
	}
	return []byte(raw[redisExpiryDigits:]), true
}

// Put stores val with a Redis TTL of what is left until expires; a record
// already past its expiry is deleted instead.
func (s *RedisStore) Put(ctx context.Context, bucket, key string, val []byte, expires time.Time) error {
	if err := knownBucket(bucket); err != nil {
		return err
	}
	var ttl time.Duration
	if !expires.IsZero() {
		ttl = expires.Sub(s.now())
		if ttl <= 0 {
			return s.Delete(ctx, bucket, key)
		}
		if ttl < time.Millisecond {
			ttl = time.Millisecond
		}
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.rec(bucket, key), s.header(expires)+string(val), ttl)
		p.ZAdd(ctx, s.lex(bucket), redis.Z{Score: 0, Member: key})
		p.ZAddArgs(ctx, s.exp(bucket), redis.ZAddArgs{Members: []redis.Z{{Score: scoreFloat(expires), Member: key}}})
		return nil
	})
	if err != nil {
		return unavailable("put", err)
	}
	return nil
}

func scoreFloat(expires time.Time) float64 {
	if expires.IsZero() {
		return math.Inf(1)
	}
	return float64(expires.UnixMilli())
}

func (s *RedisStore) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := knownBucket(bucket); err != nil {
		return nil, err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	raw, err := s.rdb.Get(ctx, s.rec(bucket, key)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, unavailable("get", err)
	}
	v, ok := s.live(raw)
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

// Take is GETDEL with the index entries, in one transaction: of two
// replicas taking one key, one gets it.
func (s *RedisStore) Take(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := knownBucket(bucket); err != nil {
		return nil, err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var got *redis.StringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		got = p.GetDel(ctx, s.rec(bucket, key))
		p.ZRem(ctx, s.lex(bucket), key)
		p.ZRem(ctx, s.exp(bucket), key)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, unavailable("take", err)
	}
	raw, err := got.Result()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, unavailable("take", err)
	}
	v, ok := s.live(raw)
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

// swapScript replaces the payload of KEYS[1] (keeping its expiry header
// and TTL) with ARGV[3] only if it is still ARGV[2] and not expired at
// ARGV[1]: 1 swapped, 0 not found, -1 changed.
var swapScript = redisscript.Script{Src: `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local h = string.sub(v, 1, 19)
if h ~= '0000000000000000000' and h <= ARGV[1] then return 0 end
if string.sub(v, 20) ~= ARGV[2] then return -1 end
redis.call('SET', KEYS[1], h .. ARGV[3], 'KEEPTTL')
return 1
`}

// Swap is a compare-and-swap in one Lua script, atomic across replicas:
// the refresh-token rotation and the one-time use of codes rest on it.
func (s *RedisStore) Swap(ctx context.Context, bucket, key string, old, replacement []byte) error {
	if err := knownBucket(bucket); err != nil {
		return err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	n, err := swapScript.Run(ctx, s.rdb, []string{s.rec(bucket, key)}, s.nowHeader(), string(old), string(replacement)).Int()
	if err != nil {
		return unavailable("swap", err)
	}
	switch n {
	case 1:
		return nil
	case 0:
		return ErrNotFound
	}
	return ErrConflict
}

func (s *RedisStore) Delete(ctx context.Context, bucket, key string) error {
	if err := knownBucket(bucket); err != nil {
		return err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.rec(bucket, key))
		p.ZRem(ctx, s.lex(bucket), key)
		p.ZRem(ctx, s.exp(bucket), key)
		return nil
	})
	if err != nil {
		return unavailable("delete", err)
	}
	return nil
}

// pruneScript drops index entries (ARGV) whose record (KEYS[3] .. member)
// is gone, checked inside the script so that a record stored meanwhile
// keeps its entry.
var pruneScript = redisscript.Script{Src: `
local n = 0
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[3] .. ARGV[i]) == 0 then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
`}

// Scan walks the bucket's name index from prefix in key order, a page at
// a time, reading the records with MGET; entries whose record Redis has
// expired are pruned on the way.
func (s *RedisStore) Scan(ctx context.Context, bucket, prefix string, fn func(key string, val []byte) bool) error {
	if err := knownBucket(bucket); err != nil {
		return err
	}
	lo, hi := "-", "+"
	if prefix != "" {
		lo = "[" + prefix
		if end, ok := prefixEnd(prefix); ok {
			hi = "(" + end
		}
	}
	for {
		page, err := func() ([]string, error) {
			c, cancel := s.op(ctx)
			defer cancel()
			return s.rdb.ZRangeByLex(c, s.lex(bucket), &redis.ZRangeBy{Min: lo, Max: hi, Count: redisScanPage}).Result()
		}()
		if err != nil {
			return unavailable("scan", err)
		}
		if len(page) == 0 {
			return nil
		}
		keys := make([]string, len(page))
		for i, k := range page {
			keys[i] = s.rec(bucket, k)
		}
		vals, err := func() ([]any, error) {
			c, cancel := s.op(ctx)
			defer cancel()
			return s.rdb.MGet(c, keys...).Result()
		}()
		if err != nil {
			return unavailable("scan", err)
		}
		var gone []any
		for i, k := range page {
			raw, ok := vals[i].(string)
			if !ok {
				gone = append(gone, k)
				continue
			}
			v, live := s.live(raw)
			if !live {
				continue
			}
			if !fn(k, v) {
				s.prune(ctx, bucket, gone)
				return nil
			}
		}
		s.prune(ctx, bucket, gone)
		if len(page) < redisScanPage {
			return nil
		}
		lo = "(" + page[len(page)-1]
	}
}

func (s *RedisStore) prune(ctx context.Context, bucket string, members []any) {
	if len(members) == 0 {
		return
	}
	c, cancel := s.op(ctx)
	defer cancel()
	_ = pruneScript.Run(c, s.rdb, []string{s.lex(bucket), s.exp(bucket), s.rec(bucket, "")}, members...).Err()
}

// prefixEnd is the smallest string above every string that starts with p.
func prefixEnd(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// sweepScript deletes, up to ARGV[2] at a time, the records whose expiry
// score (KEYS[2]) is at or before ARGV[1], with their index entries.
var sweepScript = redisscript.Script{Src: `
local m = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, k in ipairs(m) do
  redis.call('DEL', KEYS[3] .. k)
  redis.call('ZREM', KEYS[1], k)
  redis.call('ZREM', KEYS[2], k)
end
return #m
`}

// Sweep drops expired records and their index entries (Redis has dropped
// most records already; this keeps the indexes from growing).
func (s *RedisStore) Sweep(ctx context.Context) error {
	now := strconv.FormatInt(s.now().UnixMilli(), 10)
	for _, b := range allBuckets {
		for {
			c, cancel := s.op(ctx)
			n, err := sweepScript.Run(c, s.rdb, []string{s.lex(b), s.exp(b), s.rec(b, "")}, now, redisSweepBatch).Int()
			cancel()
			if err != nil {
				return unavailable("sweep", err)
			}
			if n < redisSweepBatch {
				break
			}
		}
	}
	return nil
}

func (s *RedisStore) sweeper(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_ = s.Sweep(context.Background())
		}
	}
}

// Close stops the sweeper and closes the Redis client.
func (s *RedisStore) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.wg.Wait()
		err = s.rdb.Close()
	})
	return err
}
