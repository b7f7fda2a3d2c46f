// Command floor is the least an mcp-go server can be. Over stdio (the
// default): one tool, no configuration; the bench builds it in the same run
// as clickup-mcp and reports clickup-mcp's start-up time and memory as
// ratios to it, the floor any server on this library pays (its JSON Schema
// meta-schemas included). Other arguments are ignored, so the bench can
// start both alike.
//
// With --transport http --addr ADDR --api-url URL it serves streamable HTTP
// instead, with one tool of clickup-mcp's name, clickup_get_task, that
// makes the same GET to ClickUp (the token from CLICKUP_API_TOKEN) and
// answers its body as text: the least any MCP server that proxies a ClickUp
// read on this library and net/http costs a call, for the bench's HTTP
// figures to be read against. It writes "addr=HOST:PORT" to stderr.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	var transport, addr, api string
	args := os.Args[1:]
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--transport":
			transport = args[i+1]
		case "--addr":
			addr = args[i+1]
		case "--api-url":
			api = args[i+1]
		}
	}
	if transport == "http" {
		if err := serveHTTP(addr, api); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	s := server.NewMCPServer("floor", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo",
		mcp.WithDescription("Echo the text back."),
		mcp.WithString("text", mcp.Required()),
	), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(req.GetString("text", "")), nil
	})
	if err := server.ServeStdio(s); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// serveHTTP serves the proxying tool over streamable HTTP until the
// process is stopped.
func serveHTTP(addr, api string) error {
	if addr == "" || api == "" {
		return fmt.Errorf("--transport http needs --addr and --api-url")
	}
	token := os.Getenv("CLICKUP_API_TOKEN")
	// As many idle connections to ClickUp as sessions, as clickup-mcp keeps.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
	s := server.NewMCPServer("floor", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("clickup_get_task",
		mcp.WithDescription("The task's JSON, as ClickUp sends it."),
		mcp.WithString("task_id", mcp.Required()),
	), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, api+"/v2/task/"+req.GetString("task_id", "")+"?include_markdown_description=true", nil)
		if err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", token)
		resp, err := client.Do(r)
		if err != nil {
			return mcp.NewToolResultError(err.Error()), nil
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			return mcp.NewToolResultError(fmt.Sprintf("HTTP %d: %v", resp.StatusCode, err)), nil
		}
		return mcp.NewToolResultText(string(body)), nil
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "floor: serving addr=%s\n", ln.Addr())
	hs := &http.Server{Handler: server.NewStreamableHTTPServer(s), ReadHeaderTimeout: 10 * time.Second}
	return hs.Serve(ln)
}
