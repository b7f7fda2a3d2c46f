package oauthserver

import (
	"strings"
	"testing"
)

// Every value on the pages is escaped for element text and double-quoted
// attributes: a hostile client name, host or request key can neither add
// markup nor leave its attribute.
func TestPagesEscapeEveryValue(t *testing.T) {
	hostile := `"><script>alert(1)</script><a href='x`
	var b strings.Builder
	writeConsentPage(&b, consentPage{Client: hostile, Host: hostile, Server: hostile, Redirect: hostile, Action: hostile, Request: hostile})
	writeProblemPage(&b, problem{Title: hostile, What: hostile, Fix: hostile})
	out := b.String()
	for _, bad := range []string{"<script>", hostile, "'x"} {
		if strings.Contains(out, bad) {
			t.Errorf("a value escaped its context (%q):\n%s", bad, out)
		}
	}
	if n := strings.Count(out, "&#34;&gt;&lt;script&gt;"); n != 12 {
		t.Errorf("%d escaped values, want 12 (the consent page's client three times and five others, the problem page's title twice, what and fix):\n%s", n, out)
	}
}
