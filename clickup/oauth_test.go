package clickup

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// CompleteOAuth names the step that failed and keeps the access token out
// of every error; a full sign-in yields the token, the user and the
// workspaces.
func TestCompleteOAuth(t *testing.T) {
	const access = "61681706_dc747044a6941fc9aa645a4f3bca2ba5576e7dfb516a3d1889553fe96a4084f6"
	for _, tc := range []struct {
		name     string
		userCode int
		teamCode int
		code     string
		want     string // the failed step, "" for none
	}{
		{name: "ok", userCode: 200, teamCode: 200, code: "good"},
		{name: "bad code", userCode: 200, teamCode: 200, code: "bad", want: OAuthStepExchange},
		{name: "no user", userCode: 500, teamCode: 200, code: "good", want: OAuthStepUser},
		{name: "no teams", userCode: 200, teamCode: 401, code: "good", want: OAuthStepWorkspaces},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			f.mux.HandleFunc("/v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
				if a := r.Header.Get("Authorization"); a != "" {
					t.Errorf("exchange sent Authorization %q", a)
				}
				if tc.code == "bad" {
					writeJSON(w, 400, `{"err":"Code not found","ECODE":"OAUTH_014"}`)
					return
				}
				writeJSON(w, 200, `{"access_token":"`+access+`"}`)
			})
			f.mux.HandleFunc("/v2/user", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer "+access {
					t.Errorf("user lookup with Authorization %q", r.Header.Get("Authorization"))
				}
				writeJSON(w, tc.userCode, `{"user":{"id":7,"username":"Alex","email":"alex@example.com"}}`)
			})
			f.mux.HandleFunc("/v2/team", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.teamCode, `{"teams":[{"id":"9001","name":"Acme"}]}`)
			})
			in, err := CompleteOAuth(context.Background(), "cid", "csecret-123456", tc.code,
				WithBaseURL(f.base), WithClock(f.clock), WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if in.AccessToken != access || in.User.Username != "Alex" || len(in.Workspaces) != 1 || in.Workspaces[0].Name != "Acme" {
					t.Fatalf("sign-in = %+v", in)
				}
				return
			}
			var step *OAuthStepError
			if !errors.As(err, &step) || step.Step != tc.want {
				t.Fatalf("err = %v, want a failed %s step", err, tc.want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("the step's *Error is not in the chain: %v", err)
			}
			if strings.Contains(err.Error(), "dc747044") {
				t.Errorf("the access token is in the error: %v", err)
			}
		})
	}
}
