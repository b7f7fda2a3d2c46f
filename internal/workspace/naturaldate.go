package workspace

import (
	"fmt"
	"sort"
	"time"

	"github.com/olebedev/when/rules"

	"github.com/clickup-mcp/clickup-mcp/internal/whenrules"
)

// naturalDate reads English date words ("tomorrow 5pm", "next friday")
// with olebedev/when's English and common rules. It does what
// when.Parser.Parse does (v1.1.0, Apache-2.0), so that the server links
// only those rules: the root package compiles the Brazilian, Dutch and
// Russian rules' regular expressions in its init, about 2 ms of every
// start for languages this server never reads. The rules are
// internal/whenrules' copy of rules/en and rules/common, compiled here (on
// the first date in words, see naturalParser) instead of in their
// packages' init at every start.
type naturalDate struct {
	rules    []rules.Rule
	distance int // the most characters between matches of one phrase
}

// dateMatch is a phrase found in a text and the time it names.
type dateMatch struct {
	Index int    // where the phrase starts
	Text  string // the phrase
	Time  time.Time
}

func newNaturalDate() *naturalDate {
	return &naturalDate{rules: whenrules.All(), distance: 5}
}

// parse finds the first date phrase in text, relative to base; nil when
// there is none.
func (p *naturalDate) parse(text string, base time.Time) (*dateMatch, error) {
	var matches []*rules.Match
	for i, r := range p.rules {
		if m := r.Find(text); m != nil {
			m.Order = float64(i)
			matches = append(matches, m)
		}
	}
	if len(matches) == 0 {
		return nil, nil
	}
	// The phrase is the first cluster of matches, each at most distance
	// characters after the previous one.
	sort.Sort(rules.MatchByIndex(matches))
	start, end := matches[0].Left, matches[0].Right
	for i, m := range matches {
		if m.Left > end+p.distance {
			matches = matches[:i]
			break
		}
		end = m.Right
	}
	res := &dateMatch{Index: start, Text: text[start:end], Time: base}
	// Rules apply in the order they were added (when's MatchByOrder).
	sort.Sort(rules.MatchByOrder(matches))
	opts := &rules.Options{Distance: p.distance, MatchByOrder: true}
	ctx := &rules.Context{Text: res.Text}
	applied := false
	for _, m := range matches {
		ok, err := m.Apply(ctx, opts, res.Time)
		if err != nil {
			return nil, err
		}
		applied = ok || applied
	}
	if !applied {
		return nil, nil
	}
	t, err := ctx.Time(res.Time)
	if err != nil {
		return nil, fmt.Errorf("bind context: %w", err)
	}
	res.Time = t
	return res, nil
}
