package tokens

import (
	"strings"
	"testing"
)

// Known o200k counts, checked against OpenAI's tiktoken.
func TestCountKnown(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello world", 2},
		{"tiktoken is great!", 6},
	} {
		if got := Count(c.in); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestCountGrowsWithText(t *testing.T) {
	one := Count("The quick brown fox jumps over the lazy dog. ")
	ten := Count(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 10))
	if one == 0 || ten < 9*one || ten > 11*one {
		t.Fatalf("one sentence %d tokens, ten %d: not about ten times", one, ten)
	}
}

func TestJSON(t *testing.T) {
	n, err := JSON(map[string]any{"name": "clickup_get_task"})
	if err != nil || n == 0 {
		t.Fatalf("JSON = %d, %v", n, err)
	}
	if _, err := JSON(func() {}); err == nil {
		t.Fatal("JSON of a func: want an error")
	}
}

// Invalid UTF-8 must count, not fail or panic: results cut on a byte
// boundary could carry it.
func TestCountInvalidUTF8(t *testing.T) {
	if n := Count("ab\xff\xfecd"); n == 0 {
		t.Fatal("invalid UTF-8 counted as zero tokens")
	}
}

// BenchmarkCount is the steady cost of counting compact JSON.
func BenchmarkCount(b *testing.B) {
	s := strings.Repeat(`{"id":"86b1x2y3z","name":"Fix the login page","status":"in progress"} `, 100)
	Count(s)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Count(s)
	}
}
