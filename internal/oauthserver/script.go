package oauthserver

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"
)

// script is a Lua script whose SHA1 (redis.NewScript) is taken at its
// first run: a package-level redis.NewScript runs in package init, at every
// start, with or without --redis-url. A script{src: ...} variable is
// static data.
type script struct {
	src  string
	once sync.Once
	s    *redis.Script
}

// Run runs the script as redis.Script.Run does (EVALSHA, then EVAL when the
// server does not have it).
func (l *script) Run(ctx context.Context, c redis.Scripter, keys []string, args ...any) *redis.Cmd {
	l.once.Do(func() { l.s = redis.NewScript(l.src) })
	return l.s.Run(ctx, c, keys, args...)
}
