package eas_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func TestOtherCommands(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	p, inbox := eastest.Provisioned(t, s, "dev1")
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	it, _ := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(1))
	key := eastest.InitialKey(t, p, inbox)

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
