package clickup

import (
	"context"
	"testing"
)

func TestRouteOfHidesIDs(t *testing.T) {
	for in, want := range map[string]string{
		"/v2/team/9001/task":      "GET /v2/team/{id}/task",
		"/v2/task/DEV-12/comment": "GET /v2/task/{id}/comment",
		"/v2/task/abc123":         "GET /v2/task/{id}",
		"/v2/user":                "GET /v2/user",
	} {
		if got := routeOf("GET", in); got != want {
			t.Errorf("routeOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithEventsChains(t *testing.T) {
	var outer, inner []EventKind
	ctx := WithEvents(context.Background(), func(e Event) { outer = append(outer, e.Kind) })
	ctx = WithEvents(ctx, func(e Event) { inner = append(inner, e.Kind) })
	emit(ctx, Event{Kind: EventDone})
	emit(context.Background(), Event{Kind: EventWait})
	if len(outer) != 1 || len(inner) != 1 {
		t.Errorf("outer %v, inner %v: want one event each", outer, inner)
	}
}
