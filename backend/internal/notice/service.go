package notice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"strings"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ActionNotice is the audit action of a notice; its reason names the event.
const ActionNotice = audit.ActionSecurityNotice

// Timeout bounds one notice's delivery: past it the notice is given up (and audited so).
const Timeout = 10 * time.Second

var errUnknownEvent = errors.New("unknown security notice event")

// Notice is one event to tell an account's owner about, with what its text shows.
type Notice struct {
	Event    Event
	Kind     string // a credential's kind (store.Kind*)
	Label    string // a credential's or OTP entry's label
	Device   string // a device, as its owner would recognise it
	Browser  string // e.g. "Firefox on Linux"
	Address  string // the client address the change came from, "" when none (the CLI)
	ByAdmin  bool   // an administrator did it
	PINsLeft int
	// RecoveryChanged: the new recovery address ("" when cleared) and the old one, which
	// gets this notice too (the account given to Notify carries the new one already).
	Recovery, OldRecovery string
}

// Settings reads the global settings (which events send a notice).
type Settings interface {
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
}

// Deliverer puts a message into an account's Inbox (the mailbox's local delivery).
type Deliverer interface {
	Deliver(ctx context.Context, accountID uint64, raw []byte) (*store.Item, error)
}

// Relayer sends a message out through the SMTP relay (mailbox.Sender), for the copies to
// recovery addresses.
type Relayer interface {
	Relayed() bool
	Relay(from string, rcpts []string, raw []byte) error
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service sends notices in the background.
type Service struct {
	settings    Settings
	deliver     Deliverer
	relay       Relayer // nil or without a relay: the Inbox only
	audit       Auditor
	log         *slog.Logger
	settingsURL string
	texts       *compiled
	now         func() time.Time

	mu      sync.Mutex
	idle    *sync.Cond // signalled when pending drops to 0
	pending int        // notices under way (a WaitGroup may not be waited on while others Add)
}

// New returns the service; publicURL (TESSERA_PUBLIC_URL) gives the settings page's address
// the texts point to ("" leaves it out).
func New(st Settings, d Deliverer, a Auditor, log *slog.Logger, publicURL string) *Service {
	u := ""
	if publicURL != "" {
		u = strings.TrimRight(publicURL, "/") + "/settings"
	}
	s := &Service{settings: st, deliver: d, audit: a, log: log, settingsURL: u, texts: compile(English), now: time.Now}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// UseRelay sends each notice also to the account's recovery address (and, for
// recovery_changed, to the old one) through r, when r has a relay configured.
func (s *Service) UseRelay(r Relayer) { s.relay = r }

// Notify sends the account's owner a notice of n, unless the setting turned its event off. It
// returns at once: delivery runs in the background, so the action that caused it neither
// waits for it nor fails with it.
func (s *Service) Notify(ctx context.Context, a *store.Account, n Notice) {
	if s == nil || a == nil {
		return
	}
	acct := *a
	at := s.now()
	ctx = context.WithoutCancel(ctx) // the request may end before the notice is delivered
	s.mu.Lock()
	s.pending++
	s.mu.Unlock()
	go func() {
		defer s.done()
		ctx, cancel := context.WithTimeout(ctx, Timeout)
		defer cancel()
		s.send(ctx, &acct, n, at)
	}()
}

// Flush waits until the notices under way are delivered (tests, and before the store closes).
func (s *Service) Flush() {
	if s == nil {
		return
	}
	s.mu.Lock()
	for s.pending > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

func (s *Service) done() {
	s.mu.Lock()
	if s.pending--; s.pending == 0 {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

// send delivers one notice to the Inbox, then its copies to the recovery addresses, and
// audits each outcome.
func (s *Service) send(ctx context.Context, a *store.Account, n Notice, at time.Time) {
	g, err := s.settings.GlobalSettings(ctx)
	if err == nil && isOff(g.SecurityNoticesOff, n.Event) {
		return
	}
	var raw []byte
	if err == nil {
		if raw, err = s.Message(a, n, at); err == nil {
			_, err = s.deliver.Deliver(ctx, a.ID, raw)
		}
	}
	s.record(ctx, a, n, "", err)
	if raw == nil || s.relay == nil || !s.relay.Relayed() {
		return
	}
	// The same message, the account's own address in To: the recovery address reads what
	// the Inbox shows, an envelope recipient only.
	for _, to := range recoveryAddresses(a, n) {
		s.record(ctx, a, n, to, s.relayWithin(ctx, to, a, raw))
	}
}

// relayWithin relays raw to one recovery address, giving up when ctx ends (the SMTP client's
// own timeouts are minutes long: a stuck relay must not hold the notice, nor Close, that long).
func (s *Service) relayWithin(ctx context.Context, to string, a *store.Account, raw []byte) error {
	done := make(chan error, 1)
	go func() { done <- s.relay.Relay("postmaster@"+domainOf(a.Email), []string{to}, raw) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("relay: %w", ctx.Err())
	}
}

// recoveryAddresses are where a notice's copies go: the recovery address, and the old one
// of a change of it.
func recoveryAddresses(a *store.Account, n Notice) []string {
	var out []string
	for _, r := range []string{a.RecoveryEmail, n.OldRecovery} {
		if r != "" && (len(out) == 0 || !strings.EqualFold(out[0], r)) {
			out = append(out, r)
		}
	}
	return out
}

// record audits one delivery: to the Inbox when to is "", else to that recovery address.
func (s *Service) record(ctx context.Context, a *store.Account, n Notice, to string, err error) {
	reason := string(n.Event)
	if to != "" {
		reason += " to recovery address " + to
	}
	e := audit.Event{Actor: audit.ActorSystem, Account: a.Email, Action: ActionNotice, Outcome: audit.OutcomeSuccess,
		Reason: reason, ClientIP: n.Address}
	if err != nil {
		e.Outcome, e.Reason = audit.OutcomeFailure, reason+": "+err.Error()
		if s.log != nil {
			s.log.Error("security notice not delivered", "account", a.Email, "event", n.Event, "to", to, "err", err)
		}
	}
	s.audit.Record(ctx, e)
}

// Message is the notice of n as an RFC 5322 message to the account's address.
func (s *Service) Message(a *store.Account, n Notice, at time.Time) ([]byte, error) {
	f := Facts{Email: a.Email, When: at.UTC().Format("Monday 2 January 2006 at 15:04 MST"), Address: n.Address,
		SettingsURL: s.settingsURL, KindName: s.texts.kinds[n.Kind], Label: n.Label, Device: n.Device, Browser: n.Browser,
		ByAdmin: n.ByAdmin, PINsLeft: n.PINsLeft, Recovery: n.Recovery, OldRecovery: n.OldRecovery}
	if f.KindName == "" {
		f.KindName = "credential"
	}
	subject, body, err := s.texts.render(n.Event, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.Event, err)
	}
	subject = strings.NewReplacer("\r", " ", "\n", " ").Replace(subject)
	domain := domainOf(a.Email)
	var id [8]byte
	_, _ = rand.Read(id[:])
	var b strings.Builder
	fmt.Fprintf(&b, "From: Tessera <postmaster@%s>\r\n", domain)
	fmt.Fprintf(&b, "To: <%s>\r\n", a.Email)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", at.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <notice-%s-%s@%s>\r\n", n.Event, hex.EncodeToString(id[:]), domain)
	// RFC 3834: an automatic message, so that no vacation reply answers it.
	b.WriteString("Auto-Submitted: auto-generated\r\nX-Tessera-Notice: " + string(n.Event) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body)
	return []byte(b.String()), nil
}

func domainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "localhost"
}
