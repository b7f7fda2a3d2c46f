package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// Custom fields by name, for clickup_create_task and clickup_update_task.

// CustomFieldArg sets (or, on update, clears) one custom field by name.
type CustomFieldArg struct {
	Field string     `json:"field" jsonschema:"required" jsonschema_description:"name or id"`
	Value FieldInput `json:"value,omitempty" jsonschema_description:"in words"`
	Clear bool       `json:"clear,omitempty" jsonschema_description:"empty it"`
}

// NewFieldArg sets one custom field of a new task by name.
type NewFieldArg struct {
	Field string     `json:"field" jsonschema:"required" jsonschema_description:"name or id"`
	Value FieldInput `json:"value" jsonschema:"required" jsonschema_description:"in words"`
}

func newFieldArgs(in []NewFieldArg) []CustomFieldArg {
	out := make([]CustomFieldArg, len(in))
	for i, a := range in {
		out[i] = CustomFieldArg{Field: a.Field, Value: a.Value}
	}
	return out
}

// FieldInput is a custom field value in words. Models send numbers,
// booleans and arrays as JSON; each is accepted and read as its text (an
// array as a list), the schema says string.
type FieldInput string

func (v *FieldInput) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*v = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = FieldInput(s)
	case b[0] == '[':
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		parts := make([]string, 0, len(arr))
		for _, e := range arr {
			var x FieldInput
			if err := x.UnmarshalJSON(e); err != nil {
				return err
			}
			parts = append(parts, string(x))
		}
		out, _ := json.Marshal(parts)
		*v = FieldInput(out)
	case b[0] == '{':
		return &json.UnmarshalTypeError{Value: "object", Type: stringType}
	default:
		var x any
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*v = FieldInput(fmt.Sprint(x))
	}
	return nil
}

var stringType = reflect.TypeOf("")

// fieldWrite is one checked custom field write.
type fieldWrite struct {
	field *clickup.CustomField
	value *clickup.FieldValue // nil: clear
}

func (w fieldWrite) label() string { return w.field.Name }

// checkFields resolves every entry against the list's fields and checks its
// value before anything is sent.
func checkFields(ctx context.Context, s *workspace.Session, ws, listID string, in []CustomFieldArg, update bool) ([]fieldWrite, error) {
	if len(in) == 0 {
		return nil, nil
	}
	fields, err := s.ListFields(ctx, listID)
	if err != nil {
		return nil, err
	}
	w, err := s.Workspace(ctx, ws)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]fieldWrite, 0, len(in))
	for i, a := range in {
		arg := fmt.Sprintf("custom_fields[%d]", i)
		f, err := workspace.ResolveField(arg+".field", fields, a.Field)
		if err != nil {
			return nil, err
		}
		if seen[string(f.ID)] {
			return nil, workspace.InvalidArg(arg+".field", "%q is given twice", f.Name)
		}
		seen[string(f.ID)] = true
		switch {
		case a.Clear && !update:
			return nil, workspace.InvalidArg(arg+".clear", "a new task has no value to clear; leave the field out")
		case a.Clear && a.Value != "":
			return nil, workspace.InvalidArg(arg, "give value or clear, not both")
		case a.Clear:
			out = append(out, fieldWrite{field: f})
			continue
		}
		v, opts, err := s.FieldValue(ctx, w, arg+".value", f, string(a.Value))
		if err != nil {
			return nil, err
		}
		out = append(out, fieldWrite{field: f, value: &clickup.FieldValue{Value: v, ValueOptions: opts}})
	}
	return out, nil
}

// createValues are the writes as Create Task's custom_fields.
func createValues(ws []fieldWrite) []clickup.CustomFieldValue {
	out := make([]clickup.CustomFieldValue, 0, len(ws))
	for _, w := range ws {
		cv := clickup.CustomFieldValue{ID: string(w.field.ID), Value: w.value.Value}
		if w.value.ValueOptions != nil {
			cv.ValueOptions, _ = json.Marshal(w.value.ValueOptions)
		}
		out = append(out, cv)
	}
	return out
}

// applyFields sends the writes one by one; on a failure it says which were
// applied.
func applyFields(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, ws []fieldWrite, before []string) ([]string, error) {
	var done []string
	for _, w := range ws {
		var err error
		if w.value == nil {
			err = s.Client.Tasks.RemoveField(ctx, ref, string(w.field.ID))
		} else {
			err = s.Client.Tasks.SetField(ctx, ref, string(w.field.ID), w.value)
		}
		if err != nil {
			applied := append(append([]string{}, before...), done...)
			what := "Nothing was changed."
			if len(applied) > 0 {
				what = "Already changed: " + strings.Join(applied, ", ") + "."
			}
			return done, workspace.WithHint(err, "%s Custom field %q and any after it were not set; setting it again is harmless.", what, w.label())
		}
		done = append(done, w.label())
	}
	return done, nil
}
