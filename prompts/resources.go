package prompts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Resource URIs. The task template uses reserved expansion ({+task_id}) so a
// task URL works pasted as is as well as percent-encoded.
const (
	uriMe         = "clickup://me"
	uriHierarchy  = "clickup://workspace/{workspace_id}/hierarchy"
	uriTask       = render.TaskURIPrefix + "{+task_id}" // the links results carry (render.TaskLink) open here
	uriList       = render.ListURIPrefix + "{list_id}"
	mimeMarkdown  = render.LinkMIMEType
	taskURIPrefix = render.TaskURIPrefix
)

func (r *registry) resources() []server.ServerResource {
	return []server.ServerResource{{
		Resource: mcp.NewResource(uriMe, "me",
			mcp.WithResourceTitle("Me and my ClickUp workspaces"),
			mcp.WithResourceDescription("The ClickUp user this server acts as, the workspaces the token may use (with ids and member counts) and the default workspace."),
			mcp.WithMIMEType(mimeMarkdown)),
		Handler: r.readMe,
	}}
}

func (r *registry) templates() []server.ServerResourceTemplate {
	return []server.ServerResourceTemplate{
		{
			Template: mcp.NewResourceTemplate(uriHierarchy, "workspace_hierarchy",
				mcp.WithTemplateTitle("Workspace hierarchy"),
				mcp.WithTemplateDescription("Spaces > folders > lists of a workspace, with ids and task counts, as markdown. workspace_id is an id or name from clickup://me."),
				mcp.WithTemplateMIMEType(mimeMarkdown)),
			Handler: r.readHierarchy,
		},
		{
			Template: mcp.NewResourceTemplate(uriTask, "task",
				mcp.WithTemplateTitle("Task"),
				mcp.WithTemplateDescription("A task as markdown: status, priority, assignees, dates, list, description, checklists and subtasks. task_id is a task id (86b1x2y3z), a custom id (DEV-123) or a task URL, raw or percent-encoded."),
				mcp.WithTemplateMIMEType(mimeMarkdown)),
			Handler: r.readTask,
		},
		{
			Template: mcp.NewResourceTemplate(uriList, "list",
				mcp.WithTemplateTitle("List"),
				mcp.WithTemplateDescription("A list as markdown: where it is, its description, its statuses in order (the valid values for a task's status) and its members."),
				mcp.WithTemplateMIMEType(mimeMarkdown)),
			Handler: r.readList,
		},
	}
}

// uriArg reads a template variable; mcp-go passes the matched values as
// []string.
func uriArg(req mcp.ReadResourceRequest, name string) string {
	switch v := req.Params.Arguments[name].(type) {
	case string:
		return strings.TrimSpace(v)
	case []string:
		if len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
	}
	return ""
}

func markdown(uri, text string) []mcp.ResourceContents {
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mimeMarkdown, Text: text}}
}

// readError is what a client shows for a resource that cannot be read: the
// URI, what went wrong and what to do, as the tools explain their errors.
//
// A task, list or workspace that is not there is a resource not found, but
// mcp-go v1.2.1 cannot say so in the protocol's terms: handlerError
// (server/handler_errors.go) answers every error a resource handler returns
// as -32603 (internal error) without data, and only a URI that no template
// matches gets -32002 (-32602 on 2026-07-28), from handleReadResource
// (server.go), also without data.uri; the transports call
// MCPServer.HandleMessage directly, so nothing of ours sits between the
// answer and the wire but a rewrite of each transport's bytes. So the
// message carries what data.uri would: it starts "resource not found:
// URI", then says what is missing and where to find valid ids.
func (r *registry) readError(ctx context.Context, uri string, s *workspace.Session, err error) error {
	var nf *notFoundError
	if errors.As(err, &nf) {
		return fmt.Errorf("resource not found: %s: %s", uri, nf.Msg)
	}
	return fmt.Errorf("%s: %s", uri, explainFor(ctx, s, err))
}

func (r *registry) readMe(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	s, err := r.d.Session(ctx)
	if err != nil {
		return nil, r.readError(ctx, uri, nil, err)
	}
	u, teams, err := s.Identity(ctx)
	if err != nil {
		return nil, r.readError(ctx, uri, s, err)
	}
	var b strings.Builder
	if r.d.Config().Sandbox {
		b.WriteString("> SANDBOX: a built-in demo workspace, not real ClickUp data.\n\n")
	}
	fmt.Fprintf(&b, "# %s\n\nUser id %d", u.Username, u.ID)
	if u.Email != "" {
		fmt.Fprintf(&b, " · %s", u.Email)
	}
	if u.Timezone != "" {
		fmt.Fprintf(&b, " · time zone %s", u.Timezone)
	}
	def, _ := s.Workspace(ctx, "")
	b.WriteString("\n\n## Workspaces\n")
	if len(teams) == 0 {
		b.WriteString("None: the token is not authorized for any workspace; authorize one in ClickUp.\n")
	}
	for _, t := range teams {
		fmt.Fprintf(&b, "- %s (id %s, %d members)", t.Name, t.ID, len(t.Members))
		if string(t.ID) == def {
			b.WriteString(", the default")
		}
		fmt.Fprintf(&b, ": clickup://workspace/%s/hierarchy\n", t.ID)
	}
	return markdown(uri, b.String()), nil
}

func (r *registry) readHierarchy(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	s, err := r.d.Session(ctx)
	if err != nil {
		return nil, r.readError(ctx, uri, nil, err)
	}
	ws, err := s.Workspace(ctx, uriArg(req, "workspace_id"))
	if err != nil {
		var ae *workspace.ArgError
		if errors.As(err, &ae) && uriArg(req, "workspace_id") != "" {
			err = &notFoundError{ae}
		}
		return nil, r.readError(ctx, uri, s, err)
	}
	h, err := s.Tree(ctx, ws, false)
	if err != nil {
		return nil, r.readError(ctx, uri, s, err)
	}
	name := ws
	if _, teams, err := s.Identity(ctx); err == nil {
		for _, t := range teams {
			if string(t.ID) == ws {
				name = t.Name
			}
		}
	}
	return markdown(uri, hierarchyMarkdown(name, h)), nil
}

func hierarchyMarkdown(name string, h *workspace.HierarchyResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: workspace hierarchy\n\nWorkspace id %s. Each list reads as clickup://list/{list_id}; list ids go in clickup_create_task and clickup_search_tasks.\n", name, h.WorkspaceID)
	if len(h.Spaces) == 0 {
		b.WriteString("\nNo spaces this token can see.\n")
	}
	for _, sp := range h.Spaces {
		fmt.Fprintf(&b, "\n## %s (space %s)\n", sp.Name, sp.ID)
		for _, f := range sp.Folders {
			fmt.Fprintf(&b, "- %s/ (folder %s)\n", f.Name, f.ID)
			for _, l := range f.Lists {
				fmt.Fprintf(&b, "  - %s (list %s, %d tasks)\n", l.Name, l.ID, l.TaskCount)
			}
		}
		for _, l := range sp.Lists {
			fmt.Fprintf(&b, "- %s (list %s, %d tasks)\n", l.Name, l.ID, l.TaskCount)
		}
		if len(sp.Folders) == 0 && len(sp.Lists) == 0 {
			b.WriteString("- (no lists)\n")
		}
	}
	return b.String()
}

func (r *registry) readTask(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	s, err := r.d.Session(ctx)
	if err != nil {
		return nil, r.readError(ctx, uri, nil, err)
	}
	id := uriArg(req, "task_id")
	ref, err := s.ResolveTaskRef(ctx, id, "")
	if err != nil {
		return nil, r.readError(ctx, uri, s, err)
	}
	t, err := s.Client.Tasks.Get(ctx, ref, &clickup.GetTaskOptions{IncludeSubtasks: true, IncludeMarkdownDescription: true})
	if err != nil {
		return nil, r.readError(ctx, uri, s, notVisible("task_id", "task", ref.ID, err))
	}
	// The contents keep the URI asked for (a client may match on it); the
	// text names the task's own id.
	c := taskContents(render.SessionDetail(ctx, s, t))
	c.URI = uri
	return []mcp.ResourceContents{c}, nil
}

// taskContents is a task as a markdown resource, under its canonical URI.
func taskContents(t *render.TaskDetail) mcp.TextResourceContents {
	return mcp.TextResourceContents{URI: taskURIPrefix + t.ID, MIMEType: mimeMarkdown, Text: taskMarkdown(t)}
}

func taskMarkdown(t *render.TaskDetail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", t.Name)
	if t.CustomID != "" {
		fmt.Fprintf(&b, "%s · ", t.CustomID)
	}
	fmt.Fprintf(&b, "id %s", t.ID)
	if t.URL != "" {
		fmt.Fprintf(&b, " · [open in ClickUp](%s)", t.URL)
	}
	b.WriteString("\n\n")
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", name, value)
		}
	}
	status := t.Status
	if t.StatusType != "" && t.StatusType != "custom" {
		status += " (" + t.StatusType + ")"
	}
	field("Status", status)
	field("Priority", t.Priority)
	names := make([]string, len(t.Assignees))
	for i, a := range t.Assignees {
		names[i] = a.String()
	}
	field("Assignees", strings.Join(names, ", "))
	field("Due", t.Due)
	field("Start", t.Start)
	where := fmt.Sprintf("%s (list %s)", t.List.Name, t.List.ID)
	if t.Folder != nil {
		where = fmt.Sprintf("%s / %s", t.Folder.Name, where)
	}
	field("List", where)
	if t.Parent != "" {
		field("Parent", fmt.Sprintf("%s (%s%s)", t.Parent, taskURIPrefix, t.Parent))
	}
	field("Tags", strings.Join(t.Tags, ", "))
	field("Estimate", t.TimeEstimate)
	field("Time spent", t.TimeSpent)
	if t.Points != 0 {
		field("Points", fmt.Sprint(t.Points))
	}
	field("Created", t.Created)
	field("Updated", t.Updated)
	field("Closed", t.Closed)
	field("Creator", t.Creator)
	for _, f := range t.CustomFields {
		v := f.Value
		var str string
		if json.Unmarshal([]byte(v), &str) == nil {
			v = str
		}
		field(f.Name, v)
	}
	for _, rel := range []struct{ key, label string }{{"waiting_on", "Waiting on"}, {"blocking", "Blocking"}, {"linked", "Linked"}} {
		var parts []string
		for _, r := range t.Related {
			if r.Relation == rel.key {
				p := r.Task + " (" + taskURIPrefix + r.Task + ")"
				if r.Name != "" {
					p = r.Name + ", " + p
				}
				parts = append(parts, p)
			}
		}
		field(rel.label, strings.Join(parts, "; "))
	}
	if d := strings.TrimSpace(t.Description); d != "" {
		fmt.Fprintf(&b, "\n## Description\n\n%s\n", demoteHeadings(d, 3))
	}
	if len(t.Checklists) > 0 {
		b.WriteString("\n## Checklists\n")
		for _, c := range t.Checklists {
			fmt.Fprintf(&b, "\n### %s\n", c.Name)
			for _, it := range c.Done {
				fmt.Fprintf(&b, "- [x] %s\n", it)
			}
			for _, it := range c.Open {
				fmt.Fprintf(&b, "- [ ] %s\n", it)
			}
		}
	}
	if len(t.Attachments) > 0 {
		b.WriteString("\n## Attachments\n\n")
		for _, f := range t.Attachments {
			fmt.Fprintf(&b, "- [%s](%s)", f.Name, f.URL)
			if f.Size > 0 {
				fmt.Fprintf(&b, " (%s)", render.HumanSize(f.Size))
			}
			b.WriteString("\n")
		}
	}
	if len(t.Subtasks) > 0 {
		fmt.Fprintf(&b, "\n## Subtasks (%d)\n\n", len(t.Subtasks))
		for _, st := range t.Subtasks {
			fmt.Fprintf(&b, "- [%s] %s (id %s", st.Status, st.Name, st.ID)
			if len(st.Assignees) > 0 {
				fmt.Fprintf(&b, "; %s", strings.Join(st.Assignees, ", "))
			}
			if st.Due != "" {
				fmt.Fprintf(&b, "; due %s", st.Due)
			}
			b.WriteString(")\n")
		}
	}
	return b.String()
}

func (r *registry) readList(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	s, err := r.d.Session(ctx)
	if err != nil {
		return nil, r.readError(ctx, uri, nil, err)
	}
	id := uriArg(req, "list_id")
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return nil, fmt.Errorf("%s: %q is not a list id: list ids are digits (e.g. 901234567); find them in clickup://workspace/{workspace_id}/hierarchy", uri, id)
	}
	l, err := s.List(ctx, id)
	if err != nil {
		return nil, r.readError(ctx, uri, s, notVisible("list_id", "list", id, err))
	}
	members, merr := s.Client.Lists.Members(ctx, id)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\nList id %s", l.Name, l.ID)
	var path []string
	if l.Space != nil && l.Space.Name != "" {
		path = append(path, "space "+l.Space.Name)
	}
	if l.Folder != nil && l.Folder.Name != "" && !bool(l.Folder.Hidden) {
		path = append(path, "folder "+l.Folder.Name)
	}
	if len(path) > 0 {
		fmt.Fprintf(&b, " in %s", strings.Join(path, ", "))
	}
	fmt.Fprintf(&b, " · %d tasks", int64(l.TaskCount))
	if bool(l.Archived) {
		b.WriteString(" · archived")
	}
	b.WriteString("\n")
	if c := strings.TrimSpace(l.Content); c != "" {
		fmt.Fprintf(&b, "\n%s\n", c)
	}
	b.WriteString("\n## Statuses, in order\n\n")
	if len(l.Statuses) == 0 {
		b.WriteString("Not given by ClickUp for this list.\n")
	}
	sts := append([]clickup.Status(nil), l.Statuses...)
	sort.SliceStable(sts, func(i, j int) bool { return sts[i].Orderindex < sts[j].Orderindex })
	for i, st := range sts {
		fmt.Fprintf(&b, "%d. %s", i+1, st.Status)
		if st.Type != "" && st.Type != "custom" {
			fmt.Fprintf(&b, " (%s)", st.Type)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n## Members\n\n")
	switch {
	case merr != nil:
		fmt.Fprintf(&b, "Could not read the members: %s\n", firstLine(s.Explain(ctx, merr)))
	case len(members) == 0:
		b.WriteString("No one has explicit access; everyone who can see the space can see the list.\n")
	default:
		ps := make([]string, len(members))
		for i, m := range members {
			ps[i] = "- " + workspace.Person{ID: int64(m.ID), Username: m.Username, Email: m.Email}.String()
		}
		sort.Strings(ps)
		b.WriteString(strings.Join(ps, "\n") + "\n")
	}
	return markdown(uri, b.String()), nil
}

// demoteHeadings pushes a description's markdown headings below the task's
// own "## Description" ("# Context" or "## Context" becomes "### Context"),
// keeping their relative levels and leaving code fences alone.
func demoteHeadings(md string, top int) string {
	lines := strings.Split(md, "\n")
	levels := make([]int, len(lines))
	fence, least := "", 7
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		case strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level <= 6 && (len(t) == level || t[level] == ' ') {
				levels[i] = level
				least = min(least, level)
			}
		}
	}
	if least >= top {
		return md
	}
	for i, level := range levels {
		if level > 0 {
			t := strings.TrimLeft(lines[i], " ")
			lines[i] = strings.Repeat("#", min(6, level+top-least)) + t[level:]
		}
	}
	return strings.Join(lines, "\n")
}

// clickupSays is ClickUp's own answer in a few words: HTTP status, ECODE
// and message.
func clickupSays(err error) string {
	var ce *clickup.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	return strings.TrimSpace(fmt.Sprintf("ClickUp answered HTTP %d %s %s", ce.StatusCode, ce.ECODE, ce.Message))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
