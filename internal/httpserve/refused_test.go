package httpserve

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/rs/zerolog"
)

// Refused Origin and Host values are logged at warn, once per value, and a
// flood of made-up values is held to a bounded number of lines.
func TestRefusedHostAndOriginLoggedOnce(t *testing.T) {
	var buf testutil.Buffer
	refused := newRefusalLog(zerolog.New(&buf))
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	h := checkHost(checkOrigin(ok, map[string]bool{}, refused), []string{"mcp.example.com"}, refused)
	do := func(host, origin string) int {
		r := httptest.NewRequest(http.MethodPost, "http://"+host+"/mcp", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := 0; i < 20; i++ {
		if c := do("mcp.example.com", "https://evil.example"); c != 403 {
			t.Fatalf("foreign origin answered %d", c)
		}
		if c := do("other.example", ""); c != 403 {
			t.Fatalf("foreign host answered %d", c)
		}
	}
	if c := do("mcp.example.com", "http://localhost:3000"); c != 200 {
		t.Fatalf("allowed request answered %d", c)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(buf.String(), `"origin":"https://evil.example"`) || !strings.Contains(buf.String(), `"host":"other.example"`) ||
		strings.Count(buf.String(), `"level":"warn"`) != 2 {
		t.Fatalf("want one warn line per refused value, got %d:\n%s", len(lines), buf.String())
	}
	for i := 0; i < 3*maxRefusedValues; i++ {
		do("mcp.example.com", fmt.Sprintf("https://evil%d.example", i))
	}
	if n := strings.Count(buf.String(), "\n"); n > maxRefusedValues+1 {
		t.Fatalf("a flood of %d distinct origins wrote %d lines, want at most %d", 3*maxRefusedValues, n, maxRefusedValues+1)
	}
	if !strings.Contains(buf.String(), "further ones are refused without a log line") {
		t.Error("no line says that further refusals are not logged")
	}
}
