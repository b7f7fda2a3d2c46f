package clickuptest

import (
	"net/http"
	"strings"
	"time"
)

// DropMode says whether and when a fault closes the connection without a
// response.
type DropMode int

const (
	// DropNone answers normally (or with the fault's Status).
	DropNone DropMode = iota
	// DropBeforeHandling closes the connection before the request is
	// processed: nothing is applied.
	DropBeforeHandling
	// DropAfterHandling processes the request (a task IS created, say), then
	// closes the connection without a response: the client cannot tell
	// whether its request took effect.
	DropAfterHandling
)

// Fault makes the next Times requests that match Method and Path misbehave.
//
// Path is either a route pattern, recognised by a "{", which matches the
// route exactly whatever the parameter names ("/v2/task/{id}" matches GET
// /v2/task/abc but not /v2/task/abc/comment), or else a plain prefix of the
// request path ("/v2/task/" matches every task route). Both may be written
// with or without the "/api" prefix. "" matches every path.
//
// What happens, in order: Delay (honouring the request's context), then
// LandAfter (ignoring it), then Drop if set, else Status if set and not
// Applied (the response is exactly Status, Header
// and Body: no rate-limit headers unless Header has them, and Content-Type
// application/json when Body looks like JSON, text/html otherwise), else
// the request is handled normally, with its JSON body cut in half if
// Truncate is set (the change IS applied), or answered with Status if
// Applied.
type Fault struct {
	Method   string // "" = any
	Path     string // route pattern or path prefix, see above; "" = any
	Times    int    // how many matching requests get it; 0 means 1
	Status   int
	Body     string
	Header   http.Header
	Delay    time.Duration
	Drop     DropMode
	Truncate bool
	// Applied, with Status, handles the request first (the change IS
	// applied), then answers Status and Body: a 502 from a proxy whose
	// backend did the work.
	Applied bool
	// LandAfter holds the request this long whatever the client does, then
	// handles it: a write that lands after the client gave up on it.
	LandAfter time.Duration
}

// InjectFault queues a fault. Faults are tried in the order they were added;
// each request gets at most one.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns (a copy of) the first fault matching the request and
// uses up one of its Times. Called with s.mu held.
func (s *Server) takeFault(method, rel, routeName string) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if !faultPathMatches(f.Path, rel, routeName) {
			continue
		}
		cp := *f
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return &cp
	}
	return nil
}

func faultPathMatches(p, rel, routeName string) bool {
	if p == "" {
		return true
	}
	p = stripAPIPrefix(p)
	if strings.Contains(p, "{") {
		if routeName == "" {
			return false
		}
		_, pattern, _ := strings.Cut(routeName, " ")
		return normalizePattern(pattern) == normalizePattern(p)
	}
	return strings.HasPrefix(rel, p)
}

func stripAPIPrefix(p string) string {
	if strings.HasPrefix(p, "/api/") {
		return p[len("/api"):]
	}
	return p
}

// normalizePattern replaces every {name} with {} so patterns compare by
// shape, not by parameter names.
func normalizePattern(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteString("{}")
		p = p[i+j+1:]
	}
}

func writeFault(w http.ResponseWriter, f *Fault) {
	h := w.Header()
	for k, vs := range f.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if h.Get("Content-Type") == "" && f.Body != "" {
		if b := strings.TrimSpace(f.Body); strings.HasPrefix(b, "{") || strings.HasPrefix(b, "[") {
			h.Set("Content-Type", "application/json; charset=utf-8")
		} else {
			h.Set("Content-Type", "text/html; charset=utf-8")
		}
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}
