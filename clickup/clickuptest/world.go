package clickuptest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The Add methods build a world for tests. They panic on a reference to
// something that does not exist (a bad fixture is a bug in the test).

var defaultStatuses = []Status{
	{Name: "to do", Color: "#d3d3d3", Type: "open"},
	{Name: "in progress", Color: "#4194f6", Type: "custom"},
	{Name: "complete", Color: "#6bc950", Type: "closed"},
}

var userColors = []string{"#7b68ee", "#ff5722", "#0ab4ff", "#2ecd6f", "#e040fb", "#f9d900", "#ff7fab", "#1bbc9c", "#4169e1", "#bf55ec"}

// AddUser adds a user and returns it with defaults filled in.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if u.ID == 0 {
		s.userSeq++
		u.ID = s.userSeq
	}
	if u.Initials == "" {
		u.Initials = initials(u.Username)
	}
	if u.Color == "" {
		u.Color = userColors[int(u.ID%int64(len(userColors)))]
	}
	if u.Role == 0 {
		u.Role = 3
	}
	if _, ok := s.users[u.ID]; !ok {
		s.userOrder = append(s.userOrder, u.ID)
	}
	cp := u
	s.users[u.ID] = &cp
	return u
}

func initials(name string) string {
	var b strings.Builder
	for _, f := range strings.Fields(name) {
		if b.Len() >= 2 {
			break
		}
		b.WriteString(strings.ToUpper(string([]rune(f)[:1])))
	}
	return b.String()
}

// AddWorkspace adds a Workspace. Its members must have been added as users.
func (s *Server) AddWorkspace(w Workspace) Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if w.ID == "" {
		s.wsSeq++
		w.ID = strconv.FormatInt(s.wsSeq, 10)
	}
	if _, ok := s.workspaces[w.ID]; ok {
		panic("clickuptest: duplicate workspace " + w.ID)
	}
	for _, m := range w.MemberIDs {
		if s.users[m] == nil {
			panic(fmt.Sprintf("clickuptest: workspace %s: unknown member %d", w.ID, m))
		}
	}
	if w.Color == "" {
		w.Color = "#7b68ee"
	}
	w.MemberIDs = slices.Clone(w.MemberIDs)
	cp := w
	s.workspaces[w.ID] = &cp
	s.wsOrder = append(s.wsOrder, w.ID)
	return w
}

// AddToken registers a token (a "pk_..." personal token or an OAuth token)
// for a user. With workspaceIDs it may use only those Workspaces (an OAuth
// grant); without, every Workspace the user is a member of (a personal
// token), now or later.
func (s *Server) AddToken(token string, userID int64, workspaceIDs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if s.users[userID] == nil {
		panic(fmt.Sprintf("clickuptest: token for unknown user %d", userID))
	}
	s.tokens[token] = &tokenRec{userID: userID, workspaces: slices.Clone(workspaceIDs)}
}

// AddSpace adds a Space to a Workspace.
func (s *Server) AddSpace(workspaceID string, sp Space) Space {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if s.workspaces[workspaceID] == nil {
		panic("clickuptest: unknown workspace " + workspaceID)
	}
	if sp.ID == "" {
		sp.ID = s.nextObjID()
	}
	sp.WorkspaceID = workspaceID
	if len(sp.Statuses) == 0 {
		sp.Statuses = defaultStatuses
	}
	sp.Statuses = s.fillStatuses("p"+sp.ID, sp.Statuses)
	if sp.Color == "" {
		sp.Color = "#7b68ee"
	}
	tags := make([]Tag, 0, len(sp.Tags))
	for _, t := range sp.Tags {
		tags = append(tags, normTag(t))
	}
	sp.Tags = tags
	cp := sp
	s.spaces[sp.ID] = &cp
	s.spaceOrder = append(s.spaceOrder, sp.ID)
	s.hidden[sp.ID] = s.nextObjID()
	return sp
}

func (s *Server) fillStatuses(prefix string, in []Status) []Status {
	out := make([]Status, len(in))
	for i, st := range in {
		if st.ID == "" {
			st.ID = prefix + "_" + s.randAlnum(8, true)
		}
		if st.Color == "" {
			st.Color = "#d3d3d3"
		}
		if st.Type == "" {
			st.Type = "custom"
		}
		st.Name = strings.ToLower(st.Name)
		out[i] = st
	}
	return out
}

var tagColors = [][2]string{{"#800000", "#800000"}, {"#2ecd6f", "#2ecd6f"}, {"#1bbc9c", "#1bbc9c"}, {"#7b68ee", "#7b68ee"}, {"#e93d82", "#e93d82"}, {"#f9d900", "#f9d900"}, {"#ff7800", "#ff7800"}, {"#0231e8", "#0231e8"}}

func normTag(t Tag) Tag {
	t.Name = strings.ToLower(strings.TrimSpace(t.Name))
	if t.Fg == "" || t.Bg == "" {
		c := tagColors[len(t.Name)%len(tagColors)]
		if t.Fg == "" {
			t.Fg = c[0]
		}
		if t.Bg == "" {
			t.Bg = c[1]
		}
	}
	return t
}

// AddFolder adds a Folder to a Space.
func (s *Server) AddFolder(spaceID string, f Folder) Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.insertFolder(spaceID, f)
}

// insertFolder adds a folder with the world locked.
func (s *Server) insertFolder(spaceID string, f Folder) *Folder {
	s.gen++ // cached task renders are stale
	if s.spaces[spaceID] == nil {
		panic("clickuptest: unknown space " + spaceID)
	}
	if f.ID == "" {
		f.ID = s.nextObjID()
	}
	f.SpaceID = spaceID
	if len(f.Statuses) > 0 {
		f.Statuses = s.fillStatuses("p"+f.ID, f.Statuses)
	}
	cp := f
	s.folders[f.ID] = &cp
	s.folderOrd = append(s.folderOrd, f.ID)
	return &cp
}

// AddList adds a List under a Folder (parentID = folder id), or directly
// under a Space when folderless (parentID = space id).
func (s *Server) AddList(parentID string, folderless bool, l List) List {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.insertList(parentID, folderless, l)
}

// insertList adds a list with the world locked.
func (s *Server) insertList(parentID string, folderless bool, l List) *List {
	s.gen++ // cached task renders are stale
	if folderless {
		if s.spaces[parentID] == nil {
			panic("clickuptest: unknown space " + parentID)
		}
		l.SpaceID, l.FolderID = parentID, ""
	} else {
		f := s.folders[parentID]
		if f == nil {
			panic("clickuptest: unknown folder " + parentID)
		}
		l.SpaceID, l.FolderID = f.SpaceID, f.ID
	}
	l.Folderless = folderless
	if l.ID == "" {
		l.ID = s.nextObjID()
	}
	if len(l.Statuses) > 0 {
		l.Statuses = s.fillStatuses("sc"+l.ID, l.Statuses)
	}
	l.MemberIDs = slices.Clone(l.MemberIDs)
	cp := l
	s.lists[l.ID] = &cp
	s.listOrder = append(s.listOrder, l.ID)
	return &cp
}

// AddCustomField attaches a Custom Field definition to a Workspace, Space,
// Folder or List (parentID is any of their ids).
func (s *Server) AddCustomField(parentID string, f CustomField) CustomField {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if s.workspaces[parentID] == nil && s.spaces[parentID] == nil && s.folders[parentID] == nil && s.lists[parentID] == nil {
		panic("clickuptest: unknown custom field parent " + parentID)
	}
	if f.ID == "" {
		f.ID = s.uuid()
	}
	if f.Type == "" {
		f.Type = "short_text"
	}
	rec := &fieldRec{parentID: parentID, created: s.now(), optionIdx: map[string]int{}}
	opts := make([]FieldOption, len(f.Options))
	for i, o := range f.Options {
		if o.ID == "" {
			o.ID = s.uuid()
		}
		if o.Color == "" {
			o.Color = tagColors[i%len(tagColors)][0]
		}
		opts[i] = o
		rec.optionIdx[o.ID] = i
	}
	f.Options = opts
	rec.CustomField = f
	// Rendered once: every task response repeats it.
	rec.typeConfig = fieldTypeConfig(&f)
	s.fields[f.ID] = rec
	s.fieldOrder = append(s.fieldOrder, f.ID)
	return f
}

// AddTask inserts a task directly into a List, with no validation beyond
// the references (the List, a parent, the status). Missing ids, the custom
// id, dates, status and creator are filled in as ClickUp would.
func (s *Server) AddTask(listID string, t Task) Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	l := s.lists[listID]
	if l == nil {
		panic("clickuptest: unknown list " + listID)
	}
	if t.Parent != "" && s.tasks[t.Parent] == nil {
		panic("clickuptest: unknown parent task " + t.Parent)
	}
	ws := s.workspaceOfList(l)
	if t.Status == "" {
		t.Status = s.statusesOf(l)[0].Name
	} else if _, ok := s.findStatus(l, t.Status); !ok {
		panic(fmt.Sprintf("clickuptest: status %q not in list %s", t.Status, listID))
	}
	if t.CreatorID == 0 && len(ws.MemberIDs) > 0 {
		t.CreatorID = ws.MemberIDs[0]
	}
	if t.ID != "" && !validTaskID(t.ID) {
		panic("clickuptest: task ids are alphanumeric (plus _): " + t.ID)
	}
	t.Tags = slices.Clone(t.Tags)
	for i, name := range t.Tags {
		t.Tags[i] = s.ensureSpaceTag(l.SpaceID, name, t.CreatorID)
	}
	if len(t.CustomFields) > 0 {
		vals := make(map[string]any, len(t.CustomFields))
		avail := s.fieldsForList(l)
		for id, v := range t.CustomFields {
			i := slices.IndexFunc(avail, func(f *fieldRec) bool { return f.ID == id })
			if i < 0 {
				panic(fmt.Sprintf("clickuptest: custom field %s not available in list %s", id, listID))
			}
			nv, err := s.normFieldValue(avail[i], v)
			if err != nil {
				panic(fmt.Sprintf("clickuptest: custom field %s: %v", id, err))
			}
			vals[id] = nv
		}
		t.CustomFields = vals
	}
	p := s.insertTask(l, t)
	return cloneTask(p)
}

// insertTask stores a new task, filling in ids and dates. Called with s.mu held.
func (s *Server) insertTask(l *List, t Task) *Task {
	now := s.now()
	if t.ID == "" {
		t.ID = s.newTaskID()
	} else if s.tasks[t.ID] != nil {
		panic("clickuptest: duplicate task id " + t.ID)
	}
	t.ListID = l.ID
	ws := s.workspaceOfList(l)
	if t.CustomID == "" && ws.CustomTaskIDPrefix != "" {
		s.customSeq[ws.ID]++
		t.CustomID = fmt.Sprintf("%s-%d", ws.CustomTaskIDPrefix, s.customSeq[ws.ID])
	}
	if t.CustomID != "" {
		s.customIDs[ws.ID+"\x00"+strings.ToLower(t.CustomID)] = t.ID
	}
	if st, ok := s.findStatus(l, t.Status); ok {
		t.Status = st.Name
	}
	if t.DateCreated.IsZero() {
		t.DateCreated = now
	}
	if t.DateUpdated.IsZero() {
		t.DateUpdated = t.DateCreated
	}
	st, _ := s.findStatus(l, t.Status)
	if (st.Type == "closed" || st.Type == "done") && t.DateDone.IsZero() {
		t.DateDone = t.DateUpdated
	}
	if st.Type == "closed" && t.DateClosed.IsZero() {
		t.DateClosed = t.DateUpdated
	}
	if t.Description == "" && t.MarkdownDescription != "" {
		t.Description = markdownToText(t.MarkdownDescription)
	}
	if t.MarkdownDescription == "" {
		t.MarkdownDescription = t.Description
	}
	for i := range t.Checklists {
		if t.Checklists[i].ID == "" {
			t.Checklists[i].ID = s.uuid()
		}
		for j := range t.Checklists[i].Items {
			if t.Checklists[i].Items[j].ID == "" {
				t.Checklists[i].Items[j].ID = s.uuid()
			}
		}
	}
	t.Attachments = slices.Clone(t.Attachments)
	for i := range t.Attachments {
		if t.Attachments[i].UserID == 0 {
			t.Attachments[i].UserID = t.CreatorID
		}
		s.fillAttachment(&t.Attachments[i])
	}
	s.orderSeq++
	s.order[t.ID] = s.orderSeq
	cp := cloneTask(&t)
	s.tasks[t.ID] = &cp
	s.taskOrder = append(s.taskOrder, &cp)
	return &cp
}

// Task returns a copy of a task by id, for assertions.
func (s *Server) Task(id string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tasks[id]
	if t == nil {
		return Task{}, false
	}
	return cloneTask(t), true
}

// TaskCount returns how many tasks (subtasks included) exist.
func (s *Server) TaskCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tasks)
}

// AddComment adds a comment to a task.
func (s *Server) AddComment(taskID string, c Comment) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++ // cached task renders are stale
	if s.tasks[taskID] == nil {
		panic("clickuptest: unknown task " + taskID)
	}
	return *s.insertComment(taskID, c)
}

func (s *Server) insertComment(taskID string, c Comment) *Comment {
	if c.ID == "" {
		s.commentSeq++
		c.ID = strconv.FormatInt(s.commentSeq, 10)
	}
	if c.Date.IsZero() {
		c.Date = s.now()
	}
	c.TaskID = taskID
	cp := c
	s.comments[taskID] = append(s.comments[taskID], &cp)
	return &cp
}

// AddAttachment attaches a file to a task, as an upload would (by the
// task's creator unless UserID says); it returns the attachment with its
// id, date and type filled in.
func (s *Server) AddAttachment(taskID string, a Attachment) Attachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tasks[taskID]
	if t == nil {
		panic("clickuptest: unknown task " + taskID)
	}
	s.gen++
	if a.UserID == 0 {
		a.UserID = t.CreatorID
	}
	s.fillAttachment(&a)
	t.Attachments = append(t.Attachments, a)
	return a
}

// AddReply adds a reply to a comment's thread; the comment must exist.
func (s *Server) AddReply(parentID string, c Comment) (Comment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.commentByID(parentID)
	if p == nil {
		return Comment{}, false
	}
	return *s.insertReply(p, c), true
}

func (s *Server) insertReply(parent *Comment, c Comment) *Comment {
	if c.ID == "" {
		s.commentSeq++
		c.ID = strconv.FormatInt(s.commentSeq, 10)
	}
	if c.Date.IsZero() {
		c.Date = s.now()
	}
	c.TaskID, c.ParentID = parent.TaskID, parent.ID
	cp := c
	s.replies[parent.ID] = append(s.replies[parent.ID], &cp)
	return &cp
}

// commentByID finds a task comment (not a reply) by id. Called with s.mu
// held.
func (s *Server) commentByID(id string) *Comment {
	for _, cs := range s.comments {
		for _, c := range cs {
			if c.ID == id {
				return c
			}
		}
	}
	return nil
}

// Replies returns a comment's replies, oldest first, for assertions.
func (s *Server) Replies(commentID string) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.replies[commentID] {
		out = append(out, *c)
	}
	return out
}

// Comments returns a task's comments, oldest first, for assertions.
func (s *Server) Comments(taskID string) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments[taskID] {
		out = append(out, *c)
	}
	return out
}

// SpaceTags returns a Space's tags, for assertions.
func (s *Server) SpaceTags(spaceID string) []Tag {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.spaces[spaceID]; sp != nil {
		return slices.Clone(sp.Tags)
	}
	return nil
}

func cloneTask(t *Task) Task {
	c := *t
	c.Assignees = slices.Clone(t.Assignees)
	c.GroupAssignees = slices.Clone(t.GroupAssignees)
	c.Watchers = slices.Clone(t.Watchers)
	c.Tags = slices.Clone(t.Tags)
	c.LinkedTasks = slices.Clone(t.LinkedTasks)
	c.DependsOn = slices.Clone(t.DependsOn)
	c.OtherListIDs = slices.Clone(t.OtherListIDs)
	c.Attachments = slices.Clone(t.Attachments)
	if t.Points != nil {
		p := *t.Points
		c.Points = &p
	}
	if t.CustomFields != nil {
		c.CustomFields = make(map[string]any, len(t.CustomFields))
		for k, v := range t.CustomFields {
			c.CustomFields[k] = v
		}
	}
	if t.Checklists != nil {
		c.Checklists = make([]Checklist, len(t.Checklists))
		for i, cl := range t.Checklists {
			cl.Items = slices.Clone(cl.Items)
			c.Checklists[i] = cl
		}
	}
	return c
}

// --- ids ---

func (s *Server) nextObjID() string {
	s.objSeq++
	return strconv.FormatInt(s.objSeq, 10)
}

const alnum = "0123456789abcdefghijklmnopqrstuvwxyz"

func (s *Server) randAlnum(n int, mixed bool) string {
	const mix = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	set := alnum
	if mixed {
		set = mix
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = set[s.rng.IntN(len(set))]
	}
	return string(b)
}

// newTaskID makes an id shaped like ClickUp's current ones: "86" and seven
// lower-case alphanumerics.
func (s *Server) newTaskID() string {
	for {
		id := "86" + s.randAlnum(7, false)
		if s.tasks[id] == nil {
			return id
		}
	}
}

func (s *Server) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(s.rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// --- lookups (s.mu held) ---

func (s *Server) workspaceOfList(l *List) *Workspace {
	return s.workspaces[s.spaces[l.SpaceID].WorkspaceID]
}

func (s *Server) listOf(t *Task) *List { return s.lists[t.ListID] }

func (s *Server) wsIDOfTask(t *Task) string {
	return s.spaces[s.lists[t.ListID].SpaceID].WorkspaceID
}

// statusesOf returns a List's effective statuses: its own, else its
// Folder's, else its Space's.
func (s *Server) statusesOf(l *List) []Status {
	if len(l.Statuses) > 0 {
		return l.Statuses
	}
	if f := s.folders[l.FolderID]; f != nil && len(f.Statuses) > 0 {
		return f.Statuses
	}
	return s.spaces[l.SpaceID].Statuses
}

func (s *Server) findStatus(l *List, name string) (Status, bool) {
	for _, st := range s.statusesOf(l) {
		if strings.EqualFold(st.Name, strings.TrimSpace(name)) {
			return st, true
		}
	}
	return Status{}, false
}

// statusOfTask returns the task's status with its index in the List; a
// status no longer in the List is rendered grey.
func (s *Server) statusOfTask(t *Task) (Status, int) {
	for i, st := range s.statusesOf(s.listOf(t)) {
		if st.Name == t.Status {
			return st, i
		}
	}
	return Status{Name: t.Status, Color: "#d3d3d3", Type: "custom"}, 0
}

func (s *Server) isClosed(t *Task) bool {
	st, _ := s.statusOfTask(t)
	return st.Type == "closed"
}

// ensureSpaceTag returns the lower-cased tag name, creating the tag in the
// Space if it is new (as ClickUp does when a task is tagged).
func (s *Server) ensureSpaceTag(spaceID, name string, creator int64) string {
	name = strings.ToLower(strings.TrimSpace(name))
	sp := s.spaces[spaceID]
	for _, t := range sp.Tags {
		if t.Name == name {
			return name
		}
	}
	sp.Tags = append(sp.Tags, normTag(Tag{Name: name, Creator: creator}))
	return name
}

// tokenSees reports whether the token may use a Workspace.
func (s *Server) tokenSees(tr *tokenRec, wsID string) bool {
	ws := s.workspaces[wsID]
	if ws == nil || !slices.Contains(ws.MemberIDs, tr.userID) {
		return false
	}
	return len(tr.workspaces) == 0 || slices.Contains(tr.workspaces, wsID)
}

func (s *Server) children(id string) []*Task {
	var out []*Task
	for _, t := range s.taskOrder {
		if t.Parent == id {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) topLevelParent(t *Task) string {
	top := ""
	seen := 0
	for p := t.Parent; p != "" && seen < 100; seen++ {
		pt := s.tasks[p]
		if pt == nil {
			break
		}
		top = p
		p = pt.Parent
	}
	return top
}

func (s *Server) fieldsForList(l *List) []*fieldRec {
	ws := s.spaces[l.SpaceID].WorkspaceID
	var out []*fieldRec
	for _, id := range s.fieldOrder {
		f := s.fields[id]
		if f.parentID == l.ID || f.parentID == l.SpaceID || f.parentID == ws || (l.FolderID != "" && f.parentID == l.FolderID) {
			out = append(out, f)
		}
	}
	return out
}
