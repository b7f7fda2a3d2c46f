package workspace

import (
	"context"
	"fmt"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// The hierarchy as the resolvers build it and results show it.

// ListNode is a list in a workspace's tree.
type ListNode struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TaskCount int64  `json:"task_count"`
}

// FolderNode is a folder and its lists.
type FolderNode struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Lists []ListNode `json:"lists"`
}

// SpaceNode is a space, its folders and its folderless lists.
type SpaceNode struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Folders []FolderNode `json:"folders"`
	Lists   []ListNode   `json:"lists" jsonschema_description:"lists directly in the space (no folder)"`
}

// HierarchyResult is a workspace's tree and how old the cached copy is.
type HierarchyResult struct {
	WorkspaceID string      `json:"workspace_id"`
	Spaces      []SpaceNode `json:"spaces"`
	AgeSeconds  int         `json:"age_s" jsonschema_description:"how old the data is: 0 when just loaded, more when served from the cache"`
}

// ListNodes turns ClickUp lists into tree nodes.
func ListNodes(ls []clickup.List) []ListNode {
	out := make([]ListNode, 0, len(ls))
	for _, l := range ls {
		out = append(out, ListNode{ID: string(l.ID), Name: l.Name, TaskCount: int64(l.TaskCount)})
	}
	return out
}

// Resolution notes: how names were resolved (and how fresh the cache was);
// they belong to the workspace's answer and the tool framework shows them
// under the result's text.

type notesKey struct{}

// WithNotes gives a tool call a place to record how names were resolved
// (and how fresh the cache was), shown under the result's text.
func WithNotes(ctx context.Context) (context.Context, *[]string) {
	n := &[]string{}
	return context.WithValue(ctx, notesKey{}, n), n
}

// AddNote records how a name was resolved, for the answer's notes.
func AddNote(ctx context.Context, format string, a ...any) {
	if n, ok := ctx.Value(notesKey{}).(*[]string); ok && len(*n) < 20 {
		*n = append(*n, fmt.Sprintf(format, a...))
	}
}

// Person is a user as results show them.
type Person struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email,omitempty"`
}

// PersonOf is the Person a result shows for u.
func PersonOf(u clickup.User) Person {
	return Person{ID: int64(u.ID), Username: u.Username, Email: u.Email}
}

func (p Person) String() string {
	if p.Email == "" {
		return fmt.Sprintf("%s (%d)", Flat(p.Username), p.ID)
	}
	return fmt.Sprintf("%s <%s> (%d)", Flat(p.Username), Flat(p.Email), p.ID)
}
