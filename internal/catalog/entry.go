package catalog

import "encoding/json"

// Entry is one catalogue operation, as generated into operations.json.
type Entry struct {
	ID      string   `json:"id"`      // readable and stable: "goals.key_results.create"
	Aliases []string `json:"aliases"` // ClickUp's operationId
	Version string   `json:"version"` // v2, v3
	Method  string   `json:"method"`
	Path    string   `json:"path"` // the spec's template
	Summary string   `json:"summary"`
	Kind    string   `json:"kind"`   // read, write, destructive
	Anchor  string   `json:"anchor"` // write scope: task, list, folder, space, view, doc, none ("" for reads)
	Area    string   `json:"area,omitempty"`
	Params  []Param  `json:"params,omitempty"`
	Body    *Body    `json:"body,omitempty"`
	// Pagination is page (0-based ?page=), cursor (?cursor=, next_cursor in the answer), start
	// (comments' start/start_id) or none.
	Pagination    string `json:"pagination"`
	CustomTaskIDs bool   `json:"custom_task_ids,omitempty"`
	Workspace     string `json:"workspace_param,omitempty"` // the parameter naming the workspace
}

// Param is a path or query parameter.
type Param struct {
	Name     string          `json:"name"`
	In       string          `json:"in"`
	Required bool            `json:"required,omitempty"`
	Form     string          `json:"form,omitempty"` // date, person, place, task_id: the house forms apply
	Schema   json.RawMessage `json:"schema"`
}

// Body is a request body.
type Body struct {
	ContentType string            `json:"content_type"`
	Required    bool              `json:"required,omitempty"`
	Forms       map[string]string `json:"forms,omitempty"` // top-level field -> house form
	Schema      json.RawMessage   `json:"schema"`
}

// File is the layout of operations.json.
type File struct {
	About      string  `json:"about"`
	Operations []Entry `json:"operations"`
}
