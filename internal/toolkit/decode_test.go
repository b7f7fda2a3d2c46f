package toolkit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// flexID takes a string or a number, as the workspace's ID does.
type flexID string

func (id *flexID) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*id = flexID(n.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*id = flexID(s)
	return nil
}

func TestDecodeArgs(t *testing.T) {
	type args struct {
		TaskID string `json:"task_id"`
		Limit  int    `json:"limit"`
		List   flexID `json:"list_id"`
	}
	valid := []string{"limit", "list_id", "task_id"}
	var a args
	if err := decodeArgs(map[string]any{"task_id": "abc", "limit": 5, "list_id": 901234}, &a, valid); err != nil || a.List != "901234" {
		t.Fatalf("got %+v, %v", a, err)
	}
	err := decodeArgs(map[string]any{"taskid": "abc"}, &a, valid)
	var ae *ArgError
	if !errors.As(err, &ae) || ae.Arg != "taskid" || !strings.Contains(ae.Msg, "task_id") {
		t.Errorf("unknown field: %v", err)
	}
	err = decodeArgs(map[string]any{"limit": "five"}, &a, valid)
	if !errors.As(err, &ae) || ae.Arg != "limit" || !strings.Contains(ae.Msg, "integer") {
		t.Errorf("wrong type: %v", err)
	}
	if err := decodeArgs(nil, &a, valid); err != nil {
		t.Errorf("nil arguments: %v", err)
	}
	if err := decodeArgs([]any{1}, &a, valid); err == nil {
		t.Error("array arguments accepted")
	}
}

// Over the wire the framework decodes the arguments as they came
// (mcp-go's RawArguments), not from mcp-go's map encoded again: the same
// values and errors, ids past 2^53 whole, and the first bad argument as
// the model wrote them.
func TestDecodeRawArgs(t *testing.T) {
	type args struct {
		TaskID string `json:"task_id"`
		Limit  int    `json:"limit"`
		List   flexID `json:"list_id"`
	}
	valid := []string{"limit", "list_id", "task_id"}
	var a args
	if err := decodeArgs(json.RawMessage(`{"task_id": "abc", "limit": 5, "list_id": 9007199254740993}`), &a, valid); err != nil || a.List != "9007199254740993" || a.TaskID != "abc" || a.Limit != 5 {
		t.Fatalf("got %+v, %v", a, err)
	}
	var ae *ArgError
	if err := decodeArgs(json.RawMessage(`{"zzz": 1, "aaa": 2}`), &a, valid); !errors.As(err, &ae) || ae.Arg != "zzz" {
		t.Errorf("unknown field: %v", err)
	}
	if err := decodeArgs(json.RawMessage(`{"limit": "five"}`), &a, valid); !errors.As(err, &ae) || ae.Arg != "limit" || !strings.Contains(ae.Msg, "integer") {
		t.Errorf("wrong type: %v", err)
	}
	for _, raw := range []string{`null`, ` `, `{}`} {
		if err := decodeArgs(json.RawMessage(raw), &a, valid); err != nil {
			t.Errorf("%q: %v", raw, err)
		}
	}
}
