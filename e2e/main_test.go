// Package e2e drives the built clickup-mcp binary through MCP clients that
// this project did not write: the official Go SDK
// (github.com/modelcontextprotocol/go-sdk) and mcp-go's own client, over
// stdio, SSE and streamable HTTP, against the sandbox or the fake ClickUp.
package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
)

// binary is the clickup-mcp built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "clickup-mcp-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "clickup-mcp")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building clickup-mcp:", err)
		return 1
	}
	return m.Run()
}

// cleanEnv is the test's environment without any CLICKUP_* setting, so a
// developer's own token or API URL never reaches the server under test.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLICKUP_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startHTTP runs the binary with --transport http on a free loopback port,
// waits for /healthz and returns the base URL. The process (its whole group)
// is stopped in t.Cleanup: SIGTERM, then SIGKILL after 10 s.
func startHTTP(t *testing.T, env []string, args ...string) string {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		base, err := tryStartHTTP(t, env, args)
		if err == nil {
			return base
		}
		lastErr = err
	}
	t.Fatalf("starting clickup-mcp over HTTP: %v", lastErr)
	return ""
}

func tryStartHTTP(t *testing.T, env []string, args []string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	logs := &testutil.Buffer{}
	cmd := exec.Command(binary, append(args, "--transport", "http", "--addr", addr, "--log-level", "warn")...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		pid := cmd.Process.Pid
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Errorf("clickup-mcp (pid %d) ignored SIGTERM for 10s; killing it", pid)
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("server log (%s):\n%s", addr, logs.String())
		}
	}
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return "", fmt.Errorf("server exited early: %s", logs.String())
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(stop)
				return base, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", fmt.Errorf("no answer on %s/healthz after 20s: %s", base, logs.String())
}
