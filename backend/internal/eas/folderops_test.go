package eas_test

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func TestFolderCommands(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	p, inbox := eastest.Provisioned(t, s, "dev1")
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
	p2, _ := eastest.Provisioned(t, s, "dev2")
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
