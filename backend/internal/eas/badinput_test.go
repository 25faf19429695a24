package eas_test

import (
	"bytes"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func TestEASBadInputs(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p, inbox := eastest.Provisioned(t, s, "dev1")
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
	must := eastest.OK(t)
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
