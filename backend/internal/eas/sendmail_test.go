package eas_test

import (
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func outgoing(to, subject, body string, extra ...string) []byte {
	return []byte("From: admin@example.com\r\nTo: " + to + "\r\n" + strings.Join(extra, "") + "Subject: " + subject +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

func sendMail(clientID string, raw []byte) *wbxml.Node {
	return wbxml.New("ComposeMail:SendMail", wbxml.NewText("ClientId", clientID), wbxml.New("SaveInSentItems"), wbxml.NewOpaque("Mime", raw))
}

func TestSendMailLocal(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "bob@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		p, _ := eastest.Provisioned(t, s, "dev1")
		raw := outgoing("Bob <bob@example.com>", "Lunch?", "Shall we?", "Bcc: secret@example.com\r\n")
		// secret@example.com is not local and there is no relay: the whole message is refused.
		if r := must(p.Do("SendMail", sendMail("c1", raw))); r.Body.TextOf("Status") != "120" {
			t.Fatalf("non-local recipient without a relay: %s", r.Body)
		}
		raw = outgoing("Bob <bob@example.com>", "Lunch?", "Shall we?", "Bcc: Admin <ADMIN@example.com>\r\n")
		if r := must(p.Do("SendMail", sendMail("c2", raw))); len(r.Raw) != 0 {
			t.Fatalf("SendMail: %s", r.Body)
		}
		if got := eastest.FolderItems(t, s, "bob@example.com", mailbox.TypeInbox); len(got) != 1 || got[0] != "Lunch?" {
			t.Fatalf("bob's Inbox: %v", got)
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeInbox); len(got) != 1 {
			t.Fatalf("the Bcc recipient's Inbox: %v", got)
		}
		if got := eastest.FolderItems(t, s, admin, mailbox.TypeSentItems); len(got) != 1 || got[0] != "Lunch?" {
			t.Fatalf("Sent Items: %v", got)
		}
		bob, _ := s.App.Accounts.Get(t.Context(), "bob@example.com")
		inbox, _ := s.App.Mailbox.FolderByType(t.Context(), bob.ID, mailbox.TypeInbox)
		items, _ := s.App.Mailbox.Changes(t.Context(), inbox.ID, 0, 10)
		if strings.Contains(strings.ToLower(string(items[0].MIME)), "bcc:") {
			t.Fatal("the Bcc header reached a recipient")
		}
		// The phone resends after a lost response: 118, not a second copy.
		if r := must(p.Do("SendMail", sendMail("c2", raw))); r.Body.TextOf("Status") != "118" {
			t.Fatalf("same ClientId again: %s", r.Body)
		}
		if r := must(p.Do("SendMail", sendMail("c3", []byte("Subject: nobody\r\n\r\nhi\r\n")))); r.Body.TextOf("Status") != "119" {
			t.Fatalf("no recipients: %s", r.Body)
		}
		if r := must(p.Do("SendMail", wbxml.New("ComposeMail:SendMail", wbxml.NewText("ClientId", "c4")))); r.Body.TextOf("Status") != "103" {
			t.Fatalf("no Mime: %s", r.Body)
		}

		// SmartReply quotes the original; SmartForward attaches it.
		orig := items[0]
		bp := eastest.PhoneFor(t, s, "bob@example.com", "Granite-Falcon-63", "bobdev")
		reply := wbxml.New("ComposeMail:SmartReply", wbxml.NewText("ClientId", "r1"), wbxml.New("Source",
			wbxml.NewText("FolderId", itoa(orig.FolderID)), wbxml.NewText("ItemId", itoa(orig.ID))), wbxml.New("SaveInSentItems"),
			wbxml.NewOpaque("Mime", []byte("From: bob@example.com\r\nTo: admin@example.com\r\nSubject: Re: Lunch?\r\nContent-Type: text/plain\r\n\r\nYes!\r\n")))
		if r := must(bp.Do("SmartReply", reply)); len(r.Raw) != 0 {
			t.Fatalf("SmartReply: %s", r.Body)
		}
		fwd := wbxml.New("ComposeMail:SmartForward", wbxml.NewText("ClientId", "f1"), wbxml.New("Source",
			wbxml.NewText("FolderId", itoa(orig.FolderID)), wbxml.NewText("ItemId", itoa(orig.ID))),
			wbxml.NewOpaque("Mime", []byte("From: bob@example.com\r\nTo: admin@example.com\r\nSubject: Fwd: Lunch?\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n")))
		must(bp.Do("SmartForward", fwd))
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		ainbox, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, mailbox.TypeInbox)
		got, _ := s.App.Mailbox.Changes(t.Context(), ainbox.ID, 0, 10)
		var re, fw string
		for _, it := range got {
			switch it.Subject {
			case "Re: Lunch?":
				re = it.BodyText
			case "Fwd: Lunch?":
				fw = string(it.MIME)
			}
		}
		if !strings.Contains(re, "Yes!") || !strings.Contains(re, "> Shall we?") {
			t.Fatalf("reply body: %q", re)
		}
		if !strings.Contains(fw, "See below.") || !strings.Contains(fw, "message/rfc822") || !strings.Contains(fw, "Subject: Lunch?") {
			t.Fatalf("forward: %q", fw)
		}
		bad := wbxml.New("ComposeMail:SmartReply", wbxml.NewText("ClientId", "r2"), wbxml.New("Source", wbxml.NewText("ItemId", "999999")),
			wbxml.NewOpaque("Mime", []byte("To: admin@example.com\r\nSubject: x\r\n\r\nx\r\n")))
		if r := must(bp.Do("SmartReply", bad)); r.Body.TextOf("Status") != "150" {
			t.Fatalf("reply to a missing item: %s", r.Body)
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// A relay: the message goes out over SMTP to the configured relay, and a copy to Sent Items.
func TestSendMailThroughRelay(t *testing.T) {
	relay := startRelay(t)
	s := apptest.Start(t, eastest.SQLite(t), apptest.Options{SMTPRelay: relay.addr})
	p, _ := eastest.Provisioned(t, s, "dev1")
	r := eastest.OK(t)(p.Do("SendMail", sendMail("c1", outgoing("someone@elsewhere.org", "Hello out there", "Hi."))))
	if len(r.Raw) != 0 {
		t.Fatalf("SendMail: %s", r.Body)
	}
	relay.mu.Lock()
	defer relay.mu.Unlock()
	if relay.from != admin || strings.Join(relay.to, ",") != "someone@elsewhere.org" || !strings.Contains(relay.data, "Subject: Hello out there") {
		t.Fatalf("relay got from=%q to=%v data=%q", relay.from, relay.to, relay.data)
	}
	if got := eastest.FolderItems(t, s, admin, mailbox.TypeSentItems); len(got) != 1 {
		t.Fatalf("Sent Items: %v", got)
	}
}

type relayServer struct {
	addr string
	mu   sync.Mutex
	from string
	to   []string
	data string
}

func (r *relayServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct{ r *relayServer }

func (s *relaySession) Mail(from string, _ *smtp.MailOptions) error {
	s.r.mu.Lock()
	s.r.from = from
	s.r.mu.Unlock()
	return nil
}

func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	s.r.to = append(s.r.to, to)
	s.r.mu.Unlock()
	return nil
}

func (s *relaySession) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	s.r.mu.Lock()
	s.r.data = string(b)
	s.r.mu.Unlock()
	return err
}

func (s *relaySession) Reset() {}

func (s *relaySession) Logout() error { return nil }

func startRelay(t *testing.T) *relayServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relayServer{addr: ln.Addr().String()}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// Protocol 12.1 sends the MIME itself, with SaveInSent in the query.
func TestSendMail121(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p := eastest.NewPhone(t, s, "12.1", "old1")
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	p.Params = url.Values{"SaveInSent": {"T"}}
	p.ContentType = "message/rfc822"
	r, err := p.DoRaw("SendMail", outgoing("admin@example.com", "From an old phone", "Hi."))
	if err != nil || r.HTTPStatus != 200 || len(r.Raw) != 0 {
		t.Fatalf("12.1 SendMail: %v %d %s", err, r.HTTPStatus, r.Raw)
	}
	if got := eastest.FolderItems(t, s, admin, mailbox.TypeSentItems); len(got) != 1 || got[0] != "From an old phone" {
		t.Fatalf("Sent Items: %v", got)
	}
	if r, _ := p.DoRaw("SendMail", []byte("Subject: no one\r\n\r\nx\r\n")); r.HTTPStatus != 400 {
		t.Fatalf("12.1 SendMail without recipients: %d", r.HTTPStatus)
	}
}
