package clickuptest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

// Attachments (API-NOTES §5 "Attachments"): POST
// /v2/task/{task_id}/attachment takes multipart/form-data with the file in
// a part named attachment and answers {id, version, date, title,
// extension, thumbnail_small, thumbnail_large, url}; the task's
// attachments[] (GET /v2/task/{id}) then lists it in the spec's shape.

// Attachment is a file on a task. Zero fields are filled in when it is
// stored: ID ("<uuid>.<extension>"), Date (now) and Mimetype (from the
// title's extension, else application/octet-stream).
type Attachment struct {
	ID       string
	Title    string // the file name
	Mimetype string
	Content  []byte
	UserID   int64 // who uploaded it
	Date     time.Time
}

// maxAttachmentBody bounds an upload's request body (the other routes read
// at most 8 MiB): ClickUp documents no limit; this is beyond any cap the
// server is configured with by default.
const maxAttachmentBody = 64 << 20

const attachmentRoute = "POST /v2/task/{task_id}/attachment"

// Attachments returns a copy of a task's attachments, oldest first (for
// tests).
func (s *Server) Attachments(taskID string) []Attachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tasks[taskID]
	if t == nil {
		return nil
	}
	return slices.Clone(t.Attachments)
}

// fillAttachment gives an attachment its id, date and type. Called with
// s.mu held.
func (s *Server) fillAttachment(a *Attachment) {
	if a.ID == "" {
		a.ID = s.uuid()
		if ext := extension(a.Title); ext != "" {
			a.ID += "." + ext
		}
	}
	if a.Date.IsZero() {
		a.Date = s.now()
	}
	if a.Mimetype == "" {
		a.Mimetype = mime.TypeByExtension(path.Ext(a.Title))
		if a.Mimetype == "" {
			a.Mimetype = "application/octet-stream"
		}
	}
}

func extension(name string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
}

// attachmentURL is where ClickUp serves a file: its own host per Workspace.
func attachmentURL(wsID string, a *Attachment) string {
	return "https://t" + wsID + ".p.clickup-attachments.com/t" + wsID + "/" + strings.TrimSuffix(a.ID, path.Ext(a.ID)) + "/" + a.Title
}

// jAttachment is an entry of a task's attachments[], as the spec's
// example; the fields the example sends as null (thumbnails of a file that
// is no image, is_folder, orientation, email_data) are left out, as the
// spec's schema declares none of them nullable.
type jAttachment struct {
	ID               string  `json:"id"`
	Date             int64   `json:"date"`
	Title            string  `json:"title"`
	Type             int     `json:"type"`
	Source           int     `json:"source"`
	Version          int     `json:"version"`
	Extension        string  `json:"extension"`
	ThumbnailSmall   *string `json:"thumbnail_small,omitempty"`
	ThumbnailMedium  *string `json:"thumbnail_medium,omitempty"`
	ThumbnailLarge   *string `json:"thumbnail_large,omitempty"`
	Mimetype         string  `json:"mimetype"`
	Hidden           bool    `json:"hidden"`
	ParentID         string  `json:"parent_id"`
	Size             int64   `json:"size"`
	TotalComments    int     `json:"total_comments"`
	ResolvedComments int     `json:"resolved_comments"`
	User             jUser   `json:"user"`
	Deleted          bool    `json:"deleted"`
	URL              string  `json:"url"`
	URLWQuery        string  `json:"url_w_query"`
	URLWHost         string  `json:"url_w_host"`
}

func (s *Server) renderAttachments(t *Task) []jAttachment {
	ws := s.wsIDOfTask(t)
	out := make([]jAttachment, 0, len(t.Attachments))
	for i := range t.Attachments {
		a := &t.Attachments[i]
		u := attachmentURL(ws, a)
		out = append(out, jAttachment{
			ID: a.ID, Date: a.Date.UnixMilli(), Title: a.Title, Type: 1, Source: 1, Extension: extension(a.Title),
			Mimetype: a.Mimetype, ParentID: t.ID, Size: int64(len(a.Content)), User: s.jUser(a.UserID),
			URL: u, URLWQuery: u + "?view=open", URLWHost: u,
		})
		if strings.HasPrefix(a.Mimetype, "image/") {
			j := &out[len(out)-1]
			j.ThumbnailSmall, j.ThumbnailMedium, j.ThumbnailLarge = &u, &u, &u
		}
	}
	return out
}

// createAttachment: POST /v2/task/{task_id}/attachment. Every part named
// attachment is stored; the answer describes the first. The ECODEs are the
// fake's own (API-NOTES gives none for a malformed upload).
func (c *call) createAttachment() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	if len(c.body) > maxAttachmentBody {
		return errResp(http.StatusRequestEntityTooLarge, "Attachment too large", "UPLOAD_002")
	}
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return errResp(http.StatusBadRequest, "Content-Type must be multipart/form-data", "UPLOAD_001")
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var files []Attachment
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return errResp(http.StatusBadRequest, "Malformed multipart body", "UPLOAD_001")
		}
		if p.FormName() != "attachment" || p.FileName() == "" {
			continue
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return errResp(http.StatusBadRequest, "Malformed multipart body", "UPLOAD_001")
		}
		ct := p.Header.Get("Content-Type")
		if ct == "application/octet-stream" {
			ct = ""
		}
		files = append(files, Attachment{Title: p.FileName(), Mimetype: ct, Content: content, UserID: c.auth.userID})
	}
	if len(files) == 0 {
		return errResp(http.StatusBadRequest, "No attachment supplied", "UPLOAD_001")
	}
	for i := range files {
		c.s.fillAttachment(&files[i])
	}
	t.Attachments = append(t.Attachments, files...)
	a := files[0]
	u := attachmentURL(c.s.wsIDOfTask(t), &a)
	thumb := ""
	if strings.HasPrefix(a.Mimetype, "image/") {
		thumb = u
	}
	return jsonResp(200, map[string]any{
		"id": a.ID, "version": "0", "date": a.Date.UnixMilli(), "title": a.Title, "extension": extension(a.Title),
		"thumbnail_small": thumb, "thumbnail_large": thumb, "url": u,
	})
}
