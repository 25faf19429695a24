package admin

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// The audit texts of account, domain and COS changes name the columns with their values, as they
// did when the changes were column maps; operators grep for them.
func TestChangeAuditTexts(t *testing.T) {
	role, status, cos := "domain_admin", "locked", uint64(3)
	for _, c := range []struct {
		p    store.AccountPatch
		want string
	}{
		{store.AccountPatch{Role: &role}, "role=domain_admin"},
		{store.AccountPatch{Role: &role, Status: &status, COSID: &store.Nullable[uint64]{Value: &cos}}, "role=domain_admin, status=locked, cos_id=#3"},
		{store.AccountPatch{COSID: &store.Nullable[uint64]{}}, "cos_id=none"},
		{store.AccountPatch{}, ""},
	} {
		if got := describe(c.p.Fields()); got != c.want {
			t.Errorf("account: %q, want %q", got, c.want)
		}
	}

	domain, err := OrgPatch{TwoFactor: new("unset"), EASRequireDevicePassword: new(true),
		Password:               PasswordPatch{MinLength: Set(14), RequireSymbol: Inherit[bool]()},
		AccountPasswordForMail: new(false)}.domainPatch()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describeOrg(domain.Fields()), "two_factor=unset, eas_require_device_password=true, pw_min_length=14, pw_require_symbol=inherit, account_password_for_mail=false"; got != want {
		t.Errorf("domain: %q, want %q", got, want)
	}
	cosPatch, err := OrgPatch{TwoFactor: new("required"), EASEnabled: new(false), Password: PasswordPatch{MinLength: Inherit[int]()},
		MaxCredentialsPerKind: SetLimit(5), PinCodesPerEntry: InheritLimit()}.cosPatch()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describeOrg(cosPatch.Fields()), "two_factor=required, eas_enabled=false, pw_min_length=inherit, max_credentials_per_kind=5, pin_codes_per_entry=inherit"; got != want {
		t.Errorf("COS: %q, want %q", got, want)
	}
}
