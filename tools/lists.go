package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// --- clickup_get_list ---

type GetListArgs struct {
	ListID      workspace.ID `json:"list_id" jsonschema:"required" jsonschema_description:"list id, name or Space/Folder/List path"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

// ListStatus is one status of a list, in the list's order.
type ListStatus struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty" jsonschema_description:"open, custom, done or closed"`
}

// ListField is a custom field a task of the list can hold.
type ListField struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Options  []string `json:"options,omitempty" jsonschema_description:"option names (drop_down, labels)"`
	Required bool     `json:"required,omitempty"`
}

type GetListResult struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Path      string       `json:"path" jsonschema_description:"Space/Folder/List"`
	SpaceID   string       `json:"space_id"`
	TaskCount int          `json:"task_count"`
	Statuses  []ListStatus `json:"statuses"`
	Fields    []ListField  `json:"custom_fields"`
	Tags      []string     `json:"tags" jsonschema_description:"the space's tags"`
	Note      string       `json:"note,omitempty"`
}

// ResourceLinks: the list.
func (r *GetListResult) ResourceLinks() []mcp.ResourceLink { return render.ListLink(r.ID, r.Name) }

// maxListOptions bounds the options shown per field, and maxListTags the
// tags: a workspace with thousands of either still fits the budget.
const (
	maxListOptions = 60
	maxListTags    = 200
)

func GetList(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_list", Title: "Get list", Toolset: toolkit.ToolsetContext, Hints: toolkit.ReadHints, NotDefault: true,
		Description: "What a write to a list needs: its statuses in order, custom fields with type and option names, the space's tags.",
		Examples: []string{
			`{"list_id": "Sprint 12"}`,
			`{"list_id": "Engineering/Bugs"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetListArgs) (*GetListResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		id, err := s.ResolveNode(ctx, ws, "list_id", string(a.ListID), workspace.KindList)
		if err != nil {
			return nil, "", err
		}
		l, err := s.List(ctx, id)
		if err != nil {
			return nil, "", err
		}
		fields, err := s.ListFields(ctx, id)
		if err != nil {
			return nil, "", err
		}
		r := &GetListResult{ID: string(l.ID), Name: l.Name, TaskCount: int(l.TaskCount), Statuses: []ListStatus{}, Fields: []ListField{}, Tags: []string{}}
		var path []string
		if l.Space != nil {
			r.SpaceID = string(l.Space.ID)
			path = append(path, l.Space.Name)
		}
		if l.Folder != nil && !bool(l.Folder.Hidden) && l.Folder.Name != "" && l.Folder.Name != "hidden" {
			path = append(path, l.Folder.Name)
		}
		r.Path = strings.Join(append(path, l.Name), "/")
		for _, st := range l.Statuses {
			r.Statuses = append(r.Statuses, ListStatus{Name: st.Status, Type: st.Type})
		}
		for _, f := range fields {
			lf := ListField{ID: string(f.ID), Name: f.Name, Type: f.Type, Required: bool(f.Required)}
			opts := f.Config().Options
			for i, o := range opts {
				if i == maxListOptions {
					lf.Options = append(lf.Options, fmt.Sprintf("(and %d more)", len(opts)-i))
					break
				}
				lf.Options = append(lf.Options, o.Title())
			}
			r.Fields = append(r.Fields, lf)
		}
		if r.SpaceID != "" {
			tags, err := s.Client.Tags.ListForSpace(ctx, r.SpaceID)
			if err != nil {
				return nil, "", err
			}
			for i, t := range tags {
				if i == maxListTags {
					r.Note = fmt.Sprintf("%d more tags not shown.", len(tags)-i)
					break
				}
				r.Tags = append(r.Tags, t.Name)
			}
		}
		return r, listText(r), nil
	})
}

func listText(r *GetListResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "List %s (id %s, %d tasks)", r.Path, r.ID, r.TaskCount)
	names := make([]string, len(r.Statuses))
	for i, st := range r.Statuses {
		names[i] = st.Name
		if st.Type != "" && st.Type != "custom" {
			names[i] += " (" + st.Type + ")"
		}
	}
	fmt.Fprintf(&b, "\nStatuses: %s", strings.Join(names, " > "))
	if len(r.Fields) == 0 {
		b.WriteString("\nCustom fields: none")
	} else {
		b.WriteString("\nCustom fields:")
	}
	for _, f := range r.Fields {
		fmt.Fprintf(&b, "\n- %s (%s", workspace.Flat(f.Name), f.Type)
		if len(f.Options) > 0 {
			fmt.Fprintf(&b, ": %s", strings.Join(workspace.FlatAll(f.Options), ", "))
		}
		if f.Required {
			b.WriteString("; required")
		}
		b.WriteString(")")
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(&b, "\nTags: %s", strings.Join(workspace.FlatAll(r.Tags), ", "))
	}
	if r.Note != "" {
		b.WriteString("\n" + r.Note)
	}
	return b.String()
}
