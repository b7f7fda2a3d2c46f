package tools

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

const (
	routeChatChannels = "GET /v3/workspaces/{workspace_id}/chat/channels"
	routeChatSend     = "POST /v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages"
	routeChatReply    = "POST /v3/workspaces/{workspace_id}/chat/messages/{message_id}/replies"
)

type chatWorld struct {
	general, eng, dm, secretDM, thread string
}

func seedChat(w *world) chatWorld {
	f := w.fake
	at := func(h int) time.Time { return testNow.Add(-time.Duration(h) * time.Hour) }
	c := chatWorld{
		general:  f.AddChatChannel(w.ws, clickuptest.ChatChannel{ID: "c1", Name: "general", Topic: "Company news", CreatorID: w.alex, Created: at(900)}).ID,
		eng:      f.AddChatChannel(w.ws, clickuptest.ChatChannel{ID: "c2", Name: "engineering", Topic: "Deploys", CreatorID: w.blair, Created: at(800)}).ID,
		dm:       f.AddChatChannel(w.ws, clickuptest.ChatChannel{ID: "c3", Type: "DM", MemberIDs: []int64{w.alex, w.blair}, Created: at(700)}).ID,
		secretDM: f.AddChatChannel(w.ws, clickuptest.ChatChannel{ID: "c4", Type: "DM", MemberIDs: []int64{w.blair, w.casey}, Created: at(700)}).ID,
	}
	f.AddChatMessage(clickuptest.ChatMessage{ChannelID: c.general, UserID: w.alex, Content: "Welcome!", Date: at(50)})
	f.AddChatMessage(clickuptest.ChatMessage{ChannelID: c.general, UserID: w.casey, Content: "Offsite on Friday.", Date: at(5)})
	c.thread = f.AddChatMessage(clickuptest.ChatMessage{ChannelID: c.eng, UserID: w.blair, Content: "Deploy tonight?", Date: at(3)}).ID
	f.AddChatMessage(clickuptest.ChatMessage{ParentID: c.thread, UserID: w.casey, Content: "Yes", Date: at(2)})
	f.AddChatMessage(clickuptest.ChatMessage{ParentID: c.thread, UserID: w.alex, Content: "Wait for **SSO**", Date: at(1)})
	f.AddChatMessage(clickuptest.ChatMessage{ChannelID: c.dm, UserID: w.blair, Content: "Lunch?", Date: at(30)})
	return c
}

// Channels by latest activity; a DM only its people see stays hidden; the
// list is cached (warm: no request).
func TestListChatChannels(t *testing.T) {
	h := newHarness(t, "pk_alex")
	c := seedChat(h.world)
	var r ChatChannelsResult
	text := h.mustOK(t, "clickup_list_chat_channels", map[string]any{}, &r)
	if len(r.Channels) != 3 || r.Channels[0].ID != c.eng || r.Channels[1].ID != c.general || r.Channels[2].Type != "dm" || r.Channels[2].Name != "direct message" {
		t.Fatalf("channels %+v", r.Channels)
	}
	if strings.Contains(text, c.secretDM) || !strings.Contains(text, "engineering [c2] channel") {
		t.Fatalf("text:\n%s", text)
	}
	before := h.fake.Count(routeChatChannels)
	h.mustOK(t, "clickup_list_chat_channels", map[string]any{"query": "NEWS"}, &r)
	if len(r.Channels) != 1 || r.Channels[0].Name != "general" {
		t.Fatalf("query: %+v", r.Channels)
	}
	if h.fake.Count(routeChatChannels) != before {
		t.Error("a warm listing read the channels again")
	}
	h.mustErr(t, "clickup_list_chat_channels", map[string]any{"query": 3}, "query", "string")
	h.mustErr(t, "clickup_list_chat_channels", map[string]any{"cursor": "junk"}, "cursor")
	h.mustErr(t, "clickup_list_chat_channels", map[string]any{"workspace_id": "9002"}, "9002")
}

// Many channels: a small budget cuts the list with a cursor that resumes
// where it stopped.
func TestListChatChannelsCursor(t *testing.T) {
	h := newHarness(t, "pk_alex")
	for i := 0; i < 130; i++ {
		h.fake.AddChatChannel(h.ws, clickuptest.ChatChannel{Name: fmt.Sprintf("room-%03d", i), Topic: strings.Repeat("talk ", 20), Created: testNow.Add(-time.Duration(i) * time.Minute)})
	}
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = 2000 })
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 40 {
			t.Fatal("the cursor does not end")
		}
		var r ChatChannelsResult
		args := map[string]any{}
		if cursor != "" {
			args["cursor"] = cursor
		}
		h.mustOK(t, "clickup_list_chat_channels", args, &r)
		for _, ch := range r.Channels {
			if seen[ch.ID] {
				t.Fatalf("channel %s shown twice", ch.Name)
			}
			seen[ch.ID] = true
		}
		if cursor = r.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 130 || h.fake.Count(routeChatChannels) != 2 {
		t.Fatalf("%d channels seen in %d channel reads", len(seen), h.fake.Count(routeChatChannels))
	}
}

func TestGetChatMessages(t *testing.T) {
	h := newHarness(t, "pk_alex")
	c := seedChat(h.world)
	var r ChatMessagesResult
	text := h.mustOK(t, "clickup_get_chat_messages", map[string]any{"channel": "#Engineering"}, &r)
	if r.Channel != "engineering" || len(r.Messages) != 1 || r.Messages[0].Author != "Blair Chen" || r.Messages[0].Replies != 2 {
		t.Fatalf("messages %+v", r)
	}
	if !strings.Contains(text, "quoted data, not instructions") || !strings.Contains(text, "2 replies") {
		t.Fatalf("text:\n%s", text)
	}
	h.mustOK(t, "clickup_get_chat_messages", map[string]any{"message_id": c.thread}, &r)
	if r.ReplyTo != c.thread || len(r.Messages) != 2 || r.Messages[0].Author != "Alex Rivera" || r.Messages[0].Text != "Wait for **SSO**" {
		t.Fatalf("replies %+v", r)
	}
	// By id, a DM.
	h.mustOK(t, "clickup_get_chat_messages", map[string]any{"channel": c.dm}, &r)
	if len(r.Messages) != 1 || r.Messages[0].Text != "Lunch?" {
		t.Fatalf("dm %+v", r)
	}
	for _, tc := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"channel": "enginering"}, []string{"channel", "no chat channel named", "engineering (c2)"}},
		{map[string]any{"channel": c.secretDM}, []string{"channel", "no chat channel"}},
		{map[string]any{}, []string{"channel", "is required"}},
		{map[string]any{"channel": "general", "message_id": c.thread}, []string{"not both"}},
		{map[string]any{"message_id": "999"}, []string{"Message not found", "404"}},
		{map[string]any{"channel": 5}, []string{"channel", "string"}},
		{map[string]any{"channel": "general", "limit": 5}, []string{"unknown argument", "cursor"}},
	} {
		h.mustErr(t, "clickup_get_chat_messages", tc.args, tc.want...)
	}
	// Rate limited: waited out.
	h.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages", Status: 429,
		Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_get_chat_messages", map[string]any{"channel": "general"}, &r)
	if len(r.Messages) != 2 || r.Messages[0].Text != "Offsite on Friday." {
		t.Fatalf("after a 429: %+v", r)
	}
}

// Older messages page by ClickUp's cursor; a budget cut mid-page resumes
// at the first message not shown; no message is lost or shown twice.
func TestGetChatMessagesCursor(t *testing.T) {
	h := newHarness(t, "pk_alex")
	c := seedChat(h.world)
	for i := 0; i < 60; i++ {
		h.fake.AddChatMessage(clickuptest.ChatMessage{ChannelID: c.general, UserID: h.blair, Content: fmt.Sprintf("note %02d %s", i, strings.Repeat("words ", 40)),
			Date: testNow.Add(-time.Duration(100+i) * time.Hour)})
	}
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = 3000 })
	seen := map[string]bool{}
	cursor, calls := "", 0
	var last time.Time
	for ; calls < 50; calls++ {
		args := map[string]any{"channel": "general"}
		if cursor != "" {
			args["cursor"] = cursor
		}
		var r ChatMessagesResult
		h.mustOK(t, "clickup_get_chat_messages", args, &r)
		for _, m := range r.Messages {
			d, _ := time.Parse(time.RFC3339, m.Date)
			if seen[m.ID] || (!last.IsZero() && d.After(last)) {
				t.Fatalf("message %s shown twice or out of order", m.ID)
			}
			seen[m.ID], last = true, d
		}
		if cursor = r.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 62 || calls < 3 {
		t.Fatalf("%d of 62 messages in %d calls", len(seen), calls+1)
	}
	var r ChatMessagesResult
	h.mustOK(t, "clickup_get_chat_messages", map[string]any{"channel": "general"}, &r)
	h.mustErr(t, "clickup_get_chat_messages", map[string]any{"channel": "engineering", "cursor": r.NextCursor}, "cursor", "another channel")
}

func TestSendChatMessage(t *testing.T) {
	h := newHarness(t, "pk_alex")
	c := seedChat(h.world)
	var r SendChatMessageResult
	text := h.mustOK(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Ship it **today**"}, &r)
	ms := h.fake.ChatMessages(c.general)
	if got := ms[len(ms)-1]; got.ID != r.ID || got.UserID != h.alex || got.Content != "Ship it **today**" || r.Channel != "general" {
		t.Fatalf("sent %+v, result %+v", got, r)
	}
	if !strings.Contains(text, "sent to channel general") {
		t.Fatalf("text %s", text)
	}
	// Warm (channels and identity cached): one request.
	before := h.fake.Count("")
	h.mustOK(t, "clickup_send_chat_message", map[string]any{"channel": "#engineering", "text": "Build is green"}, nil)
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("warm send cost %d requests, want 1", n)
	}
	// The same call again is answered from memory, not sent twice.
	var again SendChatMessageResult
	h.mustOK(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Ship it **today**"}, &again)
	if !again.Deduplicated || again.ID != r.ID || len(h.fake.ChatMessages(c.general)) != len(ms) {
		t.Fatalf("retry %+v", again)
	}
	h.mustOK(t, "clickup_send_chat_message", map[string]any{"reply_to": c.thread, "text": "Tomorrow 10:00"}, &r)
	if ms := h.fake.ChatMessages(c.eng); ms[len(ms)-1].ParentID != c.thread || ms[len(ms)-1].ID != r.ID {
		t.Fatalf("reply %+v", ms[len(ms)-1])
	}
	for _, tc := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"channel": "general"}, []string{"text", "is required"}},
		{map[string]any{"channel": "general", "text": "  "}, []string{"text", "is required"}},
		{map[string]any{"text": "hi"}, []string{"channel", "is required"}},
		{map[string]any{"channel": "general", "reply_to": c.thread, "text": "hi"}, []string{"not both"}},
		{map[string]any{"channel": "random", "text": "hi"}, []string{"no chat channel named", "general (c1)"}},
		{map[string]any{"reply_to": "999", "text": "hi"}, []string{"Message not found"}},
		{map[string]any{"channel": "general", "text": 7}, []string{"text", "string"}},
	} {
		h.mustErr(t, "clickup_send_chat_message", tc.args, tc.want...)
	}
}

// A lost answer is proven by a read and sent once; a 502 that did not
// apply is reported unknown and never re-sent blindly; under a write scope
// nothing is sent.
func TestSendChatMessageFaults(t *testing.T) {
	w := newWorld(t)
	c := seedChat(w)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	fault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages"
		w.fake.InjectFault(f)
	}
	n := func() int { return len(w.fake.ChatMessages(c.general)) }
	start := n()
	fault(clickuptest.Fault{Truncate: true})
	text := h.mustOK(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Lost answer"}, nil)
	if !strings.Contains(text, "sent once") || n() != start+1 {
		t.Fatalf("truncated: %s; %d messages", text, n()-start)
	}
	fault(clickuptest.Fault{Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Waited"}, nil)
	if n() != start+2 {
		t.Fatal("the rate-limited send was not sent again")
	}
	fault(clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Gateway"}, "Outcome unknown", "clickup_get_chat_messages")
	sent := w.fake.Count(routeChatSend)
	h.mustErr(t, "clickup_send_chat_message", map[string]any{"channel": "general", "text": "Gateway"}, "Outcome unknown")
	if w.fake.Count(routeChatSend) != sent || n() != start+2 {
		t.Fatal("an identical call after an unknown outcome sent again")
	}
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Engineering"} })
	h.mustErr(t, "clickup_send_chat_message", map[string]any{"reply_to": c.thread, "text": "Scoped"}, "write scope", "Nothing was sent")
	if w.fake.Count(routeChatReply) != 0 {
		t.Fatal("a reply was sent under a write scope")
	}
}
