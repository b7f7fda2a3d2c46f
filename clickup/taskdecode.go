package clickup

import (
	"encoding/json"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A task is the hottest thing the client decodes: every clickup_get_task
// reads one (about 3 KB) and every search page a hundred (about 320 KB).
// encoding/json spends most of its time on a task in its byte-at-a-time
// scanner, which it runs twice (a validation pass over the whole input,
// then the decode): a decode target with fewer fields saves nothing
// measurable. taskDecoder is a direct decoder of the task's JSON, for Task
// and TaskPage only, that does what encoding/json does or nothing: on
// anything it does not take exactly as encoding/json would (a key with an
// escape or in another case, a repeated key, a type mismatch, invalid
// JSON anywhere) it reports false, and the caller decodes the input again
// with encoding/json, from a zeroed value, which then decides (and writes
// the error). The parts a task rarely has (checklists, attachments,
// dependencies, links) and the Flex types are decoded by encoding/json and
// their own UnmarshalJSON on the value's bytes, as the full decoder would.
// TestTaskDecoderAgrees holds it to encoding/json's result.

// fastDecoder is a decode target with a direct decoder: decodeFast fills
// the (zero) value from data and reports whether it took all of it.
type fastDecoder interface {
	decodeFast(data []byte) bool
}

func (t *Task) decodeFast(data []byte) bool {
	d := taskDecoder{b: data}
	return d.whole(func() bool { return d.task(t) })
}

func (p *TaskPage) decodeFast(data []byte) bool {
	d := taskDecoder{b: data}
	return d.whole(func() bool { return d.taskPage(p) })
}

// maxDepth bounds the nesting the direct decoder follows (encoding/json
// takes 10000; deeper input goes to it).
const maxDepth = 200

type taskDecoder struct {
	b     []byte
	i     int
	depth int
}

// whole runs decode on the one value that must fill the input, with only
// whitespace around it.
func (d *taskDecoder) whole(decode func() bool) bool {
	d.ws()
	if !decode() {
		return false
	}
	d.ws()
	return d.i == len(d.b)
}

func (d *taskDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek is the next byte after whitespace, 0 at the end.
func (d *taskDecoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *taskDecoder) literal(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// null consumes a null if one is next.
func (d *taskDecoder) null() bool {
	return d.peek() == 'n' && d.literal("null")
}

// str consumes a string and returns its bytes between the quotes, and
// whether it holds an escape; false when the string is not valid JSON.
func (d *taskDecoder) str() (raw []byte, escaped, ok bool) {
	if d.peek() != '"' {
		return nil, false, false
	}
	start := d.i + 1
	for i := start; i < len(d.b); i++ {
		switch c := d.b[i]; {
		case c == '"':
			d.i = i + 1
			return d.b[start:i], escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			i++
			if i >= len(d.b) {
				return nil, false, false
			}
			switch d.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d.b) {
					return nil, false, false
				}
				for _, h := range d.b[i+1 : i+5] {
					if !isHex(h) {
						return nil, false, false
					}
				}
				i += 4
			default:
				return nil, false, false
			}
		}
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// number consumes a number in JSON's grammar.
func (d *taskDecoder) number() bool {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	d.i = i
	return true
}

// skip consumes any valid JSON value and returns its bytes.
func (d *taskDecoder) skip() ([]byte, bool) {
	c := d.peek()
	start := d.i
	var ok bool
	switch c {
	case '"':
		_, _, ok = d.str()
	case '{':
		ok = d.object(func([]byte) bool {
			_, ok := d.skip()
			return ok
		})
	case '[':
		ok = d.array(func() bool {
			_, ok := d.skip()
			return ok
		})
	case 't':
		ok = d.literal("true")
	case 'f':
		ok = d.literal("false")
	case 'n':
		ok = d.literal("null")
	default:
		ok = d.number()
	}
	if !ok {
		return nil, false
	}
	return d.b[start:d.i], true
}

// object consumes an object, calling member with each key (the decoder
// placed at its value, which member must consume). Keys with escapes or
// non-ASCII bytes are not taken: encoding/json matches them to fields by
// rules this decoder does not repeat.
func (d *taskDecoder) object(member func(key []byte) bool) bool {
	if d.peek() != '{' || d.depth >= maxDepth {
		return false
	}
	d.depth++
	d.i++
	if d.peek() == '}' {
		d.i++
		d.depth--
		return true
	}
	for {
		key, escaped, ok := d.str()
		if !ok || escaped || !ascii(key) {
			return false
		}
		if d.peek() != ':' {
			return false
		}
		d.i++
		d.ws()
		if !member(key) {
			return false
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return true
		default:
			return false
		}
	}
}

// array consumes an array, calling elem with the decoder placed at each
// element, which elem must consume.
func (d *taskDecoder) array(elem func() bool) bool {
	if d.peek() != '[' || d.depth >= maxDepth {
		return false
	}
	d.depth++
	d.i++
	if d.peek() == ']' {
		d.i++
		d.depth--
		return true
	}
	for {
		d.ws()
		if !elem() {
			return false
		}
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			return true
		default:
			return false
		}
	}
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// unknown is a key no field of the struct has by its exact name: skipped,
// as encoding/json does, unless it names one in another case (which
// encoding/json would decode into that field).
func (d *taskDecoder) unknown(key []byte, names []string) bool {
	for _, n := range names {
		if len(n) == len(key) && equalFoldASCII(key, n) {
			return false
		}
	}
	_, ok := d.skip()
	return ok
}

func equalFoldASCII(b []byte, s string) bool {
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// once marks field n of an object seen; a repeated key is not taken
// (encoding/json merges the two values in ways per type).
func once(seen *uint64, n uint) bool {
	if *seen&(1<<n) != 0 {
		return false
	}
	*seen |= 1 << n
	return true
}

// text decodes a string into a plain string field: null leaves it as it
// is, as encoding/json does; anything but a string is not taken.
func (d *taskDecoder) text(dst *string) bool {
	if d.null() {
		return true
	}
	start := d.i
	raw, escaped, ok := d.str()
	if !ok {
		return false
	}
	if !escaped && (ascii(raw) || utf8.Valid(raw)) {
		*dst = string(raw)
		return true
	}
	if v, ok := unescape(raw); ok {
		*dst = v
		return true
	}
	return json.Unmarshal(d.b[start:d.i], dst) == nil
}

// unescape reads a JSON string's bytes between the quotes (already checked
// by str) as encoding/json does: escapes decoded, a \u surrogate pair
// joined, a lone surrogate and invalid UTF-8 each replaced by U+FFFD.
// Markdown descriptions always hold escapes (their newlines).
func unescape(s []byte) (string, bool) {
	b := make([]byte, 0, len(s))
	for r := 0; r < len(s); {
		switch c := s[r]; {
		case c == '\\':
			if r+1 >= len(s) {
				return "", false
			}
			switch s[r+1] {
			case '"', '\\', '/':
				b = append(b, s[r+1])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := hex4(s[r+2:])
				if rr < 0 {
					return "", false
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					if len(s)-r >= 6 && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(s[r+2:])); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							r += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				return "", false
			}
			r += 2
		case c == '"' || c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			b = utf8.AppendRune(b, rr)
			r += size
		}
	}
	return string(b), true
}

// hex4 reads the four hex digits that start s; -1 if they are not.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// flex hands a value's bytes to a type's own UnmarshalJSON, as
// encoding/json does (null included).
func (d *taskDecoder) flex(dst json.Unmarshaler) bool {
	raw, ok := d.skip()
	return ok && dst.UnmarshalJSON(raw) == nil
}

// raw copies a value's bytes into a json.RawMessage (null included, as
// json.RawMessage's UnmarshalJSON does).
func (d *taskDecoder) raw(dst *json.RawMessage) bool {
	raw, ok := d.skip()
	if ok {
		*dst = append((*dst)[:0], raw...)
	}
	return ok
}

// decoded hands a value to encoding/json: the parts tasks rarely carry.
// An empty array, the usual case, is made here.
func decoded[T any](d *taskDecoder, dst *[]T) bool {
	if d.null() {
		*dst = nil
		return true
	}
	if d.peek() == '[' && d.i+1 < len(d.b) && d.b[d.i+1] == ']' {
		d.i += 2
		*dst = []T{}
		return true
	}
	raw, ok := d.skip()
	return ok && json.Unmarshal(raw, dst) == nil
}

// decodeList decodes an array into a slice as encoding/json does: null is nil,
// [] an empty slice, each element decoded into a zero T.
func decodeList[T any](d *taskDecoder, dst *[]T, elem func(*T) bool) bool {
	if d.null() {
		*dst = nil
		return true
	}
	out := (*dst)[:0]
	if out == nil {
		out = []T{}
	}
	ok := d.array(func() bool {
		var zero T
		out = append(out, zero)
		return elem(&out[len(out)-1])
	})
	*dst = out
	return ok
}

// structure decodes an object into a struct field; null leaves it as it
// is, as encoding/json does.
func (d *taskDecoder) structure(member func(key []byte) bool) bool {
	if d.null() {
		return true
	}
	return d.object(member)
}

var taskPageNames = []string{"tasks", "last_page"}

func (d *taskDecoder) taskPage(p *TaskPage) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "tasks":
			return once(&seen, 0) && decodeList(d, &p.Tasks, d.task)
		case "last_page":
			if !once(&seen, 1) || d.null() {
				return true
			}
			switch {
			case d.literal("true"):
				p.LastPage = true
			case d.literal("false"):
				p.LastPage = false
			default:
				return false
			}
			return true
		}
		return d.unknown(key, taskPageNames)
	})
}

var taskNames = []string{
	"id", "custom_id", "custom_item_id", "name", "text_content", "description", "markdown_description",
	"status", "orderindex", "date_created", "date_updated", "date_closed", "date_done", "archived",
	"creator", "assignees", "group_assignees", "watchers", "checklists", "tags", "parent",
	"top_level_parent", "priority", "due_date", "due_date_time", "start_date", "start_date_time",
	"points", "time_estimate", "time_spent", "custom_fields", "dependencies", "linked_tasks",
	"team_id", "url", "permission_level", "list", "project", "folder", "space", "subtasks", "attachments",
}

func (d *taskDecoder) task(t *Task) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&t.ID)
		case "custom_id":
			return once(&seen, 1) && d.flex(&t.CustomID)
		case "custom_item_id":
			return once(&seen, 2) && d.flex(&t.CustomItemID)
		case "name":
			return once(&seen, 3) && d.text(&t.Name)
		case "text_content":
			return once(&seen, 4) && d.text(&t.TextContent)
		case "description":
			return once(&seen, 5) && d.text(&t.Description)
		case "markdown_description":
			return once(&seen, 6) && d.text(&t.MarkdownDescription)
		case "status":
			return once(&seen, 7) && d.status(&t.Status)
		case "orderindex":
			return once(&seen, 8) && d.flex(&t.Orderindex)
		case "date_created":
			return once(&seen, 9) && d.flex(&t.DateCreated)
		case "date_updated":
			return once(&seen, 10) && d.flex(&t.DateUpdated)
		case "date_closed":
			return once(&seen, 11) && d.flex(&t.DateClosed)
		case "date_done":
			return once(&seen, 12) && d.flex(&t.DateDone)
		case "archived":
			return once(&seen, 13) && d.flex(&t.Archived)
		case "creator":
			return once(&seen, 14) && d.user(&t.Creator)
		case "assignees":
			return once(&seen, 15) && decodeList(d, &t.Assignees, d.user)
		case "group_assignees":
			return once(&seen, 16) && d.raw(&t.GroupAssignees)
		case "watchers":
			return once(&seen, 17) && decodeList(d, &t.Watchers, d.user)
		case "checklists":
			return once(&seen, 18) && decoded(d, &t.Checklists)
		case "tags":
			return once(&seen, 19) && decodeList(d, &t.Tags, d.tag)
		case "parent":
			return once(&seen, 20) && d.flex(&t.Parent)
		case "top_level_parent":
			return once(&seen, 21) && d.flex(&t.TopLevelParent)
		case "priority":
			return once(&seen, 22) && d.priority(&t.Priority)
		case "due_date":
			return once(&seen, 23) && d.flex(&t.DueDate)
		case "due_date_time":
			return once(&seen, 24) && d.flex(&t.DueDateTime)
		case "start_date":
			return once(&seen, 25) && d.flex(&t.StartDate)
		case "start_date_time":
			return once(&seen, 26) && d.flex(&t.StartDateTime)
		case "points":
			return once(&seen, 27) && d.flex(&t.Points)
		case "time_estimate":
			return once(&seen, 28) && d.flex(&t.TimeEstimate)
		case "time_spent":
			return once(&seen, 29) && d.flex(&t.TimeSpent)
		case "custom_fields":
			return once(&seen, 30) && decodeList(d, &t.CustomFields, d.customField)
		case "dependencies":
			return once(&seen, 31) && decoded(d, &t.Dependencies)
		case "linked_tasks":
			return once(&seen, 32) && decoded(d, &t.LinkedTasks)
		case "team_id":
			return once(&seen, 33) && d.flex(&t.TeamID)
		case "url":
			return once(&seen, 34) && d.text(&t.URL)
		case "permission_level":
			return once(&seen, 35) && d.text(&t.PermissionLevel)
		case "list":
			return once(&seen, 36) && d.ref(&t.List)
		case "project":
			return once(&seen, 37) && d.ref(&t.Project)
		case "folder":
			return once(&seen, 38) && d.ref(&t.Folder)
		case "space":
			return once(&seen, 39) && d.ref(&t.Space)
		case "subtasks":
			return once(&seen, 40) && decodeList(d, &t.Subtasks, d.task)
		case "attachments":
			return once(&seen, 41) && decoded(d, &t.Attachments)
		}
		return d.unknown(key, taskNames)
	})
}

var statusNames = []string{"id", "status", "color", "orderindex", "type"}

func (d *taskDecoder) status(s *Status) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&s.ID)
		case "status":
			return once(&seen, 1) && d.text(&s.Status)
		case "color":
			return once(&seen, 2) && d.text(&s.Color)
		case "orderindex":
			return once(&seen, 3) && d.flex(&s.Orderindex)
		case "type":
			return once(&seen, 4) && d.text(&s.Type)
		}
		return d.unknown(key, statusNames)
	})
}

var userNames = []string{"id", "username", "email", "color", "initials", "profilePicture", "timezone", "week_start_day", "role", "role_key"}

func (d *taskDecoder) user(u *User) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&u.ID)
		case "username":
			return once(&seen, 1) && d.text(&u.Username)
		case "email":
			return once(&seen, 2) && d.text(&u.Email)
		case "color":
			return once(&seen, 3) && d.text(&u.Color)
		case "initials":
			return once(&seen, 4) && d.text(&u.Initials)
		case "profilePicture":
			return once(&seen, 5) && d.text(&u.ProfilePicture)
		case "timezone":
			return once(&seen, 6) && d.text(&u.Timezone)
		case "week_start_day":
			return once(&seen, 7) && d.flex(&u.WeekStartDay)
		case "role":
			return once(&seen, 8) && d.flex(&u.Role)
		case "role_key":
			return once(&seen, 9) && d.flex(&u.RoleKey)
		}
		return d.unknown(key, userNames)
	})
}

var tagNames = []string{"name", "tag_fg", "tag_bg", "creator"}

func (d *taskDecoder) tag(t *Tag) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "name":
			return once(&seen, 0) && d.text(&t.Name)
		case "tag_fg":
			return once(&seen, 1) && d.text(&t.TagFg)
		case "tag_bg":
			return once(&seen, 2) && d.text(&t.TagBg)
		case "creator":
			return once(&seen, 3) && d.flex(&t.Creator)
		}
		return d.unknown(key, tagNames)
	})
}

var priorityNames = []string{"id", "priority", "color", "orderindex"}

// priority decodes the task's priority: null is none (nil), an object a
// new Priority.
func (d *taskDecoder) priority(dst **Priority) bool {
	if d.null() {
		*dst = nil
		return true
	}
	if *dst == nil {
		*dst = new(Priority)
	}
	p := *dst
	var seen uint64
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&p.ID)
		case "priority":
			return once(&seen, 1) && d.text(&p.Priority)
		case "color":
			return once(&seen, 2) && d.text(&p.Color)
		case "orderindex":
			return once(&seen, 3) && d.flex(&p.Orderindex)
		}
		return d.unknown(key, priorityNames)
	})
}

var refNames = []string{"id", "name", "hidden", "access"}

func (d *taskDecoder) ref(r *Ref) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&r.ID)
		case "name":
			return once(&seen, 1) && d.text(&r.Name)
		case "hidden":
			return once(&seen, 2) && d.flex(&r.Hidden)
		case "access":
			return once(&seen, 3) && d.flex(&r.Access)
		}
		return d.unknown(key, refNames)
	})
}

var customFieldNames = []string{"id", "name", "type", "type_config", "date_created", "hide_from_guests", "value", "required"}

func (d *taskDecoder) customField(f *CustomField) bool {
	var seen uint64
	return d.structure(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.flex(&f.ID)
		case "name":
			return once(&seen, 1) && d.text(&f.Name)
		case "type":
			return once(&seen, 2) && d.text(&f.Type)
		case "type_config":
			return once(&seen, 3) && d.raw(&f.TypeConfig)
		case "date_created":
			return once(&seen, 4) && d.flex(&f.DateCreated)
		case "hide_from_guests":
			return once(&seen, 5) && d.flex(&f.HideFromGuests)
		case "value":
			return once(&seen, 6) && d.raw(&f.Value)
		case "required":
			return once(&seen, 7) && d.flex(&f.Required)
		}
		return d.unknown(key, customFieldNames)
	})
}
