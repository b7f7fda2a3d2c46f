package toolkit

import (
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// Resource links. A result that names tasks or lists says so by
// implementing Linker; the framework appends a resource_link content item
// for each link after the text (deduplicated, at most MaxLinks), so that a
// client can show them and read each one with resources/read. A tool only
// returns links whose URIs a resources/read of this server answers (the
// templates in prompts/resources.go; render.TaskLink and render.ListLink
// build them).

// MaxLinks bounds the links of one result. A search page holds up to 100
// tasks, and the structured content names every one of them already: the
// links are for a client to show and open, and ten (the first tasks of a
// page, a task with its list and parent) is what a user can take in at a
// glance, at 30 to 40 tokens a link (the ten links of a demo search: 389
// tokens, 2% of the default result budget) rather than 3,900.
const MaxLinks = 10

// Linker is implemented by a result type whose result names tasks or lists:
// ResourceLinks lists them, the most important first (the framework keeps
// the first MaxLinks).
type Linker interface {
	ResourceLinks() []mcp.ResourceLink
}

// resultLinks are the links of a result, deduplicated by URI and bounded by
// MaxLinks; nil when the result is not a Linker.
func resultLinks(r any) []mcp.ResourceLink {
	l, ok := r.(Linker)
	if !ok {
		return nil
	}
	var out []mcp.ResourceLink
	seen := map[string]bool{}
	for _, link := range l.ResourceLinks() {
		if link.URI == "" || seen[link.URI] {
			continue
		}
		seen[link.URI] = true
		if link.Type == "" {
			link.Type = mcp.ContentTypeLink
		}
		out = append(out, link)
		if len(out) == MaxLinks {
			break
		}
	}
	return out
}

// LinkTokens is the estimated token cost of the links the framework will
// attach to result r, for a tool that sizes its own text against the budget.
func LinkTokens(r any) int { return linkTokens(resultLinks(r)) }

func linkTokens(links []mcp.ResourceLink) int {
	n := 0
	for _, l := range links {
		b, err := json.Marshal(l)
		if err != nil {
			continue
		}
		n += EstimateJSONTokens(b) + 1
	}
	return n
}
