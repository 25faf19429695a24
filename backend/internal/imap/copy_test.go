package imap_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// COPY and MOVE answer COPYUID with UIDs above every earlier one in the destination; MOVE
// expunges in the source and leaves tombstones the phone syncs.
func TestCopyMove(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := e.deliver("a@example.org", "one", "x")
		b := e.deliver("b@example.org", "two", "y")
		c := e.login()
		c.ok("CREATE Keep")
		c.ok("SELECT INBOX")
		_, st := c.cmd("COPY 1:2 Keep")
		keep, _ := e.find("Keep")
		if !has([]string{st}, fmt.Sprintf("[COPYUID %d %d:%d 1:2]", keep.UIDValidity, a.UID, b.UID)) {
			t.Fatalf("COPY: %s", st)
		}
		c.expect("NO [TRYCREATE]", "COPY 1 Nowhere")
		u := c.ok("UID MOVE %d Keep", a.UID)
		mustHave(t, u, fmt.Sprintf("COPYUID %d %d 3", keep.UIDValidity, a.UID))
		mustHave(t, u, "* 1 EXPUNGE")
		if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, a.ID); err != mailbox.ErrNoItem {
			t.Fatalf("moved item still live: %v", err)
		}
		mustHave(t, c.ok("SELECT Keep"), "* 3 EXISTS")
		mustHave(t, c.ok("UID SEARCH ALL"), "SEARCH 1 2 3")
		// Moving back gives a UID above every earlier one in the Inbox.
		u = c.ok("MOVE 3 INBOX")
		mustHave(t, u, fmt.Sprintf("COPYUID %d 3 %d", e.inbox().UIDValidity, b.UID+1))
		c.expect("NO [TRYCREATE]", "MOVE 1 Nowhere")
	})
}

func (e *env) find(name string) (*store.Folder, error) {
	fs, err := e.app.Mailbox.Folders(context.Background(), e.acct.ID)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		if fs[i].DisplayName == name {
			return &fs[i], nil
		}
	}
	e.t.Fatalf("no folder %s", name)
	return nil, nil
}
