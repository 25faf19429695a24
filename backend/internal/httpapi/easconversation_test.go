package httpapi_test

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A synced mail carries its Email2:ConversationId from 14.0 on (MS-ASCMD: Sync and
// ItemOperations send it with every message), the same value a Search result carries, so a
// phone can thread what it synced; 12.1 has no ConversationId.
func TestSyncedMailCarriesConversationId(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		for _, subject := range []string{"Lunch", "Re: Lunch"} {
			if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, dated(subject, "Mon, 2 Nov 2026 10:00:00 +0000")); err != nil {
				t.Fatal(err)
			}
		}
		for _, version := range []string{"12.1", "14.1", "16.1"} {
			p := phone(t, s, version, "conv"+version[:2])
			if _, err := p.Provision(); err != nil {
				t.Fatal(err)
			}
			inbox := ""
			for _, a := range okFn(t)(p.FolderSync("0")).Body.Child("Changes").All("Add") {
				if a.TextOf("Type") == "2" {
					inbox = a.TextOf("ServerId")
				}
			}
			key := easclient.Collection(okFn(t)(p.SyncOne(inbox, "0")).Body, inbox).TextOf("AirSync:SyncKey")
			col := easclient.Collection(okFn(t)(p.SyncOne(inbox, key)).Body, inbox)
			ids := map[string]bool{}
			for _, a := range col.Child("AirSync:Commands").All("AirSync:Add") {
				d := a.Child("AirSync:ApplicationData")
				if version == "12.1" {
					if d.Has("Email2:ConversationId") {
						t.Fatalf("ConversationId at 12.1: %s", d)
					}
					continue
				}
				id := d.Child("Email2:ConversationId")
				if id == nil || len(id.Opaque) == 0 {
					t.Fatalf("%s: no ConversationId in %s", version, d)
				}
				ids[string(id.Opaque)] = true
			}
			if version != "12.1" && len(ids) != 1 {
				t.Fatalf("%s: a mail and its reply in %d conversations", version, len(ids))
			}
		}
	})
}
