package app

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/rs/zerolog"
)

// At info level a failed call's log line says why: ClickUp's error code
// and HTTP status, not only outcome=error_result.
func TestFailedCallLogsTheClickUpError(t *testing.T) {
	var buf testutil.Buffer
	a, err := New(Config{Sandbox: true, Toolsets: "default"}, zerolog.New(&buf).Level(zerolog.InfoLevel))
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, a.MCP)
	if r := testutil.Call(t, c, "clickup_get_task", map[string]any{"task_id": "ACME-99999"}); !r.IsError {
		t.Fatal("want an error result")
	}
	if r := testutil.Call(t, c, "clickup_get_task", map[string]any{"task_idx": "1"}); !r.IsError {
		t.Fatal("want an error result")
	}
	var failed []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, `"outcome":"error_result"`) {
			failed = append(failed, l)
		}
	}
	if len(failed) != 2 {
		t.Fatalf("want 2 failed-call lines, got:\n%s", buf.String())
	}
	for _, want := range []string{`"ecode":"OAUTH_027"`, `"http_status":401`, `"level":"info"`} {
		if !strings.Contains(failed[0], want) {
			t.Errorf("the ClickUp failure's line lacks %s: %s", want, failed[0])
		}
	}
	if !strings.Contains(failed[1], `"error_kind":"invalid_argument"`) || !strings.Contains(failed[1], `"argument":"task_idx"`) {
		t.Errorf("the bad argument's line does not say so: %s", failed[1])
	}
}

// A token ClickUp rejects is logged once as a warning, by its redacted
// form and hash, however often it is used; the token itself never.
func TestRejectedTokenWarnedOnce(t *testing.T) {
	const token = "pk_777_REJECTEDTOKENABCDEFGHIJKLMN"
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"err":"Token invalid","ECODE":"OAUTH_019"}`))
	}))
	defer fake.Close()
	var buf testutil.Buffer
	a, err := New(Config{Token: token, APIURL: fake.URL + "/api", Toolsets: "default"}, zerolog.New(&buf).Level(zerolog.InfoLevel))
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, a.MCP)
	for i := 0; i < 4; i++ {
		if r := testutil.Call(t, c, "clickup_whoami", map[string]any{}); !r.IsError {
			t.Fatal("want an error result")
		}
	}
	if n := strings.Count(buf.String(), "ClickUp refused a token"); n != 1 {
		t.Fatalf("the rejected token was warned about %d times in 4 calls, want once:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), `"level":"warn","token":"pk_…KLMN"`) || !strings.Contains(buf.String(), `"token_hash":"`) {
		t.Errorf("the warning does not name the token by its redacted form and hash:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), token) {
		t.Fatal("the token appeared in the log")
	}
}

// A port in use is one line naming the address with a hint, and no
// "starting" line before it.
func TestPortInUseIsOneLineWithAHint(t *testing.T) {
	t.Setenv("CLICKUP_MCP_TRANSPORT", "")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	var stdout, stderr bytes.Buffer
	code := Serve([]string{"--sandbox", "--transport", "http", "--addr", addr}, strings.NewReader(""), &stdout, &stderr)
	out := stderr.String()
	if code != 1 || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("exit %d, want 1 and one line:\n%s", code, out)
	}
	if !strings.Contains(out, "cannot listen on "+addr) || !strings.Contains(out, "already in use") || !strings.Contains(out, "--addr 127.0.0.1:") || strings.Contains(out, "starting") {
		t.Fatalf("unhelpful: %s", out)
	}
}

// A bare port is 127.0.0.1:PORT; other unreadable addresses say the form.
func TestAddrForms(t *testing.T) {
	for in, want := range map[string]string{"18463": "127.0.0.1:18463", "0.0.0.0:8080": "0.0.0.0:8080", ":9000": ":9000", "[::1]:80": "[::1]:80", "localhost:8080": "localhost:8080"} {
		if got, err := NormalizeAddr("addr", in); err != nil || got != want {
			t.Errorf("NormalizeAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"localhost", "127.0.0.1", "host:port", "99999", "127.0.0.1:70000"} {
		if _, err := NormalizeAddr("addr", in); err == nil || !strings.Contains(err.Error(), "--addr") {
			t.Errorf("NormalizeAddr(%q): want an error naming --addr, got %v", in, err)
		}
	}
	a, err := New(Config{Sandbox: true, Transport: "http", Addr: "18463"}, zerolog.Nop())
	if err != nil || a.Cfg.Addr != "127.0.0.1:18463" {
		t.Fatalf("New with --addr 18463: %v, addr %q", err, a.Cfg.Addr)
	}
}

// A wrong flag is the error and one line on --help (not the whole usage);
// --help goes to stdout and exits 0.
func TestWrongFlagAndHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Serve([]string{"--adr", "1"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Fatalf("wrong flag: exit %d", code)
	}
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "did you mean --addr?") || !strings.Contains(lines[1], "--help") || stdout.Len() != 0 {
		t.Fatalf("wrong flag printed:\n%s", stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := Serve([]string{"--help"}, strings.NewReader(""), &stdout, &stderr); code != 0 || stderr.Len() != 0 || !strings.Contains(stdout.String(), "CLICKUP_API_TOKEN") || !strings.Contains(stdout.String(), "-sandbox") {
		t.Fatalf("--help: exit %d, stdout %d bytes, stderr %q", code, stdout.Len(), stderr.String())
	}
}

// The container's defaults (the Dockerfile's ENV) serve HTTP on
// 0.0.0.0:8080 with the Host check set: a foreign Host is refused even on
// a non-loopback connection, where mcp-go's own guard does not look, while
// the names of a port published on the machine, and --public-url's host,
// are answered.
func TestDockerfileDefaultsCheckHost(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	text := strings.ReplaceAll(string(raw), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "ENV "); ok {
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					env[k] = v
				}
			}
		}
	}
	if env["CLICKUP_MCP_TRANSPORT"] != "http" || env["CLICKUP_MCP_ADDR"] != "0.0.0.0:8080" || env["CLICKUP_MCP_ALLOWED_HOSTS"] == "" {
		t.Fatalf("the Dockerfile's ENV does not default to HTTP on 0.0.0.0:8080 with allowed hosts: %v", env)
	}
	for k, v := range env {
		if strings.HasPrefix(k, "CLICKUP_") {
			t.Setenv(k, v)
		}
	}
	for _, publicURL := range []string{"", "https://mcp.example.com"} {
		t.Setenv("CLICKUP_MCP_PUBLIC_URL", publicURL)
		a, err := buildFromEnv(t, map[string]string{"CLICKUP_MCP_SANDBOX": "1"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Cfg.Transport != "http" || a.Cfg.Addr != "0.0.0.0:8080" {
			t.Fatalf("transport %q addr %q", a.Cfg.Transport, a.Cfg.Addr)
		}
		h, shutdown := a.HTTP().Handler()
		status := func(host string) int {
			r := httptest.NewRequest(http.MethodPost, "http://"+host+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
			r.RemoteAddr = "10.88.0.1:40000" // a mapped port: not loopback
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", "application/json, text/event-stream")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		if c := status("evil.example.com"); c != http.StatusForbidden {
			t.Errorf("public URL %q: a foreign Host got %d, want 403", publicURL, c)
		}
		for _, host := range []string{"localhost:8080", "127.0.0.1:8080", "[::1]:8080"} {
			if c := status(host); c == http.StatusForbidden {
				t.Errorf("Host %s was refused", host)
			}
		}
		if c := status("mcp.example.com"); (c == http.StatusForbidden) != (publicURL == "") {
			t.Errorf("public URL %q: Host mcp.example.com got %d", publicURL, c)
		}
		_ = shutdown(context.Background())
	}
}

// The README's configuration table and --help agree on every default they
// both state in words (the time zone's was once two different stories).
func TestReadmeAndHelpAgreeOnTheTimeZone(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var readmeDefault string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| `--timezone` |") {
			cells := strings.Split(line, "|")
			readmeDefault = strings.TrimSpace(cells[3])
		}
	}
	var cfg Config
	fs := NewFlagSet("clickup-mcp", &cfg, io.Discard)
	usage := fs.Lookup("timezone").Usage
	if readmeDefault == "" || !strings.Contains(usage, "(default: "+readmeDefault+")") {
		t.Fatalf("README says the time zone defaults to %q; --help says %q", readmeDefault, usage)
	}
}
