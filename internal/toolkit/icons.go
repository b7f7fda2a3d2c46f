package toolkit

import (
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// Icons: small SVGs as data URIs (no network, nothing to host), one for the
// server and one per toolset; every tool carries its toolset's, and the
// prompts and resources the icon of the toolset they belong with. They are
// kept to a single short path each: tools/list carries one per tool, within
// the wire budget (tools/budget_test.go).

const iconColor = "%237B68EE" // ClickUp's violet, '#' escaped

var iconPaths = map[string]string{
	"server":        "<path d='M3 16l9-7 9 7' stroke='" + iconColor + "' stroke-width='3' fill='none'/>",
	ToolsetContext:  "<path d='M4 4h6v6H4zM14 14h6v6h-6zM7 10v7h7' stroke='" + iconColor + "' stroke-width='2' fill='none'/>",
	ToolsetTasks:    "<path d='M4 12l5 5L20 6' stroke='" + iconColor + "' stroke-width='3' fill='none'/>",
	ToolsetComments: "<path d='M4 5h16v11H9l-5 4z' stroke='" + iconColor + "' stroke-width='2' fill='none'/>",
	ToolsetCatalog:  "<path d='M5 4h14v16H5zM9 9h6M9 13h6' stroke='" + iconColor + "' stroke-width='2' fill='none'/>",
}

// Icon is the icon of a toolset ("server" for the server itself), or nil
// for a name without one.
func Icon(name string) []mcp.Icon {
	p, ok := iconPaths[name]
	if !ok {
		return nil
	}
	svg := "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'>" + p + "</svg>"
	svg = strings.NewReplacer("<", "%3C", ">", "%3E").Replace(svg)
	return []mcp.Icon{{Src: "data:image/svg+xml," + svg}}
}

// Identity is what the server says of itself at initialize (and in
// server/discover) besides its name and version.
var Identity = struct{ Title, Description, WebsiteURL string }{
	Title:       "ClickUp",
	Description: "Search, read, create and update ClickUp tasks and comments, with names resolved for you.",
	WebsiteURL:  "https://github.com/clickup-mcp/clickup-mcp",
}
