package eas_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A phone that lost a Sync answer retries with the key it sent: it gets the same answer again,
// SyncKey included, so the key of the first answer — which it may have kept after all — stays
// good. Mail that arrives in between is not slipped into the replay (the first answer lacked
// it): it comes with the next Sync, from either answer.
func TestEASSyncRetryKeepsTheKey(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p, inbox := eastest.Provisioned(t, s, "dev1")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		deliver := func(i int) {
			t.Helper()
			if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(i)); err != nil {
				t.Fatal(err)
			}
		}
		syncKey := func(key string, extra ...*wbxml.Node) (string, *wbxml.Node) {
			t.Helper()
			r := must(p.SyncOne(inbox, key, extra...))
			col := easclient.Collection(r.Body, inbox)
			if col == nil {
				return "", nil
			}
			if col.TextOf("AirSync:Status") != "1" {
				t.Fatalf("Sync %s: %s", key, r.Body)
			}
			return col.TextOf("AirSync:SyncKey"), col
		}
		k1, _ := syncKey("0")
		deliver(1)
		deliver(2)
		window := wbxml.NewText("AirSync:WindowSize", "1")
		k2, col := syncKey(k1, window)
		if got := strings.Join(eastest.Adds(col), ","); got != "Hello 1" || !col.Has("AirSync:MoreAvailable") {
			t.Fatalf("k1: %s", col)
		}
		// The answer was lost: the retry gets it again, the same key, the same MoreAvailable.
		again, col := syncKey(k1, window)
		if again != k2 || strings.Join(eastest.Adds(col), ",") != "Hello 1" || !col.Has("AirSync:MoreAvailable") {
			t.Fatalf("retry of k1: key %s (first %s) %s", again, k2, col)
		}
		// New mail arrives, and the answer is lost once more: the replay does not take it in.
		deliver(3)
		again, col = syncKey(k1, window)
		if again != k2 || strings.Join(eastest.Adds(col), ",") != "Hello 1" {
			t.Fatalf("retry of k1 after new mail: key %s (first %s) %s", again, k2, col)
		}
		// k2 works, whichever of the answers the phone kept, and nothing is lost or repeated.
		k3, col := syncKey(k2)
		if got := strings.Join(eastest.Adds(col), ","); got != "Hello 2,Hello 3" {
			t.Fatalf("k2: %v %s", got, col)
		}
		if k3 == k2 || k3 == "" {
			t.Fatalf("k3 = %q", k3)
		}
		// The key two answers back is unknown now; k2 is the previous key, and replays k3.
		if r := must(p.SyncOne(inbox, k1)); easclient.Collection(r.Body, inbox).TextOf("AirSync:Status") != "3" {
			t.Fatalf("k1 after k3: %s", r.Body)
		}
		deliver(9) // without a window this time: the replay still leaves the new mail out
		if again, col = syncKey(k2); again != k3 || strings.Join(eastest.Adds(col), ",") != "Hello 2,Hello 3" {
			t.Fatalf("retry of k2 after new mail: key %s (first %s) %s", again, k3, col)
		}

		// A retried answer whose item was deleted since: left out, and its Delete comes next.
		deliver(4)
		k4, col := syncKey(k3)
		if got := strings.Join(eastest.Adds(col), ","); got != "Hello 9,Hello 4" {
			t.Fatalf("k3: %s", col)
		}
		gone := col.Child("AirSync:Commands").All("AirSync:Add")[1].TextOf("AirSync:ServerId")
		if err := s.App.Mailbox.Delete(t.Context(), acct.ID, eastest.ParseID(gone)); err != nil {
			t.Fatal(err)
		}
		if again, col = syncKey(k3); again != k4 || strings.Join(eastest.Adds(col), ",") != "Hello 9" {
			t.Fatalf("retry of k3 after the delete: key %s (first %s) %s", again, k4, col)
		}
		k5, col := syncKey(k4)
		if eastest.Ops(col)["Delete"] != 1 || col.Child("AirSync:Commands").Child("AirSync:Delete").TextOf("AirSync:ServerId") != gone {
			t.Fatalf("k4 after the delete: %s", col)
		}

		// A retry that resends a read flag: applied again, answered with the same key, and the
		// phone's own change does not come back to it afterwards.
		deliver(5)
		k6, col := syncKey(k5)
		id5 := col.Child("AirSync:Commands").Child("AirSync:Add").TextOf("AirSync:ServerId")
		if eastest.Adds(col)[0] != "Hello 5" {
			t.Fatalf("k5: %s", col)
		}
		read := wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", id5),
			wbxml.New("ApplicationData", wbxml.NewText("Email:Read", "1"))))
		k7, _ := syncKey(k6, read)
		if again, col = syncKey(k6, read); again != k7 || col.Has("AirSync:Commands") || col.Has("AirSync:Responses") {
			t.Fatalf("retry of k6 with its change: key %s (first %s) %s", again, k7, col)
		}
		if it, _ := s.App.Store.ItemOf(t.Context(), acct.ID, eastest.ParseID(id5)); !it.Read {
			t.Fatal("read flag not stored")
		}
		if _, col := syncKey(k7); col.Has("AirSync:Commands") {
			t.Fatalf("the phone's own change came back after the retry: %s", col)
		}
	})
}

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
			p, inbox := eastest.ProvisionedAt(t, s, version, "conv"+version[:2])
			key := eastest.InitialKey(t, p, inbox)
			col := easclient.Collection(eastest.OK(t)(p.SyncOne(inbox, key)).Body, inbox)
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
