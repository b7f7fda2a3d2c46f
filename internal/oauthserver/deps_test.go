package oauthserver

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoOAuthFramework keeps this package on the standard library's
// crypto: whatever it imports, every start of the server pays for
// (docs/BENCHMARKS.md, "What linking a dependency costs a start"), and
// ory/fosite's root package alone brought in ory/x/otelx with Jaeger,
// Zipkin, gRPC and logrus, 1.8x the start of a bare server.
func TestLinksNoOAuthFramework(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/ory/", "github.com/go-oauth2/", "go.opentelemetry.io/", "google.golang.org/grpc", "github.com/sirupsen/logrus"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("internal/oauthserver links %s", d)
			}
		}
	}
}
