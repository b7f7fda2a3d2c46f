package main

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// allowedImports is the layout's dependency rules, written down: for each
// package of the module, the packages of the module it may import (outside
// its tests). Data flows one way, MCP request -> toolkit -> tools ->
// workspace -> clickup; nothing below imports what is above it. A new
// package must be added here, which is the moment to decide where it sits
// (docs/ARCHITECTURE.md explains each rule).
var allowedImports = map[string][]string{
	// clickup is the public, MCP-agnostic client: it imports nothing of ours.
	"clickup": {},
	// The fake may validate against the contract and its engine.
	"clickup/clickuptest": {"clickup", "internal/contract", "internal/openapi"},
	"auth":                {"clickup"},
	// A token's view of ClickUp: the client and the write guard.
	"internal/workspace": {"clickup", "internal/whenrules", "internal/writeguard"},
	// olebedev/when's English and common date rules, carried so that they
	// compile on first use (the workspace's dates in words).
	"internal/whenrules": {},
	// The write guard (keys, in-flight, outcomes, stores) knows only the
	// client's errors; it sits below the workspace, beside clickup.
	"internal/writeguard": {"clickup"},
	// The tool framework knows neither the workspace nor the tools.
	"internal/toolkit": {},
	"internal/render":  {"clickup", "internal/workspace"},
	// tools, prompts and the catalogue never import each other.
	// tools see the guard's tickets and outcomes, never its store.
	// tools fetch the files they attach through the public-address guard.
	"tools":            {"clickup", "internal/netguard", "internal/render", "internal/toolkit", "internal/workspace", "internal/writeguard"},
	"prompts":          {"clickup", "internal/render", "internal/workspace"},
	"internal/catalog": {"clickup", "internal/openapi", "internal/render", "internal/toolkit", "internal/workspace", "internal/writeguard"},
	// The HTTP transport serves the OAuth server's endpoints in --auth oauth.
	"internal/httpserve": {"internal/flagval", "internal/health", "internal/oauthserver", "internal/metrics", "internal/oauthserver", "internal/replica", "internal/toolkit", "internal/tracing", "internal/workspace"},
	// The operator's parts (issue 21) are leaves: health and metrics know
	// nothing of ours, traces only the metrics (for route templates), the
	// replica state only the client (whose rate window it shares), the
	// metrics it reports to and the write guard (whose Store it serves).
	"internal/health":  {},
	"internal/metrics": {},
	"internal/tracing": {"internal/metrics"},
	"internal/replica": {"clickup", "internal/metrics", "internal/redisscript", "internal/writeguard"},
	// The OAuth 2.1 authorization server in front of ClickUp's OAuth: it
	// talks to ClickUp through the client only, and knows no MCP.
	"internal/oauthserver": {"clickup", "internal/netguard", "internal/redisscript"},
	// Lua scripts for Redis hashed at their first run: a leaf.
	"internal/redisscript": {},
	// Connections to public addresses only (SSRF guard), for the CIMD fetch
	// and the attachment fetch: a leaf.
	"internal/netguard": {},
	// The composition root is the one package that imports everything.
	"internal/app": {"auth", "internal/buildinfo", "clickup", "clickup/clickuptest", "internal/catalog", "internal/flagval", "internal/health", "internal/httpserve",
		"internal/metrics", "internal/oauthserver", "internal/replica", "internal/toolkit", "internal/tracing", "internal/workspace", "prompts", "tools"},
	"internal/cli": {"auth", "internal/buildinfo", "clickup", "internal/app", "internal/oauthserver", "internal/toolkit", "internal/workspace", "tools"},
	"":             {"internal/cli"},
	// Generators, measurements and test helpers.
	// Strict reading of boolean settings (flags, environment, headers).
	"internal/flagval":        {},
	"internal/openapi":        {},
	"internal/contract":       {"internal/openapi"},
	"internal/contract/gen":   {"internal/contract", "internal/openapi"},
	"clickup/clickuptest/gen": {"internal/contract", "internal/openapi"},
	"internal/catalog/gen":    {"internal/catalog", "internal/contract", "internal/openapi"},
	"internal/reliability":    {},
	"internal/testutil":       {},
	"internal/buildinfo":      {},
	"e2e":                     {},
	"bench":                   {"clickup", "clickup/clickuptest", "internal/catalog", "internal/tokens", "internal/toolkit", "internal/workspace", "tools"},
	// The o200k tokenizer is for tests and the bench only: TestServerDeps
	// keeps it out of the server.
	"internal/tokens": {},
	// The floor: a one-tool mcp-go server the bench measures us against.
	"bench/floor": {},
	// The schema reflector, for the generator and the tools' freshness test
	// only: TestServerDeps keeps it (and invopop/jsonschema) out of the
	// server.
	"internal/schemagen":     {},
	"internal/schemagen/gen": {"internal/catalog", "internal/schemagen", "internal/workspace", "tools"},
}

// TestImportRules checks every package's imports (from go list) against
// allowedImports.
func TestImportRules(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the packages")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/clickup-mcp/clickup-mcp"
	rel := func(p string) (string, bool) {
		if p == mod {
			return "", true
		}
		r, ok := strings.CutPrefix(p, mod+"/")
		return r, ok
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, _ := rel(f[0])
		allowed, ok := allowedImports[pkg]
		if !ok {
			t.Errorf("package %q is not in the layout's rules (allowedImports): decide what it may import", f[0])
			continue
		}
		checked++
		set := map[string]bool{}
		for _, a := range allowed {
			set[a] = true
		}
		var bad []string
		for _, imp := range f[1:] {
			if r, ours := rel(imp); ours && !set[r] {
				bad = append(bad, r)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s imports %v, which the layout forbids (allowed: %v)", f[0], bad, allowed)
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d packages: go list answered %q", checked, out)
	}
}

// testImports are the extra packages the tests of the lower layers may
// import: the fake and the shared helpers, never the layers above.
var testImports = map[string][]string{
	"internal/workspace": {"clickup/clickuptest", "internal/testutil"},
	"internal/toolkit":   {"internal/testutil"},
	"clickup":            {"clickup/clickuptest", "internal/testutil"},
	// The OAuth server's tests sign in against the fake's OAuth.
	"internal/oauthserver": {"clickup/clickuptest", "internal/testutil"},
}

func TestTestImportRules(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the packages")
	}
	const mod = "github.com/clickup-mcp/clickup-mcp/"
	for pkg, extra := range testImports {
		out, err := exec.Command("go", "list", "-f", "{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "./"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		set := map[string]bool{pkg: true}
		for _, a := range append(allowedImports[pkg], extra...) {
			set[a] = true
		}
		for _, imp := range strings.Fields(string(out)) {
			if r, ours := strings.CutPrefix(imp, mod); ours && !set[r] {
				t.Errorf("the tests of %s import %s, which the layout forbids", pkg, r)
			}
		}
	}
}

// TestImportRulesCatchOne proves the check bites: the rule for toolkit
// refuses the workspace.
func TestImportRulesCatchOne(t *testing.T) {
	for _, a := range allowedImports["internal/toolkit"] {
		if a == "internal/workspace" || a == "tools" {
			t.Fatalf("toolkit may not import %s", a)
		}
	}
	for _, a := range allowedImports["internal/workspace"] {
		if a != "clickup" && a != "internal/writeguard" && a != "internal/whenrules" {
			t.Fatalf("workspace may import only clickup, the write guard and the date rules, not %s", a)
		}
	}
	for _, a := range allowedImports["internal/writeguard"] {
		if a != "clickup" {
			t.Fatalf("the write guard may import only clickup, not %s", a)
		}
	}
	for _, p := range []string{"tools", "prompts", "internal/catalog"} {
		for _, a := range allowedImports[p] {
			if a == "tools" || a == "prompts" || a == "internal/catalog" {
				t.Fatalf("%s may not import %s", p, a)
			}
		}
	}
}

// TestServerDeps keeps out of the server binary the packages that cost
// every start time and memory without serving a request: the tokenizer
// (its vocabulary is for tests and the bench), olebedev/when's root
// package (it compiles four languages' date rules at init; the server reads
// English through its rules alone) and the schema reflector (the schemas
// are generated ahead of time into tools/schemas_gen.go).
func TestServerDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, banned := range []string{
		"github.com/clickup-mcp/clickup-mcp/internal/tokens",
		"github.com/tiktoken-go/tokenizer",
		"github.com/tiktoken-go/tokenizer/codec",
		"github.com/olebedev/when",
		"github.com/olebedev/when/rules/br",
		"github.com/olebedev/when/rules/nl",
		"github.com/olebedev/when/rules/ru",
		"github.com/olebedev/when/rules/en",     // internal/whenrules carries it, compiled on first use
		"github.com/olebedev/when/rules/common", // the same
		"github.com/pkg/errors",                 // only rules/en used it
		"github.com/AlekSi/pointer",             // the same
		"net/http/httptest",                     // the sandbox's in-process client records answers itself
		"net/http/internal/testcert",            // httptest's, initialised at every start
		"github.com/clickup-mcp/clickup-mcp/internal/schemagen",
		"github.com/invopop/jsonschema",
		"github.com/pb33f/ordered-map/v2",
		"github.com/prometheus/client_golang/prometheus",                  // /metrics is written by internal/metrics
		"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp", // internal/tracing encodes OTLP itself
		"google.golang.org/grpc",
		"google.golang.org/protobuf/proto",
	} {
		for _, d := range deps {
			if d == banned {
				t.Errorf("the server links %s", banned)
			}
		}
	}
}

// TestObservabilityLinksLittle: tracing and metrics, linked into every
// start whether configured or not, link neither gRPC nor the protobuf
// runtime (internal/tracing encodes OTLP itself, internal/metrics writes
// Prometheus' text format itself).
func TestObservabilityLinksLittle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./internal/tracing", "./internal/metrics").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		for _, banned := range []string{"google.golang.org/grpc", "google.golang.org/protobuf", "github.com/prometheus/", "go.opentelemetry.io/otel/exporters/"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("internal/tracing or internal/metrics links %s", d)
			}
		}
	}
}
