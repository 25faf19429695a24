package imap_test

import (
	"context"
	"net"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// CONDSTORE across doors, through the doors themselves: a phone marks a message read with an
// EAS Sync Change and Python's smtplib.LMTP delivers another; both raise the Inbox's
// HIGHESTMODSEQ, and FETCH (CHANGEDSINCE) returns exactly those two, with MODSEQ.
func TestCondstoreAcrossDoors(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.deliver("a@example.org", "one", "1")
		e.deliver("b@example.org", "two", "2")
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
		p := &easclient.Client{BaseURL: web.URL, User: userEmail, Pass: sec.Password, DeviceID: "CONDST1", DeviceType: "iPhone", Version: "14.1"}
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
		inbox := strconv.FormatUint(e.inbox().ID, 10)
		must(p.FolderSync("0"))
		key := easclient.Collection(must(p.SyncOne(inbox, "0")).Body, inbox).TextOf("AirSync:SyncKey")
		col := easclient.Collection(must(p.SyncOne(inbox, key)).Body, inbox)
		key = col.TextOf("AirSync:SyncKey")
		var one string
		for _, a := range col.Child("AirSync:Commands").All("AirSync:Add") {
			if a.Child("AirSync:ApplicationData").TextOf("Email:Subject") == "one" {
				one = a.TextOf("AirSync:ServerId")
			}
		}
		if one == "" {
			t.Fatalf("phone sees %s", col)
		}

		c := e.login()
		h0 := num(t, reHighest, c.ok("SELECT INBOX (CONDSTORE)")...)

		read := wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", one),
			wbxml.New("ApplicationData", wbxml.NewText("Email:Read", "1"))))
		must(p.SyncOne(inbox, key, read))

		lm := lmtp.New(e.app.Mailbox, e.app.Accounts, lmtp.Options{Domain: "localhost"}, testLog())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go lm.Serve(ln)
		defer lm.Close()
		host, port, _ := strings.Cut(ln.Addr().String(), ":")
		script := `import smtplib, sys
s = smtplib.LMTP(sys.argv[1], int(sys.argv[2]))
s.sendmail("carol@example.org", [sys.argv[3]], b"From: carol@example.org\r\nTo: " + sys.argv[3].encode() + b"\r\nSubject: three\r\n\r\nby LMTP\r\n")
s.quit()`
		if out, err := exec.Command(py, "-c", script, host, port, userEmail).CombinedOutput(); err != nil {
			t.Fatalf("smtplib.LMTP: %v: %s", err, out)
		}

		d := e.login()
		h1 := num(t, reHighest, d.ok("SELECT INBOX (CONDSTORE)")...)
		if h1 <= h0 {
			t.Fatalf("HIGHESTMODSEQ %d after EAS and LMTP, was %d", h1, h0)
		}
		got := d.ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE %d)", h0)
		if len(got) != 2 || !has(got, "* 1 FETCH (MODSEQ (", `\Seen`) || !has(got, "* 3 FETCH (MODSEQ (") {
			t.Fatalf("CHANGEDSINCE %d: %q", h0, got)
		}
		// The first session hears of both with MODSEQ.
		u := c.ok("NOOP")
		mustHave(t, u, "* 1 FETCH (MODSEQ (", `\Seen`)
		mustHave(t, u, "* 3 EXISTS")
	})
}
