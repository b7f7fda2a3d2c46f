package oauthserver

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// testStore is a Store under test with what only its kind can show.
type testStore struct {
	Store
	sweep func() error
	// raw counts what is physically kept in bucket, expired or not.
	raw func(bucket string) int
	mr  *miniredis.Miniredis // Redis only
}

func openTestStore(t *testing.T, k storeKind, clk *clock) testStore {
	t.Helper()
	switch k {
	case kindBolt:
		st, err := OpenBoltStore(filepath.Join(t.TempDir(), "s.db"), clk.now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return testStore{Store: st, sweep: st.Sweep, raw: func(b string) int {
			n := 0
			_ = st.db.View(func(tx *boltTx) error { n = tx.Bucket([]byte(b)).Stats().KeyN; return nil })
			return n
		}}
	case kindRedis:
		mr := miniredis.RunT(t)
		st := NewRedisStore(redis.NewClient(&redis.Options{Addr: mr.Addr()}), RedisStoreOptions{Now: clk.now, SweepEvery: -1})
		t.Cleanup(func() { st.Close() })
		return testStore{Store: st, mr: mr, sweep: func() error { return st.Sweep(context.Background()) }, raw: func(b string) int {
			n := 0
			for _, k := range mr.Keys() {
				if len(k) > len(st.rec(b, "")) && k[:len(st.rec(b, ""))] == st.rec(b, "") {
					n++
				}
			}
			if z, err := mr.ZMembers(st.lex(b)); err == nil && len(z) > n {
				n = len(z) // index entries left behind count too
			}
			return n
		}}
	}
	t.Fatalf("unknown store kind %q", k)
	return testStore{}
}

// TestStores is the Store contract, on every kind.
func TestStores(t *testing.T) {
	eachStore(t, func(t *testing.T, k storeKind) {
		clk := &clock{t: time.Now()}
		st := openTestStore(t, k, clk)
		ctx := context.Background()
		if err := st.Put(ctx, bucketPending, "k", []byte("v"), clk.now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		// Of many concurrent takers, exactly one gets it.
		var got atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if v, err := st.Take(ctx, bucketPending, "k"); err == nil && string(v) == "v" {
					got.Add(1)
				}
			}()
		}
		wg.Wait()
		if got.Load() != 1 {
			t.Errorf("%d takers got the value, want 1", got.Load())
		}
		if _, err := st.Get(ctx, bucketPending, "k"); !errors.Is(err, ErrNotFound) {
			t.Errorf("taken record: %v", err)
		}

		// Swap is a compare-and-swap; of many concurrent swaps from one
		// value, exactly one succeeds.
		_ = st.Put(ctx, bucketCodes, "c", []byte("a"), time.Time{})
		if err := st.Swap(ctx, bucketCodes, "c", []byte("x"), []byte("b")); !errors.Is(err, ErrConflict) {
			t.Errorf("swap from a stale value: %v", err)
		}
		var swapped atomic.Int32
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if st.Swap(ctx, bucketCodes, "c", []byte("a"), []byte(fmt.Sprint("b", i))) == nil {
					swapped.Add(1)
				}
			}()
		}
		wg.Wait()
		if swapped.Load() != 1 {
			t.Errorf("%d concurrent swaps from one value succeeded, want 1", swapped.Load())
		}
		if err := st.Swap(ctx, bucketCodes, "missing", []byte("a"), []byte("b")); !errors.Is(err, ErrNotFound) {
			t.Errorf("swap of a missing key: %v", err)
		}

		// Expiry follows the store's clock, and a swap keeps it.
		_ = st.Put(ctx, bucketAccess, "old", []byte("1"), clk.now().Add(time.Second))
		_ = st.Put(ctx, bucketAccess, "new", []byte("1"), clk.now().Add(time.Hour))
		if err := st.Swap(ctx, bucketAccess, "old", []byte("1"), []byte("2")); err != nil {
			t.Fatal(err)
		}
		clk.advance(2 * time.Second)
		if _, err := st.Get(ctx, bucketAccess, "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired record: %v", err)
		}
		if _, err := st.Take(ctx, bucketAccess, "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("taking an expired record: %v", err)
		}
		_ = st.Put(ctx, bucketAccess, "old2", []byte("1"), clk.now().Add(time.Second))
		clk.advance(2 * time.Second)
		if err := st.Swap(ctx, bucketAccess, "old2", []byte("1"), []byte("2")); !errors.Is(err, ErrNotFound) {
			t.Errorf("swapping an expired record: %v", err)
		}
		if err := st.Put(ctx, bucketAccess, "born-dead", []byte("1"), clk.now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := st.sweep(); err != nil {
			t.Fatal(err)
		}
		if n := st.raw(bucketAccess); n != 1 {
			t.Errorf("after the sweep %d records are kept in the access bucket, want 1 (the live one)", n)
		}

		// Scan: in key order, by prefix, live records only, stopping when
		// told to, and across pages.
		var want []string
		for i := range redisScanPage + 30 {
			key := fmt.Sprintf("g1\x00a\x00%04d", i)
			want = append(want, key)
			_ = st.Put(ctx, bucketByReq, key, nil, clk.now().Add(time.Hour))
		}
		_ = st.Put(ctx, bucketByReq, "g1\x00r\x00x", nil, clk.now().Add(time.Hour))
		_ = st.Put(ctx, bucketByReq, "g10\x00a\x00x", nil, clk.now().Add(time.Hour))
		_ = st.Put(ctx, bucketByReq, "g1\x00a\x00dead", nil, clk.now().Add(time.Second))
		clk.advance(2 * time.Second)
		var seen []string
		if err := st.Scan(ctx, bucketByReq, "g1\x00a\x00", func(k string, _ []byte) bool { seen = append(seen, k); return true }); err != nil {
			t.Fatal(err)
		}
		if !sort.StringsAreSorted(seen) || len(seen) != len(want) || seen[0] != want[0] || seen[len(seen)-1] != want[len(want)-1] {
			t.Errorf("scan by prefix: %d keys (sorted: %v), want %d", len(seen), sort.StringsAreSorted(seen), len(want))
		}
		n := 0
		_ = st.Scan(ctx, bucketByReq, "", func(string, []byte) bool { n++; return n < 3 })
		if n != 3 {
			t.Errorf("scan went on after fn returned false: %d calls", n)
		}
		if err := st.Delete(ctx, bucketByReq, want[0]); err != nil {
			t.Fatal(err)
		}
		if err := st.Delete(ctx, bucketByReq, "never-there"); err != nil {
			t.Errorf("deleting a missing key: %v", err)
		}

		if _, err := st.Get(ctx, "nope", "k"); err == nil {
			t.Error("unknown bucket accepted")
		}
		if err := st.Put(ctx, "nope", "k", nil, time.Time{}); err == nil {
			t.Error("unknown bucket accepted by Put")
		}

		if k == kindRedis {
			// Redis drops expired records itself: every record with an
			// expiry has a TTL, one without has none.
			rs := st.Store.(*RedisStore)
			if ttl := st.mr.TTL(rs.rec(bucketAccess, "new")); ttl <= 0 || ttl > time.Hour {
				t.Errorf("TTL of an access token record: %v, want (0, 1h]", ttl)
			}
			if ttl := st.mr.TTL(rs.rec(bucketCodes, "c")); ttl != 0 {
				t.Errorf("TTL of a record that never expires: %v", ttl)
			}
			// A record Redis expired leaves an index entry; Scan prunes it.
			_ = st.Put(ctx, bucketGrants, "gone", []byte("{}"), clk.now().Add(time.Hour))
			st.mr.FastForward(2 * time.Hour)
			_ = st.Scan(ctx, bucketGrants, "", func(string, []byte) bool { return true })
			if z, _ := st.mr.ZMembers(rs.lex(bucketGrants)); len(z) != 0 {
				t.Errorf("index entries left after Redis expired their records: %q", z)
			}
		}
	})
}
