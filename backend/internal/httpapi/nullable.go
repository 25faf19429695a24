package httpapi

import (
	"encoding/json"
	"reflect"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// nullable is a PATCH field with three states: absent (unchanged), null (clear the override,
// inherit) or a value. A plain pointer cannot tell absent from null.
type nullable[T any] struct {
	set   bool
	value *T
}

// UnmarshalJSON runs only for fields present in the body, null included.
func (n *nullable[T]) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[T]()}
	}
	n.value = &v
	return nil
}

func (n nullable[T]) override() *admin.Override[T] {
	if !n.set {
		return nil
	}
	return &admin.Override[T]{Value: n.value}
}

// passwordRequest is the password-policy part of a domain or COS request.
type passwordRequest struct {
	PasswordMinLength        nullable[int]  `json:"passwordMinLength"`
	PasswordRequireLowercase nullable[bool] `json:"passwordRequireLowercase"`
	PasswordRequireUppercase nullable[bool] `json:"passwordRequireUppercase"`
	PasswordRequireDigit     nullable[bool] `json:"passwordRequireDigit"`
	PasswordRequireSymbol    nullable[bool] `json:"passwordRequireSymbol"`
	AccountPasswordForMail   *bool          `json:"accountPasswordForMail"`
}

func (r passwordRequest) patch() admin.PasswordPatch {
	return admin.PasswordPatch{MinLength: r.PasswordMinLength.override(),
		RequireLowercase: r.PasswordRequireLowercase.override(), RequireUppercase: r.PasswordRequireUppercase.override(),
		RequireDigit: r.PasswordRequireDigit.override(), RequireSymbol: r.PasswordRequireSymbol.override()}
}
