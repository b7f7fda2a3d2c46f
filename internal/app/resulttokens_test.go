package app

import (
	"strings"
	"testing"
)

func TestResultTokensFlag(t *testing.T) {
	for _, c := range []struct {
		tokens, bytes string
		want          int
		deprecated    bool
		err           string
	}{
		{"", "", 20000, false, ""},
		{"20000", "", 20000, false, ""},
		{"12000", "", 12000, false, ""},
		{"20000", "80000", 20000, true, ""},
		{"20000", "40000", 10000, true, ""},
		{"12000", "80000", 0, false, "conflicts"},
		{"lots", "", 0, false, "whole number"},
		{"-5", "", 0, false, "whole number"},
		{"20000", "80k", 0, false, "whole number"},
		{"10", "", 0, false, "out of range"},
	} {
		cfg := Config{MaxResultTokens: c.tokens, MaxResultBytes: c.bytes}
		n, dep, err := cfg.resultTokens()
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q/%q: err %v, want %q", c.tokens, c.bytes, err, c.err)
			}
			continue
		}
		if err != nil || n != c.want || dep != c.deprecated {
			t.Errorf("%q/%q: %d %v %v, want %d %v", c.tokens, c.bytes, n, dep, err, c.want, c.deprecated)
		}
	}
}
