package clickuptest

import "time"

// The types below describe the fake's world. They are the fake's own model,
// deliberately independent of package clickup, so a bug in the client's types
// cannot hide in a fake that shares them. The wire format is produced
// separately (render.go).

// User is a ClickUp user. Zero fields are filled in when the user is added:
// ID (generated), Initials (from Username), Color (from the ID) and Role (3).
type User struct {
	ID             int64
	Username       string
	Email          string
	Color          string
	Initials       string
	Timezone       string
	ProfilePicture string // "" is sent as null, as ClickUp does for users without an avatar
	// Role in every Workspace the user belongs to: 1 owner, 2 admin, 3 member, 4 guest.
	// The fake does not restrict what a guest can see.
	Role int
}

// Workspace is a ClickUp Workspace (a "team" on the wire).
type Workspace struct {
	ID        string // "" = generated (a string of digits)
	Name      string
	Color     string
	Avatar    string // "" is sent as null
	MemberIDs []int64
	// CustomTaskIDPrefix turns on custom task ids ("ACME" gives ACME-1, ACME-2, ...).
	// "" leaves them off: tasks then carry "custom_id": null.
	CustomTaskIDPrefix string
}

// Status is a task status. Type is one of open, custom, done, closed. Tasks in
// a closed status are hidden from task searches unless include_closed=true.
type Status struct {
	ID    string // "" = generated
	Name  string
	Color string // "" = a default grey
	Type  string // "" = custom
}

// Tag is a Space tag. ClickUp stores tag names in lower case; so does the fake.
type Tag struct {
	Name    string
	Fg      string
	Bg      string
	Creator int64
}

// Space is a ClickUp Space. Statuses default to to do / in progress /
// complete (closed).
type Space struct {
	ID       string
	Name     string
	Color    string
	Private  bool
	Archived bool
	Statuses []Status
	Tags     []Tag

	WorkspaceID string // set by AddSpace
}

// Folder is a ClickUp Folder ("project" on the wire). Non-empty Statuses
// override the Space's.
type Folder struct {
	ID       string
	Name     string
	Hidden   bool
	Archived bool
	Statuses []Status

	SpaceID string // set by AddFolder
}

// List is a ClickUp List. Non-empty Statuses override the Folder's or Space's
// (override_statuses); MemberIDs are the people with explicit access
// (GET /v2/list/{id}/member).
type List struct {
	ID        string
	Name      string
	Content   string
	Statuses  []Status
	MemberIDs []int64
	Archived  bool

	SpaceID    string // set by AddList
	FolderID   string // set by AddList; "" for a folderless List
	Folderless bool   // set by AddList
}

// Task is a ClickUp task. A zero time means "not set" (null on the wire), as
// does Priority 0, TimeEstimate 0 and a nil Points.
type Task struct {
	ID           string // "" = generated, like ClickUp's ("86b1x2y3z")
	CustomID     string // "" = generated when the Workspace has a CustomTaskIDPrefix
	CustomItemID int    // 0 task, 1 milestone, others Workspace-defined
	Name         string
	// Description is the plain-text description (description and text_content
	// on the wire); MarkdownDescription the Markdown one. Either may be given:
	// the other is derived when empty.
	Description         string
	MarkdownDescription string
	Status              string // a status name of the task's List; "" = the List's first status
	Priority            int    // 1 urgent, 2 high, 3 normal, 4 low, 0 none
	Assignees           []int64
	GroupAssignees      []string
	Watchers            []int64
	Tags                []string
	Parent              string // the parent task's id for a subtask
	CreatorID           int64  // 0 = the Workspace's first member
	DueDate             time.Time
	DueDateTime         bool
	StartDate           time.Time
	StartDateTime       bool
	TimeEstimate        time.Duration
	TimeSpent           time.Duration
	Points              *float64
	DateCreated         time.Time // zero = now
	DateUpdated         time.Time // zero = DateCreated
	DateClosed          time.Time // zero and a closed status = DateUpdated
	DateDone            time.Time // zero and a done or closed status = DateUpdated
	Archived            bool
	// CustomFields holds values by field id. drop_down: the option id (or its
	// name, or orderindex); labels: []string of option ids; number/currency:
	// float64; text types: string; checkbox: bool; date: time.Time or ms;
	// users: []int64.
	CustomFields map[string]any
	Checklists   []Checklist
	LinkedTasks  []string     // ids of linked tasks (links_to)
	DependsOn    []string     // ids of tasks this one waits on
	OtherListIDs []string     // Tasks in Multiple Lists: extra Lists (include_timl)
	Attachments  []Attachment // files, oldest first (attachments[] of GET /v2/task/{id})

	ListID string // set by AddTask / create
}

// Checklist is a task checklist. Ids are generated when empty.
type Checklist struct {
	ID          string
	Name        string
	Items       []ChecklistItem
	CreatorID   int64     // 0 = the task's creator
	DateCreated time.Time // zero = the task's
}

// ChecklistItem is one line of a checklist.
type ChecklistItem struct {
	ID          string
	Name        string
	Resolved    bool
	Assignee    int64
	Parent      string    // the id of the item of the same checklist it is nested under
	DateCreated time.Time // zero = the checklist's
}

// CustomField is a Custom Field definition, attached to a Workspace, Space,
// Folder or List (AddCustomField); a task sees the fields of its List and
// the List's ancestors.
type CustomField struct {
	ID             string // "" = a generated UUID
	Name           string
	Type           string // drop_down, labels, number, currency, short_text, text, email, url, phone, checkbox, date, users
	Options        []FieldOption
	Required       bool
	HideFromGuests bool
}

// FieldOption is an option of a drop_down or labels field.
type FieldOption struct {
	ID    string // "" = a generated UUID
	Name  string
	Color string
}

// Comment is a task comment.
type Comment struct {
	ID       string // "" = generated (a string of digits, increasing)
	TaskID   string // set by AddComment
	UserID   int64
	Text     string
	Date     time.Time // zero = now
	Assignee int64
	Resolved bool
	// ParentID is set on a reply: the comment whose thread it is in.
	ParentID string
}

// OAuthConsent is how the fake's authorization page (GET /api?client_id=...)
// answers: it approves for UserID and WorkspaceIDs unless Deny is set.
type OAuthConsent struct {
	UserID       int64
	WorkspaceIDs []string
	Deny         bool
}
