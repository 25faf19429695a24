package notice_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A notice reaches the recovery address through the relay as the same message the Inbox
// got; a change of the address reaches the old and the new one; without an address or
// without a relay nothing goes out.
func TestRecoveryCopyThroughRelay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a := seed(t, s)
		relay := apptest.StartRelay(t)
		mb := mailbox.New(s, mailbox.NewLocalNotifier())
		svc := notice.New(s, mb, audit.New(s, quiet()), quiet(), "https://mail.example.com/")
		svc.UseRelay(mailbox.NewSender(mb, s, relay.Addr))

		svc.Notify(ctx, a, notice.Notice{Event: notice.PasswordChanged, Address: "192.0.2.7"})
		svc.Flush()
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("no recovery address, yet %d messages relayed", n)
		}

		a.RecoveryEmail = "ann.private@elsewhere.org"
		svc.Notify(ctx, a, notice.Notice{Event: notice.CredentialCreated, Kind: store.KindAppPasscode, Label: "Thunderbird"})
		svc.Flush()
		got := relay.Messages()
		box := inbox(t, mb, a.ID)
		if len(got) != 1 || strings.Join(got[0].To, ",") != "ann.private@elsewhere.org" || got[0].From != "postmaster@example.com" {
			t.Fatalf("relayed %+v", got)
		}
		last := box[len(box)-1]
		if !strings.Contains(got[0].Data, last.BodyText) || !strings.Contains(got[0].Data, "X-Tessera-Notice: credential_created") {
			t.Fatalf("relayed text differs from the Inbox's:\n%s\n---\n%s", got[0].Data, last.BodyText)
		}

		// A change: the old and the new address both hear of it.
		a.RecoveryEmail = "ann@new.example.net"
		svc.Notify(ctx, a, notice.Notice{Event: notice.RecoveryChanged, Recovery: a.RecoveryEmail, OldRecovery: "ann.private@elsewhere.org"})
		svc.Flush()
		got = relay.Messages()[1:]
		var to []string
		for _, m := range got {
			to = append(to, m.To...)
			if !strings.Contains(m.Data, "was set to ann@new.example.net") || !strings.Contains(m.Data, "no longer go to ann.private@elsewhere.org") {
				t.Fatalf("recovery_changed text:\n%s", m.Data)
			}
		}
		if strings.Join(to, ",") != "ann@new.example.net,ann.private@elsewhere.org" {
			t.Fatalf("recovery_changed went to %v", to)
		}
		evs, err := s.ListAudit(ctx, store.AuditFilter{Action: notice.ActionNotice, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		relayedOK := 0
		for _, e := range evs {
			if strings.Contains(e.Reason, "to recovery address") && e.Outcome == audit.OutcomeSuccess {
				relayedOK++
			}
		}
		if relayedOK != 3 {
			t.Fatalf("%d relayed copies audited, want 3: %+v", relayedOK, evs)
		}

		// No relay configured: the Inbox only.
		plain := notice.New(s, mb, audit.New(s, quiet()), quiet(), "")
		plain.UseRelay(mailbox.NewSender(mb, s, ""))
		plain.Notify(ctx, a, notice.Notice{Event: notice.TwoFactorOff})
		plain.Flush()
		if n := len(relay.Messages()); n != 3 {
			t.Fatalf("without a relay %d messages relayed, want still 3", n)
		}
	})
}

// A relay that refuses the copy: audited as a failure with the relay's answer; the Inbox
// has the notice all the same.
func TestRecoveryRelayFailureAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a := seed(t, s)
		a.RecoveryEmail = "gone@elsewhere.org"
		relay := apptest.StartRelay(t)
		relay.Refuse = true
		mb := mailbox.New(s, mailbox.NewLocalNotifier())
		svc := notice.New(s, mb, audit.New(s, quiet()), quiet(), "")
		svc.UseRelay(mailbox.NewSender(mb, s, relay.Addr))
		svc.Notify(ctx, a, notice.Notice{Event: notice.PasswordChanged})
		svc.Flush()
		if n := len(inbox(t, mb, a.ID)); n != 1 {
			t.Fatalf("%d messages in the Inbox, want 1", n)
		}
		all, err := s.ListAudit(ctx, store.AuditFilter{Action: notice.ActionNotice})
		var evs []store.AuditEvent
		for _, e := range all {
			if e.Outcome == audit.OutcomeFailure {
				evs = append(evs, e)
			}
		}
		if err != nil || len(all) != 2 || len(evs) != 1 || !strings.Contains(evs[0].Reason, "gone@elsewhere.org") || !strings.Contains(evs[0].Reason, "no such user") {
			t.Fatalf("audit = %+v, %v", all, err)
		}
	})
}
