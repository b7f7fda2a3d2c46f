package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServerDeps keeps out of the server binary the packages that cost
// every start time and memory without serving a request: the tokenizer
// (its vocabulary is for tests and the bench) and olebedev/when's root
// package (it compiles four languages' date rules at init; the server reads
// English through its rules alone).
func TestServerDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, banned := range []string{
		"github.com/clickup-mcp/clickup-mcp/internal/tokens",
		"github.com/tiktoken-go/tokenizer",
		"github.com/tiktoken-go/tokenizer/codec",
		"github.com/olebedev/when",
		"github.com/olebedev/when/rules/br",
		"github.com/olebedev/when/rules/nl",
		"github.com/olebedev/when/rules/ru",
	} {
		for _, d := range deps {
			if d == banned {
				t.Errorf("the server links %s", banned)
			}
		}
	}
}
