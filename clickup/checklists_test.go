package clickup

import (
	"encoding/json"
	"testing"
)

// An item's assignee arrives as a user object (GET task, item create), a
// bare id (the spec's item edit answer, as a string or a number) or null.
func TestChecklistItemAssigneeForms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		name string
	}{
		{`{"id":"a","name":"x","assignee":{"id":183,"username":"John"}}`, 183, "John"},
		{`{"id":"a","name":"x","assignee":"183"}`, 183, ""},
		{`{"id":"a","name":"x","assignee":183}`, 183, ""},
		{`{"id":"a","name":"x","assignee":null}`, 0, ""},
		{`{"id":"a","name":"x"}`, 0, ""},
	} {
		var it ChecklistItem
		if err := json.Unmarshal([]byte(c.in), &it); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var got int64
		var name string
		if it.Assignee != nil {
			got, name = int64(it.Assignee.ID), it.Assignee.Username
		}
		if got != c.want || name != c.name || it.Name != "x" || it.ID != "a" {
			t.Errorf("%s: assignee %d %q, item %+v", c.in, got, name, it)
		}
	}
	var it ChecklistItem
	if err := json.Unmarshal([]byte(`{"assignee":[1]}`), &it); err == nil {
		t.Error("an array assignee was accepted")
	}
}

// Bad input is refused before anything is sent.
func TestChecklistsRefuseBadInput(t *testing.T) {
	c := New("pk_test", WithBaseURL("http://clickup.invalid/api"))
	ctx := t.Context()
	for name, err := range map[string]error{
		"create without a name": func() error { _, err := c.Checklists.Create(ctx, Native("abc"), " "); return err }(),
		"create on a bad task":  func() error { _, err := c.Checklists.Create(ctx, Native("a/b"), "x"); return err }(),
		"edit with nothing":     c.Checklists.Edit(ctx, "cl", &ChecklistEdit{}),
		"delete a bad id":       c.Checklists.Delete(ctx, "../x"),
		"item without a name":   func() error { _, err := c.Checklists.CreateItem(ctx, "cl", &ChecklistItemCreate{}); return err }(),
		"item edit with nothing": func() error {
			_, err := c.Checklists.EditItem(ctx, "cl", "it", &ChecklistItemEdit{})
			return err
		}(),
		"item delete, bad id": c.Checklists.DeleteItem(ctx, "cl", "a?b"),
	} {
		if !IsKind(err, KindInvalid) {
			t.Errorf("%s: %v, want a KindInvalid error", name, err)
		}
	}
}
