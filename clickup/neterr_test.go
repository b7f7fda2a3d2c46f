package clickup

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const netTestToken = "pk_4242_NETERRTESTTOKENABCDEFGHIJ"

func noRetries() Option { return WithRetryPolicy(RetryPolicy{MaxRetries: 0}) }

// A request that gets no answer says why in words, names the API root, and
// never carries the token.
func TestNetworkErrorsNameTheCause(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/api"
	ln.Close() // nothing listens there now
	dnsFails := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}}
	}}}
	cases := []struct {
		name string
		opts []Option
		base string
		want string
	}{
		{"refused", []Option{WithBaseURL(refused)}, refused, "connection refused"},
		{"dns", []Option{WithBaseURL("http://api.example.invalid/api"), WithHTTPClient(dnsFails)}, "http://api.example.invalid/api", "does not resolve"},
		{"user info hidden", []Option{WithBaseURL("http://proxyuser:proxypass@api.example.invalid/api"), WithHTTPClient(dnsFails)}, "http://api.example.invalid/api", "does not resolve"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := New(netTestToken, append(c.opts, noRetries())...)
			_, err := cl.Users.Me(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindNetwork {
				t.Fatalf("want a network error, got %v", err)
			}
			if e.BaseURL != c.base || !strings.Contains(e.Message, c.want) {
				t.Errorf("BaseURL %q (want %q), Message %q (want %q in it)", e.BaseURL, c.base, e.Message, c.want)
			}
			if strings.Contains(err.Error()+e.Message+e.BaseURL, netTestToken) || strings.Contains(e.BaseURL, "proxypass") {
				t.Errorf("a secret leaked: %v / %s", err, e.BaseURL)
			}
		})
	}
}

// A base URL where every path is missing (--api-url without /api) is told
// apart from a missing task with one GET /v2/user, once per client.
func TestWrongBaseURLIsToldApartFromNotFound(t *testing.T) {
	var probes atomic.Int32
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/user" {
			probes.Add(1)
		}
		http.NotFound(w, r)
	}))
	defer wrong.Close()
	cl := New(netTestToken, WithBaseURL(wrong.URL), noRetries())
	for i := 0; i < 3; i++ {
		_, err := cl.Tasks.Get(context.Background(), TaskRef{ID: "86abc"}, nil)
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != 404 || !e.WrongBaseURL {
			t.Fatalf("call %d: want a 404 marked WrongBaseURL, got %+v", i, err)
		}
	}
	if n := probes.Load(); n != 1 {
		t.Errorf("GET /v2/user was tried %d times for 3 failed calls, want once", n)
	}
	if got := SuggestBaseURL(wrong.URL); got != wrong.URL+"/api" {
		t.Errorf("SuggestBaseURL = %q", got)
	}

	// A right base URL: a missing task is only a missing task.
	right := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/user" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"user":{"id":1,"username":"a"}}`))
			return
		}
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"err":"Task not found","ECODE":"ITEM_013"}`))
	}))
	defer right.Close()
	cl = New(netTestToken, WithBaseURL(right.URL), noRetries())
	_, err := cl.Tasks.Get(context.Background(), TaskRef{ID: "86abc"}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNotFound || e.WrongBaseURL {
		t.Fatalf("want a plain not-found, got %+v", err)
	}
}
