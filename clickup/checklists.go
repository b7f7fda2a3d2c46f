package clickup

import (
	"context"
	"errors"
	"strings"
)

// ChecklistsService writes task checklists and their items (API-NOTES §5
// "Checklists"). Checklists are read with their task: GET /v2/task/{id}
// carries them in Task.Checklists.
type ChecklistsService service

// checklistAnswer is how the checklist endpoints that answer with one
// wrap it.
type checklistAnswer struct {
	Checklist *Checklist `json:"checklist"`
}

func (a *checklistAnswer) get(method, tmpl string) (*Checklist, error) {
	if a.Checklist == nil {
		// The write was answered 2xx: it took effect.
		return nil, &Error{Kind: KindDecode, Method: method, Path: tmpl, Message: "the answer carries no checklist", MaybeApplied: true}
	}
	return a.Checklist, nil
}

// Create adds a checklist to a task (POST /v2/task/{task_id}/checklist).
// Like every POST it is not retried once it may have reached ClickUp.
func (s *ChecklistsService) Create(ctx context.Context, ref TaskRef, name string) (*Checklist, error) {
	const tmpl = "/v2/task/{task_id}/checklist"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if strings.TrimSpace(name) == "" {
		return nil, invalid(post, tmpl, errors.New("a checklist needs a name"))
	}
	var out checklistAnswer
	body := struct {
		Name string `json:"name"`
	}{name}
	if err := s.c.do(ctx, &call{method: post, path: "/v2/task/" + id + "/checklist", query: q.String(), body: body}, &out); err != nil {
		return nil, err
	}
	return out.get(post, tmpl)
}

// ChecklistEdit is the body of PUT /v2/checklist/{checklist_id}; nil
// fields are left alone.
type ChecklistEdit struct {
	Name     *string `json:"name,omitempty"`
	Position *int    `json:"position,omitempty"`
}

// Edit renames or moves a checklist (PUT /v2/checklist/{checklist_id});
// ClickUp answers an empty object.
func (s *ChecklistsService) Edit(ctx context.Context, checklistID string, body *ChecklistEdit) error {
	const tmpl = "/v2/checklist/{checklist_id}"
	p, err := pathFor("/v2/checklist/%s", checklistID)
	if err != nil {
		return invalid(put, tmpl, err)
	}
	if body == nil || (body.Name == nil && body.Position == nil) {
		return invalid(put, tmpl, errors.New("nothing to change"))
	}
	return s.c.do(ctx, &call{method: put, path: p, body: body}, nil)
}

// Delete deletes a checklist with its items (DELETE /v2/checklist/{checklist_id}).
func (s *ChecklistsService) Delete(ctx context.Context, checklistID string) error {
	p, err := pathFor("/v2/checklist/%s", checklistID)
	if err != nil {
		return invalid(del, "/v2/checklist/{checklist_id}", err)
	}
	return s.c.do(ctx, &call{method: del, path: p}, nil)
}

// ChecklistItemCreate is the body of POST /v2/checklist/{checklist_id}/checklist_item.
type ChecklistItemCreate struct {
	Name     string `json:"name"`
	Assignee int64  `json:"assignee,omitempty"`
}

// CreateItem adds an item and answers the checklist with every item (POST
// /v2/checklist/{checklist_id}/checklist_item). Like every POST it is not
// retried once it may have reached ClickUp.
func (s *ChecklistsService) CreateItem(ctx context.Context, checklistID string, body *ChecklistItemCreate) (*Checklist, error) {
	const tmpl = "/v2/checklist/{checklist_id}/checklist_item"
	p, err := pathFor("/v2/checklist/%s/checklist_item", checklistID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || strings.TrimSpace(body.Name) == "" {
		return nil, invalid(post, tmpl, errors.New("an item needs a name"))
	}
	var out checklistAnswer
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return out.get(post, tmpl)
}

// ChecklistItemEdit is the body of PUT
// /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}: nil
// fields are left alone. Assignee is a user id, sent as the string the
// spec declares; Null[string]() unassigns. Parent nests the item under
// another of the checklist (Null unnests).
type ChecklistItemEdit struct {
	Name     *string          `json:"name,omitempty"`
	Resolved *bool            `json:"resolved,omitempty"`
	Assignee Nullable[string] `json:"assignee,omitzero"`
	Parent   Nullable[string] `json:"parent,omitzero"`
}

// EditItem changes an item and answers the checklist with every item.
func (s *ChecklistsService) EditItem(ctx context.Context, checklistID, itemID string, body *ChecklistItemEdit) (*Checklist, error) {
	const tmpl = "/v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}"
	p, err := pathFor("/v2/checklist/%s/checklist_item/%s", checklistID, itemID)
	if err != nil {
		return nil, invalid(put, tmpl, err)
	}
	if body == nil || (body.Name == nil && body.Resolved == nil && !body.Assignee.Set && !body.Parent.Set) {
		return nil, invalid(put, tmpl, errors.New("nothing to change"))
	}
	var out checklistAnswer
	if err := s.c.do(ctx, &call{method: put, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return out.get(put, tmpl)
}

// DeleteItem deletes an item (DELETE
// /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}).
func (s *ChecklistsService) DeleteItem(ctx context.Context, checklistID, itemID string) error {
	p, err := pathFor("/v2/checklist/%s/checklist_item/%s", checklistID, itemID)
	if err != nil {
		return invalid(del, "/v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}", err)
	}
	return s.c.do(ctx, &call{method: del, path: p}, nil)
}
