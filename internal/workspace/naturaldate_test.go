package workspace

import (
	"testing"
	"time"

	"github.com/olebedev/when"
)

// The English-only parser must read every phrase exactly as when.EN does
// (the root package, imported by this test only).
func TestNaturalDateMatchesWhen(t *testing.T) {
	base := time.Date(2026, 11, 25, 15, 4, 0, 0, time.UTC)
	p := newNaturalDate()
	for _, s := range []string{
		"tomorrow", "tomorrow 5pm", "next friday", "last monday", "in 3 days", "in 2 weeks",
		"friday at 10:30", "5pm", "noon", "this evening", "next week", "december 3rd",
		"3 dec at 9am", "within 2 hours", "2 days ago", "tonight", "  tomorrow  ", "the day after tomorrow",
		"next friday 17:00", "yesterday at 8", "nothing here", "", "123", "at 25:00", "on the 31st of february",
	} {
		want, werr := when.EN.Parse(s, base)
		got, gerr := p.parse(s, base)
		if (werr == nil) != (gerr == nil) || (want == nil) != (got == nil) {
			t.Errorf("%q: when %v %v, ours %v %v", s, want, werr, got, gerr)
			continue
		}
		if want == nil {
			continue
		}
		if got.Index != want.Index || got.Text != want.Text || !got.Time.Equal(want.Time) {
			t.Errorf("%q: when (%d %q %v), ours (%d %q %v)", s, want.Index, want.Text, want.Time, got.Index, got.Text, got.Time)
		}
	}
}
