package credential

import (
	"errors"
	"fmt"
)

// Errors the HTTP layer maps.
var (
	ErrNotFound     = errors.New("credential not found")
	ErrLabelTaken   = errors.New("label already used for this kind of credential")
	ErrLimitReached = errors.New("too many credentials of this kind")
)

// InputError is a request that cannot be carried out as given.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

func invalid(format string, a ...any) error { return &InputError{Message: fmt.Sprintf(format, a...)} }
