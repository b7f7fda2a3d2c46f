package clickup

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// literalSeg and paramSeg accept exactly what the expressions they
// replaced accept, and paramSeg returns the same name.
func TestPathSegmentsMatchExpressions(t *testing.T) {
	literal := regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
	param := regexp.MustCompile(`^\{([A-Za-z_][A-Za-z0-9_]*)\}$`)
	cases := []string{"", "v2", "task", "a.b-c", ".x", "-x", "_x", "{}", "{a}", "{_a1}", "{1a}", "{a-b}", "{a}}", "{{a}", "{a", "a}", "{é}", "é", "a b", "a\n", "{a}\n"}
	runes := []rune("aZ09_.-{} é\n/")
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteByte('{')
		}
		for range r.IntN(8) {
			b.WriteRune(runes[r.IntN(len(runes))])
		}
		if r.IntN(2) == 0 {
			b.WriteByte('}')
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := literalSeg(s), literal.MatchString(s); got != want {
			t.Errorf("literalSeg(%q) = %v, the expression says %v", s, got, want)
		}
		name, ok := paramSeg(s)
		m := param.FindStringSubmatch(s)
		if ok != (m != nil) || (ok && name != m[1]) {
			t.Errorf("paramSeg(%q) = %q %v, the expression says %q", s, name, ok, m)
		}
	}
}
