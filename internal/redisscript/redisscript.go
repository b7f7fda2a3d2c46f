// Package redisscript holds Lua scripts for Redis whose SHA1 is taken at
// their first run: a package-level redis.NewScript runs in package init, at
// every start, with or without --redis-url, while a Script{Src: ...}
// variable is static data. The replicas' state (internal/replica) and the
// OAuth server's Redis store (internal/oauthserver) share it.
package redisscript

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Script is a Lua script, hashed at its first Run.
type Script struct {
	Src  string
	once sync.Once
	s    *redis.Script
}

// Run runs the script as redis.Script.Run does (EVALSHA, then EVAL when the
// server does not have it).
func (l *Script) Run(ctx context.Context, c redis.Scripter, keys []string, args ...any) *redis.Cmd {
	l.once.Do(func() { l.s = redis.NewScript(l.Src) })
	return l.s.Run(ctx, c, keys, args...)
}
