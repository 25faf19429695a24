package httpapi

import (
	"encoding/json"
	"reflect"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// nullableInt tells a field left out (Set false: leave as it is) from null (Set, Value nil:
// inherit the global setting) and from a number.
type nullableInt struct {
	Set   bool
	Value *int
}

func (n *nullableInt) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		return nil
	}
	var v int
	if err := json.Unmarshal(b, &v); err != nil {
		// A type error, so decodeJSON names the field.
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeOf(v)}
	}
	n.Value = &v
	return nil
}

// limit is the admin patch of a COS limit, nil when the field was left out.
func (n nullableInt) limit() *admin.LimitPatch {
	if !n.Set {
		return nil
	}
	return &admin.LimitPatch{Value: n.Value}
}
