package app

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Over HTTP the caller is remote: clickup_attach_file refuses a path, with
// the reason, before anything is read or sent; base64 goes through.
func TestHTTPAttachRefusesPaths(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--toolsets", "tasks")
	s := serve(t, a, time.Second)
	c := newMCPConn(s.base, w.token, nil)
	ctx := context.Background()
	if err := c.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.call(ctx, "clickup_attach_file", map[string]any{"task_id": w.taskID, "path": "/etc/passwd"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsError || !strings.Contains(r.text(), "refused over HTTP") || !strings.Contains(r.text(), "stdio") {
		t.Fatalf("path over HTTP: %s", r.raw)
	}
	if n := w.fake.Count("POST /v2/task/{task_id}/attachment"); n != 0 {
		t.Fatalf("%d uploads sent", n)
	}
	r, err = c.call(ctx, "clickup_attach_file", map[string]any{"task_id": w.taskID, "content_base64": "aGVsbG8=", "filename": "hello.txt"})
	if err != nil || r.IsError || len(w.fake.Attachments(w.taskID)) != 1 {
		t.Fatalf("base64 over HTTP: %v %s", err, r.raw)
	}
}
