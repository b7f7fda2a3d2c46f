// Command gen writes the facts the fake's spec-driven fallback serves from: ClickUp's two
// published specs trimmed to facts (every operation, no prose), patched by the contract's
// reviewed exceptions. `go generate ./clickup/clickuptest` runs it; the fake embeds the result,
// so neither tests nor the sandbox read ClickUp's specs.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/clickup-mcp/clickup-mcp/internal/contract"
)

func main() {
	shared := flag.String("shared", "../../../shared/clickup", "the directory holding ClickUp's OpenAPI specs")
	root := flag.String("root", "../..", "the repository root")
	out := flag.String("out", "spec", "where to write clickup-v2.json and clickup-v3.json")
	flag.Parse()
	if err := run(*shared, *root, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(shared, root, out string) error {
	for _, s := range contract.Specs {
		spec, err := os.ReadFile(filepath.Join(shared, s.Source))
		if err != nil {
			return fmt.Errorf("%w (ClickUp's specs sit in ../shared beside the checkout, in development and CI only)", err)
		}
		b, err := contract.GenerateEvery(s, spec, root)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Version, err)
		}
		if err := os.WriteFile(filepath.Join(out, "clickup-"+s.Version+".json"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
