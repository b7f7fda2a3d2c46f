package clickuptest

import (
	"net/url"
	"strings"
	"sync"
)

type route struct {
	method string
	segs   []string // literal segments, or "{name}"
	name   string   // "GET /v2/task/{task_id}"
	public bool     // no Authorization needed
	h      func(*call) *response
}

// routes is the fake's table, filled by buildRoutes at its first request
// (matchRoute): the fake is linked into every start for --sandbox, and
// building the table in package init cost 45 KB in 480 allocations at each.
var (
	routes     []*route
	routesOnce sync.Once
)

func buildRoutes() {
	add := func(method, pattern string, h func(*call) *response) *route {
		rt := &route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), name: method + " " + pattern, h: h}
		routes = append(routes, rt)
		return rt
	}
	add("GET", "/v2/user", (*call).getUser)
	add("GET", "/v2/team", (*call).getTeams)
	add("GET", "/v2/team/{team_id}/space", (*call).getSpaces)
	add("GET", "/v2/space/{space_id}", (*call).getSpace)
	add("GET", "/v2/space/{space_id}/folder", (*call).getFolders)
	add("GET", "/v2/folder/{folder_id}", (*call).getFolder)
	add("GET", "/v2/folder/{folder_id}/list", (*call).getFolderLists)
	add("GET", "/v2/space/{space_id}/list", (*call).getFolderlessLists)
	add("GET", "/v2/list/{list_id}", (*call).getList)
	add("GET", "/v2/list/{list_id}/member", (*call).getListMembers)
	add("GET", "/v2/list/{list_id}/field", (*call).getListFields)
	add("GET", "/v2/task/{task_id}/member", (*call).getTaskMembers)
	add("GET", "/v2/team/{team_id}/task", (*call).getTeamTasks)
	add("GET", "/v2/list/{list_id}/task", (*call).getListTasks)
	add("POST", "/v2/list/{list_id}/task", (*call).createTask)
	add("GET", "/v2/task/{task_id}", (*call).getTask)
	add("PUT", "/v2/task/{task_id}", (*call).updateTask)
	add("DELETE", "/v2/task/{task_id}", (*call).deleteTask)
	add("GET", "/v2/task/{task_id}/comment", (*call).getComments)
	add("POST", "/v2/task/{task_id}/comment", (*call).createComment)
	add("GET", "/v2/comment/{comment_id}/reply", (*call).getReplies)
	add("POST", "/v2/comment/{comment_id}/reply", (*call).createReply)
	add("POST", "/v2/task/{task_id}/attachment", (*call).createAttachment)
	add("GET", "/v2/space/{space_id}/tag", (*call).getSpaceTags)
	add("POST", "/v2/task/{task_id}/tag/{tag_name}", (*call).addTaskTag)
	add("DELETE", "/v2/task/{task_id}/tag/{tag_name}", (*call).removeTaskTag)
	add("GET", "/v2/team/{team_Id}/time_entries", (*call).getTimeEntries)
	add("POST", "/v2/team/{team_Id}/time_entries", (*call).createTimeEntry)
	add("GET", "/v2/team/{team_id}/time_entries/current", (*call).getRunningTimer)
	add("POST", "/v2/team/{team_Id}/time_entries/start", (*call).startTimer)
	add("POST", "/v2/team/{team_id}/time_entries/stop", (*call).stopTimer)
	add("POST", "/v2/task/{task_id}/field/{field_id}", (*call).setTaskField)
	add("DELETE", "/v2/task/{task_id}/field/{field_id}", (*call).removeTaskField)
	add("POST", "/v2/task/{task_id}/dependency", (*call).addDependency)
	add("DELETE", "/v2/task/{task_id}/dependency", (*call).removeDependency)
	add("POST", "/v2/task/{task_id}/link/{links_to}", (*call).taskLink)
	add("DELETE", "/v2/task/{task_id}/link/{links_to}", (*call).taskLink)
	add("POST", "/v2/list/{list_id}/task/{task_id}", (*call).listTask)
	add("DELETE", "/v2/list/{list_id}/task/{task_id}", (*call).listTask)
	add("POST", "/v2/task/{task_id}/checklist", (*call).createChecklist)
	add("PUT", "/v2/checklist/{checklist_id}", (*call).editChecklist)
	add("DELETE", "/v2/checklist/{checklist_id}", (*call).deleteChecklist)
	add("POST", "/v2/checklist/{checklist_id}/checklist_item", (*call).createChecklistItem)
	add("PUT", "/v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}", (*call).editChecklistItem)
	add("DELETE", "/v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}", (*call).deleteChecklistItem)
	add("PUT", "/v3/workspaces/{workspace_id}/tasks/{task_id}/home_list/{list_id}", (*call).moveTask)
	add("POST", "/v2/folder/{folder_id}/list", (*call).createList)
	add("POST", "/v2/space/{space_id}/list", (*call).createList)
	add("POST", "/v2/space/{space_id}/folder", (*call).createFolder)
	add("GET", "/v2/team/{team_id}/list_template", (*call).getListTemplates)
	add("GET", "/v2/team/{team_id}/folder_template", (*call).getFolderTemplates)
	add("POST", "/v2/folder/{folder_id}/list_template/{template_id}", (*call).createListFromTemplate)
	add("POST", "/v2/space/{space_id}/list_template/{template_id}", (*call).createListFromTemplate)
	add("POST", "/v2/space/{space_id}/folder_template/{template_id}", (*call).createFolderFromTemplate)
	add("GET", "/v3/workspaces/{workspace_id}/chat/channels", (*call).getChatChannels)
	add("GET", "/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages", (*call).getChatMessages)
	add("POST", "/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages", (*call).createChatMessage)
	add("GET", "/v3/workspaces/{workspace_id}/chat/messages/{message_id}/replies", (*call).getChatReplies)
	add("POST", "/v3/workspaces/{workspace_id}/chat/messages/{message_id}/replies", (*call).createChatReply)
	add("GET", "/v3/workspaces/{workspace_id}/docs", (*call).searchDocs)
	add("POST", "/v3/workspaces/{workspace_id}/docs", (*call).createDoc)
	add("GET", "/v3/workspaces/{workspace_id}/docs/{doc_id}", (*call).getDoc)
	add("GET", "/v3/workspaces/{workspace_id}/docs/{doc_id}/page_listing", (*call).getPageListing)
	add("GET", "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", (*call).getPages)
	add("POST", "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", (*call).createPage)
	add("GET", "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}", (*call).getPage)
	add("PUT", "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}", (*call).editPage)
	add("POST", "/v2/oauth/token", (*call).oauthToken).public = true
	// The authorization page lives at https://app.clickup.com/api; the fake
	// serves it at its own /api so one server plays both hosts.
	add("GET", "/api", (*call).oauthAuthorize).public = true
}

// splitPath returns the path relative to the API root ("/v2/..."; "/api"
// stays "/api") and its decoded segments. Segments are split on the escaped
// path so a tag name containing %2F stays one segment.
func splitPath(u *url.URL) (string, []string) {
	esc := u.EscapedPath()
	if strings.HasPrefix(esc, "/api/") {
		esc = esc[len("/api"):]
	}
	raw := strings.Split(strings.Trim(esc, "/"), "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		if d, err := url.PathUnescape(r); err == nil {
			segs[i] = d
		} else {
			segs[i] = r
		}
	}
	return "/" + strings.Join(segs, "/"), segs
}

func matchRoute(method string, segs []string) (*route, map[string]string) {
	routesOnce.Do(buildRoutes)
	for _, rt := range routes {
		if rt.method != method {
			continue
		}
		if params, ok := rt.match(segs); ok {
			return rt, params
		}
	}
	return nil, nil
}

// match reports whether segs fit the route's pattern, with the values of its {name}s.
func (rt *route) match(segs []string) (map[string]string, bool) {
	if len(rt.segs) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range rt.segs {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[i]
		} else if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
