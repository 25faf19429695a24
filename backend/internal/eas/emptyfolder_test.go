package eas_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// emptyFolder is an ItemOperations EmptyFolderContents of one collection.
func emptyFolder(cid string, subfolders bool) *wbxml.Node {
	e := wbxml.New("EmptyFolderContents", wbxml.NewText("AirSync:CollectionId", cid))
	if subfolders {
		e.Add(wbxml.New("Options", wbxml.New("DeleteSubFolders")))
	}
	return wbxml.New("ItemOperations:ItemOperations", e)
}

// EmptyFolderContents of Deleted Items at 14.1 and 16.1: the answer (read by libwbxml too) says
// done; the emptying device's next Sync and another device's Sync bring a Delete per mail; the
// mailbox (what IMAP STATUS and DAV read) holds none; DeleteSubFolders takes the user
// subfolder, and without it a subfolder stays. Another account's folder, an unknown one and a
// request without a CollectionId get statuses, and nothing of the owner's goes.
func TestEmptyFolderContents(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		must := eastest.OK(t)
		acct, _ := s.App.Accounts.Get(ctx, admin)
		trash, err := s.App.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeDeletedItems)
		if err != nil {
			t.Fatal(err)
		}
		cid := strconv.FormatUint(trash.ID, 10)
		for n, ver := range []string{"14.1", "16.1"} {
			for i := 0; i < 3; i++ {
				if _, err := s.App.Mailbox.Store(ctx, acct.ID, trash.ID, eastest.Mail(i), false); err != nil {
					t.Fatal(err)
				}
			}
			sub, err := s.App.Mailbox.CreateFolder(ctx, acct.ID, trash.ID, "Old "+ver, mailbox.TypeUserMail)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Mailbox.Store(ctx, acct.ID, sub.ID, eastest.Mail(5), false); err != nil {
				t.Fatal(err)
			}
			p, _ := eastest.ProvisionedAt(t, s, ver, "ef1"+strconv.Itoa(n))
			other, _ := eastest.ProvisionedAt(t, s, ver, "ef2"+strconv.Itoa(n))
			mine := &eastest.Syncer{T: t, P: p, Coll: cid, Key: eastest.InitialKey(t, p, cid)}
			theirs := &eastest.Syncer{T: t, P: other, Coll: cid, Key: eastest.InitialKey(t, other, cid)}
			if got := eastest.Ops(mine.Sync())["Add"]; got != 3 {
				t.Fatalf("%s: phone holds %d mails of Deleted Items", ver, got)
			}
			if got := eastest.Ops(theirs.Sync())["Add"]; got != 3 {
				t.Fatalf("%s: other phone holds %d mails", ver, got)
			}

			r := must(p.Do("ItemOperations", emptyFolder(cid, true)))
			e := r.Body.Child("Response").Child("EmptyFolderContents")
			if r.Body.TextOf("Status") != "1" || e.TextOf("Status") != "1" || e.TextOf("AirSync:CollectionId") != cid {
				t.Fatalf("%s: EmptyFolderContents answer: %s", ver, r.Body)
			}
			eastest.LibwbxmlDecodes(t, r.Raw, "<EmptyFolderContents>", "<Status>1</Status>", `<CollectionId xmlns="AirSync:">`+cid+"</CollectionId>")

			if ops := eastest.Ops(mine.Sync()); ops["Delete"] != 3 || ops["Add"] != 0 {
				t.Fatalf("%s: emptying phone's next Sync: %v", ver, ops)
			}
			if ops := eastest.Ops(theirs.Sync()); ops["Delete"] != 3 || ops["Add"] != 0 {
				t.Fatalf("%s: other phone's next Sync: %v", ver, ops)
			}
			if msgs, _, err := s.App.Mailbox.Counts(ctx, acct.ID, trash.ID); err != nil || msgs != 0 {
				t.Fatalf("%s: Deleted Items still holds %d (%v)", ver, msgs, err)
			}
			if _, err := s.App.Mailbox.Folder(ctx, acct.ID, sub.ID); !errors.Is(err, mailbox.ErrNoFolder) {
				t.Fatalf("%s: DeleteSubFolders left the subfolder: %v", ver, err)
			}
			if _, err := s.App.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeDeletedItems); err != nil {
				t.Fatalf("%s: Deleted Items itself gone: %v", ver, err)
			}
		}

		// Without DeleteSubFolders a subfolder stays, with its mail.
		inbox, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeInbox)
		keep, err := s.App.Mailbox.CreateFolder(ctx, acct.ID, inbox.ID, "Keep", mailbox.TypeUserMail)
		if err != nil {
			t.Fatal(err)
		}
		s.App.Mailbox.Store(ctx, acct.ID, keep.ID, eastest.Mail(7), false)
		s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(8))
		p, _ := eastest.Provisioned(t, s, "ef3")
		inboxID := strconv.FormatUint(inbox.ID, 10)
		if st := must(p.Do("ItemOperations", emptyFolder(inboxID, false))).Body.Child("Response").Child("EmptyFolderContents").TextOf("Status"); st != "1" {
			t.Fatalf("emptying the Inbox: status %s", st)
		}
		if msgs, _, _ := s.App.Mailbox.Counts(ctx, acct.ID, inbox.ID); msgs != 0 {
			t.Fatalf("Inbox still holds %d", msgs)
		}
		if msgs, _, err := s.App.Mailbox.Counts(ctx, acct.ID, keep.ID); err != nil || msgs != 1 {
			t.Fatalf("subfolder without DeleteSubFolders: %d %v", msgs, err)
		}

		// Another account's folder is refused and keeps its mail; bad requests get statuses.
		if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "eve@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		eve := eastest.PhoneFor(t, s, "eve@example.com", "Granite-Falcon-63", "evedev")
		keepID := strconv.FormatUint(keep.ID, 10)
		for _, c := range []struct {
			body *wbxml.Node
			want string
		}{
			{emptyFolder(keepID, true), "6"},
			{emptyFolder("999999", false), "6"},
			{emptyFolder("junk", false), "6"},
			{wbxml.New("ItemOperations:ItemOperations", wbxml.New("EmptyFolderContents")), "2"},
		} {
			r := must(eve.Do("ItemOperations", c.body))
			if st := r.Body.Child("Response").Child("EmptyFolderContents").TextOf("Status"); st != c.want {
				t.Errorf("eve's %s: status %s, want %s", c.body, st, c.want)
			}
			eastest.LibwbxmlDecodes(t, r.Raw, "<Status>"+c.want+"</Status>")
		}
		if msgs, _, _ := s.App.Mailbox.Counts(ctx, acct.ID, keep.ID); msgs != 1 {
			t.Fatalf("eve emptied admin's folder: %d left", msgs)
		}
		if _, err := s.App.Mailbox.Folder(ctx, acct.ID, keep.ID); err != nil {
			t.Fatalf("eve's request touched admin's folder: %v", err)
		}
	})
}
