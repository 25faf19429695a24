package httpapi_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// bidiLabels are labels that would display as something else: "Phone\u202Eenohp" shows
// as "Phone" + "phone" mirrored, an isolate or a mark reorders what follows it.
var bidiLabels = []string{
	"Anna\u202E's phone", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db",
	"a\u2066b", "a\u2067b", "a\u2068b", "a\u2069b", "a\u200Eb", "a\u200Fb", "a\u061Cb",
}

// A credential or OTP label with a bidirectional control is refused, by the user's API and by
// an admin's rename, with a 400 that says why; the label stays as it was.
func TestLabelsRefuseBidiControls(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		for _, kind := range []string{"eas", "app_passcode", "mobile_app", "otp"} {
			for _, l := range bidiLabels {
				r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": kind, "label": l})
				if r.StatusCode != 400 || r.ErrorCode() != "invalid_request" || !strings.Contains(string(r.Body), "text-direction") {
					t.Errorf("%s %q: %d %s", kind, l, r.StatusCode, r.Body)
				}
			}
		}
		// Right-to-left text itself is fine: only the invisible controls are refused.
		create(t, c, "eas", "هاتف سارة")
		cr := create(t, c, "otp", "Work phone")
		path := "/api/v1/admin/credentials/" + strconv.FormatUint(cr.Credential.ID, 10)
		for _, l := range bidiLabels {
			r := c.Do("PATCH", path, map[string]string{"label": l})
			if r.StatusCode != 400 || r.ErrorCode() != "invalid_request" || !strings.Contains(string(r.Body), "text-direction") {
				t.Errorf("admin rename to %q: %d %s", l, r.StatusCode, r.Body)
			}
		}
		if r := c.Do("PATCH", path, map[string]string{"label": "Work phone 2"}); r.StatusCode != 200 {
			t.Fatalf("admin rename: %d %s", r.StatusCode, r.Body)
		}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		list, _ := s.App.Credentials.List(t.Context(), acct.ID)
		var labels []string
		for _, cr := range list {
			labels = append(labels, cr.Label)
		}
		if strings.Join(labels, "|") != "هاتف سارة|Work phone 2" {
			t.Fatalf("stored labels: %q", labels)
		}
	})
}
