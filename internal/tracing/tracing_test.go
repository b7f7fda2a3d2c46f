package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestSpansFromMCPRequestToClickUpRequest(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tr := New(tp)
	const token = "pk_77_SECRETTOKEN"
	clickup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "missing") {
			w.WriteHeader(404)
		}
		io.WriteString(w, "{}")
	}))
	defer clickup.Close()
	hc := &http.Client{Transport: tr.Transport(nil)}
	mcp := tr.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, end := tr.StartTool(r.Context(), "clickup_get_task")
		for _, p := range []string{"/api/v2/task/86secretid?include_subtasks=true&name=private+words", "/api/v2/task/missing77"} {
			req, _ := http.NewRequestWithContext(ctx, "GET", clickup.URL+p, nil)
			req.Header.Set("Authorization", token)
			resp, err := hc.Do(req)
			if err != nil {
				t.Error(err)
				continue
			}
			resp.Body.Close()
		}
		end(metrics.OutcomeOK)
		w.WriteHeader(200)
	}))
	req := httptest.NewRequest("POST", "/mcp?sessionId=abc", strings.NewReader(`{"params":{"arguments":{"name":"private words"}}}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	mcp.ServeHTTP(httptest.NewRecorder(), req)

	spans := rec.Ended()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want 4 (server, tool, 2 ClickUp)", len(spans))
	}
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byName[s.Name()] = s
		if s.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("%s: trace %s, not the client's", s.Name(), s.SpanContext().TraceID())
		}
		for _, a := range s.Attributes() {
			v := a.Value.String()
			for _, leak := range []string{"SECRET", "86secretid", "missing77", "private", "sessionId", "abc"} {
				if strings.Contains(v, leak) {
					t.Errorf("%s: attribute %s=%q shows %q", s.Name(), a.Key, v, leak)
				}
			}
		}
		if strings.Contains(s.Name(), "secret") {
			t.Errorf("span name %q", s.Name())
		}
	}
	srv, tool, get := byName["MCP POST /mcp"], byName["tools/call clickup_get_task"], byName["ClickUp GET /v2/task/{id}"]
	if srv == nil || tool == nil || get == nil {
		t.Fatalf("spans: %v", names(spans))
	}
	if tool.Parent().SpanID() != srv.SpanContext().SpanID() {
		t.Error("the tool span is not the request span's child")
	}
	if get.Parent().SpanID() != tool.SpanContext().SpanID() {
		t.Error("the ClickUp span is not the tool span's child")
	}
	var codes []string
	for _, s := range spans {
		if s.Name() == "ClickUp GET /v2/task/{id}" {
			for _, a := range s.Attributes() {
				if a.Key == "http.response.status_code" {
					codes = append(codes, a.Value.String())
				}
			}
		}
	}
	if strings.Join(codes, ",") != "200,404" {
		t.Errorf("status codes %v", codes)
	}
}

func names(s []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Name())
	}
	return out
}

func TestOffByDefault(t *testing.T) {
	for _, k := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER"} {
		t.Setenv(k, "")
	}
	tr, err := Setup(context.Background(), "test")
	if tr != nil || err != nil {
		t.Fatalf("Setup without the env = %v, %v; want nil, nil", tr, err)
	}
	h := http.NotFoundHandler()
	if got := tr.Handler(h); got == nil {
		t.Fatal("nil handler")
	}
	if tr.Transport(http.DefaultTransport) != http.DefaultTransport {
		t.Error("a nil tracer wraps the transport")
	}
	ctx := context.Background()
	if c, end := tr.StartTool(ctx, "x"); c != ctx {
		t.Error("a nil tracer changes the context")
	} else {
		end("ok")
	}
	if err := tr.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}

func TestSetupFromEnv(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("OTEL_SDK_DISABLED", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	if _, err := Setup(context.Background(), "test"); err == nil || !strings.Contains(err.Error(), "http/protobuf") {
		t.Errorf("grpc: err = %v, want one naming http/protobuf", err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	tr, err := Setup(context.Background(), "test")
	if err != nil || tr == nil {
		t.Fatalf("Setup = %v, %v", tr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing to flush; do not wait on the unreachable collector
	_ = tr.Shutdown(ctx)
	t.Setenv("OTEL_SDK_DISABLED", "true")
	if Enabled(nil) {
		t.Error("OTEL_SDK_DISABLED=true leaves tracing on")
	}
}
