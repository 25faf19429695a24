package httpapi_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	adminsvc "github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// provisioned returns a provisioned 14.1 phone and its Inbox id, with FolderSync done.
func provisioned(t *testing.T, s *apptest.Server, deviceID string) (*easclient.Client, string) {
	t.Helper()
	p := phone(t, s, "14.1", deviceID)
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs := okFn(t)(p.FolderSync("0")).Body
	for _, a := range fs.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			return p, a.TextOf("ServerId")
		}
	}
	t.Fatal("no Inbox")
	return nil, ""
}

func TestEASBadInputs(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	p, inbox := provisioned(t, s, "dev1")
	// Malformed WBXML: 400, and the device goes on working.
	if r, _ := p.DoRaw("Sync", []byte{0x03, 0x01, 0x6a, 0x00, 0x45, 0xff, 0xff}); r.HTTPStatus != 400 {
		t.Fatalf("malformed WBXML: %d", r.HTTPStatus)
	}
	if r, _ := p.DoRaw("Sync", []byte("<Sync/>")); r.HTTPStatus != 400 {
		t.Fatalf("XML instead of WBXML: %d", r.HTTPStatus)
	}
	// A huge body: 413 without reading it all.
	if r, _ := p.DoRaw("Sync", bytes.Repeat([]byte{0}, 17<<20)); r.HTTPStatus != 413 {
		t.Fatalf("huge body: %d", r.HTTPStatus)
	}
	// A wrong DeviceId: 400.
	bad := *p
	bad.DeviceID = "not/valid"
	if r, _ := bad.FolderSync("0"); r.HTTPStatus != 400 {
		t.Fatalf("bad DeviceId: %d", r.HTTPStatus)
	}
	// An unknown command: 501.
	if r, _ := p.Do("Frobnicate", nil); r.HTTPStatus != 501 {
		t.Fatalf("unknown command: %d", r.HTTPStatus)
	}
	// A wrong policy key: Status 144 in the body (14.0+).
	wrong := *p
	wrong.PolicyKey = "12345"
	if r, _ := wrong.FolderSync("0"); r.Body == nil || r.Body.TextOf("Status") != "144" {
		t.Fatalf("wrong policy key: %d %v", r.HTTPStatus, r.Body)
	}
	// Protocol errors inside well-formed documents get the command's status.
	must := okFn(t)
	if r := must(p.Do("Sync", wbxml.New("AirSync:Sync", wbxml.New("Collections")))); r.Body.TextOf("Status") != "4" {
		t.Fatalf("Sync without collections: %s", r.Body)
	}
	if r := must(p.Do("Sync", nil)); r.Body.TextOf("Status") != "13" {
		t.Fatalf("empty Sync before any full one: %s", r.Body)
	}
	if r := must(p.Do("Sync", wbxml.New("AirSync:Sync", wbxml.NewText("Wait", "90"), wbxml.New("Collections",
		wbxml.New("Collection", wbxml.NewText("SyncKey", "0"), wbxml.NewText("CollectionId", inbox)))))); r.Body.TextOf("Status") != "14" {
		t.Fatalf("Wait of 90 minutes: %s", r.Body)
	}
	if r := must(p.SyncOne("999999", "0")); easclient.Collection(r.Body, "999999").TextOf("AirSync:Status") != "12" {
		t.Fatalf("unknown folder: %s", r.Body)
	}
	if r := must(p.FolderSync("7-bogus")); r.Body.TextOf("Status") != "9" {
		t.Fatalf("unknown FolderSync key: %s", r.Body)
	}
	// Everything still works after all that.
	if r := must(p.SyncOne(inbox, "0")); easclient.Collection(r.Body, inbox).TextOf("AirSync:Status") != "1" {
		t.Fatalf("after bad inputs: %s", r.Body)
	}
}

func pingBody(hb string, folders ...string) *wbxml.Node {
	fs := wbxml.New("Folders")
	for _, f := range folders {
		fs.Add(wbxml.New("Folder", wbxml.NewText("Id", f), wbxml.NewText("Class", "Email")))
	}
	return wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", hb), fs)
}

func TestPingRules(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	must := okFn(t)
	p, inbox := provisioned(t, s, "dev1")
	key := easclient.Collection(must(p.SyncOne(inbox, "0")).Body, inbox).TextOf("AirSync:SyncKey")
	_ = key
	if r := must(p.Do("Ping", pingBody("30", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "60" {
		t.Fatalf("heartbeat below the minimum: %s", r.Body)
	}
	if r := must(p.Do("Ping", pingBody("4000", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "3540" {
		t.Fatalf("heartbeat above the maximum: %s", r.Body)
	}
	if r := must(p.Do("Ping", nil)); r.Body.TextOf("Status") != "3" {
		t.Fatalf("empty Ping with nothing before: %s", r.Body)
	}
	// A newer Ping from the same device ends the older one (Status 1), and an empty Ping
	// reuses the last parameters.
	first := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", pingBody("300", inbox)); first <- r }()
	waitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	second := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", nil); second <- r }()
	select {
	case r := <-first:
		if r.Body.TextOf("Status") != "1" {
			t.Fatalf("superseded Ping: %s", r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the older Ping was not ended by the newer one")
	}
	waitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	// Removing the device ends its Ping with Status 7 (folder sync required).
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	if err := s.App.Devices.Remove(t.Context(), acct.ID, "dev1"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-second:
		if r.HTTPStatus != 200 || r.Body.TextOf("Status") != "7" {
			t.Fatalf("Ping of a removed device: %d %v", r.HTTPStatus, r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("removing the device did not end its Ping")
	}
	waitFor(t, func() bool { return s.App.EAS.HeldPings() == 0 })
}

func TestOtherCommands(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	must := okFn(t)
	p, inbox := provisioned(t, s, "dev1")
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	it, _ := s.App.Mailbox.Deliver(t.Context(), acct.ID, mail(1))
	key := easclient.Collection(must(p.SyncOne(inbox, "0")).Body, inbox).TextOf("AirSync:SyncKey")

	est := wbxml.New("GetItemEstimate:GetItemEstimate", wbxml.New("Collections", wbxml.New("Collection",
		wbxml.NewText("AirSync:SyncKey", key), wbxml.NewText("CollectionId", inbox))))
	if r := must(p.Do("GetItemEstimate", est)); r.Body.Child("Response").Child("Collection").TextOf("Estimate") != "1" {
		t.Fatalf("GetItemEstimate: %s", r.Body)
	}

	fetch := wbxml.New("ItemOperations:ItemOperations", wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"),
		wbxml.NewText("AirSync:ServerId", strconv.FormatUint(it.ID, 10)), wbxml.New("Options", wbxml.NewText("AirSync:MIMESupport", "2"),
			wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "4")))))
	r := must(p.Do("ItemOperations", fetch))
	props := r.Body.Child("Response").Child("Fetch").Child("Properties")
	if body := props.Child("AirSyncBase:Body"); body.TextOf("AirSyncBase:Type") != "4" || body.TextOf("AirSyncBase:Data") != string(it.MIME) {
		t.Fatalf("ItemOperations MIME fetch: %s", r.Body)
	}

	fs := must(p.FolderSync("0")).Body
	trash := ""
	for _, a := range fs.Child("Changes").All("Add") {
		if a.TextOf("Type") == "4" {
			trash = a.TextOf("ServerId")
		}
	}
	mv := wbxml.New("Move:MoveItems", wbxml.New("Move", wbxml.NewText("SrcMsgId", strconv.FormatUint(it.ID, 10)), wbxml.NewText("SrcFldId", inbox), wbxml.NewText("DstFldId", trash)),
		wbxml.New("Move", wbxml.NewText("SrcMsgId", "424242"), wbxml.NewText("SrcFldId", inbox), wbxml.NewText("DstFldId", trash)))
	r = must(p.Do("MoveItems", mv))
	resps := r.Body.All("Response")
	if len(resps) != 2 || resps[0].TextOf("Status") != "3" || resps[0].TextOf("DstMsgId") == strconv.FormatUint(it.ID, 10) || resps[1].TextOf("Status") != "1" {
		t.Fatalf("MoveItems: %s", r.Body)
	}

	set := wbxml.New("Settings:Settings",
		wbxml.New("UserInformation", wbxml.New("Get")),
		wbxml.New("DeviceInformation", wbxml.New("Set", wbxml.NewText("Model", "iPhone15,2"), wbxml.NewText("FriendlyName", "Anna's iPhone"), wbxml.NewText("OS", "iOS 18.1"))),
		wbxml.New("Oof", wbxml.New("Set", wbxml.NewText("OofState", "1"), wbxml.New("OofMessage", wbxml.New("AppliesToInternal"),
			wbxml.NewText("Enabled", "1"), wbxml.NewText("ReplyMessage", "On holiday"), wbxml.NewText("BodyType", "Text")))))
	r = must(p.Do("Settings", set))
	if r.Body.TextOf("Status") != "1" || !strings.Contains(r.Body.String(), admin) || r.Body.Child("Oof").TextOf("Status") != "1" {
		t.Fatalf("Settings: %s", r.Body)
	}
	r = must(p.Do("Settings", wbxml.New("Settings:Settings", wbxml.New("Oof", wbxml.New("Get", wbxml.NewText("BodyType", "Text"))))))
	get := r.Body.Child("Oof").Child("Get")
	if get.TextOf("OofState") != "1" || get.Child("OofMessage").TextOf("ReplyMessage") != "On holiday" {
		t.Fatalf("Oof get: %s", r.Body)
	}
	dev, _ := s.App.Store.DeviceOf(t.Context(), acct.ID, "dev1")
	if dev.Model != "iPhone15,2" || dev.FriendlyName != "Anna's iPhone" || dev.OS != "iOS 18.1" {
		t.Fatalf("device information: %+v", dev)
	}
	// The settings page lists it.
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	var devs struct {
		Items []struct {
			DeviceID, Model string
			Provisioned     bool
		}
	}
	c.Do("GET", "/api/v1/me/devices", nil).JSON(t, &devs)
	if len(devs.Items) != 1 || devs.Items[0].DeviceID != "dev1" || devs.Items[0].Model != "iPhone15,2" || !devs.Items[0].Provisioned {
		t.Fatalf("/me/devices: %+v", devs.Items)
	}
}

func TestDevicePasswordPolicyAndRemoteWipe(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	s.App.Store.Gorm().Exec("UPDATE domains SET eas_require_device_password = true WHERE name = 'example.com'")
	p := phone(t, s, "16.1", "dev1")
	doc, err := p.Provision()
	if err != nil {
		t.Fatal(err)
	}
	pd := doc.Child("Policies").Child("Policy").Child("Data").Child("EASProvisionDoc")
	if pd.TextOf("DevicePasswordEnabled") != "1" || pd.TextOf("MinDevicePasswordLength") != "4" {
		t.Fatalf("policy with a domain that requires a device password: %s", pd)
	}
	// An admin asks for a wipe: the next command sends the device to Provision, which delivers it.
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	dev, _ := s.App.Store.DeviceOf(t.Context(), acct.ID, "dev1")
	wipe := store.WipeRequested
	if err := s.App.Store.UpdateDevice(t.Context(), dev.ID, store.DevicePatch{WipeState: &wipe}); err != nil {
		t.Fatal(err)
	}
	if r, _ := p.FolderSync("0"); r.Body.TextOf("Status") != "142" {
		t.Fatalf("command with a wipe pending: %v", r.Body)
	}
	r := okFn(t)(p.Do("Provision", wbxml.New("Provision:Provision", wbxml.New("Policies", wbxml.New("Policy",
		wbxml.NewText("PolicyType", "MS-EAS-Provisioning-WBXML"))))))
	if !r.Body.Has("RemoteWipe") {
		t.Fatalf("wipe not delivered: %s", r.Body)
	}
	okFn(t)(p.Do("Provision", wbxml.New("Provision:Provision", wbxml.New("RemoteWipe", wbxml.NewText("Status", "1")))))
	dev, _ = s.App.Store.DeviceOf(t.Context(), acct.ID, "dev1")
	if dev.WipeState != store.WipeDone {
		t.Fatalf("wipe state = %q", dev.WipeState)
	}
	_ = http.StatusOK
}

// A class of service without ActiveSync: the password is right, the answer is 403.
func TestEASDisabledByCOS(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	p := phone(t, s, "14.1", "dev1")
	if code := easOptions(t, s, admin, p.Pass); code != 200 {
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
	if code := easOptions(t, s, admin, p.Pass); code != 403 {
		t.Fatalf("EAS disabled by the COS: %d", code)
	}
	if r, _ := p.FolderSync("0"); r.HTTPStatus != 403 {
		t.Fatalf("command with EAS disabled: %d", r.HTTPStatus)
	}
	if code := easOptions(t, s, admin, "wrong"); code != 401 {
		t.Fatalf("a wrong password is still 401 first: %d", code)
	}
}

func TestFolderCommands(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	must := okFn(t)
	p, inbox := provisioned(t, s, "dev1")
	hkey := must(p.FolderSync("0")).Body.TextOf("SyncKey")
	create := func(key, parent, name, typ string) *wbxml.Node {
		return must(p.Do("FolderCreate", wbxml.New("FolderHierarchy:FolderCreate", wbxml.NewText("SyncKey", key),
			wbxml.NewText("ParentId", parent), wbxml.NewText("DisplayName", name), wbxml.NewText("Type", typ)))).Body
	}
	r := create(hkey, "0", "Projects", "12")
	projects := r.TextOf("ServerId")
	if r.TextOf("Status") != "1" || projects == "" || r.TextOf("SyncKey") == hkey {
		t.Fatalf("FolderCreate: %s", r)
	}
	hkey = r.TextOf("SyncKey")
	if r := create(hkey, "0", "projects", "12"); r.TextOf("Status") != "2" {
		t.Fatalf("same name again: %s", r)
	}
	if r := create(hkey, "424242", "Orphan", "12"); r.TextOf("Status") != "5" {
		t.Fatalf("missing parent: %s", r)
	}
	if r := create("9-bogus", "0", "X", "12"); r.TextOf("Status") != "9" {
		t.Fatalf("bad key: %s", r)
	}
	r = create(hkey, projects, "2026", "12")
	sub := r.TextOf("ServerId")
	hkey = r.TextOf("SyncKey")
	// The device's own changes are not reported back by FolderSync.
	if r := must(p.FolderSync(hkey)).Body; r.Child("Changes").TextOf("Count") != "0" {
		t.Fatalf("FolderSync after own creates: %s", r)
	}
	upd := must(p.Do("FolderUpdate", wbxml.New("FolderHierarchy:FolderUpdate", wbxml.NewText("SyncKey", hkey),
		wbxml.NewText("ServerId", projects), wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Work")))).Body
	if upd.TextOf("Status") != "1" {
		t.Fatalf("FolderUpdate: %s", upd)
	}
	hkey = upd.TextOf("SyncKey")
	if r := must(p.Do("FolderUpdate", wbxml.New("FolderHierarchy:FolderUpdate", wbxml.NewText("SyncKey", hkey),
		wbxml.NewText("ServerId", inbox), wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Renamed Inbox")))).Body; r.TextOf("Status") != "3" {
		t.Fatalf("renaming the Inbox: %s", r)
	}
	// A second device sees the changes made by the first.
	p2, _ := provisioned(t, s, "dev2")
	fs := must(p2.FolderSync("0")).Body
	names := map[string]string{}
	for _, a := range fs.Child("Changes").All("Add") {
		names[a.TextOf("ServerId")] = a.TextOf("DisplayName") + "@" + a.TextOf("ParentId")
	}
	if names[projects] != "Work@0" || names[sub] != "2026@"+projects {
		t.Fatalf("second device's hierarchy: %v", names)
	}
	h2 := fs.TextOf("SyncKey")
	del := must(p.Do("FolderDelete", wbxml.New("FolderHierarchy:FolderDelete", wbxml.NewText("SyncKey", hkey), wbxml.NewText("ServerId", projects)))).Body
	if del.TextOf("Status") != "1" {
		t.Fatalf("FolderDelete: %s", del)
	}
	if r := must(p.FolderSync(del.TextOf("SyncKey"))).Body; r.Child("Changes").TextOf("Count") != "0" {
		t.Fatalf("FolderSync after own delete: %s", r)
	}
	r2 := must(p2.FolderSync(h2)).Body
	if r2.Child("Changes").TextOf("Count") != "2" || len(r2.Child("Changes").All("Delete")) != 2 {
		t.Fatalf("second device after the delete: %s", r2)
	}
	if r := must(p.Do("FolderDelete", wbxml.New("FolderHierarchy:FolderDelete", wbxml.NewText("SyncKey", del.TextOf("SyncKey")), wbxml.NewText("ServerId", projects)))).Body; r.TextOf("Status") != "4" {
		t.Fatalf("deleting it again: %s", r)
	}
}

// A Ping ends with Status 7 when the folder hierarchy changes under it.
func TestPingHierarchyChanged(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	must := okFn(t)
	p, inbox := provisioned(t, s, "dev1")
	must(p.SyncOne(inbox, "0"))
	done := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", pingBody("300", inbox)); done <- r }()
	waitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	if _, err := s.App.Mailbox.CreateFolder(t.Context(), acct.ID, 0, "Made on the web", 12); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.Body.TextOf("Status") != "7" {
			t.Fatalf("Ping after a hierarchy change: %s", r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a hierarchy change did not end the Ping")
	}
}

// Notes exist only from 14.0: a 12.1 device is not offered the Notes folder, and its Ping is
// not told the hierarchy changed because of it.
func TestNotesFolderHiddenFrom121(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	p := phone(t, s, "12.1", "old1")
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs := okFn(t)(p.FolderSync("0")).Body
	if fs.Child("Changes").TextOf("Count") != "8" || folderOfType(fs, "10") != "" {
		t.Fatalf("12.1 hierarchy: %s", fs)
	}
	inbox := folderOfType(fs, "2")
	okFn(t)(p.SyncOne(inbox, "0"))
	done := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", pingBody("60", inbox)); done <- r }()
	waitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	select {
	case r := <-done:
		t.Fatalf("12.1 Ping answered at once (a hierarchy change that is not there?): %s", r.Body)
	case <-time.After(500 * time.Millisecond):
	}
	s.App.EAS.Shutdown()
	if r := <-done; r.Body.TextOf("Status") != "1" {
		t.Fatalf("Ping at shutdown: %s", r.Body)
	}
}
