// Package replica shares state among replicas of the server through Redis:
// a token's ClickUp rate window (Window, a clickup.SharedWindow), the
// streamable-HTTP session registry (Sessions), cache invalidation (Bus) and
// the de-duplication memory of non-idempotent writes.
//
// Redis keys hold only SHA-256 hashes of tokens, session ids and identities,
// never the values. When Redis is unreachable every part keeps serving on
// local state, logs a warning once, counts the fallback in metrics
// (clickup_mcp_redis_up 0, clickup_mcp_shared_fallbacks_total) and takes the
// shared state up again when Redis answers; while it is down, calls skip
// Redis for a second at a time instead of each paying a timeout.
package replica

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"
)

// Options configure a Node.
type Options struct {
	// URL is the Redis URL: redis://[user:pass@]host:port[/db] or rediss://
	// for TLS (see go-redis' ParseURL).
	URL string
	// Prefix starts every key (default "clickup-mcp:"); replicas that share
	// state must use the same one.
	Prefix  string
	Metrics *metrics.Metrics
	Logger  zerolog.Logger
	// OpTimeout bounds one Redis operation (default 300ms): a slow Redis
	// must not stall ClickUp calls, which then go on local state.
	OpTimeout time.Duration
	// RetryAfter is how long Redis is left alone after a failure before
	// it is tried again (default 1s).
	RetryAfter time.Duration
	// Heartbeat is how often the replica reports itself (default 2s); a
	// replica not heard from for five heartbeats no longer counts.
	Heartbeat time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Node is one replica's connection to the shared state.
type Node struct {
	rdb     *redis.Client
	prefix  string
	id      string
	m       *metrics.Metrics
	log     zerolog.Logger
	opTO    time.Duration
	retry   time.Duration
	beat    time.Duration
	now     func() time.Time
	down    atomic.Bool
	retryAt atomic.Int64 // unix nanos before which Redis is not tried
	seen    atomic.Int64 // replicas seen recently, at least 1

	stop     context.CancelFunc
	wg       sync.WaitGroup
	closeOne sync.Once
}

// DefaultPrefix starts every key replicas share.
const DefaultPrefix = "clickup-mcp:"

// ErrDown is returned (wrapped) while Redis is considered unreachable.
var ErrDown = errors.New("shared state (Redis) unreachable")

// New connects to Redis. A URL that does not parse is an error; a Redis
// that does not answer is not: the node starts on local state, logs a
// warning and keeps trying.
func New(opts Options) (*Node, error) {
	if strings.TrimSpace(opts.URL) == "" {
		return nil, errors.New("replica: empty Redis URL")
	}
	ro, err := ParseURL(opts.URL)
	if err != nil {
		return nil, err
	}
	n := &Node{
		prefix: opts.Prefix, m: opts.Metrics, log: opts.Logger.With().Str("component", "replica").Logger(),
		opTO: opts.OpTimeout, retry: opts.RetryAfter, beat: opts.Heartbeat, now: opts.Now,
	}
	if n.prefix == "" {
		n.prefix = DefaultPrefix
	}
	if n.opTO <= 0 {
		n.opTO = 300 * time.Millisecond
	}
	if n.retry <= 0 {
		n.retry = time.Second
	}
	if n.beat <= 0 {
		n.beat = 2 * time.Second
	}
	if n.now == nil {
		n.now = time.Now
	}
	ro.DialTimeout = n.opTO
	ro.ReadTimeout = n.opTO
	ro.WriteTimeout = n.opTO
	ro.MaxRetries = 0 // a failed op falls back at once; the next one retries
	// One dial per op: go-redis' default of 5 dials 100ms apart made every
	// op during an outage cost half a second before falling back.
	ro.DialerRetries = 1
	ro.ContextTimeoutEnabled = true
	quietOnce.Do(func() { redis.SetLogger(redisLog{n.log}) })
	n.rdb = redis.NewClient(ro)
	var b [8]byte
	_, _ = rand.Read(b[:])
	n.id = hex.EncodeToString(b[:])
	n.seen.Store(1)
	n.m.RedisUp(true)

	ctx, cancel := context.WithCancel(context.Background())
	n.stop = cancel
	n.heartbeat(ctx) // the first one at once: it reports whether Redis is there
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		t := time.NewTicker(n.beat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				n.heartbeat(ctx)
			}
		}
	}()
	return n, nil
}

// ParseURL reads a Redis URL (--redis-url) into client options. Its errors
// never repeat the URL, which may carry a password.
func ParseURL(raw string) (*redis.Options, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("replica: empty Redis URL")
	}
	ro, err := redis.ParseURL(raw)
	if err != nil {
		// url.Parse's errors repeat the URL, password included: keep only
		// what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = errors.New("the URL does not parse")
		}
		return nil, fmt.Errorf("bad Redis URL (--redis-url, CLICKUP_MCP_REDIS_URL): %w; use redis://[user:password@]host:port[/db], rediss:// for TLS, or unix:///path", err)
	}
	return ro, nil
}

// Dial is a Redis client for state that must not fall back to local memory
// (the OAuth store): each operation is bounded by opTimeout and retried
// once on a broken connection, and go-redis' own logging is quiet.
func Dial(raw string, opTimeout time.Duration, log zerolog.Logger) (*redis.Client, error) {
	ro, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	ro.DialTimeout = opTimeout
	ro.ReadTimeout = opTimeout
	ro.WriteTimeout = opTimeout
	ro.MaxRetries = 1
	ro.DialerRetries = 1
	ro.ContextTimeoutEnabled = true
	quietOnce.Do(func() { redis.SetLogger(redisLog{log}) })
	return redis.NewClient(ro), nil
}

// Prefix is the key prefix replicas share (Options.Prefix).
func (n *Node) Prefix() string { return n.prefix }

// ID is this replica's random id (in logs and in the replicas set).
func (n *Node) ID() string { return n.id }

// Up reports whether Redis answered the last time it was asked.
func (n *Node) Up() bool { return !n.down.Load() }

// Replicas is how many replicas reported to Redis recently (at least 1);
// while Redis is down, the last count seen.
func (n *Node) Replicas() int { return int(n.seen.Load()) }

// Close stops the heartbeat, removes this replica from the set and closes
// the connection.
func (n *Node) Close() error {
	var err error
	n.closeOne.Do(func() {
		n.stop()
		n.wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), n.opTO)
		_ = n.rdb.ZRem(ctx, n.key("replicas"), n.id).Err()
		cancel()
		err = n.rdb.Close()
	})
	return err
}

func (n *Node) key(parts ...string) string { return n.prefix + strings.Join(parts, ":") }

// hashOf is the hex SHA-256 of s, the only form of a secret kept in Redis.
func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// do runs f against Redis unless Redis was found down less than RetryAfter
// ago, bounding it by OpTimeout and tracking health. redis.Nil is an answer,
// not a failure.
func (n *Node) do(ctx context.Context, op string, f func(ctx context.Context) error) error {
	if n.down.Load() && n.now().UnixNano() < n.retryAt.Load() {
		return ErrDown
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.opTO)
	defer cancel()
	err := f(ctx)
	if err == nil || errors.Is(err, redis.Nil) {
		n.markUp()
		return err
	}
	n.m.RedisError(op)
	n.markDown(op, err)
	return fmt.Errorf("%w: %s: %v", ErrDown, op, err)
}

func (n *Node) markDown(op string, err error) {
	n.retryAt.Store(n.now().Add(n.retry).UnixNano())
	if n.down.CompareAndSwap(false, true) {
		n.m.RedisUp(false)
		n.log.Warn().Str("op", op).Str("error", oneLine(err.Error())).
			Msg("Redis unreachable: serving on this replica's local state until it answers again (rate window share: limit / replicas seen)")
	}
}

func (n *Node) markUp() {
	if n.down.CompareAndSwap(true, false) {
		n.m.RedisUp(true)
		n.log.Info().Msg("Redis answers again: shared state resumed")
	}
}

// heartbeat reports this replica and counts those seen in the last five
// heartbeats.
func (n *Node) heartbeat(ctx context.Context) {
	now := n.now()
	var card int64
	err := n.do(ctx, "heartbeat", func(ctx context.Context) error {
		k := n.key("replicas")
		p := n.rdb.TxPipeline()
		p.ZAdd(ctx, k, redis.Z{Score: float64(now.UnixMilli()), Member: n.id})
		p.ZRemRangeByScore(ctx, k, "-inf", fmt.Sprint(now.Add(-5*n.beat).UnixMilli()))
		c := p.ZCard(ctx, k)
		p.PExpire(ctx, k, 10*n.beat)
		if _, err := p.Exec(ctx); err != nil {
			return err
		}
		card = c.Val()
		return nil
	})
	if err == nil && card > 0 {
		n.seen.Store(card)
		n.m.ReplicasSeen(int(card))
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// go-redis logs every failed dial to stderr; a Node warns once per outage
// itself, so go-redis' own lines go to the debug level (the logger of the
// first Node: go-redis has one, process-wide).
var quietOnce sync.Once

type redisLog struct{ l zerolog.Logger }

func (r redisLog) Printf(_ context.Context, format string, v ...any) {
	r.l.Debug().Msg(oneLine(fmt.Sprintf(format, v...)))
}
