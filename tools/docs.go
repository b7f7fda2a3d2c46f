package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// Docs live in ClickUp's API v3 only. Docs and pages are named by id, by
// name (a Doc search, then a match: ClickUp has no text search) or by URL
// (https://app.clickup.com/{ws}/v/dc/{doc}/{page}).

// docIDRe matches Doc and page ids ("8cht190-831"): `^[0-9a-z]{2,20}-[0-9]{1,12}$`,
// matched by hand (compiling the bounded repetitions cost 20 KB in package
// init at every start; docs_test.go checks it against the expression).
var docIDRe docIDPattern

type docIDPattern struct{}

// MatchString reports whether s is a Doc or page id.
func (docIDPattern) MatchString(s string) bool {
	head, num, ok := strings.Cut(s, "-")
	if !ok || len(head) < 2 || len(head) > 20 || num == "" || len(num) > 12 {
		return false
	}
	for i := 0; i < len(head); i++ {
		if c := head[i]; (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	for i := 0; i < len(num); i++ {
		if c := num[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// docSearchPages bounds the ClickUp pages (100 Docs each) one call scans.
const docSearchPages = 10

// DocOut is a Doc as the doc tools show it.
type DocOut struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Where    string `json:"where" jsonschema_description:"space, folder or list path, or workspace"`
	Creator  string `json:"creator,omitempty"`
	Updated  string `json:"updated,omitempty"`
	Archived bool   `json:"archived,omitempty"`
	URL      string `json:"url"`
}

// docArg splits a Doc argument: an id, or a Doc URL (with its page, if
// any). ok is false for a name.
func docArg(v string) (doc, page string, ok bool) {
	v = strings.TrimSpace(v)
	if docIDRe.MatchString(v) {
		return v, "", true
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i := 0; i+1 < len(segs); i++ {
			if segs[i] == "dc" && docIDRe.MatchString(segs[i+1]) {
				if i+2 < len(segs) && docIDRe.MatchString(segs[i+2]) {
					page = segs[i+2]
				}
				return segs[i+1], page, true
			}
		}
	}
	return "", "", false
}

// docsParent is a space, folder or list resolved for a Doc, or the
// workspace when the argument is empty.
type docsParent struct {
	id    string
	typ   int
	query string // parent_type for the search
}

func resolveDocParent(ctx context.Context, s *workspace.Session, ws, arg, v string) (docsParent, error) {
	if strings.TrimSpace(v) == "" {
		return docsParent{id: ws, typ: clickup.DocParentWorkspace, query: "WORKSPACE"}, nil
	}
	id, kind, err := s.ResolvePlace(ctx, ws, arg, v)
	if err != nil {
		return docsParent{}, err
	}
	switch kind {
	case workspace.KindSpace:
		return docsParent{id, clickup.DocParentSpace, "SPACE"}, nil
	case workspace.KindFolder:
		return docsParent{id, clickup.DocParentFolder, "FOLDER"}, nil
	}
	return docsParent{id, clickup.DocParentList, "LIST"}, nil
}

// docOut renders a Doc: where it lives by path (from the cached hierarchy),
// its creator by name.
func docOut(ctx context.Context, s *workspace.Session, ws string, d *clickup.Doc) DocOut {
	o := DocOut{ID: d.ID.String(), Name: d.Name, Archived: bool(d.Archived), URL: fmt.Sprintf("https://app.clickup.com/%s/v/dc/%s", ws, d.ID)}
	pid := d.Parent.ID.String()
	switch t := int(d.Parent.Type); t {
	case clickup.DocParentSpace, clickup.DocParentFolder, clickup.DocParentList:
		kind := map[int]workspace.NodeKind{clickup.DocParentSpace: workspace.KindSpace, clickup.DocParentFolder: workspace.KindFolder, clickup.DocParentList: workspace.KindList}[t]
		o.Where = fmt.Sprintf("%s %s", kind, pid)
		if p, ok := s.PlacePath(ctx, ws, pid, kind); ok {
			o.Where = fmt.Sprintf("%s %s", kind, p)
		}
	case clickup.DocParentEverything:
		o.Where = "everything"
	default:
		o.Where = "workspace"
	}
	if d.Creator != 0 {
		o.Creator = personName(ctx, s, ws, int64(d.Creator))
	}
	if d.Updated != 0 {
		o.Updated = d.Updated.Time().In(s.Location(ctx)).Format(time.RFC3339)
	}
	return o
}

func (o DocOut) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n- %s (%s) in %s", workspace.Flat(o.Name), o.ID, workspace.Flat(o.Where))
	if o.Creator != "" {
		fmt.Fprintf(&b, ", by %s", workspace.Flat(o.Creator))
	}
	if o.Updated != "" {
		fmt.Fprintf(&b, ", updated %s", o.Updated)
	}
	if o.Archived {
		b.WriteString(", archived")
	}
	return b.String()
}

// nameWords are the lower-cased words of a name query.
func nameWords(q string) []string { return strings.Fields(strings.ToLower(q)) }

func nameHas(name string, words []string) bool {
	n := strings.ToLower(name)
	for _, w := range words {
		if !strings.Contains(n, w) {
			return false
		}
	}
	return true
}

// resolveDoc finds the Doc an argument names: an id or URL (read with one
// GET when read is set, else taken as given), or a name, searched for and
// matched (exactly, else by its words); several matches are listed. page
// is the page a URL names.
func resolveDoc(ctx context.Context, s *workspace.Session, ws, arg, v string, read bool) (*clickup.Doc, string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, "", workspace.InvalidArg(arg, "is required: a doc id, name or URL (clickup_search_docs finds docs)")
	}
	if id, page, ok := docArg(v); ok {
		if !read {
			return &clickup.Doc{ID: clickup.FlexString(id)}, page, nil
		}
		d, err := s.Client.Docs.Get(ctx, ws, id)
		if err != nil {
			return nil, "", docNotFound(err, arg, id)
		}
		return d, page, nil
	}
	if len(v) > 300 {
		return nil, "", workspace.InvalidArg(arg, "%q is not a doc id, name or URL", workspace.Truncate(v, 40))
	}
	var exact, partial, all []clickup.Doc
	words := nameWords(v)
	cursor := ""
	for i := 0; i < docSearchPages; i++ {
		res, err := s.Client.Docs.Search(ctx, ws, &clickup.DocSearchOptions{Limit: 100, Cursor: cursor})
		if err != nil {
			return nil, "", err
		}
		for _, d := range res.Docs {
			all = append(all, d)
			switch {
			case strings.EqualFold(strings.TrimSpace(d.Name), v):
				exact = append(exact, d)
			case nameHas(d.Name, words):
				partial = append(partial, d)
			}
		}
		if cursor = res.NextCursor; cursor == "" {
			break
		}
	}
	pickOne := func(ds []clickup.Doc) (*clickup.Doc, string, error) {
		if len(ds) == 1 {
			workspace.AddNote(ctx, "doc %q = %s (%s)", workspace.Truncate(v, 60), ds[0].ID, ds[0].Name)
			return &ds[0], "", nil
		}
		c := make([]string, 0, 8)
		for i, d := range ds {
			if i == 8 {
				c = append(c, fmt.Sprintf("and %d more", len(ds)-8))
				break
			}
			o := docOut(ctx, s, ws, &d)
			c = append(c, fmt.Sprintf("%s (%s, in %s)", workspace.Flat(o.Name), o.ID, o.Where))
		}
		return nil, "", workspace.InvalidArg(arg, "%q matches several docs: %s; use the id", workspace.Truncate(v, 60), strings.Join(c, "; "))
	}
	switch {
	case len(exact) > 0:
		return pickOne(exact)
	case len(partial) > 0:
		return pickOne(partial)
	}
	names := make([]string, 0, 10)
	for i, d := range all {
		if i == 10 {
			names = append(names, fmt.Sprintf("and %d more (clickup_search_docs)", len(all)-10))
			break
		}
		names = append(names, fmt.Sprintf("%s (%s)", workspace.Flat(d.Name), d.ID))
	}
	if len(names) == 0 {
		names = append(names, "(the workspace has none)")
	}
	return nil, "", workspace.InvalidArg(arg, "no doc named %q; docs: %s", workspace.Truncate(v, 60), strings.Join(names, ", "))
}

// docNotFound adds advice to a 404 for a Doc.
func docNotFound(err error, arg, id string) error {
	if clickup.IsKind(err, clickup.KindNotFound) {
		return workspace.WithHint(err, "No doc %s in this workspace: check %s, or find the doc by name with clickup_search_docs.", id, arg)
	}
	return err
}

// flatPage is a page with its depth in the tree, in reading order.
type flatPage struct {
	p     *clickup.DocPage
	depth int
}

func flattenPages(ps []clickup.DocPage, depth int, out []flatPage) []flatPage {
	for i := range ps {
		out = append(out, flatPage{&ps[i], depth})
		out = flattenPages(ps[i].Pages, depth+1, out)
	}
	return out
}

// findPage resolves a page by id or name among a Doc's pages; without a
// value, the Doc's only page.
func findPage(arg, v string, pages []flatPage) (*clickup.DocPage, error) {
	v = strings.TrimSpace(v)
	list := func() string {
		names := make([]string, 0, 12)
		for i, fp := range pages {
			if i == 12 {
				names = append(names, fmt.Sprintf("and %d more", len(pages)-12))
				break
			}
			names = append(names, fmt.Sprintf("%s (%s)", workspace.Flat(fp.p.Name), fp.p.ID))
		}
		if len(names) == 0 {
			return "(the doc has none)"
		}
		return strings.Join(names, ", ")
	}
	if v == "" {
		if len(pages) == 1 {
			return pages[0].p, nil
		}
		return nil, workspace.InvalidArg(arg, "the doc has %d pages: say which (id or name): %s", len(pages), list())
	}
	var hits []*clickup.DocPage
	for _, fp := range pages {
		if fp.p.ID.String() == v {
			return fp.p, nil
		}
		if strings.EqualFold(strings.TrimSpace(fp.p.Name), v) {
			hits = append(hits, fp.p)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return nil, workspace.InvalidArg(arg, "no page %q in the doc; its pages: %s", workspace.Truncate(v, 60), list())
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID.String()
	}
	return nil, workspace.InvalidArg(arg, "%d pages are named %q (%s): use the id", len(hits), workspace.Truncate(v, 60), strings.Join(ids, ", "))
}

// --- clickup_search_docs ---

type SearchDocsArgs struct {
	Query       string       `json:"query,omitempty" jsonschema_description:"words in the doc name"`
	Parent      workspace.ID `json:"parent,omitempty" jsonschema_description:"space, folder or list it is directly in: id, name or path"`
	Creator     string       `json:"creator,omitempty" jsonschema_description:"id, email, name or me"`
	Archived    bool         `json:"archived,omitempty" jsonschema_description:"archived docs instead"`
	Cursor      string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of the previous call"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type SearchDocsResult struct {
	Docs       []DocOut `json:"docs"`
	NextCursor string   `json:"next_cursor,omitempty" jsonschema_description:"more may follow: pass as cursor"`
}

// docsCursor is where a Doc search goes on: ClickUp's cursor of the page
// being read ("" = the first) and how many of its Docs were seen.
type docsCursor struct {
	C string `json:"c,omitempty"`
	N int    `json:"n,omitempty"`
	Q string `json:"q,omitempty"` // the search it belongs to
}

// maxDocsShown bounds the Docs of one answer.
const maxDocsShown = 25

func SearchDocs(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_search_docs", Title: "Search docs", Toolset: toolkit.ToolsetDocs, Hints: toolkit.ReadHints,
		Description: "Find docs by name words, parent (space, folder or list) or creator.",
		Examples: []string{
			`{"query": "handbook"}`,
			`{"parent": "Sprint 13", "creator": "me"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *SearchDocsArgs) (*SearchDocsResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		o := &clickup.DocSearchOptions{Limit: 100, Archived: a.Archived}
		if strings.TrimSpace(string(a.Parent)) != "" {
			p, err := resolveDocParent(ctx, s, ws, "parent", string(a.Parent))
			if err != nil {
				return nil, "", err
			}
			o.ParentID, o.ParentType = p.id, p.query
		}
		if strings.TrimSpace(a.Creator) != "" {
			ids, err := s.ResolveUsers(ctx, ws, "creator", []string{a.Creator})
			if err != nil {
				return nil, "", err
			}
			o.Creator = ids[0]
		}
		words := nameWords(a.Query)
		key := fmt.Sprintf("%s|%s|%s|%d|%v|%s", ws, strings.Join(words, " "), o.ParentID, o.Creator, o.Archived, o.ParentType)
		var cur docsCursor
		if a.Cursor != "" {
			if err := render.DecodeCursor("cursor", a.Cursor, &cur); err != nil {
				return nil, "", err
			}
			if cur.Q != key {
				return nil, "", workspace.InvalidArg("cursor", "belongs to another search; repeat that search's arguments with it, or omit it")
			}
		}
		r := &SearchDocsResult{Docs: []DocOut{}}
		size, budget := 200, d.Config().MaxResultTokens/2
		o.Cursor = cur.C
		skip := cur.N
	scan:
		for i := 0; i < docSearchPages; i++ {
			res, err := s.Client.Docs.Search(ctx, ws, o)
			if err != nil {
				return nil, "", err
			}
			for j := skip; j < len(res.Docs); j++ {
				if !nameHas(res.Docs[j].Name, words) {
					continue
				}
				out := docOut(ctx, s, ws, &res.Docs[j])
				js, _ := json.Marshal(out)
				if len(r.Docs) == maxDocsShown || size+toolkit.EstimateJSONTokens(js)+toolkit.EstimateTokens(out.line()) > budget {
					r.NextCursor = render.EncodeCursor(docsCursor{C: o.Cursor, N: j, Q: key})
					break scan
				}
				size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(out.line())
				r.Docs = append(r.Docs, out)
			}
			skip = 0
			if res.NextCursor == "" {
				break
			}
			o.Cursor = res.NextCursor
			if i == docSearchPages-1 {
				r.NextCursor = render.EncodeCursor(docsCursor{C: o.Cursor, Q: key})
			}
		}
		var b strings.Builder
		what := "docs"
		if a.Archived {
			what = "archived docs"
		}
		if len(words) > 0 {
			fmt.Fprintf(&b, "%d %s named like %q", len(r.Docs), what, workspace.Flat(a.Query))
		} else {
			fmt.Fprintf(&b, "%d %s", len(r.Docs), what)
		}
		if o.ParentID != "" {
			fmt.Fprintf(&b, " directly in %s %s", strings.ToLower(o.ParentType), workspace.Flat(string(a.Parent)))
		}
		b.WriteString(":")
		for _, dd := range r.Docs {
			b.WriteString(dd.line())
		}
		if r.NextCursor != "" {
			b.WriteString("\nMore may follow: pass next_cursor as cursor.")
		} else if len(r.Docs) == 0 {
			b.WriteString(" none. ClickUp matches a parent only for docs directly in it; try without parent, or other words.")
		}
		return r, b.String(), nil
	})
}

// --- clickup_get_doc ---

type GetDocArgs struct {
	DocID       string       `json:"doc_id" jsonschema:"required" jsonschema_description:"doc id, name or URL"`
	PageID      string       `json:"page_id,omitempty" jsonschema_description:"only this page: id or name"`
	Cursor      string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of the previous call"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type DocPageOut struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Depth int    `json:"depth,omitempty" jsonschema_description:"0 for a top page, 1 for its sub-pages, ..."`
	Chars int    `json:"chars" jsonschema_description:"content length"`
}

type DocContent struct {
	PageID   string `json:"page_id"`
	Name     string `json:"name"`
	Markdown string `json:"markdown"`
	Author   string `json:"author,omitempty"`
	From     int    `json:"from,omitempty" jsonschema_description:"character offset this part starts at"`
	Cut      bool   `json:"cut,omitempty" jsonschema_description:"the page goes on: pass next_cursor"`
}

type GetDocResult struct {
	Doc        DocOut       `json:"doc"`
	Pages      []DocPageOut `json:"pages" jsonschema_description:"every page, in order"`
	Content    []DocContent `json:"content"`
	NextCursor string       `json:"next_cursor,omitempty" jsonschema_description:"more content: pass as cursor"`
}

// docCursor is where a Doc's content goes on: the page (index in reading
// order) and the byte offset in it.
type docCursor struct {
	D string `json:"d"`
	P int    `json:"p"`
	O int    `json:"o,omitempty"`
}

// maxDocPagesListed bounds the page listing of one answer.
const maxDocPagesListed = 200

func GetDoc(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_doc", Title: "Get doc", Toolset: toolkit.ToolsetDocs, Hints: toolkit.ReadHints,
		Description: "A doc's pages and their content as markdown, paged with a cursor.",
		Examples: []string{
			`{"doc_id": "Engineering Handbook"}`,
			`{"doc_id": "Sprint 13 planning", "page_id": "Risks"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetDocArgs) (*GetDocResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		doc, urlPage, err := resolveDoc(ctx, s, ws, "doc_id", a.DocID, true)
		if err != nil {
			return nil, "", err
		}
		id := doc.ID.String()
		var cur docCursor
		if a.Cursor != "" {
			if err := render.DecodeCursor("cursor", a.Cursor, &cur); err != nil {
				return nil, "", err
			}
			if cur.D != id {
				return nil, "", workspace.InvalidArg("cursor", "belongs to another doc; omit it to start this one from the beginning")
			}
		}
		tree, err := s.Client.Docs.Pages(ctx, ws, id, clickup.FormatMarkdown)
		if err != nil {
			return nil, "", docNotFound(err, "doc_id", id)
		}
		pages := flattenPages(tree, 0, nil)
		r := &GetDocResult{Doc: docOut(ctx, s, ws, doc), Pages: []DocPageOut{}, Content: []DocContent{}}
		for i, fp := range pages {
			if i == maxDocPagesListed {
				break
			}
			r.Pages = append(r.Pages, DocPageOut{ID: fp.p.ID.String(), Name: fp.p.Name, Depth: fp.depth, Chars: utf8.RuneCountInString(fp.p.Content)})
		}
		order := make([]int, len(pages))
		for i := range order {
			order[i] = i
		}
		if want := a.PageID; want != "" || urlPage != "" {
			if want == "" {
				want = urlPage
			}
			p, err := findPage("page_id", want, pages)
			if err != nil {
				return nil, "", err
			}
			for i, fp := range pages {
				if fp.p == p {
					order = []int{i}
				}
			}
			if a.Cursor != "" && cur.P != order[0] {
				return nil, "", workspace.InvalidArg("cursor", "belongs to another page of this doc; pass the page_id it came with, or omit it")
			}
		}
		// The content is in the text and the structured content: each copy
		// gets half of what the rest leaves.
		rest, _ := json.Marshal(r)
		avail := d.Config().MaxResultTokens - toolkit.EstimateJSONTokens(rest) - toolkit.EstimateTokens(getDocText(r, len(pages))) - 600
		costOf := func(c DocContent) int {
			js, _ := json.Marshal(c)
			return toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(contentText(c))
		}
		used := 0
		started := cur.P == 0 && cur.O == 0
		for _, i := range order {
			if i < cur.P && !started {
				continue
			}
			fp := pages[i]
			body, from := fp.p.Content, 0
			if !started && i == cur.P {
				from = min(cur.O, len(body))
			}
			started = true
			if s.Withholds(ctx, int64(fp.p.CreatorID)) {
				body, from = render.Withheld, 0
			}
			part := body[from:]
			c := DocContent{PageID: fp.p.ID.String(), Name: fp.p.Name, Markdown: part, From: utf8.RuneCountInString(body[:from])}
			if fp.p.CreatorID != 0 {
				c.Author = personName(ctx, s, ws, int64(fp.p.CreatorID))
			}
			cost := costOf(c)
			if used+cost > avail {
				left := avail - used
				if len(r.Content) > 0 && left < 800 {
					r.NextCursor = render.EncodeCursor(docCursor{D: id, P: i, O: from})
					break
				}
				// Cut the page: scale by what the whole part costs, then
				// shrink until the part fits.
				n := int(float64(toolkit.EstimateTokens(part)) * float64(max(left, 100)) / float64(cost))
				c.Cut = true
				for tries := 0; tries < 20; tries++ {
					c.Markdown = cutAtLine(part, max(n, 50))
					if costOf(c) <= left || n <= 50 {
						break
					}
					n = n * 9 / 10
				}
				r.Content = append(r.Content, c)
				r.NextCursor = render.EncodeCursor(docCursor{D: id, P: i, O: from + len(c.Markdown)})
				break
			}
			used += cost
			r.Content = append(r.Content, c)
		}
		return r, getDocText(r, len(pages)), nil
	})
}

// cutAtLine cuts s to about n tokens, at a line break when one is near.
func cutAtLine(s string, n int) string {
	cut := toolkit.CutTokens(s, n)
	if len(cut) >= len(s) {
		return s
	}
	if i := strings.LastIndexByte(cut, '\n'); i > len(cut)*3/4 {
		cut = cut[:i+1]
	}
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	if cut == "" {
		_, size := utf8.DecodeRuneInString(s)
		cut = s[:size]
	}
	return cut
}

func getDocText(r *GetDocResult, pages int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Doc %s (%s) in %s, %d pages:", workspace.Flat(r.Doc.Name), r.Doc.ID, workspace.Flat(r.Doc.Where), pages)
	for _, p := range r.Pages {
		fmt.Fprintf(&b, "\n%s- %s (%s, %d chars)", strings.Repeat("  ", p.Depth), workspace.Flat(p.Name), p.ID, p.Chars)
	}
	if pages > len(r.Pages) {
		fmt.Fprintf(&b, "\n(%d more pages not listed)", pages-len(r.Pages))
	}
	for _, c := range r.Content {
		b.WriteString(contentText(c))
	}
	if r.NextCursor != "" && (len(r.Content) == 0 || !r.Content[len(r.Content)-1].Cut) {
		b.WriteString("\n\nMore pages follow: pass next_cursor as cursor.")
	}
	return b.String()
}

// contentText is one page's part in the text: quoted, with its author.
func contentText(c DocContent) string {
	what := fmt.Sprintf("Page %s (%s)", workspace.Flat(c.Name), c.PageID)
	if c.From > 0 {
		what += fmt.Sprintf(" from character %d", c.From)
	}
	t := "\n\n" + workspace.Quoted(what, c.Author, c.Markdown)
	if c.Cut {
		t += "\n(cut here at the result budget: pass next_cursor as cursor for the rest)"
	}
	return t
}

// --- clickup_create_doc ---

type CreateDocArgs struct {
	Name        string       `json:"name" jsonschema:"required" jsonschema_description:"doc name"`
	Parent      workspace.ID `json:"parent,omitempty" jsonschema_description:"space, folder or list: id, name or path; default: the workspace"`
	Content     string       `json:"content,omitempty" jsonschema_description:"first page, markdown"`
	PageName    string       `json:"page_name,omitempty" jsonschema_description:"first page's name; default: the doc's"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
	// AllowDuplicate skips the write guard of the doc.
	AllowDuplicate bool `json:"allow_duplicate,omitempty" jsonschema_description:"create even if this identical doc was just created"`
}

type CreateDocResult struct {
	Doc          DocOut `json:"doc"`
	PageID       string `json:"page_id" jsonschema_description:"its first page"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"already created moments ago; nothing new was made"`
}

func CreateDoc(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_doc", Title: "Create doc", Toolset: toolkit.ToolsetDocs, Hints: toolkit.CreateHints,
		Description: "Create a doc in a space, folder or list (or the workspace), with a first page of markdown.",
		Examples: []string{
			`{"name": "Incident review 12", "parent": "Engineering", "content": "# Timeline\n\n- 09:12 alert"}`,
		},
		Target: &toolkit.Target{Handler: true, Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *CreateDocArgs) (*CreateDocResult, string, error) {
		if err := s.RefuseUnscoped("clickup_create_doc", "doc", "changed"); err != nil {
			return nil, "", err
		}
		name := strings.TrimSpace(a.Name)
		if name == "" {
			return nil, "", workspace.InvalidArg("name", "is required")
		}
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		parent, err := resolveDocParent(ctx, s, ws, "parent", string(a.Parent))
		if err != nil {
			return nil, "", err
		}
		me, err := s.Me(ctx)
		if err != nil {
			return nil, "", err
		}
		// ClickUp ignores content on a create: the doc is made without a
		// page, then its first page with the content.
		body := &clickup.DocCreate{Name: name, Parent: clickup.DocParent{ID: clickup.FlexString(parent.id), Type: clickup.FlexInt(parent.typ)}}
		page := &clickup.PageCreate{Name: strings.TrimSpace(a.PageName), Content: a.Content, ContentFormat: clickup.FormatMarkdown}
		if page.Name == "" {
			page.Name = name
		}
		where := fmt.Sprintf("search the docs (clickup_search_docs) for one named %q", name)
		doc, docHow, err := createDocOnce(ctx, s, ws, body, strconv.FormatInt(int64(me.ID), 10), a.AllowDuplicate, where)
		if err != nil {
			return nil, "", err
		}
		r := &CreateDocResult{Doc: docOut(ctx, s, ws, doc)}
		pageID, pageHow, err := createFirstPage(ctx, s, ws, doc.ID.String(), page, strconv.FormatInt(int64(me.ID), 10))
		if err != nil {
			pre := ""
			var ue *writeguard.UnknownError
			switch {
			case errors.As(err, &ue):
				pre = ue.Advice("") + " "
			case errors.Is(err, writeguard.ErrInFlight):
				pre = "An identical call is sending the page now. "
			}
			return nil, "", workspace.WithHint(err, "%sThe doc %q (%s) exists, but its first page was not made (or its outcome is unknown). Call again with the same arguments (without allow_duplicate): the doc is remembered, not created again, and only the page is sent when it is not there.", pre, name, doc.ID)
		}
		r.PageID = pageID
		r.Deduplicated = docHow == writeguard.FoundEarlier && pageHow == writeguard.FoundEarlier
		text := fmt.Sprintf("Created doc %s (%s) in %s with page %q (%s, %d chars): %s", workspace.Flat(name), doc.ID, workspace.Flat(r.Doc.Where),
			workspace.Flat(page.Name), pageID, utf8.RuneCountInString(page.Content), r.Doc.URL)
		if r.Deduplicated {
			text = fmt.Sprintf("Already created moments ago (not created again): doc %s (%s), page %s. Pass allow_duplicate=true for another.", workspace.Flat(name), doc.ID, pageID)
		} else if docHow == writeguard.FoundEarlier {
			text += "\nThe doc was made by an earlier identical call (remembered, not created again); this call added its first page."
		}
		return r, text, nil
	})
}

// createDocOnce creates the Doc under the write guard: an identical create
// moments ago is answered from memory (how FoundEarlier), a lost answer is
// checked against the Docs of the parent.
func createDocOnce(ctx context.Context, s *workspace.Session, ws string, body *clickup.DocCreate, self string, allowDup bool, where string) (*clickup.Doc, writeguard.How, error) {
	if allowDup {
		doc, err := s.Client.Docs.Create(ctx, ws, body)
		if err != nil && writeguard.MaybeApplied(err) {
			return nil, 0, workspace.WithHint(err, "Outcome unknown: the doc may have been created (ClickUp's answer was lost), or not. With allow_duplicate=true nothing is checked or remembered: %s before creating again.", where)
		}
		return doc, writeguard.Sent, err
	}
	tk, err := s.BeginWrite(ctx, "create_doc", ws, body)
	if err != nil {
		return nil, 0, workspace.GuardErr(err, "allow_duplicate=true")
	}
	defer tk.Close()
	if tk.Replay != nil {
		var doc clickup.Doc
		if json.Unmarshal(tk.Replay.Data, &doc) != nil || doc.ID == "" {
			doc = clickup.Doc{ID: clickup.FlexString(tk.Replay.Ref), Name: body.Name, Parent: body.Parent}
		}
		return &doc, writeguard.FoundEarlier, nil
	}
	var made *clickup.Doc
	seen := map[string]*clickup.Doc{}
	id, how, err := tk.Send(ctx, writeguard.Write{
		What: "doc", Where: where,
		Send: func(ctx context.Context) (string, error) {
			doc, err := s.Client.Docs.Create(ctx, ws, body)
			if err != nil {
				return "", err
			}
			made = doc
			return doc.ID.String(), nil
		},
		Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
			o := &clickup.DocSearchOptions{Limit: 100, ParentID: string(body.Parent.ID), ParentType: strconv.Itoa(int(body.Parent.Type))}
			ev := writeguard.Evidence{Self: self}
			for i := 0; i < docSearchPages; i++ {
				res, err := s.Client.Docs.Search(ctx, ws, o)
				if err != nil {
					return ev, err
				}
				for j, dd := range res.Docs {
					if !strings.EqualFold(strings.TrimSpace(dd.Name), body.Name) {
						continue
					}
					seen[dd.ID.String()] = &res.Docs[j]
					ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: dd.ID.String(), Label: dd.Name,
						Creator: strconv.FormatInt(int64(dd.Creator), 10), Created: dd.Created.Time()})
				}
				if o.Cursor = res.NextCursor; o.Cursor == "" {
					return ev, nil
				}
			}
			ev.Partial = true
			return ev, nil
		},
	})
	if err != nil {
		return nil, 0, workspace.GuardErr(err, "allow_duplicate=true")
	}
	if made == nil || made.ID.String() != id {
		made = seen[id]
		if made == nil {
			made = &clickup.Doc{ID: clickup.FlexString(id), Name: body.Name, Parent: body.Parent}
		}
	}
	data, _ := json.Marshal(made)
	tk.Done(ctx, id, data)
	return made, how, nil
}

// createFirstPage adds the Doc's first page under the write guard, keyed
// by the Doc: a retry after the page failed sends it once more, never
// twice, and never makes another Doc.
func createFirstPage(ctx context.Context, s *workspace.Session, ws, docID string, page *clickup.PageCreate, self string) (string, writeguard.How, error) {
	tk, err := s.BeginWrite(ctx, "create_doc_page", ws, docID, page)
	if err != nil {
		return "", 0, err
	}
	defer tk.Close()
	if tk.Replay != nil {
		return tk.Replay.Ref, writeguard.FoundEarlier, nil
	}
	id, how, err := tk.Send(ctx, writeguard.Write{
		What:  "page",
		Where: fmt.Sprintf("read doc %s (clickup_get_doc) for a page named %q", docID, page.Name),
		Send: func(ctx context.Context) (string, error) {
			p, err := s.Client.Docs.CreatePage(ctx, ws, docID, page)
			if err != nil {
				return "", err
			}
			return p.ID.String(), nil
		},
		Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
			ps, err := s.Client.Docs.Pages(ctx, ws, docID, clickup.FormatMarkdown)
			ev := writeguard.Evidence{Self: self}
			if err != nil {
				return ev, err
			}
			for _, p := range ps {
				if p.Name != page.Name {
					continue
				}
				var differs []string
				if workspace.NormText(p.Content) != workspace.NormText(page.Content) {
					differs = append(differs, "content")
				}
				ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: p.ID.String(), Label: p.Name,
					Creator: strconv.FormatInt(int64(p.CreatorID), 10), Created: p.Created.Time(), Differs: differs})
			}
			return ev, nil
		},
	})
	if err != nil {
		return "", 0, err // the caller adds the advice
	}
	tk.Done(ctx, id, nil)
	return id, how, nil
}

// --- clickup_edit_doc_page ---

type EditDocPageArgs struct {
	DocID       string       `json:"doc_id" jsonschema:"required" jsonschema_description:"doc id, name or URL"`
	PageID      string       `json:"page_id,omitempty" jsonschema_description:"page id or name; optional when the doc has one page"`
	Content     string       `json:"content,omitempty" jsonschema_description:"markdown"`
	Mode        string       `json:"mode,omitempty" jsonschema:"enum=append,enum=prepend,enum=replace" jsonschema_description:"default append"`
	Name        string       `json:"name,omitempty" jsonschema_description:"rename the page"`
	DryRun      bool         `json:"dry_run,omitempty" jsonschema_description:"say what would change; change nothing"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type EditDocPageResult struct {
	DocID        string `json:"doc_id"`
	PageID       string `json:"page_id"`
	Page         string `json:"page,omitempty"`
	Mode         string `json:"mode"`
	Chars        int    `json:"chars" jsonschema_description:"characters sent"`
	Replaced     int    `json:"replaced,omitempty" jsonschema_description:"characters the page had before a replace"`
	Changed      bool   `json:"changed"`
	DryRun       bool   `json:"dry_run,omitempty"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"the same edit was applied moments ago; not again"`
	Confirmation string `json:"confirmation,omitempty" jsonschema_description:"the user's answer when asked: accepted, declined or cancelled"`
}

func EditDocPage(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_edit_doc_page", Title: "Edit doc page", Toolset: toolkit.ToolsetDocs, Hints: toolkit.Hints{Destructive: true, OpenWorld: true},
		Description: "Append (default) or prepend markdown to a doc page, replace it (mode=replace, destructive: overwrites the whole page) or rename it. Confirm a replace with the user first; dry_run=true shows what it would replace.",
		Examples: []string{
			`{"doc_id": "Sprint 13 planning", "page_id": "Risks", "content": "- The design review moved to Friday."}`,
			`{"doc_id": "Sprint 13 planning", "page_id": "Goals", "content": "# Goals\n\n1. Ship billing v2.", "mode": "replace", "dry_run": true}`,
		},
		Target:  &toolkit.Target{Handler: true, Workspace: "workspace_id"},
		Confirm: true,
	}, func(ctx context.Context, s *workspace.Session, a *EditDocPageArgs) (*EditDocPageResult, string, error) {
		if err := s.RefuseUnscoped("clickup_edit_doc_page", "doc", "changed"); err != nil {
			return nil, "", err
		}
		mode := a.Mode
		switch mode {
		case "":
			mode = clickup.EditAppend
		case clickup.EditAppend, clickup.EditPrepend, clickup.EditReplace:
		default:
			return nil, "", workspace.InvalidArg("mode", "%q is not one of append, prepend, replace", workspace.Truncate(mode, 30))
		}
		name := strings.TrimSpace(a.Name)
		switch {
		case a.Content == "" && a.Mode != "":
			return nil, "", workspace.InvalidArg("content", "mode %s needs content; to clear a page, replace it with a short text", mode)
		case a.Content == "" && name == "":
			return nil, "", workspace.InvalidArg("content", "give content (markdown) to add, or name to rename the page")
		}
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		doc, urlPage, err := resolveDoc(ctx, s, ws, "doc_id", a.DocID, false)
		if err != nil {
			return nil, "", err
		}
		docID := doc.ID.String()
		pageArg := strings.TrimSpace(a.PageID)
		if pageArg == "" {
			pageArg = urlPage
		}
		r := &EditDocPageResult{DocID: docID, Mode: mode, Chars: utf8.RuneCountInString(a.Content), DryRun: a.DryRun}
		if a.Content == "" {
			r.Mode = "rename"
		}
		if docIDRe.MatchString(pageArg) {
			r.PageID = pageArg
		} else {
			// A page by name (or the only page): the listing, no content.
			ps, err := s.Client.Docs.PageListing(ctx, ws, docID)
			if err != nil {
				return nil, "", docNotFound(err, "doc_id", docID)
			}
			p, err := findPage("page_id", pageArg, flattenPages(ps, 0, nil))
			if err != nil {
				return nil, "", err
			}
			r.PageID, r.Page = p.ID.String(), p.Name
		}
		// The page as it is, read at most once (a replace's confirmation,
		// a dry run).
		var current *clickup.DocPage
		read := func() (*clickup.DocPage, error) {
			if current != nil {
				return current, nil
			}
			p, err := s.Client.Docs.Page(ctx, ws, docID, r.PageID, clickup.FormatMarkdown)
			if err != nil {
				if clickup.IsKind(err, clickup.KindNotFound) {
					return nil, workspace.WithHint(err, "No page %s in doc %s: check page_id (clickup_get_doc lists the pages).", r.PageID, docID)
				}
				return nil, err
			}
			current = p
			r.Page = p.Name
			return p, nil
		}
		label := func() string {
			if r.Page != "" {
				return fmt.Sprintf("page %q (%s)", r.Page, r.PageID)
			}
			return "page " + r.PageID
		}
		if a.DryRun {
			p, err := read()
			if err != nil {
				return nil, "", err
			}
			have := utf8.RuneCountInString(p.Content)
			var what string
			switch r.Mode {
			case clickup.EditReplace:
				r.Replaced = have
				what = fmt.Sprintf("replace all %d characters (%d lines) of %s with %d new ones", have, lineCount(p.Content), label(), r.Chars)
			case "rename":
				what = fmt.Sprintf("rename %s to %q", label(), name)
			default:
				what = fmt.Sprintf("%s %d characters to %s (%d characters now)", r.Mode, r.Chars, label(), have)
			}
			return r, "Dry run: would " + what + ". Nothing was changed.", nil
		}
		body := &clickup.PageEdit{Name: name, Content: a.Content, Mode: mode, ContentFormat: clickup.FormatMarkdown}
		rename := a.Content == ""
		if rename {
			// The spec's defaults are content "" and mode replace: a rename
			// says append, so that nothing of the page can go.
			body.Mode, body.ContentFormat = clickup.EditAppend, ""
		}
		if mode == clickup.EditReplace && a.Content != "" {
			dec, err := toolkit.Confirm(ctx, toolkit.Question{
				Subject: docID + "/" + r.PageID, Action: "Replace the page",
				Describe: func() (string, error) {
					p, err := read()
					if err != nil {
						return "", err
					}
					return fmt.Sprintf("Replace the whole content of page %q (%s) of doc %s: %d characters in %d lines, with %d new characters? The old content cannot be restored here.",
						p.Name, r.PageID, docID, utf8.RuneCountInString(p.Content), lineCount(p.Content), r.Chars), nil
				},
			})
			if err != nil {
				return nil, "", err
			}
			if dec != toolkit.NotAsked {
				r.Confirmation = dec.String()
			}
			if !dec.Proceed() {
				return r, toolkit.ConfirmRefusal(dec, label()+" was not replaced"), nil
			}
			if current != nil {
				r.Replaced = utf8.RuneCountInString(current.Content)
			}
		}
		if !rename && (body.Mode == clickup.EditAppend || body.Mode == clickup.EditPrepend) {
			how, err := editOnce(ctx, s, ws, docID, r.PageID, body)
			if err != nil {
				return nil, "", err
			}
			r.Changed, r.Deduplicated = true, how == writeguard.FoundEarlier
			if r.Deduplicated {
				return r, fmt.Sprintf("The same %s to %s was applied moments ago: not applied again.", body.Mode, label()), nil
			}
		} else if err := s.Client.Docs.EditPage(ctx, ws, docID, r.PageID, body); err != nil {
			return nil, "", pageErr(err, r.PageID, docID)
		}
		r.Changed = true
		var text string
		switch r.Mode {
		case clickup.EditAppend:
			text = fmt.Sprintf("Appended %d characters to %s of doc %s.", r.Chars, label(), docID)
		case clickup.EditPrepend:
			text = fmt.Sprintf("Prepended %d characters to %s of doc %s.", r.Chars, label(), docID)
		case clickup.EditReplace:
			text = fmt.Sprintf("Replaced the content of %s of doc %s with %d characters.", label(), docID, r.Chars)
		default:
			text = fmt.Sprintf("Renamed %s of doc %s to %q.", label(), docID, name)
		}
		if name != "" && r.Mode != "rename" {
			text += fmt.Sprintf(" Renamed it to %q.", name)
		}
		return r, text, nil
	})
}

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1
}

func pageErr(err error, pageID, docID string) error {
	if clickup.IsKind(err, clickup.KindNotFound) {
		return workspace.WithHint(err, "No page %s in doc %s: check doc_id and page_id (clickup_get_doc lists the pages).", pageID, docID)
	}
	return err
}

// editOnce sends an append or prepend under the write guard: they are not
// idempotent, so an identical edit moments ago is not applied again, and a
// lost answer is checked on the page (its last editor, the time and the
// text).
func editOnce(ctx context.Context, s *workspace.Session, ws, docID, pageID string, body *clickup.PageEdit) (writeguard.How, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return 0, err
	}
	tk, err := s.BeginWrite(ctx, "edit_doc_page", ws, docID, pageID, body)
	if err != nil {
		return 0, workspace.GuardErr(err, "")
	}
	defer tk.Close()
	if tk.Replay != nil {
		return writeguard.FoundEarlier, nil
	}
	// The page is the same for every edit of it: the ref names this edit,
	// so that a check never takes another edit's text for this one's.
	ref := pageID + "#" + writeguard.Digest(body)
	_, how, err := tk.Send(ctx, writeguard.Write{
		What:  body.Mode,
		Where: fmt.Sprintf("read page %s of doc %s (clickup_get_doc) for the text", pageID, docID),
		Send: func(ctx context.Context) (string, error) {
			if err := s.Client.Docs.EditPage(ctx, ws, docID, pageID, body); err != nil {
				return "", pageErr(err, pageID, docID)
			}
			return ref, nil
		},
		Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
			ev := writeguard.Evidence{Self: strconv.FormatInt(int64(me.ID), 10)}
			p, err := s.Client.Docs.Page(ctx, ws, docID, pageID, clickup.FormatMarkdown)
			if err != nil {
				return ev, err
			}
			have, sent := workspace.NormText(p.Content), workspace.NormText(body.Content)
			landed := strings.HasSuffix(have, sent)
			if body.Mode == clickup.EditPrepend {
				landed = strings.HasPrefix(have, sent)
			}
			if landed {
				at, by := p.Edited, int64(p.EditedBy)
				if at == 0 {
					at = p.Updated
				}
				ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: ref, Label: p.Name, Creator: strconv.FormatInt(by, 10), Created: at.Time()})
			}
			return ev, nil
		},
	})
	if err != nil {
		var ce *clickup.Error
		if errors.As(err, &ce) && !ce.MaybeApplied {
			return 0, err
		}
		return 0, workspace.GuardErr(err, "")
	}
	tk.Done(ctx, ref, nil)
	return how, nil
}
