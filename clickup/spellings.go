package clickup

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

// A ClickUp error, a proxy's page or a URL can carry the token in other
// spellings than the literal one: percent-encoded (pk%5F…, in either case
// of hex), JSON-escaped (\u0070k_…), with the two mixed character by
// character, or base64-encoded, alone or inside a longer base64 string (a
// Basic credential, an echoed header). spelled finds them all.

// spelled matches one secret in every spelling above.
type spelled struct {
	re    *regexp.Regexp // literal, percent and \u escapes, mixed per character
	cores []string       // base64 spellings at each of the three byte offsets
}

func newSpelled(secret string) *spelled {
	var b strings.Builder
	for i := 0; i < len(secret); i++ {
		c := secret[i]
		h := fmt.Sprintf("%02x", c)
		// The character itself, %HH in either case, \u00HH, or (for a
		// space) the '+' of form encoding.
		fmt.Fprintf(&b, `(?:%s|%%(?i:%s)|\\u00(?i:%s)`, regexp.QuoteMeta(string(c)), h, h)
		if c == ' ' {
			b.WriteString(`|\+`)
		}
		b.WriteString(")")
	}
	s := &spelled{re: regexp.MustCompile(b.String())}
	if len(secret) >= 12 {
		for k := 0; k < 3; k++ {
			enc := base64.StdEncoding.EncodeToString(append(make([]byte, k), secret...))
			// Drop the groups of four characters that also encode bytes
			// around the secret (the k leading bytes, the padding).
			lo, hi := 0, len(enc)-4
			if k > 0 {
				lo = 4
			}
			if hi-lo < 8 {
				continue
			}
			core := enc[lo:hi]
			s.cores = append(s.cores, core, strings.NewReplacer("+", "-", "/", "_").Replace(core))
		}
	}
	return s
}

func (s *spelled) replace(text, with string) string {
	text = s.re.ReplaceAllLiteralString(text, with)
	for _, c := range s.cores {
		text = strings.ReplaceAll(text, c, with)
	}
	return text
}

// tokenSpellings returns the client's matcher, built on first use: scrubbing
// runs on error paths only, so the happy path never pays for it.
func (c *Client) tokenSpellings() *spelled {
	c.spellOnce.Do(func() { c.spell = newSpelled(c.token) })
	return c.spell
}
