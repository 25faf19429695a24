package eas_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	adminsvc "github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// admin is the bootstrap administrator, whose phones most tests use.
const admin = eastest.Admin

// testPw is the password of the accounts a test makes besides the administrator.
const testPw = "Granite-Falcon-63"

func TestEASBasicAuthAndOptions(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	_, pw := eastest.EASPassword(t, eastest.AdminClient(t, s), "Phone")

	req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Basic realm="`) {
		t.Fatalf("no credentials: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	for _, user := range []string{admin, `EXAMPLE\admin@example.com`, `example.com\admin`} {
		req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
		req.SetBasicAuth(user, strings.ToLower(strings.ReplaceAll(pw, "-", "")))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("MS-ASProtocolVersions") != "12.1,14.0,14.1,16.0,16.1" ||
			!strings.Contains(h.Get("MS-ASProtocolCommands"), "FolderSync") || h.Get("MS-Server-ActiveSync") == "" ||
			h.Get("Allow") != "OPTIONS,POST" {
			t.Fatalf("OPTIONS as %s: %d %v", user, resp.StatusCode, h)
		}
	}
	// The account password works for EAS while 2FA is off, and not once it is on.
	if code := eastest.OptionsStatus(t, s, admin, apptest.AdminPassword); code != 200 {
		t.Fatalf("account password, 2FA off: %d", code)
	}
	s.App.Store.Gorm().Exec("UPDATE accounts SET two_factor_enabled = true")
	if code := eastest.OptionsStatus(t, s, admin, apptest.AdminPassword); code != 401 {
		t.Fatalf("account password, 2FA on: %d", code)
	}
	if code := eastest.OptionsStatus(t, s, admin, pw); code != 200 {
		t.Fatalf("EAS password, 2FA on: %d", code)
	}
	// An unprovisioned 12.1 device is sent to Provision with HTTP 449; an unknown command is 501.
	for cmd, want := range map[string]int{"FolderSync": 449, "Frobnicate": 501} {
		req, _ = http.NewRequest("POST", s.URL+"/Microsoft-Server-ActiveSync?Cmd="+cmd+"&User=admin&DeviceId=abc&DeviceType=iPhone", nil)
		req.SetBasicAuth(admin, pw)
		resp, _ = http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d", cmd, resp.StatusCode, want)
		}
	}
}

// A class of service without ActiveSync: the password is right, the answer is 403.
func TestEASDisabledByCOS(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p := eastest.NewPhone(t, s, "14.1", "dev1")
	if code := eastest.OptionsStatus(t, s, admin, p.Pass); code != 200 {
		t.Fatalf("before: %d", code)
	}
	cos, err := s.App.Accounts.CreateCOS(t.Context(), "test", "no-mobile")
	if err != nil || !cos.EASEnabled {
		t.Fatalf("a new COS allows EAS: %+v %v", cos, err)
	}
	s.App.Store.Gorm().Exec("UPDATE cos SET eas_enabled = false WHERE id = ?", cos.ID)
	// Through the admin service, as the API and the CLI do: it tells every instance, which
	// drop the device's grant kept in memory with the account's old class of service.
	if _, err := s.App.Admin().PatchAccount(t.Context(), adminsvc.Scope{Global: true, Actor: admin}, admin,
		adminsvc.AccountPatch{COS: &cos.Name}, ""); err != nil {
		t.Fatal(err)
	}
	if code := eastest.OptionsStatus(t, s, admin, p.Pass); code != 403 {
		t.Fatalf("EAS disabled by the COS: %d", code)
	}
	if r, _ := p.FolderSync("0"); r.HTTPStatus != 403 {
		t.Fatalf("command with EAS disabled: %d", r.HTTPStatus)
	}
	if code := eastest.OptionsStatus(t, s, admin, "wrong"); code != 401 {
		t.Fatalf("a wrong password is still 401 first: %d", code)
	}
}

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
				credID, pw := eastest.EASPassword(t, user, "Phone")
				p := &easclient.Client{BaseURL: s.URL, User: email, Pass: pw, DeviceID: "kept" + strconv.Itoa(i), DeviceType: "iPhone", Version: "14.1"}
				if _, err := p.Provision(); err != nil {
					t.Fatal(err)
				}
				for range 2 { // the second one is answered from the kept grant
					if r, err := p.FolderSync("0"); err != nil || r.HTTPStatus != http.StatusOK {
						t.Fatalf("before: %v %+v", err, r)
					}
				}
				tc.act(t, user, email, credID)
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
