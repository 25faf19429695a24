package credential

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// Errors the HTTP layer maps.
var (
	ErrNotFound     = errors.New("credential not found")
	ErrLabelTaken   = errors.New("label already used for this kind of credential")
	ErrLimitReached = errors.New("too many credentials of this kind")
)

// invalid is a request that cannot be carried out as given.
func invalid(format string, a ...any) error { return fault.Invalidf(format, a...) }
