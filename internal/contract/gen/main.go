// Command gen writes the trimmed ClickUp API contracts (v2 and v3); `go generate ./internal/contract` runs it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/contract"
)

func main() {
	shared := flag.String("shared", "../../../shared/clickup", "the directory holding ClickUp's OpenAPI specs")
	root := flag.String("root", "../..", "the repository root")
	flag.Parse()
	if err := contract.GenerateFiles(*shared, *root); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
