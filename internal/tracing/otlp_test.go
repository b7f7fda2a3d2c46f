package tracing

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/metrics"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// collector is an OTLP/HTTP collector on loopback that decodes what it is
// sent with the official generated types (linked by this test only).
type collector struct {
	*httptest.Server
	mu       sync.Mutex
	reqs     []*coltrace.ExportTraceServiceRequest
	headers  []http.Header
	statuses []int // answered in turn; 200 once they run out
}

func newCollector(t *testing.T, statuses ...int) *collector {
	c := &collector{statuses: statuses}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.headers = append(c.headers, r.Header.Clone())
		if len(c.statuses) > 0 {
			st := c.statuses[0]
			c.statuses = c.statuses[1:]
			w.WriteHeader(st)
			return
		}
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Errorf("POST %s with Content-Type %q", r.URL.Path, r.Header.Get("Content-Type"))
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Error(err)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Error(err)
			return
		}
		var req coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			t.Errorf("the collector cannot decode the request: %v", err)
			return
		}
		c.reqs = append(c.reqs, &req)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *collector) spans() map[string]*tracepb.Span {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]*tracepb.Span{}
	for _, r := range c.reqs {
		for _, rs := range r.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					out[s.Name] = s
				}
			}
		}
	}
	return out
}

func otlpEnvFor(t *testing.T, endpoint string, extra map[string]string) {
	for _, k := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
		"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_CERTIFICATE",
		"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_SERVICE_NAME"} {
		t.Setenv(k, "")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
	for k, v := range extra {
		t.Setenv(k, v)
	}
}

// TestExportToCollector: the spans of an MCP request reach an OTLP/HTTP
// collector as the protobuf it expects, with the configured headers and
// compression: ids, parents, kinds, times, attributes, status, resource.
func TestExportToCollector(t *testing.T) {
	c := newCollector(t)
	otlpEnvFor(t, c.URL, map[string]string{
		"OTEL_EXPORTER_OTLP_HEADERS":     "x-team=ops,authorization=Bearer%20k1",
		"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
		"OTEL_SERVICE_NAME":              "cu-test",
	})
	tr, err := Setup(context.Background(), "9.9.9")
	if err != nil || tr == nil {
		t.Fatalf("Setup = %v, %v", tr, err)
	}
	clickup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }))
	defer clickup.Close()
	h := tr.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, end := tr.StartTool(r.Context(), "clickup_get_task")
		req, _ := http.NewRequestWithContext(ctx, "GET", clickup.URL+"/api/v2/task/86x", nil)
		if resp, err := (&http.Client{Transport: tr.Transport(nil)}).Do(req); err == nil {
			resp.Body.Close()
		}
		_, span := trace.SpanFromContext(ctx).TracerProvider().Tracer("t").Start(ctx, "all kinds",
			trace.WithAttributes(attribute.Bool("b", true), attribute.Int64("i", -7), attribute.Float64("f", 1.5),
				attribute.StringSlice("ss", []string{"a", ""}), attribute.String("empty", "")))
		span.AddEvent("ev", trace.WithAttributes(attribute.Int("n", 3)))
		span.SetStatus(codes.Ok, "")
		span.End()
		end(metrics.OutcomeFailed)
		w.WriteHeader(503)
	}))
	req := httptest.NewRequest("POST", "/mcp", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	spans := c.spans()
	srv, tool, get, kinds := spans["MCP POST /mcp"], spans["tools/call clickup_get_task"], spans["ClickUp GET /v2/task/{id}"], spans["all kinds"]
	if srv == nil || tool == nil || get == nil || kinds == nil {
		t.Fatalf("the collector got %d spans: %v", len(spans), spans)
	}
	if got := hex.EncodeToString(srv.TraceId); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace id %s", got)
	}
	if got := hex.EncodeToString(srv.ParentSpanId); got != "00f067aa0ba902b7" || srv.Flags != 0x301 {
		t.Errorf("server span: parent %s, flags %#x (want the client's span, sampled, remote)", got, srv.Flags)
	}
	if string(tool.ParentSpanId) != string(srv.SpanId) || string(get.ParentSpanId) != string(tool.SpanId) || tool.Flags != 0x101 {
		t.Error("the tool span is not the request span's child, or the ClickUp span the tool span's")
	}
	if srv.Kind != tracepb.Span_SPAN_KIND_SERVER || get.Kind != tracepb.Span_SPAN_KIND_CLIENT || tool.Kind != tracepb.Span_SPAN_KIND_INTERNAL {
		t.Errorf("kinds %v %v %v", srv.Kind, tool.Kind, get.Kind)
	}
	if srv.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR || tool.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR ||
		kinds.Status.GetCode() != tracepb.Status_STATUS_CODE_OK || get.Status.GetMessage() != "Not Found" {
		t.Errorf("statuses %v / %v / %v / %v", srv.Status, tool.Status, kinds.Status, get.Status)
	}
	if srv.StartTimeUnixNano == 0 || srv.EndTimeUnixNano < srv.StartTimeUnixNano ||
		time.Since(time.Unix(0, int64(srv.StartTimeUnixNano))) > time.Minute {
		t.Errorf("times %d..%d", srv.StartTimeUnixNano, srv.EndTimeUnixNano)
	}
	attrs := map[string]string{}
	for _, kv := range append(get.Attributes, kinds.Attributes...) {
		attrs[kv.Key] = show(kv.Value)
	}
	for k, want := range map[string]string{
		"http.response.status_code": "int 404", "url.template": `string "/v2/task/{id}"`, "b": "bool true",
		"i": "int -7", "f": "double 1.5", "empty": `string ""`, "ss": `[string "a", string ""]`,
	} {
		if attrs[k] != want {
			t.Errorf("attribute %s = %s, want %s", k, attrs[k], want)
		}
	}
	if len(kinds.Events) != 1 || kinds.Events[0].Name != "ev" || kinds.Events[0].Attributes[0].Value.GetIntValue() != 3 {
		t.Errorf("events %v", kinds.Events)
	}
	c.mu.Lock()
	res := c.reqs[0].ResourceSpans[0]
	hdr := c.headers[0]
	c.mu.Unlock()
	rattrs := map[string]string{}
	for _, kv := range res.Resource.Attributes {
		rattrs[kv.Key] = kv.Value.GetStringValue()
	}
	if rattrs["service.name"] != "cu-test" || rattrs["service.version"] != "9.9.9" || rattrs["telemetry.sdk.language"] != "go" {
		t.Errorf("resource %v", rattrs)
	}
	if res.ScopeSpans[0].Scope.GetName() == "" {
		t.Error("no instrumentation scope")
	}
	if hdr.Get("X-Team") != "ops" || hdr.Get("Authorization") != "Bearer k1" || hdr.Get("Content-Encoding") != "gzip" {
		t.Errorf("headers %v", hdr)
	}
}

// TestExportRetries: 503 and 429 are retried until the collector takes
// the spans; a 400 is not.
func TestExportRetries(t *testing.T) {
	defer func(w time.Duration) { retryWait = w }(retryWait)
	retryWait = time.Millisecond
	for _, c := range []struct {
		statuses []int
		ok       bool
		posts    int
	}{
		{[]int{503, 429}, true, 3},
		{[]int{400}, false, 1},
	} {
		col := newCollector(t, c.statuses...)
		e, err := newExporter(func(k string) string {
			if k == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" {
				return col.URL + "/v1/traces"
			}
			return ""
		})
		if err != nil {
			t.Fatal(err)
		}
		rec := &recordingExporter{}
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(rec))
		_, s := tp.Tracer("t").Start(context.Background(), "one")
		s.End()
		err = e.ExportSpans(context.Background(), rec.spans)
		if (err == nil) != c.ok {
			t.Errorf("%v: err = %v", c.statuses, err)
		}
		col.mu.Lock()
		if len(col.headers) != c.posts || (c.ok && len(col.reqs) != 1) {
			t.Errorf("%v: %d posts, %d taken", c.statuses, len(col.headers), len(col.reqs))
		}
		col.mu.Unlock()
	}
}

type recordingExporter struct{ spans []sdktrace.ReadOnlySpan }

func (r *recordingExporter) ExportSpans(_ context.Context, s []sdktrace.ReadOnlySpan) error {
	r.spans = append(r.spans, s...)
	return nil
}
func (r *recordingExporter) Shutdown(context.Context) error { return nil }

// TestExporterConfigFailsClosed: what the exporter cannot honour is an
// error that names the variable.
func TestExporterConfigFailsClosed(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, "http:// or https://"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "ftp://c/v1/traces"}, "http:// or https://"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_TIMEOUT": "10s"}, "OTEL_EXPORTER_OTLP_TIMEOUT"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "zstd"}, "gzip or none"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_HEADERS": "novalue"}, "key=value"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_CERTIFICATE": "/nonexistent.pem"}, "OTEL_EXPORTER_OTLP_CERTIFICATE"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/k.pem"}, "go together"},
	} {
		_, err := newExporter(func(k string) string { return c.env[k] })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want one saying %q", c.env, err, c.want)
		}
	}
	e, err := newExporter(func(k string) string {
		return map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://c:4318/otlp/", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2500"}[k]
	})
	if err != nil || e.url != "https://c:4318/otlp/v1/traces" || e.timeout != 2500*time.Millisecond {
		t.Errorf("exporter %+v, %v", e, err)
	}
}

// show renders an AnyValue by its oneof, for comparing.
func show(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return fmt.Sprintf("string %q", x.StringValue)
	case *commonpb.AnyValue_BoolValue:
		return fmt.Sprintf("bool %v", x.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return fmt.Sprintf("int %d", x.IntValue)
	case *commonpb.AnyValue_DoubleValue:
		return fmt.Sprintf("double %v", x.DoubleValue)
	case *commonpb.AnyValue_ArrayValue:
		var parts []string
		for _, e := range x.ArrayValue.Values {
			parts = append(parts, show(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%T", v.GetValue())
}

// TestExportRetriesATimedOutAttempt: an attempt past
// OTEL_EXPORTER_OTLP_TIMEOUT is tried again while the export has time.
func TestExportRetriesATimedOutAttempt(t *testing.T) {
	defer func(w time.Duration) { retryWait = w }(retryWait)
	retryWait = time.Millisecond
	var mu sync.Mutex
	posts := 0
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		posts++
		first := posts == 1
		mu.Unlock()
		if first {
			select { // past the attempt's timeout
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	defer srv.Close()
	defer close(release)
	e, err := newExporter(func(k string) string {
		return map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL, "OTEL_EXPORTER_OTLP_TIMEOUT": "50"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingExporter{}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(rec))
	_, s := tp.Tracer("t").Start(context.Background(), "one")
	s.End()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.ExportSpans(ctx, rec.spans); err != nil {
		t.Fatalf("export: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 2 {
		t.Errorf("%d posts, want 2 (the timed-out one, then its retry)", posts)
	}
}
