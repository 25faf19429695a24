package authn

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidCredentials is the one answer to every failed authentication, whatever the reason.
var ErrInvalidCredentials = errors.New("invalid username or password")

// ErrUnavailable: a shared service the decision needs (the brute-force counters in Redis) is
// away; the attempt is refused for now (503), never let through unchecked.
var ErrUnavailable = errors.New("authentication temporarily unavailable")

// ThrottledError: too many failures; the next attempt is possible after RetryAfter.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed attempts; try again in %s", e.RetryAfter.Round(time.Second))
}
