package clickup

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// ChatService reads and writes Chat (v3, experimental per API-NOTES §5):
// channels, messages and replies, paged by an opaque cursor. Errors come in
// v3's shape {status, message, trace_id, timestamp}.
type ChatService service

// ChatChannel is a Chat channel, DM or group DM.
type ChatChannel struct {
	ID              FlexString  `json:"id"`
	Name            string      `json:"name"`
	Description     string      `json:"description,omitempty"`
	Topic           string      `json:"topic,omitempty"`
	Type            string      `json:"type"`       // CHANNEL, DM, GROUP_DM
	Visibility      string      `json:"visibility"` // PUBLIC, PRIVATE
	Parent          *ChatParent `json:"parent,omitempty"`
	Creator         FlexString  `json:"creator"`
	CreatedAt       Millis      `json:"created_at"`
	WorkspaceID     FlexString  `json:"workspace_id"`
	Archived        FlexBool    `json:"archived"`
	LatestCommentAt Millis      `json:"latest_comment_at,omitempty"`
}

// ChatParent is where a channel lives (a space, folder, list or the
// workspace), by id and ClickUp's numeric type.
type ChatParent struct {
	ID   FlexString `json:"id"`
	Type FlexInt    `json:"type"`
}

// ChatMessage is a message or a reply.
type ChatMessage struct {
	ID            FlexString `json:"id"`
	Type          string     `json:"type"` // message or post
	Content       string     `json:"content"`
	UserID        FlexString `json:"user_id"`
	Date          Millis     `json:"date"`
	DateUpdated   Millis     `json:"date_updated,omitempty"`
	ParentChannel FlexString `json:"parent_channel"`
	ParentMessage FlexString `json:"parent_message,omitempty"`
	RepliesCount  FlexInt    `json:"replies_count"`
	Resolved      FlexBool   `json:"resolved"`
	Assignee      FlexString `json:"assignee,omitempty"`
}

// ChatChannelPage is one page of channels; NextCursor is "" on the last.
type ChatChannelPage struct {
	Data       []ChatChannel `json:"data"`
	NextCursor string        `json:"next_cursor"`
}

// ChatMessagePage is one page of messages, most recent first.
type ChatMessagePage struct {
	Data       []ChatMessage `json:"data"`
	NextCursor string        `json:"next_cursor"`
}

// ChatPageOptions page a listing: Limit 1 to 100 (ClickUp's default 50).
type ChatPageOptions struct {
	Cursor string
	Limit  int
	// IncludeClosed (channels only): DMs the user closed too.
	IncludeClosed bool
}

func (o *ChatPageOptions) query(q *query, messages bool) error {
	if o == nil {
		return nil
	}
	if o.Limit < 0 || o.Limit > 100 {
		return errors.New("limit must be 1 to 100")
	}
	if o.Cursor != "" {
		q.add("cursor", o.Cursor)
	}
	if o.Limit > 0 {
		q.add("limit", strconv.Itoa(o.Limit))
	}
	if o.IncludeClosed && !messages {
		q.add("include_closed", "true")
	}
	return nil
}

// ChatMessageCreate is the body of a new message or reply: Content in
// markdown (content_format text/md).
type ChatMessageCreate struct {
	Type          string `json:"type"`
	Content       string `json:"content"`
	ContentFormat string `json:"content_format,omitempty"`
}

// Channels returns a page of the workspace's channels and DMs
// (GET /api/v3/workspaces/{workspace_id}/chat/channels).
func (s *ChatService) Channels(ctx context.Context, workspaceID string, o *ChatPageOptions) (*ChatChannelPage, error) {
	const tmpl = "/api/v3/workspaces/{workspace_id}/chat/channels"
	p, err := pathFor("/v3/workspaces/%s/chat/channels", workspaceID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var q query
	if err := o.query(&q, false); err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out ChatChannelPage
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	out.Data = nonNil(out.Data)
	return &out, nil
}

// Messages returns a page of a channel's top-level messages, most recent
// first (GET .../chat/channels/{channel_id}/messages), in markdown.
func (s *ChatService) Messages(ctx context.Context, workspaceID, channelID string, o *ChatPageOptions) (*ChatMessagePage, error) {
	return s.messages(ctx, "/v3/workspaces/%s/chat/channels/%s/messages", "/api/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages", workspaceID, channelID, o)
}

// Replies returns a page of the replies to a message, most recent first
// (GET .../chat/messages/{message_id}/replies), in markdown.
func (s *ChatService) Replies(ctx context.Context, workspaceID, messageID string, o *ChatPageOptions) (*ChatMessagePage, error) {
	return s.messages(ctx, "/v3/workspaces/%s/chat/messages/%s/replies", "/api/v3/workspaces/{workspace_id}/chat/messages/{message_id}/replies", workspaceID, messageID, o)
}

func (s *ChatService) messages(ctx context.Context, pattern, tmpl, ws, id string, o *ChatPageOptions) (*ChatMessagePage, error) {
	p, err := pathFor(pattern, ws, id)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var q query
	if err := o.query(&q, true); err != nil {
		return nil, invalid(get, tmpl, err)
	}
	q.add("content_format", "text/md")
	var out ChatMessagePage
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	out.Data = nonNil(out.Data)
	return &out, nil
}

// Send posts a message to a channel (POST .../chat/channels/{channel_id}/messages).
// Like every POST it is not retried once it may have reached ClickUp.
func (s *ChatService) Send(ctx context.Context, workspaceID, channelID string, body *ChatMessageCreate) (*ChatMessage, error) {
	return s.create(ctx, "/v3/workspaces/%s/chat/channels/%s/messages", "/api/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages", workspaceID, channelID, body)
}

// Reply posts a reply to a message (POST .../chat/messages/{message_id}/replies).
func (s *ChatService) Reply(ctx context.Context, workspaceID, messageID string, body *ChatMessageCreate) (*ChatMessage, error) {
	return s.create(ctx, "/v3/workspaces/%s/chat/messages/%s/replies", "/api/v3/workspaces/{workspace_id}/chat/messages/{message_id}/replies", workspaceID, messageID, body)
}

func (s *ChatService) create(ctx context.Context, pattern, tmpl, ws, id string, body *ChatMessageCreate) (*ChatMessage, error) {
	p, err := pathFor(pattern, ws, id)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || strings.TrimSpace(body.Content) == "" {
		return nil, invalid(post, tmpl, errors.New("a message needs content"))
	}
	b := *body
	if b.Type == "" {
		b.Type = "message"
	}
	if b.ContentFormat == "" {
		b.ContentFormat = "text/md"
	}
	var out ChatMessage
	if err := s.c.do(ctx, &call{method: post, path: p, body: &b}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
