package clickup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Kind classifies an Error by what a caller can do about it.
type Kind string

const (
	// KindUnauthorized: the token is missing, malformed, unknown or revoked
	// (OAUTH_017, OAUTH_019, OAUTH_021, OAUTH_025, OAUTH_077, or a bare 401).
	KindUnauthorized Kind = "unauthorized"
	// KindWorkspaceNotAuthorized: the token is valid but may not use that
	// workspace (OAUTH_023, OAUTH_026, OAUTH_027, OAUTH_029..OAUTH_045, or a
	// bare 403). ClickUp also answers OAUTH_027 for an id that does not exist.
	KindWorkspaceNotAuthorized Kind = "workspace_not_authorized"
	// KindNotFound: 404, or ITEM_013 (task) / ITEM_015 (list) not found.
	KindNotFound Kind = "not_found"
	// KindInvalid: the request was rejected (400 and other 4xx, e.g. ITEM_114
	// status does not exist) or refused before sending (a bad id).
	KindInvalid Kind = "invalid"
	// KindRateLimited: 429 / APP_002; RetryAfter says when to try again.
	KindRateLimited Kind = "rate_limited"
	// KindUpstream: a 5xx or an HTML error page from ClickUp or a proxy.
	KindUpstream Kind = "upstream"
	// KindNetwork: the request did not complete (dial, timeout, reset,
	// cancelled context).
	KindNetwork Kind = "network"
	// KindDecode: a 2xx whose body is not the JSON expected.
	KindDecode Kind = "decode"
)

// Error is every error the client returns; inspect it with errors.As or
// KindOf. It never holds the token, a query string or a request body.
type Error struct {
	Kind       Kind
	StatusCode int    // HTTP status; 0 when no response was received
	ECODE      string // ClickUp's error code, e.g. "OAUTH_027"
	Message    string // ClickUp's message (err, error or message), or a description of the failure
	Method     string
	Path       string // the API path, e.g. "/v2/task/9hx", without query
	// BaseURL is the API root the request went to (without user info),
	// e.g. "https://api.clickup.com/api".
	BaseURL string
	// WrongBaseURL is set on a 404 when GET <BaseURL>/v2/user answered 404
	// too: every path is missing there, so the base URL is likely wrong
	// (e.g. --api-url without /api).
	WrongBaseURL bool
	// RetryAfter is how long to wait before trying again (rate_limited).
	RetryAfter time.Duration
	// MaybeApplied is set on a failed write (POST, PUT, DELETE) that may have
	// reached ClickUp and taken effect: check before repeating it.
	MaybeApplied bool
	// Attempts is the number of HTTP requests made for this call.
	Attempts int
	// Err is the underlying cause (a network or decode error, or a context
	// error), if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("clickup: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		if e.Path != "" {
			if e.Method != "" {
				b.WriteByte(' ')
			}
			b.WriteString(e.Path)
		}
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
	} else {
		b.WriteString(string(e.Kind))
		if e.Message != "" {
			b.WriteByte(':')
		}
	}
	if e.ECODE != "" {
		b.WriteByte(' ')
		b.WriteString(e.ECODE)
	}
	if e.Message != "" {
		b.WriteByte(' ')
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Millisecond))
	}
	if e.MaybeApplied {
		b.WriteString(" (the write may have been applied)")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or "" when err
// is nil or not from this package.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// classify maps an HTTP status and ECODE to a Kind. The ECODE wins over the
// status: ClickUp's statuses for the same condition vary between endpoints.
func classify(status int, ecode string) Kind {
	switch ecode {
	case "OAUTH_017", "OAUTH_019", "OAUTH_021", "OAUTH_025", "OAUTH_077":
		return KindUnauthorized
	case "OAUTH_023", "OAUTH_026", "OAUTH_027":
		return KindWorkspaceNotAuthorized
	case "ITEM_013", "ITEM_015":
		return KindNotFound
	case "APP_002":
		return KindRateLimited
	}
	if n, ok := strings.CutPrefix(ecode, "OAUTH_"); ok {
		if v, err := strconv.Atoi(n); err == nil && v >= 29 && v <= 45 {
			return KindWorkspaceNotAuthorized
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindWorkspaceNotAuthorized
	case status == http.StatusNotFound:
		return KindNotFound
	case status >= 500:
		return KindUpstream
	case status >= 400:
		return KindInvalid
	}
	return KindUpstream // a 1xx/3xx we did not follow: not an answer we understand
}

// isHTML reports whether a body is an HTML page (a proxy or CDN error page)
// rather than ClickUp's JSON.
func isHTML(h http.Header, body []byte) bool {
	if strings.Contains(strings.ToLower(h.Get("Content-Type")), "text/html") {
		return true
	}
	t := bytes.TrimSpace(body)
	return len(t) > 0 && t[0] == '<'
}

// parseErrorBody reads ClickUp's error shapes: v2 {"err","ECODE"}, templates
// {"error","ECODE"}, v3 {"message","status"}. Unknown shapes give "", "".
func parseErrorBody(body []byte) (msg, ecode string) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", ""
	}
	for _, k := range []string{"err", "error", "message"} {
		if s := jsonText(m[k]); s != "" {
			msg = s
			break
		}
	}
	ecode = jsonText(m["ECODE"])
	return msg, ecode
}

// jsonText renders a string or number as text; objects yield their
// "message" field if any.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s FlexString
	if json.Unmarshal(raw, &s) == nil {
		return string(s)
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Message
	}
	return ""
}

// oneLine squeezes a message onto one short line.
func oneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// scrubbedError keeps an underlying error for errors.Is/As while hiding a
// secret that its text contained.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
