package writeguard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func yes() bool { return true }

var lost = &clickup.Error{Kind: clickup.KindNetwork, Message: "EOF", MaybeApplied: true}

// A flood of owners with one entry each evicts from the owners that hold
// the most, never the small owner's recent entry; an owner past its own
// limit loses its oldest entries one by one, never all at once.
func TestMemoryStoreBounds(t *testing.T) {
	c := &clock{t: t0}
	ctx := context.Background()
	const perEntry = entryOverhead + 10 // key "k000000000"
	m := NewMemoryStore(c.now, MemoryLimits{PerOwner: 300 * perEntry, Global: 2000 * perEntry})
	put := func(owner string, i int) {
		if _, ok, _ := m.PutIfAbsent(ctx, owner, fmt.Sprintf("k%09d", i), Entry{State: Done}, time.Hour); !ok {
			t.Fatalf("%s %d not stored", owner, i)
		}
	}
	put("alice", 0)
	for i := range 1000 {
		put("bob", i) // over its own limit: oldest first
	}
	if n := m.Len("bob"); n != 300 {
		t.Fatalf("bob holds %d, want its limit 300", n)
	}
	if _, ok, _ := m.Get(ctx, "bob", fmt.Sprintf("k%09d", 999)); !ok {
		t.Fatal("bob's newest entry was evicted")
	}
	for i := range 5000 {
		put(fmt.Sprintf("stranger%d", i), i)
	}
	owners, entries, bytes := m.Stats()
	if bytes > 2000*perEntry || entries < 1900 {
		t.Fatalf("global bound: %d owners, %d entries, %d bytes", owners, entries, bytes)
	}
	if _, ok, _ := m.Get(ctx, "alice", "k000000000"); !ok {
		t.Fatal("a flood of one-entry owners evicted alice's only entry")
	}
	if m.Len("bob") > 1 {
		// bob held the most, so bob paid first, down to the strangers' size.
		t.Fatalf("bob still holds %d", m.Len("bob"))
	}
	// Expiry.
	c.add(2 * time.Hour)
	if _, ok, _ := m.Get(ctx, "alice", "k000000000"); ok {
		t.Fatal("expired entry returned")
	}
}

func TestMemoryStorePutIfAbsentAndResolve(t *testing.T) {
	c := &clock{t: t0}
	ctx := context.Background()
	m := NewMemoryStore(c.now, MemoryLimits{})
	if _, ok, _ := m.PutIfAbsent(ctx, "o", "k", Entry{State: Pending}, time.Minute); !ok {
		t.Fatal("first put")
	}
	if cur, ok, _ := m.PutIfAbsent(ctx, "o", "k", Entry{State: Done}, time.Minute); ok || cur.State != Pending {
		t.Fatalf("second put replaced: %v", cur)
	}
	_ = m.Resolve(ctx, "o", "k", &Entry{State: Done, Ref: "x"}, time.Minute)
	if e, _, _ := m.Get(ctx, "o", "k"); e.State != Done || e.Ref != "x" {
		t.Fatalf("resolve: %+v", e)
	}
	_ = m.Resolve(ctx, "o", "k", nil, 0)
	if _, ok, _ := m.Get(ctx, "o", "k"); ok {
		t.Fatal("resolve nil kept the entry")
	}
	if owners, _, bytes := m.Stats(); owners != 0 || bytes != 0 {
		t.Fatalf("empty store holds %d owners, %d bytes", owners, bytes)
	}
}

// Identical calls in flight: one sends, the others wait and get its
// outcome; also across two guards sharing a store (two replicas).
func TestOneSendPerKeyInFlight(t *testing.T) {
	for _, replicas := range []int{1, 2} {
		store := NewMemoryStore(nil, MemoryLimits{})
		guards := []*Guard{New(Config{Store: store}), New(Config{Store: store})}
		var sends atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		refs := make([]string, 6)
		for i := range refs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := guards[i%replicas]
				tk, err := g.Begin(context.Background(), Call{Owner: "o", Op: "create", Digest: "d", Accepted: yes})
				if err != nil {
					t.Error(err)
					return
				}
				defer tk.Close()
				if tk.Replay != nil {
					refs[i] = tk.Replay.Ref
					return
				}
				ref, _, err := tk.Send(context.Background(), Write{Send: func(context.Context) (string, error) {
					sends.Add(1)
					<-release
					return "task1", nil
				}})
				if err != nil {
					t.Error(err)
					return
				}
				tk.Done(context.Background(), ref, nil)
				refs[i] = ref
			}()
		}
		time.Sleep(50 * time.Millisecond)
		close(release)
		wg.Wait()
		if sends.Load() != 1 {
			t.Fatalf("%d replicas: %d sends", replicas, sends.Load())
		}
		for i, r := range refs {
			if r != "task1" {
				t.Fatalf("%d replicas: call %d got %q", replicas, i, r)
			}
		}
	}
}

// A waiter whose deadline ends gets ErrInFlight and sends nothing.
func TestWaiterDeadline(t *testing.T) {
	g := New(Config{})
	c := Call{Owner: "o", Op: "create", Digest: "d", Accepted: yes}
	tk, _ := g.Begin(context.Background(), c)
	defer tk.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.Begin(ctx, c); !errors.Is(err, ErrInFlight) {
		t.Fatalf("err = %v", err)
	}
}

// Not sent frees the key; unknown guards it through the landing window and
// then sends only when a check still finds nothing; tokens ClickUp never
// accepted hold no state and the advice says so.
func TestOutcomes(t *testing.T) {
	c := &clock{t: t0}
	g := New(Config{Now: c.now})
	ctx := context.Background()
	call := Call{Owner: "o", Op: "create", Digest: "d", Accepted: yes}
	var sends int
	var landed bool
	w := Write{What: "task", Where: "the list", Send: func(context.Context) (string, error) {
		sends++
		return "", lost
	}, Check: func(context.Context, time.Time) (Evidence, error) {
		ev := Evidence{Self: "1"}
		if landed {
			ev.Candidates = []Candidate{{Ref: "t1", Creator: "1", Created: t0.Add(150 * time.Second)}} // from the second send
		}
		return ev, nil
	}}
	run := func() (string, How, error) {
		tk, err := g.Begin(ctx, call)
		if err != nil {
			return "", 0, err
		}
		defer tk.Close()
		if tk.Replay != nil {
			return tk.Replay.Ref, FoundEarlier, nil
		}
		ref, how, err := tk.Send(ctx, w)
		if err == nil {
			tk.Done(ctx, ref, nil)
		}
		return ref, how, err
	}
	_, _, err := run()
	var u *UnknownError
	if !errors.As(err, &u) || !u.Kept || !strings.Contains(u.Advice("allow_duplicate=true"), "until 12:02:00 UTC checks first and never sends it again") {
		t.Fatalf("first: %v", err)
	}
	c.add(time.Minute)
	if _, _, err := run(); !errors.As(err, &u) || sends != 1 {
		t.Fatalf("within the landing window: %v, %d sends", err, sends)
	}
	c.add(90 * time.Second) // past landing: sends again (and loses again)
	if _, _, err := run(); !errors.As(err, &u) || sends != 2 {
		t.Fatalf("past landing: %v, %d sends", err, sends)
	}
	landed = true
	c.add(time.Second)
	ref, how, err := run()
	if err != nil || ref != "t1" || how != FoundEarlier || sends != 2 {
		t.Fatalf("after landing: %q %v %v, %d sends", ref, how, err, sends)
	}
	// Not sent: the key is free.
	w.Send = func(context.Context) (string, error) {
		sends++
		return "", &clickup.Error{Kind: clickup.KindInvalid, StatusCode: 400}
	}
	call.Digest = "other"
	for range 2 {
		if _, _, err := run(); err == nil {
			t.Fatal("want the 400")
		}
	}
	if sends != 4 {
		t.Fatalf("a refused write was not sent again: %d", sends)
	}
	// A token ClickUp never accepted keeps nothing, and the advice says a
	// retry would send again.
	call = Call{Owner: "junk", Op: "create", Digest: "d", Accepted: func() bool { return false }}
	w.Send = func(context.Context) (string, error) { return "", lost }
	w.Check = func(context.Context, time.Time) (Evidence, error) { return Evidence{}, errors.New("401") }
	if _, _, err := run(); !errors.As(err, &u) || u.Kept || !strings.Contains(u.Advice(""), "keeps no record") {
		t.Fatalf("junk: %v", err)
	}
	if _, _, err := g.cfg.Store.Get(ctx, "junk", call.key()); err != nil {
		t.Fatal(err)
	}
	if owners, _, _ := g.cfg.Store.(*MemoryStore).Stats(); owners != 1 {
		t.Fatalf("%d owners hold state", owners)
	}
}

// The proof: creator, time, fields, claims, ambiguity.
func TestProof(t *testing.T) {
	c := &clock{t: t0}
	g := New(Config{Now: c.now})
	ctx := context.Background()
	cands := []Candidate{}
	w := Write{What: "task", Where: "the list", Send: func(context.Context) (string, error) { return "", lost },
		Check: func(context.Context, time.Time) (Evidence, error) { return Evidence{Self: "1", Candidates: cands}, nil }}
	try := func(digest string) (string, error) {
		tk, _ := g.Begin(ctx, Call{Owner: "o", Op: "create", Digest: digest, Accepted: yes})
		defer tk.Close()
		ref, _, err := tk.Send(ctx, w)
		if err == nil {
			tk.Done(ctx, ref, nil)
		}
		return ref, err
	}
	for _, tc := range []struct {
		c    Candidate
		want string
	}{
		{Candidate{Ref: "a", Creator: "2", Created: t0}, "made by another user"},
		{Candidate{Ref: "b", Creator: "1", Created: t0.Add(-time.Minute)}, "made before this call began"},
		{Candidate{Ref: "c", Creator: "1", Created: t0, Differs: []string{"description"}}, "differs in description"},
	} {
		cands = []Candidate{tc.c}
		_, err := try("d-" + tc.c.Ref)
		var u *UnknownError
		if !errors.As(err, &u) || !strings.Contains(u.Advice(""), tc.want) {
			t.Fatalf("%+v: %v", tc.c, err)
		}
	}
	cands = []Candidate{{Ref: "x", Creator: "1", Created: t0}, {Ref: "y", Creator: "1", Created: t0}}
	if _, err := try("two"); !strings.Contains(unknownAdvice(err), "one of several") {
		t.Fatalf("two matches: %v", err)
	}
	cands = []Candidate{{Ref: "x", Creator: "1", Created: t0}}
	if ref, err := try("first"); err != nil || ref != "x" {
		t.Fatalf("proven: %q %v", ref, err)
	}
	if _, err := try("second"); !strings.Contains(unknownAdvice(err), "already the result of another call") {
		t.Fatalf("claimed twice: %v", err)
	}
}

// unknownAdvice is the advice of an *UnknownError in err's chain, or "" when
// there is none.
func unknownAdvice(err error) string {
	var ue *UnknownError
	if !errors.As(err, &ue) {
		return ""
	}
	return ue.Advice("")
}
