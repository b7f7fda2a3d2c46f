package toolkit

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

type linked struct {
	N     int `json:"n"`
	links []mcp.ResourceLink
}

func (l *linked) ResourceLinks() []mcp.ResourceLink { return l.links }

func someLinks(n int) []mcp.ResourceLink {
	out := make([]mcp.ResourceLink, 0, n)
	for i := range n {
		out = append(out, mcp.NewResourceLink(fmt.Sprintf("clickup://task/t%d", i), fmt.Sprintf("Task %d", i), "ClickUp task", "text/markdown"))
	}
	return out
}

// A Linker's links follow the text, deduplicated and at most MaxLinks; a
// result that is not one has none.
func TestResultLinksBoundedAndDeduplicated(t *testing.T) {
	r := &linked{links: append(someLinks(3), append(someLinks(3), someLinks(40)...)...)}
	got := resultLinks(r)
	if len(got) != MaxLinks {
		t.Fatalf("%d links, want %d", len(got), MaxLinks)
	}
	seen := map[string]bool{}
	for _, l := range got {
		if seen[l.URI] || l.Type != mcp.ContentTypeLink {
			t.Errorf("link %+v repeated or untyped", l)
		}
		seen[l.URI] = true
	}
	if resultLinks(struct{}{}) != nil || resultLinks(&linked{}) != nil {
		t.Error("links without a Linker or without links")
	}
	res, err := budgetedResult("t", 20_000, r, got, "text")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Content) != 1+MaxLinks {
		t.Fatalf("%d content items, want the text and %d links", len(res.Content), MaxLinks)
	}
	if _, ok := res.Content[0].(mcp.TextContent); !ok {
		t.Errorf("first item %T, want the text", res.Content[0])
	}
}

// The links count in the result budget and give way first, before the
// text is cut.
func TestResultLinksGiveWayToTheBudget(t *testing.T) {
	r := &linked{N: 1, links: someLinks(MaxLinks)}
	links := resultLinks(r)
	per := linkTokens(links[:1])
	if per < 10 || LinkTokens(r) != linkTokens(links) {
		t.Fatalf("a link estimated at %d tokens; LinkTokens %d, want %d", per, LinkTokens(r), linkTokens(links))
	}
	text := "short text"
	base := EstimateJSONTokens([]byte(`{"n":1}`)) + EstimateTokens(text)
	// Room for three links: three stay, the text is whole.
	res, err := budgetedResult("t", base+linkTokens(links[:3]), r, links, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Content) != 4 || res.Content[0].(mcp.TextContent).Text != text {
		t.Errorf("%d items (text %q), want the whole text and 3 links", len(res.Content), res.Content[0].(mcp.TextContent).Text)
	}
	// No room for any: none, the text still whole.
	res, err = budgetedResult("t", base, r, links, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Content) != 1 || res.Content[0].(mcp.TextContent).Text != text {
		t.Errorf("%d items, want the text alone", len(res.Content))
	}
}

// The links' cost is weighed on their JSON written by hand; it must be
// what json.Marshal writes, or the hand-written form must step aside.
func TestLinkJSONIsEncodingJSONs(t *testing.T) {
	size := int64(5)
	odd := []mcp.ResourceLink{
		mcp.NewResourceLink("clickup://task/a%20b", "Task <b> & \"q\"", "ClickUp task", "text/markdown"),
		mcp.NewResourceLink("clickup://task/x", "café ☕ 😀", "ClickUp task", "text/markdown"),
		mcp.NewResourceLink("clickup://task/x", "line\u2028sep", "ClickUp task", "text/markdown"),
		mcp.NewResourceLink("clickup://task/x", "bad \xff utf8", "ClickUp task", "text/markdown"),
		mcp.NewResourceLink("clickup://task/x", "tab\there\\", "ClickUp task", "text/markdown"),
		mcp.NewResourceLink("", "", "", ""),
		{Type: mcp.ContentTypeLink, URI: "u", Name: "n", Title: "a title", Description: "d", MIMEType: "m"},
		{Type: mcp.ContentTypeLink, URI: "u", Name: "n", Size: &size},
		{Type: mcp.ContentTypeLink, URI: "u", Name: "n", Annotated: mcp.Annotated{Annotations: &mcp.Annotations{Priority: ptr(0.5)}}},
		{Type: mcp.ContentTypeLink, URI: "u", Name: "n", Meta: &mcp.Meta{AdditionalFields: map[string]any{"k": 1}}},
	}
	for _, l := range append(someLinks(3), odd...) {
		want, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := appendLinkJSON(nil, l); ok && string(got) != string(want) {
			t.Errorf("link %+v:\n got %s\nwant %s", l, got, want)
		}
		if got, want := oneLinkTokens(l), EstimateJSONTokens(want)+1; got != want {
			t.Errorf("link %+v: %d tokens, want %d", l, got, want)
		}
	}
	if _, ok := appendLinkJSON(nil, someLinks(1)[0]); !ok {
		t.Error("the server's own links are not written by hand")
	}
	if _, ok := appendLinkJSON(nil, odd[1]); !ok {
		t.Error("a link named beyond ASCII is not written by hand")
	}
}

type preEncoded struct {
	N       int `json:"n"`
	encoded []byte
}

func (p *preEncoded) EncodedJSON() []byte { return p.encoded }

// A result that carries its JSON (Encoded) is sent as those bytes; one
// without them yet is encoded here.
func TestEncodedResultSentAsItsBytes(t *testing.T) {
	res, err := budgetedResult("t", 1000, &preEncoded{N: 1, encoded: []byte(`{"n":2}`)}, nil, "x")
	if err != nil || string(res.StructuredContent.(json.RawMessage)) != `{"n":2}` {
		t.Fatalf("%v, %v", res, err)
	}
	res, err = budgetedResult("t", 1000, &preEncoded{N: 3}, nil, "x")
	if err != nil || string(res.StructuredContent.(json.RawMessage)) != `{"n":3}` {
		t.Fatalf("%v, %v", res, err)
	}
}
