package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/lithammer/fuzzysearch/fuzzy"
)

// taskCaches remember, per token, what a write to a task needs besides the
// task itself: the custom fields a list's tasks hold, and where a task
// lives (its native id and home list), so that a warm "set Severity to High
// on DEV-42" is one request.
type taskCaches struct {
	mu     sync.Mutex
	fields map[string]cachedFields // list id -> its fields
	places map[string]cachedPlace  // task key (native id, or workspace/custom id) -> place
	// comments: comment or reply id -> where it was read (task key, and
	// for a reply its thread's comment).
	comments map[string]CommentPlace
}

type cachedFields struct {
	fields []clickup.CustomField
	at     time.Time
}

type cachedPlace struct {
	place TaskPlace
	at    time.Time
}

// TaskPlace is where a task lives: its native id, custom id and home list
// (and its name when it was read, to label it without another request).
type TaskPlace struct {
	ID       string
	CustomID string
	ListID   string
	Name     string
}

// maxCached bounds each of the token's task caches.
const maxCached = 500

func placeKey(ref clickup.TaskRef) string {
	if ref.IsCustom() {
		return ref.TeamID + "/" + strings.ToUpper(ref.ID)
	}
	return ref.ID
}

// ListFields returns the custom fields of a list's tasks
// (GET /v2/list/{id}/field), cached for the TTL.
func (s *Session) ListFields(ctx context.Context, listID string) ([]clickup.CustomField, error) {
	c := &s.tasks
	c.mu.Lock()
	e, ok := c.fields[listID]
	c.mu.Unlock()
	if ok && s.now().Sub(e.at) < s.deps.cfg.CacheTTL {
		s.cacheLookup("fields", true)
		return e.fields, nil
	}
	s.cacheLookup("fields", false)
	start := time.Now()
	fs, err := s.Client.Lists.Fields(ctx, listID)
	if err != nil {
		return nil, err
	}
	defer s.refreshed(ctx, "custom fields of a list", s.refreshWhy(ok, false), start, fmt.Sprintf("%d fields", len(fs)))
	c.mu.Lock()
	if c.fields == nil || len(c.fields) >= maxCached {
		c.fields = map[string]cachedFields{}
	}
	c.fields[listID] = cachedFields{fields: fs, at: s.now()}
	c.mu.Unlock()
	return fs, nil
}

// RememberTask records where a task read from ClickUp lives.
func (s *Session) RememberTask(t *clickup.Task) {
	if t == nil || t.ID == "" || t.List.ID == "" {
		return
	}
	p := TaskPlace{ID: string(t.ID), CustomID: string(t.CustomID), ListID: string(t.List.ID), Name: t.Name}
	c := &s.tasks
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.places == nil || len(c.places) >= maxCached {
		c.places = map[string]cachedPlace{}
	}
	e := cachedPlace{place: p, at: s.now()}
	c.places[p.ID] = e
	if p.CustomID != "" && t.TeamID != "" {
		c.places[placeKey(clickup.Custom(p.CustomID, string(t.TeamID)))] = e
	}
}

// CommentPlace is where a comment read by this session lives: the task (as
// it was addressed, and its native id when known) and, for a reply, the
// comment whose thread holds it.
type CommentPlace struct {
	TaskKey, TaskID string
	Thread          string
}

// RememberComment records that comment id was read on the task ref
// addresses (in thread, for a reply), so that answering it costs no
// request to find its task.
func (s *Session) RememberComment(ref clickup.TaskRef, id, thread string) {
	p := CommentPlace{TaskKey: placeKey(ref), Thread: thread}
	c := &s.tasks
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.places[placeKey(ref)]; ok {
		p.TaskID = e.place.ID
	} else if !ref.IsCustom() {
		p.TaskID = ref.ID
	}
	if c.comments == nil || len(c.comments) >= maxCached*4 {
		c.comments = map[string]CommentPlace{}
	}
	c.comments[id] = p
}

// CommentOn reports where comment id was read, if it was (known), and
// whether that is the task ref addresses (same); sure is false when the
// two task forms (a custom id and a native id) cannot be matched without a
// request.
func (s *Session) CommentOn(id string, ref clickup.TaskRef) (p CommentPlace, known, same, sure bool) {
	c := &s.tasks
	c.mu.Lock()
	defer c.mu.Unlock()
	p, known = c.comments[id]
	if !known {
		return p, false, false, false
	}
	if p.TaskKey == placeKey(ref) {
		return p, true, true, true
	}
	native := ""
	if e, ok := c.places[placeKey(ref)]; ok {
		native = e.place.ID
	} else if !ref.IsCustom() {
		native = ref.ID
	}
	if native == "" || p.TaskID == "" {
		return p, true, false, false
	}
	return p, true, native == p.TaskID, true
}

// KnownTaskName is the name of a task this session read within the cache
// TTL (by native id), or "": it costs no request.
func (s *Session) KnownTaskName(id string) string {
	c := &s.tasks
	c.mu.Lock()
	e, ok := c.places[id]
	c.mu.Unlock()
	if !ok || s.now().Sub(e.at) >= s.deps.cfg.CacheTTL {
		return ""
	}
	return e.place.Name
}

// ForgetTask drops what is remembered of a task (after a move or delete).
func (s *Session) ForgetTask(ref clickup.TaskRef, p TaskPlace) {
	c := &s.tasks
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.places, placeKey(ref))
	delete(c.places, p.ID)
	for k, e := range c.places {
		if e.place.ID == p.ID {
			delete(c.places, k)
		}
	}
}

// Place returns where a task lives, from the cache when a recent call read
// the task, else by reading it (one request).
func (s *Session) Place(ctx context.Context, ref clickup.TaskRef) (TaskPlace, error) {
	c := &s.tasks
	c.mu.Lock()
	e, ok := c.places[placeKey(ref)]
	c.mu.Unlock()
	if ok && s.now().Sub(e.at) < s.deps.cfg.CacheTTL {
		s.cacheLookup("task", true)
		return e.place, nil
	}
	s.cacheLookup("task", false)
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return TaskPlace{}, err
	}
	s.RememberTask(t)
	return TaskPlace{ID: string(t.ID), CustomID: string(t.CustomID), ListID: string(t.List.ID)}, nil
}

// NativeID returns a task's ClickUp id: the ref's own for a native id, else
// the remembered or read one (endpoints such as a link's other side and the
// v3 move take no custom ids).
func (s *Session) NativeID(ctx context.Context, ref clickup.TaskRef) (string, error) {
	if !ref.IsCustom() {
		return ref.ID, nil
	}
	p, err := s.Place(ctx, ref)
	if err != nil {
		return "", err
	}
	return p.ID, nil
}

// ResolveField finds a custom field by id or name (any case) among a list's
// fields; an unknown one is refused with the fields there are, nearest
// first.
func ResolveField(arg string, fields []clickup.CustomField, ref string) (*clickup.CustomField, error) {
	want := strings.TrimSpace(ref)
	if want == "" {
		return nil, InvalidArg(arg, "a custom field name or id is required")
	}
	var named []*clickup.CustomField
	for i := range fields {
		f := &fields[i]
		if string(f.ID) == want {
			return f, nil
		}
		if strings.EqualFold(strings.TrimSpace(f.Name), want) {
			named = append(named, f)
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
	default:
		ids := make([]string, len(named))
		for i, f := range named {
			ids[i] = fmt.Sprintf("%s (%s)", f.ID, f.Type)
		}
		return nil, InvalidArg(arg, "several custom fields are named %q: %s; give the id", Truncate(want, 40), strings.Join(ids, ", "))
	}
	if len(fields) == 0 {
		return nil, InvalidArg(arg, "this task's list has no custom fields")
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = fmt.Sprintf("%s (%s)", f.Name, f.Type)
	}
	low := strings.ToLower(want)
	sort.SliceStable(names, func(i, j int) bool {
		return fuzzy.LevenshteinDistance(low, strings.ToLower(names[i])) < fuzzy.LevenshteinDistance(low, strings.ToLower(names[j]))
	})
	return nil, InvalidArg(arg, "no custom field %q on this task's list; its fields: %s", Truncate(want, 40), strings.Join(names, ", "))
}

// FieldTypes are the custom field types a value can be given for in words.
var FieldTypes = []string{"drop_down", "labels", "users", "date", "number", "currency", "emoji", "short_text", "text", "email", "url", "phone", "checkbox"}

// FieldValue checks a value given in words against a custom field's type
// and options and returns it in the shape ClickUp takes for that type
// (API-NOTES §5): an option's id for a drop-down, option ids for labels,
// {add, rem} user ids for people, epoch ms and value_options for a date, a
// number, a string, a boolean. Nothing is sent here.
func (s *Session) FieldValue(ctx context.Context, ws, arg string, f *clickup.CustomField, v string) (json.RawMessage, *clickup.ValueOptions, error) {
	raw := strings.TrimSpace(v)
	if raw == "" {
		return nil, nil, InvalidArg(arg, "empty value for %q; to empty the field use clear", f.Name)
	}
	enc := func(x any) (json.RawMessage, *clickup.ValueOptions, error) {
		b, err := json.Marshal(x)
		return b, nil, err
	}
	cfg := f.Config()
	switch f.Type {
	case "drop_down":
		o, err := fieldOption(arg, f, cfg.Options, raw)
		if err != nil {
			return nil, nil, err
		}
		return enc(o)
	case "labels":
		parts := splitList(raw)
		ids := make([]string, 0, len(parts))
		for _, p := range parts {
			o, err := fieldOption(arg, f, cfg.Options, p)
			if err != nil {
				return nil, nil, err
			}
			ids = append(ids, o)
		}
		return enc(ids)
	case "users":
		ids, err := s.ResolveUsers(ctx, ws, arg, splitList(raw))
		if err != nil {
			return nil, nil, err
		}
		return enc(clickup.AddRem{Add: ids, Rem: []int64{}})
	case "date":
		t, hasTime, err := ParseDate(arg, raw, s.Location(ctx), s.now())
		if err != nil {
			return nil, nil, err
		}
		if !hasTime {
			t = time.Date(t.Year(), t.Month(), t.Day(), 4, 0, 0, 0, t.Location())
		}
		b, _ := json.Marshal(t.UnixMilli())
		return b, &clickup.ValueOptions{Time: hasTime}, nil
	case "number", "currency":
		n, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(raw, "$"), ",", ""), 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return nil, nil, InvalidArg(arg, "%q is a %s field: give a number, not %q", f.Name, f.Type, Truncate(raw, 40))
		}
		return enc(n)
	case "emoji":
		n, err := strconv.Atoi(raw)
		top := int(cfg.Count)
		if top <= 0 {
			top = 5
		}
		if err != nil || n < 0 || n > top {
			return nil, nil, InvalidArg(arg, "%q is a rating: give a whole number from 0 to %d, not %q", f.Name, top, Truncate(raw, 40))
		}
		return enc(n)
	case "checkbox":
		switch strings.ToLower(raw) {
		case "true", "yes", "1", "on", "checked":
			return enc(true)
		case "false", "no", "0", "off", "unchecked":
			return enc(false)
		}
		return nil, nil, InvalidArg(arg, "%q is a checkbox: give true or false, not %q", f.Name, Truncate(raw, 40))
	case "email":
		a, err := mail.ParseAddress(raw)
		if err != nil || a.Address != raw {
			return nil, nil, InvalidArg(arg, "%q is an email field: %q is not an email address", f.Name, Truncate(raw, 60))
		}
		return enc(raw)
	case "url":
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, nil, InvalidArg(arg, "%q is a url field: give an http(s) URL, not %q", f.Name, Truncate(raw, 60))
		}
		return enc(raw)
	case "phone":
		digits := 0
		for _, r := range raw {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("+-() .", r):
			default:
				digits = -1000
			}
		}
		if digits < 5 || !strings.HasPrefix(raw, "+") {
			return nil, nil, InvalidArg(arg, "%q is a phone field: give the number with its country code, e.g. +1 415 555 0100", f.Name)
		}
		return enc(raw)
	case "short_text", "text":
		return enc(v)
	}
	return nil, nil, InvalidArg(arg, "%q is a %s field, which this tool cannot set; settable types: %s (clickup_call_write reaches the rest)", f.Name, f.Type, strings.Join(FieldTypes, ", "))
}

// fieldOption finds an option by name (any case) or id.
func fieldOption(arg string, f *clickup.CustomField, opts []clickup.FieldOption, v string) (string, error) {
	for _, o := range opts {
		if string(o.ID) == v || strings.EqualFold(strings.TrimSpace(o.Title()), v) {
			return string(o.ID), nil
		}
	}
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = o.Title()
	}
	return "", InvalidArg(arg, "%q is not an option of %q; its options: %s", Truncate(v, 40), f.Name, strings.Join(names, ", "))
}

// splitList reads several values: a JSON array of strings, or a
// comma-separated list.
func splitList(v string) []string {
	var arr []string
	if strings.HasPrefix(v, "[") && json.Unmarshal([]byte(v), &arr) == nil {
		return arr
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SameFieldValue tells whether the value a task holds in a custom field
// (have, as ClickUp answers it in a task's custom_fields) is the value sent
// (as FieldValue made it). ClickUp answers in other shapes than it takes
// (API-NOTES §5): a drop-down's option by its orderindex, numbers, dates
// and checkboxes as strings, people as user objects. A value of a type not
// known here compares as JSON.
func SameFieldValue(have *clickup.CustomField, sent json.RawMessage) bool {
	var got, want any
	if json.Unmarshal(have.Value, &got) != nil || json.Unmarshal(sent, &want) != nil {
		return false
	}
	switch have.Type {
	case "drop_down":
		id, _ := want.(string)
		key, ok := got.(string)
		if n, isNum := fieldNumber(got); isNum {
			key, ok = strconv.FormatFloat(n, 'f', -1, 64), true
		}
		o, found := have.Config().Option(key)
		return ok && found && string(o.ID) == id
	case "labels", "users":
		return sameIDs(fieldIDs(got), fieldIDs(want))
	case "number", "currency", "emoji", "date":
		a, ok1 := fieldNumber(got)
		b, ok2 := fieldNumber(want)
		return ok1 && ok2 && a == b
	case "checkbox":
		a, ok1 := fieldBool(got)
		b, ok2 := fieldBool(want)
		return ok1 && ok2 && a == b
	case "short_text", "text", "email", "url", "phone":
		a, _ := got.(string)
		b, ok := want.(string)
		return ok && NormText(a) == NormText(b)
	}
	ga, _ := json.Marshal(got)
	wa, _ := json.Marshal(want)
	return string(ga) == string(wa)
}

func fieldNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return n, err == nil
	}
	return 0, false
}

func fieldBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// fieldIDs reads the ids of a labels or people value: an array of ids or of
// objects with an id, or {add: [...]} as people are sent.
func fieldIDs(v any) []string {
	if m, ok := v.(map[string]any); ok {
		v = m["add"]
	}
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			e = m["id"]
		}
		switch x := e.(type) {
		case string:
			out = append(out, x)
		case float64:
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return out
}

func sameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
