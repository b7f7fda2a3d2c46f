package replica

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/mark3labs/mcp-go/server"

	"github.com/clickup-mcp/clickup-mcp/internal/redisscript"
)

// Sessions is the streamable-HTTP session registry shared by all replicas:
// a session opened on one replica is valid on every one, a DELETE ends it on
// every one, and an id nobody issued (or one that ended) gets 404 everywhere.
// Each session is bound to the identity that opened it (a hash of the token
// the initialize request carried): another identity presenting the id gets
// 404 too, as if it did not exist.
//
// Redis holds, per session, the hash of its id, the hash of its identity and
// whether it ended, expiring after IdleTTL without use.
//
// It plugs into mcp-go with server.WithSessionIdManagerResolver(s); mcp-go
// does not check the session id of a GET or a DELETE, so mount Guard in front
// of the streamable handler as well.
//
// While Redis is down, the sessions this replica opened or ended are checked
// against its own memory (identity included); an id it does not know is
// accepted, as mcp-go's default does, so that clients keep working, and
// counted as a fallback. A session opened during an outage is written to
// Redis the first time it is used after Redis returns.
type Sessions struct {
	n        *Node
	identity func(*http.Request) string
	idle     time.Duration

	mu    sync.Mutex
	local map[string]localSession // by id hash: sessions seen while Redis was down or opened here
}

type localSession struct {
	owner string
	ended bool
	at    time.Time
}

const sessionPrefix = "mcp-session-"

// maxLocalSessions bounds the local map.
const maxLocalSessions = 100_000

// Sessions returns the shared registry. identity names who a request acts
// for (for example the bearer token, or "" for the server's own); only its
// hash is kept. idle is how long an unused session lives (mcp-go's
// WithSessionIdleTTL should match).
func (n *Node) Sessions(identity func(*http.Request) string, idle time.Duration) *Sessions {
	if idle <= 0 {
		idle = time.Hour
	}
	return &Sessions{n: n, identity: identity, idle: idle, local: map[string]localSession{}}
}

// ErrUnknownSession is what Validate answers for an id that was never
// issued, belongs to another identity, or expired (mcp-go answers 404).
var ErrUnknownSession = errors.New("session not found: start a new one with initialize")

// ResolveSessionIdManager implements server.SessionIdManagerResolver. For a
// nil request (mcp-go's idle sweeper and shutdown), termination only drops
// this replica's state: the session may be in use on another replica, and
// its shared entry expires on its own.
func (s *Sessions) ResolveSessionIdManager(r *http.Request) server.SessionIdManager { //nolint:revive // var-naming: the name is mcp-go's server.SessionIdManagerResolver
	if r == nil {
		return localManager{}
	}
	owner := ""
	if s.identity != nil {
		owner = s.identity(r)
	}
	return &manager{s: s, owner: hashOf("identity\x00" + owner), ctx: r.Context()}
}

var _ server.SessionIdManagerResolver = (*Sessions)(nil)

type localManager struct{}

func (localManager) Generate() string               { return sessionPrefix + uuid.NewString() }
func (localManager) Validate(string) (bool, error)  { return false, nil }
func (localManager) Terminate(string) (bool, error) { return false, nil }

type manager struct {
	s     *Sessions
	owner string
	ctx   context.Context
}

func (s *Sessions) key(id string) string { return s.n.key("sess", hashOf("session\x00"+id)) }

// Generate issues a session bound to the request's identity.
func (m *manager) Generate() string {
	id := sessionPrefix + uuid.NewString()
	s := m.s
	s.remember(id, localSession{owner: m.owner, at: s.n.now()})
	s.register(m.ctx, id, m.owner)
	return id
}

func (s *Sessions) register(ctx context.Context, id, owner string) {
	err := s.n.do(ctx, "session_open", func(ctx context.Context) error {
		p := s.n.rdb.TxPipeline()
		p.HSet(ctx, s.key(id), "owner", owner, "state", "live")
		p.PExpire(ctx, s.key(id), s.idle)
		_, err := p.Exec(ctx)
		return err
	})
	if err != nil {
		s.n.m.Fallback("sessions")
	}
}

// validateScript refreshes a live session's expiry and returns its owner
// and state, or nothing when absent.
var validateScript = redisscript.Script{Src: `
local v = redis.call('HMGET', KEYS[1], 'owner', 'state')
if not v[1] then return {} end
if v[2] == 'live' then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
return {v[1], v[2]}
`}

// Validate says whether id is a live session of this identity.
func (m *manager) Validate(id string) (bool, error) {
	if !validFormat(id) {
		return false, ErrUnknownSession
	}
	owner, state, found, err := m.s.lookup(m.ctx, id)
	if err != nil {
		return m.s.validateLocal(id, m.owner)
	}
	if !found {
		// Opened here while Redis was down (or Redis lost it): share it now.
		if ls, ok := m.s.recall(id); ok && ls.owner == m.owner && !ls.ended {
			m.s.register(m.ctx, id, m.owner)
			return false, nil
		}
		return false, ErrUnknownSession
	}
	if owner != m.owner {
		return false, ErrUnknownSession
	}
	if state == "live" {
		m.s.remember(id, localSession{owner: owner, at: m.s.n.now()})
	}
	return state == "ended", nil
}

// Terminate ends id on every replica; only its identity may.
func (m *manager) Terminate(id string) (bool, error) {
	if !validFormat(id) {
		return false, ErrUnknownSession
	}
	s := m.s
	owner, _, found, err := s.lookup(m.ctx, id)
	if err != nil {
		ls, ok := s.recall(id)
		if ok && ls.owner != m.owner {
			return true, nil
		}
		s.remember(id, localSession{owner: m.owner, ended: true, at: s.n.now()})
		return false, nil
	}
	if !found {
		return false, nil // nothing to end; Guard answers 404 before this
	}
	if owner != m.owner {
		return true, nil
	}
	s.remember(id, localSession{owner: owner, ended: true, at: s.n.now()})
	err = s.n.do(m.ctx, "session_end", func(ctx context.Context) error {
		// Kept, ended, until it would have expired: a later request with
		// the id gets 404 rather than a new session.
		return s.n.rdb.HSet(ctx, s.key(id), "state", "ended").Err()
	})
	if err != nil {
		s.n.m.Fallback("sessions")
	}
	return false, nil
}

func (s *Sessions) lookup(ctx context.Context, id string) (owner, state string, found bool, err error) {
	err = s.n.do(ctx, "session_check", func(ctx context.Context) error {
		v, err := validateScript.Run(ctx, s.n.rdb, []string{s.key(id)}, s.idle.Milliseconds()).StringSlice()
		if err != nil {
			return err
		}
		if len(v) == 2 {
			owner, state, found = v[0], v[1], true
		}
		return nil
	})
	if err != nil {
		s.n.m.Fallback("sessions")
	}
	return owner, state, found, err
}

func (s *Sessions) validateLocal(id, owner string) (bool, error) {
	ls, ok := s.recall(id)
	if !ok {
		return false, nil // unknown here and Redis cannot say: accept, as mcp-go does by default
	}
	if ls.owner != owner {
		return false, ErrUnknownSession
	}
	return ls.ended, nil
}

func (s *Sessions) remember(id string, ls localSession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.local) >= maxLocalSessions {
		cut := s.n.now().Add(-s.idle)
		for k, v := range s.local {
			if v.at.Before(cut) {
				delete(s.local, k)
			}
		}
		if len(s.local) >= maxLocalSessions {
			s.local = map[string]localSession{}
		}
	}
	s.local[hashOf(id)] = ls
}

func (s *Sessions) recall(id string) (localSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.local[hashOf(id)]
	if ok && s.n.now().Sub(ls.at) > s.idle {
		delete(s.local, hashOf(id))
		return localSession{}, false
	}
	return ls, ok
}

func validFormat(id string) bool {
	if !strings.HasPrefix(id, sessionPrefix) {
		return false
	}
	_, err := uuid.Parse(id[len(sessionPrefix):])
	return err == nil
}

// Guard answers 404 to a GET or DELETE that names a session (Mcp-Session-Id)
// this registry does not hold live for the request's identity; mcp-go checks
// only POSTs itself. Requests without the header pass.
func (s *Sessions) Guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(server.HeaderKeySessionID)
		if id == "" || (r.Method != http.MethodGet && r.Method != http.MethodDelete) {
			next.ServeHTTP(w, r)
			return
		}
		m := s.ResolveSessionIdManager(r)
		ended, err := m.Validate(id)
		if err != nil || ended {
			http.Error(w, "404 session not found or ended: start a new session with initialize", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
