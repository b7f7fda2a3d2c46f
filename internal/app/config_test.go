package app

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/auth"
	"github.com/rs/zerolog"
)

// buildFromEnv parses flags with the given environment, as main does, and
// builds the app (no token: only the configuration is checked).
func buildFromEnv(t *testing.T, env map[string]string, args ...string) (*App, error) {
	t.Helper()
	t.Setenv("CLICKUP_API_TOKEN", "")
	t.Setenv(auth.EnvConfigDir, t.TempDir())
	for _, k := range []string{"CLICKUP_MCP_READ_ONLY", "CLICKUP_MCP_SANDBOX", "CLICKUP_MCP_ALLOW_SERVER_TOKEN", "CLICKUP_MCP_LOCKDOWN", "CLICKUP_MCP_CALL_TIMEOUT", "CLICKUP_RATE_LIMIT", "CLICKUP_MCP_MAX_RESULT_BYTES", "CLICKUP_MCP_UPLOAD_DIR", "CLICKUP_MCP_MAX_UPLOAD_BYTES"} {
		t.Setenv(k, env[k])
	}
	var cfg Config
	if err := NewFlagSet("clickup-mcp", &cfg, io.Discard).Parse(args); err != nil {
		return nil, err
	}
	return New(cfg, zerolog.Nop())
}

func writeTools(a *App) []string {
	var out []string
	for _, t := range a.Tools {
		if !t.ReadOnly {
			out = append(out, t.Name())
		}
	}
	return out
}

// Every boolean accepts the usual spellings, and anything else stops the
// server naming the variable: CLICKUP_MCP_READ_ONLY=yes used to offer every
// write tool.
func TestConfigBooleansFailClosed(t *testing.T) {
	for _, v := range []string{"yes", "on", "1", "true", "TRUE", "Yes", "ON"} {
		a, err := buildFromEnv(t, map[string]string{"CLICKUP_MCP_READ_ONLY": v, "CLICKUP_MCP_SANDBOX": v})
		if err != nil {
			t.Fatalf("READ_ONLY=%s: %v", v, err)
		}
		if w := writeTools(a); len(w) > 0 || !a.Cfg.Sandbox {
			t.Errorf("READ_ONLY=SANDBOX=%s: write tools %v, sandbox %v", v, w, a.Cfg.Sandbox)
		}
	}
	for _, v := range []string{"no", "off", "0", "false", "FALSE"} {
		a, err := buildFromEnv(t, map[string]string{"CLICKUP_MCP_READ_ONLY": v, "CLICKUP_MCP_SANDBOX": "1"})
		if err != nil || len(writeTools(a)) == 0 {
			t.Errorf("READ_ONLY=%s: %v, write tools %v", v, err, writeTools(a))
		}
	}
	for _, name := range []string{"CLICKUP_MCP_READ_ONLY", "CLICKUP_MCP_SANDBOX", "CLICKUP_MCP_ALLOW_SERVER_TOKEN", "CLICKUP_MCP_LOCKDOWN"} {
		_, err := buildFromEnv(t, map[string]string{name: "enabled", "CLICKUP_MCP_SANDBOX": "1"}, "--sandbox")
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "yes/no") {
			t.Errorf("%s=enabled: %v, want an error naming it", name, err)
		}
	}
	for _, tc := range []struct{ name, val string }{{"CLICKUP_MCP_CALL_TIMEOUT", "soon"}, {"CLICKUP_RATE_LIMIT", "lots"}, {"CLICKUP_MCP_MAX_RESULT_BYTES", "80k"}} {
		_, err := buildFromEnv(t, map[string]string{tc.name: tc.val}, "--sandbox")
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%s: %v, want an error naming it", tc.name, tc.val, err)
		}
	}
	// Flags take the same spellings.
	a, err := buildFromEnv(t, nil, "--sandbox=yes", "--read-only=on", "--lockdown", "--call-timeout", "7s")
	if err != nil || len(writeTools(a)) > 0 || !a.Cfg.Lockdown || a.Deps.Config().CallTimeout != 7*time.Second || !a.Deps.Config().Lockdown {
		t.Fatalf("--sandbox=yes --read-only=on --lockdown --call-timeout 7s: %v %+v", err, a.Cfg)
	}
	if _, err := buildFromEnv(t, nil, "--read-only=maybe"); err == nil {
		t.Error("--read-only=maybe accepted")
	}
	a, err = buildFromEnv(t, map[string]string{"CLICKUP_MCP_CALL_TIMEOUT": "90s"}, "--sandbox")
	if err != nil || a.Deps.Config().CallTimeout != 90*time.Second || a.HTTP().NewHTTPServer(nil).WriteTimeout < 90*time.Second {
		t.Fatalf("CLICKUP_MCP_CALL_TIMEOUT=90s: %v, timeout %v, write timeout %v", err, a.Deps.Config().CallTimeout, a.HTTP().NewHTTPServer(nil).WriteTimeout)
	}
	if a, err := buildFromEnv(t, nil, "--sandbox"); err != nil || a.Deps.Config().CallTimeout != 60*time.Second {
		t.Fatalf("default call timeout: %v %v", err, a.Deps.Config().CallTimeout)
	}
}

// The attachment settings fail closed: an upload directory that is not a
// directory, or one given to an HTTP server (whose callers are remote),
// stops the server at start; so does a cap out of range.
func TestConfigUploads(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := buildFromEnv(t, map[string]string{"CLICKUP_MCP_UPLOAD_DIR": dir, "CLICKUP_MCP_MAX_UPLOAD_BYTES": "4096"}, "--sandbox")
	if err != nil {
		t.Fatal(err)
	}
	if u := a.Deps.Config().Uploads; u.Root == nil || u.Dir != dir || u.MaxBytes != 4096 || u.Remote {
		t.Fatalf("uploads %+v", u)
	}
	if a, err := buildFromEnv(t, nil, "--sandbox"); err != nil || a.Deps.Config().Uploads.Root != nil || a.Deps.Config().Uploads.MaxBytes != 16<<20 {
		t.Fatalf("defaults: %v %+v", err, a.Deps.Config().Uploads)
	}
	if a, err := buildFromEnv(t, nil, "--sandbox", "--transport", "http"); err != nil || !a.Deps.Config().Uploads.Remote {
		t.Fatalf("http: %v %+v", err, a.Deps.Config().Uploads)
	}
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--upload-dir", filepath.Join(dir, "missing")}, "no such file"},
		{nil, []string{"--upload-dir", file}, "not a directory"},
		{map[string]string{"CLICKUP_MCP_UPLOAD_DIR": dir}, []string{"--transport", "http"}, "stdio only"},
		{nil, []string{"--max-upload-bytes", "10"}, "out of range"},
		{nil, []string{"--max-upload-bytes", "1073741824"}, "out of range"},
		{map[string]string{"CLICKUP_MCP_MAX_UPLOAD_BYTES": "big"}, nil, "CLICKUP_MCP_MAX_UPLOAD_BYTES"},
	} {
		_, err := buildFromEnv(t, c.env, append([]string{"--sandbox"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error with %q", c.env, c.args, err, c.want)
		}
	}
}
