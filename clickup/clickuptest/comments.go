package clickuptest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const commentPageSize = 25

type jCommentPart struct {
	Text string `json:"text"`
}

type jComment struct {
	ID          string         `json:"id"`
	Comment     []jCommentPart `json:"comment"`
	CommentText string         `json:"comment_text"`
	User        jUser          `json:"user"`
	Resolved    bool           `json:"resolved"`
	Assignee    *jUser         `json:"assignee"`
	AssignedBy  *jUser         `json:"assigned_by"`
	Reactions   []any          `json:"reactions"`
	Date        string         `json:"date"`
	ReplyCount  string         `json:"reply_count"`
}

func commentNum(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// newerFirst orders comments newest first (by date, then by id).
func newerFirst(a, b *Comment) int {
	if !a.Date.Equal(b.Date) {
		return b.Date.Compare(a.Date)
	}
	return int(commentNum(b.ID) - commentNum(a.ID))
}

// getComments pages newest first, 25 at a time. The next page is asked for
// with start = date and start_id = id of the last comment received: it
// holds the comments older than that one.
func (c *call) getComments() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	start, hasStart, e := intParam(c.q, "start")
	if e != nil {
		return e
	}
	startID := first(c.q["start_id"])
	all := slices.Clone(c.s.comments[t.ID])
	slices.SortFunc(all, newerFirst)
	out := []jComment{}
	for _, cm := range all {
		if hasStart {
			ms := cm.Date.UnixMilli()
			if ms > start {
				continue
			}
			if ms == start && (startID == "" || commentNum(cm.ID) >= commentNum(startID)) {
				continue
			}
		}
		if len(out) == commentPageSize {
			break
		}
		out = append(out, c.s.renderComment(cm))
	}
	return jsonResp(200, map[string]any{"comments": out})
}

// thread finds the comment whose thread a reply route names, in a
// workspace the token can see.
func (c *call) thread() (*Comment, *response) {
	id := c.params["comment_id"]
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return nil, badInput("Comment id")
	}
	p := c.s.commentByID(id)
	if p == nil {
		return nil, errResp(http.StatusNotFound, "Comment not found", "COMMENT_002")
	}
	if _, e := c.resolveTask(p.TaskID); e != nil {
		return nil, e
	}
	return p, nil
}

// getReplies answers GET /v2/comment/{comment_id}/reply: the thread, oldest
// first, without the comment itself.
func (c *call) getReplies() *response {
	p, e := c.thread()
	if e != nil {
		return e
	}
	out := []jComment{}
	for _, r := range c.s.replies[p.ID] {
		out = append(out, c.s.renderComment(r))
	}
	return jsonResp(200, map[string]any{"comments": out})
}

// createReply answers POST /v2/comment/{comment_id}/reply with the body of
// a task comment; the answer is {}, as the spec documents.
func (c *call) createReply() *response {
	p, e := c.thread()
	if e != nil {
		return e
	}
	text, assignee, e := c.commentBody(c.s.tasks[p.TaskID])
	if e != nil {
		return e
	}
	c.s.insertReply(p, Comment{UserID: c.auth.userID, Text: text, Assignee: assignee})
	return jsonResp(200, struct{}{})
}

func (s *Server) renderComment(cm *Comment) jComment {
	j := jComment{
		ID: cm.ID, Comment: []jCommentPart{{Text: cm.Text}}, CommentText: cm.Text,
		User: s.jUser(cm.UserID), Resolved: cm.Resolved, Reactions: []any{},
		Date: strconv.FormatInt(cm.Date.UnixMilli(), 10), ReplyCount: strconv.Itoa(len(s.replies[cm.ID])),
	}
	if cm.Assignee != 0 {
		a, by := s.jUser(cm.Assignee), s.jUser(cm.UserID)
		j.Assignee, j.AssignedBy = &a, &by
	}
	return j
}

func (c *call) createComment() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	text, assignee, e := c.commentBody(t)
	if e != nil {
		return e
	}
	cm := c.s.insertComment(t.ID, Comment{UserID: c.auth.userID, Text: text, Assignee: assignee})
	c.s.histSeq++
	return jsonResp(200, map[string]any{
		"id":      cm.ID,
		"hist_id": strconv.FormatInt(c.s.histSeq, 10),
		"date":    cm.Date.UnixMilli(),
	})
}

// commentBody reads the body of a new comment or reply on task t: its
// text (plain or rich) and assignee (0 when not a member of t's workspace).
func (c *call) commentBody(t *Task) (string, int64, *response) {
	b, e := parseBody(c.body)
	if e != nil {
		return "", 0, e
	}
	text, _, err := b.str("comment_text")
	if err != nil {
		return "", 0, errResp(http.StatusBadRequest, "Comment text invalid", "COMMENT_001")
	}
	if text == "" && b.has("comment") {
		// The rich form: [{"text": "..."}, {"type": "tag", "user": {...}}, ...].
		var parts []struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(b["comment"], &parts) == nil {
			var sb strings.Builder
			for _, p := range parts {
				sb.WriteString(p.Text)
			}
			text = sb.String()
		}
	}
	if strings.TrimSpace(text) == "" {
		return "", 0, errResp(http.StatusBadRequest, "Comment text invalid", "COMMENT_001")
	}
	assignee, _, err := b.int64("assignee")
	if err != nil {
		return "", 0, badInput("Assignee")
	}
	if _, err := b.boolean("notify_all"); err != nil {
		return "", 0, badInput("Notify all")
	}
	if assignee != 0 && len(c.memberIDs(c.s.wsIDOfTask(t), []int64{assignee})) == 0 {
		assignee = 0
	}
	return text, assignee, nil
}

// --- tags ---

func (c *call) getSpaceTags() *response {
	sp, e := c.resolveSpace(c.params["space_id"])
	if e != nil {
		return e
	}
	out := make([]jTag, 0, len(sp.Tags))
	for _, t := range sp.Tags {
		out = append(out, jTag(t))
	}
	return jsonResp(200, map[string]any{"tags": out})
}

// addTaskTag tags a task; a tag new to the Space is created there, as
// ClickUp does. The answer is an empty object.
func (c *call) addTaskTag() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	name := strings.TrimSpace(c.params["tag_name"])
	if name == "" {
		return badInput("Tag name")
	}
	tag := c.s.ensureSpaceTag(c.s.listOf(t).SpaceID, name, c.auth.userID)
	if !slices.Contains(t.Tags, tag) {
		t.Tags = append(t.Tags, tag)
		t.DateUpdated = c.s.now()
	}
	return jsonResp(200, struct{}{})
}

// removeTaskTag untags a task; removing a tag the task does not have is
// not an error.
func (c *call) removeTaskTag() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	name := strings.ToLower(strings.TrimSpace(c.params["tag_name"]))
	if i := slices.Index(t.Tags, name); i >= 0 {
		t.Tags = slices.Delete(t.Tags, i, i+1)
		t.DateUpdated = c.s.now()
	}
	return jsonResp(200, struct{}{})
}
