package clickuptest

import (
	"strings"
	"testing"
)

// Chat in v3's shapes: paging by cursor, most recent first, DMs only for
// their people, errors as {status, message, trace_id, timestamp}.
func TestChatEndpoints(t *testing.T) {
	w := newWorld(t)
	ch := w.AddChatChannel(wsDev, ChatChannel{Name: "general"})
	w.AddChatChannel(wsDev, ChatChannel{Type: "DM", MemberIDs: []int64{bobID}})
	for i := 0; i < 3; i++ {
		w.clock.Advance(60e9)
		w.AddChatMessage(ChatMessage{ChannelID: ch.ID, UserID: annID, Content: "m" + string(rune('0'+i))})
	}
	base := "/api/v3/workspaces/" + wsDev + "/chat"
	r := w.get(t, base+"/channels")
	expect(t, r, 200, "")
	if data := r.json(t)["data"].([]any); len(data) != 1 {
		t.Fatalf("Ann sees %d channels; the DM is Bob's alone", len(data))
	}
	r = w.get(t, base+"/channels/"+ch.ID+"/messages?limit=2")
	expect(t, r, 200, "")
	m := r.json(t)
	data := m["data"].([]any)
	if len(data) != 2 || data[0].(map[string]any)["content"] != "m2" || m["next_cursor"] == "" {
		t.Fatalf("page 1: %s", r.body)
	}
	r = w.get(t, base+"/channels/"+ch.ID+"/messages?limit=2&cursor="+m["next_cursor"].(string))
	if m = r.json(t); len(m["data"].([]any)) != 1 || m["next_cursor"] != "" {
		t.Fatalf("page 2: %s", r.body)
	}
	first := data[1].(map[string]any)["id"].(string)
	r = w.call(t, "POST", base+"/messages/"+first+"/replies", annTok, map[string]any{"type": "message", "content": "re"})
	expect(t, r, 201, "")
	if r.json(t)["parent_message"] != first {
		t.Fatalf("reply: %s", r.body)
	}
	r = w.get(t, base+"/channels/"+ch.ID+"/messages")
	if got := r.json(t)["data"].([]any)[1].(map[string]any)["replies_count"]; got != float64(1) {
		t.Fatalf("replies_count %v", got)
	}
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", base + "/channels/nope/messages", nil, 404},
		{"GET", base + "/messages/nope/replies", nil, 404},
		{"GET", base + "/channels/" + ch.ID + "/messages?limit=500", nil, 400},
		{"GET", base + "/channels/" + ch.ID + "/messages?cursor=junk", nil, 400},
		{"POST", base + "/channels/" + ch.ID + "/messages", map[string]any{"type": "message", "content": " "}, 400},
		{"POST", base + "/channels/" + ch.ID + "/messages", map[string]any{"type": "note", "content": "x"}, 400},
		{"GET", "/api/v3/workspaces/" + wsOther + "/chat/channels", nil, 401},
	} {
		r := w.call(t, c.method, c.path, annTok, c.body)
		m := r.json(t)
		if r.status != c.status || m["status"] != float64(c.status) || m["message"] == "" || m["trace_id"] == nil || m["ECODE"] != nil {
			t.Errorf("%s %s: %d %s, want %d in v3's error shape", c.method, c.path, r.status, r.body, c.status)
		}
	}
}

// Lists and folders: a name taken in the same parent is refused; templates
// bring their statuses, tasks and lists.
func TestCreateHierarchyEndpoints(t *testing.T) {
	w := newWorld(t)
	lt := w.AddListTemplate(wsDev, ListTemplate{Name: "Sprint", Tasks: []string{"a", "b"}})
	ft := w.AddFolderTemplate(wsDev, FolderTemplate{Name: "Launch", Lists: []string{"Sprint", "Press"}})
	r := w.call(t, "POST", "/api/v2/folder/"+folder20+"/list", annTok, map[string]any{"name": "backlog"})
	expect(t, r, 400, "SUBCAT_016")
	r = w.call(t, "POST", "/api/v2/space/"+space10+"/list", annTok, map[string]any{"name": "Backlog"})
	expect(t, r, 200, "") // a folderless list may share a folder's list name
	r = w.call(t, "POST", "/api/v2/space/"+space10+"/folder", annTok, map[string]any{"name": "PLATFORM"})
	expect(t, r, 400, "PROJ_016")
	r = w.call(t, "POST", "/api/v2/folder/"+folder20+"/list_template/"+lt.ID, annTok, map[string]any{})
	if r.status != 400 || !strings.Contains(string(r.body), `"error":"Name is required"`) {
		t.Fatalf("template without a name: %d %s", r.status, r.body)
	}
	r = w.call(t, "POST", "/api/v2/folder/"+folder20+"/list_template/t-0", annTok, map[string]any{"name": "X"})
	expect(t, r, 404, "")
	r = w.call(t, "POST", "/api/v2/folder/"+folder20+"/list_template/"+lt.ID, annTok, map[string]any{"name": "Sprint 2"})
	expect(t, r, 200, "")
	id := r.json(t)["id"].(string)
	if n := w.TaskCountIn(id); n != 2 {
		t.Fatalf("the template's tasks: %d", n)
	}
	r = w.call(t, "POST", "/api/v2/space/"+space10+"/folder_template/"+ft.ID, annTok, map[string]any{"name": "Q1"})
	expect(t, r, 200, "")
	f := r.json(t)["folder"].(map[string]any)
	if ls := f["lists"].([]any); len(ls) != 2 || w.TaskCountIn(ls[0].(map[string]any)["id"].(string)) != 2 {
		t.Fatalf("folder from template: %s", r.body)
	}
	r = w.call(t, "GET", "/api/v2/team/"+wsOther+"/list_template", annTok, nil)
	expect(t, r, 401, "OAUTH_027")
}
