package clickup

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ListForTask returns one page of a task's comments, newest first, 25 a page
// (GET /v2/task/{task_id}/comment). For the next, older page pass the Date
// and ID of the last comment returned; fewer than 25 means there are no more.
func (s *CommentsService) ListForTask(ctx context.Context, ref TaskRef, page *CommentPageOptions) ([]Comment, error) {
	const tmpl = "/v2/task/{task_id}/comment"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	if page != nil && (page.Start != 0 || page.StartID != "") {
		if page.Start == 0 || page.StartID == "" {
			return nil, invalid(get, tmpl, errors.New("comment paging needs both Start and StartID"))
		}
		q.add("start", strconv.FormatInt(int64(page.Start), 10))
		q.add("start_id", page.StartID)
	}
	var out struct {
		Comments []Comment `json:"comments"`
	}
	if err := s.c.do(ctx, &call{method: get, path: "/v2/task/" + id + "/comment", query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Comments), nil
}

// CreateForTask adds a comment to a task (POST /v2/task/{task_id}/comment).
// Like every POST it is not retried once it may have reached ClickUp.
func (s *CommentsService) CreateForTask(ctx context.Context, ref TaskRef, body *CommentCreate) (*CreatedComment, error) {
	const tmpl = "/v2/task/{task_id}/comment"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || strings.TrimSpace(body.CommentText) == "" {
		return nil, invalid(post, tmpl, errors.New("a comment needs text"))
	}
	var out CreatedComment
	if err := s.c.do(ctx, &call{method: post, path: "/v2/task/" + id + "/comment", query: q.String(), body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListReplies returns the replies in a comment's thread, oldest first
// (GET /v2/comment/{comment_id}/reply); the comment itself is not among
// them. ClickUp pages nothing here: one request holds the whole thread.
func (s *CommentsService) ListReplies(ctx context.Context, commentID string) ([]Comment, error) {
	const tmpl = "/v2/comment/{comment_id}/reply"
	p, err := commentPath(commentID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out struct {
		Comments []Comment `json:"comments"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Comments), nil
}

// CreateReply answers a comment in its thread (POST
// /v2/comment/{comment_id}/reply). The spec documents the answer as an
// empty object: the returned ID may be empty, and then only a read of the
// thread (ListReplies) tells which reply is the new one. Like every POST it
// is not retried once it may have reached ClickUp.
func (s *CommentsService) CreateReply(ctx context.Context, commentID string, body *CommentCreate) (*CreatedComment, error) {
	const tmpl = "/v2/comment/{comment_id}/reply"
	p, err := commentPath(commentID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || strings.TrimSpace(body.CommentText) == "" {
		return nil, invalid(post, tmpl, errors.New("a reply needs text"))
	}
	var out CreatedComment
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// commentPath is a thread's path; comment ids are digits (the spec types
// them as numbers).
func commentPath(id string) (string, error) {
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", fmt.Errorf("comment id %q: want the digits of a comment id", id)
	}
	return pathFor("/v2/comment/%s/reply", id)
}

// ListForSpace returns a space's tags (GET /v2/space/{space_id}/tag).
func (s *TagsService) ListForSpace(ctx context.Context, spaceID string) ([]Tag, error) {
	p, err := pathFor("/v2/space/%s/tag", spaceID)
	if err != nil {
		return nil, invalid(get, "/v2/space/{space_id}/tag", err)
	}
	var out struct {
		Tags []Tag `json:"tags"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Tags), nil
}

// AddToTask tags a task (POST /v2/task/{task_id}/tag/{tag_name}); the tag
// should exist in the task's space.
func (s *TagsService) AddToTask(ctx context.Context, ref TaskRef, tag string) error {
	return s.taskTag(ctx, post, ref, tag)
}

// RemoveFromTask untags a task (DELETE /v2/task/{task_id}/tag/{tag_name}).
func (s *TagsService) RemoveFromTask(ctx context.Context, ref TaskRef, tag string) error {
	return s.taskTag(ctx, del, ref, tag)
}

func (s *TagsService) taskTag(ctx context.Context, method string, ref TaskRef, tag string) error {
	const tmpl = "/v2/task/{task_id}/tag/{tag_name}"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return invalid(method, tmpl, err)
	}
	if err := validTag(tag); err != nil {
		return invalid(method, tmpl, err)
	}
	p := "/v2/task/" + id + "/tag/" + url.PathEscape(tag)
	return s.c.do(ctx, &call{method: method, path: p, query: q.String()}, nil)
}

// ExchangeCode completes the OAuth authorization-code flow
// (POST /v2/oauth/token) and returns the access token. It sends no
// Authorization header; the secret and the code are never logged and are
// scrubbed from errors. A code works once, so this is never retried after
// the request may have been sent.
func (s *OAuthService) ExchangeCode(ctx context.Context, clientID, clientSecret, code string) (string, error) {
	const path = "/v2/oauth/token"
	if clientID == "" || clientSecret == "" || code == "" {
		return "", invalid(post, path, errors.New("client_id, client_secret and code are all required"))
	}
	body := struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Code         string `json:"code"`
	}{clientID, clientSecret, code}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	rq := &call{method: post, path: path, body: body, noAuth: true, secrets: []string{clientSecret, code}}
	if err := s.c.do(ctx, rq, &out); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &Error{Kind: KindDecode, Method: post, Path: path, StatusCode: 200, Message: "no access_token in the response", MaybeApplied: true}
	}
	return out.AccessToken, nil
}
