//go:build floor_redis

package main

// The Redis client (internal/replica, --redis-url), linked into the floor to
// measure what linking it costs every start.
import _ "github.com/redis/go-redis/v9"
