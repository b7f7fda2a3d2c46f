package clickup

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// The token is redacted in every spelling a URL or a body can carry it in.
func TestScrubEverySpelling(t *testing.T) {
	tok := "pk_4242_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	c := New(tok)
	pct := func(s string, upper bool) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if upper {
				fmt.Fprintf(&b, "%%%02X", s[i])
			} else {
				fmt.Fprintf(&b, "%%%02x", s[i])
			}
		}
		return b.String()
	}
	uesc := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, `\u%04x`, s[i])
		}
		return b.String()
	}
	jsonEsc, _ := json.Marshal(tok)
	for _, tc := range []struct{ name, text string }{
		{"literal", "token " + tok + " rejected"},
		{"percent-encoded, upper hex", "token=" + pct(tok, true) + "&x=1"},
		{"percent-encoded, lower hex", "token=" + pct(tok, false)},
		{"only the underscores encoded", strings.ReplaceAll(tok, "_", "%5F")},
		{"query-escaped", url.QueryEscape(tok)},
		{"path-escaped", url.PathEscape(tok)},
		{"JSON-escaped", `{"t":` + string(jsonEsc) + `}`},
		{"\\u-escaped", `{"t":"` + uesc(tok) + `"}`},
		{"mixed per character", "pk%5f4242\\u005fABCDEFGHIJ%4bLMNOPQRSTUVWXYZ0123456789"},
		{"base64", "Basic " + base64.StdEncoding.EncodeToString([]byte(tok))},
		{"base64 inside a credential", "Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+tok))},
		{"base64 at offset 1", base64.StdEncoding.EncodeToString([]byte("u:" + tok + "!"))},
		{"base64url", base64.RawURLEncoding.EncodeToString([]byte("ab" + tok))},
	} {
		got := c.scrub(tc.text, &call{})
		if strings.Contains(decodeAll(got), "EFGHIJKLMNOPQRSTUVWXYZ012345") {
			t.Errorf("%s: %q still carries the token (%q decoded)", tc.name, got, decodeAll(got))
		}
	}
	// Text without the token is left alone.
	plain := "Task 86b1x2y3z not found (pk_ tokens look like pk_123_ABC; 100%25 sure)"
	if got := c.scrub(plain, &call{}); got != plain {
		t.Errorf("text without the token changed: %q", got)
	}
}

// decodeAll undoes the spellings a test looks through: percent and \u
// escapes, and base64 runs at every offset.
func decodeAll(s string) string {
	out := s
	if u, err := url.QueryUnescape(s); err == nil {
		out += " " + u
	}
	if u, err := url.PathUnescape(s); err == nil {
		out += " " + u
	}
	var js string
	if json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &js) == nil {
		out += " " + js
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" :,\"{}&=", r) }) {
		for k := 0; k < 4 && k < len(f); k++ {
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				t := strings.TrimRight(f[k:], "=")
				t = t[:len(t)/4*4]
				if b, err := enc.DecodeString(t); err == nil {
					out += " " + string(b)
				}
			}
		}
	}
	return out
}
