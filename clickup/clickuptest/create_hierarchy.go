package clickuptest

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Creating lists and folders, plainly or from a workspace's templates
// (GET /v2/team/{team_id}/list_template and folder_template; the
// create-from-template endpoints). A name already taken in the same parent
// is refused, as ClickUp's spec says of list templates ("Name is required,
// or is already taken"); the fake applies the same rule to every create.
// "Name is required" carries the spec's own ECODEs (OAUTH_117 for lists,
// OAUTH_119 for folders, in an {"error", "ECODE"} body on the template
// endpoints); the "name taken" codes SUBCAT_016 and PROJ_016 are the fake's
// own.

// ListTemplate is a list template of a Workspace. A list made from it gets
// its statuses and one task per name in Tasks.
type ListTemplate struct {
	ID       string // "" = generated ("t-" and digits)
	Name     string
	Statuses []Status
	Tasks    []string

	WorkspaceID string // set by AddListTemplate
}

// FolderTemplate is a folder template of a Workspace: a folder made from it
// holds one list per entry of Lists, each with that list template's
// contents when it names one (by template name), else an empty list of that
// name.
type FolderTemplate struct {
	ID    string
	Name  string
	Lists []string

	WorkspaceID string // set by AddFolderTemplate
}

type templates struct {
	lists   []*ListTemplate
	folders []*FolderTemplate
	seq     int64
}

func (s *Server) templateID() string {
	s.tpl.seq++
	return "t-" + strconv.FormatInt(15363000+s.tpl.seq, 10)
}

// AddListTemplate adds a list template to a Workspace.
func (s *Server) AddListTemplate(wsID string, t ListTemplate) ListTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaces[wsID] == nil {
		panic("clickuptest: unknown workspace " + wsID)
	}
	if t.ID == "" {
		t.ID = s.templateID()
	}
	t.WorkspaceID = wsID
	cp := t
	s.tpl.lists = append(s.tpl.lists, &cp)
	return t
}

// AddFolderTemplate adds a folder template to a Workspace.
func (s *Server) AddFolderTemplate(wsID string, t FolderTemplate) FolderTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaces[wsID] == nil {
		panic("clickuptest: unknown workspace " + wsID)
	}
	if t.ID == "" {
		t.ID = s.templateID()
	}
	t.WorkspaceID = wsID
	cp := t
	s.tpl.folders = append(s.tpl.folders, &cp)
	return t
}

// Lists returns a copy of the lists directly under a folder, or directly
// in a space when folderless (for tests).
func (s *Server) Lists(parentID string, folderless bool) []List {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []List
	for _, id := range s.listOrder {
		l := s.lists[id]
		if (folderless && l.Folderless && l.SpaceID == parentID) || (!folderless && l.FolderID == parentID) {
			out = append(out, *l)
		}
	}
	return out
}

// Folders returns a copy of a space's folders (for tests).
func (s *Server) Folders(spaceID string) []Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Folder
	for _, id := range s.folderOrd {
		if f := s.folders[id]; f.SpaceID == spaceID {
			out = append(out, *f)
		}
	}
	return out
}

func (c *call) getListTemplates() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	out := []map[string]string{}
	for _, t := range c.s.tpl.lists {
		if t.WorkspaceID == ws.ID {
			out = append(out, map[string]string{"name": t.Name, "id": t.ID})
		}
	}
	return jsonResp(200, map[string]any{"templates": out})
}

func (c *call) getFolderTemplates() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	out := []map[string]string{}
	for _, t := range c.s.tpl.folders {
		if t.WorkspaceID == ws.ID {
			out = append(out, map[string]string{"name": t.Name, "id": t.ID})
		}
	}
	return jsonResp(200, map[string]any{"templates": out})
}

// templateErr is the {"error", "ECODE"} body the template endpoints declare.
func templateErr(status int, msg, ecode string) *response {
	return jsonResp(status, map[string]string{"error": msg, "ECODE": ecode})
}

func (s *Server) listNameTaken(spaceID, folderID, name string) bool {
	for _, id := range s.listOrder {
		l := s.lists[id]
		if l.Archived || !strings.EqualFold(l.Name, name) {
			continue
		}
		if folderID != "" && l.FolderID == folderID {
			return true
		}
		if folderID == "" && l.Folderless && l.SpaceID == spaceID {
			return true
		}
	}
	return false
}

func (s *Server) folderNameTaken(spaceID, name string) bool {
	for _, id := range s.folderOrd {
		f := s.folders[id]
		if f.SpaceID == spaceID && !f.Archived && strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// listParent reads the folder or space of a list create from the path.
func (c *call) listParent() (spaceID, folderID string, e *response) {
	if id, ok := c.params["folder_id"]; ok {
		f, e := c.resolveFolder(id)
		if e != nil {
			return "", "", e
		}
		return f.SpaceID, f.ID, nil
	}
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return "", "", e
	}
	return sp.ID, "", nil
}

func (s *Server) makeList(spaceID, folderID string, l List) *List {
	if folderID != "" {
		return s.insertList(folderID, false, l)
	}
	return s.insertList(spaceID, true, l)
}

func (c *call) createList() *response {
	spaceID, folderID, e := c.listParent()
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, _, err := b.str("name")
	name = strings.TrimSpace(name)
	if err != nil || name == "" || utf8.RuneCountInString(name) > 255 {
		return errResp(http.StatusBadRequest, "List name invalid", "INPUT_005")
	}
	if c.s.listNameTaken(spaceID, folderID, name) {
		return errResp(http.StatusBadRequest, "List name taken", "SUBCAT_016")
	}
	content, _, err := b.str("content")
	if err != nil {
		return badInput("Content")
	}
	if md, ok, err := b.str("markdown_content"); err != nil {
		return badInput("Markdown content")
	} else if ok && md != "" {
		content = md
	}
	l := c.s.makeList(spaceID, folderID, List{Name: name, Content: content})
	return jsonResp(200, c.s.renderList(l, true))
}

func (c *call) createFolder() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, _, err := b.str("name")
	name = strings.TrimSpace(name)
	if err != nil || name == "" || utf8.RuneCountInString(name) > 255 {
		return errResp(http.StatusBadRequest, "Folder name invalid", "INPUT_005")
	}
	if c.s.folderNameTaken(sp.ID, name) {
		return errResp(http.StatusBadRequest, "Folder name taken", "PROJ_016")
	}
	f := c.s.insertFolder(sp.ID, Folder{Name: name})
	j := c.s.renderFolder(f, false)
	return jsonResp(200, j)
}

func (s *Server) listTemplate(wsID, id string) *ListTemplate {
	for _, t := range s.tpl.lists {
		if t.WorkspaceID == wsID && t.ID == id {
			return t
		}
	}
	return nil
}

// fromTemplate makes a list from t in the parent, with t's statuses and
// tasks.
func (s *Server) fromTemplate(spaceID, folderID, name string, t *ListTemplate, creator int64) *List {
	l := s.makeList(spaceID, folderID, List{Name: name, Statuses: t.Statuses})
	for _, tn := range t.Tasks {
		s.insertTask(l, Task{Name: tn, CreatorID: creator})
	}
	return l
}

func (c *call) createListFromTemplate() *response {
	spaceID, folderID, e := c.listParent()
	if e != nil {
		return e
	}
	t := c.s.listTemplate(c.s.spaces[spaceID].WorkspaceID, c.params["template_id"])
	if t == nil {
		return errResp(http.StatusNotFound, "Template not found", "TEMPL_004")
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, _, err := b.str("name")
	name = strings.TrimSpace(name)
	if err != nil || name == "" {
		return templateErr(http.StatusBadRequest, "Name is required", "OAUTH_117")
	}
	if c.s.listNameTaken(spaceID, folderID, name) {
		return templateErr(http.StatusBadRequest, "Name is already taken", "OAUTH_117")
	}
	l := c.s.fromTemplate(spaceID, folderID, name, t, c.user().ID)
	return jsonResp(200, map[string]any{"id": l.ID, "list": c.s.renderList(l, true)})
}

func (c *call) createFolderFromTemplate() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	var t *FolderTemplate
	for _, x := range c.s.tpl.folders {
		if x.WorkspaceID == sp.WorkspaceID && x.ID == c.params["template_id"] {
			t = x
		}
	}
	if t == nil {
		return errResp(http.StatusNotFound, "Template not found", "TEMPL_004")
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, _, err := b.str("name")
	name = strings.TrimSpace(name)
	if err != nil || name == "" {
		return templateErr(http.StatusBadRequest, "Name is required", "OAUTH_119")
	}
	if c.s.folderNameTaken(sp.ID, name) {
		return templateErr(http.StatusBadRequest, "Name is already taken", "OAUTH_119")
	}
	f := c.s.insertFolder(sp.ID, Folder{Name: name})
	for _, ln := range t.Lists {
		var lt *ListTemplate
		for _, x := range c.s.tpl.lists {
			if x.WorkspaceID == sp.WorkspaceID && strings.EqualFold(x.Name, ln) {
				lt = x
			}
		}
		if lt != nil {
			c.s.fromTemplate(sp.ID, f.ID, lt.Name, lt, c.user().ID)
		} else {
			c.s.makeList(sp.ID, f.ID, List{Name: ln})
		}
	}
	id, _ := strconv.ParseInt(f.ID, 10, 64)
	return jsonResp(200, map[string]any{"id": id, "folder": c.s.renderFolder(f, false)})
}

// TaskCountIn counts the tasks whose home is a list (for tests).
func (s *Server) TaskCountIn(listID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.taskOrder {
		if t.ListID == listID {
			n++
		}
	}
	return n
}
