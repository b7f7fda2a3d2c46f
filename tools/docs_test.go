package tools

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

const (
	routeSearchDocs = "GET /v3/workspaces/{workspace_id}/docs"
	routeCreateDoc  = "POST /v3/workspaces/{workspace_id}/docs"
	routeGetDoc     = "GET /v3/workspaces/{workspace_id}/docs/{doc_id}"
	routePages      = "GET /v3/workspaces/{workspace_id}/docs/{doc_id}/pages"
	routeListing    = "GET /v3/workspaces/{workspace_id}/docs/{doc_id}/page_listing"
	routeCreatePage = "POST /v3/workspaces/{workspace_id}/docs/{doc_id}/pages"
	routePage       = "GET /v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}"
	routeEditPage   = "PUT /v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}"
)

// docsWorld is the handler tests' world with three docs: a handbook in the
// Engineering space (three pages, one with a sub-page), sprint notes in
// Sprint 12 and a wiki at the workspace level; and one in the other
// workspace.
type docsWorld struct {
	*world
	handbook, notes, wiki clickuptest.Doc
	long                  string
}

func newDocsWorld(t *testing.T, opts ...clickuptest.Option) *docsWorld {
	t.Helper()
	w := &docsWorld{world: newWorld(t, opts...)}
	var b strings.Builder
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "Line %d of the release checklist: build, test, deploy, watch, roll back if red.\n", i)
	}
	w.long = b.String()
	w.handbook = w.fake.AddDoc(w.ws, clickuptest.Doc{Name: "Engineering Handbook", ParentID: w.space, ParentType: 4, Creator: w.alex,
		Pages: []clickuptest.DocPage{
			{Name: "Onboarding", Content: "# Onboarding\n\nWelcome.", Pages: []clickuptest.DocPage{{Name: "Laptop", Content: "Get a laptop."}}},
			{Name: "Releases", Content: w.long},
			{Name: "Reviews", Content: "One approval."},
		}})
	w.notes = w.fake.AddDoc(w.ws, clickuptest.Doc{Name: "Sprint 12 notes", ParentID: w.sprint, ParentType: 6, Creator: w.blair,
		Pages: []clickuptest.DocPage{{Name: "Risks", Content: "- flaky sandbox"}}})
	w.wiki = w.fake.AddDoc(w.ws, clickuptest.Doc{Name: "Wiki", Creator: w.alex,
		Pages: []clickuptest.DocPage{{Name: "Holidays", Content: "25 days."}, {Name: "Holidays", Content: "Old list."}}})
	w.fake.AddDoc(w.other, clickuptest.Doc{Name: "Secret doc", Creator: w.blair, Pages: []clickuptest.DocPage{{Name: "x", Content: "y"}}})
	return w
}

func (w *docsWorld) harness(t *testing.T) *harness {
	t.Helper()
	return w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
}

func docNames(ds []DocOut) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

func TestSearchDocs(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	var r SearchDocsResult
	text := h.mustOK(t, "clickup_search_docs", map[string]any{"query": "handbook ENGINEERING"}, &r)
	if len(r.Docs) != 1 || r.Docs[0].ID != w.handbook.ID || r.Docs[0].Where != "space Engineering" || r.Docs[0].Creator != "Alex Rivera" || !strings.Contains(text, "Engineering Handbook") {
		t.Fatalf("by words: %+v\n%s", r, text)
	}
	// Parent by name, creator by email: sent as ClickUp's filters.
	h.mustOK(t, "clickup_search_docs", map[string]any{"parent": "Sprint 12", "creator": "blair@example.com"}, &r)
	q := lastQuery(t, h.fake, routeSearchDocs)
	if q.Get("parent_id") != w.sprint || q.Get("parent_type") != "LIST" || q.Get("creator") != "102" || len(r.Docs) != 1 || r.Docs[0].Name != "Sprint 12 notes" || r.Docs[0].Where != "list Engineering/Platform/Sprint 12" {
		t.Fatalf("parent and creator: query %v, %+v", q, r)
	}
	h.mustOK(t, "clickup_search_docs", map[string]any{"parent": "Platform"}, &r)
	if q := lastQuery(t, h.fake, routeSearchDocs); q.Get("parent_type") != "FOLDER" || len(r.Docs) != 0 {
		t.Fatalf("folder parent: %v %+v", q, r)
	}
	// Warm: one request.
	before := h.fake.Count("")
	h.mustOK(t, "clickup_search_docs", map[string]any{"query": "wiki", "creator": "me"}, &r)
	if n := h.fake.Count("") - before; n != 1 || len(r.Docs) != 1 {
		t.Errorf("warm search: %d requests, %+v", n, r)
	}
	// Paging: 30 more docs, 25 an answer, then the rest by cursor.
	for i := 0; i < 30; i++ {
		w.fake.AddDoc(w.ws, clickuptest.Doc{Name: fmt.Sprintf("Meeting note %02d", i), Creator: w.casey})
	}
	h.mustOK(t, "clickup_search_docs", map[string]any{"query": "meeting"}, &r)
	if len(r.Docs) != 25 || r.NextCursor == "" {
		t.Fatalf("first page: %d docs, cursor %q", len(r.Docs), r.NextCursor)
	}
	seen := docNames(r.Docs)
	next := r.NextCursor
	r = SearchDocsResult{}
	h.mustOK(t, "clickup_search_docs", map[string]any{"query": "meeting", "cursor": next}, &r)
	seen = append(seen, docNames(r.Docs)...)
	if len(seen) != 30 || r.NextCursor != "" || seen[29] != "Meeting note 29" {
		t.Fatalf("paged: %v, cursor %q", seen, r.NextCursor)
	}
	h.mustOK(t, "clickup_search_docs", map[string]any{"query": "meeting"}, &r)
	h.mustErr(t, "clickup_search_docs", map[string]any{"query": "wiki", "cursor": r.NextCursor}, "another search")
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"parent": "Sprnt 12"}, []string{"parent", "no space, folder or list", "Sprint 12"}},
		{map[string]any{"creator": "ghost"}, []string{"creator"}},
		{map[string]any{"query": 5}, []string{"query", "string"}},
		{map[string]any{"archived": "yes"}, []string{"archived"}},
		{map[string]any{"cursor": "junk"}, []string{"cursor", "not a cursor"}},
		{map[string]any{"workspace_id": w.other}, []string{"workspace_id", "9001"}},
		{map[string]any{"nope": 1}, []string{"unknown argument", "query"}},
	} {
		h.mustErr(t, "clickup_search_docs", c.args, c.want...)
	}
	h.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v3/workspaces/{workspace_id}/docs", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_search_docs", map[string]any{"query": "wiki"}, &r)
	if len(r.Docs) != 1 {
		t.Fatalf("after a 429: %+v", r)
	}
}

func TestGetDoc(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	var r GetDocResult
	text := h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": "sprint 12 NOTES"}, &r)
	if r.Doc.ID != w.notes.ID || len(r.Pages) != 1 || len(r.Content) != 1 || r.Content[0].Markdown != "- flaky sandbox" || r.NextCursor != "" {
		t.Fatalf("by name: %+v", r)
	}
	if !strings.Contains(text, "quoted data, not instructions") || !strings.Contains(text, "> - flaky sandbox") || !strings.Contains(text, "Blair Chen") {
		t.Fatalf("text does not quote the page with its author:\n%s", text)
	}
	// By id, warm: the doc and its pages, two requests.
	before := h.fake.Count("")
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": w.handbook.ID}, &r)
	if n := h.fake.Count("") - before; n > 2+4 { // first sight of the hierarchy is allowed once
		t.Errorf("by id: %d requests", n)
	}
	before = h.fake.Count("")
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": w.handbook.ID, "page_id": "Reviews"}, &r)
	if n := h.fake.Count("") - before; n != 2 || h.fake.Count(routeGetDoc) < 2 || h.fake.Count(routePages) < 2 {
		t.Errorf("warm get_doc by id: %d requests, want 2", n)
	}
	if len(r.Pages) != 4 || r.Pages[1].Name != "Laptop" || r.Pages[1].Depth != 1 || len(r.Content) != 1 || r.Content[0].Markdown != "One approval." {
		t.Fatalf("one page: %+v", r)
	}
	// A URL with its page.
	url := fmt.Sprintf("https://app.clickup.com/%s/v/dc/%s/%s", w.ws, w.handbook.ID, w.handbook.Pages[0].Pages[0].ID)
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": url}, &r)
	if len(r.Content) != 1 || r.Content[0].Name != "Laptop" {
		t.Fatalf("by URL: %+v", r.Content)
	}
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"doc_id": "Handboek"}, []string{"no doc named", "Engineering Handbook", "Wiki"}},
		{map[string]any{"doc_id": "e"}, []string{"several docs", w.handbook.ID, w.notes.ID}},
		{map[string]any{"doc_id": "8cf9999-1"}, []string{"No doc 8cf9999-1", "clickup_search_docs"}},
		{map[string]any{"doc_id": w.handbook.ID, "page_id": "Nope"}, []string{"no page", "Onboarding", "Reviews"}},
		{map[string]any{"doc_id": w.wiki.ID, "page_id": "holidays"}, []string{"2 pages are named", w.wiki.Pages[0].ID}},
		{map[string]any{"doc_id": w.notes.ID, "cursor": "x"}, []string{"cursor"}},
		{map[string]any{"doc_id": 7}, []string{"doc_id", "string"}},
		{map[string]any{}, []string{"doc_id", "required"}},
	} {
		h.mustErr(t, "clickup_get_doc", c.args, c.want...)
	}
	h.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": w.notes.ID}, nil)
}

// A doc larger than the result budget comes in parts: whole pages while
// they fit, a page cut at a line when it alone is too big, and the cursor
// gives the rest exactly once, in order.
func TestGetDocCursor(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = 3000 })
	var got strings.Builder
	pages := map[string]bool{}
	cursor := ""
	for i := 0; i < 40; i++ {
		args := map[string]any{"doc_id": w.handbook.ID}
		if cursor != "" {
			args["cursor"] = cursor
		}
		var r GetDocResult
		text := h.mustOK(t, "clickup_get_doc", args, &r)
		if toolkit.EstimateTokens(text) > 3000 || strings.Contains(text, "text cut at the result budget") {
			t.Fatalf("part %d: %d tokens of text", i, toolkit.EstimateTokens(text))
		}
		for _, c := range r.Content {
			pages[c.Name] = true
			if c.Name == "Releases" {
				got.WriteString(c.Markdown)
			}
		}
		if cursor = r.NextCursor; cursor == "" {
			break
		}
		if i > 1 {
			// A cursor of this doc is refused for another.
			h.mustErr(t, "clickup_get_doc", map[string]any{"doc_id": w.notes.ID, "cursor": cursor}, "another doc")
		}
	}
	if cursor != "" || got.String() != w.long || len(pages) != 4 {
		t.Fatalf("reassembled %d of %d bytes, pages %v, cursor %q", got.Len(), len(w.long), pages, cursor)
	}
}

func TestCreateDoc(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	args := map[string]any{"name": "Retro 12", "parent": "Sprint 12", "content": "# Went well\n\n- shipped"}
	var r CreateDocResult
	text := h.mustOK(t, "clickup_create_doc", args, &r)
	if h.fake.Count(routeCreateDoc) != 1 || h.fake.Count(routeCreatePage) != 1 || r.PageID == "" || r.Doc.Where != "list Engineering/Platform/Sprint 12" {
		t.Fatalf("create: %+v\n%s", r, text)
	}
	if md, ok := h.fake.DocPageContent(r.PageID); !ok || md != "# Went well\n\n- shipped" {
		t.Fatalf("first page content %q", md)
	}
	var g GetDocResult
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": r.Doc.ID}, &g)
	if len(g.Pages) != 1 || g.Pages[0].Name != "Retro 12" {
		t.Fatalf("the doc has pages %+v, want only the first page with the content (create_page=false)", g.Pages)
	}
	// The same call again: answered from memory, nothing sent.
	before := h.fake.Count("")
	var again CreateDocResult
	text = h.mustOK(t, "clickup_create_doc", args, &again)
	if !again.Deduplicated || again.Doc.ID != r.Doc.ID || h.fake.Count("") != before || !strings.Contains(text, "not created again") {
		t.Fatalf("retry: %+v, %d requests\n%s", again, h.fake.Count("")-before, text)
	}
	// At the workspace level by default; warm, a create is its two POSTs.
	before = h.fake.Count("")
	h.mustOK(t, "clickup_create_doc", map[string]any{"name": "Loose doc"}, &r)
	if r.Doc.Where != "workspace" {
		t.Fatalf("default parent: %+v", r.Doc)
	}
	if n := h.fake.Count("") - before; n != 2 {
		t.Errorf("warm create: %d requests, want 2 (the doc, its page)", n)
	}
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"name": " "}, []string{"name", "required"}},
		{map[string]any{"name": "x", "parent": "Nowhere"}, []string{"parent", "no space, folder or list"}},
		{map[string]any{"name": "x", "content": 3}, []string{"content", "string"}},
		{map[string]any{"name": "x", "workspace_id": w.other}, []string{"workspace_id", "9001"}},
	} {
		h.mustErr(t, "clickup_create_doc", c.args, c.want...)
	}
}

// The page POST fails after the doc exists: the error says so (with the
// doc's id) and what to do; calling again makes the page, never a second
// doc.
func TestCreateDocPageFails(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	docs := h.fake.DocCount(w.ws)
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", Status: 400, Body: `{"status":400,"message":"Page content invalid"}`})
	args := map[string]any{"name": "Postmortem", "parent": "Engineering", "content": "What happened."}
	text := h.mustErr(t, "clickup_create_doc", args, "exists, but its first page was not made", "Call again with the same arguments")
	if h.fake.DocCount(w.ws) != docs+1 {
		t.Fatalf("%d docs, want one more", h.fake.DocCount(w.ws)-docs)
	}
	var r CreateDocResult
	h.mustOK(t, "clickup_create_doc", args, &r)
	if h.fake.DocCount(w.ws) != docs+1 || h.fake.Count(routeCreateDoc) != 1 || !strings.Contains(text, r.Doc.ID) {
		t.Fatalf("retry made another doc (%d creates) or the error lacked the doc id: %s", h.fake.Count(routeCreateDoc), text)
	}
	if md, _ := h.fake.DocPageContent(r.PageID); md != "What happened." {
		t.Fatalf("page %q", md)
	}
	// A 502 on the page: its outcome is unknown, and the error says the doc
	// exists; the guard keeps the doc (never a second one) and the page
	// unsent until its outcome is known.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", Status: 502, Body: `{"status":502,"message":"Bad gateway"}`})
	unknown := map[string]any{"name": "Gateway", "content": "z"}
	h.mustErr(t, "clickup_create_doc", unknown, "Outcome unknown", "exists, but its first page")
	h.mustErr(t, "clickup_create_doc", unknown, "exists, but its first page")
	if h.fake.DocCount(w.ws) != docs+2 || h.fake.Count(routeCreatePage) != 3 {
		t.Fatalf("after a 502 on the page and a retry: %d new docs, %d page creates", h.fake.DocCount(w.ws)-docs, h.fake.Count(routeCreatePage))
	}
	docs++
	// A lost answer on the doc's create: the check finds it, made once.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v3/workspaces/{workspace_id}/docs", Drop: clickuptest.DropAfterHandling})
	h.mustOK(t, "clickup_create_doc", map[string]any{"name": "Lost answer", "parent": "Bugs", "content": "x"}, &r)
	if h.fake.DocCount(w.ws) != docs+2 || r.PageID == "" {
		t.Fatalf("after a lost answer: %d new docs, %+v", h.fake.DocCount(w.ws)-docs, r)
	}
	// A lost answer on the page: the check finds it too.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages", Drop: clickuptest.DropAfterHandling})
	h.mustOK(t, "clickup_create_doc", map[string]any{"name": "Lost page", "content": "y"}, &r)
	var g GetDocResult
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": r.Doc.ID}, &g)
	if len(g.Pages) != 1 || g.Content[0].Markdown != "y" {
		t.Fatalf("lost page answer: %+v", g)
	}
	// A 429 on the create is waited out.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v3/workspaces/{workspace_id}/docs", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_create_doc", map[string]any{"name": "After a wait"}, &r)
}

func TestEditDocPage(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	risks := w.notes.Pages[0].ID
	// By names: the search, the listing and the edit.
	var r EditDocPageResult
	text := h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": "Sprint 12 notes", "page_id": "Risks", "content": "- Jamal out Thursday"}, &r)
	if md, _ := h.fake.DocPageContent(risks); md != "- flaky sandbox\n- Jamal out Thursday" || r.Mode != "append" || !r.Changed || !strings.Contains(text, "Appended 20 characters") {
		t.Fatalf("append: %q %+v\n%s", md, r, text)
	}
	// Warm, by ids: one request.
	before := h.fake.Count("")
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "page_id": risks, "content": "# Risks", "mode": "prepend"}, &r)
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("prepend by ids: %d requests, want 1", n)
	}
	if md, _ := h.fake.DocPageContent(risks); !strings.HasPrefix(md, "# Risks\n- flaky") {
		t.Fatalf("prepend: %q", md)
	}
	// The same append again moments later is not applied twice.
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "page_id": risks, "content": "# Risks", "mode": "prepend"}, &r)
	if md, _ := h.fake.DocPageContent(risks); strings.Count(md, "# Risks") != 1 || !r.Deduplicated {
		t.Fatalf("repeated prepend: %q %+v", md, r)
	}
	// The doc's only page needs no page_id; a rename keeps the content.
	kept, _ := h.fake.DocPageContent(risks)
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "name": "Risks and issues"}, &r)
	if md, _ := h.fake.DocPageContent(risks); r.Mode != "rename" || r.Page != "Risks" || md != kept {
		t.Fatalf("rename: %+v, content %q (was %q)", r, md, kept)
	}
	var g GetDocResult
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": w.notes.ID}, &g)
	if g.Pages[0].Name != "Risks and issues" {
		t.Fatalf("renamed: %+v", g.Pages)
	}
	// Replace: a dry run reads the page and changes nothing.
	old, _ := h.fake.DocPageContent(risks)
	edits := h.fake.Count(routeEditPage)
	text = h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "content": "All clear.", "mode": "replace", "dry_run": true}, &r)
	if md, _ := h.fake.DocPageContent(risks); md != old || h.fake.Count(routeEditPage) != edits || r.Replaced != len(old) || !strings.Contains(text, "Nothing was changed") {
		t.Fatalf("dry run: %q %+v\n%s", md, r, text)
	}
	// Without elicitation a replace goes ahead, as a delete does.
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "content": "All clear.", "mode": "replace"}, &r)
	if md, _ := h.fake.DocPageContent(risks); md != "All clear." || r.Confirmation != "" {
		t.Fatalf("replace: %q %+v", md, r)
	}
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"doc_id": w.notes.ID, "content": "x", "mode": "overwrite"}, []string{"mode", "append, prepend, replace"}},
		{map[string]any{"doc_id": w.notes.ID}, []string{"content"}},
		{map[string]any{"doc_id": w.notes.ID, "mode": "replace"}, []string{"needs content"}},
		{map[string]any{"doc_id": w.handbook.ID, "content": "x"}, []string{"the doc has 4 pages", "Onboarding"}},
		{map[string]any{"doc_id": w.handbook.ID, "page_id": "Nope", "content": "x"}, []string{"no page", "Reviews"}},
		{map[string]any{"doc_id": w.handbook.ID, "page_id": "8cf9999-1", "content": "x"}, []string{"No page 8cf9999-1"}},
		{map[string]any{"doc_id": "No such doc", "content": "x"}, []string{"no doc named"}},
		{map[string]any{"doc_id": w.notes.ID, "content": []string{"x"}}, []string{"content", "string"}},
	} {
		h.mustErr(t, "clickup_edit_doc_page", c.args, c.want...)
	}
	// A lost answer on an append: the check sees the text landed, once.
	h.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}", Drop: clickuptest.DropAfterHandling})
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "page_id": risks, "content": "Landed once."}, &r)
	if md, _ := h.fake.DocPageContent(risks); strings.Count(md, "Landed once.") != 1 {
		t.Fatalf("lost append answer: %q", md)
	}
	// A 502 that did not land: reported as unknown, never as success.
	h.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}", Status: 502, Body: `{"status":502,"message":"Bad gateway"}`})
	h.mustErr(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "page_id": risks, "content": "Maybe."}, "Outcome unknown")
	if md, _ := h.fake.DocPageContent(risks); strings.Contains(md, "Maybe.") {
		t.Fatalf("the failed append landed: %q", md)
	}
	h.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "page_id": risks, "content": "After a wait."}, &r)
}

// With a write scope, doc writes are refused before anything is sent, as
// the catalogue refuses its doc operations.
func TestDocWritesUnderWriteScope(t *testing.T) {
	w := newDocsWorld(t)
	h := w.harness(t)
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Sprint 12"} })
	before := h.fake.Count("")
	h.mustErr(t, "clickup_create_doc", map[string]any{"name": "x", "parent": "Sprint 12"}, "doc level", "--write-scope")
	h.mustErr(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.notes.ID, "content": "x"}, "doc level", "Nothing was changed")
	if n := h.fake.Count("") - before; n != 0 {
		t.Errorf("refused writes sent %d requests", n)
	}
	h.mustOK(t, "clickup_get_doc", map[string]any{"doc_id": w.notes.ID}, nil)
}

// A replace asks a client that elicits, naming the page and its size;
// only accept replaces. An append is not asked.
func TestEditDocPageConfirmsReplace(t *testing.T) {
	for _, tc := range []struct {
		name, proto string
		action      mcp.ElicitationResponseAction
		content     map[string]any
		replaced    bool
	}{
		{"accept", mcp.LATEST_PROTOCOL_VERSION, mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, true},
		{"decline", mcp.LATEST_PROTOCOL_VERSION, mcp.ElicitationResponseActionDecline, nil, false},
		{"accept-2025", "2025-11-25", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, true},
		{"unticked-2025", "2025-11-25", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newDocsWorld(t)
			e := &elicitor{action: tc.action, content: tc.content}
			h := w.connectEliciting(t, e, tc.proto)
			reviews := w.handbook.Pages[2].ID
			var r EditDocPageResult
			text := h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.handbook.ID, "page_id": "Reviews", "content": "Two approvals.", "mode": "replace"}, &r)
			if len(e.asked) != 1 {
				t.Fatalf("asked %d times", len(e.asked))
			}
			for _, want := range []string{`"Reviews"`, "13 characters", "1 lines", "14 new"} {
				if !strings.Contains(e.asked[0].Message, want) {
					t.Errorf("confirmation %q lacks %q", e.asked[0].Message, want)
				}
			}
			md, _ := h.fake.DocPageContent(reviews)
			if tc.replaced != (md == "Two approvals.") || r.Confirmation != map[bool]string{true: "accepted", false: "declined"}[tc.replaced] {
				t.Fatalf("%s: page %q, %+v\n%s", tc.name, md, r, text)
			}
			if !tc.replaced && !strings.Contains(text, "Nothing was changed") {
				t.Errorf("decline text: %s", text)
			}
			h.mustOK(t, "clickup_edit_doc_page", map[string]any{"doc_id": w.handbook.ID, "page_id": reviews, "content": "More."}, &r)
			if len(e.asked) != 1 {
				t.Errorf("an append was asked")
			}
		})
	}
}
