package clickuptest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// An upload through the client, by id and by custom id, validated against
// ClickUp's spec both ways; the task then lists it in attachments[].
func TestAttachmentsContract(t *testing.T) {
	rig := newFallbackRig(t)
	c, ctx := rig.client, context.Background()
	check := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, v := range rig.takeViolations() {
			t.Errorf("%s: %s", step, v)
		}
	}
	task := rig.fake.AddTask(DemoListBacklog, Task{Name: "Upload here"})
	made, err := c.Tasks.Attach(ctx, clickup.TaskRef{ID: task.ID}, "notes q3.txt", "text/plain", []byte("release notes"))
	check("Attach", err)
	if !strings.HasSuffix(string(made.ID), ".txt") || made.Title != "notes q3.txt" || made.Extension != "txt" || made.Version != "0" ||
		!strings.HasPrefix(made.URL, "https://t"+DemoWorkspaceID+".p.clickup-attachments.com/") || made.ThumbnailSmall != "" {
		t.Fatalf("created %+v", made)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	img, err := c.Tasks.Attach(ctx, clickup.Custom(task.CustomID, DemoWorkspaceID), "shot.png", "", png)
	check("Attach (custom id)", err)
	if img.ThumbnailSmall == "" {
		t.Errorf("an image has no thumbnail: %+v", img)
	}
	got, err := c.Tasks.Get(ctx, clickup.TaskRef{ID: task.ID}, nil)
	check("Get", err)
	if len(got.Attachments) != 2 {
		t.Fatalf("attachments %+v", got.Attachments)
	}
	a, b := got.Attachments[0], got.Attachments[1]
	if a.ID != made.ID || a.Title != "notes q3.txt" || a.Mimetype != "text/plain" || a.Size != 13 || a.URL != made.URL || int64(a.User.ID) != DemoUserID {
		t.Errorf("first %+v", a)
	}
	if b.Mimetype != "image/png" || int(b.Size) != len(png) {
		t.Errorf("second %+v", b)
	}
	stored := rig.fake.Attachments(task.ID)
	if len(stored) != 2 || string(stored[0].Content) != "release notes" || !bytes.Equal(stored[1].Content, png) {
		t.Fatalf("stored %+v", stored)
	}
	// Over the client's catalogue bound: Attach takes what its caller capped.
	big := bytes.Repeat([]byte("x"), clickup.MaxUploadBytes+1)
	_, err = c.Tasks.Attach(ctx, clickup.TaskRef{ID: task.ID}, "big.bin", "", big)
	check("Attach (over MaxUploadBytes)", err)
	if st := rig.fake.Attachments(task.ID); len(st) != 3 || len(st[2].Content) != len(big) || st[2].Mimetype != "application/octet-stream" {
		t.Fatalf("big upload stored as %d attachments", len(st))
	}
	// Unknown task: as every task route.
	_, err = c.Tasks.Attach(ctx, clickup.TaskRef{ID: "nosuch1"}, "a.txt", "", []byte("x"))
	var ce *clickup.Error
	if !errors.As(err, &ce) || ce.ECODE != "OAUTH_027" {
		t.Fatalf("unknown task: %v", err)
	}
	rig.takeViolations()
}

// Malformed uploads are refused and store nothing.
func TestAttachmentRefusals(t *testing.T) {
	w := newWorld(t)
	id := w.AddTask(list30, Task{Name: "Upload here"}).ID
	for _, c := range []struct {
		ct, body string
		status   int
	}{
		{"application/json", `{"attachment":"x"}`, 400},
		{"multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XX--\r\n", 400},
		{"multipart/form-data; boundary=XX", "--XX\r\nbroken", 400},
	} {
		req, _ := http.NewRequest("POST", w.srv.URL+"/api/v2/task/"+id+"/attachment", strings.NewReader(c.body))
		req.Header.Set("Authorization", annTok)
		req.Header.Set("Content-Type", c.ct)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %q: HTTP %d, want %d", c.ct, c.body, resp.StatusCode, c.status)
		}
	}
	if n := len(w.Attachments(id)); n != 0 {
		t.Fatalf("%d attachments stored", n)
	}
}
