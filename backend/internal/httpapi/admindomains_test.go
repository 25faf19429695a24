package httpapi_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// twoDomainWorld: dana@example.com administers example.com and other.org; bob@example.com,
// olga@other.org and tom@third.net are users. Each is logged in.
type twoDomainWorld struct {
	s              *apptest.Server
	global, dana   *apptest.Client
	bob, olga, tom *apptest.Client
}

func newTwoDomainWorld(t *testing.T, b storetest.Backend) *twoDomainWorld {
	s := apptest.Start(t, b)
	ctx := t.Context()
	for _, d := range []string{"other.org", "third.net"} {
		if _, err := s.App.Accounts.CreateDomain(ctx, "test", d); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range []account.CreateInput{
		{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin, AdminDomains: []string{"Other.org", "example.com"}},
		{Email: "bob@example.com", Password: testPw},
		{Email: "olga@other.org", Password: testPw},
		{Email: "tom@third.net", Password: testPw},
	} {
		if _, _, err := s.App.Accounts.Create(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	w := &twoDomainWorld{s: s, global: s.Client(), dana: s.Client(), bob: s.Client(), olga: s.Client(), tom: s.Client()}
	w.global.Login(admin, apptest.AdminPassword)
	w.dana.Login("dana@example.com", testPw)
	w.bob.Login("bob@example.com", testPw)
	w.olga.Login("olga@other.org", testPw)
	w.tom.Login("tom@third.net", testPw)
	return w
}

// check: the domain admin gets want for the paths of either of their domains, 404 for the
// third domain's.
func (w *twoDomainWorld) check(t *testing.T, method string, paths [3]string, body any, want int) {
	t.Helper()
	for _, p := range paths[:2] {
		if r := w.dana.Do(method, p, body); r.StatusCode != want {
			t.Errorf("%s %s inside: %d %s (want %d)", method, p, r.StatusCode, r.Body, want)
		}
	}
	if r := w.dana.Do(method, paths[2], body); r.StatusCode != http.StatusNotFound || r.ErrorCode() != "not_found" {
		t.Errorf("%s %s in the third domain: %d %s (want 404)", method, paths[2], r.StatusCode, r.Body)
	}
}

func acctPaths(suffix string) [3]string {
	var out [3]string
	for i, e := range []string{"bob@example.com", "olga@other.org", "tom@third.net"} {
		out[i] = "/api/v1/admin/accounts/" + e + suffix
	}
	return out
}

func TestDomainAdminOfTwoDomains(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTwoDomainWorld(t, b)

		// The SPA learns the domains from /me, and from the login answer.
		var me struct{ AdminDomains []string }
		w.dana.Do("GET", "/api/v1/me", nil).JSON(t, &me)
		if !slices.Equal(me.AdminDomains, []string{"example.com", "other.org"}) {
			t.Fatalf("me.adminDomains = %v", me.AdminDomains)
		}
		var login struct {
			Account struct{ AdminDomains []string }
		}
		w.s.Client().Login("dana@example.com", testPw).JSON(t, &login)
		if !slices.Equal(login.Account.AdminDomains, []string{"example.com", "other.org"}) {
			t.Fatalf("login account.adminDomains = %v", login.Account.AdminDomains)
		}
		if r := w.bob.Do("GET", "/api/v1/me", nil); strings.Contains(string(r.Body), "adminDomains") {
			t.Fatalf("a user's me has adminDomains: %s", r.Body)
		}

		// Accounts list: both domains, a filter on either, nothing of the third.
		var page struct {
			Items []struct{ Email string }
			Total int
		}
		w.dana.Do("GET", "/api/v1/admin/accounts", nil).JSON(t, &page)
		var emails []string
		for _, it := range page.Items {
			emails = append(emails, it.Email)
		}
		if !slices.Equal(emails, []string{admin, "bob@example.com", "dana@example.com", "olga@other.org"}) || page.Total != 4 {
			t.Fatalf("domain admin's list: %v (%d)", emails, page.Total)
		}
		for domain, want := range map[string]int{"other.org": 1, "example.com": 3, "third.net": 0, "nowhere.test": 0} {
			w.dana.Do("GET", "/api/v1/admin/accounts?domain="+domain, nil).JSON(t, &page)
			if page.Total != want {
				t.Errorf("?domain=%s: %d accounts (want %d)", domain, page.Total, want)
			}
		}

		// Accounts: show, patch, logout-all, password reset.
		w.check(t, "GET", acctPaths(""), nil, 200)
		w.check(t, "PATCH", acctPaths(""), map[string]string{"status": "locked"}, 200)
		w.check(t, "PATCH", acctPaths(""), map[string]string{"status": "active"}, 200)
		w.check(t, "POST", acctPaths("/logout-all"), nil, 204)
		w.check(t, "POST", acctPaths("/password"), map[string]string{}, 200)

		// Credentials: list and create by account; patch and delete by id.
		w.check(t, "GET", acctPaths("/credentials"), nil, 200)
		var ids [3]string
		for i, p := range acctPaths("/credentials") {
			r := w.global.Do("POST", p, map[string]string{"kind": "eas", "label": "Spare"})
			var created struct{ Credential struct{ ID uint64 } }
			r.JSON(t, &created)
			ids[i] = fmt.Sprintf("/api/v1/admin/credentials/%d", created.Credential.ID)
		}
		w.check(t, "PATCH", ids, map[string]string{"status": "disabled"}, 200)
		w.check(t, "DELETE", ids, nil, 204)
		w.check(t, "POST", acctPaths("/credentials"), map[string]string{"kind": "app_passcode", "label": "Mail app"}, 201)

		// Devices.
		for _, u := range []string{"bob@example.com", "olga@other.org", "tom@third.net"} {
			eastest.PhoneFor(t, w.s, u, w.passwordOf(t, u), "phone1")
		}
		w.check(t, "GET", acctPaths("/devices"), nil, 200)
		w.check(t, "POST", acctPaths("/devices/phone1/reset"), nil, 204)
		w.check(t, "POST", acctPaths("/devices-reset"), nil, 204)
		w.check(t, "POST", acctPaths("/devices/phone1/wipe"), nil, 204)
		w.check(t, "DELETE", acctPaths("/devices/phone1"), nil, 204)

		// Messages.
		raw, _ := os.ReadFile("../mailbox/testdata/multipart.eml")
		w.dana.Header.Set("Content-Type", "message/rfc822")
		w.check(t, "POST", acctPaths("/messages"), raw, 201)
		w.dana.Header.Del("Content-Type")

		// Audit: events of both domains' accounts, none of the third's.
		var audit struct {
			Items []struct{ Account, Kind string }
		}
		w.dana.Do("GET", "/api/v1/admin/audit?kind=password_set", nil).JSON(t, &audit)
		seen := map[string]bool{}
		for _, e := range audit.Items {
			seen[e.Account] = true
		}
		if !seen["bob@example.com"] || !seen["olga@other.org"] || len(seen) != 2 {
			t.Fatalf("domain admin's audit: %v", seen)
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=password_set&account=tom@third.net", nil).JSON(t, &audit)
		if len(audit.Items) == 0 {
			t.Fatal("the third domain's events exist")
		}
		w.dana.Do("GET", "/api/v1/admin/audit?account=tom@third.net", nil).JSON(t, &audit)
		if len(audit.Items) != 0 {
			t.Fatalf("domain admin sees the third domain's events: %+v", audit.Items)
		}

		// Domains: only theirs.
		var domains struct{ Items []struct{ Name string } }
		w.dana.Do("GET", "/api/v1/admin/domains", nil).JSON(t, &domains)
		if len(domains.Items) != 2 || domains.Items[0].Name != "example.com" || domains.Items[1].Name != "other.org" {
			t.Fatalf("domain admin's domains: %+v", domains)
		}
		w.check(t, "GET", [3]string{"/api/v1/admin/domains/example.com", "/api/v1/admin/domains/other.org", "/api/v1/admin/domains/third.net"}, nil, 200)
	})
}

// passwordOf: the password resets above made passwords nobody knows; set a known one.
func (w *twoDomainWorld) passwordOf(t *testing.T, email string) string {
	const pw = "Basalt-Heron-58"
	if _, err := w.s.App.Accounts.SetPassword(t.Context(), "test", email, pw, false); err != nil {
		t.Fatal(err)
	}
	return pw
}

func adminDomainsOf(t *testing.T, c *apptest.Client, email string) (int, []string) {
	t.Helper()
	var a struct {
		AdminDomains []string
	}
	r := c.Do("GET", "/api/v1/admin/accounts/"+email, nil)
	if r.StatusCode == 200 {
		r.JSON(t, &a)
	}
	return r.StatusCode, a.AdminDomains
}

func TestPatchAdminDomains(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTwoDomainWorld(t, b)
		ctx := t.Context()
		if _, _, err := w.s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "eve@example.com", Password: testPw, Role: store.RoleDomainAdmin}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.App.Accounts.CreateDomain(ctx, "test", "empty.net"); err != nil {
			t.Fatal(err)
		}
		// Without rows a domain admin administers their own domain, as before.
		if code, got := adminDomainsOf(t, w.global, "eve@example.com"); code != 200 || !slices.Equal(got, []string{"example.com"}) {
			t.Fatalf("eve: %d %v", code, got)
		}
		if code, got := adminDomainsOf(t, w.global, "bob@example.com"); code != 200 || got != nil {
			t.Fatalf("a user has admin domains: %d %v", code, got)
		}

		// A global admin sets them; the change applies at the admin's next request, and is audited.
		r := w.global.Do("PATCH", "/api/v1/admin/accounts/dana@example.com", map[string]any{"adminDomains": []string{"third.net", "other.org"}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"adminDomains":["other.org","third.net"]`) {
			t.Fatalf("set: %d %s", r.StatusCode, r.Body)
		}
		if code, _ := adminDomainsOf(t, w.dana, "bob@example.com"); code != 404 {
			t.Fatalf("dana no longer administers example.com: %d", code)
		}
		if code, _ := adminDomainsOf(t, w.dana, "tom@third.net"); code != 200 {
			t.Fatalf("dana now administers third.net: %d", code)
		}
		var audit struct {
			Items []struct{ Actor, Account, Reason string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=account_updated&account=dana@example.com", nil).JSON(t, &audit)
		if len(audit.Items) != 1 || audit.Items[0].Reason != "admin_domains=other.org,third.net" || audit.Items[0].Actor != admin {
			t.Fatalf("audit: %+v", audit.Items)
		}

		// Refused: a domain admin setting them (even inside their domains), an unknown domain,
		// admin domains for a user. Nothing changes.
		if r := w.dana.Do("PATCH", "/api/v1/admin/accounts/tom@third.net", map[string]any{"adminDomains": []string{"third.net"}}); r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
			t.Fatalf("domain admin sets admin domains: %d %s", r.StatusCode, r.Body)
		}
		if r := w.dana.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]any{"adminDomains": []string{}}); r.StatusCode != 404 {
			t.Fatalf("outside the scope it stays not found: %d", r.StatusCode)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/dana@example.com", map[string]any{"status": "locked", "adminDomains": []string{"other.org", "nowhere.test"}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `unknown domain \"nowhere.test\"`) {
			t.Fatalf("unknown domain: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]any{"adminDomains": []string{"other.org"}}); r.StatusCode != 400 {
			t.Fatalf("admin domains for a user: %d %s", r.StatusCode, r.Body)
		}
		if a, _ := w.s.App.Accounts.Get(ctx, "dana@example.com"); a.Status != store.StatusActive {
			t.Fatalf("a refused patch locked dana: %s", a.Status)
		}
		if code, got := adminDomainsOf(t, w.global, "dana@example.com"); code != 200 || !slices.Equal(got, []string{"other.org", "third.net"}) {
			t.Fatalf("after refused patches: %v", got)
		}

		// A domain admin looking at another sees only the domains they share.
		if code, got := adminDomainsOf(t, w.dana, "eve@example.com"); code != 404 || got != nil {
			t.Fatalf("eve is outside dana's domains now: %d", code)
		}
		w.global.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]any{"adminDomains": []string{"example.com", "empty.net"}})
		w.global.Do("PATCH", "/api/v1/admin/accounts/dana@example.com", map[string]any{"adminDomains": []string{"example.com", "other.org"}})
		if code, got := adminDomainsOf(t, w.dana, "eve@example.com"); code != 200 || !slices.Equal(got, []string{"example.com"}) {
			t.Fatalf("dana looking at eve: %d %v", code, got)
		}
		// Nor may she take over eve, another domain admin, by password or role: whether eve's
		// domains reach beyond hers or not, another administrator's account is read-only to her.
		for _, eveDomains := range [][]string{{"example.com", "empty.net"}, {"other.org"}} {
			w.global.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]any{"adminDomains": eveDomains})
			if r := w.dana.Do("POST", "/api/v1/admin/accounts/eve@example.com/password", map[string]string{}); r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
				t.Fatalf("dana resets the password of domain admin eve of %v: %d %s", eveDomains, r.StatusCode, r.Body)
			}
			if r := w.dana.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]string{"role": "user"}); r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
				t.Fatalf("dana changes the role of domain admin eve of %v: %d %s", eveDomains, r.StatusCode, r.Body)
			}
		}
		w.global.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]any{"adminDomains": []string{"example.com", "empty.net"}})

		// A domain without accounts that is someone's admin domain cannot be deleted.
		if r := w.global.Do("DELETE", "/api/v1/admin/domains/empty.net", nil); r.StatusCode != 409 || r.ErrorCode() != "in_use" || !strings.Contains(string(r.Body), "domain admin") {
			t.Fatalf("delete an admin domain: %d %s", r.StatusCode, r.Body)
		}

		// Leaving the domain_admin role removes them; so does an empty list.
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/eve@example.com", map[string]any{"role": "user"}); r.StatusCode != 200 || strings.Contains(string(r.Body), "adminDomains") {
			t.Fatalf("role user: %d %s", r.StatusCode, r.Body)
		}
		eve, _ := w.s.App.Accounts.Get(ctx, "eve@example.com")
		if rows, _ := w.s.App.Store.AdminDomainsOf(ctx, eve.ID); len(rows) != 0 {
			t.Fatalf("rows left after the role change: %+v", rows)
		}
		if r := w.global.Do("DELETE", "/api/v1/admin/domains/empty.net", nil); r.StatusCode != 204 {
			t.Fatalf("delete once nobody administers it: %d %s", r.StatusCode, r.Body)
		}
		r = w.global.Do("PATCH", "/api/v1/admin/accounts/dana@example.com", map[string]any{"adminDomains": []string{}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"adminDomains":["example.com"]`) {
			t.Fatalf("back to the own domain: %d %s", r.StatusCode, r.Body)
		}
		if code, _ := adminDomainsOf(t, w.dana, "olga@other.org"); code != 404 {
			t.Fatalf("dana still administers other.org: %d", code)
		}
	})
}
