package toolkit

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestQuietCalls(t *testing.T) {
	for _, c := range []struct {
		level    slog.Level
		msg      string
		outcome  string
		want     bool
		wantWord string
	}{
		{slog.LevelInfo, "mcp.request", "ok", false, ""},
		{slog.LevelInfo, "mcp.tool", "ok", false, ""},
		{slog.LevelInfo, "mcp.tool", "error_result", true, "INFO"},
		{slog.LevelInfo, "mcp.request", "error", true, "INFO"},
		{slog.LevelInfo, "something else", "ok", true, "INFO"},
	} {
		for _, debug := range []bool{false, true} {
			var buf bytes.Buffer
			lvl := slog.LevelInfo
			if debug {
				lvl = slog.LevelDebug
			}
			log := slog.New(quietCalls{Handler: slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: lvl})}).With("component", "mcp")
			log.LogAttrs(context.Background(), c.level, c.msg, slog.String("outcome", c.outcome))
			got := buf.String()
			want, word := c.want, c.wantWord
			if debug && !c.want {
				want, word = true, "DEBUG"
			}
			if (got != "") != want || (want && !strings.Contains(got, "level="+word)) {
				t.Errorf("%s %s debug=%v: logged %q", c.msg, c.outcome, debug, got)
			}
		}
	}
}
