package writeguard

import (
	"container/heap"
	"container/list"
	"context"
	"sync"
	"time"
)

// State is what is known about one keyed write.
type State uint8

const (
	// Pending: a call is sending the write now.
	Pending State = iota + 1
	// Done: the write happened; Ref names what it made, Data is the answer
	// an identical call gets instead of a second write.
	Done
	// Unknown: the write was sent and its answer lost; it may or may not
	// have taken effect, and no check has proven either.
	Unknown
	// Claim: Ref (a created object) is the result of the write whose key is
	// in Data, so no other call may take it as its own.
	Claim
)

// Entry is the record a Store keeps under a key.
type Entry struct {
	State   State     `json:"s"`
	Ref     string    `json:"r,omitempty"`
	Data    []byte    `json:"d,omitempty"`
	Started time.Time `json:"t"` // when the write's first attempt began
}

// Store keeps entries per owner (a token's hash) with a time to live. The
// in-memory Store serves one process; a shared one (Redis, say) lets
// replicas guard the same keys. Implementations must be safe for
// concurrent use.
type Store interface {
	// Get returns the live entry under key, if any.
	Get(ctx context.Context, owner, key string) (Entry, bool, error)
	// PutIfAbsent stores e unless a live entry is there; it returns the
	// entry present (e when stored) and whether e was stored.
	PutIfAbsent(ctx context.Context, owner, key string, e Entry, ttl time.Duration) (Entry, bool, error)
	// Resolve replaces the entry under key with e, or deletes it when e is
	// nil.
	Resolve(ctx context.Context, owner, key string, e *Entry, ttl time.Duration) error
}

// MemoryLimits bound a MemoryStore. An entry costs its key, ref and data
// plus a fixed overhead (entryOverhead bytes).
type MemoryLimits struct {
	// PerOwner is the most bytes one owner may hold; its oldest entries go
	// first past it. Default 1 MiB (about 1,000 created-task answers).
	PerOwner int
	// Global is the most bytes all owners together may hold; past it the
	// owners holding the most lose their oldest entries first. Default
	// 64 MiB.
	Global int
}

const entryOverhead = 160

// MemoryStore is the in-process Store. It never drops an owner's state
// wholesale: past a limit it evicts one entry at a time, oldest first, from
// the owner over its own limit or, globally, from the owner holding the
// most, so a flood of other owners cannot push out one owner's few recent
// entries.
type MemoryStore struct {
	now    func() time.Time
	limits MemoryLimits

	mu     sync.Mutex
	owners map[string]*owner
	byCost ownerHeap
	total  int
}

type owner struct {
	name    string
	entries map[string]*list.Element // of *item
	order   *list.List               // oldest first
	cost    int
	index   int // in the heap
}

type item struct {
	key     string
	e       Entry
	expires time.Time
	cost    int
}

// NewMemoryStore returns an empty MemoryStore; now may be nil (time.Now).
func NewMemoryStore(now func() time.Time, l MemoryLimits) *MemoryStore {
	if now == nil {
		now = time.Now
	}
	if l.PerOwner <= 0 {
		l.PerOwner = 1 << 20
	}
	if l.Global <= 0 {
		l.Global = 64 << 20
	}
	if l.Global < l.PerOwner {
		l.Global = l.PerOwner
	}
	return &MemoryStore{now: now, limits: l, owners: map[string]*owner{}}
}

// Stats reports how many owners hold state, how many entries and bytes.
func (m *MemoryStore) Stats() (owners, entries, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.owners {
		entries += o.order.Len()
	}
	return len(m.owners), entries, m.total
}

// Len returns how many entries one owner holds (expired ones included
// until they are swept).
func (m *MemoryStore) Len(ownerName string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o := m.owners[ownerName]; o != nil {
		return o.order.Len()
	}
	return 0
}

func (m *MemoryStore) Get(_ context.Context, ownerName, key string) (Entry, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.live(ownerName, key)
	if it == nil {
		return Entry{}, false, nil
	}
	return it.e, true, nil
}

func (m *MemoryStore) PutIfAbsent(_ context.Context, ownerName, key string, e Entry, ttl time.Duration) (Entry, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if it := m.live(ownerName, key); it != nil {
		return it.e, false, nil
	}
	m.put(ownerName, key, e, ttl)
	return e, true, nil
}

func (m *MemoryStore) Resolve(_ context.Context, ownerName, key string, e *Entry, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o := m.owners[ownerName]; o != nil {
		if el, ok := o.entries[key]; ok {
			m.remove(o, el)
		}
	}
	if e != nil {
		m.put(ownerName, key, *e, ttl)
	}
	return nil
}

// live returns the unexpired item under key, dropping an expired one.
func (m *MemoryStore) live(ownerName, key string) *item {
	o := m.owners[ownerName]
	if o == nil {
		return nil
	}
	el, ok := o.entries[key]
	if !ok {
		return nil
	}
	it := el.Value.(*item)
	if !m.now().Before(it.expires) {
		m.remove(o, el)
		return nil
	}
	return it
}

func (m *MemoryStore) put(ownerName, key string, e Entry, ttl time.Duration) {
	o := m.owners[ownerName]
	if o == nil {
		o = &owner{name: ownerName, entries: map[string]*list.Element{}, order: list.New()}
		m.owners[ownerName] = o
		heap.Push(&m.byCost, o)
	}
	it := &item{key: key, e: e, expires: m.now().Add(ttl), cost: entryOverhead + len(key) + len(e.Ref) + len(e.Data)}
	o.entries[key] = o.order.PushBack(it)
	o.cost += it.cost
	m.total += it.cost
	heap.Fix(&m.byCost, o.index)
	m.sweep(o)
	for o.cost > m.limits.PerOwner && o.order.Len() > 1 {
		m.remove(o, o.order.Front())
	}
	for m.total > m.limits.Global && len(m.byCost) > 0 {
		top := m.byCost[0]
		before := top.order.Len()
		if m.sweep(top); top.order.Len() != before {
			continue
		}
		m.remove(top, top.order.Front())
	}
}

// sweep drops an owner's expired entries from its oldest end (cheap: it
// stops at the first live one; later expired ones go when read or evicted).
func (m *MemoryStore) sweep(o *owner) {
	now := m.now()
	for o.order.Len() > 0 {
		el := o.order.Front()
		if now.Before(el.Value.(*item).expires) {
			return
		}
		m.remove(o, el)
	}
}

func (m *MemoryStore) remove(o *owner, el *list.Element) {
	it := el.Value.(*item)
	o.order.Remove(el)
	delete(o.entries, it.key)
	o.cost -= it.cost
	m.total -= it.cost
	if o.order.Len() == 0 {
		heap.Remove(&m.byCost, o.index)
		delete(m.owners, o.name)
		return
	}
	heap.Fix(&m.byCost, o.index)
}

// ownerHeap is a max-heap of owners by the bytes they hold.
type ownerHeap []*owner

func (h ownerHeap) Len() int           { return len(h) }
func (h ownerHeap) Less(i, j int) bool { return h[i].cost > h[j].cost }
func (h ownerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *ownerHeap) Push(x any) {
	o := x.(*owner)
	o.index = len(*h)
	*h = append(*h, o)
}
func (h *ownerHeap) Pop() any {
	old := *h
	o := old[len(old)-1]
	*h = old[:len(old)-1]
	return o
}
