package clickup

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Operation names one ClickUp API operation by its method and path template, as the specs
// write them: "/v2/goal/{goal_id}" for v2, "/api/v3/workspaces/{workspace_id}/docs" (or
// "/v3/...") for v3.
type Operation struct {
	Method string
	Path   string
}

func (op Operation) String() string { return op.Method + " " + op.Path }

// Params are an operation's arguments besides its body.
type Params struct {
	// Path fills the template's {name} placeholders; every placeholder needs a non-empty
	// value, and a value for a name the template lacks is an error. Values are escaped, so
	// "a/b" stays one segment.
	Path map[string]string
	// Query is sent as given, keys in sorted order; name array parameters as the spec does
	// ("statuses[]").
	Query url.Values
}

var callMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// A path template's segments are read by hand, not with regular
// expressions compiled in package init at every start (call_seg_test.go
// checks both against the expressions they replace).

// literalSeg reports whether seg matches `^[A-Za-z0-9_][A-Za-z0-9_.-]*$`.
func literalSeg(seg string) bool {
	if seg == "" || seg[0] == '.' || seg[0] == '-' {
		return false
	}
	for i := 0; i < len(seg); i++ {
		if c := seg[i]; !segChar(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// paramSeg returns the name of a `^\{([A-Za-z_][A-Za-z0-9_]*)\}$` segment.
func paramSeg(seg string) (string, bool) {
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return "", false
	}
	name := seg[1 : len(seg)-1]
	if '0' <= name[0] && name[0] <= '9' {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		if !segChar(name[i]) {
			return "", false
		}
	}
	return name, true
}

// segChar is [A-Za-z0-9_].
func segChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// Call runs an operation that has no typed method, with the same engine as the typed ones: the
// token's shared rate budget, the retry rules (a 429 is retried; a 5xx or network error only for
// GET, PUT and DELETE, never a POST or PATCH that may have been applied), redaction of the token,
// and typed *Error results. body is JSON-encoded when non-nil (a json.RawMessage goes as is; a
// *Multipart goes as multipart/form-data);
// out, when non-nil, receives the JSON of a 2xx answer and is left untouched by an empty one
// (a 204). Bad arguments (an unknown method, a template that is not a ClickUp path, a missing
// or unknown path parameter) are a KindInvalid error and no request is made.
func (c *Client) Call(ctx context.Context, op Operation, p Params, body, out any) error {
	method := strings.ToUpper(strings.TrimSpace(op.Method))
	path, err := fillPath(op.Path, p.Path)
	if err != nil {
		return invalid(method, op.Path, err)
	}
	if !contains(callMethods, method) {
		return invalid(method, path, fmt.Errorf("method %q: want one of %s", op.Method, strings.Join(callMethods, ", ")))
	}
	rq := &call{method: method, path: path, query: encodeValues(p.Query), body: body, allowEmpty: true}
	return c.do(ctx, rq, out)
}

// fillPath checks a path template and fills its placeholders, returning the escaped path
// relative to the API root ("/v2/...", "/v3/...").
func fillPath(tmpl string, values map[string]string) (string, error) {
	rel := strings.TrimPrefix(tmpl, "/api")
	if !strings.HasPrefix(rel, "/v2/") && !strings.HasPrefix(rel, "/v3/") {
		return "", fmt.Errorf("path %q: want a ClickUp path template under /v2/ or /api/v3/", tmpl)
	}
	used := map[string]bool{}
	var b strings.Builder
	for _, seg := range strings.Split(rel[1:], "/") {
		b.WriteByte('/')
		if name, ok := paramSeg(seg); ok {
			v, ok := values[name]
			switch {
			case !ok || v == "":
				return "", fmt.Errorf("path parameter %s: missing (the template %s needs it)", name, tmpl)
			case v == "." || v == "..":
				return "", fmt.Errorf("path parameter %s: %q is not an id", name, v)
			}
			used[name] = true
			b.WriteString(url.PathEscape(v))
			continue
		}
		if !literalSeg(seg) {
			return "", fmt.Errorf("path %q: segment %q is neither a name nor a {placeholder}", tmpl, seg)
		}
		b.WriteString(seg)
	}
	var extra []string
	for k := range values {
		if !used[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return "", fmt.Errorf("path parameters %s: not in the template %s", strings.Join(extra, ", "), tmpl)
	}
	return b.String(), nil
}

// encodeValues writes a query with spaces as %20 and literal brackets, as the typed methods do.
func encodeValues(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q query
	for _, k := range keys {
		for _, x := range v[k] {
			q.add(escapeQueryKey(k), x)
		}
	}
	return q.b.String()
}

// escapeQueryKey escapes a parameter name but keeps the brackets of "name[]" literal, the form
// ClickUp's docs show.
func escapeQueryKey(k string) string {
	base, arr := strings.CutSuffix(k, "[]")
	e := escapeQuery(base)
	if arr {
		e += "[]"
	}
	return e
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// emptyBody reports a body with nothing but whitespace.
func emptyBody(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }
