package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A phone's credential check is kept in memory after its first request (TESSERA_AUTH_CACHE_TTL).
// Every way of taking the phone's access away through the API must still refuse its very next
// request: each case warms the kept grant, acts, and expects the refusal at once.
func TestKeptGrantsEndWithEveryRevocation(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		if _, err := s.App.Accounts.CreateCOS(ctx, "test", "no-mobile"); err != nil {
			t.Fatal(err)
		}
		s.App.Store.Gorm().Exec("UPDATE cos SET eas_enabled = false WHERE name = 'no-mobile'")
		adm := s.Client()
		adm.Login(admin, apptest.AdminPassword)

		cases := []struct {
			name string
			act  func(t *testing.T, user *apptest.Client, email string, credID uint64)
			want int
		}{
			{"the user deletes the EAS password", func(t *testing.T, user *apptest.Client, _ string, id uint64) {
				expect(t, user.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(id, 10), nil), http.StatusNoContent)
			}, http.StatusUnauthorized},
			{"an admin disables it", func(t *testing.T, _ *apptest.Client, _ string, id uint64) {
				expect(t, adm.Do("PATCH", "/api/v1/admin/credentials/"+strconv.FormatUint(id, 10), map[string]string{"status": "disabled"}), http.StatusOK)
			}, http.StatusUnauthorized},
			{"an admin sets its expiry in the past", func(t *testing.T, _ *apptest.Client, _ string, id uint64) {
				expect(t, adm.Do("PATCH", "/api/v1/admin/credentials/"+strconv.FormatUint(id, 10), map[string]string{"expiresAt": "2020-01-01T00:00:00Z"}), http.StatusOK)
			}, http.StatusUnauthorized},
			{"an admin deletes it", func(t *testing.T, _ *apptest.Client, _ string, id uint64) {
				expect(t, adm.Do("DELETE", "/api/v1/admin/credentials/"+strconv.FormatUint(id, 10), nil), http.StatusNoContent)
			}, http.StatusUnauthorized},
			{"an admin locks the account", func(t *testing.T, _ *apptest.Client, email string, _ uint64) {
				expect(t, adm.Do("PATCH", "/api/v1/admin/accounts/"+email, map[string]string{"status": "locked"}), http.StatusOK)
			}, http.StatusUnauthorized},
			{"an admin moves the account to a COS without ActiveSync", func(t *testing.T, _ *apptest.Client, email string, _ uint64) {
				expect(t, adm.Do("PATCH", "/api/v1/admin/accounts/"+email, map[string]string{"cos": "no-mobile"}), http.StatusOK)
			}, http.StatusForbidden},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				email := "phone" + strconv.Itoa(i) + "@example.com"
				if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: email, Password: testPw}); err != nil {
					t.Fatal(err)
				}
				user := s.Client()
				user.Login(email, testPw)
				cred := create(t, user, "eas", "Phone")
				p := &easclient.Client{BaseURL: s.URL, User: email, Pass: cred.Secret.Password, DeviceID: "kept" + strconv.Itoa(i), DeviceType: "iPhone", Version: "14.1"}
				if _, err := p.Provision(); err != nil {
					t.Fatal(err)
				}
				for range 2 { // the second one is answered from the kept grant
					if r, err := p.FolderSync("0"); err != nil || r.HTTPStatus != http.StatusOK {
						t.Fatalf("before: %v %+v", err, r)
					}
				}
				tc.act(t, user, email, cred.Credential.ID)
				if r, err := p.FolderSync("0"); err != nil || r.HTTPStatus != tc.want {
					t.Fatalf("the next request: %v HTTP %d, want %d", err, r.HTTPStatus, tc.want)
				}
			})
		}
	})
}

func expect(t *testing.T, r *apptest.Response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("HTTP %d %s, want %d", r.StatusCode, r.Body, want)
	}
}
