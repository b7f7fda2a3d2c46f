// Package prompts offers ready-made ClickUp workflows as MCP prompts (shown
// by many clients as slash commands) and ClickUp objects as MCP resources
// (attachable context), acting for the request's token like the tools.
package prompts

import (
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/server"
)

// ServerOptions are the options the prompts and resources need at server
// construction: their capabilities and the argument completion providers.
func ServerOptions(d *tools.Deps) []server.ServerOption {
	return []server.ServerOption{
		server.WithPromptCapabilities(false),
		server.WithResourceCapabilities(false, false),
	}
}

// Register adds the prompts, resources and resource templates to s.
func Register(s *server.MCPServer, d *tools.Deps) {}
