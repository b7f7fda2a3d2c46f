package clickuptest

import (
	"strings"
	"time"
)

// Request is one request the Server saw.
type Request struct {
	Method   string
	Path     string // as received, e.g. "/api/v2/task/86b1x2y3z"
	Route    string // normalized, e.g. "GET /v2/task/{task_id}"; "" when no route matched
	RawQuery string
	Token    string // the Authorization value without any "Bearer " prefix
	Status   int    // 0 when no response was sent (dropped, or the client gave up during a delay)
	At       time.Time
}

func (s *Server) record(e Request, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked(e, status)
}

// logged is the log within its limit, oldest first.
func (s *Server) logged() []Request {
	if s.logLimit > 0 && len(s.reqs) > s.logLimit {
		return s.reqs[len(s.reqs)-s.logLimit:]
	}
	return s.reqs
}

func (s *Server) recordLocked(e Request, status int) {
	e.Status = status
	e.At = s.now()
	s.total++
	s.counts[e.Route]++
	// The log may hold up to twice its limit before the oldest half is
	// dropped: shifting the whole log on every request once it is full made
	// each request cost the limit's copy (10,000 entries) under the lock, which
	// the bench's throughput runs measured instead of the server.
	if s.logLimit > 0 && len(s.reqs) >= 2*s.logLimit {
		n := copy(s.reqs, s.reqs[len(s.reqs)-s.logLimit+1:])
		clear(s.reqs[n:])
		s.reqs = s.reqs[:n]
	}
	s.reqs = append(s.reqs, e)
}

// Requests returns the logged requests, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.logged()...)
}

// Count returns how many requests hit a route since the start or the last
// ResetLog. route is a normalized route such as "GET /v2/team/{team_id}/task";
// without the method ("/v2/task/{task_id}") it counts every method; "" counts
// every request, matched or not.
func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if route == "" {
		return s.total
	}
	if strings.HasPrefix(route, "/") {
		n := 0
		for k, v := range s.counts {
			if _, p, ok := strings.Cut(k, " "); ok && p == route {
				n += v
			}
		}
		return n
	}
	return s.counts[route]
}

// TasksCreated returns how many POST /v2/list/{list_id}/task requests
// succeeded since the start or the last ResetLog (including those whose
// response a DropAfterHandling fault threw away).
func (s *Server) TasksCreated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created
}

// ResetLog forgets the logged requests, counts and TasksCreated.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = nil
	s.counts = map[string]int{}
	s.total = 0
	s.created = 0
}
