package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func fakeBuild(version string, settings ...string) func() (*debug.BuildInfo, bool) {
	return func() (*debug.BuildInfo, bool) {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/clickup-mcp/clickup-mcp", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi, true
	}
}

func TestGet(t *testing.T) {
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	cases := []struct {
		name          string
		v, c, d       string
		read          func() (*debug.BuildInfo, bool)
		want          Info
		wantInString  string
		avoidInString string
	}{
		{
			name: "release build stamped by the linker wins over VCS info",
			v:    "v1.2.3", c: "0123456789abcdef0123", d: "2026-12-01T20:00:00Z",
			read:         fakeBuild("(devel)", "vcs.revision", "ffff", "vcs.time", "2020-01-01T00:00:00Z", "vcs.modified", "true"),
			want:         Info{Version: "v1.2.3", Commit: "0123456789abcdef0123", Date: "2026-12-01T20:00:00Z"},
			wantInString: "clickup-mcp v1.2.3 (commit 0123456789ab, 2026-12-01T20:00:00Z)",
		},
		{
			name:         "go build in a checkout: pseudo-version and VCS settings",
			read:         fakeBuild("v0.0.0-20261201201200-353c1e6abcde+dirty", "vcs.revision", "353c1e6abcdef0", "vcs.time", "2026-12-01T20:12:00Z", "vcs.modified", "true"),
			want:         Info{Version: "v0.0.0-20261201201200-353c1e6abcde+dirty", Commit: "353c1e6abcdef0", Date: "2026-12-01T20:12:00Z", Modified: true},
			wantInString: "commit 353c1e6abcde+uncommitted changes, 2026-12-01T20:12:00Z",
		},
		{
			name:          "go run: nothing recorded says so instead of a bare dev",
			read:          fakeBuild("(devel)"),
			want:          Info{Version: "devel", Commit: "unknown", Date: "unknown"},
			wantInString:  "no commit or date recorded",
			avoidInString: "unknown",
		},
		{
			name:         "no build info at all",
			read:         none,
			want:         Info{Version: "devel", Commit: "unknown", Date: "unknown"},
			wantInString: "clickup-mcp devel (no commit",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := get(tc.v, tc.c, tc.d, tc.read)
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			s := got.String()
			if !strings.Contains(s, tc.wantInString) {
				t.Errorf("String() = %q, want it to contain %q", s, tc.wantInString)
			}
			if tc.avoidInString != "" && strings.Contains(s, tc.avoidInString) {
				t.Errorf("String() = %q, should not contain %q", s, tc.avoidInString)
			}
		})
	}
}

// The test binary itself is built by go test, which records no VCS info
// and no version: Get must still say something other than "dev".
func TestGetInTestBinary(t *testing.T) {
	in := Get()
	if in.Version == "" || in.Version == "dev" || in.Commit == "" || in.Date == "" {
		t.Fatalf("Get() = %+v: every field must be filled", in)
	}
	if Version() != in.Version {
		t.Fatalf("Version() = %q, Get().Version = %q", Version(), in.Version)
	}
}
