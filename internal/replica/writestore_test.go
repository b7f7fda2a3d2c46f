package replica

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// TestWriteStoreSharedByReplicas: the guard's records made on one replica
// are what another replica finds, entry for entry, and a resolution on
// either is seen by both.
func TestWriteStoreSharedByReplicas(t *testing.T) {
	mr := miniredis.RunT(t)
	a := newNode(t, "redis://"+mr.Addr(), nil, nil).WriteStore()
	b := newNode(t, "redis://"+mr.Addr(), nil, nil).WriteStore()
	ctx := context.Background()
	owner, key := writeguard.Owner("pk_1_WRITER"), "create_task:digest1"
	started := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	pending := writeguard.Entry{State: writeguard.Pending, Started: started}
	if got, stored, err := a.PutIfAbsent(ctx, owner, key, pending, time.Minute); err != nil || !stored || got.State != writeguard.Pending {
		t.Fatalf("first put: %+v stored=%v err=%v", got, stored, err)
	}
	got, stored, err := b.PutIfAbsent(ctx, owner, key, writeguard.Entry{State: writeguard.Pending, Started: started.Add(time.Second)}, time.Minute)
	if err != nil || stored || got.State != writeguard.Pending || !got.Started.Equal(started) {
		t.Fatalf("the other replica's put: %+v stored=%v err=%v, want the first's pending record", got, stored, err)
	}
	done := writeguard.Entry{State: writeguard.Done, Ref: "86task", Data: []byte(`{"id":"86task"}`), Started: started}
	if err := a.Resolve(ctx, owner, key, &done, time.Minute); err != nil {
		t.Fatal(err)
	}
	e, ok, err := b.Get(ctx, owner, key)
	if err != nil || !ok || e.State != writeguard.Done || e.Ref != "86task" || string(e.Data) != `{"id":"86task"}` {
		t.Fatalf("b after a resolved: %+v %v %v", e, ok, err)
	}
	if err := b.Resolve(ctx, owner, key, nil, 0); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Get(ctx, owner, key); ok {
		t.Fatal("the record deleted on b is still on a")
	}
	// A record that is not the guard's JSON is an error, not a silent miss.
	mr.FlushAll()
	if _, _, err := a.d.PutIfAbsent(ctx, owner, key, []byte("not json"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Get(ctx, owner, key); err == nil {
		t.Fatal("an unreadable record read as no error")
	}
}
