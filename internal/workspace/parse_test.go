package workspace

import (
	"errors"
	"testing"
	"time"
)

func TestParseTaskRef(t *testing.T) {
	tests := []struct {
		in     string
		id     string
		custom bool
		ws     string
		bad    bool
	}{
		{in: "86b1x2y3z", id: "86b1x2y3z"},
		{in: "9hx", id: "9hx"},
		{in: " #86b1x2y3z ", id: "86b1x2y3z"},
		{in: "CU-86b1x2y3z", id: "86b1x2y3z"},
		{in: "cu-abc123", id: "abc123"},
		{in: "DEV-123", id: "DEV-123", custom: true},
		{in: "dev-7", id: "DEV-7", custom: true},
		{in: "CU-123", id: "CU-123", custom: true},
		{in: "https://app.clickup.com/t/86b1x2y3z", id: "86b1x2y3z"},
		{in: "https://app.clickup.com/t/9011234/DEV-42", id: "DEV-42", custom: true, ws: "9011234"},
		{in: "app.clickup.com/t/abc", id: "abc"},
		{in: "https://app.clickup.com/t/86b1x2y3z?comment=1", id: "86b1x2y3z"},
		{in: "", bad: true},
		{in: "../../team", bad: true},
		{in: "abc/def", bad: true},
		{in: "abc%2Fdef", bad: true},
		{in: "abc\x00", bad: true},
		{in: "https://evil.example.com/t/abc", bad: true},
		{in: "https://app.clickup.com/v/li/123", bad: true},
		{in: "tâche", bad: true},
	}
	for _, tc := range tests {
		r, err := parseTaskRef("task_id", tc.in)
		if tc.bad {
			var ae *ArgError
			if !errors.As(err, &ae) {
				t.Errorf("%q: want an argument error, got %+v, %v", tc.in, r, err)
			}
			continue
		}
		if err != nil || r.ID != tc.id || r.Custom != tc.custom || r.Workspace != tc.ws {
			t.Errorf("%q: got %+v, %v; want id %q custom %v ws %q", tc.in, r, err, tc.id, tc.custom, tc.ws)
		}
	}
}

func TestParseDate(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, loc) // a Saturday
	tests := []struct {
		in      string
		want    string // formatted in loc, RFC 3339
		hasTime bool
	}{
		{"2026-12-01", "2026-12-01T00:00:00-05:00", false},
		{"2026-12-01 17:30", "2026-12-01T17:30:00-05:00", true},
		{"2026-12-01T17:30", "2026-12-01T17:30:00-05:00", true},
		{"2026-12-01T17:30:00Z", "2026-12-01T12:30:00-05:00", true},
		{"1764979200000", "2025-12-05T19:00:00-05:00", true},
		{"today", "2026-11-28T00:00:00-05:00", false},
		{"Tomorrow", "2026-11-29T00:00:00-05:00", false},
		{"yesterday", "2026-11-27T00:00:00-05:00", false},
		{"end of month", "2026-11-30T00:00:00-05:00", false},
		{"end of week", "2026-12-04T00:00:00-05:00", false},
		{"tomorrow 5pm", "2026-11-29T17:00:00-05:00", true},
		{"next friday", "2026-12-04T00:00:00-05:00", false},
		{"in 3 days", "2026-12-01T00:00:00-05:00", false},
	}
	for _, tc := range tests {
		got, hasTime, err := ParseDate("due_date", tc.in, loc, now)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got.Format(time.RFC3339) != tc.want || hasTime != tc.hasTime {
			t.Errorf("%q: got %s (time %v), want %s (time %v)", tc.in, got.Format(time.RFC3339), hasTime, tc.want, tc.hasTime)
		}
	}
	for _, bad := range []string{"", "soonish", "2026-13-45", "12345", "next blursday", "tomorrow and then some other words"} {
		if _, _, err := ParseDate("due_date", bad, loc, now); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestParsePriorityAndDuration(t *testing.T) {
	for in, want := range map[string]int{"urgent": 1, "HIGH": 2, "normal": 3, "low": 4, "1": 1, "4": 4} {
		if got, err := ParsePriority("priority", in); err != nil || got != want {
			t.Errorf("priority %q: %d, %v", in, got, err)
		}
	}
	if _, err := ParsePriority("priority", "5"); err == nil {
		t.Error("priority 5 accepted")
	}
	for in, want := range map[string]int64{"90m": 5400000, "1h30m": 5400000, "2h": 7200000, "45": 2700000, "1.5h": 5400000, "2 hours": 7200000} {
		if got, err := ParseDuration("time_estimate", in); err != nil || got != want {
			t.Errorf("duration %q: %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "soon", "-5m", "0"} {
		if _, err := ParseDuration("time_estimate", bad); err == nil {
			t.Errorf("duration %q accepted", bad)
		}
	}
}
