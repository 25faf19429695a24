package eas_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// mailAged is a message that arrived that many days ago less half a day (so that no filter
// window starts near it).
func mailAged(days int) []byte {
	at := time.Now().Add(-time.Duration(days)*24*time.Hour + 12*time.Hour)
	if days == 0 {
		at = time.Now()
	}
	return []byte(fmt.Sprintf("From: <s@example.org>\r\nTo: admin@example.com\r\nSubject: %dd\r\nDate: %s\r\n"+
		"Message-ID: <aged%d@example.org>\r\n\r\nAged %d days.\r\n", days, at.Format(time.RFC1123Z), days, days))
}

func filterOpt(f string) *wbxml.Node {
	return wbxml.New("AirSync:Options", wbxml.NewText("AirSync:FilterType", f))
}

// A FilterType change moves the device's window: what leaves it is a SoftDelete (the device
// drops its copy, the server keeps the item), what enters it an Add; nothing the device has is
// added again, nothing it never had is deleted, and a retry of the previous key gets the same
// answer. Time that passes moves the window too. On 14.1 and 16.1, SQLite and MariaDB.
func TestEASFilterTypeChangeSoftDeletes(t *testing.T) {
	for _, version := range []string{"14.1", "16.1"} {
		t.Run(version, func(t *testing.T) {
			storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
				testFilterWindow(t, b, version)
			})
		})
	}
}

func testFilterWindow(t *testing.T, b storetest.Backend, version string) {
	s := apptest.Start(t, b)
	ctx := t.Context()
	p, inbox := eastest.ProvisionedAt(t, s, version, "filter"+strings.ReplaceAll(version, ".", ""))
	acct, _ := s.App.Accounts.Get(ctx, admin)
	ids := map[string]uint64{}
	for _, d := range []int{1, 2, 5, 10, 20} {
		it, err := s.App.Mailbox.Deliver(ctx, acct.ID, mailAged(d))
		if err != nil {
			t.Fatal(err)
		}
		ids[fmt.Sprintf("%dd", d)] = it.ID
	}
	names := map[uint64]string{}
	for n, id := range ids {
		names[id] = n
	}
	// ops lists an answer's commands as "Op name", sorted.
	ops := func(col *wbxml.Node) string {
		var out []string
		if cmds := col.Child("AirSync:Commands"); cmds != nil {
			for _, c := range cmds.Children {
				out = append(out, c.Local()+" "+names[eastest.ParseID(c.TextOf("AirSync:ServerId"))])
			}
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	sy := &eastest.Syncer{T: t, P: p, Coll: inbox}
	sy.Key = easclient.Collection(eastest.OK(t)(p.SyncOne(inbox, "0", filterOpt("2"))).Body, inbox).TextOf("AirSync:SyncKey")
	step := func(what, want string, extra ...*wbxml.Node) *wbxml.Node {
		t.Helper()
		col := sy.Sync(extra...)
		if got := ops(col); got != want {
			t.Fatalf("%s: got %q, want %q\n%s", what, got, want, col)
		}
		return col
	}
	step("3 days", "Add 1d,Add 2d", filterOpt("2"))
	step("3 days → 1 week", "Add 5d", filterOpt("3"))
	prev := sy.Key
	r := eastest.OK(t)(p.SyncOne(inbox, sy.Key, filterOpt("2")))
	col := easclient.Collection(r.Body, inbox)
	if got := ops(col); got != "SoftDelete 5d" {
		t.Fatalf("1 week → 3 days: %q\n%s", got, col)
	}
	eastest.LibwbxmlDecodes(t, r.Raw, fmt.Sprintf("<SoftDelete><ServerId>%d</ServerId></SoftDelete>", ids["5d"]))
	next := col.TextOf("AirSync:SyncKey")
	// The answer was lost: the previous key gets it again, under the same key.
	sy.Key = prev
	if step("retry", "SoftDelete 5d", filterOpt("2")); sy.Key != next {
		t.Fatalf("retry answered key %s, want %s", sy.Key, next)
	}
	// The server still has it; a delete of an item outside the window is not the device's.
	if _, err := s.App.Mailbox.Item(ctx, acct.ID, ids["5d"]); err != nil {
		t.Fatalf("soft-deleted item gone from the server: %v", err)
	}
	if err := s.App.Mailbox.Delete(ctx, acct.ID, ids["10d"]); err != nil {
		t.Fatal(err)
	}
	step("delete outside the window", "", filterOpt("2"))
	// Wider, in windows of one, newest first: no re-Add of 1d and 2d.
	win := wbxml.NewText("AirSync:WindowSize", "1")
	col = step("3 days → 1 month, first window", "Add 5d", filterOpt("5"), win)
	if !col.Has("AirSync:MoreAvailable") {
		t.Fatalf("no MoreAvailable: %s", col)
	}
	if col := step("second window", "Add 20d", filterOpt("5"), win); col.Has("AirSync:MoreAvailable") {
		t.Fatalf("nothing left, got %s", col)
	}
	// A Sync without a FilterType keeps the last one.
	step("no FilterType", "")
	// The estimate counts what the window's move would bring.
	est := func(filter string) string {
		opts := wbxml.New("AirSync:Options", wbxml.NewText("AirSync:FilterType", filter))
		r := eastest.OK(t)(p.Do("GetItemEstimate", wbxml.New("GetItemEstimate:GetItemEstimate", wbxml.New("Collections",
			wbxml.New("Collection", wbxml.NewText("AirSync:SyncKey", sy.Key), wbxml.NewText("CollectionId", inbox), opts)))))
		return r.Body.Child("Response").Child("Collection").TextOf("Estimate")
	}
	if got := est("1"); got != "3" { // 1 day keeps only 1d (half a day old): 2d, 5d and 20d leave
		t.Fatalf("estimate at 1 day: %s", got)
	}
	// Fifteen days later: 20d is 35 days old, out of the month.
	s.App.EAS.SetClock(func() time.Time { return time.Now().Add(15 * 24 * time.Hour) })
	step("15 days later", "SoftDelete 20d")
	// New mail within the window comes as ever; an old one outside it does not.
	if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, mailAged(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, mailAged(40)); err != nil {
		t.Fatal(err)
	}
	if got := ops(sy.Sync()); got != "Add " {
		t.Fatalf("new mail: %q", got)
	}
	// Everything: 20d and 40d enter, nothing else.
	if got := ops(sy.Sync(filterOpt("0"))); got != "Add ,Add 20d" {
		t.Fatalf("all: %q", got)
	}
	step("all, again", "", filterOpt("0"))
}
