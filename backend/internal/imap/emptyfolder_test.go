package imap_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// A phone empties Deleted Items (EAS ItemOperations EmptyFolderContents): an IMAP session
// that has the folder selected hears an EXPUNGE per message at its next NOOP, and STATUS
// counts none.
func TestPhoneEmptiesTrash(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		h, err := e.app.Handler()
		if err != nil {
			t.Fatal(err)
		}
		web := httptest.NewServer(h)
		defer web.Close()
		_, sec, err := e.app.Credentials.Create(ctx, e.acct, "eas", "Phone", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		p := &easclient.Client{BaseURL: web.URL, User: userEmail, Pass: sec.Password, DeviceID: "IMAPEF1", DeviceType: "iPhone", Version: "16.1"}
		if _, err := p.Provision(); err != nil {
			t.Fatal(err)
		}
		trash := e.folder(4)
		for _, subj := range []string{"One", "Two"} {
			it := e.deliver("alice@example.org", subj, "bye")
			if _, err := e.app.Mailbox.Move(ctx, e.acct.ID, it.ID, trash.ID); err != nil {
				t.Fatal(err)
			}
		}
		c := e.login()
		mustHave(t, c.ok(`SELECT "Deleted Items"`), "* 2 EXISTS")

		cid := strconv.FormatUint(trash.ID, 10)
		r, err := p.Do("ItemOperations", wbxml.New("ItemOperations:ItemOperations",
			wbxml.New("EmptyFolderContents", wbxml.NewText("AirSync:CollectionId", cid))))
		if err != nil || r.HTTPStatus != 200 || r.Body.Child("Response").Child("EmptyFolderContents").TextOf("Status") != "1" {
			t.Fatalf("EmptyFolderContents: %v %+v", err, r)
		}
		lines := c.ok("NOOP")
		n := 0
		for _, l := range lines {
			if l == "* 1 EXPUNGE" || l == "* 2 EXPUNGE" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("NOOP after the phone emptied the trash: %q", lines)
		}
		mustHave(t, c.ok(`STATUS "Deleted Items" (MESSAGES)`), "MESSAGES 0")
	})
}
