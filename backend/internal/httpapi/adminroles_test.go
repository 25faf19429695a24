package httpapi_test

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The accounts a domain admin of example.com (dana) acts on, and what she may do to each: the
// user of her domain she administers; another domain admin and a global admin of her domain
// she only reads; a user of another domain she does not see.
var roleTargets = []struct{ email, role, who string }{
	{"bob@example.com", store.RoleUser, "user"},
	{"dora@example.com", store.RoleDomainAdmin, "admin"},
	{"gadm@example.com", store.RoleGlobalAdmin, "admin"},
	{"tom@third.net", store.RoleUser, "elsewhere"},
}

// rolesWorld: dana and the targets, each target with an EAS password of its own (cred) and a
// provisioned phone "phone1" that has folder-synced once.
type rolesWorld struct {
	s      *apptest.Server
	global *apptest.Client
	dana   *apptest.Client
	cred   map[string]uint64
	phone  map[string]*easclient.Client
	client map[string]*apptest.Client
}

func newRolesWorld(t *testing.T, b storetest.Backend) *rolesWorld {
	s := apptest.Start(t, b)
	ctx := t.Context()
	if _, err := s.App.Accounts.CreateDomain(ctx, "test", "third.net"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Accounts.CreateCOS(ctx, "test", "staff"); err != nil {
		t.Fatal(err)
	}
	ins := []account.CreateInput{{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin}}
	for _, tg := range roleTargets {
		ins = append(ins, account.CreateInput{Email: tg.email, Password: testPw, Role: tg.role})
	}
	for _, in := range ins {
		if _, _, err := s.App.Accounts.Create(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	w := &rolesWorld{s: s, global: s.Client(), dana: s.Client(), cred: map[string]uint64{}, phone: map[string]*easclient.Client{}, client: map[string]*apptest.Client{}}
	w.global.Login(admin, apptest.AdminPassword)
	w.dana.Login("dana@example.com", testPw)
	for _, tg := range roleTargets {
		c := s.Client()
		c.Login(tg.email, testPw)
		cred := create(t, c, "eas", "Phone")
		p := &easclient.Client{BaseURL: s.URL, User: tg.email, Pass: cred.Secret.Password, DeviceID: "phone1", DeviceType: "iPhone", Version: "14.1"}
		if _, err := p.Provision(); err != nil {
			t.Fatal(err)
		}
		if r, err := p.FolderSync("0"); err != nil || r.Body.TextOf("Status") != "1" {
			t.Fatalf("FolderSync of %s: %v", tg.email, err)
		}
		w.cred[tg.email], w.phone[tg.email], w.client[tg.email] = cred.Credential.ID, p, c
	}
	return w
}

// adminRoute is an admin route that takes an account ({email}) or one of its credentials
// ({cred}); ok is the status for a user of the domain, 0 for a read (200 for every account of
// the domain).
type adminRoute struct {
	method, path string
	body         any
	ok           int
}

// accountRoutes: every admin route that takes an account, its writes with several bodies. The
// order is the user's: the credential and the device go last.
func accountRoutes(raw []byte) []adminRoute {
	future := time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	return []adminRoute{
		{"GET", "/accounts/{email}", nil, 0},
		{"GET", "/accounts/{email}/credentials", nil, 0},
		{"GET", "/accounts/{email}/devices", nil, 0},
		{"PATCH", "/accounts/{email}", map[string]string{"status": "locked"}, 200},
		{"PATCH", "/accounts/{email}", map[string]string{"status": "active"}, 200},
		{"PATCH", "/accounts/{email}", map[string]string{"role": "user"}, 200},
		{"PATCH", "/accounts/{email}", map[string]string{"cos": "staff"}, 200},
		{"GET", "/accounts/{email}/sessions", nil, 200},         // managed accounts only, unlike the reads above
		{"DELETE", "/accounts/{email}/sessions/{id}", nil, 404}, // no such session (websessions_test ends real ones)
		{"GET", "/accounts/{email}/trusted-browsers", nil, 200},
		{"DELETE", "/accounts/{email}/trusted-browsers/{id}", nil, 404}, // none (trustedbrowsers_test forgets real ones)
		{"POST", "/accounts/{email}/logout-all", nil, 204},
		{"POST", "/accounts/{email}/password", map[string]string{}, 200},
		{"POST", "/accounts/{email}/password", map[string]any{"password": "Quartz-Otter-4417", "requireChange": true}, 204},
		{"POST", "/accounts/{email}/credentials", map[string]string{"kind": "eas", "label": "Taken over"}, 201},
		{"POST", "/accounts/{email}/credentials", map[string]string{"kind": "app_passcode", "label": "Taken over too"}, 201},
		{"PATCH", "/credentials/{cred}", map[string]string{"label": "Renamed"}, 200},
		{"PATCH", "/credentials/{cred}", map[string]string{"status": "disabled"}, 200},
		{"PATCH", "/credentials/{cred}", map[string]string{"status": "enabled"}, 200},
		{"PATCH", "/credentials/{cred}", map[string]string{"expiresAt": future}, 200},
		{"PATCH", "/credentials/{cred}", map[string]any{"expiresAt": nil}, 200},
		{"PATCH", "/credentials/{cred}", map[string]bool{"resetFailedAttempts": true}, 200},
		{"POST", "/accounts/{email}/messages", raw, 201},
		{"POST", "/accounts/{email}/devices/{deviceId}/suspend", nil, 200},
		{"POST", "/accounts/{email}/devices/{deviceId}/resume", nil, 200},
		{"POST", "/accounts/{email}/devices/{deviceId}/block", nil, 200},
		{"POST", "/accounts/{email}/devices/{deviceId}/allow", nil, 200},
		{"POST", "/accounts/{email}/devices/{deviceId}/reset", nil, 204},
		{"POST", "/accounts/{email}/devices-reset", nil, 204},
		{"POST", "/accounts/{email}/devices/{deviceId}/wipe", nil, 204},
		{"DELETE", "/accounts/{email}/devices/{deviceId}", nil, 204},
		{"DELETE", "/credentials/{cred}", nil, 204},
	}
}

// accountSnapshot is what a refused write could have changed of an account.
type accountSnapshot struct {
	Role, Status, PasswordHash string
	COSID                      *uint64
	TokenVersion               uint64
	MustChangePassword         bool
	UpdatedAt                  time.Time
	Credentials                []store.Credential
	Devices                    []store.Device
	FolderSyncState            bool
	Inbox                      []string
}

func snapshotOf(t *testing.T, s *apptest.Server, email string) accountSnapshot {
	t.Helper()
	ctx := t.Context()
	a, err := s.App.Store.AccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	out := accountSnapshot{Role: a.Role, Status: a.Status, PasswordHash: a.PasswordHash, COSID: a.COSID, TokenVersion: a.TokenVersion,
		MustChangePassword: a.MustChangePassword, UpdatedAt: a.UpdatedAt, Inbox: eastest.FolderItems(t, s, email, mailbox.TypeInbox)}
	if out.Credentials, err = s.App.Store.ListCredentials(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if out.Devices, err = s.App.Store.DevicesOf(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range out.Devices {
		_, err := s.App.Store.SyncStateOf(ctx, d.ID, eas.HierarchyCollection)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		out.FolderSyncState = out.FolderSyncState || err == nil
	}
	return out
}

// Every admin route that takes an account × the four targets: a domain admin acts on the users
// of her domains, reads the other administrators' accounts of her domains (every write is 403
// forbidden and changes nothing), and does not see other domains (404).
func TestDomainAdminActsOnUsersOnly(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newRolesWorld(t, b)
		raw, err := os.ReadFile("../mailbox/testdata/multipart.eml")
		if err != nil {
			t.Fatal(err)
		}
		routes := accountRoutes(raw)
		checkCoversAccountRoutes(t, w.s, routes)

		before := map[string]accountSnapshot{}
		for _, tg := range roleTargets {
			before[tg.email] = snapshotOf(t, w.s, tg.email)
		}
		for _, rt := range routes {
			for _, tg := range roleTargets {
				path := "/api/v1/admin" + strings.NewReplacer("{email}", tg.email, "{cred}", fmt.Sprint(w.cred[tg.email]), "{deviceId}", "phone1", "{id}", "999999").Replace(rt.path)
				if _, isRaw := rt.body.([]byte); isRaw {
					w.dana.Header.Set("Content-Type", "message/rfc822")
				}
				r := w.dana.Do(rt.method, path, rt.body)
				w.dana.Header.Del("Content-Type")
				want, code := rt.ok, ""
				switch {
				case tg.who == "elsewhere":
					want, code = 404, "not_found"
				case rt.ok == 0:
					want = 200
				case tg.who == "admin":
					want, code = 403, "forbidden"
				}
				if r.StatusCode != want || (code != "" && r.ErrorCode() != code) {
					t.Errorf("%s %s (%s %s): %d %s (want %d %s)", rt.method, path, tg.who, tg.role, r.StatusCode, r.Body, want, code)
				}
			}
		}

		// The administrators' accounts are as they were: role, status, COS, password, sessions,
		// credentials, devices and their SyncStates, Inbox. Their sessions and phones still work.
		for _, tg := range roleTargets {
			after := snapshotOf(t, w.s, tg.email)
			if tg.who == "user" {
				if reflect.DeepEqual(after, before[tg.email]) {
					t.Errorf("%s: the writes on the user changed nothing", tg.email)
				}
				continue
			}
			if !reflect.DeepEqual(after, before[tg.email]) {
				t.Errorf("%s changed after refused writes:\nbefore %+v\nafter  %+v", tg.email, before[tg.email], after)
			}
			if r := w.client[tg.email].Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
				t.Errorf("%s's session ended: %d %s", tg.email, r.StatusCode, r.Body)
			}
			if r, err := w.phone[tg.email].FolderSync("0"); err != nil || r.HTTPStatus != 200 || r.Body.TextOf("Status") != "1" {
				t.Errorf("%s's phone: %v %+v", tg.email, err, r)
			}
		}
	})
}

// checkCoversAccountRoutes: the table names every admin route of the router that takes an
// account or a credential, so that a new one cannot be left out.
func checkCoversAccountRoutes(t *testing.T, s *apptest.Server, routes []adminRoute) {
	t.Helper()
	h, err := s.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	table := map[string]bool{}
	for _, rt := range routes {
		table[rt.method+" /api/v1/admin"+rt.path] = true
	}
	n := 0
	for _, r := range h.(*gin.Engine).Routes() {
		path := strings.ReplaceAll(ginParam.ReplaceAllString(r.Path, "{$1}"), "/credentials/{id}", "/credentials/{cred}")
		if !strings.HasPrefix(path, "/api/v1/admin/accounts/{email}") && !strings.HasPrefix(path, "/api/v1/admin/credentials/") {
			continue
		}
		n++
		if !table[r.Method+" "+path] {
			t.Errorf("the table misses %s %s", r.Method, path)
		}
	}
	if n < 14 {
		t.Fatalf("only %d admin routes take an account", n)
	}
}

// The account answers say what the caller may act on, in the list and one by one.
func TestAdminAccountsManageable(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newRolesWorld(t, b)
		manageable := func(c *apptest.Client) map[string]bool {
			var page struct {
				Items []struct {
					Email      string
					Manageable bool
				}
			}
			c.Do("GET", "/api/v1/admin/accounts", nil).JSON(t, &page)
			out := map[string]bool{}
			for _, it := range page.Items {
				out[it.Email] = it.Manageable
				var one struct{ Manageable *bool }
				c.Do("GET", "/api/v1/admin/accounts/"+it.Email, nil).JSON(t, &one)
				if one.Manageable == nil || *one.Manageable != it.Manageable {
					t.Errorf("%s: manageable %v in the list, %v alone", it.Email, it.Manageable, one.Manageable)
				}
			}
			return out
		}
		want := map[string]bool{admin: false, "dana@example.com": false, "bob@example.com": true, "dora@example.com": false, "gadm@example.com": false}
		if got := manageable(w.dana); !reflect.DeepEqual(got, want) {
			t.Errorf("domain admin: %v (want %v)", got, want)
		}
		want = map[string]bool{admin: true, "dana@example.com": true, "bob@example.com": true, "dora@example.com": true, "gadm@example.com": true, "tom@third.net": true}
		if got := manageable(w.global); !reflect.DeepEqual(got, want) {
			t.Errorf("global admin: %v (want %v)", got, want)
		}
		// A domain admin hands out no administrator role: bob would become an account she
		// can no longer administer (nor demote again).
		for _, role := range []string{"domain_admin", "global_admin"} {
			r := w.dana.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"role": role})
			if r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
				t.Fatalf("bob promoted to %s by a domain admin: %d %s", role, r.StatusCode, r.Body)
			}
		}
		// A global admin may; the answer then says what he may do: everything.
		var patched struct{ Manageable *bool }
		r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"role": "domain_admin"})
		if r.JSON(t, &patched); r.StatusCode != 200 || patched.Manageable == nil || !*patched.Manageable {
			t.Fatalf("bob promoted by the global admin: %d %s", r.StatusCode, r.Body)
		}
	})
}

// The attack of issue 13: a domain admin makes an EAS password for a global admin of her domain,
// which then opens his mailbox. Refused; a global admin still may.
func TestDomainAdminCannotMakeEASPasswordForGlobalAdmin(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newRolesWorld(t, b)
		const gadm = "gadm@example.com"
		for _, kind := range []string{"eas", "app_passcode"} {
			r := w.dana.Do("POST", "/api/v1/admin/accounts/"+gadm+"/credentials", map[string]string{"kind": kind, "label": "Backdoor " + kind})
			if r.StatusCode == 201 {
				var made createdCredential
				r.JSON(t, &made)
				p := &easclient.Client{BaseURL: w.s.URL, User: gadm, Pass: made.Secret.Password, DeviceID: "evil1", DeviceType: "iPhone", Version: "14.1"}
				_, err := p.Provision()
				t.Fatalf("a domain admin made a %s password for a global admin (it opens his mailbox over EAS: %v)", kind, err == nil)
			}
			if r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
				t.Fatalf("%s for the global admin: %d %s", kind, r.StatusCode, r.Body)
			}
		}
		creds := snapshotOf(t, w.s, gadm).Credentials
		if len(creds) != 1 || creds[0].Label != "Phone" {
			t.Fatalf("the global admin's credentials: %+v", creds)
		}
		r := w.global.Do("POST", "/api/v1/admin/accounts/"+gadm+"/credentials", map[string]string{"kind": "eas", "label": "Spare"})
		if r.StatusCode != 201 {
			t.Fatalf("a global admin makes one for another: %d %s", r.StatusCode, r.Body)
		}
	})
}
