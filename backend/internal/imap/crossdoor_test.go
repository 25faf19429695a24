package imap_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// One store, every door: a delivery is seen over IMAP and EAS; \Seen set over IMAP wakes the
// phone's held Ping and its Sync shows Read; a move made on the phone reaches an IDLE session
// as EXPUNGE, and the destination's IDLE session as EXISTS.
func TestCrossDoor(t *testing.T) {
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
		p := &easclient.Client{BaseURL: web.URL, User: userEmail, Pass: sec.Password, DeviceID: "IMAPX1", DeviceType: "iPhone", Version: "14.1"}
		must := func(r *easclient.Response, err error) *easclient.Response {
			t.Helper()
			if err != nil || r.HTTPStatus != 200 {
				t.Fatalf("EAS: %v %+v", err, r)
			}
			return r
		}
		if _, err := p.Provision(); err != nil {
			t.Fatal(err)
		}
		inbox, trash := strconv.FormatUint(e.inbox().ID, 10), strconv.FormatUint(e.folder(4).ID, 10)
		must(p.FolderSync("0"))
		key := easclient.Collection(must(p.SyncOne(inbox, "0")).Body, inbox).TextOf("AirSync:SyncKey")

		it := e.deliver("alice@example.org", "Both doors", "hello")
		c := e.login()
		mustHave(t, c.ok("SELECT INBOX"), "* 1 EXISTS")
		col := easclient.Collection(must(p.SyncOne(inbox, key)).Body, inbox)
		if got := adds(col); strings.Join(got, ",") != "Both doors" {
			t.Fatalf("phone sees %v", got)
		}
		key = col.TextOf("AirSync:SyncKey")

		// \Seen over IMAP wakes the held Ping; the Sync shows Read.
		done := make(chan *easclient.Response, 1)
		go func() {
			r, _ := p.Do("Ping", wbxml.New("Ping:Ping", wbxml.NewText("HeartbeatInterval", "120"),
				wbxml.New("Folders", wbxml.New("Folder", wbxml.NewText("Id", inbox), wbxml.NewText("Class", "Email")))))
			done <- r
		}()
		waitFor(t, func() bool { return e.app.EAS.HeldPings() == 1 })
		c.ok(`STORE 1 +FLAGS (\Seen)`)
		select {
		case r := <-done:
			if r == nil || r.Body.TextOf("Status") != "2" {
				t.Fatalf("Ping: %+v", r)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the Ping did not wake on an IMAP flag change")
		}
		col = easclient.Collection(must(p.SyncOne(inbox, key)).Body, inbox)
		ch := col.Child("AirSync:Commands").Child("AirSync:Change")
		if ch == nil || ch.Child("AirSync:ApplicationData").TextOf("Email:Read") != "1" {
			t.Fatalf("phone Sync after \\Seen: %s", col)
		}

		// The phone moves the message to the trash: the IDLE sessions hear of it at once.
		c.idle()
		d := e.login()
		mustHave(t, d.ok(`SELECT "Deleted Items"`), "* 0 EXISTS")
		d.idle()
		e.waitIdle(2)
		mv := wbxml.New("Move:MoveItems", wbxml.New("Move", wbxml.NewText("SrcMsgId", strconv.FormatUint(it.ID, 10)),
			wbxml.NewText("SrcFldId", inbox), wbxml.NewText("DstFldId", trash)))
		must(p.Do("MoveItems", mv))
		if l := c.line(); l != "* 1 EXPUNGE" {
			t.Fatalf("INBOX IDLE after the phone's move: %q", l)
		}
		if l := d.line(); l != "* 1 EXISTS" {
			t.Fatalf("trash IDLE after the phone's move: %q", l)
		}
		c.done()
		d.done()
		mustHave(t, d.ok("FETCH 1 (FLAGS ENVELOPE)"), `\Seen`, "Both doors")
	})
}

func adds(col *wbxml.Node) []string {
	var out []string
	for _, a := range col.Child("AirSync:Commands").All("AirSync:Add") {
		out = append(out, a.Child("AirSync:ApplicationData").TextOf("Email:Subject"))
	}
	return out
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in 5s")
}
