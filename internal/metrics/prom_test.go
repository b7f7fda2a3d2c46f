package metrics

import (
	"math"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestExpositionParses: /metrics is Prometheus' text format as Prometheus
// itself parses it (its parser is linked by this test only), with the
// names, types, labels, cumulative buckets and help of client_golang, and
// the Go and process metrics dashboards read.
func TestExpositionParses(t *testing.T) {
	m := New()
	m.KnownTools([]string{"clickup_get_task"})
	m.ToolCall("clickup_get_task", OutcomeOK, 3*time.Millisecond)
	m.ToolCall("clickup_get_task", OutcomeOK, 2*time.Second)
	m.ToolCall("clickup_get_task", OutcomeError, 61*time.Second)
	m.ClickUpRequest("GET", "/api/v2/task/86x", 200, 10*time.Millisecond) // exactly on a bound: counted in it
	m.Cache("list", true)
	m.SessionOpened(`odd"transport\`)
	out := scrape(t, m)
	if !strings.Contains(out, "\nclickup_mcp_tool_calls_total{outcome=\"ok\",tool=\"clickup_get_task\"} 2\n") {
		t.Errorf("labels are not sorted by name as client_golang wrote them (dashboards and .ci/replicas match lines):\n%s", out)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(out))
	if err != nil {
		t.Fatalf("Prometheus cannot parse /metrics: %v", err)
	}
	types := map[string]dto.MetricType{
		"clickup_mcp_tool_calls_total":                 dto.MetricType_COUNTER,
		"clickup_mcp_tool_call_duration_seconds":       dto.MetricType_HISTOGRAM,
		"clickup_mcp_tool_calls_in_flight":             dto.MetricType_GAUGE,
		"clickup_mcp_clickup_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"clickup_mcp_sessions_open":                    dto.MetricType_GAUGE,
		"clickup_mcp_redis_up":                         dto.MetricType_GAUGE,
		"go_goroutines":                                dto.MetricType_GAUGE,
		"go_gc_duration_seconds":                       dto.MetricType_SUMMARY,
		"go_memstats_alloc_bytes_total":                dto.MetricType_COUNTER,
		"go_info":                                      dto.MetricType_GAUGE,
		"process_cpu_seconds_total":                    dto.MetricType_COUNTER,
		"process_resident_memory_bytes":                dto.MetricType_GAUGE,
		"process_start_time_seconds":                   dto.MetricType_GAUGE,
	}
	for name, typ := range types {
		f := fams[name]
		if f == nil {
			t.Errorf("/metrics lacks %s", name)
			continue
		}
		if f.GetType() != typ || f.GetHelp() == "" {
			t.Errorf("%s: type %v, help %q; want %v with help", name, f.GetType(), f.GetHelp(), typ)
		}
	}
	if _, ok := fams["clickup_mcp_redis_errors_total"]; ok {
		t.Error("a family without series is written")
	}
	if rss := fams["process_resident_memory_bytes"].GetMetric()[0].GetGauge().GetValue(); rss < 1<<20 {
		t.Errorf("RSS %v bytes", rss)
	}
	if st := fams["process_start_time_seconds"].GetMetric()[0].GetGauge().GetValue(); time.Since(time.Unix(int64(st), 0)) > 24*time.Hour || st > float64(time.Now().Unix()+1) {
		t.Errorf("start time %v", st)
	}
	h := fams["clickup_mcp_tool_call_duration_seconds"].GetMetric()[0]
	if h.GetLabel()[0].GetValue() != "clickup_get_task" {
		t.Fatalf("labels %v", h.GetLabel())
	}
	hist := h.GetHistogram()
	if hist.GetSampleCount() != 3 || hist.GetSampleSum() < 63 || hist.GetSampleSum() > 63.1 {
		t.Errorf("count %d sum %v", hist.GetSampleCount(), hist.GetSampleSum())
	}
	b := hist.GetBucket()
	if len(b) != 15 || b[0].GetUpperBound() != 0.005 || b[0].GetCumulativeCount() != 1 || math.Abs(b[13].GetUpperBound()-60) > 1e-9 ||
		b[13].GetCumulativeCount() != 2 || !math.IsInf(b[14].GetUpperBound(), 1) || b[14].GetCumulativeCount() != 3 {
		t.Errorf("buckets %v", b)
	}
	for i := 1; i < len(b); i++ {
		if b[i].GetCumulativeCount() < b[i-1].GetCumulativeCount() || b[i].GetUpperBound() <= b[i-1].GetUpperBound() {
			t.Errorf("buckets not cumulative and ascending: %v", b)
		}
	}
	req := fams["clickup_mcp_clickup_request_duration_seconds"].GetMetric()[0].GetHistogram().GetBucket()
	if req[0].GetUpperBound() != 0.01 || req[0].GetCumulativeCount() != 1 {
		t.Errorf("a 10 ms request is not in the 0.01 bucket: %v", req[0])
	}
	sess := fams["clickup_mcp_sessions_open"].GetMetric()[0]
	if sess.GetLabel()[0].GetValue() != `odd"transport\` || sess.GetGauge().GetValue() != 1 {
		t.Errorf("an escaped label value reads back as %v", sess)
	}
	calls := fams["clickup_mcp_tool_calls_total"].GetMetric()
	if len(calls) != 2 || calls[0].GetCounter().GetValue()+calls[1].GetCounter().GetValue() != 3 {
		t.Errorf("tool calls %v", calls)
	}
}
