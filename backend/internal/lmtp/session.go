package lmtp

import (
	"errors"
	"io"
	"strings"
	"unicode"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// session is one LMTP connection. go-smtp calls it from the connection's goroutine, except
// LMTPData, which runs on its own goroutine while the connection waits for it.
type session struct {
	srv    *Server
	remote string
	rcpts  []recipient // one per accepted RCPT, in go-smtp's order, duplicates included
}

// recipient is an accepted RCPT: the address as the MTA sent it (go-smtp keys statuses by it)
// and the account it resolved to.
type recipient struct {
	addr    string
	account uint64
	email   string
}

var _ smtp.LMTPSession = (*session)(nil)

// Mail accepts any sender, <> included: the MTA in front has already accepted the message,
// and bounces must be deliverable too.
func (s *session) Mail(from string, opts *smtp.MailOptions) error { return nil }

// Rcpt resolves the recipient now, so the MTA bounces unknown addresses itself instead of
// learning about them only after sending the body.
func (s *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if !validAddress(to) {
		return errBadAddress
	}
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	a, err := s.srv.resolve.Get(s.srv.run.Context(), to)
	switch {
	case errors.Is(err, account.ErrNotFound):
		s.srv.log.Info("lmtp: unknown recipient", "recipient", to, "remote", s.remote)
		return errNoSuchUser
	case errors.Is(err, fault.Invalid):
		return errBadAddress
	case err != nil:
		s.srv.log.Error("lmtp: recipient lookup failed", "recipient", to, "err", err)
		return errTempLookup
	case a.Status != store.StatusActive:
		s.srv.log.Info("lmtp: recipient account not active", "recipient", a.Email, "status", a.Status)
		return errNoSuchUser
	}
	s.rcpts = append(s.rcpts, recipient{addr: to, account: a.ID, email: a.Email})
	return nil
}

// Data is never called in LMTP mode (go-smtp prefers LMTPData); it exists for smtp.Session.
func (s *session) Data(r io.Reader) error { return reply(554, 5, 5, 1, "LMTP only") }

// LMTPData stores the message once per account and answers every accepted RCPT, duplicates
// included, as go-smtp's StatusCollector requires. A returned error answers them all.
func (s *session) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	// Reading one byte past the cap is enough to know it is exceeded; go-smtp discards the rest.
	raw, err := io.ReadAll(io.LimitReader(r, s.srv.maxSize+1))
	if errors.Is(err, errTooLarge) { // go-smtp's own limit, should the byte of slack ever go
		return errTooLarge
	} else if err != nil {
		return errTempStore // the connection broke mid-body; nobody reads this reply
	}
	if int64(len(raw)) > s.srv.maxSize {
		return errTooLarge
	}
	if len(raw) == 0 {
		return errNotMessage
	}
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	done := map[uint64]error{}
	for _, rc := range s.rcpts {
		err, seen := done[rc.account]
		if !seen {
			err = s.store(rc, raw)
			done[rc.account] = err
		}
		status.SetStatus(rc.addr, err)
	}
	return nil
}

func (s *session) store(rc recipient, raw []byte) error {
	it, err := s.srv.deliver.Deliver(s.srv.run.Context(), rc.account, raw)
	switch {
	case errors.Is(err, mailbox.ErrNotMessage):
		// The parser's error may quote a header line of the body, so it stays out of the log.
		s.srv.log.Warn("lmtp: rejected, not a message", "recipient", rc.email, "size", len(raw))
		return errNotMessage
	case err != nil:
		s.srv.log.Error("lmtp: delivery failed", "recipient", rc.email, "size", len(raw), "err", err)
		return errTempStore
	}
	s.srv.log.Info("lmtp: delivered", "recipient", rc.email, "size", len(raw), "item", it.ID)
	return nil
}

// Reset forgets the transaction's recipients (RSET, a new LHLO, or the end of DATA).
func (s *session) Reset() { s.rcpts = nil }

// Logout has nothing to free. It may run while LMTPData is still going (Close drops the
// connection), so it must not touch rcpts.
func (s *session) Logout() error { return nil }

// validAddress rejects what can never be a Tessera account: a domain that is not a DNS name
// (account domains pass config.ValidDomain) or an over-long or control-character local part.
func validAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at > 64 || len(a) > 254 {
		return false
	}
	if strings.IndexFunc(a[:at], func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return false
	}
	return config.ValidDomain(strings.ToLower(a[at+1:]))
}
