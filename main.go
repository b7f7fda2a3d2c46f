// Command clickup-mcp is a Model Context Protocol server for ClickUp: it
// lets LLM assistants search, read, create and update ClickUp work over
// stdio, SSE or streamable HTTP.
package main

import (
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/cli"
)

// The version, commit and date come from internal/buildinfo (release
// ldflags, else the VCS info the go command recorded).
func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
