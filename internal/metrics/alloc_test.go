package metrics

import (
	"testing"
	"time"
)

// TestRecordingAllocatesNothing: counting a tool call and a ClickUp request
// on series that exist allocates nothing (they run on every call).
func TestRecordingAllocatesNothing(t *testing.T) {
	m := New()
	m.KnownTools([]string{"clickup_get_task"})
	m.ToolCall("clickup_get_task", OutcomeOK, time.Millisecond)
	m.Cache("list", true)
	if n := testing.AllocsPerRun(100, func() {
		m.ToolCall("clickup_get_task", OutcomeOK, time.Millisecond)
		m.Cache("list", true)
	}); n != 0 {
		t.Errorf("%v allocations a call", n)
	}
}

// TestMoreLabelsThanTheKeyHolds: a family with more labels than labelKey
// has slots still keeps one series per set of values.
func TestMoreLabelsThanTheKeyHolds(t *testing.T) {
	r := &registry{}
	v := vec{r.add("wide_total", "Wide.", counterKind, nil, []string{"a", "b", "c", "d"})}
	v.WithLabelValues("1", "2", "3", "4").Inc()
	v.WithLabelValues("1", "2", "3", "5").Inc()
	v.WithLabelValues("1", "2", "3", "4").Inc()
	if len(v.f.series) != 2 || v.WithLabelValues("1", "2", "3", "4").value() != 2 {
		t.Errorf("%d series, %v", len(v.f.series), v.WithLabelValues("1", "2", "3", "4").value())
	}
}
