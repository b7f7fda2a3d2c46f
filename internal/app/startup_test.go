package app

import (
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
)

// TestEveryToolValidates: a start checks the tool set without decoding any
// JSON (toolkit's checkTools); the full check, examples included, runs here
// over every tool the server can offer, curated and catalogue alike.
func TestEveryToolValidates(t *testing.T) {
	a := testApp(t, "http://clickup.invalid/api", nil, "--toolsets", "all")
	if len(a.AllTools) < 30 {
		t.Fatalf("only %d tools", len(a.AllTools))
	}
	if err := toolkit.Validate(a.AllTools); err != nil {
		t.Fatal(err)
	}
}
