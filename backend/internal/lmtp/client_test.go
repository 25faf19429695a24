package lmtp_test

import (
	"context"
	"errors"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func dial(t *testing.T, e *env) *smtp.Client {
	t.Helper()
	conn, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("mta.test"); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantReply checks that err is a server reply with this code and enhanced code.
func wantReply(t *testing.T, what string, err error, code int, enh smtp.EnhancedCode) {
	t.Helper()
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != code || se.EnhancedCode != enh {
		t.Errorf("%s: got %v, want %d %d.%d.%d", what, err, code, enh[0], enh[1], enh[2])
	}
}

// lmtpData sends the body after accepted RCPTs and returns the reply of each recipient:
// nil for 250, else the *smtp.SMTPError.
func lmtpData(t *testing.T, c *smtp.Client, body string) map[string]error {
	t.Helper()
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	ok, err := w.CloseWithLMTPResponse()
	out := map[string]error{}
	for rcpt := range ok {
		out[rcpt] = nil
	}
	var failed smtp.LMTPDataError
	if errors.As(err, &failed) {
		for rcpt, se := range failed {
			out[rcpt] = se
		}
	} else if err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	return out
}

func TestClientPerRecipientStatuses(t *testing.T) {
	// b's store fails as a locked database would: a temporary error for b alone.
	e := newEnv(t, lmtp.Options{}, func(e *env, d lmtp.Deliverer) lmtp.Deliverer {
		return failFor{Deliverer: d, ids: map[uint64]bool{e.ids["b@example.com"]: true}}
	})
	c := dial(t, e)
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH advertised; LMTP is for the local MTA only")
	}
	if err := c.Mail("", nil); err != nil { // bounces have the null sender
		t.Fatalf("MAIL FROM:<>: %v", err)
	}
	for _, rcpt := range []string{"a@example.com", "A@Example.COM", "b@example.com"} {
		if err := c.Rcpt(rcpt, nil); err != nil {
			t.Fatalf("RCPT TO:<%s>: %v", rcpt, err)
		}
	}
	wantReply(t, "unknown recipient", c.Rcpt("nobody@example.com", nil), 550, smtp.EnhancedCode{5, 1, 1})
	wantReply(t, "locked account", c.Rcpt("locked@example.com", nil), 550, smtp.EnhancedCode{5, 1, 1})
	wantReply(t, "domain without a dot", c.Rcpt("x@localhost", nil), 553, smtp.EnhancedCode{5, 1, 3})
	wantReply(t, "domain with an underscore", c.Rcpt("x@bad_domain.com", nil), 553, smtp.EnhancedCode{5, 1, 3})
	wantReply(t, "quoted local part", c.Rcpt(`"a b"@example.com`, nil), 553, smtp.EnhancedCode{5, 1, 3})

	got := lmtpData(t, c, message("Statuses", "hello"))
	if len(got) != 3 || got["a@example.com"] != nil || got["A@Example.COM"] != nil {
		t.Fatalf("replies = %v, want 250 for a@example.com and A@Example.COM", got)
	}
	wantReply(t, "b@example.com after DATA", got["b@example.com"], 451, smtp.EnhancedCode{4, 3, 0})
	if items := e.inbox(t, "a@example.com"); len(items) != 1 || items[0].Subject != "Statuses" {
		t.Fatalf("a's inbox = %d items, want the message once for both spellings", len(items))
	}
	if items := e.inbox(t, "b@example.com"); len(items) != 0 {
		t.Fatalf("b's inbox = %d items after a failed store", len(items))
	}
}

func TestClientNotAMessage(t *testing.T) {
	e := newEnv(t, lmtp.Options{}, nil)
	c := dial(t, e)
	for _, body := range []string{"\x00\x01garbage-marker\r\n", ""} {
		if err := c.Mail("x@example.org", nil); err != nil {
			t.Fatal(err)
		}
		for _, rcpt := range []string{"a@example.com", "b@example.com"} {
			if err := c.Rcpt(rcpt, nil); err != nil {
				t.Fatal(err)
			}
		}
		got := lmtpData(t, c, body)
		for _, rcpt := range []string{"a@example.com", "b@example.com"} {
			wantReply(t, strconv.Quote(body)+" for "+rcpt, got[rcpt], 554, smtp.EnhancedCode{5, 6, 0})
		}
	}
	if n := len(e.inbox(t, "a@example.com")) + len(e.inbox(t, "b@example.com")); n != 0 {
		t.Fatalf("%d items stored from garbage", n)
	}
	e.close(t)
	if logged := e.log.String(); strings.Contains(logged, "garbage-marker") {
		t.Errorf("the body reached the log:\n%s", logged)
	}
}

// TestClientSizeLimitIsExact: a message of exactly MaxSize bytes is stored, one byte more is
// refused for every recipient.
func TestClientSizeLimitIsExact(t *testing.T) {
	msg := message("Exactly", "at the limit")
	for _, tc := range []struct {
		max  int64
		code int
	}{{int64(len(msg)), 250}, {int64(len(msg)) - 1, 552}} {
		t.Run(strconv.FormatInt(tc.max, 10), func(t *testing.T) {
			e := newEnv(t, lmtp.Options{MaxSize: tc.max}, nil)
			c := dial(t, e)
			if err := c.Mail("x@example.org", nil); err != nil {
				t.Fatal(err)
			}
			for _, rcpt := range []string{"a@example.com", "b@example.com"} {
				if err := c.Rcpt(rcpt, nil); err != nil {
					t.Fatal(err)
				}
			}
			got := lmtpData(t, c, msg)
			for _, rcpt := range []string{"a@example.com", "b@example.com"} {
				if tc.code == 250 && got[rcpt] != nil {
					t.Errorf("%s: %v, want 250", rcpt, got[rcpt])
				} else if tc.code == 552 {
					wantReply(t, rcpt, got[rcpt], 552, smtp.EnhancedCode{5, 3, 4})
				}
			}
			items := e.inbox(t, "a@example.com")
			if tc.code == 250 && (len(items) != 1 || items[0].Size != int64(len(msg))) {
				t.Fatalf("inbox = %+v, want one item of %d bytes", items, len(msg))
			} else if tc.code == 552 && len(items) != 0 {
				t.Fatalf("%d items stored over the limit", len(items))
			}
		})
	}
}

// TestClientResetForgetsRecipients: after RSET only the new transaction's recipients count.
func TestClientResetForgetsRecipients(t *testing.T) {
	e := newEnv(t, lmtp.Options{}, nil)
	c := dial(t, e)
	if err := c.Mail("x@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("a@example.com", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("x@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("b@example.com", nil); err != nil {
		t.Fatal(err)
	}
	if got := lmtpData(t, c, message("After RSET", "hi")); len(got) != 1 || got["b@example.com"] != nil {
		t.Fatalf("replies = %v", got)
	}
	if a, b := len(e.inbox(t, "a@example.com")), len(e.inbox(t, "b@example.com")); a != 0 || b != 1 {
		t.Fatalf("a has %d items, b %d; want 0 and 1", a, b)
	}
}

// TestBDATRepliesPerRecipient: go-smtp advertises CHUNKING, so BDAT must end in per-recipient
// replies too. go-smtp's client never sends BDAT, hence the raw protocol.
func TestBDATRepliesPerRecipient(t *testing.T) {
	e := newEnv(t, lmtp.Options{}, nil)
	conn, err := textproto.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	expect := func(code int) string {
		t.Helper()
		_, msg, err := conn.ReadResponse(code)
		if err != nil {
			t.Fatalf("want %d: %v", code, err)
		}
		return msg
	}
	expect(220)
	for _, step := range []struct {
		cmd  string
		code int
	}{{"LHLO mta.test", 250}, {"MAIL FROM:<>", 250}, {"RCPT TO:<a@example.com>", 250}, {"RCPT TO:<b@example.com>", 250}} {
		if err := conn.PrintfLine("%s", step.cmd); err != nil {
			t.Fatal(err)
		}
		expect(step.code)
	}
	msg := message("Chunked", "in one chunk")
	if err := conn.PrintfLine("BDAT %d LAST", len(msg)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.W.WriteString(msg); err != nil || conn.W.Flush() != nil {
		t.Fatal(err)
	}
	for _, rcpt := range []string{"a@example.com", "b@example.com"} {
		if got := expect(250); !strings.Contains(got, "<"+rcpt+">") {
			t.Errorf("reply %q is not for %s", got, rcpt)
		}
		if items := e.inbox(t, rcpt); len(items) != 1 || items[0].Subject != "Chunked" {
			t.Errorf("%s inbox = %d items", rcpt, len(items))
		}
	}
}

func TestCloseEndsServe(t *testing.T) {
	e := newEnv(t, lmtp.Options{}, nil)
	dial(t, e) // an idle connection must not keep Close waiting
	e.close(t)
	if _, err := net.Dial("tcp", e.addr); err == nil {
		t.Error("still accepting connections after Close")
	}
	srv := lmtp.New(nil, nil, lmtp.Options{}, nil)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); !errors.Is(err, lmtp.ErrServerClosed) {
		t.Errorf("second Close = %v, want ErrServerClosed", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(ln); !errors.Is(err, lmtp.ErrServerClosed) {
		t.Errorf("Serve after Close = %v, want ErrServerClosed", err)
	}
}

// blockingDeliverer holds a delivery until its context ends, as a store stuck on a lock would.
type blockingDeliverer struct {
	entered  chan struct{}
	returned atomic.Bool
}

func (b *blockingDeliverer) Deliver(ctx context.Context, id uint64, raw []byte) (*store.Item, error) {
	close(b.entered)
	<-ctx.Done()
	b.returned.Store(true)
	return nil, ctx.Err()
}

// TestCloseWaitsForDeliveries: Close cancels a delivery in progress and returns only after it
// has ended, so the caller may close the store next.
func TestCloseWaitsForDeliveries(t *testing.T) {
	b := &blockingDeliverer{entered: make(chan struct{})}
	e := newEnv(t, lmtp.Options{}, func(*env, lmtp.Deliverer) lmtp.Deliverer { return b })
	c := dial(t, e)
	if err := c.Mail("x@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("a@example.com", nil); err != nil {
		t.Fatal(err)
	}
	go func() { // its replies never come: Close drops the connection
		if w, err := c.Data(); err == nil {
			w.Write([]byte(message("Stuck", "x")))
			w.Close()
		}
	}()
	select {
	case <-b.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("delivery never started")
	}
	e.close(t)
	if !b.returned.Load() {
		t.Fatal("Close returned while a delivery was still running")
	}
}
