package submission

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// session is one connection's state between EHLO and QUIT (a new one after STARTTLS). go-smtp
// calls it from the connection's goroutine only.
type session struct {
	srv      *Server
	remote   string // ip:port, for the log
	clientIP string // for authn's throttling and audit
	tls      bool
	loopback bool

	grant *authn.Grant // nil until AUTH succeeded (and again once found revoked)
	from  string
	rcpts []string // as the client sent them; mailbox.Sender lower-cases and de-duplicates
}

var _ smtp.AuthSession = (*session)(nil)

// Mail accepts only the account's own address, and re-checks the login first: a passcode
// deleted since AUTH sends nothing more on this connection.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.grant == nil {
		return errAuthRequired
	}
	if from == "" {
		return errNullSender
	}
	own := s.grant.Account.Email
	if !strings.EqualFold(from, own) {
		return errSenderNotYours(from, own)
	}
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	ok, err := s.srv.auth.StillValid(s.srv.run.Context(), authn.SMTP, s.grant)
	if err != nil {
		s.srv.log.Error("submission: re-checking the login", "account", own, "err", err)
		return errAuthTemp
	}
	if !ok {
		s.srv.log.Info("submission: login no longer valid", "account", own, "client", s.remote)
		s.grant = nil // go-smtp allows one AUTH per connection: the client must reconnect
		return errAuthRevoked
	}
	s.from = own
	return nil
}

// Rcpt checks each recipient now, so the client learns which address fails before it sends the
// body: without a relay only accounts here can receive.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.grant == nil {
		return errAuthRequired
	}
	if !validAddress(to) {
		return errBadRecipient
	}
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	ok, err := s.srv.send.Deliverable(s.srv.run.Context(), to)
	switch {
	case err != nil:
		s.srv.log.Error("submission: recipient lookup", "err", err)
		return errTempLookup
	case !ok:
		return errNoSuchUser
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

// Data reads the message, checks its From and Sender, and sends it to the envelope recipients
// through the send path EAS SendMail uses (relay or local delivery, Bcc stripped).
func (s *session) Data(r io.Reader) error {
	// Reading one byte past the cap is enough to know it is exceeded; go-smtp discards the rest.
	raw, err := io.ReadAll(io.LimitReader(r, s.srv.opts.MaxSize+1))
	if errors.Is(err, errTooLarge) {
		return errTooLarge
	} else if errors.Is(err, smtp.ErrTooLongLine) {
		return errLongLine(s.srv.opts.MaxLineLength)
	} else if err != nil {
		return errTempSend // the connection broke mid-body; nobody reads this reply
	}
	if int64(len(raw)) > s.srv.opts.MaxSize {
		return errTooLarge
	}
	if s.grant == nil || s.from == "" { // go-smtp lets DATA through only after MAIL and RCPT
		return errAuthRequired
	}
	own := s.grant.Account.Email
	raw, err = checkHeaders(raw, own, s.srv.opts.Domain, s.srv.now())
	if err != nil {
		return err
	}
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	err = s.srv.send.SendTo(s.srv.run.Context(), s.grant.Account.ID, own, s.rcpts, raw, s.srv.opts.SaveSent)
	if err != nil {
		return s.sendReply(err, own)
	}
	s.srv.log.Info("submission: sent", "account", own, "recipients", len(s.rcpts), "size", len(raw))
	return nil
}

// sendReply maps the send path's errors.
func (s *session) sendReply(err error, account string) *smtp.SMTPError {
	switch {
	case errors.Is(err, mailbox.ErrNotLocal): // a recipient's account went away since RCPT
		return errNoSuchUser
	case errors.Is(err, mailbox.ErrNoRecipients):
		return errNoRecipients
	case errors.Is(err, mailbox.ErrNotMessage):
		return errNotMessage
	case errors.Is(err, mailbox.ErrRelay):
		s.srv.log.Warn("submission: relay refused", "account", account, "err", err)
		return errRelay
	case errors.Is(err, context.Canceled) && s.srv.run.Context().Err() != nil:
		return errShuttingDown
	}
	s.srv.log.Error("submission: send failed", "account", account, "err", err)
	return errTempSend
}

// Reset forgets the transaction (RSET, a new EHLO, the end of DATA), never the login.
func (s *session) Reset() {
	s.from = ""
	s.rcpts = nil
}

// Logout has nothing to free.
func (s *session) Logout() error { return nil }

// validAddress rejects what can never be delivered: a domain that is not a DNS name or an
// over-long or control-character local part.
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
