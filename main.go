// Command clickup-mcp is a Model Context Protocol server for ClickUp: it
// lets LLM assistants search, read, create and update ClickUp work over
// stdio, SSE or streamable HTTP.
package main

import (
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/clickup-mcp/clickup-mcp/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	app.Version = version
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
