package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// apiError is the one error shape of the API: {"error":{"code","message","details"}}.
type apiError struct {
	Status  int           `json:"-"`
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Details []errorDetail `json:"details,omitempty"`
}

type errorDetail struct {
	Rule    string `json:"rule"`
	Message string `json:"message,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

var (
	errUnauthenticated = newError(http.StatusUnauthorized, "unauthenticated", "Log in first.")
	errCSRF            = newError(http.StatusForbidden, "csrf", "Missing or wrong X-CSRF-Token header.")
	errTooLarge        = newError(http.StatusRequestEntityTooLarge, "request_too_large", "The request body is larger than 1 MiB.")
	errNotFound        = newError(http.StatusNotFound, "not_found", "No such resource.")
	errMethod          = newError(http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed here.")
	errInternal        = newError(http.StatusInternalServerError, "internal", "Something went wrong on our side; it has been logged.")
)

// kindStatus is the HTTP status of each fault kind.
var kindStatus = map[fault.Kind]int{
	fault.Invalid:      http.StatusBadRequest,
	fault.Unauthorized: http.StatusUnauthorized,
	fault.Forbidden:    http.StatusForbidden,
	fault.NotFound:     http.StatusNotFound,
	fault.Conflict:     http.StatusConflict,
	fault.Throttled:    http.StatusTooManyRequests,
	fault.Unavailable:  http.StatusServiceUnavailable,
}

// toAPIError maps a service error to what the client sees: its fault's status by kind, with the
// fault's own code and message. Anything else is an internal error whose detail stays in the
// server log.
func toAPIError(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae, true
	}
	f, ok := fault.As(err)
	if !ok {
		return errInternal, false
	}
	status, known := kindStatus[f.Kind]
	if !known {
		return errInternal, false
	}
	e := newError(status, f.Code, f.Public())
	for _, d := range f.Details {
		e.Details = append(e.Details, errorDetail{Rule: d.Rule, Message: d.Message})
	}
	return e, true
}

// errorMiddleware is the one place errors become responses.
func (s *shared) errorMiddleware(c *gin.Context) {
	c.Next()
	if len(c.Errors) == 0 || c.Writer.Written() {
		return
	}
	err := c.Errors.Last().Err
	ae, known := toAPIError(err)
	if !known {
		s.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		// An unexpected error while the database is unreachable is an outage, not a bug: tell
		// the client to come back (nothing was stored half-way: writes are transactions).
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), time.Second)
		if s.db.Ping(ctx) != nil {
			ae = newError(http.StatusServiceUnavailable, "unavailable", "The service is temporarily unavailable. Try again shortly.")
			c.Header("Retry-After", "5")
		}
		cancel()
	}
	if ae.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	var throttle *authn.ThrottledError
	if errors.As(err, &throttle) {
		c.Header("Retry-After", strconv.Itoa(int(max(time.Second, throttle.RetryAfter+time.Second-1)/time.Second)))
	}
	c.AbortWithStatusJSON(ae.Status, gin.H{"error": ae})
}

// fail records err for errorMiddleware and stops the handler chain.
func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}
