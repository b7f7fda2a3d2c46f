package replica

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
)

// Invalidation says which cached knowledge a write made stale. It carries
// ids only: no token, no names, no content.
type Invalidation struct {
	// Origin is the replica that wrote; it has invalidated its own caches
	// already and skips its own messages.
	Origin string `json:"origin"`
	// Workspace is the workspace (team) id written in, "" if unknown.
	Workspace string `json:"workspace,omitempty"`
	// Lists are lists whose cached contents or task counts are stale.
	Lists []string `json:"lists,omitempty"`
	// Hierarchy marks the workspace's space/folder/list tree stale.
	Hierarchy bool `json:"hierarchy,omitempty"`
	// All means every cache may be stale: messages may have been missed
	// (the subscription was broken) and nothing can say which.
	All bool `json:"all,omitempty"`
}

// Bus carries invalidations between replicas on a Redis channel.
type Bus struct {
	n  *Node
	ch string
}

// Bus returns the node's invalidation bus.
func (n *Node) Bus() *Bus { return &Bus{n: n, ch: n.key("invalidate")} }

// Publish tells the other replicas; a failure (Redis down) is returned and
// counted, and the caller's own caches are its own business.
func (b *Bus) Publish(ctx context.Context, inv Invalidation) error {
	inv.Origin = b.n.id
	msg, err := json.Marshal(inv)
	if err != nil {
		return err
	}
	err = b.n.do(ctx, "invalidate_publish", func(ctx context.Context) error {
		return b.n.rdb.Publish(ctx, b.ch, msg).Err()
	})
	if err != nil {
		b.n.m.Fallback("invalidation")
	}
	return err
}

// Subscribe calls fn for every invalidation another replica publishes until
// ctx ends, reconnecting with backoff when the subscription breaks. After a
// break it calls fn once with All set: messages sent meanwhile are lost, so
// every cache is suspect. fn runs on one goroutine, in order; keep it quick.
// The returned channel is closed when the subscription is first in place
// (or ctx ended first).
func (b *Bus) Subscribe(ctx context.Context, fn func(Invalidation)) <-chan struct{} {
	ready := make(chan struct{})
	b.n.wg.Add(1)
	go func() {
		defer b.n.wg.Done()
		b.loop(ctx, fn, ready)
	}()
	return ready
}

func (b *Bus) loop(ctx context.Context, fn func(Invalidation), ready chan struct{}) {
	readyOnce := func() {
		select {
		case <-ready:
		default:
			close(ready)
		}
	}
	defer readyOnce()
	backoff := 100 * time.Millisecond
	broken := false
	for ctx.Err() == nil {
		ps := b.n.rdb.Subscribe(ctx, b.ch)
		sctx, cancel := context.WithTimeout(ctx, b.n.opTO*3)
		_, err := ps.Receive(sctx) // the subscription confirmation
		cancel()
		if err != nil {
			_ = ps.Close()
			if ctx.Err() != nil {
				return
			}
			b.n.m.RedisError("invalidate_subscribe")
			b.n.markDown("invalidate_subscribe", err)
			broken = true
			readyOnce()
			if !sleepCtx(ctx, backoff) {
				return
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		b.n.markUp()
		backoff = 100 * time.Millisecond
		readyOnce()
		if broken {
			fn(Invalidation{All: true})
			broken = false
		}
		for ctx.Err() == nil {
			// A bounded wait, so that ctx ending is noticed: a read
			// blocked on the socket does not watch ctx.
			v, err := ps.ReceiveTimeout(ctx, time.Second)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					continue
				}
				break
			}
			msg, ok := v.(*redis.Message)
			if !ok {
				continue
			}
			var inv Invalidation
			if json.Unmarshal([]byte(msg.Payload), &inv) != nil || inv.Origin == b.n.id {
				continue
			}
			fn(inv)
		}
		_ = ps.Close()
		if ctx.Err() != nil {
			return
		}
		b.n.m.RedisError("invalidate_receive")
		broken = true
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
