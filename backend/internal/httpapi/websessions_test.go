package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type webSessions struct {
	Items []struct {
		ID                 uint64
		Browser, UserAgent string
		IP                 string
		Current            bool
	}
}

const (
	firefoxUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	chromeUA  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

func uaClient(s *apptest.Server, ua string) *apptest.Client {
	c := s.Client()
	c.Header.Set("User-Agent", ua)
	return c
}

// Two logins are two sessions, listed with browser and address; ending one logs its browser
// out at once and leaves the other; another account's session id is not found.
func TestWebSessionsOwn(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		ff, ch := uaClient(w.s, firefoxUA), uaClient(w.s, chromeUA)
		ff.Login("bob@example.com", testPw)
		ch.Login("bob@example.com", testPw)
		var list webSessions
		r := ff.Do("GET", "/api/v1/me/sessions", nil)
		r.JSON(t, &list)
		// w.user is bob too (logged in without a User-Agent of ours): three sessions.
		if r.StatusCode != 200 || len(list.Items) != 3 {
			t.Fatalf("list: %d %s", r.StatusCode, r.Body)
		}
		var ffID, chID uint64
		for _, it := range list.Items {
			if it.IP != "127.0.0.1" {
				t.Errorf("ip = %q", it.IP)
			}
			switch it.UserAgent {
			case firefoxUA:
				ffID = it.ID
				if !it.Current || it.Browser != "Firefox on Linux" {
					t.Errorf("firefox entry = %+v", it)
				}
			case chromeUA:
				chID = it.ID
				if it.Current || it.Browser != "Chrome on Windows" {
					t.Errorf("chrome entry = %+v", it)
				}
			}
		}
		if ffID == 0 || chID == 0 {
			t.Fatalf("sessions not found: %s", r.Body)
		}
		// Another account's session: 404, and it keeps working.
		var olga webSessions
		olgaC := w.s.Client()
		olgaC.Login("olga@other.org", testPw)
		olgaC.Do("GET", "/api/v1/me/sessions", nil).JSON(t, &olga)
		if r := ff.Do("DELETE", fmt.Sprintf("/api/v1/me/sessions/%d", olga.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("end olga's session as bob: %d %s", r.StatusCode, r.Body)
		}
		if r := olgaC.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("olga after bob's attempt: %d", r.StatusCode)
		}
		if r := ff.Do("DELETE", "/api/v1/me/sessions/abc", nil); r.StatusCode != 400 {
			t.Fatalf("bad id: %d", r.StatusCode)
		}
		// Firefox ends Chrome.
		if r := ff.Do("DELETE", fmt.Sprintf("/api/v1/me/sessions/%d", chID), nil); r.StatusCode != 204 {
			t.Fatalf("end chrome: %d %s", r.StatusCode, r.Body)
		}
		if r := ch.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("chrome after being ended: %d", r.StatusCode)
		}
		if r := ff.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("firefox after ending chrome: %d", r.StatusCode)
		}
		ff.Do("GET", "/api/v1/me/sessions", nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("after ending one: %+v", list)
		}
		if r := ff.Do("DELETE", fmt.Sprintf("/api/v1/me/sessions/%d", chID), nil); r.StatusCode != 404 {
			t.Fatalf("ending twice: %d", r.StatusCode)
		}
		// Ending the current session is logging out.
		if r := ff.Do("DELETE", fmt.Sprintf("/api/v1/me/sessions/%d", ffID), nil); r.StatusCode != 204 {
			t.Fatalf("end own: %d %s", r.StatusCode, r.Body)
		}
		if ff.Cookie("tessera_session") != "" {
			t.Fatal("session cookie not cleared")
		}
		if r := ff.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("after ending own: %d", r.StatusCode)
		}
		events, _ := w.s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionSessionEnded})
		if len(events) != 2 || events[0].Account != "bob@example.com" {
			t.Fatalf("audit = %+v", events)
		}
		// Logging out and logging out everywhere take sessions off the list too.
		w.user.Do("POST", "/api/v1/auth/logout-all", nil)
		again := w.s.Client()
		again.Login("bob@example.com", testPw)
		again.Do("GET", "/api/v1/me/sessions", nil).JSON(t, &list)
		if len(list.Items) != 1 || !list.Items[0].Current {
			t.Fatalf("after logout-all: %+v", list)
		}
	})
}

// Administrators list and end sessions of accounts they manage, as other admin endpoints.
func TestWebSessionsAdmin(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		w.each(t, "GET", "/api/v1/admin/accounts/bob@example.com/sessions", "/api/v1/admin/accounts/olga@other.org/sessions", nil, 200)
		var list webSessions
		r := w.dadm.Do("GET", "/api/v1/admin/accounts/bob@example.com/sessions", nil)
		r.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Current {
			t.Fatalf("admin list: %s", r.Body)
		}
		var olga webSessions
		w.s.Client().Login("olga@other.org", testPw)
		w.global.Do("GET", "/api/v1/admin/accounts/olga@other.org/sessions", nil).JSON(t, &olga)
		// A session id of another account under bob's path: not found.
		if r := w.global.Do("DELETE", fmt.Sprintf("/api/v1/admin/accounts/bob@example.com/sessions/%d", olga.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("mismatched id: %d", r.StatusCode)
		}
		if r := w.dadm.Do("DELETE", fmt.Sprintf("/api/v1/admin/accounts/olga@other.org/sessions/%d", olga.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("domain admin outside: %d", r.StatusCode)
		}
		if r := w.user.Do("DELETE", fmt.Sprintf("/api/v1/admin/accounts/bob@example.com/sessions/%d", list.Items[0].ID), nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user: %d", r.StatusCode)
		}
		if r := w.dadm.Do("DELETE", fmt.Sprintf("/api/v1/admin/accounts/bob@example.com/sessions/%d", list.Items[0].ID), nil); r.StatusCode != 204 {
			t.Fatalf("domain admin ends bob's: %d %s", r.StatusCode, r.Body)
		}
		if r := w.user.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("bob after admin ended: %d", r.StatusCode)
		}
	})
}
