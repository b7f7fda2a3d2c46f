//go:build floor_otlp

package main

// What internal/tracing links for OTEL_EXPORTER_OTLP_ENDPOINT: the
// OpenTelemetry SDK's tracer provider and resource (its OTLP/HTTP encoding
// is internal/tracing's own, a few hundred lines that link nothing more),
// linked into the floor to measure what linking them costs every start.
import (
	_ "go.opentelemetry.io/otel/propagation"
	_ "go.opentelemetry.io/otel/sdk/resource"
	_ "go.opentelemetry.io/otel/sdk/trace"
)
