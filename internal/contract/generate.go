package contract

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
)

// Spec is one of ClickUp's API versions as the contract sees it: where its published spec sits
// in ../shared/clickup, and, relative to the repository root, the operations the contract keeps,
// the reviewed exceptions and the committed contract.
type Spec struct {
	Version    string // "v2", "v3"
	Source     string // file name in ../shared/clickup
	Operations string
	Exceptions string
	File       string
}

// Specs are the contract's two documents.
var Specs = []Spec{
	{Version: "v2", Source: "openapi-v2.json", Operations: "testdata/contract/operations.txt",
		Exceptions: "testdata/contract/exceptions.json", File: "testdata/contract/clickup-v2.json"},
	{Version: "v3", Source: "openapi-v3.json", Operations: "testdata/contract/operations-v3.txt",
		Exceptions: "testdata/contract/exceptions-v3.json", File: "testdata/contract/clickup-v3.json"},
}

// Generate trims spec (ClickUp's published document for s.Version) to the operations listed in
// s.Operations, patched by s.Exceptions, both read below root (the repository root).
func Generate(s Spec, spec []byte, root string) ([]byte, error) {
	of, err := os.Open(filepath.Join(root, s.Operations))
	if err != nil {
		return nil, err
	}
	defer of.Close()
	ops, err := openapi.ReadOperations(of)
	if err != nil {
		return nil, err
	}
	return generate(s, spec, root, ops, "ClickUp API "+s.Version+": the operations clickup-mcp calls",
		"go generate ./internal/contract; do not edit: change "+s.Operations+" or "+s.Exceptions+" and regenerate")
}

// GenerateEvery is Generate keeping every operation of the spec, for the fake's spec-driven
// fallback (`go generate ./clickup/clickuptest`), with the same reviewed exceptions.
func GenerateEvery(s Spec, spec []byte, root string) ([]byte, error) {
	return generate(s, spec, root, nil, "ClickUp API "+s.Version+": every operation, as the fake's fallback serves them",
		"go generate ./clickup/clickuptest; do not edit: facts from ClickUp's spec patched by "+s.Exceptions)
}

func generate(s Spec, spec []byte, root string, ops []string, title, by string) ([]byte, error) {
	ef, err := os.Open(filepath.Join(root, s.Exceptions))
	if err != nil {
		return nil, err
	}
	defer ef.Close()
	exc, err := openapi.ReadExceptions(ef)
	if err != nil {
		return nil, err
	}
	return openapi.Trim(spec, openapi.Options{Operations: ops, Exceptions: exc, Title: title, GeneratedBy: by})
}

// GenerateFiles is what `go generate` runs: for each version it reads the spec from shared
// (../shared/clickup beside the checkout) and writes the contract below root.
func GenerateFiles(shared, root string) error {
	for _, s := range Specs {
		spec, err := os.ReadFile(filepath.Join(shared, s.Source))
		if err != nil {
			return fmt.Errorf("%w (ClickUp's specs sit in ../shared beside the checkout, in development and CI only)", err)
		}
		b, err := Generate(s, spec, root)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Version, err)
		}
		if err := os.WriteFile(filepath.Join(root, s.File), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
