package tools

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// --- clickup_whoami ---

type WhoamiArgs struct{}

type WorkspaceInfo struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

type WhoamiResult struct {
	User               workspace.Person `json:"user"`
	Timezone           string           `json:"timezone,omitempty"`
	Workspaces         []WorkspaceInfo  `json:"workspaces"`
	DefaultWorkspaceID string           `json:"default_workspace_id,omitempty" jsonschema_description:"used when workspace_id is omitted"`
	Sandbox            bool             `json:"sandbox,omitempty" jsonschema_description:"true when serving the built-in demo workspace, not real ClickUp data"`
}

func Whoami(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_whoami", Title: "Who am I", Toolset: toolkit.ToolsetContext, Hints: toolkit.ReadHints,
		Description: "The ClickUp user this server acts as and the workspaces (ClickUp API: teams) it may use, with the default workspace. Call first when you need a workspace_id or your own user id.",
		Examples: []string{
			`{}`,
		},
	}, func(ctx context.Context, s *workspace.Session, _ *WhoamiArgs) (*WhoamiResult, string, error) {
		u, teams, err := s.Identity(ctx)
		if err != nil {
			return nil, "", err
		}
		r := &WhoamiResult{User: workspace.PersonOf(*u), Timezone: u.Timezone, Sandbox: d.Config().Sandbox, Workspaces: []WorkspaceInfo{}}
		for _, t := range teams {
			r.Workspaces = append(r.Workspaces, WorkspaceInfo{ID: string(t.ID), Name: t.Name, Members: len(t.Members)})
		}
		if ws, err := s.Workspace(ctx, ""); err == nil {
			r.DefaultWorkspaceID = ws
		}
		var b strings.Builder
		if r.Sandbox {
			b.WriteString("SANDBOX: a built-in demo workspace, not real ClickUp data.\n")
		}
		fmt.Fprintf(&b, "You are %s.\nWorkspaces:", r.User)
		for _, w := range r.Workspaces {
			fmt.Fprintf(&b, "\n- %s (id %s, %d members)", w.Name, w.ID, w.Members)
		}
		if r.DefaultWorkspaceID != "" {
			fmt.Fprintf(&b, "\nDefault workspace: %s", r.DefaultWorkspaceID)
		}
		return r, b.String(), nil
	})
}

// --- clickup_get_workspace_hierarchy ---

type HierarchyArgs struct {
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"workspace id or name; optional when the token has one workspace"`
	SpaceID     workspace.ID `json:"space_id,omitempty" jsonschema_description:"only this space (id or name)"`
	Refresh     bool         `json:"refresh,omitempty" jsonschema_description:"reload from ClickUp instead of the cache (up to 5 minutes old)"`
}

func GetWorkspaceHierarchy(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_workspace_hierarchy", Title: "Workspace hierarchy", Toolset: toolkit.ToolsetContext, Hints: toolkit.ReadHints,
		Description: "Spaces > folders > lists of a workspace, with ids and task counts. Other tools also take list, folder and space names or paths (Space/Folder/List), so call this to browse, not to look up one id.",
		Examples: []string{
			`{}`,
			`{"space_id": "Engineering"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *HierarchyArgs) (*workspace.HierarchyResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		r, err := s.Tree(ctx, ws, a.Refresh)
		if err != nil {
			return nil, "", err
		}
		if a.SpaceID != "" {
			id, err := s.ResolveNode(ctx, ws, "space_id", string(a.SpaceID), workspace.KindSpace)
			if err != nil {
				return nil, "", err
			}
			all := r.Spaces
			r.Spaces = nil
			for _, sp := range all {
				if sp.ID == id {
					r.Spaces = append(r.Spaces, sp)
				}
			}
			if r.Spaces == nil {
				return nil, "", workspace.InvalidArg("space_id", "space %s is not in workspace %s (or is archived)", id, ws)
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Workspace %s", ws)
		if r.AgeSeconds > 0 {
			fmt.Fprintf(&b, " (cached %ds ago; refresh=true reloads)", r.AgeSeconds)
		}
		b.WriteString(":")
		for _, sp := range r.Spaces {
			fmt.Fprintf(&b, "\n%s (space %s)", sp.Name, sp.ID)
			for _, f := range sp.Folders {
				fmt.Fprintf(&b, "\n  %s/ (folder %s)", f.Name, f.ID)
				for _, l := range f.Lists {
					fmt.Fprintf(&b, "\n    %s (list %s, %d tasks)", l.Name, l.ID, l.TaskCount)
				}
			}
			for _, l := range sp.Lists {
				fmt.Fprintf(&b, "\n  %s (list %s, %d tasks)", l.Name, l.ID, l.TaskCount)
			}
		}
		return r, b.String(), nil
	})
}

// --- clickup_list_members ---

type ListMembersArgs struct {
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"workspace id; optional when the token has one workspace"`
	Query       string       `json:"query,omitempty" jsonschema_description:"keep members whose name or email contains this (case-insensitive)"`
	TaskID      string       `json:"task_id,omitempty" jsonschema_description:"list the people with explicit access to this task instead"`
	ListID      workspace.ID `json:"list_id,omitempty" jsonschema_description:"list id, name or path: list the people with explicit access to this list instead"`
}

type MembersResult struct {
	Members []workspace.Person `json:"members"`
	Scope   string             `json:"scope" jsonschema_description:"workspace, task or list"`
}

func ListMembers(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_list_members", Title: "List members", Toolset: toolkit.ToolsetContext, Hints: toolkit.ReadHints,
		Description: "People in the workspace (filter with query on name or email), or with task_id / list_id the people with explicit access to that task or list. Use to find assignees; tools also accept names and emails directly.",
		Examples: []string{
			`{}`,
			`{"query": "priya"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *ListMembersArgs) (*MembersResult, string, error) {
		var users []clickup.User
		r := &MembersResult{Scope: "workspace"}
		switch {
		case a.TaskID != "" && a.ListID != "":
			return nil, "", workspace.InvalidArg("task_id", "give task_id or list_id, not both")
		case a.TaskID != "":
			ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			if users, err = s.Client.Tasks.Members(ctx, ref); err != nil {
				return nil, "", err
			}
			r.Scope = "task"
		case a.ListID != "":
			ws, _ := s.Workspace(ctx, string(a.WorkspaceID))
			id, err := s.ResolveNode(ctx, ws, "list_id", string(a.ListID), workspace.KindList)
			if err != nil {
				return nil, "", err
			}
			if users, err = s.Client.Lists.Members(ctx, id); err != nil {
				return nil, "", err
			}
			r.Scope = "list"
		default:
			ws, err := s.Workspace(ctx, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			if users, err = s.Members(ctx, ws); err != nil {
				return nil, "", err
			}
		}
		q := strings.ToLower(strings.TrimSpace(a.Query))
		r.Members = []workspace.Person{}
		for _, u := range users {
			if q == "" || strings.Contains(strings.ToLower(u.Username), q) || strings.Contains(strings.ToLower(u.Email), q) {
				r.Members = append(r.Members, workspace.PersonOf(u))
			}
		}
		sort.Slice(r.Members, func(i, j int) bool {
			return strings.ToLower(r.Members[i].Username) < strings.ToLower(r.Members[j].Username)
		})
		var b strings.Builder
		fmt.Fprintf(&b, "%d %s members", len(r.Members), r.Scope)
		for _, m := range r.Members {
			fmt.Fprintf(&b, "\n- %s", m)
		}
		return r, b.String(), nil
	})
}
