package oauthserver

import (
	"errors"
	"net/http"
)

// oauthError is an OAuth error response (RFC 6749 4.1.2.1 and 5.2): the
// error code, a description and a hint that says what to do (sent
// together as error_description), and the HTTP status.
type oauthError struct {
	Code, Desc, Hint string
	Status           int
	wrapped          error
}

func (e *oauthError) Error() string {
	if e.wrapped != nil {
		return e.Code + ": " + e.description() + ": " + e.wrapped.Error()
	}
	return e.Code + ": " + e.description()
}

func (e *oauthError) Unwrap() error { return e.wrapped }

// description is what the client is told: the description and the hint.
func (e *oauthError) description() string {
	if e.Hint == "" {
		return e.Desc
	}
	return e.Desc + " " + e.Hint
}

// withHint returns a copy with the hint set.
func (e *oauthError) withHint(h string) *oauthError {
	c := *e
	c.Hint = h
	return &c
}

// wrap returns a copy that wraps err (for errors.Is and the log).
func (e *oauthError) wrap(err error) *oauthError {
	c := *e
	c.wrapped = err
	return &c
}

var (
	errInvalidRequest = &oauthError{Code: "invalid_request", Status: http.StatusBadRequest,
		Desc: "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."}
	errInvalidClient = &oauthError{Code: "invalid_client", Status: http.StatusUnauthorized,
		Desc: "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."}
	errInvalidGrant = &oauthError{Code: "invalid_grant", Status: http.StatusBadRequest,
		Desc: "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}
	errUnauthorizedClient = &oauthError{Code: "unauthorized_client", Status: http.StatusBadRequest,
		Desc: "The client is not authorized to request a token using this method."}
	errUnsupportedGrantType = &oauthError{Code: "unsupported_grant_type", Status: http.StatusBadRequest,
		Desc: "The authorization grant type is not supported by the authorization server."}
	errUnsupportedResponseType = &oauthError{Code: "unsupported_response_type", Status: http.StatusBadRequest,
		Desc: "The authorization server does not support obtaining a token using this method."}
	errUnsupportedResponseMode = &oauthError{Code: "unsupported_response_mode", Status: http.StatusBadRequest,
		Desc: "The authorization server does not support obtaining a response using this response mode."}
	errInvalidScope = &oauthError{Code: "invalid_scope", Status: http.StatusBadRequest,
		Desc: "The requested scope is invalid, unknown, or malformed."}
	errInvalidState = &oauthError{Code: "invalid_state", Status: http.StatusBadRequest,
		Desc: "The state is missing or does not have enough characters and is therefore considered too weak."}
	errAccessDenied = &oauthError{Code: "access_denied", Status: http.StatusForbidden,
		Desc: "The resource owner or authorization server denied the request."}
	errServerError = &oauthError{Code: "server_error", Status: http.StatusInternalServerError,
		Desc: "The authorization server encountered an unexpected condition that prevented it from fulfilling the request."}
	errInvalidTarget = &oauthError{Code: "invalid_target", Status: http.StatusBadRequest,
		Desc: "The requested resource is invalid, unknown, or malformed."}
)

// asOAuthError is err as an OAuth error; anything else is server_error.
func asOAuthError(err error) *oauthError {
	var oe *oauthError
	if errors.As(err, &oe) {
		return oe
	}
	return errServerError.wrap(err)
}

// writeOAuthError answers an API call (token, revocation) with the error
// as RFC 6749 5.2 says: its status and {"error", "error_description"}.
func writeOAuthError(w http.ResponseWriter, oe *oauthError) {
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, oe.Status, map[string]string{"error": oe.Code, "error_description": oe.description()})
}
