// Package netguard makes outbound connections to public addresses only, so
// that a URL a client names (a CIMD client_id, a file to attach) cannot
// point this server at its own network (SSRF): loopback, private,
// link-local, CGNAT and the other special-purpose ranges are refused after
// DNS resolution, and the connection goes to the address that was checked,
// never to the name again, so a DNS answer that changes between the check
// and the connect (rebinding) cannot win.
package netguard

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Resolver looks up a host's addresses (net.DefaultResolver has this).
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// nonPublic are special-purpose ranges beyond what netip's predicates name,
// parsed at the first address checked (not in package init, at every start).
var (
	nonPublicOnce sync.Once
	nonPublicSet  []netip.Prefix
)

func nonPublic() []netip.Prefix {
	nonPublicOnce.Do(func() {
		nonPublicSet = []netip.Prefix{
			netip.MustParsePrefix("0.0.0.0/8"),
			netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
			netip.MustParsePrefix("192.0.0.0/24"),
			netip.MustParsePrefix("198.18.0.0/15"),
			netip.MustParsePrefix("240.0.0.0/4"), // reserved, and broadcast
			netip.MustParsePrefix("::/96"),       // IPv4-compatible (deprecated): may embed a private IPv4
			netip.MustParsePrefix("64:ff9b::/96"),
			netip.MustParsePrefix("64:ff9b:1::/48"), // NAT64: may embed a private IPv4
			netip.MustParsePrefix("2001::/23"),      // IETF protocol assignments (Teredo, ...)
			netip.MustParsePrefix("2002::/16"),      // 6to4: may embed a private IPv4
			netip.MustParsePrefix("100::/64"),       // discard
			netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated)
		}
	})
	return nonPublicSet
}

// Public reports whether a is a public unicast address. IPv4-mapped IPv6
// addresses are judged by their IPv4 address.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsUnspecified() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return false
	}
	for _, p := range nonPublic() {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// RefusedError is a host that resolves to an address that is not public.
type RefusedError struct {
	Host string
	Addr netip.Addr
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the host %s resolves to %s, a loopback, private, link-local or otherwise non-public address", e.Host, e.Addr)
}

// LookupError is a host that could not be resolved, or has no address.
type LookupError struct {
	Host      string
	NoAddress bool // the lookup answered, with no address
}

func (e *LookupError) Error() string {
	if e.NoAddress {
		return fmt.Sprintf("the host %s has no address", e.Host)
	}
	return fmt.Sprintf("the host %s could not be resolved", e.Host)
}

// Dialer connects only to public addresses. The zero value resolves with
// net.DefaultResolver and dials with a net.Dialer.
type Dialer struct {
	// Resolver resolves host names (nil = net.DefaultResolver).
	Resolver Resolver
	// Dial connects to a checked ip:port (nil = net.Dialer with Timeout).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Timeout bounds a connect of the default Dial (0 = no bound but ctx's).
	Timeout time.Duration
}

// Check resolves host (an address is taken as it is) and returns the
// address to connect to. It refuses the host if any of its addresses is
// not public: a name that answers both kinds could be steered to either.
func (d *Dialer) Check(ctx context.Context, host string) (netip.Addr, error) {
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		r := d.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ips, err := r.LookupIPAddr(ctx, host)
		if err != nil {
			return netip.Addr{}, &LookupError{Host: host}
		}
		for _, ip := range ips {
			if a, ok := netip.AddrFromSlice(ip.IP); ok {
				addrs = append(addrs, a)
			}
		}
	}
	if len(addrs) == 0 {
		return netip.Addr{}, &LookupError{Host: host, NoAddress: true}
	}
	for _, a := range addrs {
		if !Public(a) {
			return netip.Addr{}, &RefusedError{Host: host, Addr: a.Unmap()}
		}
	}
	return addrs[0].Unmap(), nil
}

// DialContext checks addr's host and connects to the checked address: the
// net/http Transport's DialContext.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ip, err := d.Check(ctx, host)
	if err != nil {
		return nil, err
	}
	dial := d.Dial
	if dial == nil {
		nd := &net.Dialer{Timeout: d.Timeout}
		dial = nd.DialContext
	}
	return dial(ctx, network, net.JoinHostPort(ip.String(), port))
}
