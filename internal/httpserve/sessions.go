package httpserve

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// sessionRegistry is the streamable-HTTP session registry of one process
// (without Redis): an id is live from the initialize that minted it until
// DELETE /mcp or the idle sweep, and unknown, deleted and swept ids all get
// 404, so the client starts a new session as the spec says. The ids
// themselves still carry their identity (boundIDs); the registry only says
// whether they are live. Tombstones are forgotten after the TTL (by then
// an unknown id gets the same 404), so memory stays bounded by the sessions
// of the last TTL.
type sessionRegistry struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	live      map[string]time.Time // id -> last seen
	dead      map[string]time.Time // id -> ended at
	lastPrune time.Time
}

var errSessionUnknown = errors.New("unknown or expired session")

func newSessionRegistry(ttl time.Duration) *sessionRegistry {
	return &sessionRegistry{ttl: ttl, now: time.Now, live: map[string]time.Time{}, dead: map[string]time.Time{}}
}

func (s *sessionRegistry) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.pruneLocked(now)
	s.live[id] = now
}

// check reports whether id is live (and marks it seen), ended, or unknown.
func (s *sessionRegistry) check(id string) (ended bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.pruneLocked(now)
	if _, ok := s.dead[id]; ok {
		return true, nil
	}
	if _, ok := s.live[id]; !ok {
		return false, errSessionUnknown
	}
	s.live[id] = now
	return false, nil
}

// isLive reports whether id is live, without marking it seen.
func (s *sessionRegistry) isLive(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.live[id]
	return ok
}

func (s *sessionRegistry) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[id]; ok {
		delete(s.live, id)
		s.dead[id] = s.now()
	}
}

// pruneLocked drops, at most twice per TTL, live entries idle longer than
// the TTL (mcp-go's sweeper ends them too) and tombstones older than it.
func (s *sessionRegistry) pruneLocked(now time.Time) {
	if s.ttl <= 0 || now.Sub(s.lastPrune) < s.ttl/2 {
		return
	}
	s.lastPrune = now
	for id, at := range s.live {
		if now.Sub(at) > s.ttl {
			delete(s.live, id)
		}
	}
	for id, at := range s.dead {
		if now.Sub(at) > s.ttl {
			delete(s.dead, id)
		}
	}
}

func (s *sessionRegistry) count() (live, dead int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live), len(s.dead)
}

// gateSessions answers 404 to a GET or DELETE that names a session the
// registry does not hold live for the request's identity (mcp-go validates
// the id on POST only, and would otherwise open a stream for a made-up id
// or answer 200 to its DELETE), and 400 to a DELETE naming no session.
// Requests on protocol 2026-07-28, which has no sessions, pass through.
func gateSessions(next http.Handler, reg server.SessionIdManagerResolver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodDelete) || mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(server.HeaderKeySessionID)
		if id == "" {
			if r.Method == http.MethodDelete {
				http.Error(w, "400 Bad Request: DELETE needs the Mcp-Session-Id header of the session to end", http.StatusBadRequest)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if ended, err := reg.ResolveSessionIdManager(r).Validate(id); err != nil || ended {
			http.Error(w, "404 Not Found: no such session (ended, expired or never opened); send initialize to start a new one", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
