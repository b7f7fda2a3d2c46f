package tracing

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The OTLP/HTTP exporter (http/protobuf), written here instead of linking
// go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp: that
// package links gRPC and the protobuf runtime (some 100 packages whose
// initialisers and code every start paid, with tracing on or off: 1.16x
// the floor's start, 1.52x its memory). A trace export request is a few
// nested messages of strings, bytes, varints and fixed64s, encoded below by
// hand; the test decodes what is sent with the official generated types.
//
// Configuration is the standard environment, as the OTel exporter read it:
// OTEL_EXPORTER_OTLP(_TRACES)_ENDPOINT, _HEADERS, _TIMEOUT (ms),
// _COMPRESSION (gzip, none), _CERTIFICATE, _CLIENT_CERTIFICATE and
// _CLIENT_KEY (PEM files). The traces variable wins over the general one;
// the general endpoint gets /v1/traces appended, the traces one is used as
// given.

// exporter sends spans to an OTLP/HTTP collector.
type exporter struct {
	url     string
	headers http.Header
	timeout time.Duration
	gzip    bool
	client  *http.Client

	mu   sync.Mutex
	done bool
}

// retryFor bounds the retries of one export (429, 502, 503, 504), the
// first after retryWait, each later one twice as long (at most 30 s)
// unless the collector says when (Retry-After).
var retryFor, retryWait = time.Minute, time.Second

func otlpEnv(getenv func(string) string, name string) string {
	if v := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_" + name)); v != "" {
		return v
	}
	return strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_" + name))
}

// newExporter reads the exporter's configuration from getenv; anything it
// cannot honour is an error, never ignored.
func newExporter(getenv func(string) string) (*exporter, error) {
	e := &exporter{headers: http.Header{}, timeout: 10 * time.Second}
	raw := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
	if raw == "" {
		base := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT"))
		u, err := url.Parse(base)
		if err != nil {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
		}
		u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
		raw = u.String()
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("OTLP endpoint %q: want an http:// or https:// URL (the OTLP/HTTP port, usually 4318)", raw)
	}
	e.url = u.String()
	if h := otlpEnv(getenv, "HEADERS"); h != "" {
		for _, kv := range strings.Split(h, ",") {
			k, v, ok := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" {
				return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_HEADERS: %q is not key=value", strings.TrimSpace(kv))
			}
			if dv, err := url.PathUnescape(strings.TrimSpace(v)); err == nil {
				v = dv
			}
			e.headers.Add(k, strings.TrimSpace(v))
		}
	}
	if t := otlpEnv(getenv, "TIMEOUT"); t != "" {
		ms, err := strconv.Atoi(t)
		if err != nil || ms <= 0 {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_TIMEOUT=%q: want milliseconds, above 0", t)
		}
		e.timeout = time.Duration(ms) * time.Millisecond
	}
	switch c := otlpEnv(getenv, "COMPRESSION"); c {
	case "", "none":
	case "gzip":
		e.gzip = true
	default:
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_COMPRESSION=%q: want gzip or none", c)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tc, err := tlsConfig(getenv)
	if err != nil {
		return nil, err
	}
	if tc != nil {
		tr.TLSClientConfig = tc
	}
	e.client = &http.Client{Transport: tr}
	return e, nil
}

func tlsConfig(getenv func(string) string) (*tls.Config, error) {
	ca, cert, key := otlpEnv(getenv, "CERTIFICATE"), otlpEnv(getenv, "CLIENT_CERTIFICATE"), otlpEnv(getenv, "CLIENT_KEY")
	if ca == "" && cert == "" && key == "" {
		return nil, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca != "" {
		pem, err := os.ReadFile(ca) //nolint:gosec // G304: the operator names the file (OTEL_EXPORTER_OTLP_CERTIFICATE)
		if err != nil {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_CERTIFICATE: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_CERTIFICATE: no PEM certificate in %s", ca)
		}
	}
	if (cert == "") != (key == "") {
		return nil, errors.New("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY go together")
	}
	if cert != "" {
		c, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("OTLP client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{c}
	}
	return tc, nil
}

// ExportSpans sends one request for spans, retrying what the collector
// says to retry (429, 502, 503, 504) for up to a minute or ctx.
func (e *exporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	done := e.done
	e.mu.Unlock()
	if done || len(spans) == 0 {
		return nil
	}
	body := encodeSpans(spans)
	if e.gzip {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		body = b.Bytes()
	}
	deadline := time.Now().Add(retryFor)
	wait := retryWait
	for {
		retry, after, err := e.send(ctx, body)
		if err == nil || !retry {
			return err
		}
		if after > 0 {
			wait = after
		}
		if time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// send makes one attempt: whether to retry, after how long if the
// collector said, and the error.
func (e *exporter) send(parent context.Context, body []byte) (bool, time.Duration, error) {
	ctx, cancel := context.WithTimeout(parent, e.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return false, 0, err
	}
	for k, v := range e.headers {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if e.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		// A network error or this attempt's timeout: worth another try
		// while the export itself has time left.
		return parent.Err() == nil, 0, fmt.Errorf("OTLP export: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent:
		return false, 0, nil
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		var after time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			after = time.Duration(s) * time.Second
		}
		return true, after, fmt.Errorf("OTLP export: HTTP %d", resp.StatusCode)
	}
	return false, 0, fmt.Errorf("OTLP export: HTTP %d", resp.StatusCode)
}

// Shutdown stops exporting; the batcher has flushed before it calls this.
func (e *exporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.done = true
	e.client.CloseIdleConnections()
	return nil
}

// The protobuf encoding of opentelemetry.proto.collector.trace.v1.
// ExportTraceServiceRequest (field numbers from opentelemetry-proto's
// trace.proto, common.proto and resource.proto).

type pb struct{ b []byte }

func (p *pb) tag(field, wire uint64) { p.varint(field<<3 | wire) }

func (p *pb) varint(v uint64) { p.b = binary.AppendUvarint(p.b, v) }

func (p *pb) bytes(field uint64, b []byte) {
	p.tag(field, 2)
	p.varint(uint64(len(b)))
	p.b = append(p.b, b...)
}

func (p *pb) str(field uint64, s string) {
	if s == "" {
		return
	}
	p.tag(field, 2)
	p.varint(uint64(len(s)))
	p.b = append(p.b, s...)
}

func (p *pb) uint(field uint64, v uint64) {
	if v == 0 {
		return
	}
	p.tag(field, 0)
	p.varint(v)
}

func (p *pb) fixed64(field uint64, v uint64) {
	p.tag(field, 1)
	p.b = binary.LittleEndian.AppendUint64(p.b, v)
}

func (p *pb) fixed32(field uint64, v uint32) {
	p.tag(field, 5)
	p.b = binary.LittleEndian.AppendUint32(p.b, v)
}

// msg writes a nested message: f fills it.
func (p *pb) msg(field uint64, f func(*pb)) {
	var q pb
	f(&q)
	p.bytes(field, q.b)
}

func unixNano(t time.Time) uint64 {
	n := t.UnixNano()
	if t.IsZero() || n < 0 {
		return 0
	}
	return uint64(n)
}

// count is a non-negative int as a varint's value.
func count(n int) uint64 {
	if n < 0 {
		return 0
	}
	return uint64(n)
}

func encodeSpans(spans []sdktrace.ReadOnlySpan) []byte {
	type scopeKey struct {
		res   *resource.Resource
		scope instrumentation.Scope
	}
	type group struct {
		key   scopeKey
		spans []sdktrace.ReadOnlySpan
	}
	var groups []*group
	index := map[string]*group{}
	for _, s := range spans {
		sc := s.InstrumentationScope()
		k := scopeKey{res: s.Resource(), scope: sc}
		id := fmt.Sprintf("%p\x00%s\x00%s\x00%s", k.res, sc.Name, sc.Version, sc.SchemaURL)
		g := index[id]
		if g == nil {
			g = &group{key: k}
			index[id] = g
			groups = append(groups, g)
		}
		g.spans = append(g.spans, s)
	}
	var req pb
	for i := 0; i < len(groups); {
		res := groups[i].key.res
		j := i
		for j < len(groups) && groups[j].key.res == res {
			j++
		}
		req.msg(1, func(rs *pb) { // ResourceSpans
			rs.msg(1, func(r *pb) { // Resource
				if res != nil {
					keyValues(r, 1, res.Attributes())
				}
			})
			for _, g := range groups[i:j] {
				rs.msg(2, func(ss *pb) { // ScopeSpans
					sc := g.key.scope
					ss.msg(1, func(is *pb) { // InstrumentationScope
						is.str(1, sc.Name)
						is.str(2, sc.Version)
						keyValues(is, 3, sc.Attributes.ToSlice())
					})
					for _, s := range g.spans {
						ss.msg(2, func(sp *pb) { encodeSpan(sp, s) })
					}
					ss.str(3, sc.SchemaURL)
				})
			}
			if res != nil {
				rs.str(3, res.SchemaURL())
			}
		})
		i = j
	}
	return req.b
}

func encodeSpan(p *pb, s sdktrace.ReadOnlySpan) {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	p.bytes(1, tid[:])
	p.bytes(2, sid[:])
	p.str(3, sc.TraceState().String())
	if par := s.Parent(); par.IsValid() {
		psid := par.SpanID()
		p.bytes(4, psid[:])
	}
	p.str(5, s.Name())
	p.uint(6, count(int(s.SpanKind())))
	p.fixed64(7, unixNano(s.StartTime()))
	p.fixed64(8, unixNano(s.EndTime()))
	keyValues(p, 9, s.Attributes())
	p.uint(10, count(s.DroppedAttributes()))
	for _, ev := range s.Events() {
		p.msg(11, func(e *pb) {
			e.fixed64(1, unixNano(ev.Time))
			e.str(2, ev.Name)
			keyValues(e, 3, ev.Attributes)
			e.uint(4, count(ev.DroppedAttributeCount))
		})
	}
	p.uint(12, count(s.DroppedEvents()))
	for _, l := range s.Links() {
		p.msg(13, func(m *pb) {
			ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
			m.bytes(1, ltid[:])
			m.bytes(2, lsid[:])
			m.str(3, l.SpanContext.TraceState().String())
			keyValues(m, 4, l.Attributes)
			m.uint(5, count(l.DroppedAttributeCount))
			m.fixed32(6, spanFlags(uint32(l.SpanContext.TraceFlags()), l.SpanContext.IsRemote()))
		})
	}
	p.uint(14, count(s.DroppedLinks()))
	if st := s.Status(); st.Code != codes.Unset {
		p.msg(15, func(m *pb) {
			m.str(2, st.Description)
			code := uint64(1) // STATUS_CODE_OK
			if st.Code == codes.Error {
				code = 2 // STATUS_CODE_ERROR
			}
			m.uint(3, code)
		})
	}
	p.fixed32(16, spanFlags(uint32(sc.TraceFlags()), s.Parent().IsRemote()))
}

// spanFlags are the W3C trace flags with OTLP's "has is_remote" (0x100)
// and "is_remote" (0x200) bits.
func spanFlags(traceFlags uint32, remote bool) uint32 {
	f := traceFlags&0xff | 0x100
	if remote {
		f |= 0x200
	}
	return f
}

func keyValues(p *pb, field uint64, kvs []attribute.KeyValue) {
	for _, kv := range kvs {
		p.msg(field, func(m *pb) {
			m.str(1, string(kv.Key))
			m.msg(2, func(v *pb) { anyValue(v, kv.Value) })
		})
	}
}

// anyValue writes the fields of an AnyValue (its oneof) for v.
func anyValue(p *pb, v attribute.Value) {
	switch v.Type() {
	case attribute.BOOL:
		p.tag(2, 0)
		if v.AsBool() {
			p.varint(1)
		} else {
			p.varint(0)
		}
	case attribute.INT64:
		p.tag(3, 0)
		p.varint(uint64(v.AsInt64())) //nolint:gosec // G115: protobuf encodes an int64 as its two's complement
	case attribute.FLOAT64:
		p.fixed64(4, math.Float64bits(v.AsFloat64()))
	case attribute.STRING:
		p.tag(1, 2)
		s := v.AsString()
		p.varint(uint64(len(s)))
		p.b = append(p.b, s...)
	case attribute.BOOLSLICE:
		p.msg(5, func(a *pb) {
			for _, x := range v.AsBoolSlice() {
				a.msg(1, func(e *pb) { anyValue(e, attribute.BoolValue(x)) })
			}
		})
	case attribute.INT64SLICE:
		p.msg(5, func(a *pb) {
			for _, x := range v.AsInt64Slice() {
				a.msg(1, func(e *pb) { anyValue(e, attribute.Int64Value(x)) })
			}
		})
	case attribute.FLOAT64SLICE:
		p.msg(5, func(a *pb) {
			for _, x := range v.AsFloat64Slice() {
				a.msg(1, func(e *pb) { anyValue(e, attribute.Float64Value(x)) })
			}
		})
	case attribute.STRINGSLICE:
		p.msg(5, func(a *pb) {
			for _, x := range v.AsStringSlice() {
				a.msg(1, func(e *pb) { anyValue(e, attribute.StringValue(x)) })
			}
		})
	case attribute.BYTESLICE:
		p.bytes(7, v.AsByteSlice())
	case attribute.SLICE:
		p.msg(5, func(a *pb) {
			for _, x := range v.AsSlice() {
				a.msg(1, func(e *pb) { anyValue(e, x) })
			}
		})
	case attribute.MAP:
		p.msg(6, func(m *pb) { keyValues(m, 1, v.AsMap()) })
	}
	// EMPTY: an AnyValue with no value set.
}
