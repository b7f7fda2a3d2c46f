package netguard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPublic(t *testing.T) {
	for s, want := range map[string]bool{
		"203.0.113.7": true, "8.8.8.8": true, "2606:4700::1111": true, "1.1.1.1": true,
		"127.0.0.1": false, "127.8.9.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "fd12:3456::1": false, "224.0.0.1": false, "ff02::1": false,
		"0.0.0.0": false, "::": false, "100.64.0.1": false, "100.127.255.254": false, "255.255.255.255": false,
		"::ffff:10.0.0.1": false, "::ffff:127.0.0.1": false, "::ffff:169.254.169.254": false, "::127.0.0.1": false,
		"2002:7f00:1::": false, "64:ff9b::a00:1": false, "fec0::1": false,
	} {
		if got := Public(netip.MustParseAddr(s)); got != want {
			t.Errorf("Public(%s) = %v, want %v", s, got, want)
		}
	}
}

type fakeResolver map[string][]string

func (r fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, s := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	return out, nil
}

const publicIP = "203.0.113.7"

var resolver = fakeResolver{
	"files.example.com":    {publicIP},
	"cdn.example.com":      {publicIP},
	"intranet.example.com": {"10.0.0.5"},
	"meta.example.com":     {"169.254.169.254"},
	"mixed.example.com":    {publicIP, "127.0.0.1"},
	"v6.example.com":       {"fc00::1"},
	"mapped.example.com":   {"::ffff:127.0.0.1"},
	"empty.example.com":    {},
}

func TestCheck(t *testing.T) {
	d := &Dialer{Resolver: resolver}
	if a, err := d.Check(t.Context(), "files.example.com"); err != nil || a.String() != publicIP {
		t.Fatalf("public host: %v %v", a, err)
	}
	for host, want := range map[string]string{
		"intranet.example.com": "10.0.0.5", "meta.example.com": "169.254.169.254", "mixed.example.com": "127.0.0.1",
		"v6.example.com": "fc00::1", "mapped.example.com": "127.0.0.1", "127.0.0.1": "127.0.0.1", "::1": "::1",
		"10.9.8.7": "10.9.8.7", "169.254.1.1": "169.254.1.1",
	} {
		_, err := d.Check(t.Context(), host)
		var re *RefusedError
		if !errors.As(err, &re) || re.Addr.String() != want || !strings.Contains(err.Error(), "non-public") {
			t.Errorf("%s: %v, want refused for %s", host, err, want)
		}
	}
	var le *LookupError
	if _, err := d.Check(t.Context(), "nowhere.example.com"); !errors.As(err, &le) || le.NoAddress {
		t.Errorf("unknown host: %v", err)
	}
	if _, err := d.Check(t.Context(), "empty.example.com"); !errors.As(err, &le) || !le.NoAddress {
		t.Errorf("no address: %v", err)
	}
}

// fileHost serves files over TLS as the hosts of resolver: every checked
// address is dialled to it, and the addresses asked for are kept.
type fileHost struct {
	ts     *httptest.Server
	mu     sync.Mutex
	dialed []string
}

func newFileHost(t *testing.T, h http.Handler) *fileHost {
	f := &fileHost{ts: httptest.NewTLSServer(h)}
	t.Cleanup(f.ts.Close)
	return f
}

func (f *fileHost) config(r Resolver, maxBytes int64) FetchConfig {
	pool := x509.NewCertPool()
	pool.AddCert(f.ts.Certificate())
	return FetchConfig{
		Dialer: Dialer{Resolver: r, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			f.mu.Lock()
			f.dialed = append(f.dialed, addr)
			f.mu.Unlock()
			var nd net.Dialer
			return nd.DialContext(ctx, network, f.ts.Listener.Addr().String())
		}},
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		Timeout:   time.Second, MaxBytes: maxBytes,
	}
}

func fileMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/docs/report%20q3.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7 report"))
	})
	mux.HandleFunc("/hop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://cdn.example.com/loop", http.StatusFound)
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		// No Content-Length: chunks until the client stops reading.
		for range 64 {
			if _, err := w.Write(make([]byte, 1024)); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		_, _ = w.Write(make([]byte, 100))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gone", http.NotFound)
	return mux
}

func TestFetch(t *testing.T) {
	fh := newFileHost(t, fileMux())
	f, err := NewFetcher(fh.config(resolver, 4096))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Fetch(t.Context(), "https://files.example.com/docs/report%20q3.pdf?sig=secret")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Content) != "%PDF-1.7 report" || got.ContentType != "application/pdf" || got.Name != "report q3.pdf" || strings.Contains(got.URL, "secret") {
		t.Fatalf("fetched %+v", got)
	}
	// The connection went to the checked address, not to the name.
	if len(fh.dialed) != 1 || fh.dialed[0] != publicIP+":443" {
		t.Fatalf("dialled %v, want the checked %s", fh.dialed, publicIP)
	}
	// A redirect to another public host is followed, and checked.
	if got, err = f.Fetch(t.Context(), "https://files.example.com/hop?to=https://cdn.example.com/docs/report%2520q3.pdf"); err != nil || got.Name != "report q3.pdf" {
		t.Fatalf("redirect: %+v %v", got, err)
	}
	for _, c := range []struct{ url, want string }{
		{"http://files.example.com/docs/a.pdf", "not https"},
		{"ftp://files.example.com/a", "not https"},
		{"https://user:pw@files.example.com/a", "user info"},
		{"/relative", "not an absolute URL"},
		{"https://intranet.example.com/a", "non-public"},
		{"https://mixed.example.com/a", "non-public"},
		{"https://nowhere.example.com/a", "could not be resolved"},
		{"https://files.example.com/hop?to=https://intranet.example.com/x", "non-public"},
		{"https://files.example.com/hop?to=https://127.0.0.1/x", "non-public"},
		{"https://files.example.com/hop?to=https://[::1]/x", "non-public"},
		{"https://files.example.com/hop?to=https://169.254.169.254/latest/meta-data", "non-public"},
		{"https://files.example.com/hop?to=http://cdn.example.com/x", "not https"},
		{"https://files.example.com/loop", "more than 5 redirects"},
		{"https://files.example.com/stream", "larger than the cap of 4096"},
		{"https://files.example.com/big", "over the cap"},
		{"https://files.example.com/slow", "timed out"},
		{"https://files.example.com/gone", "HTTP 404"},
	} {
		_, err := f.Fetch(t.Context(), c.url)
		var fe *FetchError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a FetchError with %q", c.url, err, c.want)
		}
	}
}

// The production check, with the real resolver and dialer: loopback,
// private and link-local addresses and names are refused before any
// connection is made (the test server on 127.0.0.1 is never reached).
func TestFetchRefusesLocalForReal(t *testing.T) {
	hits := 0
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer ts.Close()
	f, err := NewFetcher(FetchConfig{MaxBytes: 1024, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	for _, u := range []string{
		"https://127.0.0.1:" + port + "/", "https://localhost:" + port + "/", "https://[::1]:" + port + "/",
		"https://10.0.0.1/", "https://192.168.0.1/", "https://169.254.169.254/latest/meta-data/", "https://[fc00::1]/",
		"https://[fe80::1]/", "https://[::ffff:127.0.0.1]:" + port + "/", "https://0.0.0.0:" + port + "/", "https://100.64.0.1/",
	} {
		_, err := f.Fetch(t.Context(), u)
		if err == nil || !strings.Contains(err.Error(), "non-public") {
			t.Errorf("%s: %v, want refused as non-public", u, err)
		}
	}
	if hits != 0 {
		t.Fatalf("the local server was reached %d times", hits)
	}
}

// A name that resolves to a public address at the check and to loopback
// later (DNS rebinding) is dialled at the checked address only: the name
// is looked up once per connection and never handed to the dialer.
func TestDialerDialsTheCheckedAddress(t *testing.T) {
	var mu sync.Mutex
	lookups := 0
	r := resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups++
		if lookups == 1 {
			return []net.IPAddr{{IP: net.ParseIP(publicIP)}}, nil
		}
		return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
	})
	var dialed []string
	d := &Dialer{Resolver: r, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = append(dialed, addr)
		c1, c2 := net.Pipe()
		_ = c2.Close()
		return c1, nil
	}}
	c, err := d.DialContext(t.Context(), "tcp", "rebind.example.com:443")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if _, err := d.DialContext(t.Context(), "tcp", "rebind.example.com:443"); err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("second connection after the rebinding: %v, want refused", err)
	}
	if len(dialed) != 1 || dialed[0] != publicIP+":443" || lookups != 2 {
		t.Fatalf("dialled %v after %d lookups", dialed, lookups)
	}
}

type resolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (f resolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return f(ctx, host)
}

func TestNewFetcherLimits(t *testing.T) {
	for _, c := range []FetchConfig{{}, {MaxBytes: -1}, {MaxBytes: 1, Timeout: -1}, {MaxBytes: 1, MaxRedirects: -1}} {
		if _, err := NewFetcher(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
