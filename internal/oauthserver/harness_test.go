package oauthserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"
)

const (
	appID     = "cu-app-id"
	appSecret = "cu-app-secret-123"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is ClickUp (the fake, over real HTTP), this server in front of it
// with a protected /mcp that echoes who the ClickUp token belongs to, and
// a browser that does not follow redirects on its own.
type env struct {
	t          *testing.T
	fake       *clickuptest.Server
	fakeURL    string
	clk        *clock
	storePath  string
	key        []byte
	srv        *Server
	handler    atomic.Pointer[http.Handler]
	ts         *httptest.Server
	logs       *testutil.Buffer
	alice, bob clickuptest.User
	wsA, wsB   clickuptest.Workspace
	// cfgHook edits the Config before New (tests of misconfiguration).
	cfgHook func(*Config)
	// kind is the store: bbolt at storePath, or Redis at redisAddr, where
	// each replica (addReplica) has its own client, as separate processes
	// would.
	kind      storeKind
	redisAddr string
	mr        *miniredis.Miniredis // with onStore(kindRedis)
	stores    []*RedisStore        // one per replica
	replicas  []*Server
	handlers  []http.Handler
	rr        atomic.Pointer[[]http.Handler] // round robin over these when set
	next      atomic.Uint64
}

// storeKind names a Store implementation the tests run against.
type storeKind string

const (
	kindBolt  storeKind = "bolt"
	kindRedis storeKind = "redis" // miniredis, in process
)

var storeKinds = []storeKind{kindBolt, kindRedis}

// eachStore runs f as a subtest per store kind: the server must behave the
// same on either.
func eachStore(t *testing.T, f func(t *testing.T, k storeKind)) {
	for _, k := range storeKinds {
		t.Run(string(k), func(t *testing.T) { f(t, k) })
	}
}

// onStore picks the store of newEnv (bbolt by default).
func onStore(k storeKind) func(*env) {
	return func(e *env) {
		e.kind = k
		if k == kindRedis && e.redisAddr == "" {
			e.mr = miniredis.RunT(e.t)
			e.redisAddr = e.mr.Addr()
		}
	}
}

// onRedis puts newEnv's store on the Redis at addr (host:port).
func onRedis(addr string) func(*env) {
	return func(e *env) { e.kind, e.redisAddr = kindRedis, addr }
}

// newRedisStore is a store with its own client, as a replica has.
func (e *env) newRedisStore() *RedisStore {
	// As replica.Dial does: one dial per try, so that a Redis that is
	// down fails fast.
	rc := redis.NewClient(&redis.Options{Addr: e.redisAddr, DialerRetries: 1, MaxRetries: 1, DialTimeout: time.Second})
	st := NewRedisStore(rc, RedisStoreOptions{Now: e.clk.now, SweepEvery: -1})
	e.t.Cleanup(func() { st.Close() })
	return st
}

func newEnv(t *testing.T, hooks ...func(*Config)) *env {
	return newEnvOn(t, onStore(kindBolt), hooks...)
}

// newEnvOn is newEnv on the store that on picks (onStore, onRedis).
func newEnvOn(t *testing.T, on func(*env), hooks ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, clk: &clock{t: time.Now()}, logs: &testutil.Buffer{}}
	on(e)
	e.fake = clickuptest.New()
	e.alice = e.fake.AddUser(clickuptest.User{Username: "Alice", Email: "alice@example.com"})
	e.bob = e.fake.AddUser(clickuptest.User{Username: "Bob", Email: "bob@example.com"})
	e.wsA = e.fake.AddWorkspace(clickuptest.Workspace{Name: "Alpha", MemberIDs: []int64{e.alice.ID}})
	e.wsB = e.fake.AddWorkspace(clickuptest.Workspace{Name: "Beta", MemberIDs: []int64{e.bob.ID}})
	fs := httptest.NewServer(e.fake)
	t.Cleanup(fs.Close)
	e.fakeURL = fs.URL
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rr := e.rr.Load(); rr != nil {
			(*rr)[e.next.Add(1)%uint64(len(*rr))].ServeHTTP(w, r)
			return
		}
		(*e.handler.Load()).ServeHTTP(w, r)
	}))
	t.Cleanup(e.ts.Close)
	e.fake.AddOAuthApp(appID, appSecret, e.ts.URL+CallbackPath)
	e.consent(e.alice.ID, e.wsA.ID)
	e.storePath = filepath.Join(t.TempDir(), "oauth.db")
	e.key = bytes.Repeat([]byte{7}, KeySize)
	if len(hooks) > 0 {
		e.cfgHook = hooks[0]
	}
	e.start()
	return e
}

func (e *env) consent(user int64, ws ...string) {
	e.fake.SetOAuthConsent(clickuptest.OAuthConsent{UserID: user, WorkspaceIDs: ws})
}

func (e *env) config() Config {
	cfg := Config{
		PublicURL: e.ts.URL, ClickUpClientID: appID, ClickUpClientSecret: appSecret,
		ClickUpAuthURL: e.fakeURL + "/api", ClickUpAPIURL: e.fakeURL + "/api",
		SecretKey: e.key, StorePath: e.storePath, Now: e.clk.now,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if e.kind == kindRedis {
		if len(e.stores) == 0 {
			e.stores = append(e.stores, e.newRedisStore())
		}
		cfg.Store = e.stores[0]
	}
	if e.cfgHook != nil {
		e.cfgHook(&cfg)
	}
	return cfg
}

// start (re)opens the server on the same store and key.
func (e *env) start() {
	e.t.Helper()
	srv, h := e.build(e.config())
	e.srv = srv
	if len(e.replicas) == 0 {
		e.replicas, e.handlers = []*Server{srv}, []http.Handler{h}
	} else {
		e.replicas[0], e.handlers[0] = srv, h
	}
	e.handler.Store(&h)
}

// addReplica starts another server on the same Redis (with its own
// client), behind the same public URL, and returns its index for use.
func (e *env) addReplica() int {
	e.t.Helper()
	if e.kind != kindRedis {
		e.t.Fatal("replicas share a Redis store")
	}
	cfg := e.config()
	st := e.newRedisStore()
	e.stores = append(e.stores, st)
	cfg.Store = st
	srv, h := e.build(cfg)
	e.replicas = append(e.replicas, srv)
	e.handlers = append(e.handlers, h)
	return len(e.replicas) - 1
}

// use routes every request from now on to replica i, as a load balancer
// might.
func (e *env) use(i int) {
	e.srv = e.replicas[i]
	h := e.handlers[i]
	e.handler.Store(&h)
}

// roundRobin sends each request to the next replica, as a round-robin
// load balancer does.
func (e *env) roundRobin() {
	hs := append([]http.Handler(nil), e.handlers...)
	e.rr.Store(&hs)
}

func (e *env) build(cfg Config) (*Server, http.Handler) {
	e.t.Helper()
	srv, err := New(cfg)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	e.t.Cleanup(func() { srv.Close() })
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("/mcp", func(w http.ResponseWriter, r *http.Request) {
		tok, g, err := srv.Authenticate(r)
		if err != nil {
			srv.WriteUnauthorized(w, err)
			return
		}
		c := clickup.New(tok, clickup.WithBaseURL(e.fakeURL+"/api"), clickup.WithRateLimit(0))
		me, err := c.Users.Me(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		teams, err := c.Workspaces.List(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		var ws []string
		for _, t := range teams {
			ws = append(ws, string(t.ID))
		}
		writeJSON(w, 200, map[string]any{"clickup_user": int64(me.ID), "grant_user": g.UserID, "grant": g.ID, "workspaces": ws})
	})
	return srv, mux
}

func (e *env) restart() {
	e.t.Helper()
	if err := e.srv.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.start()
}

// browser does not follow redirects: each hop is looked at.
func (e *env) browser() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) get(u string, header ...string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.browser().Do(req)
	if err != nil {
		e.t.Fatalf("GET %s: %v", u, err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func decode(t *testing.T, r *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		t.Fatalf("decoding %s: %v", r.Request.URL, err)
	}
	return m
}

// appClient is a registered MCP client with its oauth2 config.
type appClient struct {
	e        *env
	id       string
	redirect string
	cfg      *oauth2.Config
	resource string
}

// discover plays a client with no prior knowledge: 401 -> protected
// resource metadata -> authorization server metadata -> registration.
func (e *env) discover(name string) *appClient {
	t := e.t
	t.Helper()
	resp := e.get(e.ts.URL + "/mcp")
	if resp.StatusCode != 401 {
		t.Fatalf("/mcp without a token: %d, want 401", resp.StatusCode)
	}
	ch := resp.Header.Get("WWW-Authenticate")
	const marker = `resource_metadata="`
	i := strings.Index(ch, marker)
	if !strings.HasPrefix(ch, "Bearer ") || i < 0 {
		t.Fatalf("WWW-Authenticate %q has no resource_metadata", ch)
	}
	metaURL := ch[i+len(marker):]
	metaURL = metaURL[:strings.Index(metaURL, `"`)]
	prm := decode(t, e.get(metaURL))
	as := prm["authorization_servers"].([]any)[0].(string)
	asm := decode(t, e.get(as+"/.well-known/oauth-authorization-server"))
	if got := asm["code_challenge_methods_supported"].([]any); len(got) != 1 || got[0] != "S256" {
		t.Fatalf("code_challenge_methods_supported = %v", got)
	}
	redirect := "http://127.0.0.1:43210/" + regexp.MustCompile(`[^a-z0-9-]`).ReplaceAllString(name, "") + "/callback"
	body, _ := json.Marshal(map[string]any{"redirect_uris": []string{redirect}, "client_name": name,
		"token_endpoint_auth_method": "none", "grant_types": []string{"authorization_code", "refresh_token"}})
	rr, err := http.Post(asm["registration_endpoint"].(string), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Body.Close()
	if rr.StatusCode != 201 {
		t.Fatalf("register: %d %s", rr.StatusCode, readAll(rr))
	}
	reg := decode(t, rr)
	return &appClient{e: e, id: reg["client_id"].(string), redirect: redirect, resource: prm["resource"].(string),
		cfg: &oauth2.Config{ClientID: reg["client_id"].(string), RedirectURL: redirect,
			Endpoint: oauth2.Endpoint{AuthURL: asm["authorization_endpoint"].(string), TokenURL: asm["token_endpoint"].(string), AuthStyle: oauth2.AuthStyleInParams}}}
}

// flow is one authorization in progress.
type flow struct {
	c        *appClient
	verifier string
	state    string
	next     string // the URL the browser opens next
	last     *http.Response
	browser  *http.Client // with its own cookies
	decision string       // on the consent page: allow (default) or deny
}

func (e *env) newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	b := e.browser()
	b.Jar = jar
	return b
}

func (c *appClient) start(extra ...oauth2.AuthCodeOption) *flow {
	f := &flow{c: c, verifier: oauth2.GenerateVerifier(), state: randomString(12), browser: c.e.newBrowser()}
	opts := append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(f.verifier), oauth2.SetAuthURLParam("resource", c.resource)}, extra...)
	f.next = c.cfg.AuthCodeURL(f.state, opts...)
	return f
}

// step follows one hop; it reports false when the browser has arrived at
// the client's redirect URI or a page.
func (f *flow) step() bool {
	if f.next == "" || strings.HasPrefix(f.next, f.c.redirect) {
		return false
	}
	if f.browser == nil {
		f.browser = f.c.e.newBrowser()
	}
	resp, err := f.browser.Get(f.next)
	if err != nil {
		f.c.e.t.Fatalf("GET %s: %v", f.next, err)
	}
	f.c.e.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode == 200 && strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		// This server's consent page: press a button.
		body := readAll(resp)
		m := formRe.FindStringSubmatch(body)
		rq := inputRe.FindStringSubmatch(body)
		if m == nil || rq == nil {
			f.last, f.next = resp, ""
			resp.Body = io.NopCloser(strings.NewReader(body))
			return false
		}
		d := f.decision
		if d == "" {
			d = "allow"
		}
		action, _ := resp.Request.URL.Parse(m[1])
		resp, err = f.browser.PostForm(action.String(), url.Values{"request": {rq[1]}, "decision": {d}})
		if err != nil {
			f.c.e.t.Fatal(err)
		}
		f.c.e.t.Cleanup(func() { resp.Body.Close() })
	}
	f.last = resp
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		f.next = ""
		return false
	}
	loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		f.c.e.t.Fatalf("bad Location %q", resp.Header.Get("Location"))
	}
	f.next = loc.String()
	return true
}

// finish walks to the end and returns the client's redirect query (nil if
// the browser stopped on a page).
func (f *flow) finish() url.Values {
	for i := 0; f.step(); i++ {
		if i > 10 {
			f.c.e.t.Fatal("redirect loop")
		}
	}
	if !strings.HasPrefix(f.next, f.c.redirect) {
		return nil
	}
	u, _ := url.Parse(f.next)
	return u.Query()
}

var (
	formRe  = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	inputRe = regexp.MustCompile(`name="request" value="([^"]+)"`)
)

func (c *appClient) ctx() context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})
}

func (c *appClient) exchange(code, verifier string, extra ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	opts := append([]oauth2.AuthCodeOption{oauth2.VerifierOption(verifier), oauth2.SetAuthURLParam("resource", c.resource)}, extra...)
	return c.cfg.Exchange(c.ctx(), code, opts...)
}

func (c *appClient) refresh(rt string) (*oauth2.Token, error) {
	return c.cfg.TokenSource(c.ctx(), &oauth2.Token{RefreshToken: rt}).Token()
}

// signIn runs the whole flow and returns the client's tokens.
func (c *appClient) signIn() *oauth2.Token {
	t := c.e.t
	t.Helper()
	f := c.start()
	q := f.finish()
	if q == nil {
		t.Fatalf("sign-in stopped on a page: %d %s", f.last.StatusCode, readAll(f.last))
	}
	if q.Get("state") != f.state || q.Get("code") == "" {
		t.Fatalf("redirect back: %v", q)
	}
	tok, err := c.exchange(q.Get("code"), f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

// call asks /mcp who the token acts for.
func (e *env) call(access string) (int, map[string]any, *http.Response) {
	e.t.Helper()
	resp := e.get(e.ts.URL+"/mcp", "Authorization", "Bearer "+access)
	if resp.StatusCode != 200 {
		return resp.StatusCode, nil, resp
	}
	return 200, decode(e.t, resp), resp
}

func (e *env) userOf(access string) int64 {
	e.t.Helper()
	st, m, resp := e.call(access)
	if st != 200 {
		e.t.Fatalf("/mcp: %d %s (%s)", st, readAll(resp), resp.Header.Get("WWW-Authenticate"))
	}
	return int64(m["clickup_user"].(float64))
}

func (e *env) refused(access string) string {
	e.t.Helper()
	st, _, resp := e.call(access)
	if st != 401 {
		e.t.Fatalf("/mcp with a bad token: %d, want 401", st)
	}
	ch := resp.Header.Get("WWW-Authenticate")
	if !strings.Contains(ch, `resource_metadata="`+e.ts.URL+MetadataPath+`"`) {
		e.t.Errorf("401 challenge %q lacks the metadata URL", ch)
	}
	return ch
}

// redisDump is everything the Redis store holds, keys and values.
func (e *env) redisDump() []byte {
	e.t.Helper()
	c := redis.NewClient(&redis.Options{Addr: e.redisAddr})
	defer c.Close()
	ctx := context.Background()
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		e.t.Fatal(err)
	}
	var out bytes.Buffer
	for _, k := range keys {
		out.WriteString(k + "\n")
		switch c.Type(ctx, k).Val() {
		case "string":
			out.WriteString(c.Get(ctx, k).Val())
		case "zset":
			for _, m := range c.ZRange(ctx, k, 0, -1).Val() {
				out.WriteString(m + "\n")
			}
		default:
			e.t.Fatalf("unexpected Redis key type for %q", k)
		}
		out.WriteString("\n")
	}
	return out.Bytes()
}

// go-redis logs each failed dial; the outage tests make many on purpose.
func init() { redis.SetLogger(quietRedis{}) }

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}
