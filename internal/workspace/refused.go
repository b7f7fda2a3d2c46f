package workspace

import (
	"encoding/hex"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// refusedTokens warns once per token that ClickUp refused (401), by the
// token's hash, never the token: an operator sees a revoked or mistyped
// token without a line per call. A flood of distinct junk tokens is held to
// a few lines a minute, with the count of those not logged.
type refusedTokens struct {
	mu         sync.Mutex
	seen       map[[32]byte]struct{}
	limit      *rate.Limiter
	suppressed int
}

// maxRefusedSeen bounds the memory of tokens already warned about; past it
// the set starts again (a token may then be warned about a second time).
const maxRefusedSeen = 4096

func newRefusedTokens() *refusedTokens {
	return &refusedTokens{seen: map[[32]byte]struct{}{}, limit: rate.NewLimiter(rate.Every(6*time.Second), 10)}
}

// WarnRefused logs, once per token, that ClickUp refused the session's
// token (call it when a call failed as unauthorized).
func (d *Deps) WarnRefused(s *Session) {
	r := d.refused
	r.mu.Lock()
	if _, ok := r.seen[s.key]; ok {
		r.mu.Unlock()
		return
	}
	if len(r.seen) >= maxRefusedSeen {
		clear(r.seen)
	}
	r.seen[s.key] = struct{}{}
	if !r.limit.Allow() {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	suppressed := r.suppressed
	r.suppressed = 0
	r.mu.Unlock()
	ev := d.cfg.Logger.Warn().Str("token", s.Client.RedactedToken()).Str("token_hash", hex.EncodeToString(s.key[:8]))
	if suppressed > 0 {
		ev = ev.Int("other_tokens_not_logged", suppressed)
	}
	ev.Msg("ClickUp refused a token (401: missing, invalid or revoked); its calls fail until it is replaced. Logged once per token")
}
