package app

import (
	"io"
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
	for _, k := range []string{"CLICKUP_MCP_READ_ONLY", "CLICKUP_MCP_SANDBOX", "CLICKUP_MCP_ALLOW_SERVER_TOKEN", "CLICKUP_MCP_LOCKDOWN", "CLICKUP_MCP_CALL_TIMEOUT", "CLICKUP_RATE_LIMIT", "CLICKUP_MCP_MAX_RESULT_BYTES"} {
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
