package toolkit

import (
	"context"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Confirmation by elicitation. A destructive tool (or catalogue operation)
// declares Confirm on its Spec; its handler, once it knows what it is about
// to destroy, calls Confirm with a question naming it. When the client
// advertised elicitation the user is asked with a form, and the handler
// proceeds only on accept; a client without elicitation is not asked (the
// tool's description and dry_run stay its guard). The question is asked as a
// multi round-trip request (protocol 2026-07-28), which mcp-go turns into a
// server-initiated elicitation/create for clients on earlier revisions, so
// one handler serves both.

// Decision is the user's answer to a confirmation.
type Decision int

const (
	// NotAsked: the client cannot be asked (no elicitation capability); the
	// handler proceeds as it did before confirmations.
	NotAsked Decision = iota
	// Accepted: the user confirmed.
	Accepted
	// Declined: the user said no (or unticked the confirmation).
	Declined
	// Cancelled: the user dismissed the question without choosing.
	Cancelled
)

// Proceed says whether the handler may go on with the change.
func (d Decision) Proceed() bool { return d == NotAsked || d == Accepted }

func (d Decision) String() string {
	switch d {
	case Accepted:
		return "accepted"
	case Declined:
		return "declined"
	case Cancelled:
		return "cancelled"
	}
	return "not asked"
}

// Question is what the user is asked: Describe says what will be changed
// (names and counts; called only when the user is asked, so its look-ups
// cost nothing otherwise), Action is the short label of the confirmation
// box ("Delete the task"), and Subject identifies the thing confirmed (e.g.
// the resolved task id), so that an answer given for one thing never
// confirms another.
type Question struct {
	Describe        func() (string, error)
	Action, Subject string
}

// confirmInputID keys the confirmation among a request's input requests.
const confirmInputID = "confirm"

type confirmKey struct{}

// confirmState is what the framework gives a call of a tool that declared
// Confirm: the answers the request carries, if any.
type confirmState struct {
	responses mcp.InputResponses
	state     string
}

// askError is how Confirm tells the framework to ask: the call's result
// becomes an input request, and the handler runs again with the answer.
type askError struct {
	params  mcp.ElicitationParams
	subject string
}

func (e *askError) Error() string { return "confirmation needed: " + e.params.Message }

// Confirm asks the user to confirm q, or reads the answer a retried request
// carries. A handler calls it after resolving what it will change and
// before changing anything, and returns its error (if any) unchanged. It is
// an error to call it from a tool whose Spec does not declare Confirm.
func Confirm(ctx context.Context, q Question) (Decision, error) {
	cs, ok := ctx.Value(confirmKey{}).(*confirmState)
	if !ok {
		return NotAsked, errors.New("toolkit: Confirm called by a tool whose Spec does not declare Confirm")
	}
	if !clientElicits(ctx) {
		return NotAsked, nil
	}
	if cs.state == q.Subject {
		if res := server.ElicitationResponse(cs.responses, confirmInputID); res != nil {
			switch res.Action {
			case mcp.ElicitationResponseActionAccept:
				if c, ok := res.Content.(map[string]any); ok {
					if v, ok := c["confirm"].(bool); ok && !v {
						return Declined, nil
					}
				}
				return Accepted, nil
			case mcp.ElicitationResponseActionDecline:
				return Declined, nil
			default:
				return Cancelled, nil
			}
		}
	}
	action := q.Action
	if action == "" {
		action = "Confirm"
	}
	msg, err := q.Describe()
	if err != nil {
		return NotAsked, err
	}
	return NotAsked, &askError{subject: q.Subject, params: mcp.ElicitationParams{
		Mode:    mcp.ElicitationModeForm,
		Message: msg,
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"confirm": map[string]any{"type": "boolean", "title": action, "description": "Tick to go ahead; this cannot be undone.", "default": true},
			},
			"required": []string{"confirm"},
		},
	}}
}

// clientElicits reports whether the client of this request advertised
// elicitation: per request on 2026-07-28, at initialize before.
func clientElicits(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil
	}
	sess := server.ClientSessionFromContext(ctx)
	ci, ok := sess.(server.SessionWithClientInfo)
	if !ok {
		return false
	}
	if _, ok := sess.(server.SessionWithElicitation); !ok {
		return false
	}
	return ci.GetClientCapabilities().Elicitation != nil
}

// withConfirm gives a call of a Confirm tool the answers its request carries.
func withConfirm(ctx context.Context, p mcp.MultiRoundTripParams) context.Context {
	return context.WithValue(ctx, confirmKey{}, &confirmState{responses: p.InputResponses, state: p.RequestState})
}

// askResult turns a Confirm error into the input-required result that asks.
func askResult(err error) (*mcp.CallToolResult, bool) {
	var a *askError
	if !errors.As(err, &a) {
		return nil, false
	}
	return server.NewInputRequestBuilder(a.subject).Elicit(confirmInputID, a.params).ToolResult(), true
}

// ConfirmRefusal is the text of a call the user did not confirm.
func ConfirmRefusal(d Decision, what string) string {
	return fmt.Sprintf("Not confirmed: the user %s the confirmation, so %s. Nothing was changed; ask the user before trying again.", d, what)
}
