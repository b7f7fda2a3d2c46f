package render

import (
	"net/url"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// Resource links: the URIs of the resources prompts/resources.go serves
// for a task and a list, and the resource_link content items a tool result
// carries for them (toolkit.Linker). Both packages build the URIs here, so
// a link always names a resource that resources/read answers.

// TaskURIPrefix and ListURIPrefix start the URIs of the task and list
// resources (templates clickup://task/{+task_id} and clickup://list/{list_id}).
const (
	TaskURIPrefix = "clickup://task/"
	ListURIPrefix = "clickup://list/"
	// LinkMIMEType is what both resources are read as.
	LinkMIMEType = "text/markdown"
)

// maxLinkName bounds a link's name (a task's name can be long; the link
// only labels it).
const maxLinkName = 80

// TaskURI is the resource URI of a task by its id.
func TaskURI(id string) string { return TaskURIPrefix + url.PathEscape(id) }

// ListURI is the resource URI of a list by its id.
func ListURI(id string) string { return ListURIPrefix + url.PathEscape(id) }

// TaskLink is the resource link of a task (id and name); none without an id.
func TaskLink(id, name string) []mcp.ResourceLink {
	return link(TaskURI, id, name, "ClickUp task")
}

// ListLink is the resource link of a list (id and name); none without an id.
func ListLink(id, name string) []mcp.ResourceLink {
	return link(ListURI, id, name, "ClickUp list")
}

func link(uri func(string) string, id, name, what string) []mcp.ResourceLink {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil
	}
	name = CutText(flat(name), maxLinkName)
	if name == "" {
		name = id
	}
	return []mcp.ResourceLink{mcp.NewResourceLink(uri(id), name, what, LinkMIMEType)}
}

// ResourceLinks are the task itself, its list, its parent, its subtasks
// and the tasks it is related to, in that order.
func (t *TaskDetail) ResourceLinks() []mcp.ResourceLink {
	links := TaskLink(t.ID, t.Name)
	links = append(links, ListLink(t.List.ID, t.List.Name)...)
	links = append(links, TaskLink(t.Parent, "parent of "+t.Name)...)
	for _, st := range t.Subtasks {
		links = append(links, TaskLink(st.ID, st.Name)...)
	}
	for _, r := range t.Related {
		links = append(links, TaskLink(r.Task, r.Name)...)
	}
	return links
}

// ResourceLinks are the task (not its list: a list of tasks would repeat
// it for each).
func (t TaskSummary) ResourceLinks() []mcp.ResourceLink { return TaskLink(t.ID, t.Name) }
