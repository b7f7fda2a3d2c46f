package clickuptest

import (
	"net/http"
	"net/http/httptest"
)

// Client returns an *http.Client that serves requests from s in-process:
// no listener, no network. Sandbox mode, fuzzing and benchmarks use it;
// fault injection that drops connections needs a real server instead
// (httptest.NewServer), since a recorder cannot be hijacked.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: inProcess{s}}
}

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	// A client request may have a nil Body; a server handler expects one.
	sr := r.Clone(r.Context())
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	sr.RequestURI = r.URL.RequestURI()
	sr.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, sr)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
