package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// channels is a workspace's chat channels and DMs, cached per session.
type channels struct {
	at      time.Time
	list    []clickup.ChatChannel
	partial bool // more than maxChannelPages pages: the rest not loaded
}

// maxChannelPages bounds a cold load of the channels (100 a page).
const maxChannelPages = 10

// ChatChannels returns the workspace's channels and DMs, from the cache when
// younger than the TTL (or fresh when asked): a cold load costs one request
// per 100 channels, at most maxChannelPages; partial says the rest were not
// loaded.
func (s *Session) ChatChannels(ctx context.Context, ws string, fresh bool) (list []clickup.ChatChannel, partial bool, age time.Duration, err error) {
	s.mu.Lock()
	c := s.chat[ws]
	s.mu.Unlock()
	if c != nil && !fresh && s.now().Sub(c.at) < s.deps.cfg.CacheTTL {
		s.cacheLookup("chat_channels", true)
		return c.list, c.partial, s.now().Sub(c.at), nil
	}
	s.cacheLookup("chat_channels", false)
	c = &channels{at: s.now(), list: []clickup.ChatChannel{}}
	cursor := ""
	for page := 0; ; page++ {
		if page == maxChannelPages {
			c.partial = true
			break
		}
		p, err := s.Client.Chat.Channels(ctx, ws, &clickup.ChatPageOptions{Cursor: cursor, Limit: 100})
		if err != nil {
			return nil, false, 0, err
		}
		c.list = append(c.list, p.Data...)
		if p.NextCursor == "" || p.NextCursor == cursor || len(p.Data) == 0 {
			break
		}
		cursor = p.NextCursor
	}
	s.mu.Lock()
	if s.chat == nil {
		s.chat = map[string]*channels{}
	}
	s.chat[ws] = c
	s.mu.Unlock()
	return c.list, c.partial, 0, nil
}

// ChannelLabel is how a channel is named to a model: its name, or for a
// DM without one "direct message".
func ChannelLabel(ch clickup.ChatChannel) string {
	if ch.Name != "" {
		return ch.Name
	}
	if ch.Type == "GROUP_DM" {
		return "group direct message"
	}
	return "direct message"
}

// ResolveChannel turns a channel id or name ("general" or "#general",
// case-insensitively) into the channel, from the cached channels, refreshed
// once on a miss. DMs have no name: they are taken by id. An unknown name
// lists the closest.
func (s *Session) ResolveChannel(ctx context.Context, ws, arg, value string) (clickup.ChatChannel, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return clickup.ChatChannel{}, InvalidArg(arg, "is required")
	}
	if len(v) > 300 || strings.ContainsAny(v, "\x00\r\n") {
		return clickup.ChatChannel{}, InvalidArg(arg, "%q is not a channel id or name", Truncate(v, 40))
	}
	name := strings.TrimPrefix(v, "#")
	find := func(list []clickup.ChatChannel) []clickup.ChatChannel {
		var out []clickup.ChatChannel
		for _, ch := range list {
			if ch.ID.String() == v {
				return []clickup.ChatChannel{ch}
			}
			if ch.Name != "" && strings.EqualFold(ch.Name, name) {
				out = append(out, ch)
			}
		}
		return out
	}
	list, partial, age, err := s.ChatChannels(ctx, ws, false)
	if err != nil {
		return clickup.ChatChannel{}, err
	}
	matches := find(list)
	if len(matches) == 0 && age >= time.Second {
		if list, partial, _, err = s.ChatChannels(ctx, ws, true); err != nil {
			return clickup.ChatChannel{}, err
		}
		matches = find(list)
	}
	switch len(matches) {
	case 1:
		AddNote(ctx, "channel %q = %s", v, matches[0].ID)
		return matches[0], nil
	case 0:
		nodes := make([]hNode, 0, len(list))
		for _, ch := range list {
			if ch.Name != "" {
				nodes = append(nodes, hNode{ID: ch.ID.String(), Name: ch.Name})
			}
		}
		more := ""
		if partial {
			more = fmt.Sprintf(" (only the first %d channels were read; give the id)", len(list))
		}
		return clickup.ChatChannel{}, InvalidArg(arg, "no chat channel named %q%s; closest: %s (clickup_list_chat_channels lists them, DMs by id)", Truncate(v, 60), more, closest(nodes, name, 5))
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = m.ID.String()
	}
	return clickup.ChatChannel{}, InvalidArg(arg, "%q names %d channels (%s); give the id", v, len(matches), strings.Join(ids, ", "))
}
