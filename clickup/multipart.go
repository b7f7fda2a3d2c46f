package clickup

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"sort"
	"strings"
)

// Multipart is a multipart/form-data body for Call (ClickUp's attachment
// uploads): plain fields, then files, each in a part of its own. Pass a
// *Multipart as Call's body.
type Multipart struct {
	Fields map[string]string
	Files  []FilePart
	// MaxBytes bounds the files in all (0 = MaxUploadBytes): a caller
	// with its own configured cap sets it.
	MaxBytes int64
}

// FilePart is one file of a Multipart body.
type FilePart struct {
	Field       string // the part's name, e.g. "attachment"
	Name        string // the file name ClickUp shows
	ContentType string // "" means application/octet-stream
	Content     []byte
}

// MaxUploadBytes bounds the files of one Multipart body.
const MaxUploadBytes = 16 << 20

// encode renders the body and its Content-Type header value.
func (m *Multipart) encode() ([]byte, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	keys := make([]string, 0, len(m.Fields))
	for k := range m.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := w.WriteField(k, m.Fields[k]); err != nil {
			return nil, "", err
		}
	}
	limit := m.MaxBytes
	if limit <= 0 {
		limit = MaxUploadBytes
	}
	var total int64
	for _, f := range m.Files {
		total += int64(len(f.Content))
		if total > limit {
			return nil, "", fmt.Errorf("the files are over %d bytes in all", limit)
		}
		if f.Field == "" || f.Name == "" {
			return nil, "", fmt.Errorf("a file needs a part name and a file name")
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(f.Field), quoteEscaper.Replace(f.Name)))
		h.Set("Content-Type", ct)
		p, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := p.Write(f.Content); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")
