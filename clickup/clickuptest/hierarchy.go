package clickuptest

import (
	"net/http"
	"strings"
)

func teamNotAuthorized() *response {
	return errResp(http.StatusUnauthorized, "Team not authorized", "OAUTH_027")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// resolveTeam: a Workspace the token may not use, existing or not, is
// "Team not authorized".
func (c *call) resolveTeam(id string) (*Workspace, *response) {
	if !c.s.tokenSees(c.auth, id) {
		return nil, teamNotAuthorized()
	}
	return c.s.workspaces[id], nil
}

func (c *call) resolveSpace(id string) (*Space, *response) {
	sp := c.s.spaces[id]
	if sp == nil {
		if c.s.notFound404 {
			return nil, errResp(http.StatusNotFound, "Space not found", "PROJ_005")
		}
		return nil, teamNotAuthorized()
	}
	if !c.s.tokenSees(c.auth, sp.WorkspaceID) {
		return nil, teamNotAuthorized()
	}
	return sp, nil
}

func (c *call) resolveFolder(id string) (*Folder, *response) {
	f := c.s.folders[id]
	if f == nil {
		if c.s.notFound404 {
			return nil, errResp(http.StatusNotFound, "Folder not found", "CAT_005")
		}
		return nil, teamNotAuthorized()
	}
	if !c.s.tokenSees(c.auth, c.s.spaces[f.SpaceID].WorkspaceID) {
		return nil, teamNotAuthorized()
	}
	return f, nil
}

// resolveList: List ids are numeric (a malformed one is refused before any
// lookup, as ClickUp does); an unknown List is 404 ITEM_015.
func (c *call) resolveList(id string) (*List, *response) {
	if !isDigits(id) {
		return nil, errResp(http.StatusBadRequest, "validateListIDEx List ID invalid", "INPUT_003")
	}
	l := c.s.lists[id]
	if l == nil {
		return nil, errResp(http.StatusNotFound, "List not found", "ITEM_015")
	}
	if !c.s.tokenSees(c.auth, c.s.spaces[l.SpaceID].WorkspaceID) {
		return nil, teamNotAuthorized()
	}
	return l, nil
}

func (c *call) getUser() *response {
	u := c.user()
	type jAuthUser struct {
		ID                int64   `json:"id"`
		Username          string  `json:"username"`
		Email             string  `json:"email"`
		Color             string  `json:"color"`
		ProfilePicture    *string `json:"profilePicture"`
		Initials          string  `json:"initials"`
		WeekStartDay      int     `json:"week_start_day"`
		GlobalFontSupport bool    `json:"global_font_support"`
		Timezone          string  `json:"timezone"`
	}
	return jsonResp(200, map[string]any{"user": jAuthUser{
		ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, ProfilePicture: strOrNil(u.ProfilePicture),
		Initials: u.Initials, WeekStartDay: 1, Timezone: u.Timezone,
	}})
}

type jTeam struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Color   string    `json:"color"`
	Avatar  *string   `json:"avatar"`
	Members []jMember `json:"members"`
}

func (c *call) getTeams() *response {
	teams := []jTeam{}
	for _, id := range c.s.wsOrder {
		if !c.s.tokenSees(c.auth, id) {
			continue
		}
		ws := c.s.workspaces[id]
		teams = append(teams, jTeam{ID: ws.ID, Name: ws.Name, Color: ws.Color, Avatar: strOrNil(ws.Avatar), Members: c.s.jMembers(ws.MemberIDs)})
	}
	return jsonResp(200, map[string]any{"teams": teams})
}

func (c *call) archivedParam() bool { return boolParam(c.q, "archived") }

func (c *call) getSpaces() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	arch := c.archivedParam()
	out := []jSpace{}
	for _, id := range c.s.spaceOrder {
		sp := c.s.spaces[id]
		if sp.WorkspaceID == ws.ID && sp.Archived == arch {
			out = append(out, c.s.renderSpace(sp))
		}
	}
	return jsonResp(200, map[string]any{"spaces": out})
}

func (c *call) getSpace() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	return jsonResp(200, c.s.renderSpace(sp))
}

func (c *call) getFolders() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	arch := c.archivedParam()
	out := []jFolder{}
	for _, id := range c.s.folderOrd {
		f := c.s.folders[id]
		if f.SpaceID == sp.ID && f.Archived == arch {
			out = append(out, c.s.renderFolder(f, false))
		}
	}
	return jsonResp(200, map[string]any{"folders": out})
}

func (c *call) getFolder() *response {
	f, e := c.resolveFolder(c.params["folder_id"])
	if e != nil {
		return e
	}
	return jsonResp(200, c.s.renderFolder(f, false))
}

func (c *call) getFolderLists() *response {
	f, e := c.resolveFolder(c.params["folder_id"])
	if e != nil {
		return e
	}
	arch := c.archivedParam()
	out := []jList{}
	for _, id := range c.s.listOrder {
		l := c.s.lists[id]
		if l.FolderID == f.ID && l.Archived == arch {
			out = append(out, c.s.renderList(l, false))
		}
	}
	return jsonResp(200, map[string]any{"lists": out})
}

func (c *call) getFolderlessLists() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	arch := c.archivedParam()
	out := []jList{}
	for _, id := range c.s.listOrder {
		l := c.s.lists[id]
		if l.SpaceID == sp.ID && l.FolderID == "" && l.Archived == arch {
			out = append(out, c.s.renderList(l, false))
		}
	}
	return jsonResp(200, map[string]any{"lists": out})
}

func (c *call) getList() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	return jsonResp(200, c.s.renderList(l, true))
}

func (c *call) getListMembers() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	return jsonResp(200, map[string]any{"members": c.s.profileMembers(l.MemberIDs)})
}

func (c *call) getListFields() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	out := []jField{}
	for _, f := range c.s.fieldsForList(l) {
		out = append(out, c.s.renderFieldDef(f))
	}
	return jsonResp(200, map[string]any{"fields": out})
}

// getTaskMembers lists the people with explicit access to the task: in the
// fake, its creator, assignees and watchers.
func (c *call) getTaskMembers() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, group := range [][]int64{{t.CreatorID}, t.Assignees, t.Watchers} {
		for _, id := range group {
			if id != 0 && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return jsonResp(200, map[string]any{"members": c.s.profileMembers(ids)})
}

func boolParam(q map[string][]string, name string) bool {
	v := q[name]
	if len(v) == 0 {
		return false
	}
	return strings.EqualFold(v[0], "true") || v[0] == "1"
}
