package whenrules

import (
	"reflect"
	"testing"
	"time"

	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/common"
	"github.com/olebedev/when/rules/en"
)

// phrases exercise every rule: weekdays with this/last/next, casual dates
// and times, hours, hour:minute, deadlines and past times in words and
// digits (with a few and half), month dates with ordinals, slash dates.
var phrases = []string{
	"", "nothing here", "123", "next friday", "last monday", "this sunday", "on tue", "wed next week",
	"past thursday", "sat this week", "now", "today", "tonight", "last night", "tomorrow", "tmr", "yesterday",
	"this morning", "afternoon", "evening", "noon", "5pm", "11 P.M.", "5A.", "13pm", "10:30", "5:30 pm",
	"7-10pm", "23:59", "24:00", "11.10 pm", "in 3 days", "within two hours", "in a few weeks",
	"in half an hour", "in half a day", "in 2 months", "in an year", "in 10 minutes", "within 30 seconds",
	"in half a week", "in half a month", "in half a year", "2 days ago", "an hour ago", "a few minutes ago",
	"half a day ago", "three weeks ago", "2 months ago", "5 years ago", "half an hour ago", "half a year ago",
	"december 3rd", "3rd of march", "march third", "sept. 1st", "jan. 6", "twentieth of december",
	"twenty-first of june", "february", "31 feb", "11/3/2015", "29/2/2024", "31/4", "11\\3", "1/12",
	"friday at 10:30", "3 dec at 9am", "next friday 17:00", "in 99999999999999999999 days",
}

// Each rule finds and applies exactly as the upstream rule it carries.
func TestRulesMatchUpstream(t *testing.T) {
	upstream := append(append([]rules.Rule{}, en.All...), common.All...)
	ours := All()
	if len(ours) != len(upstream) {
		t.Fatalf("%d rules, upstream %d", len(ours), len(upstream))
	}
	refs := []time.Time{
		time.Date(2026, 11, 25, 15, 4, 0, 0, time.UTC), // a Wednesday in November
		time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),    // a Sunday in March
		time.Date(2024, 2, 29, 23, 30, 0, 0, time.UTC), // a leap day
	}
	for i := range ours {
		if a, b := ours[i].(*rules.F).RegExp.String(), upstream[i].(*rules.F).RegExp.String(); a != b {
			t.Errorf("rule %d: pattern %q, upstream %q", i, a, b)
		}
		for _, s := range phrases {
			want, got := upstream[i].Find(s), ours[i].Find(s)
			if (want == nil) != (got == nil) {
				t.Errorf("rule %d, %q: found %v, upstream %v", i, s, got != nil, want != nil)
				continue
			}
			if want == nil {
				continue
			}
			if got.Left != want.Left || got.Right != want.Right || got.Text != want.Text || !reflect.DeepEqual(got.Captures, want.Captures) {
				t.Errorf("rule %d, %q: match %+v, upstream %+v", i, s, *got, *want)
			}
			for _, ref := range refs {
				for _, o := range []*rules.Options{{Distance: 5, MatchByOrder: true}, {Afternoon: 14, Evening: 19, Morning: 7, Noon: 13}} {
					wc, gc := &rules.Context{Text: s}, &rules.Context{Text: s}
					wok, werr := want.Apply(wc, o, ref)
					gok, gerr := got.Apply(gc, o, ref)
					if wok != gok || (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
						t.Errorf("rule %d, %q at %v: applied %v %v, upstream %v %v", i, s, ref, gok, gerr, wok, werr)
					}
					if !reflect.DeepEqual(wc, gc) {
						t.Errorf("rule %d, %q at %v: context %+v, upstream %+v", i, s, ref, gc, wc)
					}
				}
			}
		}
	}
}
