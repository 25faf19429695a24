package pop3

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

const (
	replyAuthFailed = "-ERR [AUTH] Authentication failed"
	replyNeedTLS    = "-ERR Plaintext login is refused without TLS: use STLS first (or the POP3S port)"
)

// plainAllowed: a secret may be sent on this connection.
func (s *session) plainAllowed() bool {
	return s.secure || (s.loopback && s.srv.d.Options.PlaintextLoopback)
}

func (s *session) stlsAvailable() bool { return !s.secure && s.srv.d.TLS != nil }

// stls starts TLS (RFC 2595) and goes back to the start of AUTHORIZATION; what the client
// sent before the handshake is dropped with the old reader.
func (s *session) stls() bool {
	if s.secure {
		return s.fail("-ERR Already using TLS")
	}
	if s.srv.d.TLS == nil {
		return s.fail("-ERR STLS is not available")
	}
	if !s.reply("+OK Begin TLS negotiation") {
		return false
	}
	tc := tls.Server(s.raw, s.srv.d.TLS)
	if err := s.handshake(tc); err != nil {
		return false
	}
	s.setConn(tc)
	s.secure, s.user = true, ""
	return true
}

func (s *session) userCmd(arg string) bool {
	s.user = ""
	if !s.plainAllowed() {
		return s.fail(replyNeedTLS)
	}
	if arg = strings.TrimSpace(arg); arg == "" {
		return s.fail("-ERR USER needs a name")
	}
	s.user = arg
	return s.reply("+OK Send PASS")
}

// passCmd takes the rest of the line as the password: RFC 1939 lets it contain spaces.
func (s *session) passCmd(arg string) bool {
	user := s.user
	s.user = ""
	if !s.plainAllowed() {
		return s.fail(replyNeedTLS)
	}
	if user == "" {
		return s.fail("-ERR Send USER first")
	}
	return s.login(user, arg)
}

// authCmd is AUTH (RFC 5034) with PLAIN (RFC 4616), the only mechanism: the others need the
// secret on the server or a second round the passcodes do not fit.
func (s *session) authCmd(arg string) bool {
	args := strings.Fields(arg)
	if len(args) == 0 { // an old habit of clients: list the mechanisms
		if !s.plainAllowed() {
			return s.reply("+OK\r\n.")
		}
		return s.reply("+OK\r\nPLAIN\r\n.")
	}
	if len(args) > 2 {
		return s.fail("-ERR AUTH takes a mechanism and an initial response")
	}
	if !strings.EqualFold(args[0], "PLAIN") {
		return s.fail("-ERR Unsupported mechanism: use PLAIN")
	}
	if !s.plainAllowed() {
		return s.fail(replyNeedTLS)
	}
	var resp string
	if len(args) == 2 {
		resp = args[1]
		if resp == "=" {
			resp = ""
		}
	} else {
		if !s.reply("+ ") {
			return false
		}
		line, err := s.readLine()
		if errors.Is(err, errLineLong) {
			return s.fail("-ERR Line too long")
		} else if err != nil {
			s.ended(err)
			return false
		}
		resp = line
	}
	if resp == "*" {
		return s.fail("-ERR Authentication cancelled")
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	if err != nil {
		return s.fail("-ERR Invalid base64 in the PLAIN response")
	}
	parts := bytes.Split(raw, []byte{0})
	if len(parts) != 3 || len(parts[1]) == 0 {
		return s.fail("-ERR Malformed PLAIN response")
	}
	authz, user, secret := string(parts[0]), string(parts[1]), string(parts[2])
	if authz != "" && authn.Username(authz) != authn.Username(user) { // no acting as another account
		return s.fail(replyAuthFailed)
	}
	return s.login(user, secret)
}

// login asks the authenticator and, on success, opens the maildrop.
func (s *session) login(user, secret string) bool {
	g, err := s.srv.d.Auth.Authenticate(s.srv.ctx, authn.Request{Service: authn.POP3, Username: user, Secret: secret, ClientIP: s.ip})
	if err != nil {
		return s.loginRefused(err)
	}
	ctx := s.srv.ctx
	inbox, err := s.srv.d.Mailbox.FolderByType(ctx, g.Account.ID, mailbox.TypeInbox)
	if err != nil {
		s.log.Error("pop3 open inbox", "account", g.Account.ID, "err", err)
		return s.reply("-ERR [SYS/TEMP] Cannot open the mailbox now, try again later")
	}
	items, err := s.srv.d.Mailbox.Messages(ctx, g.Account.ID, inbox.ID)
	if err != nil {
		s.log.Error("pop3 list inbox", "account", g.Account.ID, "err", err)
		return s.reply("-ERR [SYS/TEMP] Cannot open the mailbox now, try again later")
	}
	s.msgs = make([]message, len(items))
	for i, it := range items {
		s.msgs[i] = message{id: it.ID, size: it.Size}
	}
	s.grant, s.state = g, stateTransaction
	s.log = s.log.With("account", g.Account.ID)
	s.log.Debug("pop3 login", "messages", len(s.msgs))
	n, size := s.totals()
	return s.reply("+OK Logged in, " + itoa(int64(n)) + " messages (" + itoa(size) + " octets)")
}

// loginRefused maps the authenticator's refusal, by its fault kind, to the one reply of each
// kind (RFC 3206 response codes).
func (s *session) loginRefused(err error) bool {
	switch fault.KindOf(err) {
	case fault.Unauthorized:
		return s.fail(replyAuthFailed)
	case fault.Throttled:
		return s.fail("-ERR [SYS/TEMP] Too many failed attempts, try again later")
	case fault.Unavailable:
		return s.reply("-ERR [SYS/TEMP] Authentication is unavailable now, try again later")
	default:
		s.log.Error("pop3 authentication", "err", err)
		return s.reply("-ERR [SYS/TEMP] Authentication is unavailable now, try again later")
	}
}
