package workspace

import (
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// The explanation names the real cause: ClickUp unreachable at its URL,
// or a base URL that answers 404 for every path; not "a temporary
// problem" or "check the id".
func TestExplainNamesTheRealCause(t *testing.T) {
	cases := []struct {
		err         error
		want, avoid []string
	}{
		{&clickup.Error{Kind: clickup.KindNetwork, BaseURL: "https://api.clickup.com/api", Message: "the host name api.clickup.com does not resolve (no network or DNS, or a mistyped --api-url)"},
			[]string{"Cannot reach ClickUp at https://api.clickup.com/api: the host name", "Check the network"}, []string{"temporary problem"}},
		{&clickup.Error{Kind: clickup.KindNotFound, StatusCode: 404, BaseURL: "http://127.0.0.1:9999", Message: "Not Found", WrongBaseURL: true},
			[]string{"answered 404 for every path", "did you mean http://127.0.0.1:9999/api?", "--api-url"}, []string{"Check the id"}},
		{&clickup.Error{Kind: clickup.KindNotFound, StatusCode: 404, ECODE: "ITEM_013", BaseURL: "https://api.clickup.com/api", Message: "Task not found"},
			[]string{"Check the id"}, []string{"every path"}},
	}
	for _, c := range cases {
		got := Explain(c.err)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("Explain(%v) = %q, lacks %q", c.err, got, w)
			}
		}
		for _, a := range c.avoid {
			if strings.Contains(got, a) {
				t.Errorf("Explain(%v) = %q, says %q", c.err, got, a)
			}
		}
	}
}
