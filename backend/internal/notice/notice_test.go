package notice_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func seed(t *testing.T, s *store.Store) *store.Account {
	ctx := t.Context()
	d, err := s.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Account{Email: "ann@example.com", DomainID: d.ID, PasswordHash: "h", Role: store.RoleUser, Status: store.StatusActive}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// inbox lists the messages in the account's Inbox.
func inbox(t *testing.T, mb *mailbox.Service, accountID uint64) []store.Item {
	t.Helper()
	f, err := mb.FolderByType(t.Context(), accountID, mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	items, err := mb.Changes(t.Context(), f.ID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Item
	for _, it := range items {
		if !it.Deleted {
			out = append(out, it)
		}
	}
	return out
}

// Every event delivers exactly one message to the Inbox, audited; an event the setting turns
// off delivers none (and is not audited: nothing was sent).
func TestEachEventOneMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a := seed(t, s)
		mb := mailbox.New(s, mailbox.NewLocalNotifier())
		svc := notice.New(s, mb, audit.New(s, quiet()), quiet(), "https://mail.example.com/")
		for i, e := range notice.Events {
			svc.Notify(ctx, a, notice.Notice{Event: e, Kind: store.KindAppPasscode, Label: "Thunderbird", Device: "iPhone (ABC123)",
				Browser: "Firefox on Linux", Address: "192.0.2.7", PINsLeft: notice.PINsLowAt})
			svc.Flush()
			got := inbox(t, mb, a.ID)
			if len(got) != i+1 {
				t.Fatalf("%s: %d messages in the Inbox, want %d", e, len(got), i+1)
			}
			m := got[len(got)-1]
			if m.Subject == "" || !strings.Contains(string(m.MIME), "X-Tessera-Notice: "+string(e)) ||
				!strings.Contains(m.BodyText, "ann@example.com") ||
				e != notice.PasswordReset && !strings.Contains(m.BodyText, "https://mail.example.com/settings") {
				t.Fatalf("%s: message %q\n%s", e, m.Subject, m.MIME)
			}
		}
		evs, err := s.ListAudit(ctx, store.AuditFilter{Action: notice.ActionNotice, Limit: 100})
		if err != nil || len(evs) != len(notice.Events) {
			t.Fatalf("audited %d notices (%v), want %d", len(evs), err, len(notice.Events))
		}
		for _, ev := range evs {
			if ev.Outcome != audit.OutcomeSuccess || ev.Account != a.Email {
				t.Fatalf("audit %+v", ev)
			}
		}

		g, _ := s.GlobalSettings(ctx)
		if g.SecurityNoticesOff, err = notice.ParseEnabled("credential_created,new_device"); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveGlobalSettings(ctx, g); err != nil {
			t.Fatal(err)
		}
		before := len(inbox(t, mb, a.ID))
		svc.Notify(ctx, a, notice.Notice{Event: notice.CredentialDeleted, Kind: store.KindEAS, Label: "Phone"})
		svc.Notify(ctx, a, notice.Notice{Event: notice.NewDevice, Device: "iPhone (X)"})
		svc.Flush()
		if n := len(inbox(t, mb, a.ID)); n != before+1 {
			t.Fatalf("with credential_deleted off: %d new messages, want 1 (new_device)", n-before)
		}
	})
}

type failingInbox struct{}

func (failingInbox) Deliver(context.Context, uint64, []byte) (*store.Item, error) {
	return nil, errors.New("disk full")
}

// A delivery that fails is audited as a failure; the caller never sees it.
func TestFailureAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := seed(t, s)
		svc := notice.New(s, failingInbox{}, audit.New(s, quiet()), quiet(), "")
		svc.Notify(t.Context(), a, notice.Notice{Event: notice.PasswordChanged})
		svc.Flush()
		evs, err := s.ListAudit(t.Context(), store.AuditFilter{Action: notice.ActionNotice})
		if err != nil || len(evs) != 1 || evs[0].Outcome != audit.OutcomeFailure || !strings.Contains(evs[0].Reason, "disk full") {
			t.Fatalf("audit = %+v, %v", evs, err)
		}
	})
}

// The texts name what changed and never more: a notice is built from a Notice only, which has
// no field for a secret; its text shows each fact it is given and is plain UTF-8 text.
func TestMessageText(t *testing.T) {
	svc := notice.New(nil, nil, nil, nil, "")
	a := &store.Account{Email: "zoë@example.com"}
	at := time.Date(2026, 12, 6, 17, 5, 0, 0, time.UTC)
	raw, err := svc.Message(a, notice.Notice{Event: notice.CredentialCreated, Kind: store.KindOTP, Label: "Téléphone", Address: "2001:db8::1"}, at)
	if err != nil {
		t.Fatal(err)
	}
	m := string(raw)
	for _, want := range []string{"Subject: A new OTP entry (authenticator app) was added to your account", "Auto-Submitted: auto-generated",
		"\"Téléphone\"", "2001:db8::1", "Sunday 6 December 2026 at 17:05 UTC", "Content-Type: text/plain; charset=utf-8", "change your password at once"} {
		if !strings.Contains(m, want) {
			t.Fatalf("no %q in\n%s", want, m)
		}
	}
	if _, err := svc.Message(a, notice.Notice{Event: "nonsense"}, at); err == nil {
		t.Fatal("an unknown event made a message")
	}
	for _, e := range notice.Events {
		if _, ok := notice.English.Texts[e]; !ok {
			t.Fatalf("no English text for %s", e)
		}
	}
}

func TestParseEnabled(t *testing.T) {
	for _, c := range []struct{ in, off string }{
		{"all", ""},
		{`["password_changed","password_reset","credential_created","credential_deleted","new_device","two_factor_off","new_browser","otp_locked","pin_codes_low","recovery_changed"]`, ""},
		{"password_changed, otp_locked", "credential_created,credential_deleted,password_reset,new_device,two_factor_off,new_browser,pin_codes_low,recovery_changed"},
		{"[]", strings.Join(notice.Enabled(""), ",")},
	} {
		off, err := notice.ParseEnabled(c.in)
		if err != nil || off != c.off {
			t.Fatalf("ParseEnabled(%q) = %q, %v; want %q", c.in, off, err, c.off)
		}
	}
	none, _ := notice.ParseEnabled("none")
	if got := notice.Enabled(none); len(got) != 0 {
		t.Fatalf("none enables %v", got)
	}
	for _, bad := range []string{"", "password", "[1]", "all,none"} {
		if _, err := notice.ParseEnabled(bad); err == nil {
			t.Fatalf("ParseEnabled(%q) accepted", bad)
		}
	}
}
