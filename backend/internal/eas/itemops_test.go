package eas_test

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml/libwbxmltest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestAttachments(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	p, inbox := eastest.Provisioned(t, s, "dev1")
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	raw, _ := os.ReadFile("../mailbox/testdata/multipart.eml")
	s.App.Mailbox.Deliver(t.Context(), acct.ID, raw)
	key := eastest.InitialKey(t, p, inbox)
	r := must(p.SyncOne(inbox, key))
	atts := r.Body.Child("AirSync:Collections").Child("AirSync:Collection").Child("AirSync:Commands").Child("AirSync:Add").
		Child("AirSync:ApplicationData").Child("AirSyncBase:Attachments").All("AirSyncBase:Attachment")
	if len(atts) != 1 || atts[0].TextOf("AirSyncBase:DisplayName") != "agenda.pdf" {
		t.Fatalf("attachments in Sync: %s", r.Body)
	}
	ref := atts[0].TextOf("AirSyncBase:FileReference")
	fetch := wbxml.New("ItemOperations:ItemOperations", wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSyncBase:FileReference", ref)))
	props := must(p.Do("ItemOperations", fetch)).Body.Child("Response").Child("Fetch").Child("Properties")
	data, _ := base64.StdEncoding.DecodeString(props.TextOf("Data"))
	if props.TextOf("AirSyncBase:ContentType") != "application/pdf" || string(data) != "%PDF-1.4\n" {
		t.Fatalf("ItemOperations attachment: %s", props)
	}
	old := *p
	old.Version = "12.1"
	r2, err := old.DoRaw("GetAttachment", nil)
	if err != nil || r2.HTTPStatus != 400 {
		t.Fatalf("GetAttachment without a name: %v %d", err, r2.HTTPStatus)
	}
	old.Params = map[string][]string{"AttachmentName": {ref}}
	r2, _ = old.DoRaw("GetAttachment", nil)
	if r2.HTTPStatus != 200 || string(r2.Raw) != "%PDF-1.4\n" || r2.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GetAttachment: %d %q %s", r2.HTTPStatus, r2.Raw, r2.Header.Get("Content-Type"))
	}
	// Another account's file reference is not served.
	if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "eve@example.com", Password: "Granite-Falcon-63"}); err != nil {
		t.Fatal(err)
	}
	eve := eastest.PhoneFor(t, s, "eve@example.com", "Granite-Falcon-63", "evedev")
	if props := must(eve.Do("ItemOperations", fetch)).Body.Child("Response").Child("Fetch"); props.TextOf("Status") != "15" {
		t.Fatalf("eve fetched admin's attachment: %s", props)
	}
}

// libAttachment is an AirSyncBase:Attachment as libwbxml prints it.
type libAttachment struct {
	DisplayName   string
	FileReference string
	ContentId     string
	IsInline      string
}

// libwbxmlAttachments decodes a Sync response with libwbxml (not our decoder) and returns its
// attachments in order.
func libwbxmlAttachments(t *testing.T, raw []byte) []libAttachment {
	t.Helper()
	libwbxmltest.Need(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "sync.wbxml"), filepath.Join(dir, "sync.xml")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	libwbxmltest.Run(t, "wbxml2xml", "-k", "-l", "ACTIVESYNC", "-m", "0", "-o", out, in)
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var atts []libAttachment
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Attachment" {
			var a libAttachment
			if err := dec.DecodeElement(&a, &se); err != nil {
				t.Fatal(err)
			}
			atts = append(atts, a)
		}
	}
	return atts
}

// A multipart/related HTML mail: its cid: images reach the phone as Attachments with IsInline 1
// and their ContentId (a nameless one with a made-up name), at 12.1, 14.1 and 16.1; each is
// fetched by its FileReference (ItemOperations; GetAttachment where the version has it) with
// the bytes of the mail.
func TestInlineImagesReachThePhone(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		raw, err := os.ReadFile("../mailbox/testdata/inline.eml")
		if err != nil {
			t.Fatal(err)
		}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, raw); err != nil {
			t.Fatal(err)
		}
		logo, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
		photo, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC")
		want := []struct {
			name, cid, inline string
			data              []byte
		}{
			{"image-1.png", "logo@example.org", "1", logo},
			{"photo.png", "photo.1@example.org", "1", photo},
			{"agenda.pdf", "agenda@example.org", "0", []byte("%PDF-1.4\n")},
		}
		for _, ver := range []string{"12.1", "14.1", "16.1"} {
			p, inbox := eastest.ProvisionedAt(t, s, ver, "inl"+ver[:2])
			key := eastest.InitialKey(t, p, inbox)
			opts := wbxml.New("AirSync:Options", wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "2")))
			r := must(p.SyncOne(inbox, key, opts))
			atts := libwbxmlAttachments(t, r.Raw)
			if len(atts) != len(want) {
				t.Fatalf("%s: attachments as libwbxml reads them: %+v\n%s", ver, atts, r.Body)
			}
			for i, w := range want {
				a := atts[i]
				if a.DisplayName != w.name || a.ContentId != w.cid || a.IsInline != w.inline || a.FileReference == "" {
					t.Errorf("%s attachment %d: %+v, want %s %s IsInline %s", ver, i, a, w.name, w.cid, w.inline)
				}
				fetch := wbxml.New("ItemOperations:ItemOperations", wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"),
					wbxml.NewText("AirSyncBase:FileReference", a.FileReference)))
				props := must(p.Do("ItemOperations", fetch)).Body.Child("Response").Child("Fetch").Child("Properties")
				data, _ := base64.StdEncoding.DecodeString(props.TextOf("Data"))
				if !bytes.Equal(data, w.data) {
					t.Errorf("%s fetch %s: %q", ver, a.FileReference, data)
				}
				if ver != "16.1" { // GetAttachment is gone from 16.0 on
					g := *p
					g.Params = map[string][]string{"AttachmentName": {a.FileReference}}
					if r, err := g.DoRaw("GetAttachment", nil); err != nil || r.HTTPStatus != 200 || !bytes.Equal(r.Raw, w.data) {
						t.Errorf("%s GetAttachment %s: %v %+v", ver, a.FileReference, err, r)
					}
				}
			}
		}
	})
}
