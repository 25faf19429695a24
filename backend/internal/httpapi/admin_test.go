package httpapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestAdminDelivery(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		s.App.Accounts.CreateDomain(ctx, "test", "other.org")
		for _, in := range []account.CreateInput{
			{Email: "bob@example.com", Password: "Granite-Falcon-63"},
			{Email: "dana@other.org", Password: "Granite-Falcon-63", Role: "domain_admin"},
		} {
			if _, _, err := s.App.Accounts.Create(ctx, "test", in); err != nil {
				t.Fatal(err)
			}
		}
		raw, _ := os.ReadFile("../mailbox/testdata/multipart.eml")
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		c.Header.Set("Content-Type", "message/rfc822")
		r := c.Do("POST", "/api/v1/admin/accounts/bob@example.com/messages", raw)
		if r.StatusCode != 201 || !strings.Contains(string(r.Body), `"subject":"Café meeting"`) {
			t.Fatalf("deliver: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("POST", "/api/v1/admin/accounts/nobody@example.com/messages", raw); r.StatusCode != 404 {
			t.Fatalf("unknown account: %d", r.StatusCode)
		}
		if r := c.Do("POST", "/api/v1/admin/accounts/bob@example.com/messages", "not a message at all\x00"); r.StatusCode != 400 || r.ErrorCode() != "invalid_message" {
			t.Fatalf("garbage: %d %s", r.StatusCode, r.Body)
		}
		// A domain admin of other.org may not deliver to example.com; a user is no admin at all.
		d := s.Client()
		d.Login("dana@other.org", "Granite-Falcon-63")
		d.Header.Set("Content-Type", "message/rfc822")
		if r := d.Do("POST", "/api/v1/admin/accounts/bob@example.com/messages", raw); r.StatusCode != 404 {
			t.Fatalf("domain admin of another domain (404, not a hint that it exists): %d", r.StatusCode)
		}
		u := s.Client()
		u.Login("bob@example.com", "Granite-Falcon-63")
		u.Header.Set("Content-Type", "message/rfc822")
		if r := u.Do("POST", "/api/v1/admin/accounts/bob@example.com/messages", raw); r.StatusCode != 403 {
			t.Fatalf("plain user: %d", r.StatusCode)
		}
		acct, _ := s.App.Accounts.Get(ctx, "bob@example.com")
		inbox, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, 2)
		items, _ := s.App.Mailbox.Changes(ctx, inbox.ID, 0, 10)
		if len(items) != 1 || string(items[0].MIME) != string(raw) {
			t.Fatalf("bob's inbox: %d items", len(items))
		}
	})
}
