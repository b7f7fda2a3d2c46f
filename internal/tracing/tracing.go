// Package tracing sends OpenTelemetry traces over OTLP/HTTP when, and only
// when, the standard OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: a span per MCP HTTP request,
// one per tool call inside it, and one per ClickUp request inside that.
//
// Attributes carry no token and no content: methods, fixed endpoint paths,
// tool names, ClickUp route templates (ids replaced, see metrics.Route),
// status codes and outcomes. Query strings, headers and bodies are never
// read. Unset, nothing is built and every wrapper returns what it was given,
// so the cost is nil.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const scope = "github.com/clickup-mcp/clickup-mcp"

// Tracer makes the server's spans. A nil *Tracer is valid: tracing off.
type Tracer struct {
	t        trace.Tracer
	prop     propagation.TextMapPropagator
	shutdown func(context.Context) error
}

// Enabled reports whether the environment asks for traces.
func Enabled(getenv func(string) string) bool {
	if getenv == nil {
		getenv = os.Getenv
	}
	if b, _ := strconv.ParseBool(getenv("OTEL_SDK_DISABLED")); b {
		return false
	}
	if strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")) == "none" {
		return false
	}
	return strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT")) != "" ||
		strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) != ""
}

// Setup builds the exporter from the standard OTEL_* variables when
// Enabled, else returns nil and no error. Only http/protobuf is spoken; any
// other OTEL_EXPORTER_OTLP(_TRACES)_PROTOCOL is an error.
func Setup(ctx context.Context, version string) (*Tracer, error) {
	if !Enabled(nil) {
		return nil, nil
	}
	for _, k := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			if v != "http/protobuf" {
				return nil, fmt.Errorf("%s=%q is not supported: use http/protobuf (the OTLP/HTTP port, usually 4318)", k, v)
			}
			break
		}
	}
	if v := strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER")); v != "" && v != "otlp" {
		return nil, fmt.Errorf("OTEL_TRACES_EXPORTER=%q is not supported: use otlp or none", v)
	}
	exp, err := newExporter(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		attribute.String("service.name", serviceName()), attribute.String("service.version", version)))
	if err != nil && !errors.Is(err, resource.ErrPartialResource) && !errors.Is(err, resource.ErrSchemaURLConflict) {
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	t := New(tp)
	t.shutdown = tp.Shutdown
	return t, nil
}

func serviceName() string {
	if v := strings.TrimSpace(os.Getenv("OTEL_SERVICE_NAME")); v != "" {
		return v
	}
	return "clickup-mcp"
}

// New makes a Tracer on tp (tests pass a recording provider).
func New(tp trace.TracerProvider) *Tracer {
	return &Tracer{t: tp.Tracer(scope), prop: propagation.TraceContext{}}
}

// Shutdown flushes the spans not yet sent.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if t == nil || t.shutdown == nil {
		return nil
	}
	return t.shutdown(ctx)
}

// endpoint reports whether a span may name path; any other is "other".
func endpoint(path string) bool { return path == "/mcp" || path == "/sse" || path == "/message" }

// Handler wraps the MCP HTTP endpoints in a server span, continuing a
// W3C traceparent the client sent.
func (t *Tracer) Handler(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		path := r.URL.Path
		if !endpoint(path) {
			path = "other"
		}
		ctx, span := t.t.Start(ctx, "MCP "+methodName(r.Method)+" "+path, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", methodName(r.Method)), attribute.String("url.path", path)))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", sw.status))
		if sw.status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(sw.status))
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines (SSE).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush keeps event streams streaming through the wrapper.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// StartTool opens a span for one tool call; end it with the outcome
// (metrics.OutcomeOK, OutcomeError or OutcomeFailed).
func (t *Tracer) StartTool(ctx context.Context, tool string) (context.Context, func(outcome string)) {
	if t == nil {
		return ctx, func(string) {}
	}
	ctx, span := t.t.Start(ctx, "tools/call "+tool, trace.WithAttributes(attribute.String("mcp.tool.name", tool)))
	return ctx, func(outcome string) {
		span.SetAttributes(attribute.String("mcp.tool.outcome", outcome))
		if outcome == metrics.OutcomeFailed {
			span.SetStatus(codes.Error, outcome)
		}
		span.End()
	}
}

// Transport wraps next (nil: http.DefaultTransport) in a client span per
// ClickUp request, named by route template.
func (t *Tracer) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if t == nil {
		return next
	}
	return roundTripper{t: t, next: next}
}

type roundTripper struct {
	t    *Tracer
	next http.RoundTripper
}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	route := metrics.Route(r.URL.Path)
	m := methodName(r.Method)
	ctx, span := rt.t.t.Start(r.Context(), "ClickUp "+m+" "+route, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.request.method", m), attribute.String("url.template", route),
			attribute.String("server.address", r.URL.Hostname())))
	defer span.End()
	resp, err := rt.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		span.SetAttributes(attribute.String("error.type", errorType(err)))
		span.SetStatus(codes.Error, "no response")
		return resp, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	if resp.StatusCode >= 400 {
		span.SetAttributes(attribute.String("error.type", strconv.Itoa(resp.StatusCode)))
		span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
	}
	return resp, nil
}

// errorType names a transport error by kind, never by its text (which may
// repeat the URL).
func errorType(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "timeout"
	}
	return "network"
}

func methodName(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions:
		return m
	}
	return "_OTHER"
}
