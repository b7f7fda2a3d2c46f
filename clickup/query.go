package clickup

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
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

// encode adds the fields of the struct v points to, in field order, from
// their `query:"name[,always][,json]"` tags: strings when not empty, bools
// when true, ints when not zero (always: even when zero), Millis when set,
// slices as name[] repeated, and json as one parameter holding the value's
// JSON (ClickUp's custom_fields filter). Fields without a tag are skipped.
func (q *query) encode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	rt := rv.Type()
	if rt.Kind() != reflect.Struct {
		panic("clickup: query.encode of a non-struct " + rt.String()) // a bug in this package
	}
	for i := range rt.NumField() {
		tag, ok := rt.Field(i).Tag.Lookup("query")
		if !ok {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		always := strings.Contains(","+opts+",", ",always,")
		asJSON := strings.Contains(","+opts+",", ",json,")
		f := rv.Field(i)
		if asJSON {
			if f.Len() == 0 {
				continue
			}
			b, err := json.Marshal(f.Interface())
			if err != nil {
				return err
			}
			q.add(name, string(b))
			continue
		}
		switch f.Kind() {
		case reflect.String:
			q.str(name, f.String())
		case reflect.Bool:
			q.flag(name, f.Bool())
		case reflect.Int, reflect.Int64:
			if n := f.Int(); n != 0 || always {
				q.add(name, strconv.FormatInt(n, 10))
			}
		case reflect.Slice:
			for j := range f.Len() {
				e := f.Index(j)
				switch e.Kind() {
				case reflect.String:
					q.add(name+"[]", e.String())
				case reflect.Int, reflect.Int64:
					q.add(name+"[]", strconv.FormatInt(e.Int(), 10))
				default:
					panic("clickup: query.encode: unsupported slice of " + e.Kind().String()) // a bug in this package
				}
			}
		default:
			panic("clickup: query.encode: unsupported field " + rt.Field(i).Name) // a bug in this package
		}
	}
	return nil
}
