package httpserve

import (
	"net/http"
	"sync"

	"github.com/rs/zerolog"
)

// refusalLog writes a warning for each refused Host or Origin value the
// first time it is seen, so an operator learns what to allow, while a
// flood (the same origin again and again, or endless made-up ones) does
// not fill the log: repeats are not logged, and past maxRefusedValues
// distinct values one line says the rest are not.
type refusalLog struct {
	log  zerolog.Logger
	mu   sync.Mutex
	seen map[string]bool
	full bool
}

const maxRefusedValues = 100

func newRefusalLog(log zerolog.Logger) *refusalLog {
	return &refusalLog{log: log, seen: map[string]bool{}}
}

func (l *refusalLog) note(kind, value string, r *http.Request, msg string) {
	if len(value) > 200 {
		value = value[:200] + "…"
	}
	key := kind + "\x00" + value
	l.mu.Lock()
	if l.seen[key] {
		l.mu.Unlock()
		return
	}
	if len(l.seen) >= maxRefusedValues {
		first := !l.full
		l.full = true
		l.mu.Unlock()
		if first {
			l.log.Warn().Int("values", maxRefusedValues).Msg("many distinct Host or Origin values refused; further ones are refused without a log line")
		}
		return
	}
	l.seen[key] = true
	l.mu.Unlock()
	l.log.Warn().Str(kind, value).Str("path", r.URL.Path).Str("remote", r.RemoteAddr).Msg(msg + "; logged once per value")
}

// noteRebinding logs what mcp-go is about to refuse with 403: a loopback
// connection naming a foreign Host (a DNS-rebinding page).
func noteRebinding(next http.Handler, refused *refusalLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !probePath(r.URL.Path) && isLoopbackPeer(r) && !isLocalHost(hostOnly(r.Host)) {
			refused.note("host", r.Host, r, "refused a request on a loopback address for a foreign Host (DNS-rebinding protection; behind a proxy on this host, set --allowed-hosts or keep Host)")
		}
		next.ServeHTTP(w, r)
	})
}
