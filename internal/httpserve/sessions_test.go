package httpserve

import (
	"testing"
	"time"
)

// The registry forgets ended and idle sessions after the TTL, so its memory
// is bounded by the sessions of the last TTL, and a forgotten id is as
// unknown (404) as a made-up one.
func TestSessionRegistryForgetsAfterTTL(t *testing.T) {
	now := time.Unix(1e9, 0)
	reg := newSessionRegistry(time.Minute)
	reg.now = func() time.Time { return now }
	res := boundResolver{reg: reg}
	mgr := boundIDs{tok: "pk_1_A", reg: reg}
	a, b := mgr.Generate(), mgr.Generate()
	if ended, err := mgr.Validate(a); ended || err != nil {
		t.Fatalf("live session: ended=%v err=%v", ended, err)
	}
	if _, err := (boundIDs{tok: "pk_2_B", reg: reg}).Validate(a); err == nil {
		t.Error("another identity validated the session")
	}
	_, _ = res.ResolveSessionIdManager(nil).Terminate(a) // the sweeper
	if ended, _ := mgr.Validate(a); !ended {
		t.Error("a swept session still validates")
	}
	if _, err := mgr.Validate(boundIDs{tok: "pk_1_A"}.Generate()); err == nil {
		t.Error("an id the registry never issued validates")
	}
	now = now.Add(2 * time.Minute)
	mgr.Generate() // prunes
	if live, dead := reg.count(); live != 1 || dead != 0 {
		t.Errorf("after the TTL: %d live, %d ended kept; want 1 (the new one), 0", live, dead)
	}
	for _, id := range []string{a, b} {
		if _, err := mgr.Validate(id); err == nil {
			t.Errorf("an id forgotten after the TTL still validates")
		}
	}
}
