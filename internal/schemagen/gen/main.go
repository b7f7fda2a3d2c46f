// Command gen writes the generated schemas of a set of tools: the input and
// output schemas reflected from their argument and result types, so the
// server serves them without reflecting at start. `go generate ./tools/`
// writes tools/schemas_gen.go (the curated tools of the registry) and `go
// generate ./internal/catalog/` writes internal/catalog/schemas_gen.go (the
// four catalogue tools).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/catalog"
	"github.com/clickup-mcp/clickup-mcp/internal/schemagen"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
)

func main() {
	out := flag.String("o", "schemas_gen.go", "file to write")
	set := flag.String("set", "tools", "which tools: tools (the curated registry) or catalog")
	flag.Parse()
	d := workspace.NewDeps(workspace.Config{Token: "pk_generate"})
	var ts []schemagen.Tool
	switch *set {
	case "tools":
		for _, t := range tools.All(d) {
			ts = append(ts, schemagen.Tool{Name: t.Name(), Args: t.Args, Result: t.Result})
		}
	case "catalog":
		cts, err := catalog.Tools(d, catalog.Options{})
		if err != nil {
			fail(err)
		}
		for _, t := range cts {
			ts = append(ts, schemagen.Tool{Name: t.Name(), Args: t.Args, Result: t.Result})
		}
	default:
		fail(fmt.Errorf("unknown -set %q; valid: tools, catalog", *set))
	}
	src, err := schemagen.Source(*set, "generatedSchemas", ts)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
