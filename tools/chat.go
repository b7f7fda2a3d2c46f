package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// --- clickup_list_chat_channels ---

type ListChatChannelsArgs struct {
	Query       string       `json:"query,omitempty" jsonschema_description:"words in the channel name or topic"`
	Cursor      string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type ChatChannelOut struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type" jsonschema_description:"channel, dm or group_dm"`
	Private     bool   `json:"private,omitempty"`
	Topic       string `json:"topic,omitempty"`
	LastMessage string `json:"last_message,omitempty" jsonschema_description:"when the latest message was posted"`
}

type ChatChannelsResult struct {
	Channels   []ChatChannelOut `json:"channels" jsonschema_description:"latest activity first"`
	NextCursor string           `json:"next_cursor,omitempty"`
	Note       string           `json:"note,omitempty"`
}

type offsetCursor struct {
	Offset int    `json:"o"`
	Query  string `json:"q,omitempty"`
}

func ListChatChannels(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_list_chat_channels", Title: "List chat channels", Toolset: toolkit.ToolsetChat, Hints: toolkit.ReadHints,
		Description: "Chat channels and direct messages, latest activity first, with ids for clickup_get_chat_messages.",
		Examples: []string{
			`{}`,
			`{"query": "launch"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *ListChatChannelsArgs) (*ChatChannelsResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		start := 0
		if a.Cursor != "" {
			var c offsetCursor
			if err := render.DecodeCursor("cursor", a.Cursor, &c); err != nil {
				return nil, "", err
			}
			if c.Query != a.Query {
				return nil, "", workspace.InvalidArg("cursor", "belongs to a listing with another query; send the same query with it")
			}
			start = c.Offset
		}
		list, partial, _, err := s.ChatChannels(ctx, ws, false)
		if err != nil {
			return nil, "", err
		}
		words := strings.Fields(strings.ToLower(a.Query))
		var hits []clickup.ChatChannel
		for _, ch := range list {
			if bool(ch.Archived) {
				continue
			}
			hay := strings.ToLower(ch.Name + " " + ch.Topic)
			ok := true
			for _, w := range words {
				if !strings.Contains(hay, w) {
					ok = false
					break
				}
			}
			if ok {
				hits = append(hits, ch)
			}
		}
		latest := func(ch clickup.ChatChannel) int64 {
			if ch.LatestCommentAt != 0 {
				return int64(ch.LatestCommentAt)
			}
			return int64(ch.CreatedAt)
		}
		sort.SliceStable(hits, func(i, j int) bool { return latest(hits[i]) > latest(hits[j]) })
		r := &ChatChannelsResult{Channels: []ChatChannelOut{}}
		if partial {
			r.Note = fmt.Sprintf("Only the first %d channels were read.", len(list))
		}
		loc := s.Location(ctx)
		size, budget := 100, d.Config().MaxResultTokens
		for i := start; i < len(hits); i++ {
			ch := hits[i]
			o := ChatChannelOut{ID: ch.ID.String(), Name: workspace.ChannelLabel(ch), Type: strings.ToLower(ch.Type),
				Private: ch.Visibility == "PRIVATE" && ch.Type == "CHANNEL", Topic: render.CutText(ch.Topic, 200)}
			if ch.LatestCommentAt != 0 {
				o.LastMessage = workspace.ISOTime(int64(ch.LatestCommentAt), true, loc)
			}
			js, _ := json.Marshal(o)
			if size += 2 * toolkit.EstimateJSONTokens(js); size > budget && i > start {
				r.NextCursor = render.EncodeCursor(offsetCursor{Offset: i, Query: a.Query})
				break
			}
			r.Channels = append(r.Channels, o)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d chat channels", len(r.Channels))
		if a.Query != "" {
			fmt.Fprintf(&b, " matching %q", workspace.Flat(a.Query))
		}
		b.WriteString(" (latest activity first):")
		for _, c := range r.Channels {
			fmt.Fprintf(&b, "\n- %s [%s] %s", workspace.Flat(c.Name), c.ID, c.Type)
			if c.Private {
				b.WriteString(", private")
			}
			if c.LastMessage != "" {
				fmt.Fprintf(&b, ", last message %s", c.LastMessage)
			}
			if c.Topic != "" {
				fmt.Fprintf(&b, ": %s", workspace.Flat(c.Topic))
			}
		}
		if r.Note != "" {
			b.WriteString("\n" + r.Note)
		}
		if r.NextCursor != "" {
			fmt.Fprintf(&b, "\nMore: call again with cursor=%s", r.NextCursor)
		}
		return r, b.String(), nil
	})
}

// --- clickup_get_chat_messages ---

type GetChatMessagesArgs struct {
	Channel     string       `json:"channel,omitempty" jsonschema_description:"channel name or id"`
	MessageID   string       `json:"message_id,omitempty" jsonschema_description:"instead of channel: the replies to this message"`
	Cursor      string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result, for older messages"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type ChatMessageOut struct {
	ID      string `json:"id"`
	Author  string `json:"author"`
	Date    string `json:"date"`
	Text    string `json:"text"`
	Replies int64  `json:"replies,omitempty"`
}

type ChatMessagesResult struct {
	Channel    string           `json:"channel,omitempty"`
	ReplyTo    string           `json:"reply_to,omitempty" jsonschema_description:"the message these reply to"`
	Messages   []ChatMessageOut `json:"messages" jsonschema_description:"newest first"`
	NextCursor string           `json:"next_cursor,omitempty" jsonschema_description:"pass as cursor for older messages"`
}

// chatCursor resumes a listing: ClickUp's cursor of the page, how many of
// its messages were shown, and what was listed.
type chatCursor struct {
	Page string `json:"c,omitempty"`
	Skip int    `json:"s,omitempty"`
	Of   string `json:"of"`
}

// chatPageSize is how many messages a call asks ClickUp for.
const chatPageSize = 25

// memberNames maps user ids to names, from the cached members.
func memberNames(ctx context.Context, s *workspace.Session, ws string) map[string]string {
	names := map[string]string{}
	if ms, err := s.Members(ctx, ws); err == nil {
		for _, m := range ms {
			names[strconv.FormatInt(int64(m.ID), 10)] = m.Username
		}
	}
	return names
}

func GetChatMessages(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_chat_messages", Title: "Get chat messages", Toolset: toolkit.ToolsetChat, Hints: toolkit.ReadHints,
		Description: "A chat channel's messages, newest first with authors and reply counts, or with message_id the replies to one; next_cursor fetches older ones.",
		Examples: []string{
			`{"channel": "engineering"}`,
			`{"message_id": "80150000911"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetChatMessagesArgs) (*ChatMessagesResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		ch, msg := strings.TrimSpace(a.Channel), strings.TrimSpace(a.MessageID)
		switch {
		case ch != "" && msg != "":
			return nil, "", workspace.InvalidArg("message_id", "give channel or message_id, not both")
		case ch == "" && msg == "":
			return nil, "", workspace.InvalidArg("channel", "is required (a name or id), or give message_id for a thread's replies")
		}
		r := &ChatMessagesResult{Messages: []ChatMessageOut{}}
		of := "m:" + msg
		if ch != "" {
			c, err := s.ResolveChannel(ctx, ws, "channel", ch)
			if err != nil {
				return nil, "", err
			}
			r.Channel, of = workspace.ChannelLabel(c), "c:"+c.ID.String()
		} else {
			r.ReplyTo = msg
		}
		var cur chatCursor
		if a.Cursor != "" {
			if err := render.DecodeCursor("cursor", a.Cursor, &cur); err != nil {
				return nil, "", err
			}
			if cur.Of != of {
				return nil, "", workspace.InvalidArg("cursor", "belongs to another channel or thread; send it with the same channel or message_id")
			}
		}
		o := &clickup.ChatPageOptions{Cursor: cur.Page, Limit: chatPageSize}
		var page *clickup.ChatMessagePage
		if ch != "" {
			page, err = s.Client.Chat.Messages(ctx, ws, strings.TrimPrefix(of, "c:"), o)
		} else {
			page, err = s.Client.Chat.Replies(ctx, ws, msg, o)
		}
		if err != nil {
			return nil, "", err
		}
		names := memberNames(ctx, s, ws)
		loc := s.Location(ctx)
		size, budget := 100, d.Config().MaxResultTokens
		shown := cur.Skip
		for i := cur.Skip; i < len(page.Data); i++ {
			m := page.Data[i]
			author := names[m.UserID.String()]
			if author == "" {
				author = "user " + m.UserID.String()
			}
			mo := ChatMessageOut{ID: m.ID.String(), Author: author, Date: workspace.ISOTime(int64(m.Date), true, loc),
				Text: render.CutText(strings.TrimRight(m.Content, "\n"), 4000), Replies: int64(m.RepliesCount)}
			if uid, err := strconv.ParseInt(m.UserID.String(), 10, 64); err == nil && s.Withholds(ctx, uid) {
				mo.Text = render.Withheld
			}
			js, _ := json.Marshal(mo)
			if size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(mo.line()); size > budget && i > cur.Skip {
				r.NextCursor = render.EncodeCursor(chatCursor{Page: cur.Page, Skip: i, Of: of})
				break
			}
			r.Messages = append(r.Messages, mo)
			shown = i + 1
		}
		if r.NextCursor == "" && shown >= len(page.Data) && page.NextCursor != "" {
			r.NextCursor = render.EncodeCursor(chatCursor{Page: page.NextCursor, Of: of})
		}
		var b strings.Builder
		if r.Channel != "" {
			fmt.Fprintf(&b, "%d messages in %s (newest first)", len(r.Messages), workspace.Flat(r.Channel))
		} else {
			fmt.Fprintf(&b, "%d replies to message %s (newest first)", len(r.Messages), workspace.Flat(r.ReplyTo))
		}
		for _, m := range r.Messages {
			b.WriteString(m.line())
		}
		if r.NextCursor != "" {
			fmt.Fprintf(&b, "\nOlder: call again with cursor=%s", r.NextCursor)
		}
		return r, b.String(), nil
	})
}

// line renders a message as data with its author (or withheld under
// --lockdown).
func (m ChatMessageOut) line() string {
	head := fmt.Sprintf("\n- %s, %s (id %s", workspace.Flat(m.Author), m.Date, m.ID)
	if m.Replies > 0 {
		head += fmt.Sprintf(", %d replies", m.Replies)
	}
	if m.Text == render.Withheld {
		return head + "): " + render.Withheld
	}
	return head + "):\n" + workspace.Quoted("Message", m.Author, m.Text)
}

// --- clickup_send_chat_message ---

type SendChatMessageArgs struct {
	Channel     string       `json:"channel,omitempty" jsonschema_description:"channel name or id"`
	ReplyTo     string       `json:"reply_to,omitempty" jsonschema_description:"instead of channel: reply to this message id"`
	Text        string       `json:"text" jsonschema:"required" jsonschema_description:"markdown"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type SendChatMessageResult struct {
	ID           string `json:"id"`
	Channel      string `json:"channel,omitempty"`
	ReplyTo      string `json:"reply_to,omitempty"`
	Date         string `json:"date,omitempty"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"sent moments ago by an identical call; nothing new was sent"`
}

func SendChatMessage(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_send_chat_message", Title: "Send chat message", Toolset: toolkit.ToolsetChat, Hints: toolkit.CreateHints,
		Description: "Post to a chat channel, or reply to a message. It notifies people: send only text the user approved.",
		Examples: []string{
			`{"channel": "general", "text": "Release 5.0 is out."}`,
			`{"reply_to": "80150000911", "text": "Deploying tomorrow at 10:00."}`,
		},
		// Chat sits at the workspace level, where no write scope can
		// reach: the handler refuses every send under a scope, as the
		// catalogue does for chat's operations (anchor none).
		Target: &toolkit.Target{Handler: true},
	}, func(ctx context.Context, s *workspace.Session, a *SendChatMessageArgs) (*SendChatMessageResult, string, error) {
		if err := s.RefuseUnscoped("clickup_send_chat_message", "workspace", "sent"); err != nil {
			return nil, "", err
		}
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		text := strings.TrimSpace(a.Text)
		if text == "" {
			return nil, "", workspace.InvalidArg("text", "is required")
		}
		ch, reply := strings.TrimSpace(a.Channel), strings.TrimSpace(a.ReplyTo)
		switch {
		case ch != "" && reply != "":
			return nil, "", workspace.InvalidArg("reply_to", "give channel or reply_to, not both")
		case ch == "" && reply == "":
			return nil, "", workspace.InvalidArg("channel", "is required (a name or id), or give reply_to to answer a message")
		}
		r := &SendChatMessageResult{ReplyTo: reply}
		target, where := reply, "the replies to message "+reply
		if ch != "" {
			c, err := s.ResolveChannel(ctx, ws, "channel", ch)
			if err != nil {
				return nil, "", err
			}
			target, r.Channel = c.ID.String(), workspace.ChannelLabel(c)
			where = "channel " + r.Channel
		}
		body := &clickup.ChatMessageCreate{Type: "message", Content: text, ContentFormat: "text/md"}
		tk, err := s.BeginWrite(ctx, "chat_message", ws, target, reply != "", text)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		defer tk.Close()
		if tk.Replay != nil {
			var old SendChatMessageResult
			if json.Unmarshal(tk.Replay.Data, &old) != nil {
				old = *r
				old.ID = tk.Replay.Ref
			}
			old.Deduplicated = true
			return &old, fmt.Sprintf("Already sent moments ago (not sent again): message %s to %s.", old.ID, workspace.Flat(where)), nil
		}
		var made *clickup.ChatMessage
		seen := map[string]clickup.ChatMessage{}
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "chat message", Where: "read " + where + " (clickup_get_chat_messages) for yours with this text",
			Send: func(ctx context.Context) (string, error) {
				var m *clickup.ChatMessage
				var err error
				if reply != "" {
					m, err = s.Client.Chat.Reply(ctx, ws, reply, body)
				} else {
					m, err = s.Client.Chat.Send(ctx, ws, target, body)
				}
				if err != nil {
					return "", err
				}
				made = m
				return m.ID.String(), nil
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				return chatEvidence(ctx, s, ws, target, reply != "", text, since, seen)
			},
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		r.ID = id
		loc := s.Location(ctx)
		note := ""
		switch how {
		case writeguard.Sent:
			r.Date = workspace.ISOTime(int64(made.Date), true, loc)
		default:
			r.Date = workspace.ISOTime(int64(seen[id].Date), true, loc)
			note = "\nClickUp's answer was lost; a check proved this message is this call's own (same author and text, posted after the call began): sent once."
			if how == writeguard.FoundEarlier {
				note = "\nAn earlier identical call lost ClickUp's answer; a check proved this message is its write: not sent again."
			}
		}
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		return r, fmt.Sprintf("Message %s sent to %s.%s", r.ID, workspace.Flat(where), note), nil
	})
}

// chatEvidence lists the newest messages (or replies) of target with the
// text sent, posted since about since.
func chatEvidence(ctx context.Context, s *workspace.Session, ws, target string, reply bool, text string, since time.Time, seen map[string]clickup.ChatMessage) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	o := &clickup.ChatPageOptions{Limit: 50}
	var page *clickup.ChatMessagePage
	if reply {
		page, err = s.Client.Chat.Replies(ctx, ws, target, o)
	} else {
		page, err = s.Client.Chat.Messages(ctx, ws, target, o)
	}
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: strconv.FormatInt(int64(me.ID), 10)}
	oldest := time.Time{}
	for _, m := range page.Data {
		if oldest.IsZero() || m.Date.Time().Before(oldest) {
			oldest = m.Date.Time()
		}
		if workspace.NormText(m.Content) != workspace.NormText(text) || m.Date.Time().Before(since.Add(-workspace.SearchSkew)) {
			continue
		}
		seen[m.ID.String()] = m
		ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: m.ID.String(), Label: render.CutText(m.Content, 60),
			Creator: m.UserID.String(), Created: m.Date.Time()})
	}
	ev.Partial = page.NextCursor != "" && !oldest.Before(since.Add(-workspace.SearchSkew))
	return ev, nil
}
