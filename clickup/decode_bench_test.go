package clickup_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// BenchmarkDecodeTaskPage decodes one page of 100 demo tasks (about 320 KB
// of ClickUp JSON) into a TaskPage, as the client does (the direct decoder
// of taskdecode.go): the hottest step of a 100-task search.
func BenchmarkDecodeTaskPage(b *testing.B) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	req := httptest.NewRequest(http.MethodGet, "/api/v2/team/"+clickuptest.DemoWorkspaceID+"/task?page=0&include_closed=true&subtasks=true", nil)
	req.Header.Set("Authorization", clickuptest.DemoToken)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var p clickup.TaskPage
		if !clickup.DecodeFast(body, &p) || len(p.Tasks) != clickup.PageSize {
			b.Fatal("not taken", len(p.Tasks))
		}
	}
}

// TestFlexDecodersAgreeWithJSON guards the fast path of the lenient
// decoders: whatever the form of the string, they read what encoding/json
// reads.
func TestFlexDecodersAgreeWithJSON(t *testing.T) {
	for _, in := range []string{
		`"86b1x2y3z"`, `""`, `"  42 "`, `"1730000000000"`, `"a\"b"`, `"tab\there"`, `"caf\u00e9"`,
		`"café"`, "\"\xff\xfe\"", `"\\"`, `"line\nbreak"`, `"x/y"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var s clickup.FlexString
		if err := json.Unmarshal([]byte(in), &s); err != nil || string(s) != want {
			t.Errorf("FlexString(%s) = %q, %v; want %q", in, s, err, want)
		}
	}
	for in, want := range map[string]int64{`"42"`: 42, `" 7 "`: 7, `""`: 0, `"1.5e3"`: 1500, `12`: 12} {
		var i clickup.FlexInt
		if err := json.Unmarshal([]byte(in), &i); err != nil || int64(i) != want {
			t.Errorf("FlexInt(%s) = %d, %v; want %d", in, i, err, want)
		}
	}
	var f clickup.FlexFloat
	if err := json.Unmarshal([]byte(`"2.5"`), &f); err != nil || f != 2.5 {
		t.Errorf("FlexFloat = %v, %v", f, err)
	}
}

// BenchmarkDecodeTask decodes one demo task as GET task returns it (about
// 3 KB, with subtasks and markdown), the way the client does: the direct
// decoder (taskdecode.go), with encoding/json beside it for comparison.
func BenchmarkDecodeTask(b *testing.B) {
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(1_000_000_000, time.Minute))
	page := fakeGet(b, fake, "/v2/list/"+clickuptest.DemoListSprint12+"/task")
	var p clickup.TaskPage
	if err := json.Unmarshal(page, &p); err != nil {
		b.Fatal(err)
	}
	body := fakeGet(b, fake, "/v2/task/"+string(p.Tasks[0].ID)+"?include_subtasks=true&include_markdown_description=true")
	b.Run("direct", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var t clickup.Task
			if !clickup.DecodeFast(body, &t) {
				b.Fatal("not taken")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var t clickup.Task
			if err := json.Unmarshal(body, &t); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FlexInt reads a quoted string of digits in place; whatever it reads so,
// the general path must read the same.
func TestFlexIntDigitsInPlace(t *testing.T) {
	for _, in := range []string{`"0"`, `"7"`, `"1792737094548"`, `"000123"`, `"999999999999999999"`, `"9999999999999999999"`, `"-5"`, `" 5"`, `"5 "`, `"1e3"`, `"12a"`, `"\u0031"`, `""`} {
		var got clickup.FlexInt
		gotErr := json.Unmarshal([]byte(in), &got)
		// The general path: unquoted, trimmed, ParseInt then ParseFloat.
		var s string
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatal(err)
		}
		var want clickup.FlexInt
		var wantErr error
		if v := strings.TrimSpace(s); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				want = clickup.FlexInt(n)
			} else if f, err := strconv.ParseFloat(v, 64); err == nil {
				want = clickup.FlexInt(f)
			} else {
				wantErr = err
			}
		}
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("FlexInt(%s) = %d, %v; want %d, %v", in, got, gotErr, want, wantErr)
		}
	}
}
