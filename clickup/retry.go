package clickup

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds retries. Zero durations take the defaults; MaxRetries is
// used as given (0 disables retries).
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt, for 429s
	// and for transient faults alike. Default 3.
	MaxRetries int
	// BaseDelay is the first backoff; it doubles per attempt. Default 500ms.
	BaseDelay time.Duration
	// MaxDelay caps one backoff. Default 10s.
	MaxDelay time.Duration
	// MaxWait is the longest the client waits on its own for a rate-limit
	// reset (one 429 or a Remaining: 0 pause); a longer wait is returned to
	// the caller as a rate_limited error instead. Default 90s, a full
	// one-minute window plus slack for clock skew.
	MaxWait time.Duration
}

// DefaultRetryPolicy returns the policy New uses.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 10 * time.Second, MaxWait: 90 * time.Second}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.MaxWait <= 0 {
		p.MaxWait = d.MaxWait
	}
	return p
}

// backoff is the delay before retry number n (1-based): exponential with
// "equal jitter", so the wait is at least half the nominal delay (retries do
// not bunch up at zero) and spread over the other half (clients that failed
// together do not retry together).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := d / 2
	return half + rand.N(half+1) //nolint:gosec // G404: retry jitter, not a secret
}

// Clock is the client's view of time; tests inject a fake one so that no
// test sleeps for real.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// errPastDeadline: the wait asked for would end after the context's deadline.
var errPastDeadline = errors.New("wait would pass the context deadline")

// pause waits d on the clock, or returns early with ctx's error, or at once
// with errPastDeadline when d would outlast ctx's deadline. Deadlines are
// wall-clock, so the comparison uses real time even with a fake clock.
func (c *Client) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return errPastDeadline
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.clock.After(d):
		return nil
	}
}

// idempotent methods may be repeated after a fault that might have reached
// ClickUp: doing them twice has the same effect as once.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// dialFailed reports whether the request surely never left: the connection
// itself could not be made (DNS, refused, dial timeout).
func dialFailed(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// retryAfterHeader parses Retry-After (seconds or an HTTP date). ClickUp does
// not document it, but proxies in front of it may send it.
func retryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// rateLimitWait is how long a 429 asks us to wait: Retry-After, else until
// X-RateLimit-Reset, else backoff for retry n.
func (c *Client) rateLimitWait(h http.Header, now time.Time, n int) time.Duration {
	if d, ok := retryAfterHeader(h, now); ok && d > 0 {
		return d
	}
	if v, ok := headerInt(h, "X-RateLimit-Reset"); ok {
		if d := epochTime(v).Sub(now); d > 0 {
			return d
		}
	}
	return c.retry.backoff(n)
}
