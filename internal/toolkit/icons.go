package toolkit

import (
	"github.com/mark3labs/mcp-go/mcp"
)

// Icons: small SVGs as data URIs (no network, nothing to host), one for the
// server and one per toolset; every tool carries its toolset's, and the
// prompts and resources the icon of the toolset they belong with. They are
// kept to a single short path each: tools/list carries one per tool, within
// the wire budget (tools/budget_test.go). Numbers are separated by commas,
// which SVG allows wherever it allows a space: a space costs "%20" (a token
// or two) in the URI, a comma one.

// iconPaths are filled shapes on a 24x24 grid (no stroke attributes: each
// byte is paid for on every tools/list).
var iconPaths = map[string]string{
	"server":         "M2,15l10-9,10,9-3,2-7-6-7,6z",
	ToolsetContext:   "M3,3h7v7H3zm11,11h7v7h-7zM6,10h2v6h6v2H6z",
	ToolsetTasks:     "M3,12l3-3,4,4,8-8,3,3-11,11z",
	ToolsetComments:  "M3,4h18v12H9l-6,5z",
	ToolsetCatalog:   "M5,3h14v18H5zm3,5v2h8V8zm0,4v2h8v-2z",
	ToolsetTime:      "M6,2h12v4l-4,6,4,6v4H6v-4l4-6-4-6z",
	ToolsetDocs:      "M5,2h9l5,5v15H5z",
	ToolsetHierarchy: "M3,3h8v6H3zm0,12h8v6H3zm10-6h8v6h-8zM6,9h2v6H6zm2,3h5v2H8z",
	ToolsetChat:      "M2,3h14v10H7l-5,4zm16,4h4v14l-4-3h-8v-3h8z",
}

// The SVG around a path, escaped so that the data URI is a valid URI
// (format "uri" in the spec schema, which the conformance suite checks): no
// raw <, > or spaces, and # as %23. Written escaped, so that no start builds
// an escaper (a strings.Replacer cost 9 KB at each of 45 calls); paths hold
// none of those characters (TestIconsAreValidURIs).
const (
	svgOpen  = "%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0,0,24,24'%20fill='%237B68EE'%3E%3Cpath%20d='"
	svgClose = "'/%3E%3C/svg%3E"
)

// Icon is the icon of a toolset ("server" for the server itself), or nil
// for a name without one.
func Icon(name string) []mcp.Icon {
	p, ok := iconPaths[name]
	if !ok {
		return nil
	}
	return []mcp.Icon{{Src: "data:image/svg+xml," + svgOpen + p + svgClose}}
}

// Identity is what the server says of itself at initialize (and in
// server/discover) besides its name and version.
var Identity = struct{ Title, Description, WebsiteURL string }{
	Title:       "ClickUp",
	Description: "Search, read, create and update ClickUp tasks and comments, with names resolved for you.",
	WebsiteURL:  "https://github.com/clickup-mcp/clickup-mcp",
}
