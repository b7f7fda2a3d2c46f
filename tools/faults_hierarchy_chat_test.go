package tools

import (
	"fmt"
	"strings"
	"testing"
)

// Every fault of the fault matrix on the POST of clickup_create_list and
// clickup_send_chat_message: the call and the model's identical retry
// (fault gone) make at most one list or message; a success is true; an
// error after a write that may have landed says so.
func TestCreateListAndSendChatUnderEveryFault(t *testing.T) {
	type op struct {
		tool, method, path string
		args               func(w *world, c chatWorld) map[string]any
		made               func(w *world, c chatWorld) int
		id                 func(w *world, c chatWorld) string
	}
	ops := []op{
		{"clickup_create_list", "POST", "/v2/folder/{folder_id}/list",
			func(*world, chatWorld) map[string]any {
				return map[string]any{"name": "Matrix list", "parent": "Engineering/Platform"}
			},
			func(w *world, _ chatWorld) int { return len(w.fake.Lists("800", false)) - 2 },
			func(w *world, _ chatWorld) string {
				if ls := w.fake.Lists("800", false); len(ls) > 2 {
					return ls[2].ID
				}
				return ""
			}},
		{"clickup_send_chat_message", "POST", "/v3/workspaces/{workspace_id}/chat/channels/{channel_id}/messages",
			func(*world, chatWorld) map[string]any {
				return map[string]any{"channel": "general", "text": "Matrix message"}
			},
			func(w *world, c chatWorld) int { return len(w.fake.ChatMessages(c.general)) - 2 },
			func(w *world, c chatWorld) string {
				ms := w.fake.ChatMessages(c.general)
				if len(ms) > 2 {
					return ms[len(ms)-1].ID
				}
				return ""
			}},
	}
	for fi, f := range fmFaults() {
		for _, o := range ops {
			t.Run(fmt.Sprintf("%02d_%s", fi, o.tool), func(t *testing.T) {
				t.Parallel()
				w := newWorld(t)
				c := seedChat(w)
				fc := fmDefaults
				if f.cfg != nil {
					fc = *f.cfg
				}
				h, fl := fmConnect(t, w, "pk_alex", fc)
				// Warm the caches (identity, hierarchy, channels).
				h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{}, nil)
				h.mustOK(t, "clickup_list_chat_channels", map[string]any{}, nil)
				flt := f.make()
				flt.Method, flt.Path = o.method, o.path
				w.fake.InjectFault(flt)
				var r struct {
					ID           string `json:"id"`
					Deduplicated bool   `json:"deduplicated"`
				}
				text, isErr := h.call(t, o.tool, o.args(w, c), &r)
				if !fl.settle(2 * fc.callTimeout) {
					t.Errorf("a ClickUp request is still in flight after the call ended")
				}
				made := o.made(w, c)
				switch {
				case made > 1:
					t.Fatalf("one call made %d", made)
				case !isErr && (made != 1 || r.ID != o.id(w, c)):
					t.Fatalf("success %q with %d made (id %s): %s", r.ID, made, o.id(w, c), text)
				case isErr && made == 1 && !strings.Contains(text, "may have been applied") && !strings.Contains(text, "may or may not have been applied"):
					t.Fatalf("the write landed but the error does not say it may have: %s", text)
				}
				w.fake.ClearFaults()
				h.call(t, o.tool, o.args(w, c), nil)
				if n := o.made(w, c); n > 1 {
					t.Fatalf("the call and its retry made %d; first answer: %s", n, text)
				}
			})
		}
	}
}
