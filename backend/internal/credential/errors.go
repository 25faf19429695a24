package credential

import (
	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// Errors the HTTP layer maps.
var (
	ErrNotFound   = fault.New(fault.NotFound, "not_found", "credential not found", "No such resource.")
	ErrLabelTaken = fault.New(fault.Conflict, "label_taken", "label already used for this kind of credential",
		"You already have a credential of this kind with that label.")
	ErrLimitReached = fault.New(fault.Conflict, "limit_reached", "too many credentials of this kind",
		"You have reached the maximum number of credentials of this kind. Delete one first.")
)

// invalid is a request that cannot be carried out as given.
func invalid(format string, a ...any) error { return fault.Invalidf(format, a...) }
