package account

import (
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/password"
)

// Errors the HTTP layer and the CLI map to their own answers.
var (
	// ErrUnauthenticated: no session, or one that was logged out, expired or superseded.
	ErrUnauthenticated = fault.New(fault.Unauthorized, "unauthenticated", "not logged in", "Log in first.")
	ErrNotFound        = fault.New(fault.NotFound, "not_found", "not found", "No such resource.")
	ErrExists          = fault.New(fault.Conflict, "conflict", "already exists", "It already exists.")
)

// invalid is a request that cannot be carried out as given; the message says why.
func invalid(format string, a ...any) error { return fault.Invalidf(format, a...) }

// WeakPasswordError lists every rule a new password breaks.
type WeakPasswordError struct{ Violations []password.Violation }

func (e *WeakPasswordError) Error() string {
	if len(e.Violations) == 0 {
		return "password does not meet the policy"
	}
	return e.Violations[0].Message
}

// Unwrap is the Invalid fault the fronts answer with: every rule for the API client, one line
// for the operator.
func (e *WeakPasswordError) Unwrap() error {
	f := fault.New(fault.Invalid, "weak_password", "password refused:", "The new password does not meet the password policy.")
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		f.Details = append(f.Details, fault.Detail{Rule: v.Rule, Message: v.Message})
		msgs[i] = v.Message
	}
	f.Text += " " + strings.Join(msgs, " ")
	return f
}
