package clickup

import (
	"context"
	"errors"
	"strconv"
)

// DocsService reads and writes Docs and their pages (API v3 only:
// /v3/workspaces/{workspace_id}/docs...). v3 errors come as {status,
// message}; the client reads them like v2's.
type DocsService service

// The parent types of a Doc (ParentDto.type).
const (
	DocParentSpace      = 4
	DocParentFolder     = 5
	DocParentList       = 6
	DocParentEverything = 7
	DocParentWorkspace  = 12
)

// DocParent is where a Doc lives.
type DocParent struct {
	ID   FlexString `json:"id"`
	Type FlexInt    `json:"type"`
}

// Doc is a Doc (searchDocsPublic's items, getDocPublic, createDocPublic).
type Doc struct {
	ID          FlexString `json:"id"`
	Name        string     `json:"name"`
	Type        FlexInt    `json:"type"`
	Parent      DocParent  `json:"parent"`
	Public      FlexBool   `json:"public"`
	WorkspaceID FlexString `json:"workspace_id"`
	Creator     FlexInt    `json:"creator"`
	Created     Millis     `json:"date_created"`
	Updated     Millis     `json:"date_updated"`
	Deleted     FlexBool   `json:"deleted"`
	Archived    FlexBool   `json:"archived"`
}

// DocPage is a page of a Doc; Pages are its sub-pages. Content is set only
// where ClickUp sends it (the pages and page endpoints, not the listing).
type DocPage struct {
	ID           FlexString `json:"id"`
	DocID        FlexString `json:"doc_id"`
	ParentPageID FlexString `json:"parent_page_id"`
	Name         string     `json:"name"`
	SubTitle     string     `json:"sub_title"`
	Content      string     `json:"content"`
	Created      Millis     `json:"date_created"`
	Updated      Millis     `json:"date_updated"`
	CreatorID    FlexInt    `json:"creator_id"`
	EditedBy     FlexInt    `json:"edited_by"`
	Edited       Millis     `json:"date_edited"`
	Pages        []DocPage  `json:"pages"`
}

// DocSearchOptions filter GET /v3/workspaces/{workspace_id}/docs. ClickUp
// has no text search: names are filtered by the caller.
type DocSearchOptions struct {
	ID         string
	Creator    int64
	Deleted    bool
	Archived   bool
	ParentID   string
	ParentType string // SPACE, FOLDER, LIST, EVERYTHING, WORKSPACE (or 4, 5, 6, 7, 12)
	Limit      int    // 10 to 100; 0 = ClickUp's default (50)
	Cursor     string
}

// DocSearchResult is one page of a Doc search; NextCursor is empty on the
// last page.
type DocSearchResult struct {
	Docs       []Doc  `json:"docs"`
	NextCursor string `json:"next_cursor"`
}

// Content formats of page content.
const (
	FormatMarkdown = "text/md"
	FormatPlain    = "text/plain"
)

func docsPath(ws string, rest string, ids ...string) (string, error) {
	return pathFor("/v3/workspaces/%s/docs"+rest, append([]string{ws}, ids...)...)
}

// Search lists a workspace's Docs, one page at a time (searchDocsPublic).
func (s *DocsService) Search(ctx context.Context, ws string, o *DocSearchOptions) (*DocSearchResult, error) {
	const tmpl = "/v3/workspaces/{workspace_id}/docs"
	p, err := docsPath(ws, "")
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var q query
	if o != nil {
		if o.Limit != 0 && (o.Limit < 10 || o.Limit > 100) {
			return nil, invalid(get, tmpl, errors.New("limit must be 10 to 100"))
		}
		if (o.ParentID == "") != (o.ParentType == "") {
			return nil, invalid(get, tmpl, errors.New("parent_id and parent_type go together"))
		}
		q.str("id", o.ID)
		if o.Creator != 0 {
			q.add("creator", strconv.FormatInt(o.Creator, 10))
		}
		q.flag("deleted", o.Deleted)
		q.flag("archived", o.Archived)
		q.str("parent_id", o.ParentID)
		q.str("parent_type", o.ParentType)
		if o.Limit != 0 {
			q.add("limit", strconv.Itoa(o.Limit))
		}
		q.str("cursor", o.Cursor)
	}
	var out DocSearchResult
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	out.Docs = nonNil(out.Docs)
	return &out, nil
}

// Get reads one Doc (getDocPublic).
func (s *DocsService) Get(ctx context.Context, ws, docID string) (*Doc, error) {
	p, err := docsPath(ws, "/%s", docID)
	if err != nil {
		return nil, invalid(get, "/v3/workspaces/{workspace_id}/docs/{doc_id}", err)
	}
	var out Doc
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PageListing returns a Doc's page tree without content, every depth
// (getDocPageListingPublic with max_page_depth=-1).
func (s *DocsService) PageListing(ctx context.Context, ws, docID string) ([]DocPage, error) {
	p, err := docsPath(ws, "/%s/page_listing", docID)
	if err != nil {
		return nil, invalid(get, "/v3/workspaces/{workspace_id}/docs/{doc_id}/page_listing", err)
	}
	var out []DocPage
	if err := s.c.do(ctx, &call{method: get, path: p, query: "max_page_depth=-1"}, &out); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

func contentFormat(f string) (string, error) {
	switch f {
	case "":
		return FormatMarkdown, nil
	case FormatMarkdown, FormatPlain:
		return f, nil
	}
	return "", errors.New("content_format must be text/md or text/plain")
}

// Pages returns a Doc's pages with their content, every depth
// (getDocPagesPublic); format is text/md (the default) or text/plain.
func (s *DocsService) Pages(ctx context.Context, ws, docID, format string) ([]DocPage, error) {
	const tmpl = "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages"
	p, err := docsPath(ws, "/%s/pages", docID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	f, err := contentFormat(format)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var q query
	q.add("max_page_depth", "-1")
	q.add("content_format", f)
	var out []DocPage
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

// Page reads one page with its content (getPagePublic).
func (s *DocsService) Page(ctx context.Context, ws, docID, pageID, format string) (*DocPage, error) {
	const tmpl = "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}"
	p, err := docsPath(ws, "/%s/pages/%s", docID, pageID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	f, err := contentFormat(format)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out DocPage
	if err := s.c.do(ctx, &call{method: get, path: p, query: "content_format=" + escapeQuery(f)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DocCreate is the body of createDocPublic. ClickUp ignores content here
// (there is no field for it): create the Doc with CreatePage false, then
// its first page with the content.
type DocCreate struct {
	Name       string    `json:"name"`
	Parent     DocParent `json:"parent"`
	Visibility string    `json:"visibility,omitempty"` // PUBLIC, PRIVATE, PERSONAL, HIDDEN
	CreatePage bool      `json:"create_page"`
}

// Create makes a Doc (createDocPublic). Like every POST it is not retried
// once it may have reached ClickUp.
func (s *DocsService) Create(ctx context.Context, ws string, body *DocCreate) (*Doc, error) {
	const tmpl = "/v3/workspaces/{workspace_id}/docs"
	p, err := docsPath(ws, "")
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || body.Name == "" {
		return nil, invalid(post, tmpl, errors.New("a doc needs a name"))
	}
	if err := ValidID(string(body.Parent.ID)); err != nil {
		return nil, invalid(post, tmpl, errors.New("a doc needs a parent"))
	}
	var out Doc
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PageCreate is the body of createPagePublic.
type PageCreate struct {
	ParentPageID  string `json:"parent_page_id,omitempty"`
	Name          string `json:"name"`
	SubTitle      string `json:"sub_title,omitempty"`
	Content       string `json:"content"`
	ContentFormat string `json:"content_format"`
}

// CreatePage adds a page to a Doc (createPagePublic); not retried once it
// may have reached ClickUp.
func (s *DocsService) CreatePage(ctx context.Context, ws, docID string, body *PageCreate) (*DocPage, error) {
	const tmpl = "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages"
	p, err := docsPath(ws, "/%s/pages", docID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil {
		return nil, invalid(post, tmpl, errors.New("no page"))
	}
	if body.ContentFormat, err = contentFormat(body.ContentFormat); err != nil {
		return nil, invalid(post, tmpl, err)
	}
	var out DocPage
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Edit modes of PageEdit.
const (
	EditReplace = "replace"
	EditAppend  = "append"
	EditPrepend = "prepend"
)

// PageEdit is the body of editPagePublic. Name, when empty, is not sent
// (the page keeps its name); Content is sent with Mode.
type PageEdit struct {
	Name          string `json:"name,omitempty"`
	SubTitle      string `json:"sub_title,omitempty"`
	Content       string `json:"content,omitempty"`
	Mode          string `json:"content_edit_mode,omitempty"`
	ContentFormat string `json:"content_format,omitempty"`
}

// EditPage changes a page (editPagePublic). An append or prepend is not
// idempotent, so a lost answer is not retried: the error says it may have
// been applied.
func (s *DocsService) EditPage(ctx context.Context, ws, docID, pageID string, body *PageEdit) error {
	const tmpl = "/v3/workspaces/{workspace_id}/docs/{doc_id}/pages/{page_id}"
	p, err := docsPath(ws, "/%s/pages/%s", docID, pageID)
	if err != nil {
		return invalid(put, tmpl, err)
	}
	if body == nil || body.Name == "" && body.SubTitle == "" && body.Content == "" && body.Mode != EditReplace {
		return invalid(put, tmpl, errors.New("nothing to change"))
	}
	switch body.Mode {
	case "", EditReplace, EditAppend, EditPrepend:
	default:
		return invalid(put, tmpl, errors.New("content_edit_mode must be replace, append or prepend"))
	}
	if body.Content != "" || body.Mode == EditReplace {
		if body.ContentFormat, err = contentFormat(body.ContentFormat); err != nil {
			return invalid(put, tmpl, err)
		}
	}
	rq := &call{method: put, path: p, body: body, allowEmpty: true}
	if body.Mode == EditAppend || body.Mode == EditPrepend {
		rq.once = true
	}
	return s.c.do(ctx, rq, nil)
}
