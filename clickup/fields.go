package clickup

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
)

// FieldOption is an option of a drop_down or labels custom field, as
// type_config.options carries it (drop_down options have a name, labels a
// label).
type FieldOption struct {
	ID         FlexString `json:"id"`
	Name       string     `json:"name,omitempty"`
	Label      string     `json:"label,omitempty"`
	Color      string     `json:"color,omitempty"`
	Orderindex FlexInt    `json:"orderindex"`
}

// Title is the option's name (drop_down) or label (labels).
func (o FieldOption) Title() string {
	if o.Name != "" {
		return o.Name
	}
	return o.Label
}

// FieldConfig is the part of a custom field's type_config a write needs.
type FieldConfig struct {
	Options []FieldOption `json:"options,omitempty"`
	// Count is the number of stars of an emoji (rating) field.
	Count FlexInt `json:"count,omitempty"`
	// Start and End bound a manual progress field.
	Start FlexFloat `json:"start,omitempty"`
	End   FlexFloat `json:"end,omitempty"`
}

// Option finds an option by its id or by its orderindex: ClickUp takes a
// drop-down's value as the option id and answers it as the orderindex.
func (c FieldConfig) Option(key string) (FieldOption, bool) {
	for _, o := range c.Options {
		if string(o.ID) == key || strconv.FormatInt(int64(o.Orderindex), 10) == key {
			return o, true
		}
	}
	return FieldOption{}, false
}

// Config decodes the field's type_config; an absent or odd one is empty.
func (f *CustomField) Config() FieldConfig {
	var c FieldConfig
	if len(f.TypeConfig) > 0 {
		if json.Unmarshal(f.TypeConfig, &c) != nil {
			return FieldConfig{}
		}
	}
	return c
}

// Fields returns the custom fields a list's tasks can hold, the
// workspace's, space's and folder's included (GET /v2/list/{list_id}/field).
func (s *ListsService) Fields(ctx context.Context, listID string) ([]CustomField, error) {
	p, err := pathFor("/v2/list/%s/field", listID)
	if err != nil {
		return nil, invalid(get, "/v2/list/{list_id}/field", err)
	}
	var out struct {
		Fields []CustomField `json:"fields"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Fields), nil
}

// FieldValue is the body of Set Custom Field Value: the value in the
// field type's shape (API-NOTES §5), with value_options for dates.
type FieldValue struct {
	Value        json.RawMessage `json:"value"`
	ValueOptions *ValueOptions   `json:"value_options,omitempty"`
}

// ValueOptions says whether a date field's time of day is meant.
type ValueOptions struct {
	Time bool `json:"time"`
}

// SetField sets a custom field on a task
// (POST /v2/task/{task_id}/field/{field_id}). Like every POST it is not
// retried once it may have reached ClickUp; setting the same value again is
// harmless.
func (s *TasksService) SetField(ctx context.Context, ref TaskRef, fieldID string, v *FieldValue) error {
	const tmpl = "/v2/task/{task_id}/field/{field_id}"
	var q query
	id, err := taskRef(ref, &q)
	if err == nil {
		err = ValidID(fieldID)
	}
	if err == nil && (v == nil || len(v.Value) == 0) {
		err = errors.New("a value is needed; RemoveField clears one")
	}
	if err != nil {
		return invalid(post, tmpl, err)
	}
	return s.c.do(ctx, &call{method: post, path: "/v2/task/" + id + "/field/" + fieldID, query: q.String(), body: v, allowEmpty: true}, nil)
}

// RemoveField clears a custom field on a task
// (DELETE /v2/task/{task_id}/field/{field_id}).
func (s *TasksService) RemoveField(ctx context.Context, ref TaskRef, fieldID string) error {
	const tmpl = "/v2/task/{task_id}/field/{field_id}"
	var q query
	id, err := taskRef(ref, &q)
	if err == nil {
		err = ValidID(fieldID)
	}
	if err != nil {
		return invalid(del, tmpl, err)
	}
	return s.c.do(ctx, &call{method: del, path: "/v2/task/" + id + "/field/" + fieldID, query: q.String(), allowEmpty: true}, nil)
}
