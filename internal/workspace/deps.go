package workspace

import (
	"container/list"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
	"github.com/rs/zerolog"
)

// DefaultMaxResultTokens is the default token budget of one tool result,
// below Claude Code's 25,000-token cap on a tool's output.
const DefaultMaxResultTokens = 20_000

// Config is what the tools need from the process configuration.
type Config struct {
	// Token is the server's own ClickUp token (stdio, or HTTP requests that
	// carry none). Empty means every HTTP request must bring its own.
	Token         string
	BaseURL       string
	HTTPClient    *http.Client
	RatePerMinute int
	UserAgent     string
	// WorkspaceID is the default workspace when a token may use several.
	WorkspaceID string
	// Location is the time zone dates are read and shown in.
	Location *time.Location
	// CacheTTL bounds how stale cached workspaces, members and list
	// statuses may be (default 5 minutes).
	CacheTTL time.Duration
	Logger   zerolog.Logger
	// Sandbox marks a server that serves the built-in demo workspace.
	Sandbox bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// WriteScope limits writes to these spaces, folders or lists (ids or
	// names); empty means no limit.
	WriteScope []string
	// TimezoneSet says Location was configured; otherwise the ClickUp
	// user's own time zone is used when known.
	TimezoneSet bool
	// MaxResultTokens is the token budget of one result, text and
	// structured content together (default DefaultMaxResultTokens).
	MaxResultTokens int
	// Retry overrides the client's retry policy (tests use tiny delays).
	Retry *clickup.RetryPolicy
	// MaxSessions bounds the per-token state kept in memory (default 1000).
	MaxSessions int
	// CallTimeout bounds one tool call, retries and rate-limit waits
	// included (default 60s, about what MCP clients wait): a ClickUp
	// connection that hangs becomes a timed-out result, not a hung call.
	CallTimeout time.Duration
	// ClientOptions are added to every ClickUp client (a shared rate
	// window across replicas, a wait observer for metrics).
	ClientOptions []clickup.Option
	// OnTaskCountChange is told the list whose task count our own create
	// or delete changed, after the local caches were corrected, so that
	// other replicas can drop theirs (see Deps.Invalidate).
	OnTaskCountChange func(listID string)
	// CacheObserver is told every look-up in the token caches ("user",
	// "teams", "list", "hierarchy") and whether it hit (for metrics).
	CacheObserver func(cache string, hit bool)
	// WriteStore keeps the write guard's records (default: in memory,
	// bounded per token and globally); a shared store lets replicas guard
	// the same writes.
	WriteStore writeguard.Store
	// WriteLanding is how long after its first attempt a lost write may
	// still land in ClickUp; until then an identical call never sends it
	// again (default 2 minutes).
	WriteLanding time.Duration
	// Lockdown withholds descriptions and comments written by workspace
	// guests, for servers that read external input.
	Lockdown bool
	// Uploads bounds and sources the files clickup_attach_file sends.
	Uploads Uploads
}

// DefaultMaxUploadBytes caps one attached file: the whole file is held in
// memory twice while it is sent (its bytes and the multipart body, kept
// for a retry after a 429), so the cap bounds a call's memory; 16 MiB is
// the client's own bound for uploads (clickup.MaxUploadBytes) and covers
// documents, screenshots and logs.
const DefaultMaxUploadBytes = clickup.MaxUploadBytes

// Uploads configures clickup_attach_file.
type Uploads struct {
	// MaxBytes caps one file from any source: fetched, decoded from
	// base64 or read from Root (default DefaultMaxUploadBytes).
	MaxBytes int64
	// Root is the --upload-dir directory, opened at start; nil means no
	// local files. Paths are resolved inside it (os.Root: no escaping it
	// through .. or links).
	Root *os.Root
	// Dir is Root's path as configured, for messages.
	Dir string
	// Remote says the server is served over HTTP: its callers are remote,
	// so no file of this machine is read for them whatever Root is.
	Remote bool
}

// Deps hands each request the session of the token it acts for.
type Deps struct {
	cfg      Config
	guard    *writeguard.Guard
	memStore *writeguard.MemoryStore // the guard's store when in memory (nil otherwise)

	refused *refusedTokens

	mu       sync.Mutex
	sessions map[[32]byte]*list.Element // LRU of *Session by token hash
	order    *list.List
}

// NewDeps builds the tools' dependencies from the configuration.
func NewDeps(cfg Config) *Deps {
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxResultTokens <= 0 {
		cfg.MaxResultTokens = DefaultMaxResultTokens
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 1000
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 60 * time.Second
	}
	if cfg.Uploads.MaxBytes <= 0 {
		cfg.Uploads.MaxBytes = DefaultMaxUploadBytes
	}
	d := &Deps{cfg: cfg, sessions: map[[32]byte]*list.Element{}, order: list.New(), refused: newRefusedTokens()}
	// The guard and its store read the deps' clock, so Tune moves them too.
	now := func() time.Time { return d.cfg.Now() }
	store := cfg.WriteStore
	if store == nil {
		d.memStore = writeguard.NewMemoryStore(now, writeguard.MemoryLimits{})
		store = d.memStore
	}
	d.guard = writeguard.New(writeguard.Config{Store: store, Now: now, Landing: cfg.WriteLanding})
	return d
}

// WriteMemory returns the write guard's store when it is the default one in
// memory (nil when Config.WriteStore was set), to read its counts.
func (d *Deps) WriteMemory() *writeguard.MemoryStore { return d.memStore }

// Config returns the configuration the deps were built with.
func (d *Deps) Config() Config { return d.cfg }

// CallTimeout bounds one tool call.
func (d *Deps) CallTimeout() time.Duration { return d.cfg.CallTimeout }

// Logger is the server's logger.
func (d *Deps) Logger() *zerolog.Logger { return &d.cfg.Logger }

// Tune changes the configuration in place. It is for set-up (and tests)
// before the first call: sessions read the configuration unlocked.
func (d *Deps) Tune(f func(*Config)) { f(&d.cfg) }

type tokenKey struct{}

// WithRequestToken attaches the ClickUp token a request carried (HTTP
// transports) to its context; tools then act for that token alone.
func WithRequestToken(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return context.WithValue(ctx, tokenKey{}, token)
}

// RequestToken returns the token attached by WithRequestToken.
func RequestToken(ctx context.Context) string {
	s, _ := ctx.Value(tokenKey{}).(string)
	return s
}

// ErrNoToken means neither the request nor the server has a ClickUp token.
var ErrNoToken = errors.New("no ClickUp token: set CLICKUP_API_TOKEN, or send 'Authorization: Bearer <token>' with the request")

// Session returns the state kept for the request's token: its client and
// caches. Sessions are shared by all requests with the same token.
func (d *Deps) Session(ctx context.Context) (*Session, error) {
	token := RequestToken(ctx)
	if token == "" {
		token = d.cfg.Token
	}
	if token == "" {
		return nil, ErrNoToken
	}
	key := sha256.Sum256([]byte(token))
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.sessions[key]; ok {
		d.order.MoveToFront(el)
		return el.Value.(*Session), nil
	}
	opts := []clickup.Option{clickup.WithLogger(d.cfg.Logger)}
	if d.cfg.BaseURL != "" {
		opts = append(opts, clickup.WithBaseURL(d.cfg.BaseURL))
	}
	if d.cfg.HTTPClient != nil {
		opts = append(opts, clickup.WithHTTPClient(d.cfg.HTTPClient))
	}
	if d.cfg.RatePerMinute > 0 {
		opts = append(opts, clickup.WithRateLimit(d.cfg.RatePerMinute))
	}
	if d.cfg.Retry != nil {
		opts = append(opts, clickup.WithRetryPolicy(*d.cfg.Retry))
	}
	if d.cfg.UserAgent != "" {
		opts = append(opts, clickup.WithUserAgent(d.cfg.UserAgent))
	}
	opts = append(opts, d.cfg.ClientOptions...)
	s := &Session{Client: clickup.New(token, opts...), deps: d, lists: map[string]cachedList{}}
	s.key = key
	s.owner = writeguard.Owner(token)
	d.sessions[key] = d.order.PushFront(s)
	for d.order.Len() > d.cfg.MaxSessions {
		old := d.order.Back()
		d.order.Remove(old)
		delete(d.sessions, old.Value.(*Session).key)
	}
	return s, nil
}

// Forget drops a session whose token ClickUp refused (401): a token that
// was never valid keeps no state, so callers with junk tokens cannot grow
// the table or push out the sessions of real users.
func (d *Deps) Forget(s *Session) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.sessions[s.key]; ok && el.Value.(*Session) == s {
		d.order.Remove(el)
		delete(d.sessions, s.key)
	}
}

// SessionCount is the number of token sessions kept now.
func (d *Deps) SessionCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.sessions)
}

// Known reports whether token (or, when empty, the server's own) has had a
// call succeed: a token ClickUp accepted. The HTTP layer gives such tokens
// room that tokens never seen working do not get.
func (d *Deps) Known(token string) bool {
	if token == "" {
		token = d.cfg.Token
	}
	if token == "" || len(token) > 4096 {
		return false
	}
	key := sha256.Sum256([]byte(token))
	d.mu.Lock()
	el, ok := d.sessions[key]
	d.mu.Unlock()
	return ok && el.Value.(*Session).worked.Load()
}

// MarkWorked records that a call with this session's token succeeded.
func (s *Session) MarkWorked() { s.worked.Store(true) }

// Session is one token's client and cached knowledge of its workspaces.
type Session struct {
	Client *clickup.Client
	deps   *Deps
	key    [32]byte
	owner  string // the write guard's name for the token
	// worked is set once a call with this token succeeded.
	worked atomic.Bool

	mu      sync.Mutex
	user    *clickup.User
	userAt  time.Time
	teams   []clickup.Team
	teamsAt time.Time
	lists   map[string]cachedList
	hier    map[string]*hierarchy
	loc     *time.Location
	// scopeChecked: every write-scope entry matched a place once.
	scopeChecked bool
	// tasks: custom fields per list and where tasks live (fields.go).
	tasks taskCaches
	// chat: each workspace's chat channels (chat.go).
	chat map[string]*channels
}

type cachedList struct {
	list *clickup.List
	at   time.Time
}

func (s *Session) now() time.Time { return s.deps.cfg.Now() }

// Identity returns the authorized user and the workspaces (with members) the
// token may use, each cached for the TTL: two requests when cold, none when
// warm.
func (s *Session) Identity(ctx context.Context) (*clickup.User, []clickup.Team, error) {
	u, err := s.Me(ctx)
	if err != nil {
		return nil, nil, err
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, nil, err
	}
	return u, teams, nil
}

// Me returns the authorized user (GET /v2/user), cached for the TTL.
func (s *Session) Me(ctx context.Context) (*clickup.User, error) {
	s.mu.Lock()
	if s.user != nil && s.now().Sub(s.userAt) < s.deps.cfg.CacheTTL {
		u := s.user
		s.mu.Unlock()
		s.cacheLookup("user", true)
		return u, nil
	}
	why := s.refreshWhy(s.user != nil, false)
	s.mu.Unlock()
	s.cacheLookup("user", false)
	start := time.Now()
	u, err := s.Client.Users.Me(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.user, s.userAt = u, s.now()
	s.mu.Unlock()
	s.refreshed(ctx, "user", why, start, "")
	return u, nil
}

// Teams returns the workspaces the token may use with their members
// (GET /v2/team), cached for the TTL.
func (s *Session) Teams(ctx context.Context) ([]clickup.Team, error) {
	s.mu.Lock()
	if s.teams != nil && s.now().Sub(s.teamsAt) < s.deps.cfg.CacheTTL {
		t := s.teams
		s.mu.Unlock()
		s.cacheLookup("teams", true)
		return t, nil
	}
	why := s.refreshWhy(s.teams != nil, false)
	s.mu.Unlock()
	s.cacheLookup("teams", false)
	start := time.Now()
	teams, err := s.Client.Workspaces.List(ctx)
	if err != nil {
		return nil, err
	}
	if teams == nil {
		teams = []clickup.Team{}
	}
	s.mu.Lock()
	s.teams, s.teamsAt = teams, s.now()
	s.mu.Unlock()
	members := 0
	for _, t := range teams {
		members += len(t.Members)
	}
	s.refreshed(ctx, "workspaces and members", why, start, fmt.Sprintf("%d workspaces, %d members", len(teams), members))
	return teams, nil
}

// Workspace picks the workspace a call acts in: the argument, else the
// configured default, else the token's only workspace.
func (s *Session) Workspace(ctx context.Context, arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		arg = s.deps.cfg.WorkspaceID
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return "", err
	}
	if arg == "" {
		switch len(teams) {
		case 0:
			return "", errors.New("this token is not authorized for any workspace; the user must authorize one in ClickUp")
		case 1:
			return string(teams[0].ID), nil
		}
		return "", InvalidArg("workspace_id", "this token may use several workspaces; pass one of: %s", teamList(teams))
	}
	for _, t := range teams {
		if string(t.ID) == arg || strings.EqualFold(t.Name, arg) {
			return string(t.ID), nil
		}
	}
	return "", InvalidArg("workspace_id", "%q is not a workspace this token may use; use one of: %s", arg, teamList(teams))
}

func teamList(teams []clickup.Team) string {
	parts := make([]string, len(teams))
	for i, t := range teams {
		parts[i] = fmt.Sprintf("%s (%s)", t.ID, t.Name)
	}
	return strings.Join(parts, ", ")
}

// ExplainWorkspaceErr adds the token's workspaces to a "workspace not
// authorized" error so the model can pick a valid one at once.
func (s *Session) ExplainWorkspaceErr(ctx context.Context, err error) error {
	if !clickup.IsKind(err, clickup.KindWorkspaceNotAuthorized) {
		return err
	}
	// One more request on this error path buys the model the list of
	// workspaces it can use instead of a guess.
	teams, ierr := s.Teams(ctx)
	if ierr != nil || len(teams) == 0 {
		return err
	}
	return WithHint(err, "This token cannot see that workspace, or the id does not exist (ClickUp answers both the same way). Check the id. This token may use: %s. To reach another workspace, the user must re-authorize ClickUp access: run `clickup-mcp auth login` again and tick it.", teamList(teams))
}

// List returns a list with its statuses, cached for the TTL.
func (s *Session) List(ctx context.Context, listID string) (*clickup.List, error) {
	s.mu.Lock()
	c, ok := s.lists[listID]
	s.mu.Unlock()
	if ok && s.now().Sub(c.at) < s.deps.cfg.CacheTTL {
		s.cacheLookup("list", true)
		return c.list, nil
	}
	s.cacheLookup("list", false)
	start := time.Now()
	l, err := s.Client.Lists.Get(ctx, listID)
	if err != nil {
		return nil, err
	}
	defer s.refreshed(ctx, "list and its statuses", s.refreshWhy(ok, false), start, fmt.Sprintf("%d statuses", len(l.Statuses)))
	s.mu.Lock()
	if len(s.lists) > 500 {
		s.lists = map[string]cachedList{}
	}
	s.lists[listID] = cachedList{list: l, at: s.now()}
	s.mu.Unlock()
	return l, nil
}

// Members returns the members of a workspace from the cached identity.
func (s *Session) Members(ctx context.Context, workspaceID string) ([]clickup.User, error) {
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		if string(t.ID) == workspaceID {
			out := make([]clickup.User, len(t.Members))
			for i, m := range t.Members {
				out[i] = m.User
			}
			return out, nil
		}
	}
	return nil, nil
}

// ResolveUsers turns user references (numeric id, email, username, "me")
// into ClickUp user ids, from the cached workspace members.
func (s *Session) ResolveUsers(ctx context.Context, workspaceID, arg string, refs []string) ([]int64, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	members, err := s.Members(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(refs))
	for _, ref := range refs {
		r := strings.TrimSpace(ref)
		if r == "" {
			return nil, InvalidArg(arg, "empty user reference")
		}
		if strings.EqualFold(r, "me") {
			me, err := s.Me(ctx)
			if err != nil {
				return nil, err
			}
			ids = append(ids, int64(me.ID))
			continue
		}
		if n, err := strconv.ParseInt(r, 10, 64); err == nil {
			if n <= 0 {
				return nil, InvalidArg(arg, "%q is not a user id; ids are positive numbers", r)
			}
			ids = append(ids, n)
			continue
		}
		var found []clickup.User
		for _, m := range members {
			if strings.EqualFold(m.Email, r) || strings.EqualFold(m.Username, r) {
				found = append(found, m)
			}
		}
		if len(found) == 0 {
			for _, m := range members {
				if strings.Contains(strings.ToLower(m.Username), strings.ToLower(r)) {
					found = append(found, m)
				}
			}
		}
		switch len(found) {
		case 1:
			ids = append(ids, int64(found[0].ID))
		case 0:
			return nil, InvalidArg(arg, "no member matches %q; members are: %s", r, memberList(members, 20))
		default:
			return nil, InvalidArg(arg, "%q matches several members: %s; use an email or id", r, memberList(found, 10))
		}
	}
	return ids, nil
}

func memberList(ms []clickup.User, limit int) string {
	parts := make([]string, 0, len(ms))
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s <%s> (%d)", m.Username, m.Email, m.ID))
	}
	sort.Strings(parts)
	if len(parts) > limit {
		parts = append(parts[:limit], fmt.Sprintf("and %d more", len(parts)-limit))
	}
	return strings.Join(parts, ", ")
}

// TaskRef resolves a task argument to a ClickUp task reference. Custom ids
// (DEV-123) need the workspace they belong to: from the URL, the argument,
// or the default workspace.
func (s *Session) TaskRef(ctx context.Context, arg, value, workspaceArg string) (clickup.TaskRef, error) {
	r, err := parseTaskRef(arg, value)
	if err != nil {
		return clickup.TaskRef{}, err
	}
	if !r.Custom {
		return clickup.Native(r.ID), nil
	}
	ws := r.Workspace
	if ws == "" {
		if ws, err = s.Workspace(ctx, workspaceArg); err != nil {
			return clickup.TaskRef{}, err
		}
	}
	return clickup.Custom(r.ID, ws), nil
}

// Location is the time zone dates are read and shown in for this token:
// the configured one, else the ClickUp user's (one /v2/user request per
// token, remembered for the life of the session), else the machine's.
func (s *Session) Location(ctx context.Context) *time.Location {
	if s.deps.cfg.TimezoneSet {
		return s.deps.cfg.Location
	}
	s.mu.Lock()
	loc := s.loc
	s.mu.Unlock()
	if loc != nil {
		return loc
	}
	loc = s.deps.cfg.Location
	if u, err := s.Me(ctx); err == nil && u.Timezone != "" {
		if l, err := loadLocation(u.Timezone); err == nil {
			loc = l
		}
	} else if err != nil {
		// Try again on the next call; show dates in the fallback zone now.
		return loc
	}
	s.mu.Lock()
	s.loc = loc
	s.mu.Unlock()
	return loc
}

// knownLocation is Location without a request: the zone already learnt, or
// the configured fallback.
func (s *Session) knownLocation() *time.Location {
	if s.deps.cfg.TimezoneSet {
		return s.deps.cfg.Location
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loc != nil {
		return s.loc
	}
	return s.deps.cfg.Location
}

var (
	locMu    sync.Mutex
	locCache map[string]*time.Location // made at the first zone loaded
)

func loadLocation(name string) (*time.Location, error) {
	locMu.Lock()
	defer locMu.Unlock()
	if l, ok := locCache[name]; ok {
		return l, nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	if locCache == nil {
		locCache = map[string]*time.Location{}
	}
	if len(locCache) < 1000 {
		locCache[name] = l
	}
	return l, nil
}
