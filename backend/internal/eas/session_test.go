package eas_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A whole phone session: Provision → FolderSync → Sync 0 → Sync → a delivery → Ping wakes →
// Sync gets the new mail → mark read → retry with the old key → reset → Status 3 → resync.
func TestPhoneSession(t *testing.T) {
	for _, version := range []string{"12.1", "14.1", "16.1"} {
		t.Run(version, func(t *testing.T) {
			storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) { phoneSession(t, b, version) })
		})
	}
}

func phoneSession(t *testing.T, b storetest.Backend, version string) {
	must := eastest.OK(t)
	s := apptest.Start(t, b)
	p := eastest.NewPhone(t, s, version, "Appl79032X2WA4S")
	acct, _ := s.App.Accounts.Get(t.Context(), admin)

	// Not provisioned yet.
	r, _ := p.FolderSync("0")
	if version == "12.1" && r.HTTPStatus != 449 || version != "12.1" && (r.Body == nil || r.Body.TextOf("Status") != "142") {
		t.Fatalf("unprovisioned FolderSync: HTTP %d %v", r.HTTPStatus, r.Body)
	}
	doc, err := p.Provision()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Child("Policies").Child("Policy").Child("Data").Child("EASProvisionDoc").TextOf("DevicePasswordEnabled") != "0" {
		t.Fatalf("policy document: %s", doc)
	}

	fs := must(p.FolderSync("0")).Body
	wantFolders := "9"
	if version == "12.1" {
		wantFolders = "8" // no Notes before 14.0
	}
	if fs.TextOf("Status") != "1" || fs.Child("Changes").TextOf("Count") != wantFolders {
		t.Fatalf("FolderSync 0: %s", fs)
	}
	inbox := ""
	for _, a := range fs.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			inbox = a.TextOf("ServerId")
		}
	}
	hkey := fs.TextOf("SyncKey")
	if fs2 := must(p.FolderSync(hkey)).Body; fs2.Child("Changes").TextOf("Count") != "0" {
		t.Fatalf("second FolderSync: %s", fs2)
	}

	r = must(p.SyncOne(inbox, "0"))
	col := easclient.Collection(r.Body, inbox)
	key := col.TextOf("AirSync:SyncKey")
	if col.TextOf("AirSync:Status") != "1" || key == "" || col.Has("AirSync:Commands") {
		t.Fatalf("Sync 0: %s", r.Body)
	}
	for i := 1; i <= 3; i++ {
		if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(i)); err != nil {
			t.Fatal(err)
		}
	}
	opts := wbxml.New("AirSync:Options", wbxml.New("AirSyncBase:BodyPreference",
		wbxml.NewText("AirSyncBase:Type", "1"), wbxml.NewText("AirSyncBase:TruncationSize", "10")))
	r = must(p.SyncOne(inbox, key, wbxml.NewText("AirSync:WindowSize", "2"), opts))
	col = easclient.Collection(r.Body, inbox)
	if got := eastest.Adds(col); strings.Join(got, ",") != "Hello 1,Hello 2" || !col.Has("AirSync:MoreAvailable") {
		t.Fatalf("first window: %v\n%s", got, r.Body)
	}
	eastest.LibwbxmlDecodes(t, r.Raw, "Hello 1", "Hello 2", "AirSyncBase:")
	ad := col.Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
	body := ad.Child("AirSyncBase:Body")
	if body.TextOf("AirSyncBase:Data") != "Body of me" || body.TextOf("AirSyncBase:Truncated") != "1" ||
		ad.TextOf("Email:From") != `"Sender 1" <sender1@example.org>` || ad.TextOf("Email:Read") != "0" {
		t.Fatalf("ApplicationData: %s", ad)
	}
	firstKey := key
	key = col.TextOf("AirSync:SyncKey")
	r = must(p.SyncOne(inbox, key, opts))
	col = easclient.Collection(r.Body, inbox)
	if got := eastest.Adds(col); strings.Join(got, ",") != "Hello 3" || col.Has("AirSync:MoreAvailable") {
		t.Fatalf("second window: %v", got)
	}
	lostKey := key
	key = col.TextOf("AirSync:SyncKey")
	// The phone lost that response and retries with the same key: the same answer, not a resync.
	r = must(p.SyncOne(inbox, lostKey, opts))
	col = easclient.Collection(r.Body, inbox)
	if got := eastest.Adds(col); strings.Join(got, ",") != "Hello 3" || col.TextOf("AirSync:Status") != "1" {
		t.Fatalf("retry with the previous key: %v\n%s", got, r.Body)
	}
	key = col.TextOf("AirSync:SyncKey")
	if r := must(p.SyncOne(inbox, firstKey)); easclient.Collection(r.Body, inbox).TextOf("AirSync:Status") != "3" {
		t.Fatalf("a key two states old: %s", r.Body)
	}
	// Nothing changed: an empty response, and the key stays.
	if r := must(p.SyncOne(inbox, key)); len(r.Raw) != 0 {
		t.Fatalf("idle Sync answered %s", r.Body)
	}

	// Ping wakes on a delivery.
	type pingResult struct {
		r   *easclient.Response
		err error
		at  time.Time
	}
	done := make(chan pingResult, 1)
	go func() {
		r, err := p.Do("Ping", wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", "120"),
			wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email")))))
		done <- pingResult{r, err, time.Now()}
	}()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	delivered := time.Now()
	if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(4)); err != nil {
		t.Fatal(err)
	}
	select {
	case pr := <-done:
		if pr.err != nil || pr.r.Body.TextOf("Status") != "2" || pr.r.Body.Child("Folders").TextOf("Folder") != inbox {
			t.Fatalf("Ping: %v %v", pr.err, pr.r.Body)
		}
		if lat := pr.at.Sub(delivered); lat > 2*time.Second {
			t.Fatalf("Ping woke %v after the delivery", lat)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ping did not wake on a delivery")
	}
	r = must(p.SyncOne(inbox, key))
	col = easclient.Collection(r.Body, inbox)
	if got := eastest.Adds(col); strings.Join(got, ",") != "Hello 4" {
		t.Fatalf("after the Ping: %v", got)
	}
	newID := col.Child("AirSync:Commands").Child("AirSync:Add").TextOf("AirSync:ServerId")
	key = col.TextOf("AirSync:SyncKey")

	// Mark read on the phone: applied, and not echoed back.
	change := wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", newID),
		wbxml.New("ApplicationData", wbxml.NewText("Email:Read", "1"))))
	r = must(p.SyncOne(inbox, key, change))
	col = easclient.Collection(r.Body, inbox)
	if col.Has("AirSync:Commands") || col.Has("AirSync:Responses") || col.TextOf("AirSync:Status") != "1" {
		t.Fatalf("after marking read: %s", r.Body)
	}
	key = col.TextOf("AirSync:SyncKey")
	it, _ := s.App.Store.ItemOf(t.Context(), acct.ID, eastest.ParseID(newID))
	if !it.Read {
		t.Fatal("read flag not stored")
	}
	if r := must(p.SyncOne(inbox, key)); len(r.Raw) != 0 {
		t.Fatalf("the phone's own change came back: %s", r.Body)
	}

	// The operator resets the device: Sync says 3, FolderSync 9, and it resyncs from 0.
	if _, err := s.App.Devices.Reset(t.Context(), acct.ID, p.DeviceID); err != nil {
		t.Fatal(err)
	}
	if r := must(p.SyncOne(inbox, key)); easclient.Collection(r.Body, inbox).TextOf("AirSync:Status") != "3" {
		t.Fatalf("Sync after reset: %s", r.Body)
	}
	if r := must(p.FolderSync(hkey)); r.Body.TextOf("Status") != "9" {
		t.Fatalf("FolderSync after reset: %s", r.Body)
	}
	must(p.FolderSync("0"))
	key = eastest.InitialKey(t, p, inbox)
	r = must(p.SyncOne(inbox, key))
	if got := eastest.Adds(easclient.Collection(r.Body, inbox)); len(got) != 4 {
		t.Fatalf("resync: %v", got)
	}
	devs, _ := s.App.Devices.List(t.Context(), acct.ID)
	if len(devs) != 1 || devs[0].ProtocolVersion != version || devs[0].PolicyKey != p.PolicyKey || devs[0].UserAgent != "TesseraTestPhone/1.0" {
		t.Fatalf("device record: %+v", devs)
	}
}
