package workspace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// ArgError is a bad argument: the model can fix it and call again.
type ArgError struct {
	Arg string
	Msg string
}

// Argument names the argument at fault; the tool framework recognises
// argument errors by this method, whatever package made them.
func (e *ArgError) Argument() string { return e.Arg }

// argumentError is any bad-argument error (this package's ArgError, the
// tool framework's decoding errors).
type argumentError interface {
	error
	Argument() string
}

func (e *ArgError) Error() string {
	if e.Arg == "" {
		return e.Msg
	}
	return e.Arg + ": " + e.Msg
}

// InvalidArg is a bad argument with a message the model can act on.
func InvalidArg(arg, format string, a ...any) *ArgError {
	return &ArgError{Arg: arg, Msg: fmt.Sprintf(format, a...)}
}

// hintError carries a ClickUp error with advice for the model.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// WithHint attaches advice for the model to a ClickUp error.
func WithHint(err error, format string, a ...any) error {
	if err == nil {
		return nil
	}
	return &hintError{err: err, hint: fmt.Sprintf(format, a...)}
}

// Explain renders any error as the text of an isError tool result: what
// failed, the ClickUp error code, and what to do next. Go errors from
// handlers are kept for bugs; everything a model can act on comes back here.
func Explain(err error) string {
	var b strings.Builder
	var ae argumentError
	var ce *clickup.Error
	var he *hintError
	var se *scopeError
	hint := ""
	if errors.As(err, &he) {
		hint = he.hint
	}
	switch {
	case errors.As(err, &ae):
		fmt.Fprintf(&b, "Invalid argument %s", ae.Error())
		if hint == "" {
			hint = "Fix the argument and call the tool again."
		}
	case errors.As(err, &se):
		b.WriteString("Refused: " + se.msg)
		if hint == "" {
			hint = "Ask the user to do this in ClickUp, or to widen --write-scope."
		}
	case errors.As(err, &ce) && ce.Kind == clickup.KindNetwork && ce.BaseURL != "" && !errors.Is(err, context.Canceled):
		fmt.Fprintf(&b, "Cannot reach ClickUp at %s: %s", ce.BaseURL, ce.Message)
		if hint == "" {
			hint = "Check the network connection, and --api-url (CLICKUP_API_URL) if it is set; then try again."
			if ce.MaybeApplied {
				hint = kindHint(ce)
			}
		}
	case errors.As(err, &ce):
		b.WriteString("ClickUp error")
		if ce.StatusCode != 0 {
			fmt.Fprintf(&b, " (HTTP %d", ce.StatusCode)
			if ce.ECODE != "" {
				fmt.Fprintf(&b, ", %s", ce.ECODE)
			}
			b.WriteString(")")
		}
		if ce.Message != "" {
			fmt.Fprintf(&b, ": %s", ce.Message)
		}
		if ce.WrongBaseURL {
			hint = fmt.Sprintf("%s answered 404 for every path, /v2/user included, so the API URL is wrong, not the id: did you mean %s? Set --api-url (CLICKUP_API_URL); ClickUp's is %s.", ce.BaseURL, clickup.SuggestBaseURL(ce.BaseURL), clickup.DefaultBaseURL)
		}
		if hint == "" {
			hint = kindHint(ce)
		}
		if ce.Kind == clickup.KindRateLimited && ce.RetryAfter > 0 {
			fmt.Fprintf(&b, "\nretry_after_s: %d", int(math.Ceil(ce.RetryAfter.Seconds())))
		}
	case errors.Is(err, context.DeadlineExceeded):
		b.WriteString("The request to ClickUp timed out")
		hint = "Try again; for searches, narrow the filters or lower limit."
	case errors.Is(err, context.Canceled):
		b.WriteString("The request was cancelled")
	default:
		b.WriteString(err.Error())
	}
	if hint != "" {
		b.WriteString("\nWhat to do: ")
		b.WriteString(hint)
	}
	return b.String()
}

func kindHint(ce *clickup.Error) string {
	switch ce.Kind {
	case clickup.KindUnauthorized:
		return "The ClickUp token is missing, invalid or revoked. Ask the user to set a valid token (CLICKUP_API_TOKEN, a personal token starting with pk_) or sign in again with `clickup-mcp auth login`; retrying will not help."
	case clickup.KindWorkspaceNotAuthorized:
		return "This token cannot see that workspace, or the id does not exist (ClickUp answers both the same way). Check the id; call clickup_whoami for the workspaces this token may use. To reach another workspace, the user must re-authorize: run `clickup-mcp auth login` again and tick it (a personal pk_ token reaches only the workspaces its user belongs to)."
	case clickup.KindNotFound:
		return "Check the id. Find tasks with clickup_search_tasks and lists with clickup_get_workspace_hierarchy."
	case clickup.KindRateLimited:
		return "ClickUp's rate limit for this token is used up. Wait retry_after_s seconds before calling again, and prefer fewer, narrower calls."
	case clickup.KindUpstream, clickup.KindNetwork, clickup.KindDecode:
		if ce.MaybeApplied {
			return "ClickUp failed after receiving a write; it may or may not have been applied. Check (e.g. search for the task by name) before retrying, so nothing is created twice."
		}
		return "ClickUp had a temporary problem. Try again in a moment."
	case clickup.KindInvalid:
		switch ce.ECODE {
		case "ITEM_114":
			return "That status does not exist in the task's list. Use one of the list's statuses (clickup_get_task shows the task's list)."
		case "ITEM_137":
			return "A subtask's parent must be in the same list. Omit list_id to use the parent's list."
		}
		return "ClickUp rejected the request as invalid. Check the arguments against the tool's schema."
	}
	return ""
}
