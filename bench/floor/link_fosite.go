//go:build floor_fosite

package main

// The OAuth server's library (internal/oauthserver, --auth oauth), linked
// into the floor to measure what linking it costs every start.
import _ "github.com/ory/fosite/compose"
