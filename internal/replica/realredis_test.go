package replica

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
)

// startRedis runs a real redis-server for the test (testutil.StartRedis)
// and remembers its PID for stopRedis; the test skips without the binary.
func startRedis(t *testing.T) string {
	t.Helper()
	addr, pid := testutil.StartRedisProcess(t)
	redisPIDs.Store("redis://"+addr, pid)
	return "redis://" + addr
}

// TestRealRedisThreeReplicas is TestThreeReplicasDrawNo429s against a real
// Redis.
func TestRealRedisThreeReplicas(t *testing.T) {
	url := startRedis(t)
	sim := &simClickUp{limit: 25, length: 250 * time.Millisecond, start: time.Now().Truncate(time.Millisecond)}
	key := clickup.TokenKey("pk_5_REAL")
	var todo atomic.Int64
	todo.Store(150)
	var wg sync.WaitGroup
	for r := 0; r < 3; r++ {
		// A timeout falls back to local state (TestRealRedisStoppedMidRun's
		// subject); under -race on a loaded machine 300ms ops do time out.
		w := newNodeTO(t, url, nil, nil, 3*time.Second).Window()
		for c := 0; c < 10; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for todo.Add(-1) >= 0 {
					for {
						rel, wait, ok := w.Acquire(context.Background(), clickup.WindowRequest{Key: key, Now: time.Now(), Burst: 2})
						if ok {
							rel(sim.do(time.Now()))
							break
						}
						time.Sleep(min(wait, 20*time.Millisecond))
					}
				}
			}()
		}
	}
	wg.Wait()
	if sim.r429.Load() != 0 || sim.ok.Load() != 150 {
		t.Errorf("ok %d, 429s %d; want 150 and 0", sim.ok.Load(), sim.r429.Load())
	}
	t.Logf("3 replicas x 10 callers, 150 requests: %d answered, %d 429s, %d windows of %d (floor 6)",
		sim.ok.Load(), sim.r429.Load(), sim.windows(), sim.limit)
	// Windows used: the floor is 150/25 = 6; sharing must not waste them.
	if w := sim.windows(); w > 7 {
		t.Errorf("took %d windows of %d requests, the floor is 6", w, sim.limit)
	}
}

// TestRealRedisStoppedMidRun stops Redis halfway through: the replicas go
// on with their local share (limit / 3 replicas seen) and every request is
// answered; it reports the 429s that cost.
func TestRealRedisStoppedMidRun(t *testing.T) {
	url := startRedis(t)
	sim := &simClickUp{limit: 24, length: 250 * time.Millisecond, start: time.Now().Truncate(time.Millisecond)}
	key := clickup.TokenKey("pk_6_STOP")
	var nodes []*Node
	for r := 0; r < 3; r++ {
		nodes = append(nodes, newNodeTO(t, url, nil, nil, 3*time.Second))
	}
	for deadline := time.Now().Add(5 * time.Second); nodes[0].Replicas() < 3 || nodes[2].Replicas() < 3; {
		if time.Now().After(deadline) {
			t.Fatal("replicas never saw each other")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var todo, sent atomic.Int64
	todo.Store(144)
	var stopOnce sync.Once
	var wg sync.WaitGroup
	for _, n := range nodes {
		w := n.Window()
		for c := 0; c < 8; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for todo.Add(-1) >= 0 {
					if sent.Add(1) == 72 {
						stopOnce.Do(func() { stopRedis(t, url) })
					}
					for {
						rel, wait, ok := w.Acquire(context.Background(), clickup.WindowRequest{Key: key, Now: time.Now(), Burst: 2})
						if !ok {
							time.Sleep(min(wait, 20*time.Millisecond))
							continue
						}
						o, done := sim.try(time.Now())
						rel(o)
						if done {
							break
						}
						w.Hold(context.Background(), key, o.Reset, time.Now()) // a 429: wait for the reset, then again
					}
				}
			}()
		}
	}
	wg.Wait()
	if nodes[0].Up() {
		t.Error("Redis stopped, the node says up")
	}
	if sim.ok.Load() != 144 {
		t.Errorf("answered %d of 144", sim.ok.Load())
	}
	t.Logf("Redis stopped after 72 of 144 requests: %d answered, %d 429s on the way, %d windows of %d (floor 6)",
		sim.ok.Load(), sim.r429.Load(), sim.windows(), sim.limit)
}

var redisPIDs sync.Map // url -> pid, for stopRedis

// stopRedis stops the test's redis-server by its PID, mid-test.
func stopRedis(t *testing.T, url string) {
	if pid, ok := redisPIDs.Load(url); ok {
		_ = syscall.Kill(pid.(int), syscall.SIGKILL)
	}
}
