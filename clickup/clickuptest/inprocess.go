package clickuptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Client returns an *http.Client that serves requests from s in-process:
// no listener, no network. Sandbox mode, fuzzing and benchmarks use it;
// fault injection that drops connections needs a real server instead
// (httptest.NewServer): in process a dropped connection is an error from
// the round trip.
//
// The answer is recorded by answerRecorder, not httptest.ResponseRecorder:
// this file is linked into the server (for --sandbox), and net/http/httptest
// would bring its test certificate's initialiser into every start
// (TestServerDeps keeps it out).
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: inProcess{s}}
}

type inProcess struct{ h http.Handler }

// errDropped is a round trip whose handler dropped the connection.
var errDropped = errors.New("clickuptest: the fake dropped the connection")

func (t inProcess) RoundTrip(r *http.Request) (resp *http.Response, err error) {
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
	rec := &answerRecorder{header: http.Header{}}
	defer func() {
		// What net/http does with a handler that aborts: the client sees
		// the connection go, not an answer.
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as is
				panic(p)
			}
			resp, err = nil, errDropped
		}
	}()
	t.h.ServeHTTP(rec, sr)
	resp = rec.result()
	resp.Request = r
	return resp, nil
}

// answerRecorder is the part of httptest.ResponseRecorder the in-process client
// needs: the status, the headers as they were when it was written (with the
// Content-Type a server would sniff), the body.
type answerRecorder struct {
	header http.Header
	snap   http.Header // header when the status was written
	code   int
	body   bytes.Buffer
}

func (w *answerRecorder) Header() http.Header { return w.header }

func (w *answerRecorder) WriteHeader(code int) {
	if w.snap != nil {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http and httptest do
	}
	w.code = code
	w.snap = w.header.Clone()
}

func (w *answerRecorder) Write(b []byte) (int, error) {
	if w.snap == nil {
		if _, ok := w.header["Content-Type"]; !ok && w.header.Get("Transfer-Encoding") == "" {
			w.header.Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.code == http.StatusNoContent || w.code == http.StatusNotModified || w.code < 200 {
		return 0, http.ErrBodyNotAllowed
	}
	return w.body.Write(b)
}

func (w *answerRecorder) result() *http.Response {
	if w.snap == nil {
		w.code, w.snap = http.StatusOK, w.header.Clone()
	}
	res := &http.Response{
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		StatusCode:    w.code,
		Status:        fmt.Sprintf("%03d %s", w.code, http.StatusText(w.code)),
		Header:        w.snap,
		Body:          io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength: -1,
	}
	if cl := w.snap.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			res.ContentLength = n
		}
	}
	return res
}
