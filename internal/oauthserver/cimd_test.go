package oauthserver

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crypto/tls"

	"golang.org/x/oauth2"
)

// fakeResolver answers from a table; a host not in it does not exist.
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

// docHost serves client metadata documents over TLS as the public hosts
// of fakeResolver: every checked address is dialled to it.
type docHost struct {
	ts     *httptest.Server
	mu     sync.Mutex
	docs   map[string]http.HandlerFunc
	hits   atomic.Int64
	dialed []string
}

const docPublicIP = "203.0.113.7"

func newDocHost(t *testing.T) *docHost {
	d := &docHost{docs: map[string]http.HandlerFunc{}}
	d.ts = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.hits.Add(1)
		d.mu.Lock()
		h := d.docs[r.URL.Path]
		d.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(d.ts.Close)
	return d
}

func (d *docHost) serve(path string, h http.HandlerFunc) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.docs[path] = h
}

func jsonDoc(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}
}

func (d *docHost) config(res fakeResolver) ClientMetadataConfig {
	pool := x509.NewCertPool()
	pool.AddCert(d.ts.Certificate())
	return ClientMetadataConfig{
		Resolver:  res,
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			d.mu.Lock()
			d.dialed = append(d.dialed, addr)
			d.mu.Unlock()
			var nd net.Dialer
			return nd.DialContext(ctx, network, d.ts.Listener.Addr().String())
		},
		Timeout: 2 * time.Second,
	}
}

var docResolver = fakeResolver{
	"app.example.com":      {docPublicIP},
	"other.example.com":    {docPublicIP},
	"intranet.example.com": {"10.0.0.5"},
	"mixed.example.com":    {docPublicIP, "169.254.169.254"},
	"v6local.example.com":  {"::ffff:127.0.0.1"},
}

const (
	docURL      = "https://app.example.com/oauth/client.json"
	docRedirect = "http://127.0.0.1:43210/docapp/callback"
)

var goodDoc = `{"client_id":"` + docURL + `","client_name":"Doc App","redirect_uris":["` + docRedirect + `"],
	"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none"}`

func newCIMDEnv(t *testing.T, tune ...func(*ClientMetadataConfig)) (*env, *docHost) {
	d := newDocHost(t)
	e := newEnv(t, func(c *Config) {
		c.ClientMetadata = d.config(docResolver)
		for _, f := range tune {
			f(&c.ClientMetadata)
		}
	})
	return e, d
}

// docClient is an MCP client that identifies itself by its document's
// URL, with no registration.
func (e *env) docClient(id, redirect string) *appClient {
	asm := decode(e.t, e.get(e.ts.URL+"/.well-known/oauth-authorization-server"))
	return &appClient{e: e, id: id, redirect: redirect, resource: e.ts.URL + "/mcp",
		cfg: &oauth2.Config{ClientID: id, RedirectURL: redirect,
			Endpoint: oauth2.Endpoint{AuthURL: asm["authorization_endpoint"].(string), TokenURL: asm["token_endpoint"].(string), AuthStyle: oauth2.AuthStyleInParams}}}
}

func TestCIMDEndToEnd(t *testing.T) {
	e, d := newCIMDEnv(t)
	d.serve("/oauth/client.json", jsonDoc(goodDoc))
	asm := decode(t, e.get(e.ts.URL+"/.well-known/oauth-authorization-server"))
	if asm["client_id_metadata_document_supported"] != true {
		t.Fatalf("client_id_metadata_document_supported = %v, want true", asm["client_id_metadata_document_supported"])
	}
	c := e.docClient(docURL, docRedirect)

	// The consent page names the document's client and its host.
	f := c.start()
	resp, err := f.browser.Get(f.next)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	if resp.StatusCode != 200 || !strings.Contains(body, "Doc App") || !strings.Contains(body, "<code>app.example.com</code>") {
		t.Fatalf("consent page: %d %s", resp.StatusCode, body)
	}

	tok := c.signIn()
	if got := e.userOf(tok.AccessToken); got != e.alice.ID {
		t.Fatalf("/mcp acted as ClickUp user %d, want Alice %d", got, e.alice.ID)
	}
	grants, err := e.srv.Grants(t.Context())
	if err != nil || len(grants) != 1 || grants[0].ClientID != docURL || grants[0].ClientName != "Doc App" {
		t.Fatalf("grants = %+v, %v", grants, err)
	}
	// Refresh works too, as for a registered public client.
	if _, err := c.refresh(tok.RefreshToken); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	// Two authorizations, their callbacks, an exchange and a refresh:
	// one fetch, the rest from the cache.
	if n := d.hits.Load(); n != 1 {
		t.Errorf("the document was fetched %d times, want 1 (cached)", n)
	}
	// Every connection went to the checked address, never a name.
	d.mu.Lock()
	for _, a := range d.dialed {
		if a != docPublicIP+":443" {
			t.Errorf("dialled %q, want the checked %s:443", a, docPublicIP)
		}
	}
	d.mu.Unlock()
	// Nothing about the client was stored.
	if _, err := e.srv.store.Get(t.Context(), bucketClients, docURL); !errors.Is(err, ErrNotFound) {
		t.Errorf("the document's client was stored: %v", err)
	}
}

// TestCIMDRefused: each way a document (or its URL) can be wrong ends on
// a page that says what, with no redirect to the client.
func TestCIMDRefused(t *testing.T) {
	release := make(chan struct{})
	e, d := newCIMDEnv(t, func(c *ClientMetadataConfig) { c.Timeout = 300 * time.Millisecond })
	t.Cleanup(func() { close(release) })
	doc := func(path, extra string) string {
		return `{"client_id":"https://app.example.com` + path + `","redirect_uris":["` + docRedirect + `"]` + extra + `}`
	}
	d.serve("/good.json", jsonDoc(doc("/good.json", "")))
	d.serve("/otherid.json", jsonDoc(doc("/elsewhere.json", "")))
	d.serve("/noredirects.json", jsonDoc(`{"client_id":"https://app.example.com/noredirects.json"}`))
	d.serve("/secretauth.json", jsonDoc(doc("/secretauth.json", `,"token_endpoint_auth_method":"client_secret_basic"`)))
	d.serve("/secret.json", jsonDoc(doc("/secret.json", `,"client_secret":"s3cr3t"`)))
	d.serve("/big.json", jsonDoc(doc("/big.json", `,"client_name":"`+strings.Repeat("x", 70<<10)+`"`)))
	d.serve("/html.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(doc("/html.json", "")))
	})
	d.serve("/garbage.json", jsonDoc(`<html>not json</html>`))
	d.serve("/moved.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://127.0.0.1/good.json", http.StatusFound)
	})
	d.serve("/slow.json", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	for _, tc := range []struct {
		name, id, redirect, want string
	}{
		{"client_id differs", "https://app.example.com/otherid.json", "", "must be exactly the document"},
		{"redirect_uri not in the document", "https://app.example.com/good.json", "https://evil.example.net/cb", "does not match any of the OAuth 2.0 Client"},
		{"loopback port differs", "https://app.example.com/good.json", "http://127.0.0.1:9999/docapp/callback", "is not one the app registered"},
		{"no redirect_uris", "https://app.example.com/noredirects.json", "", "lists no redirect_uris"},
		{"http URL", "http://app.example.com/good.json", "", "must be an https URL"},
		{"no path", "https://app.example.com/", "", "must have a path"},
		{"private address", "https://intranet.example.com/good.json", "", "10.0.0.5, a loopback, private"},
		{"one address of several private", "https://mixed.example.com/good.json", "", "169.254.169.254"},
		{"mapped loopback", "https://v6local.example.com/good.json", "", "127.0.0.1, a loopback"},
		{"literal loopback", "https://127.0.0.1/good.json", "", "127.0.0.1, a loopback"},
		{"unknown host", "https://nowhere.example.com/good.json", "", "could not be resolved"},
		{"oversize", "https://app.example.com/big.json", "", "larger than 65536 bytes"},
		{"not JSON content type", "https://app.example.com/html.json", "", `Content-Type &#34;text/html&#34;`},
		{"not JSON body", "https://app.example.com/garbage.json", "", "is not a JSON object"},
		{"secret auth method", "https://app.example.com/secretauth.json", "", `token_endpoint_auth_method &#34;client_secret_basic&#34;`},
		{"client secret", "https://app.example.com/secret.json", "", "holds a client_secret"},
		{"redirected", "https://app.example.com/moved.json", "", "answered with a redirect"},
		{"not found", "https://app.example.com/missing.json", "", "answered HTTP 404"},
		{"timeout", "https://app.example.com/slow.json", "", "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			redirect := tc.redirect
			if redirect == "" {
				redirect = docRedirect
			}
			f := e.docClient(tc.id, redirect).start()
			resp, err := f.browser.Get(f.next)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(resp)
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("got %d (Location %q), want a 400 page: %s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			if !strings.Contains(body, tc.want) {
				t.Fatalf("the page does not say %q:\n%s", tc.want, body)
			}
		})
	}
	// The token endpoint says the same for a client_id whose document is bad.
	resp, err := http.PostForm(e.ts.URL+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {"x"},
		"client_id": {"https://app.example.com/otherid.json"}, "redirect_uri": {docRedirect}, "code_verifier": {strings.Repeat("v", 43)}})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, resp)
	if resp.StatusCode != http.StatusUnauthorized || m["error"] != "invalid_client" || !strings.Contains(m["error_description"].(string), "must be exactly") {
		t.Fatalf("token with a bad document: %d %v", resp.StatusCode, m)
	}
}

func TestCIMDCacheTTL(t *testing.T) {
	for cc, want := range map[string]time.Duration{
		"": cimdDefaultTTL, "max-age=5": cimdMinTTL, "public, max-age=3600": time.Hour,
		"max-age=99999999999": cimdMaxTTL, "no-store": cimdMinTTL, "max-age=soon": cimdDefaultTTL,
	} {
		if got := cacheTTL(cc); got != want {
			t.Errorf("cacheTTL(%q) = %v, want %v", cc, got, want)
		}
	}
}

// TestCIMDCache: a document is fetched again once its max-age is past,
// and the cache never holds more than its bound.
func TestCIMDCache(t *testing.T) {
	d := newDocHost(t)
	for _, p := range []string{"/a.json", "/b.json", "/c.json"} {
		body := `{"client_id":"https://app.example.com` + p + `","redirect_uris":["` + docRedirect + `"]}`
		d.serve(p, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "max-age=120")
			_, _ = w.Write([]byte(body))
		})
	}
	clk := &clock{t: time.Now()}
	cfg := d.config(docResolver)
	cfg.Entries = 2
	f, err := newCIMDFetcher(cfg, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for range 3 {
		if _, err := f.client(ctx, "https://app.example.com/a.json"); err != nil {
			t.Fatal(err)
		}
	}
	if n := d.hits.Load(); n != 1 {
		t.Fatalf("%d fetches for three lookups within max-age, want 1", n)
	}
	clk.advance(121 * time.Second)
	if _, err := f.client(ctx, "https://app.example.com/a.json"); err != nil {
		t.Fatal(err)
	}
	if n := d.hits.Load(); n != 2 {
		t.Fatalf("%d fetches after max-age passed, want 2", n)
	}
	for _, p := range []string{"/b.json", "/c.json"} {
		if _, err := f.client(ctx, "https://app.example.com"+p); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	n := len(f.cache)
	f.mu.Unlock()
	if n != 2 {
		t.Fatalf("the cache holds %d documents, want its bound 2", n)
	}
	if _, err := newCIMDFetcher(ClientMetadataConfig{Timeout: -1}, clk.now); err == nil {
		t.Error("a negative timeout was accepted")
	}
}
