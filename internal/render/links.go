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

// What the links' descriptions say they are.
const (
	taskLinkWhat = "ClickUp task"
	listLinkWhat = "ClickUp list"
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
	return link(TaskURI, id, name, taskLinkWhat)
}

// ListLink is the resource link of a list (id and name); none without an id.
func ListLink(id, name string) []mcp.ResourceLink {
	return link(ListURI, id, name, listLinkWhat)
}

func link(uri func(string) string, id, name, what string) []mcp.ResourceLink {
	l, ok := linkOf(uri, id, name, what)
	if !ok {
		return nil
	}
	return []mcp.ResourceLink{l}
}

// linkOf is link's one link, false without an id.
func linkOf(uri func(string) string, id, name, what string) (mcp.ResourceLink, bool) {
	id = strings.TrimSpace(id)
	if id == "" {
		return mcp.ResourceLink{}, false
	}
	name = CutText(flat(name), maxLinkName)
	if name == "" {
		name = id
	}
	return mcp.NewResourceLink(uri(id), name, what, LinkMIMEType), true
}

// ResourceLinks are the task itself, its list, its parent, its subtasks
// and the tasks it is related to, in that order.
func (t *TaskDetail) ResourceLinks() []mcp.ResourceLink {
	links := make([]mcp.ResourceLink, 0, 3+len(t.Subtasks)+len(t.Related))
	add := func(l mcp.ResourceLink, ok bool) {
		if ok {
			links = append(links, l)
		}
	}
	add(linkOf(TaskURI, t.ID, t.Name, taskLinkWhat))
	add(linkOf(ListURI, t.List.ID, t.List.Name, listLinkWhat))
	add(linkOf(TaskURI, t.Parent, "parent of "+t.Name, taskLinkWhat))
	for _, st := range t.Subtasks {
		add(linkOf(TaskURI, st.ID, st.Name, taskLinkWhat))
	}
	for _, r := range t.Related {
		add(linkOf(TaskURI, r.Task, r.Name, taskLinkWhat))
	}
	return links
}

// ResourceLinks are the task (not its list: a list of tasks would repeat
// it for each).
func (t TaskSummary) ResourceLinks() []mcp.ResourceLink { return TaskLink(t.ID, t.Name) }
