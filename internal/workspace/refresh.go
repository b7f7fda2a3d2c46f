package workspace

import (
	"context"
	"fmt"
	"time"
)

// Cache refreshes. Each time a session cache (the user, the workspaces with
// their members, a list with its statuses, a list's custom fields, a
// workspace's hierarchy) is loaded from ClickUp, because it was not cached,
// was older than the TTL or a fresh copy was asked for, the observer of the
// call's context hears of it (the tools turn it into a log notification
// for the client). A look-up answered from the cache says nothing.

// CacheRefresh is one cache loaded from ClickUp.
type CacheRefresh struct {
	// Cache is what was loaded: "user", "workspaces and members", "list
	// and its statuses", "custom fields of a list" or "workspace hierarchy".
	Cache string
	// Why: "not cached yet", "cached copy older than <TTL>" or "fresh
	// copy asked for".
	Why string
	// Size says how much was loaded ("3 spaces, 12 lists"), if anything.
	Size string
	// Took is how long the load took, requests included.
	Took time.Duration
}

func (r CacheRefresh) String() string {
	s := fmt.Sprintf("cache refresh: the %s, read from ClickUp (%s) in %s", r.Cache, r.Why, r.Took.Round(time.Millisecond))
	if r.Size != "" {
		s += ": " + r.Size
	}
	return s
}

type refreshKey struct{}

// WithCacheRefreshes makes the cache loads of calls made with ctx reported
// to f (called on the calling goroutine; it must not block).
func WithCacheRefreshes(ctx context.Context, f func(CacheRefresh)) context.Context {
	if f == nil {
		return ctx
	}
	return context.WithValue(ctx, refreshKey{}, f)
}

// refreshWhy says why a cache is loaded: it had no entry (had is false),
// the entry was stale, or fresh was asked for.
func (s *Session) refreshWhy(had, fresh bool) string {
	switch {
	case fresh && had:
		return "fresh copy asked for"
	case had:
		return "cached copy older than " + s.deps.cfg.CacheTTL.String()
	}
	return "not cached yet"
}

// refreshed reports a cache load that started at start.
func (s *Session) refreshed(ctx context.Context, cache, why string, start time.Time, size string) {
	if f, ok := ctx.Value(refreshKey{}).(func(CacheRefresh)); ok {
		f(CacheRefresh{Cache: cache, Why: why, Size: size, Took: time.Since(start)})
	}
}
