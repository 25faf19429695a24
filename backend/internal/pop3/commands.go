package pop3

import (
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/authn"
)

// dispatch runs one command line; false ends the session.
func (s *session) dispatch(line string) bool {
	cmd, arg, _ := strings.Cut(line, " ")
	cmd = strings.ToUpper(cmd)
	if s.state == stateTransaction {
		if !s.stillValid() {
			return false
		}
		return s.transaction(cmd, arg)
	}
	switch cmd {
	case "CAPA":
		return s.capa()
	case "STLS":
		return s.stls()
	case "USER":
		return s.userCmd(arg)
	case "PASS":
		return s.passCmd(arg)
	case "AUTH":
		return s.authCmd(arg)
	case "QUIT":
		s.reply("+OK Tessera POP3 server signing off")
		return false
	case "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET", "NOOP":
		return s.fail("-ERR Log in first")
	case "APOP":
		return s.fail("-ERR APOP is not supported: use USER/PASS or AUTH PLAIN")
	default:
		return s.fail("-ERR Unknown command")
	}
}

// transaction runs a command of the TRANSACTION state.
func (s *session) transaction(cmd, arg string) bool {
	args := strings.Fields(arg)
	switch cmd {
	case "CAPA":
		return s.capa()
	case "STAT":
		return s.stat(args)
	case "LIST":
		return s.list(args, false)
	case "UIDL":
		return s.list(args, true)
	case "RETR":
		return s.retr(args)
	case "TOP":
		return s.top(args)
	case "DELE":
		return s.dele(args)
	case "RSET":
		return s.rset(args)
	case "NOOP":
		if len(args) != 0 {
			return s.fail("-ERR NOOP takes no argument")
		}
		return s.reply("+OK")
	case "QUIT":
		s.update()
		return false
	case "USER", "PASS", "AUTH", "APOP", "STLS":
		return s.fail("-ERR Already logged in")
	default:
		return s.fail("-ERR Unknown command")
	}
}

// stillValid re-checks the grant before a command of the TRANSACTION state: a passcode
// disabled or deleted meanwhile ends the session (no UPDATE state).
func (s *session) stillValid() bool {
	ok, err := s.srv.d.Auth.StillValid(s.srv.ctx, authn.POP3, s.grant)
	if err != nil {
		s.log.Error("pop3 grant check", "account", s.grant.Account.ID, "err", err)
		s.reply("-ERR [SYS/TEMP] Cannot check the login now, try again later")
		return false
	}
	if !ok {
		s.log.Info("pop3 session ended: credential no longer valid", "account", s.grant.Account.ID)
		s.reply("-ERR [AUTH] The login is no longer valid, closing connection")
		return false
	}
	return true
}

// capa lists the capabilities (RFC 2449); USER and SASL only where a login is possible now.
func (s *session) capa() bool {
	caps := []string{"+OK Capability list follows", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
	if s.state == stateAuthorization {
		if s.plainAllowed() {
			caps = append(caps, "USER", "SASL PLAIN")
		}
		if s.stlsAvailable() {
			caps = append(caps, "STLS")
		}
	}
	caps = append(caps, "IMPLEMENTATION Tessera", ".")
	for _, c := range caps {
		s.w.WriteString(c)
		s.w.WriteString("\r\n")
	}
	return s.flush()
}
