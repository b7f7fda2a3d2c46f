package clickuptest

import (
	"slices"
	"strconv"
	"time"
)

// Wire shapes. Field order follows ClickUp's responses; ids of Workspaces,
// Spaces, Folders, Lists, statuses, comments and tasks are strings, user ids
// integers, dates strings of epoch milliseconds (or null), as the real API
// sends them (API-NOTES §4).

type jUser struct {
	ID             int64   `json:"id"`
	Username       string  `json:"username"`
	Email          string  `json:"email"`
	Color          string  `json:"color"`
	Initials       string  `json:"initials"`
	ProfilePicture *string `json:"profilePicture"`
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func msStr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := strconv.FormatInt(t.UnixMilli(), 10)
	return &s
}

func (s *Server) jUser(id int64) jUser {
	u := s.users[id]
	if u == nil {
		return jUser{ID: id, Username: "Former member", Color: "#595d66", Initials: "FM"}
	}
	return jUser{ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, Initials: u.Initials, ProfilePicture: strOrNil(u.ProfilePicture)}
}

func (s *Server) jUsers(ids []int64) []jUser {
	out := make([]jUser, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.jUser(id))
	}
	return out
}

type jStatus struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Color      string `json:"color"`
	OrderIndex int    `json:"orderindex"`
	Type       string `json:"type"`
}

func jStatuses(sts []Status) []jStatus {
	out := make([]jStatus, len(sts))
	for i, st := range sts {
		out[i] = jStatus{ID: st.ID, Status: st.Name, Color: st.Color, OrderIndex: i, Type: st.Type}
	}
	return out
}

type jPriority struct {
	ID         string `json:"id"`
	Priority   string `json:"priority"`
	Color      string `json:"color"`
	OrderIndex string `json:"orderindex"`
}

// priorities are ClickUp's four, by number (an array, static data: a
// package-level map is built at every start).
var priorities = [...]jPriority{
	1: {"1", "urgent", "#f50000", "1"},
	2: {"2", "high", "#ffcc00", "2"},
	3: {"3", "normal", "#6fddff", "3"},
	4: {"4", "low", "#d8d8d8", "4"},
}

type jTag struct {
	Name    string `json:"name"`
	Fg      string `json:"tag_fg"`
	Bg      string `json:"tag_bg"`
	Creator int64  `json:"creator"`
}

type jChecklistItem struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	OrderIndex  int      `json:"orderindex"`
	Assignee    *jUser   `json:"assignee"`
	GroupAssign *string  `json:"group_assignee"`
	Resolved    bool     `json:"resolved"`
	Parent      *string  `json:"parent"`
	DateCreated string   `json:"date_created"`
	Children    []string `json:"children"`
}

type jChecklist struct {
	ID          string           `json:"id"`
	TaskID      string           `json:"task_id"`
	Name        string           `json:"name"`
	DateCreated string           `json:"date_created"`
	OrderIndex  int              `json:"orderindex"`
	Creator     int64            `json:"creator"`
	Resolved    int              `json:"resolved"`
	Unresolved  int              `json:"unresolved"`
	Items       []jChecklistItem `json:"items"`
}

type jField struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Type           string  `json:"type"`
	TypeConfig     any     `json:"type_config"`
	DateCreated    string  `json:"date_created"`
	HideFromGuests bool    `json:"hide_from_guests"`
	Value          any     `json:"value,omitempty"`
	ValueRichtext  *string `json:"value_richtext,omitempty"`
	Required       bool    `json:"required"`
}

type jDependency struct {
	TaskID      string  `json:"task_id"`
	DependsOn   string  `json:"depends_on"`
	Type        int     `json:"type"`
	DateCreated string  `json:"date_created"`
	UserID      string  `json:"userid"`
	WorkspaceID string  `json:"workspace_id"`
	ChainID     *string `json:"chain_id"`
}

type jLinkedTask struct {
	TaskID      string `json:"task_id"`
	LinkID      string `json:"link_id"`
	DateCreated string `json:"date_created"`
	UserID      string `json:"userid"`
	WorkspaceID string `json:"workspace_id"`
}

type jRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Hidden *bool  `json:"hidden,omitempty"`
	Access bool   `json:"access"`
}

type jGroupRef struct {
	ID string `json:"id"`
}

type jSpaceRef struct {
	ID string `json:"id"`
}

type jLocation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type jSharing struct {
	Public               bool     `json:"public"`
	PublicShareExpiresOn *string  `json:"public_share_expires_on"`
	PublicFields         []string `json:"public_fields"`
	Token                *string  `json:"token"`
	SeoOptimized         bool     `json:"seo_optimized"`
}

var publicFields = []string{"assignees", "priority", "due_date", "content", "comments", "attachments", "customFields", "subtasks", "tags", "checklists", "coverimage"}

type jTask struct {
	ID                  string         `json:"id"`
	CustomID            *string        `json:"custom_id"`
	CustomItemID        int            `json:"custom_item_id"`
	Name                string         `json:"name"`
	TextContent         string         `json:"text_content"`
	Description         string         `json:"description"`
	MarkdownDescription *string        `json:"markdown_description,omitempty"`
	Status              jStatus        `json:"status"`
	OrderIndex          string         `json:"orderindex"`
	DateCreated         string         `json:"date_created"`
	DateUpdated         string         `json:"date_updated"`
	DateClosed          *string        `json:"date_closed"`
	DateDone            *string        `json:"date_done"`
	Archived            bool           `json:"archived"`
	Creator             jUser          `json:"creator"`
	Assignees           []jUser        `json:"assignees"`
	GroupAssignees      []jGroupRef    `json:"group_assignees"`
	Watchers            []jUser        `json:"watchers"`
	Checklists          []jChecklist   `json:"checklists"`
	Tags                []jTag         `json:"tags"`
	Parent              *string        `json:"parent"`
	TopLevelParent      *string        `json:"top_level_parent"`
	Priority            *jPriority     `json:"priority"`
	DueDate             *string        `json:"due_date"`
	StartDate           *string        `json:"start_date"`
	Points              *float64       `json:"points"`
	TimeEstimate        *int64         `json:"time_estimate"`
	TimeSpent           int64          `json:"time_spent"`
	CustomFields        []jField       `json:"custom_fields"`
	Dependencies        []jDependency  `json:"dependencies"`
	LinkedTasks         []jLinkedTask  `json:"linked_tasks"`
	Locations           []jLocation    `json:"locations"`
	TeamID              string         `json:"team_id"`
	URL                 string         `json:"url"`
	Sharing             jSharing       `json:"sharing"`
	PermissionLevel     string         `json:"permission_level"`
	List                jRef           `json:"list"`
	Project             jRef           `json:"project"`
	Folder              jRef           `json:"folder"`
	Space               jSpaceRef      `json:"space"`
	Subtasks            *[]jTask       `json:"subtasks,omitempty"`
	Attachments         *[]jAttachment `json:"attachments,omitempty"`
}

type renderOpts struct {
	markdown    bool // include markdown_description
	subtasks    bool // include subtasks[] (direct children)
	attachments bool // include attachments[] (single-task responses)
}

func boolp(b bool) *bool { return &b }

// folderRef returns the task's folder object; a folderless List lives in
// its Space's hidden Folder, which ClickUp reports as {"name":"hidden","hidden":true}.
func (s *Server) folderRef(l *List) jRef {
	if l.FolderID == "" {
		return jRef{ID: s.hidden[l.SpaceID], Name: "hidden", Hidden: boolp(true), Access: true}
	}
	f := s.folders[l.FolderID]
	return jRef{ID: f.ID, Name: f.Name, Hidden: boolp(f.Hidden), Access: true}
}

func (s *Server) renderTask(t *Task, o renderOpts) jTask {
	l := s.listOf(t)
	wsID := s.spaces[l.SpaceID].WorkspaceID
	st, idx := s.statusOfTask(t)
	j := jTask{
		ID:              t.ID,
		CustomID:        strOrNil(t.CustomID),
		CustomItemID:    t.CustomItemID,
		Name:            t.Name,
		TextContent:     t.Description,
		Description:     t.Description,
		Status:          jStatus{ID: st.ID, Status: st.Name, Color: st.Color, OrderIndex: idx, Type: st.Type},
		OrderIndex:      s.taskOrderIndex(t),
		DateCreated:     *msStr(t.DateCreated),
		DateUpdated:     *msStr(t.DateUpdated),
		DateClosed:      msStr(t.DateClosed),
		DateDone:        msStr(t.DateDone),
		Archived:        t.Archived,
		Creator:         s.jUser(t.CreatorID),
		Assignees:       s.jUsers(t.Assignees),
		GroupAssignees:  make([]jGroupRef, 0, len(t.GroupAssignees)),
		Watchers:        s.jUsers(t.Watchers),
		Checklists:      s.renderChecklists(t),
		Tags:            s.renderTaskTags(t, l),
		Parent:          strOrNil(t.Parent),
		TopLevelParent:  strOrNil(s.topLevelParent(t)),
		DueDate:         msStr(t.DueDate),
		StartDate:       msStr(t.StartDate),
		Points:          t.Points,
		TimeSpent:       t.TimeSpent.Milliseconds(),
		CustomFields:    s.renderTaskFields(t, l),
		Dependencies:    s.renderDependencies(t, wsID),
		LinkedTasks:     s.renderLinks(t, wsID),
		Locations:       make([]jLocation, 0, len(t.OtherListIDs)),
		TeamID:          wsID,
		URL:             "https://app.clickup.com/t/" + t.ID,
		Sharing:         jSharing{PublicFields: publicFields},
		PermissionLevel: "create",
		List:            jRef{ID: l.ID, Name: l.Name, Access: true},
		Project:         s.folderRef(l),
		Space:           jSpaceRef{ID: l.SpaceID},
	}
	j.Folder = j.Project
	if o.markdown {
		md := t.MarkdownDescription
		j.MarkdownDescription = &md
	}
	for _, g := range t.GroupAssignees {
		j.GroupAssignees = append(j.GroupAssignees, jGroupRef{ID: g})
	}
	if t.Priority >= 1 && t.Priority < len(priorities) {
		p := priorities[t.Priority]
		j.Priority = &p
	}
	if t.TimeEstimate > 0 {
		ms := t.TimeEstimate.Milliseconds()
		j.TimeEstimate = &ms
	}
	for _, id := range t.OtherListIDs {
		if ol := s.lists[id]; ol != nil {
			j.Locations = append(j.Locations, jLocation{ID: ol.ID, Name: ol.Name})
		}
	}
	if o.subtasks {
		subs := []jTask{}
		kids := s.children(t.ID)
		for _, k := range kids {
			subs = append(subs, s.renderTask(k, renderOpts{markdown: o.markdown}))
		}
		j.Subtasks = &subs
	}
	if o.attachments {
		as := s.renderAttachments(t)
		j.Attachments = &as
	}
	return j
}

// taskOrderIndex mimics ClickUp's decimal strings ("12.00000000000000000000000000000000"):
// increasing in creation order, which is what the manual order of tasks
// nobody dragged looks like.
func (s *Server) taskOrderIndex(t *Task) string {
	return strconv.FormatInt(s.order[t.ID], 10) + ".00000000000000000000000000000000"
}

func (s *Server) renderTaskTags(t *Task, l *List) []jTag {
	out := make([]jTag, 0, len(t.Tags))
	sp := s.spaces[l.SpaceID]
	for _, name := range t.Tags {
		tag := normTag(Tag{Name: name})
		for _, st := range sp.Tags {
			if st.Name == name {
				tag = st
				break
			}
		}
		out = append(out, jTag(tag))
	}
	return out
}

func (s *Server) renderChecklists(t *Task) []jChecklist {
	out := make([]jChecklist, 0, len(t.Checklists))
	for i := range t.Checklists {
		out = append(out, s.renderChecklist(t, i))
	}
	return out
}

// renderChecklist is one checklist as GET task and the checklist
// endpoints show it: items in order, each with its parent and children.
func (s *Server) renderChecklist(t *Task, i int) jChecklist {
	cl := t.Checklists[i]
	created, creator := t.DateCreated, t.CreatorID
	if !cl.DateCreated.IsZero() {
		created = cl.DateCreated
	}
	if cl.CreatorID != 0 {
		creator = cl.CreatorID
	}
	ms := func(at time.Time) string { return strconv.FormatInt(at.UnixMilli(), 10) }
	jc := jChecklist{ID: cl.ID, TaskID: t.ID, Name: cl.Name, DateCreated: ms(created), OrderIndex: i, Creator: creator, Items: []jChecklistItem{}}
	for k, it := range cl.Items {
		at := created
		if !it.DateCreated.IsZero() {
			at = it.DateCreated
		}
		ji := jChecklistItem{ID: it.ID, Name: it.Name, OrderIndex: k, Resolved: it.Resolved, DateCreated: ms(at), Children: []string{}}
		if it.Assignee != 0 {
			u := s.jUser(it.Assignee)
			ji.Assignee = &u
		}
		if it.Parent != "" {
			p := it.Parent
			ji.Parent = &p
		}
		for _, o := range cl.Items {
			if o.Parent == it.ID {
				ji.Children = append(ji.Children, o.ID)
			}
		}
		if it.Resolved {
			jc.Resolved++
		} else {
			jc.Unresolved++
		}
		jc.Items = append(jc.Items, ji)
	}
	return jc
}

func (s *Server) renderDependencies(t *Task, wsID string) []jDependency {
	out := []jDependency{}
	created := strconv.FormatInt(t.DateCreated.UnixMilli(), 10)
	uid := strconv.FormatInt(t.CreatorID, 10)
	for _, d := range t.DependsOn {
		out = append(out, jDependency{TaskID: t.ID, DependsOn: d, Type: 1, DateCreated: created, UserID: uid, WorkspaceID: wsID})
	}
	// Tasks waiting on this one show the same link from the other side.
	for _, o := range s.taskOrder {
		if slices.Contains(o.DependsOn, t.ID) {
			out = append(out, jDependency{TaskID: o.ID, DependsOn: t.ID, Type: 0, DateCreated: created, UserID: uid, WorkspaceID: wsID})
		}
	}
	return out
}

func (s *Server) renderLinks(t *Task, wsID string) []jLinkedTask {
	out := make([]jLinkedTask, 0, len(t.LinkedTasks))
	created := strconv.FormatInt(t.DateCreated.UnixMilli(), 10)
	for _, id := range t.LinkedTasks {
		out = append(out, jLinkedTask{TaskID: t.ID, LinkID: id, DateCreated: created, UserID: strconv.FormatInt(t.CreatorID, 10), WorkspaceID: wsID})
	}
	return out
}

func (s *Server) renderFieldDef(f *fieldRec) jField {
	return jField{
		ID:             f.ID,
		Name:           f.Name,
		Type:           f.Type,
		TypeConfig:     f.typeConfig,
		DateCreated:    strconv.FormatInt(f.created.UnixMilli(), 10),
		HideFromGuests: f.HideFromGuests,
		Required:       f.Required,
	}
}

type jOption struct {
	ID         string `json:"id"`
	Name       string `json:"name,omitempty"`
	Label      string `json:"label,omitempty"`
	Color      string `json:"color"`
	OrderIndex int    `json:"orderindex"`
}

type jDropDownConfig struct {
	Default     int       `json:"default"`
	Placeholder *string   `json:"placeholder"`
	NewDropDown bool      `json:"new_drop_down"`
	Options     []jOption `json:"options"`
}

type jLabelsConfig struct {
	Options []jOption `json:"options"`
}

type jCurrencyConfig struct {
	Precision    int    `json:"precision"`
	CurrencyType string `json:"currency_type"`
	Default      *int   `json:"default"`
}

type jEmptyConfig struct{}

// fieldTypeConfig builds a field's type_config once (typed, so encoding it
// in every task response is cheap).
func fieldTypeConfig(f *CustomField) any {
	opts := make([]jOption, len(f.Options))
	for i, o := range f.Options {
		opts[i] = jOption{ID: o.ID, Color: o.Color, OrderIndex: i}
		if f.Type == "labels" {
			opts[i].Label = o.Name
		} else {
			opts[i].Name = o.Name
		}
	}
	switch f.Type {
	case "drop_down":
		return &jDropDownConfig{NewDropDown: true, Options: opts}
	case "labels":
		return &jLabelsConfig{Options: opts}
	case "currency":
		return &jCurrencyConfig{Precision: 2, CurrencyType: "USD"}
	default:
		return &jEmptyConfig{}
	}
}

// renderTaskFields lists every field the task's List can see, with a
// "value" only where one is set (as ClickUp does).
func (s *Server) renderTaskFields(t *Task, l *List) []jField {
	defs := s.fieldsForList(l)
	out := make([]jField, 0, len(defs))
	for _, f := range defs {
		j := s.renderFieldDef(f)
		if v, ok := t.CustomFields[f.ID]; ok && v != nil {
			j.Value = s.fieldWireValue(f, v)
			if f.Type == "text" || f.Type == "short_text" {
				rt := ""
				j.ValueRichtext = &rt
			}
		}
		out = append(out, j)
	}
	return out
}

// fieldWireValue turns a stored (normalized) value into ClickUp's wire form:
// drop_down -> the option's orderindex, number/currency -> a string,
// checkbox -> "true"/"false", date -> a string of ms, users -> user objects.
func (s *Server) fieldWireValue(f *fieldRec, v any) any {
	switch f.Type {
	case "drop_down":
		if id, ok := v.(string); ok {
			return f.optionIdx[id]
		}
	case "number", "currency":
		if x, ok := v.(float64); ok {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	case "checkbox":
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b)
		}
	case "date":
		if ms, ok := v.(int64); ok {
			return strconv.FormatInt(ms, 10)
		}
	case "users":
		if ids, ok := v.([]int64); ok {
			return s.jUsers(ids)
		}
	case "labels":
		if ids, ok := v.([]string); ok {
			return slices.Clone(ids)
		}
	}
	return v
}

// --- hierarchy shapes ---

type jMember struct {
	User jMemberUser `json:"user"`
}

type jMemberUser struct {
	ID             int64   `json:"id"`
	Username       string  `json:"username"`
	Email          string  `json:"email"`
	Color          string  `json:"color"`
	ProfilePicture *string `json:"profilePicture"`
	Initials       string  `json:"initials"`
	Role           int     `json:"role"`
	CustomRole     any     `json:"custom_role"`
	LastActive     *string `json:"last_active"`
	DateJoined     *string `json:"date_joined"`
	DateInvited    *string `json:"date_invited"`
}

func (s *Server) jMembers(ids []int64) []jMember {
	out := make([]jMember, 0, len(ids))
	for _, id := range ids {
		u := s.users[id]
		if u == nil {
			continue
		}
		out = append(out, jMember{User: jMemberUser{
			ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color,
			ProfilePicture: strOrNil(u.ProfilePicture), Initials: u.Initials, Role: u.Role,
		}})
	}
	return out
}

type jEnabled struct {
	Enabled bool `json:"enabled"`
}

type jDueDates struct {
	Enabled            bool `json:"enabled"`
	StartDate          bool `json:"start_date"`
	RemapDueDates      bool `json:"remap_due_dates"`
	RemapClosedDueDate bool `json:"remap_closed_due_date"`
}

type jFeatures struct {
	DueDates          jDueDates `json:"due_dates"`
	Sprints           jEnabled  `json:"sprints"`
	Points            jEnabled  `json:"points"`
	CustomItems       jEnabled  `json:"custom_items"`
	Priorities        jEnabled  `json:"priorities"`
	Tags              jEnabled  `json:"tags"`
	TimeEstimates     jEnabled  `json:"time_estimates"`
	CheckUnresolved   jEnabled  `json:"check_unresolved"`
	Milestones        jEnabled  `json:"milestones"`
	TimeTracking      jEnabled  `json:"time_tracking"`
	Checklists        jEnabled  `json:"checklists"`
	CustomFields      jEnabled  `json:"custom_fields"`
	RemapDependencies jEnabled  `json:"remap_dependencies"`
	DependencyWarning jEnabled  `json:"dependency_warning"`
	MultipleAssignees jEnabled  `json:"multiple_assignees"`
	Portfolios        jEnabled  `json:"portfolios"`
	Emails            jEnabled  `json:"emails"`
}

var on = jEnabled{Enabled: true}

var spaceFeatures = jFeatures{
	DueDates: jDueDates{Enabled: true, StartDate: true},
	Sprints:  jEnabled{}, Points: on, CustomItems: on, Priorities: on, Tags: on, TimeEstimates: on,
	CheckUnresolved: on, Milestones: on, TimeTracking: on, Checklists: on, CustomFields: on,
	RemapDependencies: on, DependencyWarning: on, MultipleAssignees: on, Portfolios: on, Emails: on,
}

type jSpace struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Color             *string   `json:"color"`
	Private           bool      `json:"private"`
	Avatar            *string   `json:"avatar"`
	AdminCanManage    bool      `json:"admin_can_manage"`
	Archived          bool      `json:"archived"`
	Members           []jMember `json:"members"`
	Statuses          []jStatus `json:"statuses"`
	MultipleAssignees bool      `json:"multiple_assignees"`
	Features          jFeatures `json:"features"`
}

func (s *Server) renderSpace(sp *Space) jSpace {
	return jSpace{
		ID: sp.ID, Name: sp.Name, Color: strOrNil(sp.Color), Private: sp.Private, AdminCanManage: true,
		Archived: sp.Archived, Members: s.jMembers(s.workspaces[sp.WorkspaceID].MemberIDs),
		Statuses: jStatuses(sp.Statuses), MultipleAssignees: true, Features: spaceFeatures,
	}
}

type jList struct {
	ID               string     `json:"id"`
	Name             string     `json:"name"`
	OrderIndex       int        `json:"orderindex"`
	Content          string     `json:"content"`
	Status           any        `json:"status"`
	Priority         any        `json:"priority"`
	Assignee         any        `json:"assignee"`
	TaskCount        *string    `json:"task_count"`
	DueDate          *string    `json:"due_date"`
	DueDateTime      *bool      `json:"due_date_time,omitempty"`
	StartDate        *string    `json:"start_date"`
	StartDateTime    any        `json:"start_date_time,omitempty"`
	Folder           jRef       `json:"folder"`
	Space            jRef       `json:"space"`
	InboundAddress   string     `json:"inbound_address,omitempty"`
	Archived         bool       `json:"archived"`
	OverrideStatuses bool       `json:"override_statuses"`
	Statuses         *[]jStatus `json:"statuses,omitempty"`
	PermissionLevel  string     `json:"permission_level"`
}

func (s *Server) listPosition(l *List) int {
	n := 0
	for _, id := range s.listOrder {
		o := s.lists[id]
		if o == l {
			return n
		}
		if o.SpaceID == l.SpaceID && o.FolderID == l.FolderID {
			n++
		}
	}
	return n
}

func (s *Server) listTaskCount(l *List) int {
	n := 0
	for _, t := range s.taskOrder {
		if t.ListID == l.ID && !t.Archived {
			n++
		}
	}
	return n
}

func (s *Server) renderList(l *List, detail bool) jList {
	sp := s.spaces[l.SpaceID]
	count := strconv.Itoa(s.listTaskCount(l))
	j := jList{
		ID: l.ID, Name: l.Name, OrderIndex: s.listPosition(l), Content: l.Content,
		TaskCount: &count, Folder: s.folderRef(l), Space: jRef{ID: sp.ID, Name: sp.Name, Access: true},
		Archived: l.Archived, OverrideStatuses: len(l.Statuses) > 0, PermissionLevel: "create",
	}
	if detail {
		j.DueDateTime = boolp(false)
		j.StartDateTime = nil
		j.InboundAddress = "a." + l.ID + ".u-" + strconv.FormatInt(int64(len(l.Name))*7919, 10) + "@tasks.clickup.com"
		sts := jStatuses(s.statusesOf(l))
		j.Statuses = &sts
	}
	return j
}

type jFolder struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	OrderIndex       int       `json:"orderindex"`
	OverrideStatuses bool      `json:"override_statuses"`
	Hidden           bool      `json:"hidden"`
	Space            jRef      `json:"space"`
	TaskCount        string    `json:"task_count"`
	Archived         bool      `json:"archived"`
	Statuses         []jStatus `json:"statuses"`
	Lists            []jList   `json:"lists"`
	PermissionLevel  string    `json:"permission_level"`
}

func (s *Server) renderFolder(f *Folder, archivedLists bool) jFolder {
	sp := s.spaces[f.SpaceID]
	pos := 0
	for _, id := range s.folderOrd {
		if id == f.ID {
			break
		}
		if s.folders[id].SpaceID == f.SpaceID {
			pos++
		}
	}
	j := jFolder{
		ID: f.ID, Name: f.Name, OrderIndex: pos, OverrideStatuses: len(f.Statuses) > 0, Hidden: f.Hidden,
		Space: jRef{ID: sp.ID, Name: sp.Name, Access: true}, Archived: f.Archived,
		Statuses: jStatuses(f.Statuses), Lists: []jList{}, PermissionLevel: "create",
	}
	total := 0
	for _, id := range s.listOrder {
		l := s.lists[id]
		if l.FolderID != f.ID {
			continue
		}
		total += s.listTaskCount(l)
		if l.Archived != archivedLists {
			continue
		}
		j.Lists = append(j.Lists, s.renderList(l, false))
	}
	j.TaskCount = strconv.Itoa(total)
	return j
}

// jProfileInfo is the profileInfo ClickUp sends for a member: every field
// null. A struct, not a package-level map (maps are built at every start);
// its fields are in the order a map's keys are encoded, so the JSON is the
// same.
type jProfileInfo struct {
	DisplayProfile           *struct{} `json:"display_profile"`
	TopTierUser              *struct{} `json:"top_tier_user"`
	VerifiedAmbassador       *struct{} `json:"verified_ambassador"`
	VerifiedConsultant       *struct{} `json:"verified_consultant"`
	ViewedTopTierUser        *struct{} `json:"viewed_top_tier_user"`
	ViewedVerifiedAmbassador *struct{} `json:"viewed_verified_ambassador"`
	ViewedVerifiedConsultant *struct{} `json:"viewed_verified_consultant"`
}

type jProfileMember struct {
	ID             int64        `json:"id"`
	Username       string       `json:"username"`
	Email          string       `json:"email"`
	Color          string       `json:"color"`
	Initials       string       `json:"initials"`
	ProfilePicture *string      `json:"profilePicture"`
	ProfileInfo    jProfileInfo `json:"profileInfo"`
}

func (s *Server) profileMembers(ids []int64) []jProfileMember {
	out := make([]jProfileMember, 0, len(ids))
	for _, id := range ids {
		u := s.jUser(id)
		out = append(out, jProfileMember{ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, Initials: u.Initials, ProfilePicture: u.ProfilePicture})
	}
	return out
}
