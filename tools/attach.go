package tools

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/netguard"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
	"github.com/mark3labs/mcp-go/mcp"
)

// --- clickup_attach_file ---

type AttachFileArgs struct {
	TaskID        string       `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id or URL"`
	URL           string       `json:"url,omitempty" jsonschema_description:"public https URL to fetch"`
	ContentBase64 string       `json:"content_base64,omitempty" jsonschema_description:"the file in base64"`
	Path          string       `json:"path,omitempty" jsonschema_description:"file in the server's --upload-dir (stdio only)"`
	Filename      string       `json:"filename,omitempty" jsonschema_description:"needed with content_base64; default: from url or path"`
	ContentType   string       `json:"content_type,omitempty" jsonschema_description:"default: as served, else from the name"`
	WorkspaceID   workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type AttachFileResult struct {
	ID           string `json:"id"`
	TaskID       string `json:"task_id"`
	Title        string `json:"title"`
	Size         int64  `json:"size" jsonschema_description:"bytes"`
	URL          string `json:"url"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"already attached moments ago; not sent again"`
}

// ResourceLinks: the task the file was attached to.
func (r *AttachFileResult) ResourceLinks() []mcp.ResourceLink { return render.TaskLink(r.TaskID, "") }

// attachNet, when set (by tests only), replaces the network of the URL
// fetch: a resolver and dialer that reach a test server on 127.0.0.1 while
// the address check stays the production one.
var attachNet *netguard.FetchConfig

// maxFilename bounds a file name: what file systems and ClickUp's UI take.
const maxFilename = 255

func AttachFile(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_attach_file", Title: "Attach file", Toolset: toolkit.ToolsetTasks, Hints: toolkit.CreateHints, NotDefault: true,
		Description: "Attach a file to a task: give one of url, content_base64 or path.",
		Examples: []string{
			`{"task_id": "ACME-1", "content_base64": "UmVsZWFzZSBub3Rlcwo=", "filename": "notes.txt"}`,
			`{"task_id": "ACME-2", "content_base64": "iVBORw0KGgo=", "filename": "screenshot.png", "content_type": "image/png"}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *AttachFileArgs) (*AttachFileResult, string, error) {
		src, err := attachGiven(a)
		if err != nil {
			return nil, "", err
		}
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		f, err := attachSource(ctx, d.Config().Uploads, a, src)
		if err != nil {
			return nil, "", err
		}
		sum := sha256.Sum256(f.content)
		digest := hex.EncodeToString(sum[:])
		r := &AttachFileResult{TaskID: ref.ID, Title: f.name, Size: int64(len(f.content))}
		tk, err := s.BeginWrite(ctx, "attach_file", ref, f.name, digest)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		defer tk.Close()
		if tk.Replay != nil {
			var old AttachFileResult
			if json.Unmarshal(tk.Replay.Data, &old) != nil {
				old = *r
				old.ID = tk.Replay.Ref
			}
			old.Deduplicated = true
			return &old, fmt.Sprintf("Already attached moments ago (not sent again): %s on task %s, attachment %s.", workspace.Flat(old.Title), old.TaskID, old.ID), nil
		}
		seen := map[string]clickup.Attachment{}
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "attachment", Where: fmt.Sprintf("read task %s (clickup_get_task) for an attachment named %q", ref.ID, f.name),
			Send: func(ctx context.Context) (string, error) {
				made, err := s.Client.Tasks.Attach(ctx, ref, f.name, f.contentType, f.content)
				if err != nil {
					return "", err
				}
				r.URL = made.URL
				if made.Title != "" {
					r.Title = made.Title
				}
				return string(made.ID), nil
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				return attachEvidence(ctx, s, ref, f, since, seen)
			},
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		r.ID, r.Deduplicated = id, how == writeguard.FoundEarlier
		extra := ""
		if how != writeguard.Sent {
			a := seen[id]
			r.URL = a.URL
			extra = "\nClickUp's answer was lost; a check proved this attachment is this call's own (same name and size, by you, after the call began): attached once."
			if how == writeguard.FoundEarlier {
				extra = "\nAn earlier identical call lost ClickUp's answer; a check proved this attachment is its write: not sent again."
			}
		}
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		return r, fmt.Sprintf("Attached %s (%s) to task %s: attachment %s, %s%s", workspace.Flat(r.Title), sizeText(r.Size), r.TaskID, r.ID, r.URL, extra), nil
	})
}

// attachEvidence lists the task's attachments with the name and size sent,
// added since about since.
func attachEvidence(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, f *upload, since time.Time, seen map[string]clickup.Attachment) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: strconv.FormatInt(int64(me.ID), 10)}
	for _, a := range t.Attachments {
		if a.Title != f.name || bool(a.Deleted) || a.Date.Time().Before(since.Add(-workspace.SearchSkew)) {
			continue
		}
		seen[string(a.ID)] = a
		var differs []string
		if int64(a.Size) != int64(len(f.content)) {
			differs = append(differs, "size")
		}
		c := writeguard.Candidate{Ref: string(a.ID), Label: a.Title, Created: a.Date.Time(), Differs: differs}
		if a.User != nil {
			c.Creator = strconv.FormatInt(int64(a.User.ID), 10)
		}
		ev.Candidates = append(ev.Candidates, c)
	}
	return ev, nil
}

// upload is a file ready to send.
type upload struct {
	name, contentType string
	content           []byte
}

// attachGiven checks that exactly one source is given, and returns it.
func attachGiven(a *AttachFileArgs) (string, error) {
	var given []string
	for _, g := range []struct{ name, v string }{{"url", a.URL}, {"content_base64", a.ContentBase64}, {"path", a.Path}} {
		if strings.TrimSpace(g.v) != "" {
			given = append(given, g.name)
		}
	}
	switch len(given) {
	case 0:
		return "", workspace.InvalidArg("url", "give one of url, content_base64 or path")
	case 1:
	default:
		return "", workspace.InvalidArg(given[1], "give only one of url, content_base64 or path, not %s", strings.Join(given, " and "))
	}
	if ct := strings.TrimSpace(a.ContentType); ct != "" {
		if _, _, err := mime.ParseMediaType(ct); err != nil || !strings.Contains(ct, "/") {
			return "", workspace.InvalidArg("content_type", "%q is not a media type such as image/png or application/pdf", ct)
		}
	}
	if given[0] != "url" && strings.TrimSpace(a.Filename) != "" {
		if err := checkFilename("filename", strings.TrimSpace(a.Filename)); err != nil {
			return "", err
		}
	}
	if given[0] == "content_base64" && strings.TrimSpace(a.Filename) == "" {
		return "", workspace.InvalidArg("filename", "is required with content_base64, e.g. report.pdf")
	}
	return given[0], nil
}

// attachSource reads the source given, within the cap, and names it.
func attachSource(ctx context.Context, up workspace.Uploads, a *AttachFileArgs, src string) (*upload, error) {
	f := &upload{contentType: strings.TrimSpace(a.ContentType)}
	var derived string
	switch src {
	case "url":
		cfg := netguard.FetchConfig{MaxBytes: up.MaxBytes}
		if attachNet != nil {
			cfg = *attachNet
			cfg.MaxBytes = up.MaxBytes
		}
		fetcher, err := netguard.NewFetcher(cfg)
		if err != nil {
			return nil, err
		}
		defer fetcher.Close()
		got, err := fetcher.Fetch(ctx, strings.TrimSpace(a.URL))
		if err != nil {
			var fe *netguard.FetchError
			if errors.As(err, &fe) {
				if fe.TooLarge {
					return nil, workspace.InvalidArg("url", "%v (--max-upload-bytes). Nothing was attached.", fe)
				}
				return nil, workspace.InvalidArg("url", "%v. Nothing was attached.", fe)
			}
			return nil, err
		}
		f.content, derived = got.Content, got.Name
		if f.contentType == "" {
			f.contentType = servedType(got.ContentType)
		}
	case "content_base64":
		b, mt, err := decodeBase64(a.ContentBase64, up.MaxBytes)
		if err != nil {
			return nil, err
		}
		f.content = b
		if f.contentType == "" {
			f.contentType = mt
		}
	case "path":
		b, name, err := readUpload(up, a.Path)
		if err != nil {
			return nil, err
		}
		f.content, derived = b, name
	}
	name := strings.TrimSpace(a.Filename)
	arg := "filename"
	if name == "" {
		name, arg = derived, src
	}
	if name == "" {
		return nil, workspace.InvalidArg("filename", "is required: the %s names no file (e.g. report.pdf)", src)
	}
	if err := checkFilename(arg, name); err != nil {
		return nil, err
	}
	f.name = name
	if f.contentType == "" {
		f.contentType = typeByName(name)
	}
	if len(f.content) == 0 {
		return nil, workspace.InvalidArg(src, "the file is empty; ClickUp takes no empty attachment. Nothing was attached.")
	}
	return f, nil
}

// commonTypes complete mime.TypeByExtension, whose built-in table lacks
// plain text and office files on machines without /etc/mime.types.
var commonTypes = map[string]string{
	".txt": "text/plain; charset=utf-8", ".log": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".csv": "text/csv; charset=utf-8", ".zip": "application/zip", ".gz": "application/gzip",
	".doc": "application/msword", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt": "application/vnd.ms-powerpoint", ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".mp4": "video/mp4", ".mov": "video/quicktime", ".mp3": "audio/mpeg",
}

// typeByName is the media type a file name's extension says ("" when
// unknown: the upload then goes as application/octet-stream).
func typeByName(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return commonTypes[ext]
}

// servedType keeps a server's Content-Type unless it says nothing
// (octet-stream): the name's extension then says more.
func servedType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt == "application/octet-stream" {
		return ""
	}
	return ct
}

// checkFilename refuses names that are paths or hold control characters:
// the name is what ClickUp shows and what a download is saved as.
func checkFilename(arg, name string) error {
	switch {
	case strings.ContainsAny(name, `/\`):
		return workspace.InvalidArg(arg, "the file name %q must have no slashes", name)
	case name == "." || name == "..":
		return workspace.InvalidArg(arg, "%q is not a file name", name)
	case len(name) > maxFilename:
		return workspace.InvalidArg(arg, "the file name is %d bytes, over %d", len(name), maxFilename)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return workspace.InvalidArg(arg, "the file name must have no control characters")
	}
	return nil
}

// decodeBase64 reads standard or URL-safe base64, padded or not, with line
// breaks, or a data: URL (whose media type it returns); the decoded size is
// capped before and after decoding.
func decodeBase64(s string, maxBytes int64) ([]byte, string, error) {
	s = strings.TrimSpace(s)
	var mt string
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		meta, data, found := strings.Cut(rest, ",")
		if !found || !strings.HasSuffix(meta, ";base64") {
			return nil, "", workspace.InvalidArg("content_base64", "a data: URL must be data:<type>;base64,<data>")
		}
		mt, s = strings.TrimSuffix(meta, ";base64"), data
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	if n := base64.RawStdEncoding.DecodedLen(len(s)); int64(n) > maxBytes {
		return nil, "", workspace.InvalidArg("content_base64", "the file is about %s, over the cap of %s (--max-upload-bytes). Nothing was attached.", sizeText(int64(n)), sizeText(maxBytes))
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, "", workspace.InvalidArg("content_base64", "is not base64: %v", err)
	}
	return b, mt, nil
}

// readUpload reads a file inside the upload directory. os.Root resolves
// the path inside the directory: .. and symbolic links that lead out of it
// fail, whatever the path looks like.
func readUpload(up workspace.Uploads, p string) ([]byte, string, error) {
	if up.Remote {
		return nil, "", workspace.InvalidArg("path", "is refused over HTTP: it reads this server's disk, which is offered only over stdio, where the caller is the machine's own user. Send url or content_base64 instead.")
	}
	if up.Root == nil {
		return nil, "", workspace.InvalidArg("path", "no upload directory is configured: the server reads local files only from --upload-dir DIR (CLICKUP_MCP_UPLOAD_DIR). Send url or content_base64 instead.")
	}
	p = strings.TrimSpace(p)
	if filepath.IsAbs(p) {
		dir, err := filepath.Abs(up.Dir)
		if err != nil {
			return nil, "", err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, "", workspace.InvalidArg("path", "%q is outside the upload directory %s", p, up.Dir)
		}
		p = rel
	}
	fh, err := up.Root.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", workspace.InvalidArg("path", "no file %q in the upload directory %s", p, up.Dir)
		}
		return nil, "", workspace.InvalidArg("path", "%q cannot be read inside the upload directory %s (a path may not leave it through .. or a link): %v", p, up.Dir, errors.Unwrap(err))
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, "", err
	}
	if !fi.Mode().IsRegular() {
		return nil, "", workspace.InvalidArg("path", "%q is not a regular file", p)
	}
	if fi.Size() > up.MaxBytes {
		return nil, "", workspace.InvalidArg("path", "%q is %s, over the cap of %s (--max-upload-bytes). Nothing was attached.", p, sizeText(fi.Size()), sizeText(up.MaxBytes))
	}
	// The file may grow after the Stat: the cap holds while reading too.
	b, err := io.ReadAll(io.LimitReader(fh, up.MaxBytes+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(b)) > up.MaxBytes {
		return nil, "", workspace.InvalidArg("path", "%q is over the cap of %s (--max-upload-bytes). Nothing was attached.", p, sizeText(up.MaxBytes))
	}
	return b, filepath.Base(p), nil
}

// sizeText is a size in bytes, KiB or MiB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
