package clickup

import (
	"context"
	"time"
)

// Events let a caller watch what one call does on the way (waits for the
// rate budget, retries, requests answered), e.g. to tell a user that a long
// search is still working. They are scoped to a context, so two callers of
// one Client see only their own calls. Events never carry the token.

// EventKind says what happened.
type EventKind string

const (
	// EventWait: the call waits for the token's rate budget (Wait long;
	// Reason is hold, window, first_response, pacing or shared).
	EventWait EventKind = "wait"
	// EventRetry: an attempt failed and the call will try again (Attempt
	// is the attempt that failed, Wait the backoff, Reason the error kind).
	EventRetry EventKind = "retry"
	// EventDone: a request was answered (successfully or not).
	EventDone EventKind = "done"
)

// Event is one thing a call did. Route is the request's method and the
// path's template, e.g. "GET /v2/team/{id}/task": no ids.
type Event struct {
	Kind    EventKind
	Route   string
	Wait    time.Duration
	Attempt int
	Reason  string
}

// EventFunc receives the events of the calls made with its context. It is
// called on the calling goroutine, and must not block.
type EventFunc func(Event)

type eventsKey struct{}

// WithEvents makes the calls made with ctx report their events to f (after
// any f set by an outer context).
func WithEvents(ctx context.Context, f EventFunc) context.Context {
	if f == nil {
		return ctx
	}
	if outer, ok := ctx.Value(eventsKey{}).(EventFunc); ok {
		inner := f
		f = func(e Event) { outer(e); inner(e) }
	}
	return context.WithValue(ctx, eventsKey{}, f)
}

func emit(ctx context.Context, e Event) {
	if f, ok := ctx.Value(eventsKey{}).(EventFunc); ok {
		f(e)
	}
}

// routeOf is the method and the path with every segment that is not a plain
// lower-case word (ids, custom ids, names) replaced by {id}.
func routeOf(method, path string) string {
	b := make([]byte, 0, len(method)+1+len(path))
	b = append(b, method...)
	b = append(b, ' ')
	for i := 0; i < len(path); {
		if path[i] == '/' {
			b = append(b, '/')
			i++
			continue
		}
		j := i
		word := true
		for j < len(path) && path[j] != '/' {
			if c := path[j]; (c < 'a' || c > 'z') && c != '_' {
				word = false
			}
			j++
		}
		if word || path[i:j] == "v2" || path[i:j] == "v3" {
			b = append(b, path[i:j]...)
		} else {
			b = append(b, "{id}"...)
		}
		i = j
	}
	return string(b)
}
