package policy

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func ptr[T any](v T) *T { return &v }

func global() *store.GlobalSettings {
	return &store.GlobalSettings{PwMinLength: 8, PwRequireLower: true, PwRequireUpper: true, PwRequireDigit: true, PwRequireSymbol: true}
}

func TestPasswordPolicyInheritsEverythingUnset(t *testing.T) {
	got := PasswordPolicy(global(), &store.Domain{ID: 1}, &store.COS{ID: 1})
	if got != password.DefaultPolicy() {
		t.Fatalf("got %+v", got)
	}
	if got := PasswordPolicy(global(), nil, nil); got != password.DefaultPolicy() {
		t.Fatalf("no domain, no COS: got %+v", got)
	}
}

// Each field independently takes the most specific level that sets it.
func TestPasswordPolicyMostSpecificPerField(t *testing.T) {
	d := &store.Domain{ID: 1, PasswordOverrides: store.PasswordOverrides{PwMinLength: ptr(14), PwRequireSymbol: ptr(false)}}
	c := &store.COS{ID: 2, PasswordOverrides: store.PasswordOverrides{PwMinLength: ptr(10), PwRequireDigit: ptr(false)}}

	if got, want := PasswordPolicy(global(), d, nil), (password.Policy{MinLength: 14, RequireLower: true, RequireUpper: true, RequireDigit: true}); got != want {
		t.Errorf("domain only: got %+v, want %+v", got, want)
	}
	// The COS wins over the domain even where it is weaker (10 < 14): the rule of 2FA.
	if got, want := PasswordPolicy(global(), d, c), (password.Policy{MinLength: 10, RequireLower: true, RequireUpper: true}); got != want {
		t.Errorf("domain and COS: got %+v, want %+v", got, want)
	}
	// A COS may also switch a class back on that the global level leaves off.
	g := global()
	g.PwRequireUpper = false
	c2 := &store.COS{ID: 3, PasswordOverrides: store.PasswordOverrides{PwRequireUpper: ptr(true)}}
	if got := PasswordPolicy(g, &store.Domain{ID: 1}, c2); !got.RequireUpper {
		t.Errorf("COS requiring upper case: got %+v", got)
	}
}

func TestPasswordPolicyInvalidFallsBack(t *testing.T) {
	d := &store.Domain{ID: 1, PasswordOverrides: store.PasswordOverrides{PwMinLength: ptr(0), PwRequireLower: ptr(false)}}
	if got := PasswordPolicy(global(), d, nil); got != password.DefaultPolicy() {
		t.Fatalf("got %+v", got)
	}
}
