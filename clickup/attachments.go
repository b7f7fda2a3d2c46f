package clickup

import (
	"context"
	"errors"
)

// Attachment is a file on a task (GetTask's attachments[]).
type Attachment struct {
	ID        FlexString `json:"id"`
	Date      Millis     `json:"date"`
	Title     string     `json:"title"`
	Extension string     `json:"extension,omitempty"`
	Mimetype  string     `json:"mimetype,omitempty"`
	Size      FlexInt    `json:"size,omitempty"`
	User      *User      `json:"user,omitempty"`
	URL       string     `json:"url"`
	Deleted   FlexBool   `json:"deleted,omitempty"`
	Hidden    FlexBool   `json:"hidden,omitempty"`
}

// CreatedAttachment is what POST /v2/task/{task_id}/attachment returns.
type CreatedAttachment struct {
	ID             FlexString `json:"id"`
	Version        FlexString `json:"version"`
	Date           Millis     `json:"date"`
	Title          string     `json:"title"`
	Extension      string     `json:"extension"`
	ThumbnailSmall string     `json:"thumbnail_small"`
	ThumbnailLarge string     `json:"thumbnail_large"`
	URL            string     `json:"url"`
}

// Attach uploads one file to a task (POST /v2/task/{task_id}/attachment,
// multipart/form-data, the file in a part named attachment). The content
// is already in memory, so its bound is the caller's: the body is built
// for exactly this file. Like every POST, it is never retried after a
// failure that may have reached ClickUp.
func (s *TasksService) Attach(ctx context.Context, ref TaskRef, name, contentType string, content []byte) (*CreatedAttachment, error) {
	const tmpl = "/v2/task/{task_id}/attachment"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if name == "" {
		return nil, invalid(post, tmpl, errors.New("a file name is required"))
	}
	body := &Multipart{Files: []FilePart{{Field: "attachment", Name: name, ContentType: contentType, Content: content}}, MaxBytes: max(int64(len(content)), 1)}
	var out CreatedAttachment
	if err := s.c.do(ctx, &call{method: post, path: "/v2/task/" + id + "/attachment", query: q.String(), body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
