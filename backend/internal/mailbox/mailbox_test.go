package mailbox_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestParseMultipart(t *testing.T) {
	raw, err := os.ReadFile("testdata/multipart.eml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := mailbox.Parse(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Café meeting" || !strings.Contains(p.From, "zoe@example.org") || !strings.Contains(p.From, "Zoë") ||
		!strings.Contains(p.To, "bob@example.com") || p.Cc != "carol@example.com" || p.From != `"Zoë Sender" <zoe@example.org>` || p.To != `"Alice" <alice@example.com>, bob@example.com` || p.Importance != 2 || p.MessageID != "m1@example.org" {
		t.Fatalf("headers = %+v", p)
	}
	if strings.TrimSpace(p.Text) != "See you at the café." || !strings.Contains(p.HTML, "<b>café</b>") {
		t.Fatalf("bodies = %q / %q", p.Text, p.HTML)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Name != "agenda.pdf" || p.Attachments[0].Size != 9 {
		t.Fatalf("attachments = %+v", p.Attachments)
	}
	if want := time.Date(2026, 11, 17, 8, 30, 0, 0, time.UTC); !p.Date.Equal(want) {
		t.Fatalf("date = %v", p.Date)
	}
	if _, err := mailbox.Parse([]byte("\x00\x01garbage"), time.Now()); err == nil {
		t.Fatal("garbage parsed as a message")
	}
}

func seedAccount(t *testing.T, s *store.Store) uint64 {
	ctx := context.Background()
	d, _ := s.CreateDomain(ctx, "example.com")
	a := &store.Account{Email: "alice@example.com", DomainID: d.ID, PasswordHash: "h", Role: "user", Status: "active"}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func TestDeliverChangesMoveDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acct := seedAccount(t, s)
		n := mailbox.NewLocalNotifier()
		mb := mailbox.New(s, n)
		fs, err := mb.Folders(ctx, acct)
		if err != nil || len(fs) != 9 || fs[0].DisplayName != "Inbox" || fs[0].Type != mailbox.TypeInbox {
			t.Fatalf("default folders = %+v, %v", fs, err)
		}
		if again, _ := mb.Folders(ctx, acct); len(again) != 9 {
			t.Fatalf("defaults created twice: %d", len(again))
		}
		changes, stop := n.Subscribe(acct)
		defer stop()
		raw, _ := os.ReadFile("testdata/multipart.eml")
		it, err := mb.Deliver(ctx, acct, raw)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-changes:
			if c.FolderID != fs[0].ID {
				t.Fatalf("change = %+v", c)
			}
		case <-time.After(time.Second):
			t.Fatal("delivery woke nobody")
		}
		second, _ := mb.Deliver(ctx, acct, raw)
		if second.ModSeq != it.ModSeq+1 {
			t.Fatalf("seqs %d then %d", it.ModSeq, second.ModSeq)
		}
		got, _ := mb.Item(ctx, acct, it.ID)
		if string(got.MIME) != string(raw) || got.Subject != "Café meeting" || got.Read {
			t.Fatalf("stored item = %+v", got.Subject)
		}
		read := true
		upd, err := mb.SetFlags(ctx, acct, it.ID, &read, nil)
		if err != nil || !upd.Read || upd.ModSeq != second.ModSeq+1 {
			t.Fatalf("SetFlags = %+v, %v", upd, err)
		}
		list, _ := mb.Changes(ctx, fs[0].ID, second.ModSeq, 100)
		if len(list) != 1 || list[0].ID != it.ID {
			t.Fatalf("changes after %d = %+v", second.ModSeq, list)
		}
		trash := fs[2]
		moved, err := mb.Move(ctx, acct, it.ID, trash.ID)
		if err != nil || moved.ID == it.ID || moved.FolderID != trash.ID || string(moved.MIME) != string(raw) {
			t.Fatalf("Move = %+v, %v", moved, err)
		}
		if _, err := mb.Item(ctx, acct, it.ID); err != mailbox.ErrNoItem {
			t.Fatalf("the moved item is still live in the Inbox: %v", err)
		}
		inboxChanges, _ := mb.Changes(ctx, fs[0].ID, 0, 100)
		if len(inboxChanges) != 2 || !inboxChanges[1].Deleted || inboxChanges[1].ID != it.ID {
			t.Fatalf("Inbox changes = %+v", inboxChanges)
		}
		if err := mb.Delete(ctx, acct, second.ID); err != nil {
			t.Fatal(err)
		}
		live, deleted, _ := mb.CountChanges(ctx, fs[0].ID, 0)
		if live != 0 || deleted != 2 {
			t.Fatalf("Inbox live=%d deleted=%d", live, deleted)
		}
		// Another account cannot touch these.
		other := &store.Account{Email: "bob@example.com", DomainID: 1, PasswordHash: "h", Role: "user", Status: "active"}
		s.CreateAccount(ctx, other)
		if _, err := mb.Item(ctx, other.ID, moved.ID); err != mailbox.ErrNoItem {
			t.Fatalf("bob reads alice's item: %v", err)
		}
		if _, err := mb.Move(ctx, other.ID, moved.ID, trash.ID); err != mailbox.ErrNoItem {
			t.Fatalf("bob moves alice's item: %v", err)
		}
	})
}
