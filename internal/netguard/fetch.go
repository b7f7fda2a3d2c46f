package netguard

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Defaults for FetchConfig.
const (
	DefaultFetchTimeout = 30 * time.Second
	DefaultMaxRedirects = 5
)

// FetchConfig configures a Fetcher. Only MaxBytes must be set; the other
// fields are for tests.
type FetchConfig struct {
	// Dialer checks and connects (its zero value is right for production).
	Dialer Dialer
	// TLSConfig for the fetch (nil = the system roots).
	TLSConfig *tls.Config
	// Timeout bounds one fetch, redirects and the body included
	// (DefaultFetchTimeout).
	Timeout time.Duration
	// MaxBytes caps the body, counted while it streams in.
	MaxBytes int64
	// MaxRedirects bounds the redirects followed (DefaultMaxRedirects);
	// each is https and its host is checked like the first.
	MaxRedirects int
}

// Fetcher GETs files from public https hosts.
type Fetcher struct {
	hc       *http.Client
	maxBytes int64
}

// File is what a fetch got.
type File struct {
	Content     []byte
	ContentType string // as served; "" when none
	Name        string // the final URL's last path segment, unescaped; "" when none
	URL         string // the final URL, after redirects
}

// FetchError is why a fetch was refused or failed, said for whoever named
// the URL. It never echoes the body or headers the remote side chose.
type FetchError struct {
	msg string
	// TooLarge: the file is over the cap.
	TooLarge bool
}

func (e *FetchError) Error() string { return e.msg }

func fetchErrf(format string, a ...any) *FetchError {
	return &FetchError{msg: fmt.Sprintf(format, a...)}
}

// NewFetcher builds a fetcher; cfg.MaxBytes must be positive.
func NewFetcher(cfg FetchConfig) (*Fetcher, error) {
	if cfg.MaxBytes <= 0 || cfg.Timeout < 0 || cfg.MaxRedirects < 0 {
		return nil, errors.New("netguard: a fetch needs a positive size cap and no negative limit")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultFetchTimeout
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	d := cfg.Dialer
	if d.Timeout == 0 {
		d.Timeout = cfg.Timeout
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would resolve the host itself, past the check
		DialContext:           d.DialContext,
		TLSClientConfig:       cfg.TLSConfig,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	maxHops := cfg.MaxRedirects
	return &Fetcher{maxBytes: cfg.MaxBytes, hc: &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		// Each hop is dialled through the same check; here only its
		// scheme and the count.
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if len(via) > maxHops {
				return fetchErrf("more than %d redirects", maxHops)
			}
			if r.URL.Scheme != "https" {
				return fetchErrf("a redirect leads to %s, which is not https", redact(r.URL))
			}
			if r.URL.User != nil {
				return fetchErrf("a redirect leads to a URL with user info")
			}
			return nil
		},
	}}, nil
}

// MaxBytes is the fetcher's cap.
func (f *Fetcher) MaxBytes() int64 { return f.maxBytes }

// CheckURL says whether raw is a URL Fetch would try: absolute https,
// with a host, and no user info.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fetchErrf("%q is not an absolute URL", raw)
	}
	if u.Scheme != "https" {
		return nil, fetchErrf("%s is not https: files are fetched only over https", redact(u))
	}
	if u.User != nil {
		return nil, fetchErrf("the URL must not hold user info (a name or password before the host)")
	}
	return u, nil
}

// Fetch GETs raw and returns its body, refused past the cap however the
// server declares its length.
func (f *Fetcher) Fetch(ctx context.Context, raw string) (*File, error) {
	u, err := CheckURL(raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fetchErrf("%s cannot be fetched: %v", redact(u), err)
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return nil, failure(u, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	if resp.StatusCode != http.StatusOK {
		return nil, fetchErrf("%s answered HTTP %d, want 200", redact(final), resp.StatusCode)
	}
	if resp.ContentLength > f.maxBytes {
		return nil, &FetchError{msg: fmt.Sprintf("%s is %d bytes, over the cap of %d", redact(final), resp.ContentLength, f.maxBytes), TooLarge: true}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, failure(final, err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, &FetchError{msg: fmt.Sprintf("%s is larger than the cap of %d bytes", redact(final), f.maxBytes), TooLarge: true}
	}
	name, _ := url.PathUnescape(path.Base(final.EscapedPath()))
	if name == "/" || name == "." {
		name = ""
	}
	return &File{Content: body, ContentType: resp.Header.Get("Content-Type"), Name: name, URL: redact(final)}, nil
}

// failure names why a fetch failed: a refused or unknown host as the
// check said it, a timeout, or the transport's own words.
func failure(u *url.URL, err error) error {
	var fe *FetchError
	var re *RefusedError
	var le *LookupError
	var ne net.Error
	var te *tls.CertificateVerificationError
	switch {
	case errors.As(err, &fe):
		return fe
	case errors.As(err, &re):
		return fetchErrf("%s was refused: %v; files are fetched only from public hosts", redact(u), re)
	case errors.As(err, &le):
		return fetchErrf("%s: %v", redact(u), le)
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return fetchErrf("fetching %s timed out", redact(u))
	case errors.As(err, &te):
		return fetchErrf("%s could not be fetched: its TLS certificate is not valid", redact(u))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fetchErrf("%s could not be fetched: %v", redact(u), err)
}

// redact is the URL without its query and fragment, which may carry a
// signature or token meant for the file's host alone.
func redact(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	s := c.String()
	if u.RawQuery != "" {
		s += "?…"
	}
	return strings.TrimSpace(s)
}

// Close drops the fetcher's idle connections.
func (f *Fetcher) Close() { f.hc.CloseIdleConnections() }
