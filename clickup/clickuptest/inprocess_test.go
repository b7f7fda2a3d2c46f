package clickuptest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The in-process client answers as httptest's recorder did (and as a real
// server does, for what the client reads): status, headers as written,
// the sniffed Content-Type, Content-Length, no body where none is allowed.
func TestInProcessAnswersAsARecorder(t *testing.T) {
	handlers := map[string]http.HandlerFunc{
		"json": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-RateLimit-Remaining", "99")
			w.WriteHeader(http.StatusCreated)
			w.Header().Set("X-Late", "not sent") // after the status: dropped
			_, _ = io.WriteString(w, `{"ok":true}`)
		},
		"sniffed": func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "<html><body>hi</body></html>") },
		"empty":   func(http.ResponseWriter, *http.Request) {},
		"status":  func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTooManyRequests) },
		"length": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "5")
			_, _ = io.WriteString(w, "hello")
		},
		"nobody": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent)
			_, _ = io.WriteString(w, "x")
		},
		"twice": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			w.WriteHeader(http.StatusTeapot)
		},
		"echopath": func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, r.RequestURI+" "+r.Method) },
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			ip := &http.Client{Transport: inProcess{h}}
			got, err := ip.Get("http://fake.invalid/a/b?c=d")
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest(http.MethodGet, "/a/b?c=d", nil))
			want := rec.Result()
			if got.StatusCode != want.StatusCode || got.Status != want.Status || got.ContentLength != want.ContentLength {
				t.Errorf("status %q length %d, recorder %q %d", got.Status, got.ContentLength, want.Status, want.ContentLength)
			}
			for _, k := range []string{"Content-Type", "X-Ratelimit-Remaining", "X-Late", "Content-Length"} {
				if got.Header.Get(k) != want.Header.Get(k) {
					t.Errorf("%s: %q, recorder %q", k, got.Header.Get(k), want.Header.Get(k))
				}
			}
			gb, _ := io.ReadAll(got.Body)
			wb, _ := io.ReadAll(want.Body)
			if name == "nobody" {
				wb = nil // the recorder keeps a body a server never sends
			}
			if string(gb) != string(wb) {
				t.Errorf("body %q, recorder %q", gb, wb)
			}
			if got.Request == nil || got.Request.URL.Host != "fake.invalid" {
				t.Errorf("the answer's request is not the client's: %v", got.Request)
			}
		})
	}
}

// A fault that drops the connection is an error from the round trip, not a
// panic in the caller (httptest's recorder let http.ErrAbortHandler through).
func TestInProcessDroppedConnection(t *testing.T) {
	s := NewDemo()
	s.InjectFault(Fault{Path: "/v2/user", Drop: DropBeforeHandling})
	req, _ := http.NewRequest(http.MethodGet, "http://fake.invalid/api/v2/user", nil)
	req.Header.Set("Authorization", DemoToken)
	if _, err := s.Client().Do(req); !errors.Is(err, errDropped) {
		t.Fatalf("dropped: %v, want %v", err, errDropped)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"user"`) {
		t.Errorf("after the fault: %d %s", resp.StatusCode, b)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "boom") {
			t.Errorf("a handler's own panic: %v, want it passed on", p)
		}
	}()
	ip := &http.Client{Transport: inProcess{http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })}}
	_, _ = ip.Get("http://fake.invalid/")
}
