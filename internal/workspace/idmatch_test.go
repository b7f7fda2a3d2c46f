package workspace

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The expressions the hand-written id matchers replace (parse.go).
var (
	nativeIDRe  = regexp.MustCompile(`^[0-9a-z]{1,32}$`)
	customIDRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,15}-[0-9]{1,12}$`)
	numericIDRe = regexp.MustCompile(`^[0-9]{1,20}$`)
)

// TestIDMatchersAgreeWithRegexps: the matchers accept exactly what the
// expressions accept, on the edges (lengths at and past each bound,
// every character class and its neighbours, non-ASCII, newlines) and on
// random strings over those characters.
func TestIDMatchersAgreeWithRegexps(t *testing.T) {
	matchers := []struct {
		name string
		re   *regexp.Regexp
		f    func(string) bool
	}{
		{"native", nativeIDRe, isNativeID},
		{"custom", customIDRe, isCustomID},
		{"numeric", numericIDRe, isNumericID},
	}
	cases := []string{
		"", "0", "a", "z", "A", "_", "-", "86b1x2y3z", "DEV-123", "dev-1", "D-0", "D_-1", "_D-1", "1D-1",
		"DEV--1", "DEV-1-2", "DEV-", "-1", "DEV-12a", "DEV-1\n", "86b\n", "1\n", "é-1", "Dé-1", "DEV-١",
		strings.Repeat("a", 32), strings.Repeat("a", 33), strings.Repeat("9", 20), strings.Repeat("9", 21),
		"A" + strings.Repeat("b", 15) + "-1", "A" + strings.Repeat("b", 16) + "-1",
		"A-" + strings.Repeat("1", 12), "A-" + strings.Repeat("1", 13), "a b", " 1", "1 ", "`", "{", "@", "[", "/", ":",
	}
	const alphabet = "09azAZ_-`{@[/:. \n\x00é"
	r := rand.New(rand.NewPCG(1, 2))
	runes := []rune(alphabet)
	for range 20000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteRune(runes[r.IntN(len(runes))])
		}
		cases = append(cases, b.String())
	}
	// Shapes close to a custom id, which random strings rarely hit.
	for range 5000 {
		var b strings.Builder
		b.WriteRune(runes[r.IntN(6)])
		for range r.IntN(18) {
			b.WriteRune(runes[r.IntN(7)])
		}
		b.WriteByte('-')
		for range r.IntN(14) {
			b.WriteRune(runes[r.IntN(2)])
		}
		cases = append(cases, b.String())
	}
	for _, m := range matchers {
		for _, s := range cases {
			if got, want := m.f(s), m.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, the expression says %v", m.name, s, got, want)
			}
		}
	}
}
