//go:build floor_bbolt

package main

// bbolt alone (internal/oauthserver's default store, --auth oauth), linked
// into the floor to measure what linking it costs every start.
import _ "go.etcd.io/bbolt"
