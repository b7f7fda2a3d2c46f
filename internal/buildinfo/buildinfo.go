// Package buildinfo says which build of clickup-mcp is running: the version,
// commit and date that a release build stamps in with the linker, else what
// the go command recorded from the checkout it built.
//
// A release build sets all three (see .goreleaser.yaml):
//
//	go build -ldflags "-X github.com/clickup-mcp/clickup-mcp/internal/buildinfo.version=v1.2.3
//	  -X github.com/clickup-mcp/clickup-mcp/internal/buildinfo.commit=abc1234
//	  -X github.com/clickup-mcp/clickup-mcp/internal/buildinfo.date=2026-12-01T20:00:00Z" .
package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// Set with -ldflags -X at release time; empty in other builds.
var version, commit, date string

// Info describes one build.
type Info struct {
	Version  string // v1.2.3, a Go pseudo-version, or "devel"
	Commit   string // the git commit, or "unknown"
	Date     string // the commit's date (RFC 3339), or "unknown"
	Modified bool   // built from a checkout with uncommitted changes
}

// Get reads the linker-stamped values, and falls back to the module version
// and VCS settings the go command embeds (go build and go install from a git
// checkout record them; go run and go test do not).
func Get() Info {
	return get(version, commit, date, debug.ReadBuildInfo)
}

func get(v, c, d string, read func() (*debug.BuildInfo, bool)) Info {
	in := Info{Version: v, Commit: c, Date: d}
	if bi, ok := read(); ok {
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				in.Modified = c == "" && s.Value == "true"
			}
		}
	}
	if in.Version == "" {
		in.Version = "devel"
	}
	if in.Commit == "" {
		in.Commit = "unknown"
	}
	if in.Date == "" {
		in.Date = "unknown"
	}
	return in
}

// Version is the short form, for the MCP server info and the User-Agent.
func Version() string { return Get().Version }

// String is what `clickup-mcp version` prints.
func (in Info) String() string {
	if in.Commit == "unknown" && in.Date == "unknown" {
		return "clickup-mcp " + in.Version + " (no commit or date recorded: go run, go test, -buildvcs=false and builds outside a git checkout record none)"
	}
	c := in.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	if in.Modified {
		c += "+uncommitted changes"
	}
	return fmt.Sprintf("clickup-mcp %s (commit %s, %s)", in.Version, c, in.Date)
}
