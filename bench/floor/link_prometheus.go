//go:build floor_prometheus

package main

// The Prometheus client (internal/metrics), linked into the floor to measure
// what linking it costs every start.
import _ "github.com/prometheus/client_golang/prometheus/promhttp"
