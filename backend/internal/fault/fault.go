// Package fault is the one set of errors the services return and every front (the JSON API, the
// CLI, the protocol servers) maps: a few kinds, each error carrying the API code it is sent as.
// It imports nothing of the project, so every service can use it.
//
// A service declares its errors once, e.g.
//
//	var ErrLabelTaken = fault.New(fault.Conflict, "label_taken", "label already used", "You already have …")
//
// and wraps them with %w as it likes: errors.Is finds the value, errors.Is(err, fault.Conflict)
// its kind, and As the *Error a front turns into its answer. A front maps kinds, never packages.
package fault

import (
	"errors"
	"fmt"
)

// Kind is what went wrong, as a client can act on it. It is an error so that
// errors.Is(err, fault.NotFound) asks for the kind anywhere in a chain.
type Kind uint8

// The kinds the product has. The zero Kind is no fault at all: an internal error.
const (
	Invalid      Kind = iota + 1 // the request cannot be carried out as given (400)
	Unauthorized                 // no or wrong credentials, an expired login, a wrong code (401)
	Forbidden                    // known, but not allowed to (403)
	NotFound                     // no such thing, or one the caller may not know of (404)
	Conflict                     // the state of things does not allow it now (409)
	Throttled                    // too many attempts; try again later (429)
	Unavailable                  // a service it needs is away; try again shortly (503)
)

var kindNames = [...]string{"internal", "invalid", "unauthorized", "forbidden", "not found", "conflict", "throttled", "unavailable"}

func (k Kind) Error() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind %d", k)
}

// CodeInvalid is the API code of a request refused as given (Invalidf).
const CodeInvalid = "invalid_request"

// Error is one fault: its kind, its API code, and two texts.
type Error struct {
	Kind Kind
	// Code is the API's error.code, snake_case (declared in api-spec/openapi.yaml).
	Code string
	// Text is Error(): what the log and the operator (CLI) read.
	Text string
	// Message is the sentence an API client shows; Text when empty.
	Message string
	// Details are the rules a request broke, when there are several (a weak password).
	Details []Detail
}

// Detail is one broken rule of an Invalid fault.
type Detail struct {
	Rule    string
	Message string
}

// New declares a fault; message is for API clients, text for logs and operators.
func New(kind Kind, code, text, message string) *Error {
	return &Error{Kind: kind, Code: code, Text: text, Message: message}
}

// Invalidf is a request that cannot be carried out as given; the message says why, to the API
// client and the operator alike.
func Invalidf(format string, a ...any) *Error {
	return &Error{Kind: Invalid, Code: CodeInvalid, Text: fmt.Sprintf(format, a...)}
}

func (e *Error) Error() string { return e.Text }

// Is matches the fault's kind, so a chain can be asked for a kind without knowing the value.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k != 0 && k == e.Kind
}

// Public is the sentence for API clients.
func (e *Error) Public() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Text
}

// As finds the first fault in err's chain.
func As(err error) (*Error, bool) {
	var f *Error
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}

// KindOf is the kind of the first fault in err's chain; 0 (internal) when there is none.
func KindOf(err error) Kind {
	if f, ok := As(err); ok {
		return f.Kind
	}
	return 0
}
