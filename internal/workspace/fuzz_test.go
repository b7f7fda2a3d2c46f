package workspace

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// FuzzParseTaskRef: any string is refused with an argument error or read as
// an id that may go into a URL path.
func FuzzParseTaskRef(f *testing.F) {
	for _, s := range []string{"86b1x2y3z", "#86b1x2y3z", "CU-86b1x2y3z", "DEV-123", "dev-0", "https://app.clickup.com/t/86b1x2y3z",
		"https://app.clickup.com/t/9001/DEV-12", "app.clickup.com/t/abc", "http://evil.com/t/abc", "https://app.clickup.com.evil/t/abc",
		"https://app.clickup.com/t/..%2F..%2Fteam", "../../team", "abc/def", "abc%2Fdef", "\x00", "ＤＥＶ-１", " DEV-1 ", "CU-123", strings.Repeat("a", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseTaskRef("task_id", s)
		if err != nil {
			var ae *ArgError
			if !asArgError(err, &ae) {
				t.Fatalf("%q: not an argument error: %T %v", s, err, err)
			}
			if len(err.Error()) > 600 {
				t.Fatalf("%q: error of %d bytes echoes the input", s, len(err.Error()))
			}
			return
		}
		if e := clickup.ValidID(r.ID); e != nil {
			t.Fatalf("%q: read as id %q, which is not path-safe: %v", s, r.ID, e)
		}
		if r.Workspace != "" {
			if _, e := strconv.ParseUint(r.Workspace, 10, 64); e != nil {
				t.Fatalf("%q: workspace %q is not numeric", s, r.Workspace)
			}
		}
		if !r.Custom && !nativeIDRe.MatchString(r.ID) {
			t.Fatalf("%q: native id %q", s, r.ID)
		}
		if r.Custom && !customIDRe.MatchString(r.ID) {
			t.Fatalf("%q: custom id %q", s, r.ID)
		}
	})
}

// testNow is the tools tests' clock: a Wednesday.
var testNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

func asArgError(err error, ae **ArgError) bool {
	var e *ArgError
	ok := errors.As(err, &e)
	if ok {
		*ae = e
	}
	return ok
}

// FuzzParseDate: any string is an argument error with a short message, or a
// date a ClickUp millisecond field can hold.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-01", "2026-12-01 17:30", "2026-12-01T17:30:00Z", "2026-12-01T17:30:00+05:30", "1764547200000", "1764547200",
		"today", "tomorrow", "tomorrow 5pm", "next friday", "in 3 days", "end of month", "eow", "now", "yesterday at noon", "someday",
		"99999999999999999999", "-1", "0", "2026-02-30", "next friday at 25:99", "in 999999999 days", "\x00", "last tuesday 3:04pm"} {
		f.Add(s)
	}
	locs := []*time.Location{time.UTC, time.FixedZone("x", 14*3600), time.FixedZone("y", -12*3600)}
	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range locs {
			tm, _, err := ParseDate("due_date", s, loc, testNow)
			if err != nil {
				if ae := (*ArgError)(nil); !errors.As(err, &ae) {
					t.Fatalf("%q: not an argument error: %T", s, err)
				}
				if len(err.Error()) > 1000 {
					t.Fatalf("%q: error of %d bytes echoes the input", s, len(err.Error()))
				}
				continue
			}
			if tm.IsZero() {
				t.Fatalf("%q: a zero time without an error", s)
			}
		}
	})
}

// FuzzParseDuration: any string is an argument error or a positive number
// of milliseconds.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90m", "1h30m", "2h", "1.5", "90 mins", "2 hours", "1hr", "0", "-5m", "1e400", "NaN", "Inf", "1ns", "9999999999h", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseDuration("time_estimate", s)
		if err != nil {
			if ae := (*ArgError)(nil); !errors.As(err, &ae) {
				t.Fatalf("%q: not an argument error: %T", s, err)
			}
			if len(err.Error()) > 400 {
				t.Fatalf("%q: error of %d bytes", s, len(err.Error()))
			}
			return
		}
		if ms <= 0 {
			t.Fatalf("%q: %d ms accepted", s, ms)
		}
	})
}

// FuzzParsePriority: any string is an argument error or 1-4.
func FuzzParsePriority(f *testing.F) {
	for _, s := range []string{"urgent", "HIGH", " normal ", "medium", "low", "1", "4", "0", "5", "p0", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePriority("priority", s)
		if err != nil {
			if len(err.Error()) > 400 {
				t.Fatalf("%q: error of %d bytes", s, len(err.Error()))
			}
			return
		}
		if p < 1 || p > 4 {
			t.Fatalf("%q: priority %d", s, p)
		}
	})
}
