package toolkit

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

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
	all := l.ResourceLinks()
	if len(all) == 0 {
		return nil
	}
	out := make([]mcp.ResourceLink, 0, min(len(all), MaxLinks))
	for _, link := range all {
		// At most MaxLinks kept: a scan of them is the cheapest set.
		if link.URI == "" || slices.ContainsFunc(out, func(o mcp.ResourceLink) bool { return o.URI == link.URI }) {
			continue
		}
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
		n += oneLinkTokens(l)
	}
	return n
}

// oneLinkTokens is the estimated cost of one link as it is sent: the
// estimate of its JSON, and one for the comma between content items.
func oneLinkTokens(l mcp.ResourceLink) int {
	var buf [256]byte
	b, ok := appendLinkJSON(buf[:0], l)
	if !ok {
		var err error
		if b, err = json.Marshal(l); err != nil {
			return 0
		}
	}
	return EstimateJSONTokens(b) + 1
}

// appendLinkJSON appends what json.Marshal makes of a link, for the links
// the server builds (no annotations, meta or size, strings that need no
// escaping); false for any other, which json.Marshal encodes. Every result
// with links weighs them on each call, and json.Marshal of ten links was
// a tenth of clickup_get_task's own CPU.
func appendLinkJSON(b []byte, l mcp.ResourceLink) ([]byte, bool) {
	if l.Annotations != nil || l.Meta != nil || l.Size != nil {
		return b, false
	}
	for _, s := range [...]string{l.Type, l.URI, l.Name, l.Title, l.Description, l.MIMEType} {
		if !plainJSON(s) {
			return b, false
		}
	}
	b = append(b, `{"type":"`...)
	b = append(b, l.Type...)
	b = append(b, `","uri":"`...)
	b = append(b, l.URI...)
	b = append(b, `","name":"`...)
	b = append(b, l.Name...)
	if l.Title != "" {
		b = append(b, `","title":"`...)
		b = append(b, l.Title...)
	}
	b = append(b, `","description":"`...)
	b = append(b, l.Description...)
	b = append(b, `","mimeType":"`...)
	b = append(b, l.MIMEType...)
	b = append(b, `"}`...)
	return b, true
}

// plainJSON reports whether encoding/json writes s between quotes as it
// is: no control characters, quotes, backslashes or HTML's <, > and &;
// beyond ASCII, valid UTF-8 without U+2028 and U+2029 (which it escapes).
func plainJSON(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			ascii = false
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return ascii || utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}
