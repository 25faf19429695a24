package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/otp"
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

// toAPIError maps a service error to what the client sees. Anything unknown is an internal
// error whose detail stays in the server log.
func toAPIError(err error) (*apiError, bool) {
	var (
		ae       *apiError
		weak     *account.WeakPasswordError
		throttle *authn.ThrottledError
	)
	switch {
	case errors.As(err, &ae):
		return ae, true
	case errors.As(err, &weak):
		e := newError(http.StatusBadRequest, "weak_password", "The new password does not meet the password policy.")
		for _, v := range weak.Violations {
			e.Details = append(e.Details, errorDetail{Rule: v.Rule, Message: v.Message})
		}
		return e, true
	case errors.As(err, &throttle):
		return newError(http.StatusTooManyRequests, "too_many_attempts", "Too many failed attempts. Try again later."), true
	case errors.Is(err, fault.Invalid):
		f, _ := fault.As(err)
		return newError(http.StatusBadRequest, f.Code, f.Public()), true
	case errors.Is(err, authn.ErrUnavailable):
		return newError(http.StatusServiceUnavailable, "unavailable", "The service is temporarily unavailable. Try again shortly."), true
	case errors.Is(err, authn.ErrInvalidCredentials):
		return newError(http.StatusUnauthorized, "invalid_credentials", "Wrong username or password."), true
	case errors.Is(err, account.ErrUnauthenticated):
		return errUnauthenticated, true
	case errors.Is(err, account.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, credential.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, credential.ErrLabelTaken):
		return newError(http.StatusConflict, "label_taken", "You already have a credential of this kind with that label."), true
	case errors.Is(err, credential.ErrLimitReached):
		return newError(http.StatusConflict, "limit_reached", "You have reached the maximum number of credentials of this kind. Delete one first."), true
	case errors.Is(err, account.ErrChallenge):
		return newError(http.StatusUnauthorized, "challenge_expired", "This login has expired. Enter your password again."), true
	case errors.Is(err, otp.ErrInvalidCode):
		return newError(http.StatusUnauthorized, "invalid_code", "That code is not valid. Try the current code or an unused PIN code."), true
	case errors.Is(err, otp.ErrCodeUsed):
		return newError(http.StatusUnauthorized, "code_already_used", "This code was already used. Wait for the next one."), true
	case errors.Is(err, otp.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, otp.ErrNotPending):
		return newError(http.StatusConflict, "not_pending", "This OTP entry is already confirmed."), true
	case errors.Is(err, account.ErrPolicyLocked):
		return newError(http.StatusConflict, "policy_locked", "Two-factor authentication is decided by a policy for your account."), true
	case errors.Is(err, account.ErrNoOTP):
		return newError(http.StatusConflict, "no_otp", "Create and confirm an OTP entry before turning on two-factor authentication."), true
	case errors.Is(err, admin.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, admin.ErrTwoFactorRequired):
		return newError(http.StatusForbidden, "two_factor_required", "Administration needs two-factor authentication: turn it on, then log in again with a code."), true
	case errors.Is(err, admin.ErrAdministered):
		return newError(http.StatusConflict, "in_use", "A domain admin administers it; change their admin domains first."), true
	case errors.Is(err, admin.ErrInUse):
		return newError(http.StatusConflict, "in_use", "It still has accounts; move or delete them first."), true
	case errors.Is(err, admin.ErrForbidden):
		return newError(http.StatusForbidden, "forbidden", "Your administrator role does not allow this."), true
	case errors.Is(err, account.ErrExists):
		return newError(http.StatusConflict, "conflict", "It already exists."), true
	}
	return errInternal, false
}

// errorMiddleware is the one place errors become responses.
func (s *server) errorMiddleware(c *gin.Context) {
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
