// Command gen writes the catalogue (operations.json, and areas_gen.go from it) from ClickUp's v2 and v3 specs through
// internal/openapi and the reviewed metadata.json; `go generate ./internal/catalog` runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/clickup-mcp/clickup-mcp/internal/catalog"
	"github.com/clickup-mcp/clickup-mcp/internal/contract"
)

func main() {
	shared := flag.String("shared", "../../../shared/clickup", "the directory holding ClickUp's OpenAPI specs")
	root := flag.String("root", "../..", "the repository root")
	flag.Parse()
	if err := run(*shared, *root); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(shared, root string) error {
	var docs [][]byte
	for _, s := range contract.Specs {
		spec, err := os.ReadFile(filepath.Join(shared, s.Source))
		if err != nil {
			return fmt.Errorf("%w (ClickUp's specs sit in ../shared beside the checkout, in development and CI only)", err)
		}
		b, err := contract.GenerateEvery(s, spec, root)
		if err != nil {
			return err
		}
		docs = append(docs, b)
	}
	meta, err := os.ReadFile(filepath.Join(root, "internal/catalog/metadata.json"))
	if err != nil {
		return err
	}
	b, err := catalog.Generate(docs, meta)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "internal/catalog/operations.json"), b, 0o644); err != nil {
		return err
	}
	src, err := catalog.AreasSource(b)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, "internal/catalog/areas_gen.go"), src, 0o644)
}
