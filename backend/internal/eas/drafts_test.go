package eas_test

import (
	"bytes"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// imapDraft reads the one message of Drafts with Python's imaplib and its email parser, and
// prints its headers, body and attachments as "key: value" lines.
const imapDraft = `import imaplib, email, sys
m = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]))
m.login(sys.argv[3], sys.argv[4])
typ, data = m.select("Drafts")
print("exists:", data[0].decode())
typ, data = m.fetch("1", "(FLAGS BODY.PEEK[])")
msg = email.message_from_bytes(data[0][1])
print("flags:", data[0][0].decode())
for h in ("Subject", "To", "Cc", "Bcc", "Importance"):
    print(h.lower() + ":", msg.get(h, ""))
for part in msg.walk():
    if part.get_filename():
        print("attachment:", part.get_filename(), part.get_content_type(), part.get_payload(decode=True).decode())
    elif part.get_content_type() == "text/plain":
        print("text:", part.get_payload(decode=True).decode().strip())
m.logout()
`

// A 16.1 phone writes a draft with an attachment: the answer maps the attachment's ClientId
// to its FileReference (read by wbxml2xml too), Python's imaplib reads the draft as a real
// message in Drafts; a Change of the subject that removes the attachment and adds another
// replaces the draft (the phone gets the Delete and the Add); email2:Send sends it (Bcc
// dropped for the recipients, a copy in Sent Items, out of Drafts), also straight from an Add.
// At 14.1 a mail Add in Drafts is refused as before.
func TestDraftsAt16(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b, apptest.Options{Configure: func(c *config.Config) { c.MailPlaintextLoopback = true }})
		must := eastest.OK(t)
		ctx := t.Context()
		if _, _, err := s.App.Accounts.Create(ctx, "test", account.CreateInput{Email: "bob@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		p, _ := eastest.ProvisionedAt(t, s, "16.1", "d16")
		drafts := eastest.FolderOfType(must(p.FolderSync("0")).Body, "3")
		dr := &eastest.Syncer{T: t, P: p, Coll: drafts, Key: "0"}
		dr.Sync()

		add := wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "d1"), wbxml.New("ApplicationData",
			wbxml.NewText("Email:To", `"Bob" <bob@example.com>`), wbxml.NewText("Email2:Bcc", "admin@example.com"),
			wbxml.NewText("Email:Subject", "Quarterly figures"), wbxml.NewText("Email:Importance", "2"),
			wbxml.New("AirSyncBase:Body", wbxml.NewText("AirSyncBase:Type", "1"), wbxml.NewText("AirSyncBase:Data", "Figures attached.")),
			wbxml.New("AirSyncBase:Attachments", wbxml.New("AirSyncBase:Add", wbxml.NewText("AirSyncBase:ClientId", "a1"),
				wbxml.NewOpaque("AirSyncBase:Content", []byte("q,total\n3,1200\n")), wbxml.NewText("AirSyncBase:ContentType", "text/csv"),
				wbxml.NewText("AirSyncBase:DisplayName", "figures.csv"), wbxml.NewText("AirSyncBase:Method", "1"))))))
		r := must(p.SyncOne(drafts, dr.Key, add))
		col := easclient.Collection(r.Body, drafts)
		dr.Key = col.TextOf("AirSync:SyncKey")
		resp := col.Child("AirSync:Responses").Child("AirSync:Add")
		sid := resp.TextOf("AirSync:ServerId")
		att := resp.Child("AirSync:ApplicationData").Child("AirSyncBase:Attachments").Child("AirSyncBase:Attachment")
		if resp.TextOf("AirSync:Status") != "1" || sid == "" || att.TextOf("AirSyncBase:ClientId") != "a1" ||
			att.TextOf("AirSyncBase:FileReference") != sid+":0" {
			t.Fatalf("draft Add: %s", col)
		}
		eastest.LibwbxmlDecodes(t, r.Raw, "<ClientId>d1</ClientId>", "<ServerId>"+sid+"</ServerId>", "<FileReference>"+sid+":0</FileReference>")
		if col.Child("AirSync:Commands") != nil {
			t.Fatalf("the phone's own draft came back: %s", col)
		}

		// IMAP sees a real message.
		imapSrv := s.App.NewIMAPServer(nil)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go imapSrv.Serve(ln)
		t.Cleanup(func() { imapSrv.Close() })
		host, port, _ := strings.Cut(ln.Addr().String(), ":")
		out, err := exec.Command(py, "-c", imapDraft, host, port, admin, davPasscode(t, s)).CombinedOutput()
		if err != nil {
			t.Fatalf("imaplib: %v\n%s", err, out)
		}
		for _, want := range []string{"exists: 1", `\Seen`, `\Draft`, "subject: Quarterly figures", `to: "Bob" <bob@example.com>`, "bcc: <admin@example.com>",
			"importance: high", "text: Figures attached.", "attachment: figures.csv text/csv q,total\n3,1200"} {
			if !strings.Contains(string(out), want) {
				t.Fatalf("imaplib lacks %q:\n%s", want, out)
			}
		}

		// A Change: new subject, the attachment swapped. The draft is replaced.
		change := wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", sid), wbxml.New("ApplicationData",
			wbxml.NewText("Email:Subject", "Quarterly figures v2"),
			wbxml.New("AirSyncBase:Attachments",
				wbxml.New("AirSyncBase:Delete", wbxml.NewText("AirSyncBase:FileReference", sid+":0")),
				wbxml.New("AirSyncBase:Add", wbxml.NewText("AirSyncBase:ClientId", "a2"), wbxml.NewOpaque("AirSyncBase:Content", []byte("see Q4")),
					wbxml.NewText("AirSyncBase:ContentType", "text/plain"), wbxml.NewText("AirSyncBase:DisplayName", "notes.txt"),
					wbxml.NewText("AirSyncBase:Method", "1"))))))
		col = dr.Sync(change)
		ch := col.Child("AirSync:Responses").Child("AirSync:Change")
		if ops := eastest.Ops(col); ch.TextOf("AirSync:Status") != "1" || ops["Delete"] != 1 || ops["Add"] != 1 {
			t.Fatalf("draft Change: %s", col)
		}
		newAdd := col.Child("AirSync:Commands").Child("AirSync:Add")
		newSID := newAdd.TextOf("AirSync:ServerId")
		ad := newAdd.Child("AirSync:ApplicationData")
		names := ad.Child("AirSyncBase:Attachments").All("AirSyncBase:Attachment")
		if ad.TextOf("Email:Subject") != "Quarterly figures v2" || len(names) != 1 || names[0].TextOf("AirSyncBase:DisplayName") != "notes.txt" ||
			ch.Child("AirSync:ApplicationData").Child("AirSyncBase:Attachments").Child("AirSyncBase:Attachment").TextOf("AirSyncBase:FileReference") != newSID+":0" {
			t.Fatalf("the changed draft: %s", col)
		}
		acct, _ := s.App.Accounts.Get(ctx, admin)
		stored, err := s.App.Mailbox.Item(ctx, acct.ID, eastest.ParseID(newSID))
		if err != nil || !bytes.Contains(stored.MIME, []byte("Bcc: <admin@example.com>")) || stored.Importance != 2 || !strings.Contains(stored.BodyText, "Figures attached.") {
			t.Fatalf("what the Change kept: %v %s", err, stored.MIME)
		}

		// Send it.
		col = dr.Sync(wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", newSID), wbxml.New("Email2:Send"), wbxml.New("ApplicationData"))))
		if col.Child("AirSync:Responses").Child("AirSync:Change").TextOf("AirSync:Status") != "1" || eastest.Ops(col)["Delete"] != 1 {
			t.Fatalf("draft Send: %s", col)
		}
		if got := eastest.FolderItems(t, s, "bob@example.com", mailbox.TypeInbox); len(got) != 1 || got[0] != "Quarterly figures v2" {
			t.Fatalf("bob's Inbox: %v", got)
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeSentItems); len(got) != 1 || got[0] != "Quarterly figures v2" {
			t.Fatalf("Sent Items: %v", got)
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeDrafts); len(got) != 0 {
			t.Fatalf("Drafts after sending: %v", got)
		}
		bob, _ := s.App.Accounts.Get(ctx, "bob@example.com")
		inbox, _ := s.App.Mailbox.FolderByType(ctx, bob.ID, mailbox.TypeInbox)
		items, _ := s.App.Mailbox.Changes(ctx, inbox.ID, 0, 10)
		if bytes.Contains(bytes.ToLower(items[0].MIME), []byte("bcc:")) || !bytes.Contains(items[0].MIME, []byte("notes.txt")) {
			t.Fatalf("what bob got:\n%s", items[0].MIME)
		}

		// Sent straight from an Add.
		col = dr.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "d2"), wbxml.New("Email2:Send"), wbxml.New("ApplicationData",
			wbxml.NewText("Email:To", "bob@example.com"), wbxml.NewText("Email:Subject", "Quick note"),
			wbxml.New("AirSyncBase:Body", wbxml.NewText("AirSyncBase:Type", "2"), wbxml.NewText("AirSyncBase:Data", "<p>Hi</p>"))))))
		if col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:Status") != "1" {
			t.Fatalf("Add with Send: %s", col)
		}
		if got := eastest.FolderItems(t, s, "bob@example.com", mailbox.TypeInbox); len(got) != 2 {
			t.Fatalf("bob's Inbox after the second: %v", got)
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeDrafts); len(got) != 0 {
			t.Fatalf("Drafts after Add with Send: %v", got)
		}

		// 14.1: no drafts by Sync.
		p14, _ := eastest.Provisioned(t, s, "d14")
		must(p14.FolderSync("0"))
		old := &eastest.Syncer{T: t, P: p14, Coll: drafts, Key: "0"}
		old.Sync()
		col = old.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "x1"), wbxml.New("ApplicationData",
			wbxml.NewText("Email:Subject", "old phone")))))
		if col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:Status") != "6" {
			t.Fatalf("a 14.1 draft Add: %s", col)
		}
	})
}
