package submission

import (
	"bytes"
	"errors"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// The SASL mechanisms offered. LOGIN is not a standard (draft-murchison-sasl-login) but Outlook
// and older Apple Mail still use it; go-sasl has dropped its server side, so it lives here.
const (
	mechPlain = "PLAIN"
	mechLogin = "LOGIN"
)

// mayAuth: on TLS always, in plain text only from a loopback client when the setting allows it.
func (s *session) mayAuth() bool {
	return s.tls || s.srv.opts.PlaintextLoopback && s.loopback
}

// AuthMechanisms lists none where AUTH is not allowed, so EHLO does not advertise AUTH.
func (s *session) AuthMechanisms() []string {
	if !s.mayAuth() {
		return nil
	}
	return []string{mechPlain, mechLogin}
}

// Auth starts a SASL exchange. Errors that are not already SMTP replies (go-sasl's parse
// errors) become 501, not go-smtp's 454 with the library's text.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if !s.mayAuth() {
		return nil, errTLSFirst
	}
	switch mech {
	case mechPlain:
		return replyErrors{sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return errAuthzID // no acting on behalf of another account
			}
			return s.login(username, password)
		})}, nil
	case mechLogin:
		return replyErrors{&loginServer{authenticate: s.login}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// login asks authn with the username as sent (authn normalises it) and the client address.
func (s *session) login(username, secret string) error {
	if !s.srv.run.Enter() {
		return errShuttingDown
	}
	defer s.srv.run.Leave()
	g, err := s.srv.auth.Authenticate(s.srv.run.Context(), authn.Request{Service: authn.SMTP, Username: username, Secret: secret, ClientIP: s.clientIP})
	if err != nil {
		return s.authReply(err)
	}
	s.grant = g
	s.srv.log.Debug("submission: logged in", "account", g.Account.Email, "client", s.remote)
	return nil
}

// authReply maps authn's fault kinds to replies, once for login and the re-check at MAIL.
// Every refusal is the same 535, whatever its reason (authn logs and audits it).
func (s *session) authReply(err error) *smtp.SMTPError {
	switch fault.KindOf(err) {
	case fault.Unauthorized:
		return errAuthInvalid
	case fault.Throttled:
		return errAuthThrottled
	case fault.Unavailable:
		return errAuthTemp
	}
	s.srv.log.Error("submission: authentication failed", "client", s.remote, "err", err)
	return errAuthTemp
}

// replyErrors turns SASL errors that are not SMTP replies into a 501.
type replyErrors struct{ sasl.Server }

func (r replyErrors) Next(resp []byte) ([]byte, bool, error) {
	ch, done, err := r.Server.Next(resp)
	var se *smtp.SMTPError
	if err != nil && !errors.As(err, &se) {
		err = errAuthSyntax
	}
	return ch, done, err
}

// loginServer is the server side of LOGIN: "Username:" and "Password:" challenges, each
// answered in base64 (go-smtp decodes it). An initial response is the username.
type loginServer struct {
	step         int
	username     string
	authenticate func(username, password string) error
}

var (
	challengeUser = []byte("Username:")
	challengePass = []byte("Password:")
)

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if resp == nil {
			return challengeUser, false, nil
		}
		fallthrough
	case 1:
		if bytes.IndexByte(resp, 0) >= 0 {
			return nil, true, errAuthSyntax
		}
		l.username, l.step = string(resp), 2
		return challengePass, false, nil
	case 2:
		l.step = 3
		return nil, true, l.authenticate(l.username, string(resp))
	}
	return nil, true, sasl.ErrUnexpectedClientResponse
}
