package tools

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// docIDRe's hand-written matcher accepts exactly what the expression it
// replaced accepts.
func TestDocIDMatchesExpression(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-z]{2,20}-[0-9]{1,12}$`)
	cases := []string{
		"", "8cht190-831", "ab-1", "a-1", "ab-", "-1", "ab--1", "ab-1-2", "AB-1", "ab-1\n", "ab_c-1", "ab-1a", "é1-1",
		strings.Repeat("a", 20) + "-1", strings.Repeat("a", 21) + "-1", "ab-" + strings.Repeat("1", 12), "ab-" + strings.Repeat("1", 13),
	}
	runes := []rune("09az-AZ_ \né/`{:")
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(36) {
			// Mostly id characters, so that near misses are common.
			if r.IntN(4) == 0 {
				b.WriteRune(runes[r.IntN(len(runes))])
			} else {
				b.WriteRune(runes[r.IntN(5)])
			}
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := docIDRe.MatchString(s), re.MatchString(s); got != want {
			t.Errorf("docIDRe.MatchString(%q) = %v, the expression says %v", s, got, want)
		}
	}
}
