// Package writeguard keeps a non-idempotent write (a POST that creates a
// task or a comment) from happening twice, and from being reported as done
// when it is not proven.
//
// Each write has a key: the owner (a hash of the token), the operation and
// a canonical digest of what is sent. Two identical calls in flight at once:
// one sends, the other waits for its outcome. Outcomes:
//   - done: an identical call within Window gets the same answer, without a
//     second write;
//   - failed, not sent: the key is free again;
//   - unknown (the answer was lost): the key stays guarded for Window. An
//     identical call checks first; before Landing has passed since the
//     first attempt, it never sends again (a late write may still land);
//     after it, it sends only if the check still finds nothing.
//
// A lost write counts as done only when a check proves it is this write:
// made by the token's own user, after the write's first attempt began, with
// every field that was sent equal, and not already the result of another
// call (each result is claimed by the key that made it). Anything less is
// unknown, with the candidates and why each was not taken.
//
// State is kept only for tokens ClickUp has accepted, in a Store bounded
// per token and globally.
package writeguard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// Config tunes a Guard; zero values take the defaults.
type Config struct {
	Store Store
	Now   func() time.Time
	// Window is how long a done or unknown outcome guards its key
	// (default 10 minutes).
	Window time.Duration
	// Landing is how long after its first attempt a lost write may still
	// land in ClickUp (default 2 minutes: past ClickUp's own request
	// timeouts); until then an unknown key is never sent again.
	Landing time.Duration
	// Skew is the clock difference allowed between this server and ClickUp
	// when comparing a candidate's creation date with the write's start
	// (default 1 second).
	Skew time.Duration
	// PendingTTL bounds a pending record in a shared store, should its
	// replica die mid-call (default 3 minutes).
	PendingTTL time.Duration
}

// Guard guards keyed writes. It is safe for concurrent use.
type Guard struct {
	cfg Config

	mu      sync.Mutex
	flights map[string]*flight
}

type flight struct{ done chan struct{} }

// New returns a Guard; with no Store it keeps state in a MemoryStore with
// the default limits.
func New(cfg Config) *Guard {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore(cfg.Now, MemoryLimits{})
	}
	if cfg.Window <= 0 {
		cfg.Window = 10 * time.Minute
	}
	if cfg.Landing <= 0 {
		cfg.Landing = 2 * time.Minute
	}
	if cfg.Landing > cfg.Window {
		cfg.Landing = cfg.Window
	}
	if cfg.Skew <= 0 {
		cfg.Skew = time.Second
	}
	if cfg.PendingTTL <= 0 {
		cfg.PendingTTL = 3 * time.Minute
	}
	return &Guard{cfg: cfg, flights: map[string]*flight{}}
}

// Config returns the guard's configuration with defaults filled in.
func (g *Guard) Config() Config { return g.cfg }

// Owner turns a token into the owner name the store keys by: a hash, never
// the token.
func Owner(token string) string {
	h := sha256.Sum256([]byte("clickup-mcp writeguard\x00" + token))
	return hex.EncodeToString(h[:16])
}

// Digest is a canonical digest of what a write sends: parts are encoded as
// JSON, decoded and encoded again, so object keys are sorted and spacing
// does not matter.
func Digest(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		b, err := json.Marshal(p)
		if err != nil {
			b = []byte(fmt.Sprintf("%#v", p))
		}
		var v any
		if json.Unmarshal(b, &v) == nil {
			b, _ = json.Marshal(v)
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Call names one write.
type Call struct {
	Owner  string // Owner(token)
	Op     string // e.g. "create_task", "create_comment"
	Digest string // Digest(what is sent)
	// Accepted reports whether ClickUp has accepted the token (answered a
	// request with success); only then is state kept for it.
	Accepted func() bool
}

func (c Call) key() string { return c.Op + ":" + c.Digest }

func (c Call) accepted() bool { return c.Accepted != nil && c.Accepted() }

// ErrInFlight: an identical write is being sent by another call, and this
// call's deadline ended while it waited for its outcome.
var ErrInFlight = errors.New("an identical write is in progress in another call and its outcome is not known yet")

// Ticket is one call's hold on a key, from Begin to Done (or Close).
type Ticket struct {
	g    *Guard
	call Call
	key  string
	f    *flight
	// Replay is set when an identical write is already done: answer with it
	// and send nothing.
	Replay *Entry
	prior  *Entry // an unknown outcome of an earlier identical call
	stored bool   // a record is in the store for this key
	sent   string // ref of a successful Send not yet Done
	over   bool
}

// Begin takes the key of c. It waits (within ctx) while an identical call
// is in flight, then returns a Ticket: with Replay set when the write is
// already done, else the caller must Send and then Done or Close.
func (g *Guard) Begin(ctx context.Context, c Call) (*Ticket, error) {
	key := c.key()
	fk := c.Owner + "\x00" + key
	delay := 20 * time.Millisecond
	for {
		g.mu.Lock()
		if f := g.flights[fk]; f != nil {
			g.mu.Unlock()
			select {
			case <-f.done:
				continue
			case <-ctx.Done():
				return nil, ErrInFlight
			}
		}
		f := &flight{done: make(chan struct{})}
		g.flights[fk] = f
		g.mu.Unlock()

		t := &Ticket{g: g, call: c, key: key, f: f}
		e, ok, err := g.cfg.Store.Get(ctx, c.Owner, key)
		if err != nil {
			ok = false // a store that cannot answer guards nothing; in-process flights still do
		}
		switch {
		case ok && e.State == Done:
			t.Replay = &e
			t.finish()
			return t, nil
		case ok && e.State == Unknown:
			t.prior, t.stored = &e, true
			return t, nil
		case ok && e.State == Pending:
			// Another replica is sending it: wait for its outcome.
			t.finish()
			select {
			case <-time.After(delay):
				delay = min(2*delay, time.Second)
				continue
			case <-ctx.Done():
				return nil, ErrInFlight
			}
		}
		if c.accepted() {
			_, stored, err := g.cfg.Store.PutIfAbsent(ctx, c.Owner, key, Entry{State: Pending, Started: g.cfg.Now()}, g.cfg.PendingTTL)
			if err == nil && !stored {
				t.finish()
				continue // raced with another replica: read its record
			}
			t.stored = err == nil
		}
		return t, nil
	}
}

// Write is what a Ticket sends and how to check it.
type Write struct {
	// Send makes the write once and returns the id of what it made.
	Send func(ctx context.Context) (string, error)
	// Check lists what this write may have made since the given time.
	Check func(ctx context.Context, since time.Time) (Evidence, error)
	// What names the object for messages ("task", "comment").
	What string
	// Where says how to check by hand, e.g. `list 901 for a task named "X"`.
	Where string
}

// Evidence is what a check found.
type Evidence struct {
	Self       string // the token's user id
	Candidates []Candidate
	Partial    bool // the check could not see everything (a full page)
}

// Candidate is an object that may be the write's.
type Candidate struct {
	Ref     string
	Label   string    // e.g. the task's name, for messages
	Creator string    // its author's user id
	Created time.Time // as ClickUp stamped it
	Differs []string  // fields that differ from what was sent
}

// How says how a successful Send came about.
type How int

const (
	Sent         How = iota // ClickUp answered the write
	Reconciled              // its answer was lost; a check proved the write landed
	FoundEarlier            // an earlier identical call lost its answer; a check proved its write
)

// Send makes the write under the ticket, checking first when an earlier
// identical call's outcome is unknown. On success the caller must call
// Done (a Close without it records the ref alone). Errors are the write's
// own (the key is freed: it was not sent), an *UnknownError, or the
// context's.
func (t *Ticket) Send(ctx context.Context, w Write) (string, How, error) {
	g := t.g
	if t.Replay != nil || t.over {
		return "", Sent, errors.New("writeguard: Send on a finished ticket")
	}
	if t.prior != nil {
		started := t.prior.Started
		ev, cerr := t.check(ctx, w, started)
		if ref, rej := t.prove(ctx, started, ev, cerr); ref != "" {
			t.sent = ref
			return ref, FoundEarlier, nil
		} else if cerr != nil || g.cfg.Now().Before(started.Add(g.cfg.Landing)) {
			u := t.unknownErr(w, ErrStillUnknown, started, ev, cerr, rej)
			u.Kept = true
			t.finish() // the store's record stays as it was
			return "", Sent, u
		}
		// The landing window is over and the check found nothing: it did
		// not land. Send again, as a new first attempt.
		t.prior = nil
	}
	start := g.cfg.Now()
	ref, err := w.Send(ctx)
	if err == nil {
		t.sent = ref
		return ref, Sent, nil
	}
	if !MaybeApplied(err) {
		t.free()
		return "", Sent, err
	}
	ev, cerr := t.check(ctx, w, start)
	ref, rej := t.prove(ctx, start, ev, cerr)
	if ref != "" {
		t.sent = ref
		return ref, Reconciled, nil
	}
	u := t.unknownErr(w, err, start, ev, cerr, rej)
	if t.call.accepted() {
		e := Entry{State: Unknown, Started: start}
		sctx, cancel := storeCtx(ctx)
		defer cancel()
		if g.cfg.Store.Resolve(sctx, t.call.Owner, t.key, &e, g.cfg.Window) == nil {
			t.stored = true
			u.Kept = true
		}
	}
	if !u.Kept && t.stored {
		_ = g.cfg.Store.Resolve(ctx, t.call.Owner, t.key, nil, 0)
	}
	t.finish()
	return "", Sent, u
}

func (t *Ticket) check(ctx context.Context, w Write, since time.Time) (Evidence, error) {
	if w.Check == nil {
		return Evidence{}, errors.New("no check is possible for this write")
	}
	if err := ctx.Err(); err != nil {
		return Evidence{}, err
	}
	return w.Check(ctx, since)
}

// Rejected is a candidate not taken, and why.
type Rejected struct {
	Candidate
	Why []string
}

// prove returns the one candidate proven to be this write (and claims it),
// or "" with every candidate and why it was not taken.
func (t *Ticket) prove(ctx context.Context, started time.Time, ev Evidence, cerr error) (string, []Rejected) {
	if cerr != nil {
		return "", nil
	}
	var ok []Candidate
	var rej []Rejected
	for _, c := range ev.Candidates {
		var why []string
		if ev.Self == "" || c.Creator != ev.Self {
			why = append(why, "made by another user")
		}
		if c.Created.Before(started.Add(-t.g.cfg.Skew)) {
			why = append(why, "made before this call began ("+c.Created.UTC().Format(time.RFC3339)+")")
		}
		if len(c.Differs) > 0 {
			why = append(why, "differs in "+strings.Join(c.Differs, ", "))
		}
		if len(why) == 0 && t.claimedByOther(ctx, c.Ref) {
			why = append(why, "already the result of another call")
		}
		if len(why) > 0 {
			rej = append(rej, Rejected{c, why})
			continue
		}
		ok = append(ok, c)
	}
	if len(ok) > 1 {
		for _, c := range ok {
			rej = append(rej, Rejected{c, []string{"one of several identical matches; cannot tell which is this call's"}})
		}
		return "", rej
	}
	if len(ok) == 1 {
		if t.claim(ctx, ok[0].Ref) {
			return ok[0].Ref, rej
		}
		rej = append(rej, Rejected{ok[0], []string{"already the result of another call"}})
	}
	return "", rej
}

func (t *Ticket) claimKey(ref string) string { return "claim:" + t.call.Op + ":" + ref }

func (t *Ticket) claimedByOther(ctx context.Context, ref string) bool {
	e, ok, err := t.g.cfg.Store.Get(ctx, t.call.Owner, t.claimKey(ref))
	return err == nil && ok && string(e.Data) != t.key
}

// claim records ref as this key's result; false when another key has it.
func (t *Ticket) claim(ctx context.Context, ref string) bool {
	if !t.call.accepted() {
		return true // nothing can be kept for this token; nothing was claimed by it either
	}
	cur, stored, err := t.g.cfg.Store.PutIfAbsent(ctx, t.call.Owner, t.claimKey(ref), Entry{State: Claim, Ref: ref, Data: []byte(t.key)}, t.g.cfg.Window+t.g.cfg.Landing)
	return err != nil || stored || string(cur.Data) == t.key
}

// Done records the write's outcome: ref, and data to answer an identical
// call with. It releases the key's waiters.
func (t *Ticket) Done(ctx context.Context, ref string, data []byte) {
	if t.over {
		return
	}
	ctx, cancel := storeCtx(ctx)
	defer cancel()
	if t.call.accepted() {
		t.claim(ctx, ref)
		e := Entry{State: Done, Ref: ref, Data: data, Started: t.g.cfg.Now()}
		_ = t.g.cfg.Store.Resolve(ctx, t.call.Owner, t.key, &e, t.g.cfg.Window)
	} else if t.stored {
		_ = t.g.cfg.Store.Resolve(ctx, t.call.Owner, t.key, nil, 0)
	}
	t.finish()
}

// storeCtx outlives the call's own deadline: an outcome must be recorded
// even when the call that learnt it has run out of time.
func storeCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
}

// Close ends a ticket that was not Done: after a successful Send it
// records the ref alone; before any Send it frees the key.
func (t *Ticket) Close() {
	if t.over {
		return
	}
	if t.sent != "" {
		t.Done(context.Background(), t.sent, nil)
		return
	}
	if t.prior != nil {
		t.finish() // the earlier unknown outcome stays guarded
		return
	}
	t.free()
}

func (t *Ticket) free() {
	if t.stored {
		_ = t.g.cfg.Store.Resolve(context.Background(), t.call.Owner, t.key, nil, 0)
		t.stored = false
	}
	t.finish()
}

func (t *Ticket) finish() {
	if t.over {
		return
	}
	t.over = true
	g := t.g
	fk := t.call.Owner + "\x00" + t.key
	g.mu.Lock()
	if g.flights[fk] == t.f {
		delete(g.flights, fk)
	}
	g.mu.Unlock()
	close(t.f.done)
}

// MaybeApplied reports whether a failed write may have taken effect.
func MaybeApplied(err error) bool {
	var ce *clickup.Error
	if errors.As(err, &ce) {
		return ce.MaybeApplied
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// ErrStillUnknown: an earlier identical call's outcome is unknown and the
// check did not settle it.
var ErrStillUnknown = errors.New("an earlier identical call's write may have been applied and is not proven either way")

// UnknownError is a write whose outcome is not known.
type UnknownError struct {
	What, Where string
	Cause       error
	Started     time.Time
	// Kept: the key stays guarded; SendsAfter and Until say what an
	// identical call does then.
	Kept              bool
	SendsAfter, Until time.Time
	Checked           bool  // a check ran
	CheckErr          error // why it could not
	Partial           bool
	Rejected          []Rejected
}

func (t *Ticket) unknownErr(w Write, cause error, started time.Time, ev Evidence, cerr error, rej []Rejected) *UnknownError {
	g := t.g
	sort.SliceStable(rej, func(i, j int) bool { return len(rej[i].Why) < len(rej[j].Why) })
	if len(rej) > 5 {
		rej = rej[:5]
	}
	return &UnknownError{
		What: w.What, Where: w.Where, Cause: cause, Started: started,
		SendsAfter: started.Add(g.cfg.Landing), Until: started.Add(g.cfg.Window),
		Checked: cerr == nil, CheckErr: cerr, Partial: ev.Partial, Rejected: rej,
	}
}

func (e *UnknownError) Error() string {
	return "outcome unknown: the " + e.What + " may have been applied: " + e.Cause.Error()
}

func (e *UnknownError) Unwrap() error { return e.Cause }

// Advice tells a model what happened, what to check and what an identical
// call will do, promising only what the guard keeps.
func (e *UnknownError) Advice(allowFlag string) string {
	var b strings.Builder
	hm := func(t time.Time) string { return t.UTC().Format("15:04:05 UTC") }
	fmt.Fprintf(&b, "Outcome unknown: the %s may have been applied (ClickUp's answer was lost), or not.", e.What)
	switch {
	case !e.Checked:
		fmt.Fprintf(&b, " It could not be checked (%s).", oneLine(e.CheckErr))
	case len(e.Rejected) == 0 && e.Partial:
		b.WriteString(" A check saw only part of the candidates and none was it.")
	case len(e.Rejected) == 0:
		fmt.Fprintf(&b, " Checked: not there (yet); a late write may still land.")
	default:
		b.WriteString(" Checked: no match proven to be this call's; candidates:")
		for _, r := range e.Rejected {
			fmt.Fprintf(&b, " %s %q (%s);", r.Ref, r.Label, strings.Join(r.Why, ", "))
		}
	}
	fmt.Fprintf(&b, " To check: %s, made after %s.", e.Where, hm(e.Started))
	if e.Kept {
		fmt.Fprintf(&b, " Calling again with the same arguments until %s checks first and never sends it again (it may still land); from then until %s it checks first and sends it only if it is still not there.", hm(e.SendsAfter), hm(e.Until))
	} else {
		b.WriteString(" This server keeps no record of this attempt, so calling again would send it again: check first.")
	}
	if allowFlag != "" {
		fmt.Fprintf(&b, " To make another one regardless, pass %s.", allowFlag)
	}
	return b.String()
}

func oneLine(err error) string {
	if err == nil {
		return "no check ran"
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
