// Package whenrules carries the English and common date rules of
// github.com/olebedev/when v1.1.0 (Copyright 2016 Oleg Lebedev,
// Apache License 2.0: the LICENSE file beside this one), so that they are
// compiled when the first date in words is read instead of at every start.
//
// Upstream, rules/en and rules/common build their rules in package-level
// variables (en.All, common.All): linking them runs nine regular-expression
// compilations and builds four word maps in package init, about 0.5 ms and
// 380 KB of every start, although most starts read no date in words. What
// changed from v1.1.0:
//   - All returns en.All followed by common.All, built on each call (the
//     workspace calls it once, on the first date in words); nothing is
//     computed at init.
//   - The word maps (en.WEEKDAY_OFFSET, MONTH_OFFSET, INTEGER_WORDS,
//     ORDINAL_WORDS) are built by the rule that reads them, when the rule
//     is made; the patterns are constants; none of them is exported.
//   - github.com/pkg/errors' Wrap and Wrapf are fmt.Errorf with %w (the
//     same messages), github.com/AlekSi/pointer's ToInt is intp, and one
//     pattern is a raw string literal (the same expression).
//
// The rules themselves (patterns, appliers, their order) are unchanged:
// TestRulesMatchUpstream compares each with its upstream rule, and the
// workspace's TestNaturalDateMatchesWhen the whole parse with when.EN.
// The Rule, Match, Context and Options types are still
// github.com/olebedev/when/rules (a package with no initialiser).
package whenrules

import "github.com/olebedev/when/rules"

// All returns the English rules in upstream's order (Weekday, CasualDate,
// CasualTime, Hour, HourMinute, Deadline, PastTime, ExactMonthDate), then
// the common rule (SlashDMY), each with the Override strategy, as
// append(en.All, common.All...) did. Each call compiles them anew: call it
// once and keep the result.
func All() []rules.Rule {
	return []rules.Rule{
		Weekday(rules.Override),
		CasualDate(rules.Override),
		CasualTime(rules.Override),
		Hour(rules.Override),
		HourMinute(rules.Override),
		Deadline(rules.Override),
		PastTime(rules.Override),
		ExactMonthDate(rules.Override),
		SlashDMY(rules.Override),
	}
}

func intp(v int) *int { return &v }
