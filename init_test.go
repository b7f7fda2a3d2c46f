package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// initBudget bounds what a package of ours may allocate in its package
// initialisers, which run at every start whether the configuration uses the
// package or not: build tables, compile expressions and parse data at first
// use instead (sync.Once), or make them static data (constants, arrays,
// sorted slices, switches). Measured on this test binary, which links every
// package the server does.
const initBudget = 16 << 10

// TestInitIsSmall runs this test binary again with GODEBUG=inittrace=1 and
// reads what each initialiser of a server package allocated: no package of
// ours above initBudget, and none of the initialisers that were cut
// (olebedev/when's English rules, httptest's certificate) back.
func TestInitIsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list and this binary again")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	server := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		server[p] = true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	trace, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, trace)
	}
	line := regexp.MustCompile(`(?m)^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)
	const mod = "github.com/clickup-mcp/clickup-mcp"
	seen := 0
	for _, m := range line.FindAllStringSubmatch(string(trace), -1) {
		pkg, bytes := m[1], m[2]
		if !server[pkg] {
			continue
		}
		seen++
		n, _ := strconv.Atoi(bytes)
		if strings.HasPrefix(pkg, mod) && n > initBudget {
			t.Errorf("%s allocates %d bytes in %s allocations in package init (at most %d): make it lazy or static", pkg, n, m[3], initBudget)
		}
		for _, cut := range []string{"github.com/olebedev/when/rules/en", "github.com/olebedev/when/rules/common", "net/http/internal/testcert"} {
			if pkg == cut {
				t.Errorf("%s's initialiser runs at every start again", pkg)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("read %d initialisers of server packages from the trace; its format changed?\n%s", seen, trace)
	}
}
