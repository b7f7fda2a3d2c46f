//go:build floor_otlp

package main

// The OTLP/HTTP trace exporter (internal/tracing), linked into the floor to
// measure what linking it costs every start.
import _ "go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
