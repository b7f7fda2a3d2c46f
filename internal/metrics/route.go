package metrics

import (
	"slices"
	"strings"
)

// staticSegments are the literal path segments of ClickUp's v2 and v3 APIs
// (every segment of every path in the official OpenAPI specs that is not a
// {parameter}), sorted: a slice is static data, where a map was built in
// package init at every start. route_test.go checks the list against the
// specs when they are at hand.
var staticSegments = []string{
	"acls", "api", "attachment", "attachments", "auditlogs", "bulk_time_in_status", "channels", "chat", "checklist", "checklist_item",
	"comment", "comments", "current", "custom_item", "customroles", "dependency", "direct_message", "docs", "field", "folder",
	"folder_template", "followers", "goal", "group", "guest", "history", "home_list", "key_result", "link", "list",
	"list_template", "location", "member", "members", "merge", "messages", "oauth", "page_listing", "pages", "plan",
	"reactions", "replies", "reply", "seats", "shared", "space", "start", "stop", "subtypes", "tag",
	"tagged_users", "tags", "task", "taskTemplate", "task_ids", "tasks", "team", "time", "time_entries", "time_estimates_by_user",
	"time_in_status", "token", "types", "user", "v2", "v3", "view", "webhook", "workspaces",
}

// isStatic reports whether s is a literal segment of ClickUp's API.
func isStatic(s string) bool {
	_, ok := slices.BinarySearch(staticSegments, s)
	return ok
}

// maxRouteSegments bounds a route's length, and so the number of routes.
const maxRouteSegments = 10

// Route turns a ClickUp request path into its template: everything before
// the API version ("/api", a proxy's prefix) is dropped, the segments that
// are literal in ClickUp's API are kept and every other one (task, list and
// workspace ids, tag names, anything a caller supplied) becomes {id}.
// "/api/v2/task/86abc/tag/urgent" is "/v2/task/{id}/tag/{id}". No id, name
// or token survives, and the number of distinct routes is bounded by the
// API's own shape, so routes are safe as metric labels and span attributes.
func Route(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if s == "v2" || s == "v3" {
			segs = segs[i:]
			break
		}
	}
	if len(segs) > maxRouteSegments {
		segs = append(segs[:maxRouteSegments], "…")
	}
	var b strings.Builder
	for _, s := range segs {
		if s == "" {
			continue
		}
		b.WriteByte('/')
		if isStatic(s) || s == "…" {
			b.WriteString(s)
		} else {
			b.WriteString("{id}")
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
