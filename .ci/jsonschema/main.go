// Command jsonschema validates JSON documents against a JSON Schema (any
// draft that github.com/santhosh-tekuri/jsonschema/v6 knows, which the
// tests already use), printing every error with its place in the document.
// .ci/packaging.sh runs it on server.json against the MCP registry's schema.
//
//	go run ./.ci/jsonschema SCHEMA.json DOC.json...
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: go run ./.ci/jsonschema SCHEMA.json DOC.json...")
		os.Exit(2)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // "format": "uri" and the like are checked, as the registry does
	sch, err := c.Compile(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "schema %s: %v\n", os.Args[1], err)
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[2:] {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: not JSON: %v\n", path, err)
			failed = true
			continue
		}
		if err := sch.Validate(doc); err != nil {
			var ve *jsonschema.ValidationError
			if errors.As(err, &ve) {
				fmt.Fprintf(os.Stderr, "%s: %v\n", path, ve)
			} else {
				fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			}
			failed = true
			continue
		}
		fmt.Printf("%s: valid against %s\n", path, os.Args[1])
	}
	if failed {
		os.Exit(1)
	}
}
