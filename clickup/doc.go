// Package clickup is a token-scoped client for ClickUp's v2 REST API.
//
// A Client is cheap to build (one per token, or one per incoming request in
// HTTP mode) and exposes a service per area, in the style of go-github:
//
//	c := clickup.New(token)
//	task, err := c.Tasks.Get(ctx, clickup.Native("86caqr85m"), nil)
//	var ce *clickup.Error
//	if errors.As(err, &ce) && ce.Kind == clickup.KindRateLimited { ... ce.RetryAfter ... }
//
// # Rate limits
//
// ClickUp limits requests per token, so the budget belongs to the token, not
// to a Client value: every Client built in this process for the same token
// shares one budget, found in a package-level registry keyed by the SHA-256 of
// the token (the token itself is never stored there). The registry is an LRU
// bounded to 10,000 tokens; an evicted budget is rebuilt on next use.
//
// A budget paces requests with a token bucket (golang.org/x/time/rate) at
// the configured rate, default 100/minute, with a burst of a tenth of the
// per-minute rate (10 at the default, clamped to 1..100). A short burst keeps
// interactive calls snappy while the steady rate stays at the plan's limit; a
// bucket can overshoot a fixed one-minute window by the burst, and the
// response headers catch that: whenever a response says
// X-RateLimit-Remaining: 0, every request for the token is held until
// X-RateLimit-Reset (epoch seconds) instead of being spent on 429s. A hold is
// capped at two minutes (ClickUp's windows are one minute; anything further is
// treated as clock skew).
//
// # Retries
//
// The decision to retry is kept apart from the delay (as in
// hashicorp/go-retryablehttp):
//
//   - 429 (or ECODE APP_002): ClickUp did not execute the request, so every
//     method, POST included, waits and retries. The wait is Retry-After when
//     present, else until X-RateLimit-Reset, else exponential backoff with
//     jitter; the token's budget is held for that long so sibling requests wait
//     too. If the wait would pass the context's deadline, or exceeds
//     RetryPolicy.MaxWait, the rate_limited error is returned at once with
//     RetryAfter set.
//   - 5xx, HTML error pages, timeouts and dropped connections: retried with
//     exponential backoff and jitter only for GET, PUT and DELETE. A POST is
//     never retried once it may have reached ClickUp (a retry must never create
//     a second task); its error carries MaybeApplied.
//   - A POST whose connection could not even be dialled (DNS failure,
//     connection refused, dial timeout) is retried like a GET: no byte of the
//     request left the process. Nothing else counts as "surely not sent" -
//     not TLS handshake failures, not resets on a reused connection.
//   - A 2xx whose body is not valid JSON is a decode error. A GET retries it
//     once (a truncated body is usually a proxy or connection fault); writes
//     are not retried and report MaybeApplied, since the 2xx says the write
//     happened.
//
// All retries are bounded by RetryPolicy.MaxRetries (default 3, so at most 4
// attempts) and by the caller's context. Every wait goes through the Clock,
// so tests use a fake one and never sleep, and every wait returns early when
// the context is cancelled.
//
// # Secrets
//
// The token never appears in an error string, a log line or a panic: logs
// carry Redact(token) ("pk_…abcd"), errors carry the method and the path
// without its query, and any message echoed by ClickUp is scrubbed of the
// token and of OAuth client secrets and codes before it is kept.
package clickup
