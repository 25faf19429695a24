package account

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/password"
)

// Errors the HTTP layer and the CLI map to their own answers.
var (
	// ErrUnauthenticated: no session, or one that was logged out, expired or superseded.
	ErrUnauthenticated = errors.New("not logged in")
	ErrNotFound        = errors.New("not found")
	ErrExists          = errors.New("already exists")
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
