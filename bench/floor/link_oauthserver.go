//go:build floor_oauthserver

package main

// The OAuth server (internal/oauthserver, --auth oauth: the protocol on
// the standard library, bbolt, the Redis store), linked into the floor to
// measure what linking it costs every start.
import _ "github.com/clickup-mcp/clickup-mcp/internal/oauthserver"
