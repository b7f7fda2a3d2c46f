package clickup

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// query builds a query string in insertion order. Array parameters go out
// as name[]=v repeated with literal brackets, the form ClickUp's docs show,
// and spaces as %20 ("use %20 for spaces" in the statuses[] docs).
type query struct{ b strings.Builder }

func escapeQuery(v string) string {
	// QueryEscape writes a literal '+' as %2B, so every '+' left is a space.
	return strings.ReplaceAll(url.QueryEscape(v), "+", "%20")
}

func (q *query) add(k, v string) {
	if q.b.Len() > 0 {
		q.b.WriteByte('&')
	}
	q.b.WriteString(k)
	q.b.WriteByte('=')
	q.b.WriteString(escapeQuery(v))
}

func (q *query) str(k, v string) {
	if v != "" {
		q.add(k, v)
	}
}

func (q *query) flag(k string, v bool) {
	if v {
		q.add(k, "true")
	}
}

func (q *query) boolean(k string, v bool) { q.add(k, strconv.FormatBool(v)) }

func (q *query) int(k string, v int) { q.add(k, strconv.Itoa(v)) }

func (q *query) millis(k string, m Millis) {
	if m != 0 {
		q.add(k, strconv.FormatInt(int64(m), 10))
	}
}

func (q *query) strs(k string, vs []string) {
	for _, v := range vs {
		q.add(k+"[]", v)
	}
}

func (q *query) ints(k string, vs []int) {
	for _, v := range vs {
		q.add(k+"[]", strconv.Itoa(v))
	}
}

// customFields sends the filter as ClickUp wants it: one parameter holding
// a stringified JSON array.
func (q *query) customFields(fs []CustomFieldFilter) error {
	if len(fs) == 0 {
		return nil
	}
	b, err := json.Marshal(fs)
	if err != nil {
		return err
	}
	q.add("custom_fields", string(b))
	return nil
}

func (q *query) String() string { return q.b.String() }

// taskRef validates ref and returns its escaped path segment, with the
// custom-id parameters added to q when the ref is a custom id.
func taskRef(ref TaskRef, q *query) (string, error) {
	if err := ValidID(ref.ID); err != nil {
		return "", err
	}
	if ref.IsCustom() {
		if err := ValidID(ref.TeamID); err != nil {
			return "", err
		}
		q.add("custom_task_ids", "true")
		q.add("team_id", ref.TeamID)
	}
	return url.PathEscape(ref.ID), nil
}

// pathFor validates ids and builds an escaped path from a pattern whose %s
// verbs each take one id.
func pathFor(pattern string, ids ...string) (string, error) {
	parts := strings.Split(pattern, "%s")
	if len(parts) != len(ids)+1 {
		panic("clickup: pathFor: pattern and ids disagree") // a bug in this package
	}
	var b strings.Builder
	for i, id := range ids {
		if err := ValidID(id); err != nil {
			return "", err
		}
		b.WriteString(parts[i])
		b.WriteString(url.PathEscape(id))
	}
	b.WriteString(parts[len(ids)])
	return b.String(), nil
}

var (
	get  = http.MethodGet
	post = http.MethodPost
	put  = http.MethodPut
	del  = http.MethodDelete
)
