// Command gen writes tools/schemas_gen.go: the input and output schemas of
// every tool of the registry, reflected from their argument and result
// types, so the server serves them without reflecting at start. Run it with
// `go generate ./tools/`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/schemagen"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
)

func main() {
	out := flag.String("o", "schemas_gen.go", "file to write")
	flag.Parse()
	var ts []schemagen.Tool
	for _, t := range tools.All(workspace.NewDeps(workspace.Config{Token: "pk_generate"})) {
		ts = append(ts, schemagen.Tool{Name: t.Name(), Args: t.Args, Result: t.Result})
	}
	src, err := schemagen.Source("tools", "generatedSchemas", ts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
