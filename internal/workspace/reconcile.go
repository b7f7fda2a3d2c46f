package workspace

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// A create whose answer is lost (the connection dropped after ClickUp took
// the request, a truncated or garbled 2xx, a timeout) may have made the
// task. Told so, a model tends to call again, and the second call would make
// a duplicate. So before reporting such a failure the tool looks for the
// task in the list, and an identical call after it looks again before
// creating: each costs one GET.

// CreateFound says how CreateOnce got its task.
type CreateFound int

const (
	CreatedNow      CreateFound = iota // ClickUp answered the create
	FoundAfterLoss                     // the answer was lost; the task was found in the list
	FoundFromBefore                    // an earlier identical call lost its answer; its task was found
)

// createSkew widens the search window for clock differences between this
// server and ClickUp, which stamps date_created with its own clock.
const createSkew = 2 * time.Minute

// CreateOnce creates body in listID, or finds the task an earlier identical
// call (key, when dedupe) or this one made but lost the answer to.
func (s *Session) CreateOnce(ctx context.Context, key *[32]byte, dedupe bool, listID string, body *clickup.TaskCreate) (*clickup.Task, CreateFound, error) {
	if key != nil && dedupe {
		if since, ok := s.uncertainSince(*key); ok {
			if t, _ := s.findCreated(ctx, listID, body, since); t != nil {
				s.clearUncertain(*key)
				return t, FoundFromBefore, nil
			}
		}
	}
	start := s.now()
	t, err := s.Client.Tasks.Create(ctx, listID, body)
	if err == nil {
		return t, CreatedNow, nil
	}
	if !maybeApplied(err) {
		return nil, CreatedNow, err
	}
	t, checked := s.findCreated(ctx, listID, body, start)
	if t != nil {
		return t, FoundAfterLoss, nil
	}
	if key == nil {
		return nil, CreatedNow, err
	}
	s.markUncertain(*key, start)
	where := "it could not be checked"
	if checked {
		where = "the task is not in the list (yet)"
	}
	return nil, CreatedNow, WithHint(err, "ClickUp failed after receiving the create, so it may have been applied; %s. Calling clickup_create_task again with the same arguments first looks for the task in the list, so it is not created twice.", where)
}

func maybeApplied(err error) bool {
	var ce *clickup.Error
	return errors.As(err, &ce) && ce.MaybeApplied
}

// findCreated looks for a task named like body, under the same parent,
// created in listID since about since; checked is false when the list could
// not be read.
func (s *Session) findCreated(ctx context.Context, listID string, body *clickup.TaskCreate, since time.Time) (t *clickup.Task, checked bool) {
	if ctx.Err() != nil {
		return nil, false
	}
	page, err := s.Client.Tasks.ListInList(ctx, listID, &clickup.ListTasksOptions{
		Subtasks: true, IncludeClosed: true, DateCreatedGt: clickup.MillisOf(since.Add(-createSkew)),
	})
	if err != nil {
		return nil, false
	}
	name := strings.TrimSpace(body.Name)
	for i := range page.Tasks {
		if t := &page.Tasks[i]; strings.TrimSpace(t.Name) == name && string(t.Parent) == body.Parent {
			return t, true
		}
	}
	return nil, true
}

// Uncertain creates are kept in the create memo as entries without a result.

func (s *Session) markUncertain(key [32]byte, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.memo == nil || len(s.memo) > 200 {
		s.memo = map[[32]byte]memoEntry{}
	}
	s.memo[key] = memoEntry{at: at}
}

func (s *Session) uncertainSince(key [32]byte) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.memo[key]
	if !ok || e.result != nil || s.now().Sub(e.at) > createMemoTTL {
		return time.Time{}, false
	}
	return e.at, true
}

func (s *Session) clearUncertain(key [32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.memo[key]; ok && e.result == nil {
		delete(s.memo, key)
	}
}
