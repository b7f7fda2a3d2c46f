package clickup

import (
	"context"
	"errors"
	"strings"
)

// ListCreate is the body of POST /v2/folder/{folder_id}/list and
// /v2/space/{space_id}/list. Name is required; Status is the list's colour,
// not a task status.
type ListCreate struct {
	Name            string `json:"name"`
	Content         string `json:"content,omitempty"`
	MarkdownContent string `json:"markdown_content,omitempty"`
	DueDate         Millis `json:"due_date,omitempty"`
	Priority        int    `json:"priority,omitempty"`
	Assignee        int64  `json:"assignee,omitempty"`
	Status          string `json:"status,omitempty"`
}

// FolderCreate is the body of POST /v2/space/{space_id}/folder.
type FolderCreate struct {
	Name           string `json:"name"`
	ParentFolderID string `json:"parent_folder_id,omitempty"`
}

// FromTemplate is the body of the create-from-template endpoints
// (CreateFolderListFromTemplate, CreateSpaceListFromTemplate,
// CreateFolderFromTemplate). ClickUp applies a template asynchronously by
// default (return_immediately true): the id comes back before the nested
// lists and tasks exist.
type FromTemplate struct {
	Name    string           `json:"name"`
	Options *TemplateOptions `json:"options,omitempty"`
}

// TemplateOptions are the few template options this client sends.
type TemplateOptions struct {
	ReturnImmediately *bool  `json:"return_immediately,omitempty"`
	Content           string `json:"content,omitempty"`
}

// Template is a list or folder template of a workspace; ids carry a "t-"
// prefix, sent as is.
type Template struct {
	ID   FlexString `json:"id"`
	Name string     `json:"name"`
}

func checkName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("a name is required")
	}
	return nil
}

// CreateInFolder creates a list in a folder (POST /v2/folder/{folder_id}/list).
func (s *ListsService) CreateInFolder(ctx context.Context, folderID string, body *ListCreate) (*List, error) {
	return s.create(ctx, "/v2/folder/%s/list", "/v2/folder/{folder_id}/list", folderID, body)
}

// CreateFolderless creates a list directly in a space
// (POST /v2/space/{space_id}/list).
func (s *ListsService) CreateFolderless(ctx context.Context, spaceID string, body *ListCreate) (*List, error) {
	return s.create(ctx, "/v2/space/%s/list", "/v2/space/{space_id}/list", spaceID, body)
}

func (s *ListsService) create(ctx context.Context, pattern, tmpl, id string, body *ListCreate) (*List, error) {
	p, err := pathFor(pattern, id)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || checkName(body.Name) != nil {
		return nil, invalid(post, tmpl, errors.New("a list needs a name"))
	}
	var out List
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Templates returns the workspace's list templates
// (GET /v2/team/{team_id}/list_template).
func (s *ListsService) Templates(ctx context.Context, teamID string) ([]Template, error) {
	return templates(ctx, s.c, "/v2/team/%s/list_template", "/v2/team/{team_id}/list_template", teamID)
}

// Templates returns the workspace's folder templates
// (GET /v2/team/{team_id}/folder_template).
func (s *FoldersService) Templates(ctx context.Context, teamID string) ([]Template, error) {
	return templates(ctx, s.c, "/v2/team/%s/folder_template", "/v2/team/{team_id}/folder_template", teamID)
}

func templates(ctx context.Context, c *Client, pattern, tmpl, teamID string) ([]Template, error) {
	p, err := pathFor(pattern, teamID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out struct {
		Templates []Template `json:"templates"`
	}
	if err := c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Templates), nil
}

// CreateInFolderFromTemplate creates a list from a template in a folder
// (POST /v2/folder/{folder_id}/list_template/{template_id}).
func (s *ListsService) CreateInFolderFromTemplate(ctx context.Context, folderID, templateID string, body *FromTemplate) (*List, error) {
	return s.fromTemplate(ctx, "/v2/folder/%s/list_template/%s", "/v2/folder/{folder_id}/list_template/{template_id}", folderID, templateID, body)
}

// CreateFolderlessFromTemplate creates a list from a template directly in
// a space (POST /v2/space/{space_id}/list_template/{template_id}).
func (s *ListsService) CreateFolderlessFromTemplate(ctx context.Context, spaceID, templateID string, body *FromTemplate) (*List, error) {
	return s.fromTemplate(ctx, "/v2/space/%s/list_template/%s", "/v2/space/{space_id}/list_template/{template_id}", spaceID, templateID, body)
}

func (s *ListsService) fromTemplate(ctx context.Context, pattern, tmpl, parentID, templateID string, body *FromTemplate) (*List, error) {
	p, err := pathFor(pattern, parentID, templateID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || checkName(body.Name) != nil {
		return nil, invalid(post, tmpl, errors.New("a list needs a name"))
	}
	// The answer is {id, list{...}}; the list may still be being filled.
	var out struct {
		ID   FlexString `json:"id"`
		List *List      `json:"list"`
	}
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	l := &List{ID: out.ID, Name: body.Name}
	if out.List != nil {
		l = out.List
		if l.ID == "" {
			l.ID = out.ID
		}
	}
	return l, nil
}

// Create creates a folder in a space (POST /v2/space/{space_id}/folder).
func (s *FoldersService) Create(ctx context.Context, spaceID string, body *FolderCreate) (*Folder, error) {
	const tmpl = "/v2/space/{space_id}/folder"
	p, err := pathFor("/v2/space/%s/folder", spaceID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || checkName(body.Name) != nil {
		return nil, invalid(post, tmpl, errors.New("a folder needs a name"))
	}
	var out Folder
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateFromTemplate creates a folder from a template in a space
// (POST /v2/space/{space_id}/folder_template/{template_id}).
func (s *FoldersService) CreateFromTemplate(ctx context.Context, spaceID, templateID string, body *FromTemplate) (*Folder, error) {
	const tmpl = "/v2/space/{space_id}/folder_template/{template_id}"
	p, err := pathFor("/v2/space/%s/folder_template/%s", spaceID, templateID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || checkName(body.Name) != nil {
		return nil, invalid(post, tmpl, errors.New("a folder needs a name"))
	}
	// The answer is {id (a number), folder{...}}.
	var out struct {
		ID     FlexString `json:"id"`
		Folder *Folder    `json:"folder"`
	}
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	f := &Folder{ID: out.ID, Name: body.Name}
	if out.Folder != nil {
		f = out.Folder
		if f.ID == "" {
			f.ID = out.ID
		}
	}
	return f, nil
}
