// Command gen writes the trimmed ClickUp API contract; `go generate ./internal/contract` runs it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clickup-mcp/clickup-mcp/internal/contract"
)

func main() {
	in := flag.String("in", "../../../shared/clickup/openapi-v2.json", "ClickUp's OpenAPI v2 spec")
	ops := flag.String("ops", "../../testdata/contract/operations.txt", "operationIds to keep, one a line")
	exc := flag.String("exceptions", "../../testdata/contract/exceptions.json", "reviewed deviations from the spec")
	out := flag.String("out", "../../testdata/contract/clickup-v2.json", "where to write the contract")
	flag.Parse()
	if err := contract.GenerateFiles(*in, *ops, *exc, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
