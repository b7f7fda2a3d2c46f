// Package oauthserver makes the HTTP server an OAuth 2.1 authorization
// server in front of ClickUp's OAuth, per the MCP authorization spec
// (2025-11-25): any standard MCP client discovers it from a 401, registers
// (RFC 7591), and signs its user in on ClickUp's consent page; the client
// then holds this server's tokens, never the ClickUp token.
//
// The HTTP server mounts Handler beside /mcp, calls Authenticate on each
// MCP request, and answers a failure with WriteUnauthorized:
//
//	srv, err := oauthserver.New(oauthserver.Config{PublicURL: ..., SecretKey: key, StorePath: ...})
//	mux.Handle("/.well-known/", srv.Handler()) // and the other Paths()
//	clickupToken, grant, err := srv.Authenticate(r)
//
// The protocol (authorization code with PKCE S256, refresh rotation with
// replay detection, RFC 7009 revocation, HMAC tokens) is written here on
// the standard library (protocol.go, tokens.go, records.go), as are
// registration, the RFC 8414/9728 metadata, RFC 8707 resource checks,
// the ClickUp leg (consent redirect, callback, server-side code exchange)
// and storage: a small Store interface with a bbolt implementation (the
// default) and a Redis one (RedisStore, for replicas: every replica sees
// every grant and revocation; while Redis is unreachable the server answers
// 503 rather than fall back to local state), in which tokens appear only as
// HMAC signatures and ClickUp tokens only sealed with AES-256-GCM under a
// key derived from CLICKUP_MCP_SECRET_KEY.
//
// A sign-in ("grant") has a random id, which its codes, access and
// refresh tokens share through rotation; revoking it (Sessions,
// RevokeGrant, /revoke, or a replayed code or refresh token) deletes its
// tokens and its sealed ClickUp token at once.
package oauthserver
