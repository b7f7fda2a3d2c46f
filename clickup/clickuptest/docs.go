package clickuptest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Docs (API-NOTES §5 "Docs", v3 only): Docs in a Workspace, each with a
// tree of pages whose content is markdown. Errors are v3's {status,
// message} (ServeHTTP reshapes them). The quirk worth knowing: a create
// ignores content (it has no field for it); with create_page (the default)
// the new Doc gets one empty page, and the content goes in with a page
// create.

// Doc is a ClickUp Doc. ParentType is 4 Space, 5 Folder, 6 List, 7
// Everything or 12 Workspace (ParentID then the Workspace's id); zero
// means the Workspace.
type Doc struct {
	ID         string // "" = generated
	Name       string
	ParentID   string
	ParentType int
	Creator    int64
	Public     bool
	Archived   bool
	Deleted    bool
	Created    time.Time // zero = now
	Updated    time.Time // zero = Created
	Pages      []DocPage

	WorkspaceID string // set by AddDoc
}

// DocPage is a page of a Doc, with its sub-pages.
type DocPage struct {
	ID       string // "" = generated
	Name     string
	SubTitle string
	Content  string // markdown
	Creator  int64  // 0 = the Doc's creator
	Created  time.Time
	Updated  time.Time
	Pages    []DocPage
}

type docRec struct {
	Doc
	pages []string // top-level page ids, in order
}

type pageRec struct {
	DocPage
	docID, parentID string
	children        []string
	editedBy        int64
	edited          time.Time
}

type docState struct {
	docs  map[string]*docRec
	order []string
	pages map[string]*pageRec
	seq   int64
}

func (d *docState) init() {
	if d.docs == nil {
		d.docs, d.pages = map[string]*docRec{}, map[string]*pageRec{}
	}
}

func (s *Server) docID() string {
	s.dc.seq++
	return fmt.Sprintf("8cf%d-%d", 4000+s.dc.seq, 100+s.dc.seq)
}

// AddDoc adds a Doc with its pages to a Workspace and returns it with its
// ids filled in.
func (s *Server) AddDoc(wsID string, d Doc) Doc {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaces[wsID] == nil {
		panic("clickuptest: unknown workspace " + wsID)
	}
	if d.ParentType == 0 {
		d.ParentType, d.ParentID = 12, wsID
	}
	if resp := s.checkDocParent(wsID, d.ParentID, d.ParentType); resp != nil {
		panic("clickuptest: AddDoc: bad parent " + d.ParentID)
	}
	d.WorkspaceID = wsID
	rec := s.insertDoc(d)
	var add func(parent string, ps []DocPage) []DocPage
	add = func(parent string, ps []DocPage) []DocPage {
		out := make([]DocPage, len(ps))
		for i, p := range ps {
			kids := p.Pages
			p.Pages = nil
			if p.Creator == 0 {
				p.Creator = rec.Creator
			}
			if p.Created.IsZero() {
				p.Created = rec.Created
			}
			pr := s.insertPage(rec, parent, p)
			pr.Pages = nil
			out[i] = pr.DocPage
			out[i].Pages = add(pr.ID, kids)
		}
		return out
	}
	d = rec.Doc
	d.Pages = add("", rec.Pages)
	rec.Pages = nil
	return d
}

func (s *Server) insertDoc(d Doc) *docRec {
	s.dc.init()
	s.gen++
	if d.ID == "" {
		d.ID = s.docID()
	}
	if d.Created.IsZero() {
		d.Created = s.now()
	}
	if d.Updated.IsZero() {
		d.Updated = d.Created
	}
	rec := &docRec{Doc: d}
	s.dc.docs[d.ID] = rec
	s.dc.order = append(s.dc.order, d.ID)
	return rec
}

func (s *Server) insertPage(d *docRec, parent string, p DocPage) *pageRec {
	s.gen++
	if p.ID == "" {
		p.ID = s.docID()
	}
	if p.Created.IsZero() {
		p.Created = s.now()
	}
	if p.Updated.IsZero() {
		p.Updated = p.Created
	}
	pr := &pageRec{DocPage: p, docID: d.ID, parentID: parent}
	s.dc.pages[p.ID] = pr
	if parent == "" {
		d.pages = append(d.pages, p.ID)
	} else {
		s.dc.pages[parent].children = append(s.dc.pages[parent].children, p.ID)
	}
	return pr
}

// DocPageContent returns a page's markdown (for tests).
func (s *Server) DocPageContent(pageID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.dc.pages[pageID]
	if p == nil {
		return "", false
	}
	return p.Content, true
}

// DocCount is how many Docs the Workspace holds, deleted ones included.
func (s *Server) DocCount(wsID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, id := range s.dc.order {
		if s.dc.docs[id].WorkspaceID == wsID {
			n++
		}
	}
	return n
}

// checkDocParent refuses a parent that is not in the Workspace.
func (s *Server) checkDocParent(wsID, id string, typ int) *response {
	bad := errResp(http.StatusBadRequest, "Parent not found: "+id, "DOC_003")
	switch typ {
	case 4:
		if sp := s.spaces[id]; sp == nil || sp.WorkspaceID != wsID {
			return bad
		}
	case 5:
		f := s.folders[id]
		if f == nil || s.spaces[f.SpaceID].WorkspaceID != wsID {
			return bad
		}
	case 6:
		l := s.lists[id]
		if l == nil || s.workspaceOfList(l).ID != wsID {
			return bad
		}
	case 7, 12:
		if id != wsID {
			return bad
		}
	default:
		return errResp(http.StatusBadRequest, "Parent type must be 4, 5, 6, 7 or 12", "DOC_004")
	}
	return nil
}

// parentType reads a Doc parent's type, a number or its name (a switch,
// not a map: package-level maps are built at every start).
func parentType(v string) (int, bool) {
	switch v {
	case "4", "SPACE":
		return 4, true
	case "5", "FOLDER":
		return 5, true
	case "6", "LIST":
		return 6, true
	case "7", "EVERYTHING":
		return 7, true
	case "12", "WORKSPACE":
		return 12, true
	}
	return 0, false
}

func docNotFound() *response { return errResp(http.StatusNotFound, "Doc not found", "DOC_001") }

// docOf finds the path's Doc in the path's Workspace, or the error to send.
func (c *call) docOf() (*docRec, *response) {
	ws := c.params["workspace_id"]
	if !c.s.tokenSees(c.auth, ws) {
		return nil, teamNotAuthorized()
	}
	c.s.dc.init()
	d := c.s.dc.docs[c.params["doc_id"]]
	if d == nil || d.WorkspaceID != ws || d.Deleted {
		return nil, docNotFound()
	}
	return d, nil
}

func (c *call) pageOf(d *docRec) (*pageRec, *response) {
	p := c.s.dc.pages[c.params["page_id"]]
	if p == nil || p.docID != d.ID {
		return nil, errResp(http.StatusNotFound, "Page not found", "DOC_002")
	}
	return p, nil
}

func (s *Server) docJSON(d *docRec) map[string]any {
	ws, _ := strconv.ParseInt(d.WorkspaceID, 10, 64)
	m := map[string]any{
		"id": d.ID, "date_created": d.Created.UnixMilli(), "date_updated": d.Updated.UnixMilli(), "name": d.Name, "type": 1,
		"parent": map[string]any{"id": d.ParentID, "type": d.ParentType}, "public": d.Public, "workspace_id": ws,
		"creator": d.Creator, "deleted": d.Deleted, "archived": d.Archived,
	}
	return m
}

// pageJSON renders a page; content only when withContent, in format;
// sub-pages down to depth (-1: all).
func (s *Server) pageJSON(p *pageRec, withContent bool, format string, depth int) map[string]any {
	ws, _ := strconv.ParseInt(s.dc.docs[p.docID].WorkspaceID, 10, 64)
	m := map[string]any{"id": p.ID, "doc_id": p.docID, "workspace_id": ws, "name": p.Name}
	if p.parentID != "" {
		m["parent_page_id"] = p.parentID
	}
	if withContent {
		m["content"] = renderContent(p.Content, format)
		m["date_created"] = p.Created.UnixMilli()
		m["date_updated"] = p.Updated.UnixMilli()
		m["creator_id"] = p.Creator
		m["authors"] = []int64{p.Creator}
		if p.SubTitle != "" {
			m["sub_title"] = p.SubTitle
		}
		if p.editedBy != 0 {
			m["edited_by"] = p.editedBy
			m["date_edited"] = p.edited.UnixMilli()
		}
	}
	if len(p.children) > 0 && depth != 0 {
		kids := make([]map[string]any, 0, len(p.children))
		for _, id := range p.children {
			kids = append(kids, s.pageJSON(s.dc.pages[id], withContent, format, depth-1))
		}
		m["pages"] = kids
	}
	return m
}

// docMarks and docLink are compiled at the first plain-text page, not in
// package init.
var (
	docMarksOnce      sync.Once
	docMarks, docLink *regexp.Regexp
)

// renderContent answers markdown as stored, or a plain-text rendering.
func renderContent(md, format string) string {
	if format != "text/plain" {
		return md
	}
	docMarksOnce.Do(func() {
		docMarks = regexp.MustCompile("(?m)^#{1,6} +|^> ?|[*_`~]+|^[-+] (\\[[ x]\\] )?")
		docLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	})
	return docMarks.ReplaceAllString(docLink.ReplaceAllString(md, "$1"), "")
}

func (c *call) contentFormat() (string, *response) {
	f := "text/md"
	if v := c.q["content_format"]; len(v) > 0 {
		f = v[0]
	}
	if f != "text/md" && f != "text/plain" {
		return "", errResp(http.StatusBadRequest, "content_format must be text/md or text/plain", "INPUT_001")
	}
	return f, nil
}

func (c *call) maxDepth() (int, *response) {
	v := c.q["max_page_depth"]
	if len(v) == 0 {
		return -1, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < -1 {
		return 0, errResp(http.StatusBadRequest, "max_page_depth must be -1 or more", "INPUT_001")
	}
	return n, nil
}

// searchDocs answers GET /v3/workspaces/{workspace_id}/docs: Docs in
// creation order, limit (10 to 100, default 50) per page, an opaque
// next_cursor while more follow. Deleted and archived Docs show only when
// asked for (and then only they do).
func (c *call) searchDocs() *response {
	ws := c.params["workspace_id"]
	if !c.s.tokenSees(c.auth, ws) {
		return teamNotAuthorized()
	}
	c.s.dc.init()
	one := func(k string) string {
		if v := c.q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	limit := 50
	if v := one("limit"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 10 || n > 100 || n != float64(int(n)) {
			return errResp(http.StatusBadRequest, "limit must be an integer from 10 to 100", "INPUT_001")
		}
		limit = int(n)
	}
	var creator int64
	if v := one("creator"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errResp(http.StatusBadRequest, "creator must be a user id", "INPUT_001")
		}
		creator = n
	}
	flag := func(k string) (bool, *response) {
		switch one(k) {
		case "", "false":
			return false, nil
		case "true":
			return true, nil
		}
		return false, errResp(http.StatusBadRequest, k+" must be true or false", "INPUT_001")
	}
	deleted, bad := flag("deleted")
	if bad != nil {
		return bad
	}
	archived, bad := flag("archived")
	if bad != nil {
		return bad
	}
	ptype := 0
	if v := one("parent_type"); v != "" {
		t, ok := parentType(strings.ToUpper(v))
		if !ok {
			return errResp(http.StatusBadRequest, "parent_type must be SPACE, FOLDER, LIST, EVERYTHING or WORKSPACE", "INPUT_001")
		}
		ptype = t
	}
	start := 0
	if v := one("cursor"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "docs:"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(b), "docs:") || n < 0 {
			return errResp(http.StatusBadRequest, "Invalid cursor", "INPUT_001")
		}
		start = n
	}
	var match []*docRec
	for _, id := range c.s.dc.order {
		d := c.s.dc.docs[id]
		switch {
		case d.WorkspaceID != ws, d.Deleted != deleted, d.Archived != archived && !deleted,
			one("id") != "" && d.ID != one("id"), creator != 0 && d.Creator != creator,
			one("parent_id") != "" && d.ParentID != one("parent_id"), ptype != 0 && d.ParentType != ptype:
			continue
		}
		match = append(match, d)
	}
	out := []map[string]any{}
	for i := start; i < len(match) && i < start+limit; i++ {
		out = append(out, c.s.docJSON(match[i]))
	}
	res := map[string]any{"docs": out}
	if start+limit < len(match) {
		res["next_cursor"] = base64.RawURLEncoding.EncodeToString([]byte("docs:" + strconv.Itoa(start+limit)))
	}
	return jsonResp(http.StatusOK, res)
}

// createDoc answers POST /v3/workspaces/{workspace_id}/docs. Content is
// ignored, as by ClickUp: there is no field for it.
func (c *call) createDoc() *response {
	ws := c.params["workspace_id"]
	if !c.s.tokenSees(c.auth, ws) {
		return teamNotAuthorized()
	}
	var in struct {
		Name   *string `json:"name"`
		Parent *struct {
			ID   json.Number `json:"id"`
			Type json.Number `json:"type"`
		} `json:"parent"`
		Visibility any   `json:"visibility"`
		CreatePage *bool `json:"create_page"`
	}
	if json.Unmarshal(c.body, &in) != nil {
		return errResp(http.StatusBadRequest, "Body must be a JSON object", "INPUT_001")
	}
	d := Doc{ParentType: 12, ParentID: ws, Creator: c.auth.userID, WorkspaceID: ws}
	if in.Name != nil {
		d.Name = strings.TrimSpace(*in.Name)
	}
	if in.Parent != nil {
		t, err := strconv.Atoi(in.Parent.Type.String())
		if err != nil {
			return errResp(http.StatusBadRequest, "parent.type must be 4, 5, 6, 7 or 12", "DOC_004")
		}
		d.ParentID, d.ParentType = in.Parent.ID.String(), t
		if resp := c.s.checkDocParent(ws, d.ParentID, t); resp != nil {
			return resp
		}
	}
	switch v := in.Visibility.(type) {
	case nil:
	case string:
		d.Public = v == "PUBLIC"
	case float64:
		d.Public = v == 1
	}
	rec := c.s.insertDoc(d)
	if in.CreatePage == nil || *in.CreatePage {
		c.s.insertPage(rec, "", DocPage{Creator: c.auth.userID})
	}
	return jsonResp(http.StatusCreated, c.s.docJSON(rec))
}

// getDoc answers GET .../docs/{doc_id}.
func (c *call) getDoc() *response {
	d, bad := c.docOf()
	if bad != nil {
		return bad
	}
	return jsonResp(http.StatusOK, c.s.docJSON(d))
}

func (c *call) docPages(withContent bool) *response {
	d, bad := c.docOf()
	if bad != nil {
		return bad
	}
	depth, bad := c.maxDepth()
	if bad != nil {
		return bad
	}
	format := "text/md"
	if withContent {
		if format, bad = c.contentFormat(); bad != nil {
			return bad
		}
	}
	out := make([]map[string]any, 0, len(d.pages))
	for _, id := range d.pages {
		out = append(out, c.s.pageJSON(c.s.dc.pages[id], withContent, format, depth))
	}
	return jsonResp(http.StatusOK, out)
}

// getPageListing answers GET .../docs/{doc_id}/page_listing: the page tree
// without content.
func (c *call) getPageListing() *response { return c.docPages(false) }

// getPages answers GET .../docs/{doc_id}/pages: the pages with content.
func (c *call) getPages() *response { return c.docPages(true) }

// getPage answers GET .../docs/{doc_id}/pages/{page_id}.
func (c *call) getPage() *response {
	d, bad := c.docOf()
	if bad != nil {
		return bad
	}
	p, bad := c.pageOf(d)
	if bad != nil {
		return bad
	}
	format, bad := c.contentFormat()
	if bad != nil {
		return bad
	}
	return jsonResp(http.StatusOK, c.s.pageJSON(p, true, format, 0))
}

type pageBody struct {
	ParentPageID  *string `json:"parent_page_id"`
	Name          *string `json:"name"`
	SubTitle      *string `json:"sub_title"`
	Content       *string `json:"content"`
	ContentFormat *string `json:"content_format"`
	Mode          *string `json:"content_edit_mode"`
}

func (c *call) readPageBody() (pageBody, *response) {
	var in pageBody
	if json.Unmarshal(c.body, &in) != nil {
		return in, errResp(http.StatusBadRequest, "Body must be a JSON object", "INPUT_001")
	}
	if in.ContentFormat != nil && *in.ContentFormat != "text/md" && *in.ContentFormat != "text/plain" {
		return in, errResp(http.StatusBadRequest, "content_format must be text/md or text/plain", "INPUT_001")
	}
	return in, nil
}

// createPage answers POST .../docs/{doc_id}/pages.
func (c *call) createPage() *response {
	d, bad := c.docOf()
	if bad != nil {
		return bad
	}
	in, bad := c.readPageBody()
	if bad != nil {
		return bad
	}
	parent := ""
	if in.ParentPageID != nil && *in.ParentPageID != "" {
		if p := c.s.dc.pages[*in.ParentPageID]; p == nil || p.docID != d.ID {
			return errResp(http.StatusBadRequest, "Parent page not found", "DOC_002")
		}
		parent = *in.ParentPageID
	}
	p := DocPage{Creator: c.auth.userID}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.SubTitle != nil {
		p.SubTitle = *in.SubTitle
	}
	if in.Content != nil {
		p.Content = *in.Content
	}
	pr := c.s.insertPage(d, parent, p)
	d.Updated = c.s.now()
	return jsonResp(http.StatusCreated, c.s.pageJSON(pr, true, "text/md", 0))
}

// editPage answers PUT .../docs/{doc_id}/pages/{page_id}: content by
// content_edit_mode (replace by default; append and prepend join with a
// new line), name and sub_title when given. The answer is {}.
func (c *call) editPage() *response {
	d, bad := c.docOf()
	if bad != nil {
		return bad
	}
	p, bad := c.pageOf(d)
	if bad != nil {
		return bad
	}
	in, bad := c.readPageBody()
	if bad != nil {
		return bad
	}
	mode := "replace"
	if in.Mode != nil {
		mode = *in.Mode
	}
	if in.Content != nil {
		switch mode {
		case "replace":
			p.Content = *in.Content
		case "append":
			p.Content = joinContent(p.Content, *in.Content)
		case "prepend":
			p.Content = joinContent(*in.Content, p.Content)
		default:
			return errResp(http.StatusBadRequest, "content_edit_mode must be replace, append or prepend", "INPUT_001")
		}
	}
	if in.Name != nil && *in.Name != "" {
		p.Name = *in.Name
	}
	if in.SubTitle != nil {
		p.SubTitle = *in.SubTitle
	}
	p.Updated = c.s.now()
	p.editedBy, p.edited = c.auth.userID, p.Updated
	d.Updated = p.Updated
	return jsonResp(http.StatusOK, map[string]any{})
}

func joinContent(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasSuffix(a, "\n"):
		return a + b
	}
	return a + "\n" + b
}

// seedDemoDocs adds the demo's Docs: in a Space, a Folder, a List and at
// the Workspace level, one archived, each with pages; the handbook's
// release process is long enough to need a cursor within the page.
func seedDemoDocs(s *Server, now time.Time) {
	at := func(days int) time.Time { return now.Add(-time.Duration(days) * day).Truncate(time.Minute) }
	s.AddDoc(DemoWorkspaceID, Doc{Name: "Engineering Handbook", ParentID: DemoSpaceEngineering, ParentType: 4, Creator: demoAlex, Created: at(120), Updated: at(3),
		Pages: []DocPage{
			{Name: "Onboarding", Content: "# Onboarding\n\nWelcome to Acme engineering. Your first week:\n\n- [ ] Get access to GitHub, Sentry and the staging cluster\n- [ ] Pair with your buddy on a Backlog bug\n- [ ] Ship one change to production by Friday\n\nAsk anything in #eng-help.",
				Pages: []DocPage{{Name: "Dev environment", Content: "## Dev environment\n\n1. Install Go 1.24 and Docker.\n2. `make dev` starts the API, the worker and a local Postgres.\n3. Seed data: `make seed`.\n\nTroubleshooting lives in the README of each service."}}},
			{Name: "Code review", Content: "# Code review\n\n- Every change gets one approving review; two for billing and auth.\n- Reviewers answer within one working day.\n- Small pull requests: under 400 lines where possible.\n- **Block** only on correctness, security and missing tests; everything else is a suggestion."},
			{Name: "Release process", Content: demoReleaseProcess()},
		}})
	s.AddDoc(DemoWorkspaceID, Doc{Name: "Sprint 13 planning", ParentID: DemoListSprint13, ParentType: 6, Creator: demoPriya, Created: at(9), Updated: at(1),
		Pages: []DocPage{
			{Name: "Goals", Content: "# Sprint 13 goals\n\n1. Billing v2 behind a flag for 10% of accounts.\n2. SSO generally available.\n3. Cut p95 latency of search below 300 ms."},
			{Name: "Risks", Content: "# Risks\n\n- The payment provider's sandbox is flaky: budget a day for retries.\n- Jamal is out on Thursday."},
		}})
	s.AddDoc(DemoWorkspaceID, Doc{Name: "Q3 Launch plan", ParentID: DemoFolderCampaigns, ParentType: 5, Creator: demoEmma, Created: at(40), Updated: at(6), Public: true,
		Pages: []DocPage{
			{Name: "Messaging", Content: "# Messaging\n\n**Acme 5.0: planning that keeps up with you.**\n\nThree pillars: speed, clarity, control."},
			{Name: "Timeline", Content: "# Timeline\n\n| Week | Milestone |\n|---|---|\n| 1 | Teasers on social |\n| 2 | Press briefing |\n| 3 | Launch day and webinar |"},
			{Name: "Channels", Content: "# Channels\n\nBlog, newsletter, LinkedIn and a partner webinar. Paid ads only after week 2 numbers."},
		}})
	s.AddDoc(DemoWorkspaceID, Doc{Name: "Company wiki", Creator: demoAlex, Created: at(300), Updated: at(20),
		Pages: []DocPage{
			{Name: "Holidays 2026", Content: "# Holidays 2026\n\nOffices close on 1 January, 25 and 26 December. Everyone gets 25 days off plus public holidays."},
			{Name: "Expense policy", Content: "# Expense policy\n\nBooks and courses up to 500 EUR a year need no approval. Travel is booked through the office team."},
		}})
	s.AddDoc(DemoWorkspaceID, Doc{Name: "Onboarding 2024 (old)", ParentID: DemoSpaceEngineering, ParentType: 4, Creator: demoMarc, Created: at(500), Archived: true,
		Pages: []DocPage{{Name: "Onboarding", Content: "Superseded by the Engineering Handbook."}}})
	s.AddDoc(DemoOtherWorkspaceID, Doc{Name: "Research agenda 2026", Creator: demoNora, Created: at(30),
		Pages: []DocPage{{Name: "Themes", Content: "Scheduling, caching, vector search."}}})
}

// demoReleaseProcess is a long page: every step of a release, in detail.
func demoReleaseProcess() string {
	var b strings.Builder
	b.WriteString("# Release process\n\nWe release every Tuesday and Thursday. Each step below names who does it and how to undo it.\n")
	steps := []string{"Freeze the release branch", "Run the full test suite", "Build the release candidate", "Deploy to staging",
		"Smoke-test staging", "Check the error budget", "Write the changelog", "Announce the window", "Deploy to 5% of production",
		"Watch the dashboards", "Deploy to 50% of production", "Deploy to all of production", "Tag the release", "Close the milestone"}
	for round := 0; round < 6; round++ {
		for i, st := range steps {
			fmt.Fprintf(&b, "\n## %d.%d %s\n\n", round+1, i+1, st)
			fmt.Fprintf(&b, "Owner: the release captain of the week. %s takes about %d minutes. ", st, 5+(i*7+round*3)%40)
			b.WriteString("Before you start, read the notes of the previous release in the channel and confirm that nobody is in the middle of a migration. ")
			b.WriteString("If anything looks wrong, stop, roll back with `make rollback VERSION=<previous>` and write down what you saw in the incident log. ")
			b.WriteString("When the step is done, tick it in the release checklist so that the next person knows where we are.\n")
		}
	}
	return b.String()
}
