package clickup

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
)

// An upload goes as multipart/form-data: the plain fields, then each file
// in a part of its own with its name and type; a file name cannot break
// out of its header.
func TestCallSendsMultipart(t *testing.T) {
	f := setup(t)
	type part struct{ name, file, ctype, body string }
	var parts []part
	requests := 0
	f.mux.HandleFunc("POST /v2/task/{id}/attachment", func(w http.ResponseWriter, r *http.Request) {
		requests++
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(p)
			parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(b)})
		}
		writeJSON(w, 200, `{"id":"att1"}`)
	})
	var out struct{ ID string }
	body := &Multipart{Fields: map[string]string{"note": "v2"}, Files: []FilePart{
		{Field: "attachment", Name: "notes.txt", ContentType: "text/plain", Content: []byte("hello")},
		{Field: "attachment", Name: "a\"b\r\nX-Evil: 1.bin", Content: []byte{0, 1, 2}},
	}}
	if err := f.client.Call(context.Background(), Operation{"POST", "/v2/task/{task_id}/attachment"}, Params{Path: map[string]string{"task_id": "t1"}}, body, &out); err != nil {
		t.Fatal(err)
	}
	want := []part{{"note", "", "", "v2"}, {"attachment", "notes.txt", "text/plain", "hello"}, {"attachment", "a\"bX-Evil: 1.bin", "application/octet-stream", "\x00\x01\x02"}}
	if len(parts) != len(want) || out.ID != "att1" {
		t.Fatalf("parts %+v, out %+v", parts, out)
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Errorf("part %d: %+v, want %+v", i, parts[i], want[i])
		}
	}
	// Over the upload bound: refused before any request.
	big := &Multipart{Files: []FilePart{{Field: "attachment", Name: "big.bin", Content: bytes.Repeat([]byte("x"), MaxUploadBytes+1)}}}
	err := f.client.Call(context.Background(), Operation{"POST", "/v2/task/{task_id}/attachment"}, Params{Path: map[string]string{"task_id": "t1"}}, big, nil)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindInvalid || requests != 1 {
		t.Errorf("an upload over the bound: %v after %d requests", err, requests)
	}
}
