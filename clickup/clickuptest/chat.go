package clickuptest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Chat (v3, API-NOTES §5 "Chat"): channels and DMs of a Workspace, their
// top-level messages and the replies under a message, each listing most
// recent first and paged by an opaque cursor (limit 1 to 100, default 50;
// next_cursor "" on the last page). Errors are v3's {status, message,
// trace_id, timestamp} (the server re-renders them).

// ChatChannel is a Chat channel (Type "CHANNEL") or a direct message
// ("DM", "GROUP_DM": MemberIDs are its people, and only they see it).
type ChatChannel struct {
	ID          string // "" = generated
	Name        string
	Topic       string
	Description string
	Type        string // "" = CHANNEL
	Private     bool
	MemberIDs   []int64
	CreatorID   int64
	Created     time.Time // zero = now

	WorkspaceID string // set by AddChatChannel
}

// ChatMessage is a message in a channel, or a reply when ParentID is set.
type ChatMessage struct {
	ID        string // "" = generated
	ChannelID string // set by AddChatMessage (from the parent for a reply)
	ParentID  string // the message replied to
	UserID    int64
	Content   string
	Date      time.Time // zero = now
}

type chatState struct {
	channels []*ChatChannel
	messages []*ChatMessage
	seq      int64
}

func (s *Server) chatID() string {
	s.chat.seq++
	return strconv.FormatInt(80150000000+s.chat.seq, 10)
}

// AddChatChannel adds a channel or DM to a Workspace.
func (s *Server) AddChatChannel(wsID string, ch ChatChannel) ChatChannel {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaces[wsID] == nil {
		panic("clickuptest: unknown workspace " + wsID)
	}
	if ch.ID == "" {
		ch.ID = "8c" + s.chatID()
	}
	if ch.Type == "" {
		ch.Type = "CHANNEL"
	}
	if ch.Created.IsZero() {
		ch.Created = s.now()
	}
	ch.WorkspaceID = wsID
	ch.MemberIDs = slices.Clone(ch.MemberIDs)
	cp := ch
	s.chat.channels = append(s.chat.channels, &cp)
	return ch
}

// AddChatMessage adds a message to a channel, or a reply to a message
// (ParentID).
func (s *Server) AddChatMessage(m ChatMessage) ChatMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.ParentID != "" {
		p := s.chatMessage(m.ParentID)
		if p == nil {
			panic("clickuptest: unknown chat message " + m.ParentID)
		}
		m.ChannelID = p.ChannelID
	} else if s.chatChannel(m.ChannelID) == nil {
		panic("clickuptest: unknown chat channel " + m.ChannelID)
	}
	return *s.insertChatMessage(m)
}

func (s *Server) insertChatMessage(m ChatMessage) *ChatMessage {
	s.gen++
	if m.ID == "" {
		m.ID = s.chatID()
	}
	if m.Date.IsZero() {
		m.Date = s.now()
	}
	p := &m
	s.chat.messages = append(s.chat.messages, p)
	return p
}

// ChatMessages returns a copy of a channel's messages and replies, oldest
// first (for tests).
func (s *Server) ChatMessages(channelID string) []ChatMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChatMessage
	for _, m := range s.chat.messages {
		if m.ChannelID == channelID {
			out = append(out, *m)
		}
	}
	slices.SortStableFunc(out, func(a, b ChatMessage) int { return a.Date.Compare(b.Date) })
	return out
}

func (s *Server) chatChannel(id string) *ChatChannel {
	for _, ch := range s.chat.channels {
		if ch.ID == id {
			return ch
		}
	}
	return nil
}

func (s *Server) chatMessage(id string) *ChatMessage {
	for _, m := range s.chat.messages {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// chatSees: a channel is seen by every member of its Workspace; a DM by its
// people only.
func (c *call) chatSees(ch *ChatChannel) bool {
	if ch == nil || ch.WorkspaceID != c.params["workspace_id"] {
		return false
	}
	return ch.Type == "CHANNEL" || slices.Contains(ch.MemberIDs, c.auth.userID)
}

type jChatChannel struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Description     string         `json:"description,omitempty"`
	Topic           string         `json:"topic,omitempty"`
	Type            string         `json:"type"`
	Visibility      string         `json:"visibility"`
	Parent          map[string]any `json:"parent"`
	Creator         string         `json:"creator"`
	CreatedAt       string         `json:"created_at"`
	UpdatedAt       string         `json:"updated_at"`
	WorkspaceID     string         `json:"workspace_id"`
	Archived        bool           `json:"archived"`
	LatestCommentAt string         `json:"latest_comment_at,omitempty"`
	ChannelType     int            `json:"channel_type"`
	Links           map[string]any `json:"links"`
}

type jChatMessage struct {
	ID            string         `json:"id"`
	Type          string         `json:"type"`
	Content       string         `json:"content"`
	UserID        string         `json:"user_id"`
	Date          int64          `json:"date"`
	ParentChannel string         `json:"parent_channel"`
	ParentMessage string         `json:"parent_message,omitempty"`
	Resolved      bool           `json:"resolved"`
	RepliesCount  *int           `json:"replies_count,omitempty"`
	Links         map[string]any `json:"links"`
}

func (c *call) renderChannel(ch *ChatChannel) jChatChannel {
	vis := "PUBLIC"
	if ch.Private || ch.Type != "CHANNEL" {
		vis = "PRIVATE"
	}
	base := "/api/v3/workspaces/" + ch.WorkspaceID + "/chat/channels/" + ch.ID
	j := jChatChannel{
		ID: ch.ID, Name: ch.Name, Description: ch.Description, Topic: ch.Topic, Type: ch.Type, Visibility: vis,
		Parent:  map[string]any{"id": ch.WorkspaceID, "type": 7},
		Creator: strconv.FormatInt(ch.CreatorID, 10), CreatedAt: strconv.FormatInt(ch.Created.UnixMilli(), 10),
		WorkspaceID: ch.WorkspaceID, ChannelType: 1,
		Links: map[string]any{"members": base + "/members", "followers": base + "/followers"},
	}
	latest := ch.Created
	for _, m := range c.s.chat.messages {
		if m.ChannelID == ch.ID && m.Date.After(latest) {
			latest = m.Date
		}
	}
	j.UpdatedAt = strconv.FormatInt(latest.UnixMilli(), 10)
	if latest.After(ch.Created) {
		j.LatestCommentAt = j.UpdatedAt
	}
	return j
}

func (c *call) renderMessage(m *ChatMessage) jChatMessage {
	base := "/api/v3/workspaces/" + c.params["workspace_id"] + "/chat/messages/" + m.ID
	j := jChatMessage{ID: m.ID, Type: "message", Content: m.Content, UserID: strconv.FormatInt(m.UserID, 10),
		Date: m.Date.UnixMilli(), ParentChannel: m.ChannelID, ParentMessage: m.ParentID,
		Links: map[string]any{"reactions": base + "/reactions", "tagged_users": base + "/tagged_users"}}
	if m.ParentID == "" {
		n := 0
		for _, r := range c.s.chat.messages {
			if r.ParentID == m.ID {
				n++
			}
		}
		j.RepliesCount = &n
		j.Links["replies"] = base + "/replies"
	}
	return j
}

// chatPage reads cursor and limit; the cursor is an opaque offset.
func (c *call) chatPage() (offset, limit int, e *response) {
	limit = 50
	if v := c.q["limit"]; len(v) > 0 {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 100 {
			return 0, 0, errResp(http.StatusBadRequest, "limit must be an integer from 1 to 100", "CHAT_400")
		}
		limit = n
	}
	if v := c.q["cursor"]; len(v) > 0 && v[0] != "" {
		b, err := base64.RawURLEncoding.DecodeString(v[0])
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "o:"))
		if err != nil || err2 != nil || n < 0 || !strings.HasPrefix(string(b), "o:") {
			return 0, 0, errResp(http.StatusBadRequest, "Invalid cursor", "CHAT_400")
		}
		offset = n
	}
	return offset, limit, nil
}

func nextCursor(offset, limit, total int) string {
	if offset+limit >= total {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset+limit)))
}

func (c *call) getChatChannels() *response {
	if !c.s.tokenSees(c.auth, c.params["workspace_id"]) {
		return teamNotAuthorized()
	}
	off, limit, e := c.chatPage()
	if e != nil {
		return e
	}
	var seen []*ChatChannel
	for _, ch := range c.s.chat.channels {
		if c.chatSees(ch) {
			seen = append(seen, ch)
		}
	}
	out := []jChatChannel{}
	for i := off; i < len(seen) && i < off+limit; i++ {
		out = append(out, c.renderChannel(seen[i]))
	}
	return jsonResp(200, map[string]any{"data": out, "next_cursor": nextCursor(off, limit, len(seen))})
}

// recent returns messages newest first.
func recent(ms []*ChatMessage) []*ChatMessage {
	slices.SortStableFunc(ms, func(a, b *ChatMessage) int { return b.Date.Compare(a.Date) })
	return ms
}

func (c *call) messagePage(ms []*ChatMessage) *response {
	off, limit, e := c.chatPage()
	if e != nil {
		return e
	}
	out := []jChatMessage{}
	for i := off; i < len(ms) && i < off+limit; i++ {
		out = append(out, c.renderMessage(ms[i]))
	}
	return jsonResp(200, map[string]any{"data": out, "next_cursor": nextCursor(off, limit, len(ms))})
}

func (c *call) chatChannelParam() (*ChatChannel, *response) {
	if !c.s.tokenSees(c.auth, c.params["workspace_id"]) {
		return nil, teamNotAuthorized()
	}
	ch := c.s.chatChannel(c.params["channel_id"])
	if !c.chatSees(ch) {
		return nil, errResp(http.StatusNotFound, "Channel not found", "CHAT_404")
	}
	return ch, nil
}

func (c *call) chatMessageParam() (*ChatMessage, *response) {
	if !c.s.tokenSees(c.auth, c.params["workspace_id"]) {
		return nil, teamNotAuthorized()
	}
	m := c.s.chatMessage(c.params["message_id"])
	if m == nil || !c.chatSees(c.s.chatChannel(m.ChannelID)) {
		return nil, errResp(http.StatusNotFound, "Message not found", "CHAT_404")
	}
	return m, nil
}

func (c *call) getChatMessages() *response {
	ch, e := c.chatChannelParam()
	if e != nil {
		return e
	}
	var ms []*ChatMessage
	for _, m := range c.s.chat.messages {
		if m.ChannelID == ch.ID && m.ParentID == "" {
			ms = append(ms, m)
		}
	}
	return c.messagePage(recent(ms))
}

func (c *call) getChatReplies() *response {
	p, e := c.chatMessageParam()
	if e != nil {
		return e
	}
	var ms []*ChatMessage
	for _, m := range c.s.chat.messages {
		if m.ParentID == p.ID {
			ms = append(ms, m)
		}
	}
	return c.messagePage(recent(ms))
}

// newChatMessage reads a create's body: type message or post, content
// required.
func (c *call) newChatMessage() (string, *response) {
	var in struct {
		Type          string `json:"type"`
		Content       string `json:"content"`
		ContentFormat string `json:"content_format"`
	}
	if json.Unmarshal(c.body, &in) != nil {
		return "", errResp(http.StatusBadRequest, "Body must be a JSON object", "CHAT_400")
	}
	switch {
	case in.Type != "message" && in.Type != "post":
		return "", errResp(http.StatusBadRequest, "type must be message or post", "CHAT_400")
	case strings.TrimSpace(in.Content) == "":
		return "", errResp(http.StatusBadRequest, "content is required", "CHAT_400")
	case in.ContentFormat != "" && in.ContentFormat != "text/md" && in.ContentFormat != "text/plain":
		return "", errResp(http.StatusBadRequest, "content_format must be text/md or text/plain", "CHAT_400")
	}
	return in.Content, nil
}

func (c *call) createChatMessage() *response {
	ch, e := c.chatChannelParam()
	if e != nil {
		return e
	}
	content, e := c.newChatMessage()
	if e != nil {
		return e
	}
	m := c.s.insertChatMessage(ChatMessage{ChannelID: ch.ID, UserID: c.auth.userID, Content: content})
	return jsonResp(http.StatusCreated, c.renderMessage(m))
}

func (c *call) createChatReply() *response {
	p, e := c.chatMessageParam()
	if e != nil {
		return e
	}
	if p.ParentID != "" {
		return errResp(http.StatusBadRequest, "Cannot reply to a reply", "CHAT_400")
	}
	content, e := c.newChatMessage()
	if e != nil {
		return e
	}
	m := c.s.insertChatMessage(ChatMessage{ChannelID: p.ChannelID, ParentID: p.ID, UserID: c.auth.userID, Content: content})
	return jsonResp(http.StatusCreated, c.renderMessage(m))
}
