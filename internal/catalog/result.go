package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// Compact drops what a model does not need from ClickUp's JSON: nulls,
// empty values, colours and order indexes. Ids and names are kept.
func Compact(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			lk := strings.ToLower(k)
			if x == nil || strings.Contains(lk, "color") || strings.Contains(lk, "colour") || strings.Contains(lk, "orderindex") || lk == "order_index" {
				continue
			}
			c := Compact(x)
			if s, ok := c.(string); ok && s == "" {
				continue
			}
			if l, ok := c.([]any); ok && len(l) == 0 {
				continue
			}
			if m, ok := c.(map[string]any); ok && len(m) == 0 {
				continue
			}
			out[k] = c
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, x := range t {
			out = append(out, Compact(x))
		}
		return out
	}
	return v
}

// budget cuts the largest list of a result so that it fits limit tokens
// twice over (the structured content and the text that repeats it for
// clients that show only text), counted by the framework's estimate, and
// says how to go on: the operation's own page or cursor where it has one.
func budget(v any, limit int, e *Entry) (any, string) {
	room := limit/2 - 100
	fits := func(x any) bool {
		b, _ := json.Marshal(x)
		return toolkit.EstimateJSONTokens(b) <= room
	}
	if limit <= 0 || fits(v) {
		return v, ""
	}
	m, ok := v.(map[string]any)
	key := ""
	var list []any
	if ok {
		for k, x := range m {
			if l, isList := x.([]any); isList && (len(l) > len(list) || len(l) == len(list) && k < key) {
				key, list = k, l
			}
		}
	} else if l, isList := v.([]any); isList {
		list = l
	}
	b, _ := json.Marshal(v)
	if len(list) == 0 {
		return nil, fmt.Sprintf("the answer (about %d tokens) is over the result budget of %d tokens (--limit-result-tokens) and has no list to cut; narrow the call's arguments", toolkit.EstimateJSONTokens(b), limit)
	}
	cut := func(n int) any {
		if key == "" {
			return list[:n]
		}
		c := map[string]any{}
		for k, x := range m {
			c[k] = x
		}
		c[key] = list[:n]
		return c
	}
	// The longest start of the list that fits.
	lo, hi := 0, len(list)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(cut(mid)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return nil, fmt.Sprintf("not even one of the answer's %d items fits the result budget of %d tokens (--limit-result-tokens); narrow the call's arguments", len(list), limit)
	}
	how := "narrow the call's arguments for the rest"
	switch e.Pagination {
	case "page":
		how = "the rest are on the next pages (page argument)"
	case "cursor":
		how = "pass the answer's next_cursor as cursor for more"
	case "start":
		how = "pass the last item's date as start and its id as start_id for more"
	}
	return cut(lo), fmt.Sprintf("cut to %d of %d items to fit the result budget; %s", lo, len(list), how)
}

// guarded sends a non-idempotent write through the workspace's write
// guard: identical calls in flight send once, and a done write is answered
// from memory instead of being sent again.
func guarded(ctx context.Context, s *workspace.Session, e *Entry, r *Request, send func(context.Context) error, out *json.RawMessage) error {
	tk, err := s.BeginWrite(ctx, "catalog:"+e.ID, r.Params, r.Body)
	if err != nil {
		return err
	}
	defer tk.Close()
	if tk.Replay != nil {
		*out = tk.Replay.Data
		return nil
	}
	_, _, err = tk.Send(ctx, writeguard.Write{
		Send: func(ctx context.Context) (string, error) {
			if err := send(ctx); err != nil {
				return "", err
			}
			return e.ID, nil
		},
		Check: func(context.Context, time.Time) (writeguard.Evidence, error) {
			return writeguard.Evidence{Partial: true}, nil
		},
		What:  "result of " + e.ID,
		Where: checkHint(e),
	})
	if err != nil {
		return workspace.GuardErr(err, "")
	}
	tk.Done(ctx, e.ID, *out)
	return nil
}

// checkHint says how to check by hand whether a write whose answer was
// lost landed: the read operation of the same resource.
func checkHint(e *Entry) string {
	c, err := Load()
	if err == nil {
		base := e.ID[:strings.LastIndex(e.ID, ".")+1]
		for _, verb := range []string{"list", "get"} {
			if o, ok := c.byID[base+verb]; ok && o.Kind == "read" {
				return "call " + o.ID + " (clickup_call_read) and look for it"
			}
		}
	}
	return "look in ClickUp for it"
}
