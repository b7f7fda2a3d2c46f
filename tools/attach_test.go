package tools

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/netguard"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

const attachRoute = "POST /v2/task/{task_id}/attachment"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// "attach these notes to DEV-1": by custom id, the type from the name;
// warm, one request; the same call again is answered from memory.
func TestAttachFileBase64(t *testing.T) {
	h := newHarness(t, "pk_alex")
	args := map[string]any{"task_id": h.loginCustom, "content_base64": b64("release notes\n"), "filename": "notes.txt"}
	var r AttachFileResult
	text := h.mustOK(t, "clickup_attach_file", args, &r)
	as := h.fake.Attachments(h.login)
	if len(as) != 1 || string(as[0].Content) != "release notes\n" || as[0].Title != "notes.txt" || !strings.HasPrefix(as[0].Mimetype, "text/plain") || as[0].UserID != h.alex {
		t.Fatalf("stored %+v", as)
	}
	if r.ID != as[0].ID || r.TaskID != h.loginCustom || r.Title != "notes.txt" || r.Size != 14 || !strings.HasPrefix(r.URL, "https://") ||
		!strings.Contains(text, "Attached notes.txt (14 B) to task "+h.loginCustom) {
		t.Fatalf("result %+v\n%s", r, text)
	}
	// The same file again: not sent twice, and free.
	before := h.fake.Count("")
	var again AttachFileResult
	text = h.mustOK(t, "clickup_attach_file", args, &again)
	if !again.Deduplicated || again.ID != r.ID || again.URL != r.URL || len(h.fake.Attachments(h.login)) != 1 || h.fake.Count("") != before || !strings.Contains(text, "not sent again") {
		t.Fatalf("again %+v (%d requests)\n%s", again, h.fake.Count("")-before, text)
	}
	// Warm, by native id: one request. A data: URL gives the type; URL-safe
	// base64 without padding and with line breaks reads too.
	png := "\x89PNG\r\n\x1a\n\xfb\xff"
	before = h.fake.Count("")
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "content_base64": "data:image/png;base64," + b64(png), "filename": "shot.png"}, &r)
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("warm attach cost %d requests, want 1", n)
	}
	raw := strings.TrimRight(base64.URLEncoding.EncodeToString([]byte(png)), "=")
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "content_base64": raw[:4] + "\n" + raw[4:], "filename": "shot2.bin", "content_type": "image/png"}, nil)
	as = h.fake.Attachments(h.login)
	if len(as) != 3 || as[1].Mimetype != "image/png" || string(as[1].Content) != png || as[2].Mimetype != "image/png" || string(as[2].Content) != png {
		t.Fatalf("stored %+v", as)
	}
	// The task lists them.
	tk, _ := h.fake.Task(h.login)
	if len(tk.Attachments) != 3 {
		t.Fatalf("task has %d attachments", len(tk.Attachments))
	}
}

func TestAttachFileRefusals(t *testing.T) {
	h := newHarness(t, "pk_alex")
	h.deps.Tune(func(c *workspace.Config) { c.Uploads.MaxBytes = 1024 })
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"task_id": h.login}, []string{"url", "one of url, content_base64 or path"}},
		{map[string]any{"task_id": h.login, "url": "https://example.com/a.txt", "content_base64": b64("x"), "filename": "a"}, []string{"only one", "url and content_base64"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x")}, []string{"filename", "required"}},
		{map[string]any{"task_id": h.login, "content_base64": "%%%", "filename": "a.txt"}, []string{"content_base64", "not base64"}},
		{map[string]any{"task_id": h.login, "content_base64": "data:text/plain,hi", "filename": "a.txt"}, []string{"data:<type>;base64"}},
		{map[string]any{"task_id": h.login, "content_base64": b64(strings.Repeat("x", 2000)), "filename": "a.txt"}, []string{"over the cap of 1.0 KiB", "--max-upload-bytes"}},
		{map[string]any{"task_id": h.login, "content_base64": "", "filename": "a.txt"}, []string{"one of url"}},
		{map[string]any{"task_id": h.login, "content_base64": "====", "filename": "a.txt"}, []string{"empty"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x"), "filename": "../etc/passwd"}, []string{"filename", "no slashes"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x"), "filename": "a\x00.txt"}, []string{"filename", "control"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x"), "filename": "a.txt", "content_type": "text"}, []string{"content_type", "media type"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x"), "filename": 5}, []string{"filename", "string"}},
		{map[string]any{"task_id": h.login, "content_base64": b64("x"), "filename": "a.txt", "mode": "fast"}, []string{"mode"}},
		{map[string]any{"task_id": h.login, "url": "http://example.com/a.txt"}, []string{"url", "not https"}},
		{map[string]any{"task_id": h.login, "path": "notes.txt"}, []string{"path", "--upload-dir"}},
	} {
		sent := h.fake.Count(attachRoute)
		h.mustErr(t, "clickup_attach_file", c.args, c.want...)
		if h.fake.Count(attachRoute) != sent {
			t.Errorf("%v was sent", c.args)
		}
	}
	if n := h.fake.Count(attachRoute); n != 0 {
		t.Fatalf("refused calls sent %d uploads", n)
	}
	// ClickUp's own refusal: the task is not found (the upload it refused
	// is the one request).
	h.mustErr(t, "clickup_attach_file", map[string]any{"task_id": "nosuch", "content_base64": b64("x"), "filename": "a.txt"}, "OAUTH_027")
	h.deps.Tune(func(c *workspace.Config) { c.Uploads.Remote = true })
	h.mustErr(t, "clickup_attach_file", map[string]any{"task_id": h.login, "path": "notes.txt"}, "refused over HTTP", "stdio")
	if n := len(h.fake.Attachments(h.login)); n != 0 {
		t.Fatalf("refused calls attached %d files", n)
	}
}

// A lost answer is proven by reading the task's attachments and attached
// once; a rate limit is waited out; a 502 that did not apply is reported
// unknown and never re-sent blindly.
func TestAttachFileFaults(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	fault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/task/{task_id}/attachment"
		w.fake.InjectFault(f)
	}
	n := 0
	next := func() map[string]any {
		n++
		return map[string]any{"task_id": w.login, "content_base64": b64(strings.Repeat("z", n)), "filename": "log" + string(rune('a'+n)) + ".txt"}
	}
	for _, f := range []clickuptest.Fault{{Truncate: true}, {Drop: clickuptest.DropAfterHandling}, {Status: 502, Body: `{"err":"Bad gateway"}`, Applied: true}} {
		args := next()
		before := len(w.fake.Attachments(w.login))
		fault(f)
		var r AttachFileResult
		text := h.mustOK(t, "clickup_attach_file", args, &r)
		as := w.fake.Attachments(w.login)
		if !strings.Contains(text, "attached once") || len(as) != before+1 || r.ID != as[len(as)-1].ID || r.URL == "" {
			t.Fatalf("%+v: %s; %d attachments, result %+v", f, text, len(as), r)
		}
		// The model's retry: answered from memory.
		h.mustOK(t, "clickup_attach_file", args, &r)
		if !r.Deduplicated || len(w.fake.Attachments(w.login)) != before+1 {
			t.Fatalf("%+v: retry %+v", f, r)
		}
	}
	before := len(w.fake.Attachments(w.login))
	fault(clickuptest.Fault{Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_attach_file", next(), nil)
	if len(w.fake.Attachments(w.login)) != before+1 {
		t.Fatal("the rate-limited upload was not sent again")
	}
	args := next()
	fault(clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_attach_file", args, "Outcome unknown", "clickup_get_task")
	if len(w.fake.Attachments(w.login)) != before+1 {
		t.Fatal("a 502 that did not apply attached a file")
	}
	// Its retry does not send blindly either, while the write may land.
	sent := w.fake.Count(attachRoute)
	h.mustErr(t, "clickup_attach_file", args, "unknown")
	if w.fake.Count(attachRoute) != sent {
		t.Fatal("the retry of an unknown upload sent it again")
	}
}

// fileHost serves files over TLS as public hosts: the production address
// check runs on the resolver's public answer, and every checked address is
// dialled to the test server on 127.0.0.1.
func fileHost(t *testing.T, h http.Handler) {
	t.Helper()
	ts := httptest.NewTLSServer(h)
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	attachNet = &netguard.FetchConfig{
		Dialer: netguard.Dialer{Resolver: hostsResolver{
			"files.example.com": "203.0.113.7", "intranet.example.com": "10.1.2.3", "meta.example.com": "169.254.169.254", "v6.example.com": "fc00::1",
		}, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, ts.Listener.Addr().String())
		}},
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		Timeout:   2 * time.Second,
	}
	t.Cleanup(func() { attachNet = nil })
}

type hostsResolver map[string]string

func (r hostsResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ip, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IPAddr{{IP: net.ParseIP(ip)}}, nil
}

func TestAttachFileURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/r/q3%20report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7 q3"))
	})
	mux.HandleFunc("/raw/data", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write([]byte("a,b\n1,2\n"))
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("index")) })
	mux.HandleFunc("/hop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		for range 8 {
			_, _ = w.Write(bytes.Repeat([]byte("x"), 512))
			w.(http.Flusher).Flush()
		}
	})
	fileHost(t, mux)
	h := newHarness(t, "pk_alex")
	h.deps.Tune(func(c *workspace.Config) { c.Uploads.MaxBytes = 2048 })
	var r AttachFileResult
	text := h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "url": "https://files.example.com/r/q3%20report.pdf?sig=s3cret"}, &r)
	as := h.fake.Attachments(h.login)
	if len(as) != 1 || as[0].Title != "q3 report.pdf" || as[0].Mimetype != "application/pdf" || string(as[0].Content) != "%PDF-1.7 q3" || r.Size != 11 || strings.Contains(text, "s3cret") {
		t.Fatalf("stored %+v, result %+v\n%s", as, r, text)
	}
	// Renamed; a served octet-stream gives way to the name's type; through
	// a redirect to the same public host.
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "url": "https://files.example.com/hop?to=/raw/data", "filename": "data.csv"}, nil)
	as = h.fake.Attachments(h.login)
	if len(as) != 2 || as[1].Title != "data.csv" || !strings.HasPrefix(as[1].Mimetype, "text/csv") {
		t.Fatalf("renamed %+v", as[1])
	}
	for _, c := range []struct{ url, want string }{
		{"https://intranet.example.com/a.txt", "non-public"},
		{"https://meta.example.com/latest/meta-data", "non-public"},
		{"https://v6.example.com/a.txt", "non-public"},
		{"https://files.example.com/hop?to=https://intranet.example.com/a", "non-public"},
		{"https://files.example.com/hop?to=https://127.0.0.1/a", "non-public"},
		{"https://files.example.com/hop?to=https://[::1]/a", "non-public"},
		{"https://files.example.com/hop?to=http://files.example.com/r/x", "not https"},
		{"https://files.example.com/big", "cap of 2048"},
		{"https://files.example.com/nothing", "HTTP 404"},
		{"https://files.example.com/", "filename"},
		{"https://nowhere.example.com/a", "could not be resolved"},
	} {
		h.mustErr(t, "clickup_attach_file", map[string]any{"task_id": h.login, "url": c.url}, c.want, "url")
	}
	if n := len(h.fake.Attachments(h.login)); n != 2 {
		t.Fatalf("refused fetches attached %d files", n-2)
	}
}

// Without the test hook the real resolver and dialer run: loopback and
// private addresses and names are refused before any connection.
func TestAttachFileURLRealCheck(t *testing.T) {
	hits := 0
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	h := newHarness(t, "pk_alex")
	for _, u := range []string{"https://127.0.0.1:" + port + "/a.txt", "https://localhost:" + port + "/a.txt", "https://[::1]:" + port + "/a.txt",
		"https://10.0.0.8/a.txt", "https://169.254.169.254/a.txt", "https://[fc00::1]/a.txt", "https://[::ffff:127.0.0.1]:" + port + "/a.txt"} {
		h.mustErr(t, "clickup_attach_file", map[string]any{"task_id": h.login, "url": u}, "non-public", "Nothing was attached")
	}
	if hits != 0 || h.fake.Count(attachRoute) != 0 {
		t.Fatalf("local server reached %d times, %d uploads", hits, h.fake.Count(attachRoute))
	}
}

func TestAttachFilePath(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "uploads")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "logs"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "logs", "app.log"), []byte("boot ok\n"), 0o600))
	must(os.WriteFile(filepath.Join(dir, "big.bin"), bytes.Repeat([]byte("x"), 4096), 0o600))
	must(os.WriteFile(filepath.Join(base, "secret.txt"), []byte("s3cret"), 0o600))
	must(os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(dir, "link.txt")))
	must(os.Symlink(base, filepath.Join(dir, "up")))
	must(os.Symlink(filepath.Join("logs", "app.log"), filepath.Join(dir, "inside.log")))
	root, err := os.OpenRoot(dir)
	must(err)
	t.Cleanup(func() { _ = root.Close() })
	h := newHarness(t, "pk_alex")
	h.deps.Tune(func(c *workspace.Config) { c.Uploads = workspace.Uploads{MaxBytes: 2048, Root: root, Dir: dir} })
	var r AttachFileResult
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "path": "logs/app.log"}, &r)
	if r.Title != "app.log" || r.Size != 8 {
		t.Fatalf("result %+v", r)
	}
	// An absolute path inside the directory, and a link that stays inside.
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "path": filepath.Join(dir, "logs", "app.log"), "filename": "boot.log"}, nil)
	h.mustOK(t, "clickup_attach_file", map[string]any{"task_id": h.login, "path": "inside.log"}, nil)
	as := h.fake.Attachments(h.login)
	if len(as) != 3 || as[1].Title != "boot.log" || string(as[2].Content) != "boot ok\n" {
		t.Fatalf("stored %+v", as)
	}
	for _, c := range []struct{ path, want string }{
		{"../secret.txt", "cannot be read inside the upload directory"},
		{"logs/../../secret.txt", "cannot be read inside the upload directory"},
		{"link.txt", "cannot be read inside the upload directory"},
		{"up/secret.txt", "cannot be read inside the upload directory"},
		{filepath.Join(base, "secret.txt"), "outside the upload directory"},
		{"/etc/passwd", "outside the upload directory"},
		{"nope.txt", "no file"},
		{"logs", "not a regular file"},
		{"big.bin", "over the cap"},
	} {
		h.mustErr(t, "clickup_attach_file", map[string]any{"task_id": h.login, "path": c.path}, "path", c.want)
	}
	for _, a := range h.fake.Attachments(h.login) {
		if string(a.Content) == "s3cret" {
			t.Fatal("a file outside the upload directory was attached")
		}
	}
	if n := len(h.fake.Attachments(h.login)); n != 3 {
		t.Fatalf("refused paths attached %d files", n-3)
	}
}
