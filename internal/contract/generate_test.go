package contract

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedSpecs is where ClickUp's specs sit in development and CI: beside the checkout. A user's
// clone has no ../shared, and then the drift test skips.
const sharedSpecs = "../../../shared/clickup"

// TestCommittedContractIsGenerated fails when a committed contract is not what
// `go generate ./internal/contract` makes from the spec, the operations list and the exceptions:
// someone edited it by hand, or changed an input without regenerating.
func TestCommittedContractIsGenerated(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, s := range Specs {
		t.Run(s.Version, func(t *testing.T) {
			spec, err := os.ReadFile(filepath.Join(sharedSpecs, s.Source))
			if os.IsNotExist(err) {
				t.Skipf("%s is not here (only development and CI have ../shared)", s.Source)
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := Generate(s, spec, root)
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(root, s.File))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is stale: run `go generate ./internal/contract` and commit the result", s.File)
			}
		})
	}
}
