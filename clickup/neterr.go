package clickup

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// networkReason says in words why a request got no answer: the name does
// not resolve, nothing listens, no route, a timeout, an untrusted
// certificate; else the error's own (scrubbed) text.
func networkReason(err error, text string) string {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var ne net.Error
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("the host name %s does not resolve (no network or DNS, or a mistyped --api-url)", dns.Name)
	case errors.As(err, &dns):
		return fmt.Sprintf("looking up %s failed (no network or DNS): %s", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens at that address and port"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to the host (is the machine offline?)"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset (a proxy or firewall may be in the way)"
	case errors.As(err, &unknownCA):
		return "its TLS certificate is signed by an authority this machine does not trust (a proxy intercepting TLS?)"
	case errors.As(err, &hostname):
		return "its TLS certificate is for another host name: " + hostname.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "no answer in time (timed out)"
	}
	return text
}

// publicURL is u without user info, for errors and logs.
func publicURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = nil
	return p.String()
}

// checkBase tells a missing thing from a wrong base URL: after a 404, GET
// /v2/user (which always exists for a token) is tried once per client; a
// 404 there too marks this and later 404s WrongBaseURL.
func (c *Client) checkBase(ctx context.Context, rq *call, e *Error) {
	if e.StatusCode != http.StatusNotFound || rq.noAuth {
		return
	}
	if rq.method == http.MethodGet && rq.path == "/v2/user" {
		e.WrongBaseURL = true
		return
	}
	c.baseMu.Lock()
	checked, wrong := c.baseChecked, c.baseWrong
	c.baseMu.Unlock()
	if !checked {
		err := c.do(ctx, &call{method: http.MethodGet, path: "/v2/user"}, nil)
		var pe *Error
		if err == nil || errors.As(err, &pe) && pe.StatusCode != 0 {
			// An answer, either way: remember it.
			wrong = pe != nil && pe.WrongBaseURL
			c.baseMu.Lock()
			c.baseChecked, c.baseWrong = true, wrong
			c.baseMu.Unlock()
		}
	}
	e.WrongBaseURL = wrong
}

// SuggestBaseURL is what a wrong base URL probably meant: the same with
// /api, or ClickUp's own.
func SuggestBaseURL(base string) string {
	b := strings.TrimRight(base, "/")
	if !strings.HasSuffix(b, "/api") {
		return b + "/api"
	}
	return DefaultBaseURL
}
