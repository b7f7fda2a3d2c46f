package clickup

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The real API is loose about JSON types (API-NOTES §4): ids arrive as
// strings or numbers, dates as strings of epoch milliseconds, priority as an
// object or null. The types below decode every form seen in the wild so a
// response never fails on a quirk the spec does not describe.

// unquote reads a JSON string. Ids, dates and numbers arrive as short
// ASCII strings without escapes: those are sliced out directly, sparing a
// nested json.Unmarshal per field, which was a third of the CPU spent
// decoding a page of tasks. Anything else takes the full decoder.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		plain := true
		for _, c := range b[1 : len(b)-1] {
			if c < 0x20 || c >= 0x80 || c == '\\' || c == '"' {
				plain = false
				break
			}
		}
		if plain {
			return string(b[1 : len(b)-1]), nil
		}
	}
	var v string
	err := json.Unmarshal(b, &v)
	return v, err
}

// quotedDigits reads "123": a JSON string of 1 to 18 ASCII digits (no
// sign, space or escape), which ParseInt takes without overflow.
func quotedDigits(b []byte) (int64, bool) {
	if len(b) < 3 || len(b) > 20 || b[0] != '"' || b[len(b)-1] != '"' {
		return 0, false
	}
	var n int64
	for _, c := range b[1 : len(b)-1] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// FlexString decodes a JSON string, number or null into a string.
type FlexString string

func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*s = ""
		return nil
	}
	if b[0] == '"' {
		v, err := unquote(b)
		if err != nil {
			return err
		}
		*s = FlexString(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("clickup: want string or number, got %.40s", b)
	}
	*s = FlexString(n.String())
	return nil
}

func (s FlexString) String() string { return string(s) }

// FlexInt decodes a JSON number, a string of digits, "" or null into an int64.
type FlexInt int64

func (i *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` {
		*i = 0
		return nil
	}
	// Dates and ids: a string of digits, read in place (the general path
	// below copies it twice).
	if n, ok := quotedDigits(b); ok {
		*i = FlexInt(n)
		return nil
	}
	if b[0] == '"' {
		v, err := unquote(b)
		if err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(v))
		if len(b) == 0 {
			*i = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*i = FlexInt(n)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("clickup: want integer, got %.40s", b)
	}
	*i = FlexInt(f)
	return nil
}

// FlexFloat decodes a JSON number, a numeric string, "" or null into a float64.
type FlexFloat float64

func (f *FlexFloat) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` {
		*f = 0
		return nil
	}
	if b[0] == '"' {
		v, err := unquote(b)
		if err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(v))
		if len(b) == 0 {
			*f = 0
			return nil
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("clickup: want number, got %.40s", b)
	}
	*f = FlexFloat(v)
	return nil
}

// FlexBool decodes true/false, "true"/"false", 0/1 and null.
type FlexBool bool

func (v *FlexBool) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(bytes.TrimSpace(b)), `"`) {
	case "true", "1":
		*v = true
	case "false", "0", "", "null":
		*v = false
	default:
		return fmt.Errorf("clickup: want boolean, got %.40s", b)
	}
	return nil
}

// Millis is a point in time as ClickUp sends it: epoch milliseconds, usually
// as a string. Zero means "not set".
type Millis int64

func (m *Millis) UnmarshalJSON(b []byte) error {
	var i FlexInt
	if err := i.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = Millis(i)
	return nil
}

// MarshalJSON writes the value as ClickUp does: a string of digits, or null.
func (m Millis) MarshalJSON() ([]byte, error) {
	if m == 0 {
		return []byte("null"), nil
	}
	return []byte(`"` + strconv.FormatInt(int64(m), 10) + `"`), nil
}

// IsZero reports whether the time is unset.
func (m Millis) IsZero() bool { return m == 0 }

// Time converts to a time.Time in UTC; the zero Time when unset.
func (m Millis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// MillisOf converts a time to epoch milliseconds.
func MillisOf(t time.Time) Millis { return Millis(t.UnixMilli()) }

// Nullable is a request field with three states: absent (omitted), null
// (clears the value in ClickUp) and set. Use it with the `omitzero` tag.
type Nullable[T any] struct {
	Set   bool // the field is sent
	Null  bool // sent as null
	Value T
}

// Some returns a Nullable that sends v.
func Some[T any](v T) Nullable[T] { return Nullable[T]{Set: true, Value: v} }

// Null returns a Nullable that sends null (clears the field).
func Null[T any]() Nullable[T] { return Nullable[T]{Set: true, Null: true} }

func (n Nullable[T]) IsZero() bool { return !n.Set }

func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Set || n.Null {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(bytes.TrimSpace(b)) == "null" {
		n.Null = true
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// TaskRef addresses a task: by its native id, or by its custom id within a
// workspace (sent as custom_task_ids=true&team_id=...).
type TaskRef struct {
	ID string
	// TeamID is set only for a custom task id (e.g. "DEV-42"); it is the
	// workspace the custom id belongs to.
	TeamID string
}

// Native addresses a task by its ClickUp id.
func Native(id string) TaskRef { return TaskRef{ID: id} }

// Custom addresses a task by its custom id in a workspace.
func Custom(id, workspaceID string) TaskRef { return TaskRef{ID: id, TeamID: workspaceID} }

// IsCustom reports whether the ref is a custom task id.
func (r TaskRef) IsCustom() bool { return r.TeamID != "" }

func (r TaskRef) String() string { return r.ID }

// User is a ClickUp user as it appears in /v2/user, members, assignees and
// comment authors.
type User struct {
	ID             FlexInt    `json:"id"`
	Username       string     `json:"username"`
	Email          string     `json:"email,omitempty"`
	Color          string     `json:"color,omitempty"`
	Initials       string     `json:"initials,omitempty"`
	ProfilePicture string     `json:"profilePicture,omitempty"`
	Timezone       string     `json:"timezone,omitempty"`
	WeekStartDay   FlexInt    `json:"week_start_day,omitempty"`
	Role           FlexInt    `json:"role,omitempty"` // in workspace members: 1 owner, 2 admin, 3 member, 4 guest
	RoleKey        FlexString `json:"role_key,omitempty"`
}

// TeamMember wraps a user in a workspace's member list.
type TeamMember struct {
	User      User  `json:"user"`
	InvitedBy *User `json:"invited_by,omitempty"`
}

// Team is a workspace (ClickUp's API calls workspaces teams).
type Team struct {
	ID      FlexString   `json:"id"`
	Name    string       `json:"name"`
	Color   string       `json:"color,omitempty"`
	Avatar  FlexString   `json:"avatar,omitempty"`
	Members []TeamMember `json:"members,omitempty"`
}

// Status is a task status as defined on a list or space, and as set on a task.
type Status struct {
	ID         FlexString `json:"id,omitempty"`
	Status     string     `json:"status"`
	Color      string     `json:"color,omitempty"`
	Orderindex FlexInt    `json:"orderindex"`
	Type       string     `json:"type,omitempty"` // open, custom, done, closed
}

// Ref is the small {id, name} object ClickUp nests in tasks, lists and folders.
type Ref struct {
	ID     FlexString `json:"id"`
	Name   string     `json:"name,omitempty"`
	Hidden FlexBool   `json:"hidden,omitempty"`
	Access FlexBool   `json:"access,omitempty"`
}

// Space is a top-level container in a workspace.
type Space struct {
	ID                FlexString      `json:"id"`
	Name              string          `json:"name"`
	Color             string          `json:"color,omitempty"`
	Private           FlexBool        `json:"private"`
	Archived          FlexBool        `json:"archived"`
	Statuses          []Status        `json:"statuses,omitempty"`
	MultipleAssignees FlexBool        `json:"multiple_assignees"`
	Features          json.RawMessage `json:"features,omitempty"`
}

// Folder groups lists in a space (the API calls folders projects in places).
type Folder struct {
	ID               FlexString `json:"id"`
	Name             string     `json:"name"`
	Orderindex       FlexInt    `json:"orderindex"`
	OverrideStatuses FlexBool   `json:"override_statuses"`
	Hidden           FlexBool   `json:"hidden"`
	Space            Ref        `json:"space"`
	TaskCount        FlexInt    `json:"task_count"`
	Archived         FlexBool   `json:"archived"`
	Statuses         []Status   `json:"statuses,omitempty"`
	Lists            []List     `json:"lists"`
}

// List holds tasks; it lives in a folder or directly in a space (folderless).
type List struct {
	ID               FlexString      `json:"id"`
	Name             string          `json:"name"`
	Orderindex       FlexInt         `json:"orderindex"`
	Content          string          `json:"content,omitempty"`
	Status           json.RawMessage `json:"status,omitempty"`
	Priority         json.RawMessage `json:"priority,omitempty"`
	Assignee         json.RawMessage `json:"assignee,omitempty"`
	TaskCount        FlexInt         `json:"task_count"`
	DueDate          Millis          `json:"due_date,omitempty"`
	StartDate        Millis          `json:"start_date,omitempty"`
	Folder           *Ref            `json:"folder,omitempty"`
	Space            *Ref            `json:"space,omitempty"`
	Archived         FlexBool        `json:"archived"`
	OverrideStatuses FlexBool        `json:"override_statuses"`
	PermissionLevel  string          `json:"permission_level,omitempty"`
	// Statuses is filled by GET /v2/list/{id}.
	Statuses []Status `json:"statuses,omitempty"`
}

// Priority is a task's priority as ClickUp returns it. Requests send an
// integer 1 (urgent) to 4 (low) instead.
type Priority struct {
	ID         FlexString `json:"id"`
	Priority   string     `json:"priority"`
	Color      string     `json:"color,omitempty"`
	Orderindex FlexString `json:"orderindex,omitempty"`
}

// Tag is a space tag, also listed on tasks.
type Tag struct {
	Name    string  `json:"name"`
	TagFg   string  `json:"tag_fg,omitempty"`
	TagBg   string  `json:"tag_bg,omitempty"`
	Creator FlexInt `json:"creator,omitempty"`
}

// ChecklistItem is one entry of a task checklist.
type ChecklistItem struct {
	ID          FlexString `json:"id"`
	Name        string     `json:"name"`
	Orderindex  FlexFloat  `json:"orderindex"`
	Assignee    *User      `json:"assignee,omitempty"`
	Resolved    FlexBool   `json:"resolved"`
	Parent      FlexString `json:"parent,omitempty"`
	DateCreated Millis     `json:"date_created,omitempty"`
}

// UnmarshalJSON reads the assignee as a user object (GET task, item
// create) or, as the spec declares it on the item edit's answer, a bare
// user id (a string or a number); null is no assignee.
func (it *ChecklistItem) UnmarshalJSON(b []byte) error {
	type plain ChecklistItem
	var w struct {
		plain
		Assignee json.RawMessage `json:"assignee"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*it = ChecklistItem(w.plain)
	it.Assignee = nil
	a := bytes.TrimSpace(w.Assignee)
	switch {
	case len(a) == 0 || string(a) == "null":
	case a[0] == '{':
		var u User
		if err := json.Unmarshal(a, &u); err != nil {
			return err
		}
		it.Assignee = &u
	default:
		var id FlexInt
		if err := json.Unmarshal(a, &id); err != nil {
			return err
		}
		if id != 0 {
			it.Assignee = &User{ID: id}
		}
	}
	return nil
}

// Checklist is a task checklist.
type Checklist struct {
	ID          FlexString      `json:"id"`
	TaskID      FlexString      `json:"task_id,omitempty"`
	Name        string          `json:"name"`
	Orderindex  FlexFloat       `json:"orderindex"`
	Resolved    FlexInt         `json:"resolved"`
	Unresolved  FlexInt         `json:"unresolved"`
	DateCreated Millis          `json:"date_created,omitempty"`
	Creator     FlexInt         `json:"creator,omitempty"`
	Items       []ChecklistItem `json:"items"`
}

// CustomField is a custom field definition with, on a task, its value. The
// value's shape depends on the field type, so it is kept raw.
type CustomField struct {
	ID             FlexString      `json:"id"`
	Name           string          `json:"name"`
	Type           string          `json:"type"`
	TypeConfig     json.RawMessage `json:"type_config,omitempty"`
	DateCreated    Millis          `json:"date_created,omitempty"`
	HideFromGuests FlexBool        `json:"hide_from_guests"`
	Value          json.RawMessage `json:"value,omitempty"`
	Required       FlexBool        `json:"required"`
}

// Task is a ClickUp task (GetTask, GetTasks, GetFilteredTeamTasks, create and
// update responses). Subtasks are present only when asked for.
type Task struct {
	ID                  FlexString      `json:"id"`
	CustomID            FlexString      `json:"custom_id,omitempty"`
	CustomItemID        FlexInt         `json:"custom_item_id,omitempty"`
	Name                string          `json:"name"`
	TextContent         string          `json:"text_content,omitempty"`
	Description         string          `json:"description,omitempty"`
	MarkdownDescription string          `json:"markdown_description,omitempty"`
	Status              Status          `json:"status"`
	Orderindex          FlexString      `json:"orderindex,omitempty"`
	DateCreated         Millis          `json:"date_created"`
	DateUpdated         Millis          `json:"date_updated"`
	DateClosed          Millis          `json:"date_closed"`
	DateDone            Millis          `json:"date_done"`
	Archived            FlexBool        `json:"archived"`
	Creator             User            `json:"creator"`
	Assignees           []User          `json:"assignees"`
	GroupAssignees      json.RawMessage `json:"group_assignees,omitempty"`
	Watchers            []User          `json:"watchers,omitempty"`
	Checklists          []Checklist     `json:"checklists,omitempty"`
	Tags                []Tag           `json:"tags"`
	Parent              FlexString      `json:"parent,omitempty"`
	TopLevelParent      FlexString      `json:"top_level_parent,omitempty"`
	Priority            *Priority       `json:"priority"`
	DueDate             Millis          `json:"due_date"`
	DueDateTime         FlexBool        `json:"due_date_time,omitempty"`
	StartDate           Millis          `json:"start_date"`
	StartDateTime       FlexBool        `json:"start_date_time,omitempty"`
	Points              FlexFloat       `json:"points,omitempty"`
	TimeEstimate        FlexInt         `json:"time_estimate,omitempty"` // ms
	TimeSpent           FlexInt         `json:"time_spent,omitempty"`    // ms
	CustomFields        []CustomField   `json:"custom_fields,omitempty"`
	Dependencies        []Dependency    `json:"dependencies,omitempty"`
	LinkedTasks         []LinkedTask    `json:"linked_tasks,omitempty"`
	TeamID              FlexString      `json:"team_id,omitempty"`
	URL                 string          `json:"url"`
	PermissionLevel     string          `json:"permission_level,omitempty"`
	List                Ref             `json:"list"`
	Project             Ref             `json:"project"`
	Folder              Ref             `json:"folder"`
	Space               Ref             `json:"space"`
	Subtasks            []Task          `json:"subtasks,omitempty"`
	Attachments         []Attachment    `json:"attachments,omitempty"` // GetTask only
}

// Dependency is one entry of a task's dependencies: TaskID waits on
// DependsOn. A task's own list holds both directions: entries with its id
// in TaskID (it waits on the other) and in DependsOn (it blocks the other).
type Dependency struct {
	TaskID      FlexString `json:"task_id"`
	DependsOn   FlexString `json:"depends_on"`
	Type        FlexInt    `json:"type"`
	DateCreated Millis     `json:"date_created"`
	UserID      FlexString `json:"userid"`
}

// LinkedTask is one entry of a task's linked_tasks: TaskID and LinkID are
// the two tasks, in either order.
type LinkedTask struct {
	TaskID      FlexString `json:"task_id"`
	LinkID      FlexString `json:"link_id"`
	DateCreated Millis     `json:"date_created"`
	UserID      FlexString `json:"userid"`
}

// TaskPage is one page of tasks. LastPage is reported by GetTasks and (in
// practice) GetFilteredTeamTasks; callers also stop on a short page.
type TaskPage struct {
	Tasks    []Task `json:"tasks"`
	LastPage bool   `json:"last_page"`
}

// PageSize is the number of tasks ClickUp returns per page.
const PageSize = 100

// CommentPart is one segment of a rich comment.
type CommentPart struct {
	Text       string          `json:"text,omitempty"`
	Type       string          `json:"type,omitempty"`
	Attributes json.RawMessage `json:"attributes,omitempty"`
	User       *User           `json:"user,omitempty"`
}

// Comment is a task comment. ClickUp returns comments newest first, 25 a page.
type Comment struct {
	ID          FlexString    `json:"id"`
	Comment     []CommentPart `json:"comment,omitempty"`
	CommentText string        `json:"comment_text"`
	User        User          `json:"user"`
	Resolved    FlexBool      `json:"resolved"`
	Assignee    *User         `json:"assignee,omitempty"`
	AssignedBy  *User         `json:"assigned_by,omitempty"`
	Date        Millis        `json:"date"`
	ReplyCount  FlexInt       `json:"reply_count"`
}

// CommentPageSize is the number of comments ClickUp returns per page.
const CommentPageSize = 25

// CreatedComment is what POST /v2/task/{id}/comment returns.
type CreatedComment struct {
	ID     FlexString `json:"id"`
	HistID FlexString `json:"hist_id,omitempty"`
	Date   Millis     `json:"date"`
}

// --- request types ---

// CustomFieldFilter is one entry of the custom_fields filter of a task search
// (sent as a stringified JSON array).
type CustomFieldFilter struct {
	FieldID  string `json:"field_id"`
	Operator string `json:"operator"`
	Value    any    `json:"value,omitempty"`
}

// GetTaskOptions are the query parameters of Get Task.
type GetTaskOptions struct {
	IncludeSubtasks            bool
	IncludeMarkdownDescription bool
}

// CustomFieldValue sets a custom field on create.
type CustomFieldValue struct {
	ID           string          `json:"id"`
	Value        json.RawMessage `json:"value"`
	ValueOptions json.RawMessage `json:"value_options,omitempty"`
}

// TaskCreate is the body of Create Task. Set Parent to create a subtask (the
// parent must live in the same list).
type TaskCreate struct {
	Name                      string             `json:"name"`
	Description               string             `json:"description,omitempty"`
	MarkdownContent           string             `json:"markdown_content,omitempty"`
	Assignees                 []int64            `json:"assignees,omitempty"`
	GroupAssignees            []string           `json:"group_assignees,omitempty"`
	Archived                  *bool              `json:"archived,omitempty"`
	Tags                      []string           `json:"tags,omitempty"`
	Status                    string             `json:"status,omitempty"`
	Priority                  *int               `json:"priority,omitempty"`
	DueDate                   *int64             `json:"due_date,omitempty"`
	DueDateTime               *bool              `json:"due_date_time,omitempty"`
	TimeEstimate              *int64             `json:"time_estimate,omitempty"`
	StartDate                 *int64             `json:"start_date,omitempty"`
	StartDateTime             *bool              `json:"start_date_time,omitempty"`
	Points                    *float64           `json:"points,omitempty"`
	NotifyAll                 bool               `json:"notify_all,omitempty"`
	Parent                    string             `json:"parent,omitempty"`
	LinksTo                   string             `json:"links_to,omitempty"`
	CheckRequiredCustomFields *bool              `json:"check_required_custom_fields,omitempty"`
	CustomFields              []CustomFieldValue `json:"custom_fields,omitempty"`
	CustomItemID              *int               `json:"custom_item_id,omitempty"`
}

// AddRem is the {add, rem} diff ClickUp takes for assignees and watchers on
// update.
type AddRem struct {
	Add []int64 `json:"add"`
	Rem []int64 `json:"rem"`
}

// TaskUpdate is the body of Update Task. Nullable fields can be cleared by
// sending null (Null[T]()); tags and custom fields have their own endpoints.
type TaskUpdate struct {
	Name            *string           `json:"name,omitempty"`
	Description     *string           `json:"description,omitempty"` // " " clears it
	MarkdownContent *string           `json:"markdown_content,omitempty"`
	Status          *string           `json:"status,omitempty"`
	Priority        Nullable[int]     `json:"priority,omitzero"`
	DueDate         Nullable[int64]   `json:"due_date,omitzero"`
	DueDateTime     *bool             `json:"due_date_time,omitempty"`
	StartDate       Nullable[int64]   `json:"start_date,omitzero"`
	StartDateTime   *bool             `json:"start_date_time,omitempty"`
	TimeEstimate    Nullable[int64]   `json:"time_estimate,omitzero"`
	Points          Nullable[float64] `json:"points,omitzero"`
	Parent          *string           `json:"parent,omitempty"`
	Assignees       *AddRem           `json:"assignees,omitempty"`
	Watchers        *AddRem           `json:"watchers,omitempty"`
	Archived        *bool             `json:"archived,omitempty"`
	CustomItemID    *int              `json:"custom_item_id,omitempty"`
}

// CommentCreate is the body of Create Task Comment.
type CommentCreate struct {
	CommentText string `json:"comment_text"`
	Assignee    *int64 `json:"assignee,omitempty"`
	NotifyAll   bool   `json:"notify_all"`
}

// CommentPageOptions continue a comment listing from the oldest comment of
// the previous page (both are needed).
type CommentPageOptions struct {
	Start   Millis // date of the last comment seen
	StartID string // id of the last comment seen
}
