package authn

import (
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// ErrInvalidCredentials is the one answer to every failed authentication, whatever the reason.
var ErrInvalidCredentials = fault.New(fault.Unauthorized, "invalid_credentials", "invalid username or password",
	"Wrong username or password.")

// ErrUnavailable: a shared service the decision needs (the brute-force counters in Redis) is
// away; the attempt is refused for now (503), never let through unchecked.
var ErrUnavailable = fault.New(fault.Unavailable, "unavailable", "authentication temporarily unavailable",
	"The service is temporarily unavailable. Try again shortly.")

// ThrottledError: too many failures; the next attempt is possible after RetryAfter.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed attempts; try again in %s", e.RetryAfter.Round(time.Second))
}

var errThrottled = fault.New(fault.Throttled, "too_many_attempts", "too many failed attempts",
	"Too many failed attempts. Try again later.")

// Unwrap is the Throttled fault; RetryAfter stays here, for the fronts that can send it.
func (e *ThrottledError) Unwrap() error { return errThrottled }
