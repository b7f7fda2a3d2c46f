package oauthserver

import (
	"errors"
	"net/http"
)

// storeDown reports whether err is the shared store (Redis) not answering.
func storeDown(err error) bool { return err != nil && errors.Is(err, ErrStoreUnavailable) }

// retryAfterSeconds is what a 503 asks a client to wait.
const retryAfterSeconds = "5"

const unavailableDesc = "The sign-in store (Redis) of this server is unreachable, so no token can be issued or checked right now; retry in a few seconds. Nothing is wrong with your sign-in."

// writeUnavailable answers an API call (token, registration, revocation,
// an MCP request) with 503 and a message, never a 401 that would send the
// client through sign-in again for nothing.
func (s *Server) writeUnavailable(w http.ResponseWriter, op string, err error) {
	s.log.Error("oauth store unreachable", "op", op, "error", err.Error())
	w.Header().Set("Retry-After", retryAfterSeconds)
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "temporarily_unavailable", "error_description": unavailableDesc})
}

// unavailablePage is the browser's side of writeUnavailable.
func (s *Server) unavailablePage(w http.ResponseWriter, op string, err error) {
	s.log.Error("oauth store unreachable", "op", op, "error", err.Error())
	w.Header().Set("Retry-After", retryAfterSeconds)
	page(w, problem{Status: http.StatusServiceUnavailable, Code: "store_unavailable",
		Title: "Signing in is unavailable for a moment",
		What:  "This server cannot reach the store where it keeps sign-ins (Redis), so it cannot go on with this one.",
		Fix:   "Wait a minute, then go back to your MCP client and connect again. If it keeps happening, tell whoever runs this server: its log says why."})
}
