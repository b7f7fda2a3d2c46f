package clickup

import (
	"fmt"
	"strings"
)

// maxIDLen bounds an id: ClickUp's longest ids are UUIDs (36 bytes) and
// custom task ids are short; anything this long is a mistake or an attack.
const maxIDLen = 256

// ValidID reports whether s may be used as an id in a request path. It
// rejects empty ids, ids longer than 256 bytes, and ids containing '/', '?',
// '#', "..", whitespace or control characters, so that a hostile id can
// never reach ClickUp as a different path. The error is a KindInvalid *Error.
func ValidID(s string) error {
	why := ""
	switch {
	case s == "":
		why = "is empty"
	case len(s) > maxIDLen:
		why = fmt.Sprintf("is longer than %d bytes", maxIDLen)
	case strings.ContainsAny(s, "/?#\\"):
		why = `contains one of / ? # \`
	case strings.Contains(s, ".."):
		why = `contains ".."`
	default:
		for _, r := range s {
			if r < 0x20 || r == 0x7f || r == ' ' || r == 0x85 || r == 0xa0 || r == 0xfffd {
				why = "contains whitespace, a control character or invalid UTF-8"
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: fmt.Sprintf("invalid id %.80q: %s", s, why)}
}

// validTag checks a tag name, which is path-escaped as a whole segment: it
// may hold spaces and most punctuation, but not a path separator or a dot
// segment, which some servers and proxies would resolve.
func validTag(s string) error {
	why := ""
	switch {
	case strings.TrimSpace(s) == "":
		why = "is empty"
	case len(s) > maxIDLen:
		why = fmt.Sprintf("is longer than %d bytes", maxIDLen)
	case strings.ContainsAny(s, "/\\"):
		why = `contains / or \`
	case s == "." || s == "..":
		why = "is a dot segment"
	default:
		for _, r := range s {
			if r < 0x20 || r == 0x7f || r == 0xfffd {
				why = "contains a control character or invalid UTF-8"
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: fmt.Sprintf("invalid tag name %.80q: %s", s, why)}
}

// bareToken strips surrounding space and a "Bearer " prefix.
func bareToken(token string) string {
	t := strings.TrimSpace(token)
	if len(t) >= 7 && strings.EqualFold(t[:7], "bearer ") {
		t = strings.TrimSpace(t[7:])
	}
	return t
}

// authorization is the Authorization header value for a token: personal
// tokens raw, a value already saying "Bearer ..." as is, anything else as an
// OAuth bearer token.
func authorization(token string) string {
	t := strings.TrimSpace(token)
	switch {
	case t == "":
		return ""
	case strings.HasPrefix(t, "pk_"):
		return t
	case len(t) >= 7 && strings.EqualFold(t[:7], "bearer "):
		return t
	}
	return "Bearer " + t
}

// Redact renders a token safe for logs: its kind prefix and last four
// characters ("pk_…abcd", "…wxyz"). Tokens too short to hide anything show
// no tail at all. An empty token gives "".
func Redact(token string) string {
	t := bareToken(token)
	if t == "" {
		return ""
	}
	prefix := ""
	if strings.HasPrefix(t, "pk_") {
		prefix = "pk_"
	}
	rest := t[len(prefix):]
	if len(rest) < 16 {
		return prefix + "…"
	}
	tail := rest[len(rest)-4:]
	for _, r := range tail {
		if r < 0x21 || r > 0x7e {
			return prefix + "…"
		}
	}
	return prefix + "…" + tail
}

// tokenUsable reports whether a token can go in a header at all; a token
// with control characters would be refused by net/http, and we refuse it
// first so that its text cannot end up in any error.
func tokenUsable(token string) bool {
	for i := 0; i < len(token); i++ {
		if c := token[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
