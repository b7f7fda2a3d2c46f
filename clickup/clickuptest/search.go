package clickuptest

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// pageSize is ClickUp's fixed page size for task lists.
const pageSize = 100

// taskQuery is the parsed query of GET /v2/team/{team_id}/task (Get Filtered
// Team Tasks) or GET /v2/list/{list_id}/task (Get Tasks).
type taskQuery struct {
	wsID   string
	listID string // Get Tasks: the home List
	timl   bool   // Get Tasks: include tasks whose other Lists include listID
	team   bool

	page          int
	orderBy       string
	reverse       bool
	subtasks      bool
	includeClosed bool
	archived      bool
	markdown      bool
	parent        string

	listIDs, spaceIDs, folderIDs map[string]bool
	statuses                     map[string]bool
	assignees, watchers          map[int64]bool
	tags                         map[string]bool
	customItems                  map[int]bool
	dates                        []dateFilter
	fields                       []cfFilter
}

type dateFilter struct {
	get func(*Task) int64 // 0 = unset
	gt  bool
	v   int64
}

// arrayParam returns the values of name[] and name alike (the spec spells
// them with brackets on one endpoint and without on the other). Repeated
// parameters only: a comma-separated value is one value.
func arrayParam(q map[string][]string, name string) []string {
	var out []string
	out = append(out, q[name+"[]"]...)
	out = append(out, q[name]...)
	return out
}

func strSet(v []string, lower bool) map[string]bool {
	if len(v) == 0 {
		return nil
	}
	m := make(map[string]bool, len(v))
	for _, s := range v {
		s = strings.TrimSpace(s)
		if lower {
			s = strings.ToLower(s)
		}
		m[s] = true
	}
	return m
}

func intParam(q map[string][]string, name string) (int64, bool, *response) {
	v := q[name]
	if len(v) == 0 || v[0] == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64)
	if err != nil {
		return 0, true, badInput(strings.ReplaceAll(name, "_", " "))
	}
	return n, true, nil
}

func (c *call) parseTaskQuery(team bool) (*taskQuery, *response) {
	q := c.q
	tq := &taskQuery{team: team, orderBy: "created"}
	p, _, e := intParam(q, "page")
	if e != nil || p < 0 {
		return nil, badInput("Page")
	}
	tq.page = int(p)
	if ob := first(q["order_by"]); ob != "" {
		switch ob {
		case "id", "created", "updated", "due_date":
			tq.orderBy = ob
		default:
			return nil, badInput("Order by")
		}
	}
	tq.reverse = boolParam(q, "reverse")
	tq.subtasks = boolParam(q, "subtasks")
	tq.includeClosed = boolParam(q, "include_closed")
	tq.markdown = boolParam(q, "include_markdown_description")
	tq.parent = first(q["parent"])
	if !team {
		tq.archived = boolParam(q, "archived")
		tq.timl = boolParam(q, "include_timl")
	}
	if team {
		tq.listIDs = strSet(arrayParam(q, "list_ids"), false)
		tq.spaceIDs = strSet(arrayParam(q, "space_ids"), false)
		tq.folderIDs = strSet(arrayParam(q, "project_ids"), false)
	}
	tq.statuses = strSet(arrayParam(q, "statuses"), true)
	tq.tags = strSet(arrayParam(q, "tags"), true)
	for _, p := range []struct {
		name string
		dst  *map[int64]bool
	}{{"assignees", &tq.assignees}, {"watchers", &tq.watchers}} {
		if p.name == "watchers" && team {
			continue
		}
		for _, v := range arrayParam(q, p.name) {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return nil, badInput(strings.ToUpper(p.name[:1]) + p.name[1:])
			}
			if *p.dst == nil {
				*p.dst = map[int64]bool{}
			}
			(*p.dst)[n] = true
		}
	}
	for _, v := range arrayParam(q, "custom_items") {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return nil, badInput("Custom items")
		}
		if tq.customItems == nil {
			tq.customItems = map[int]bool{}
		}
		tq.customItems[n] = true
	}
	for _, d := range []struct {
		name string
		get  func(*Task) int64
	}{
		{"due_date", func(t *Task) int64 { return msOrZero(t.DueDate.UnixMilli(), t.DueDate.IsZero()) }},
		{"date_created", func(t *Task) int64 { return t.DateCreated.UnixMilli() }},
		{"date_updated", func(t *Task) int64 { return t.DateUpdated.UnixMilli() }},
		{"date_done", func(t *Task) int64 { return msOrZero(t.DateDone.UnixMilli(), t.DateDone.IsZero()) }},
	} {
		for _, gt := range []bool{true, false} {
			name := d.name + "_lt"
			if gt {
				name = d.name + "_gt"
			}
			v, has, e := intParam(q, name)
			if e != nil {
				return nil, e
			}
			if has {
				tq.dates = append(tq.dates, dateFilter{get: d.get, gt: gt, v: v})
			}
		}
	}
	var raw []string
	raw = append(raw, arrayParam(q, "custom_fields")...)
	if !team {
		raw = append(raw, q["custom_field"]...)
	}
	for _, r := range raw {
		fs, e := c.parseFieldFilters(r)
		if e != nil {
			return nil, e
		}
		tq.fields = append(tq.fields, fs...)
	}
	return tq, nil
}

func msOrZero(ms int64, zero bool) int64 {
	if zero {
		return 0
	}
	return ms
}

func (s *Server) matchTask(tq *taskQuery, t *Task) bool {
	l := s.lists[t.ListID]
	if tq.team {
		if s.spaces[l.SpaceID].WorkspaceID != tq.wsID || t.Archived {
			return false
		}
		if tq.listIDs != nil && !tq.listIDs[l.ID] {
			return false
		}
		if tq.spaceIDs != nil && !tq.spaceIDs[l.SpaceID] {
			return false
		}
		if tq.folderIDs != nil && (l.FolderID == "" || !tq.folderIDs[l.FolderID]) {
			return false
		}
	} else {
		if t.ListID != tq.listID && (!tq.timl || !slices.Contains(t.OtherListIDs, tq.listID)) {
			return false
		}
		if t.Archived != tq.archived {
			return false
		}
	}
	if tq.parent != "" {
		if t.Parent != tq.parent {
			return false
		}
	} else if !tq.subtasks && t.Parent != "" {
		return false
	}
	// Closed tasks need include_closed, even when statuses[] names their status.
	if !tq.includeClosed && s.isClosed(t) {
		return false
	}
	if tq.statuses != nil && !tq.statuses[strings.ToLower(t.Status)] {
		return false
	}
	if tq.assignees != nil && !slices.ContainsFunc(t.Assignees, func(id int64) bool { return tq.assignees[id] }) {
		return false
	}
	if tq.watchers != nil && !slices.ContainsFunc(t.Watchers, func(id int64) bool { return tq.watchers[id] }) {
		return false
	}
	if tq.tags != nil && !slices.ContainsFunc(t.Tags, func(tag string) bool { return tq.tags[tag] }) {
		return false
	}
	if tq.customItems != nil && !tq.customItems[t.CustomItemID] {
		return false
	}
	for _, d := range tq.dates {
		v := d.get(t)
		if v == 0 || d.gt && v <= d.v || !d.gt && v >= d.v {
			return false
		}
	}
	for i := range tq.fields {
		if !tq.fields[i].match(t) {
			return false
		}
	}
	return true
}

// runTaskQuery filters, sorts (ascending by default; reverse flips) and
// pages: exactly 100 per page, last_page when nothing follows.
func (c *call) runTaskQuery(tq *taskQuery) *response {
	s := c.s
	var hits []*Task
	for _, t := range s.taskOrder {
		if s.matchTask(tq, t) {
			hits = append(hits, t)
		}
	}
	key := func(t *Task) int64 {
		switch tq.orderBy {
		case "updated":
			return t.DateUpdated.UnixMilli()
		case "due_date":
			if t.DueDate.IsZero() {
				return 1<<63 - 1 // no due date sorts last
			}
			return t.DueDate.UnixMilli()
		default:
			return t.DateCreated.UnixMilli()
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if tq.orderBy == "id" {
			return a.ID < b.ID
		}
		ka, kb := key(a), key(b)
		if ka != kb {
			return ka < kb
		}
		return s.order[a.ID] < s.order[b.ID]
	})
	if tq.reverse {
		slices.Reverse(hits)
	}
	start := min(tq.page*pageSize, len(hits))
	end := min(start+pageSize, len(hits))
	parts := make([][]byte, 0, end-start)
	size := 64
	for _, t := range hits[start:end] {
		b := s.taskJSON(t, tq.markdown)
		parts = append(parts, b)
		size += len(b) + 1
	}
	buf := make([]byte, 0, size)
	buf = append(buf, `{"tasks":[`...)
	for i, b := range parts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
	}
	buf = append(buf, `],"last_page":`...)
	buf = strconv.AppendBool(buf, end >= len(hits))
	buf = append(buf, '}')
	return &response{status: 200, body: buf}
}

type cachedJSON struct {
	gen uint64
	b   []byte
}

// taskJSON renders a task for a task list, reusing the bytes from an earlier
// request while the world has not changed: encoding is most of a search's
// cost, and searches repeat.
func (s *Server) taskJSON(t *Task, markdown bool) []byte {
	key := t.ID
	if markdown {
		key += "\x00md"
	}
	if c, ok := s.render[key]; ok && c.gen == s.gen {
		return c.b
	}
	b, err := json.Marshal(s.renderTask(t, renderOpts{markdown: markdown}))
	if err != nil {
		panic("clickuptest: marshal task: " + err.Error())
	}
	if len(s.render) > 4*len(s.tasks)+64 {
		clear(s.render) // drop entries of deleted tasks
	}
	s.render[key] = cachedJSON{s.gen, b}
	return b
}

func (c *call) getTeamTasks() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	tq, e := c.parseTaskQuery(true)
	if e != nil {
		return e
	}
	tq.wsID = ws.ID
	return c.runTaskQuery(tq)
}

func (c *call) getListTasks() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	tq, e := c.parseTaskQuery(false)
	if e != nil {
		return e
	}
	tq.listID = l.ID
	tq.wsID = c.s.spaces[l.SpaceID].WorkspaceID
	return c.runTaskQuery(tq)
}

// --- custom field filters ---

type cfFilter struct {
	s    *Server
	f    *fieldRec
	op   string
	vals []any // the filter value(s); ANY/ALL/RANGE take arrays
}

func filterInvalid(msg string) *response {
	return errResp(http.StatusBadRequest, msg, "FIELD_001")
}

// parseFieldFilters reads custom_fields: a stringified JSON array of
// {field_id, operator, value} (a single object is accepted too).
func (c *call) parseFieldFilters(raw string) ([]cfFilter, *response) {
	type in struct {
		FieldID  string `json:"field_id"`
		Operator string `json:"operator"`
		Value    any    `json:"value"`
	}
	var list []in
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		var one in
		if err2 := json.Unmarshal([]byte(raw), &one); err2 != nil {
			return nil, filterInvalid("Custom field filter must be a JSON array of {field_id, operator, value}")
		}
		list = []in{one}
	}
	out := make([]cfFilter, 0, len(list))
	for _, x := range list {
		f := c.s.fields[x.FieldID]
		if f == nil {
			return nil, filterInvalid("Custom field not found: " + x.FieldID)
		}
		op := strings.ToUpper(strings.Join(strings.Fields(x.Operator), " "))
		if op == "" {
			op = "="
		}
		switch op {
		case "=", "==", "!=", "!==", "<", "<=", ">", ">=", "IS NULL", "IS NOT NULL", "RANGE", "ANY", "ALL", "NOT ANY", "NOT ALL":
		default:
			return nil, filterInvalid("Custom field filter operator invalid: " + x.Operator)
		}
		cf := cfFilter{s: c.s, f: f, op: op}
		switch v := x.Value.(type) {
		case []any:
			cf.vals = v
		case map[string]any:
			if op == "RANGE" {
				cf.vals = []any{v["low_value"], v["high_value"]}
			} else {
				cf.vals = []any{v}
			}
		case nil:
		default:
			cf.vals = []any{v}
		}
		if op == "RANGE" && len(cf.vals) != 2 {
			return nil, filterInvalid("RANGE takes [low, high] or {low_value, high_value}")
		}
		out = append(out, cf)
	}
	return out, nil
}

func (cf *cfFilter) match(t *Task) bool {
	v, set := t.CustomFields[cf.f.ID]
	set = set && v != nil
	switch cf.op {
	case "IS NULL":
		return !set
	case "IS NOT NULL":
		return set
	}
	negative := cf.op == "!=" || cf.op == "!==" || cf.op == "NOT ANY" || cf.op == "NOT ALL"
	if !set {
		// An unset field satisfies only the negative operators ("is not").
		return negative
	}
	switch cf.op {
	case "=":
		return cf.any(v, false)
	case "==":
		return cf.any(v, true)
	case "!=":
		return !cf.any(v, false)
	case "!==":
		return !cf.any(v, true)
	case "ANY":
		return cf.any(v, true)
	case "NOT ANY":
		return !cf.any(v, true)
	case "ALL":
		return cf.all(v)
	case "NOT ALL":
		return !cf.all(v)
	case "RANGE":
		x, ok := numeric(v)
		lo, ok1 := toFloat(cf.vals[0])
		hi, ok2 := toFloat(cf.vals[1])
		return ok && ok1 && ok2 && x >= lo && x <= hi
	}
	// <, <=, >, >=: numbers, dates, and drop_down by orderindex.
	x, ok := numeric(v)
	if cf.f.Type == "drop_down" {
		x, ok = float64(cf.f.optionIdx[v.(string)]), true
	}
	if !ok || len(cf.vals) == 0 {
		return false
	}
	y, ok := toFloat(cf.vals[0])
	if cf.f.Type == "drop_down" {
		if id, err := cf.f.optionID(cf.vals[0]); err == nil {
			y, ok = float64(cf.f.optionIdx[id]), true
		}
	}
	if !ok {
		return false
	}
	switch cf.op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	default:
		return x >= y
	}
}

func numeric(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// elems returns the stored value as a list (labels and users hold several).
func elems(v any) []any {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []int64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return []any{v}
}

// eq compares one stored element with one filter value. Text compares by
// substring unless exact.
func (cf *cfFilter) eq(stored, want any, exact bool) bool {
	switch cf.f.Type {
	case "drop_down", "labels":
		id, err := cf.f.optionID(want)
		return err == nil && stored == id
	case "users":
		n, ok := toFloat(want)
		return ok && stored == int64(n)
	case "checkbox":
		b, ok := stored.(bool)
		switch w := want.(type) {
		case bool:
			return ok && b == w
		case string:
			return ok && strconv.FormatBool(b) == w
		}
		return false
	}
	if x, ok := numeric(stored); ok {
		y, ok := toFloat(want)
		return ok && x == y
	}
	s, ok1 := stored.(string)
	w, ok2 := want.(string)
	if !ok1 || !ok2 {
		return false
	}
	if exact {
		return strings.EqualFold(s, w)
	}
	return strings.Contains(strings.ToLower(s), strings.ToLower(w))
}

func (cf *cfFilter) any(v any, exact bool) bool {
	for _, e := range elems(v) {
		for _, w := range cf.vals {
			if cf.eq(e, w, exact) {
				return true
			}
		}
	}
	return false
}

func (cf *cfFilter) all(v any) bool {
	if len(cf.vals) == 0 {
		return false
	}
	es := elems(v)
	for _, w := range cf.vals {
		if !slices.ContainsFunc(es, func(e any) bool { return cf.eq(e, w, true) }) {
			return false
		}
	}
	return true
}
