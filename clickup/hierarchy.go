package clickup

import (
	"context"
)

// Me returns the authorized user (GET /v2/user).
func (s *UsersService) Me(ctx context.Context) (*User, error) {
	var out struct {
		User User `json:"user"`
	}
	if err := s.c.do(ctx, &call{method: get, path: "/v2/user"}, &out); err != nil {
		return nil, err
	}
	return &out.User, nil
}

// List returns the workspaces the token may use, with their members
// (GET /v2/team).
func (s *WorkspacesService) List(ctx context.Context) ([]Team, error) {
	var out struct {
		Teams []Team `json:"teams"`
	}
	if err := s.c.do(ctx, &call{method: get, path: "/v2/team"}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Teams), nil
}

// List returns a workspace's spaces (GET /v2/team/{team_id}/space).
func (s *SpacesService) List(ctx context.Context, teamID string, archived bool) ([]Space, error) {
	p, err := pathFor("/v2/team/%s/space", teamID)
	if err != nil {
		return nil, invalid(get, "/v2/team/{team_id}/space", err)
	}
	var q query
	q.boolean("archived", archived)
	var out struct {
		Spaces []Space `json:"spaces"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Spaces), nil
}

// Get returns one space (GET /v2/space/{space_id}).
func (s *SpacesService) Get(ctx context.Context, spaceID string) (*Space, error) {
	p, err := pathFor("/v2/space/%s", spaceID)
	if err != nil {
		return nil, invalid(get, "/v2/space/{space_id}", err)
	}
	var out Space
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns a space's folders with their lists
// (GET /v2/space/{space_id}/folder).
func (s *FoldersService) List(ctx context.Context, spaceID string, archived bool) ([]Folder, error) {
	p, err := pathFor("/v2/space/%s/folder", spaceID)
	if err != nil {
		return nil, invalid(get, "/v2/space/{space_id}/folder", err)
	}
	var q query
	q.boolean("archived", archived)
	var out struct {
		Folders []Folder `json:"folders"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Folders), nil
}

// Get returns one folder (GET /v2/folder/{folder_id}).
func (s *FoldersService) Get(ctx context.Context, folderID string) (*Folder, error) {
	p, err := pathFor("/v2/folder/%s", folderID)
	if err != nil {
		return nil, invalid(get, "/v2/folder/{folder_id}", err)
	}
	var out Folder
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListInFolder returns a folder's lists (GET /v2/folder/{folder_id}/list).
func (s *ListsService) ListInFolder(ctx context.Context, folderID string, archived bool) ([]List, error) {
	return s.lists(ctx, "/v2/folder/%s/list", "/v2/folder/{folder_id}/list", folderID, archived)
}

// ListFolderless returns the lists that sit directly in a space
// (GET /v2/space/{space_id}/list).
func (s *ListsService) ListFolderless(ctx context.Context, spaceID string, archived bool) ([]List, error) {
	return s.lists(ctx, "/v2/space/%s/list", "/v2/space/{space_id}/list", spaceID, archived)
}

func (s *ListsService) lists(ctx context.Context, pattern, template, id string, archived bool) ([]List, error) {
	p, err := pathFor(pattern, id)
	if err != nil {
		return nil, invalid(get, template, err)
	}
	var q query
	q.boolean("archived", archived)
	var out struct {
		Lists []List `json:"lists"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Lists), nil
}

// Get returns one list with its statuses (GET /v2/list/{list_id}).
func (s *ListsService) Get(ctx context.Context, listID string) (*List, error) {
	p, err := pathFor("/v2/list/%s", listID)
	if err != nil {
		return nil, invalid(get, "/v2/list/{list_id}", err)
	}
	var out List
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Members returns the people with explicit access to a list
// (GET /v2/list/{list_id}/member); workspace members are in
// Workspaces.List.
func (s *ListsService) Members(ctx context.Context, listID string) ([]User, error) {
	p, err := pathFor("/v2/list/%s/member", listID)
	if err != nil {
		return nil, invalid(get, "/v2/list/{list_id}/member", err)
	}
	return s.c.members(ctx, p)
}

func (c *Client) members(ctx context.Context, path string) ([]User, error) {
	var out struct {
		Members []User `json:"members"`
	}
	if err := c.do(ctx, &call{method: get, path: path}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Members), nil
}

// nonNil turns a missing array into an empty one, so results render as []
// rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
