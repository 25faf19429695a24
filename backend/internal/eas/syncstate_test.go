package eas_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// toListFormat rewrites a collection state the way Tessera wrote it before states became a
// rule with exceptions: every item id the device holds as a list ("h").
func toListFormat(t *testing.T, state []byte, have []uint64) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(state, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"v", "k", "t", "p", "n", "a"} {
		delete(m, k)
	}
	m["h"] = have
	b, _ := json.Marshal(m)
	return b
}

// A phone that was syncing when the server still kept states as lists goes on from where it
// was: its next Sync brings only what changed (no re-Add of what it has, no Delete of what it
// never had), a retry of its previous key still gets the same answer, and the state it is left
// with is the new, small format.
func TestEASListFormatStateContinues(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		p, inbox := eastest.Provisioned(t, s, "old1")
		acct, _ := s.App.Accounts.Get(ctx, admin)
		var ids []uint64
		deliver := func(i int) {
			t.Helper()
			it, err := s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		sy := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: eastest.InitialKey(t, p, inbox)}
		k0 := sy.Key
		for i := 1; i <= 4; i++ {
			deliver(i)
		}
		if got := strings.Join(eastest.Adds(sy.Sync()), ","); got != "Hello 1,Hello 2,Hello 3,Hello 4" {
			t.Fatalf("first sync: %s", got)
		}
		k1 := sy.Key
		// The states as the old server would have left them: the current one holds 1-4, the
		// previous one (key k0) nothing.
		var row store.SyncState
		db := s.App.Store.Gorm()
		if err := db.Where("collection_id = ?", inbox).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		row.State = toListFormat(t, row.State, ids)
		row.PrevState = toListFormat(t, row.PrevState, []uint64{})
		if err := s.App.Store.SaveSyncState(ctx, &row); err != nil {
			t.Fatal(err)
		}
		// Meanwhile: a new message, a server delete of one the phone has, and one that came
		// and went without the phone ever having it.
		deliver(5)
		if err := s.App.Mailbox.Delete(ctx, acct.ID, ids[1]); err != nil {
			t.Fatal(err)
		}
		deliver(6)
		if err := s.App.Mailbox.Delete(ctx, acct.ID, ids[5]); err != nil {
			t.Fatal(err)
		}
		// The answer of k0 was lost: the retry gets it again under k1 (Hello 2 is gone since).
		sy.Key = k0
		if col := sy.Sync(); sy.Key != k1 || strings.Join(eastest.Adds(col), ",") != "Hello 1,Hello 3,Hello 4" {
			t.Fatalf("retry of k0: key %s (want %s) %s", sy.Key, k1, col)
		}
		col := sy.Sync()
		ops := eastest.Ops(col)
		if got := strings.Join(eastest.Adds(col), ","); got != "Hello 5" || ops["Delete"] != 1 || ops["Change"] != 0 {
			t.Fatalf("after conversion: adds %s ops %v %s", got, ops, col)
		}
		if del := col.Child("AirSync:Commands").Child("AirSync:Delete").TextOf("AirSync:ServerId"); eastest.ParseID(del) != ids[1] {
			t.Fatalf("deleted %s, want %d", del, ids[1])
		}
		if col := sy.Sync(); col != nil {
			t.Fatalf("nothing new, got %s", col)
		}
		// A flag change of a converted item is a Change, not an Add.
		read := true
		if _, err := s.App.Mailbox.SetFlags(ctx, acct.ID, ids[0], &read, nil); err != nil {
			t.Fatal(err)
		}
		if ops := eastest.Ops(sy.Sync()); ops["Change"] != 1 || ops["Add"] != 0 {
			t.Fatalf("flag change: %v", ops)
		}
		if err := db.Where("collection_id = ?", inbox).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(row.State), `"h"`) || !strings.Contains(string(row.State), `"v":2`) {
			t.Fatalf("state not converted: %s", row.State)
		}
	})
}

// The state of a collection does not grow with the folder: after syncing 600 messages it is
// as small as after syncing 6.
func TestEASSyncStateStaysSmall(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	ctx := t.Context()
	p, inbox := eastest.Provisioned(t, s, "small1")
	acct, _ := s.App.Accounts.Get(ctx, admin)
	sy := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: eastest.InitialKey(t, p, inbox)}
	size := func() int {
		var row store.SyncState
		if err := s.App.Store.Gorm().Where("collection_id = ?", inbox).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		var st struct {
			X json.RawMessage `json:"x"`
		}
		json.Unmarshal(row.State, &st)
		return len(row.State) - len(st.X) // without the last answer's list, which the window bounds
	}
	window := wbxml.NewText("AirSync:WindowSize", "100")
	adds := 0
	for i := 1; i <= 600; i++ {
		if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(i)); err != nil {
			t.Fatal(err)
		}
	}
	for {
		col := sy.Sync(window)
		adds += len(eastest.Adds(col))
		if !col.Has("AirSync:MoreAvailable") {
			break
		}
	}
	if adds != 600 {
		t.Fatalf("%d adds", adds)
	}
	if n := size(); n > 120 {
		t.Fatalf("state of 600 synced messages: %d bytes", n)
	}
}
