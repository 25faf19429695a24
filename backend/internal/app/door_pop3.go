package app

import (
	"crypto/tls"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
)

// pop3Doors: POP3 with STLS (offered when there is a certificate) and POP3 over implicit TLS.
// Each door has a server of its own, so that closing one leaves the other as it is.
func (a *App) pop3Doors(tlsCfg *tls.Config) []Door {
	build := func(name string) *pop3.Server {
		return pop3.New(pop3.Deps{Auth: a.Authn, Mailbox: a.Mailbox, Log: a.Log.With("door", name), TLS: tlsCfg,
			Options: pop3.Options{PlaintextLoopback: a.Config.MailPlaintextLoopback}})
	}
	var out []Door
	if a.Config.POP3Listen != "" {
		out = append(out, Door{Name: "pop3", Addr: a.Config.POP3Listen, Server: build("pop3")})
	}
	if a.Config.POP3SListen != "" {
		out = append(out, Door{Name: "pop3s", Addr: a.Config.POP3SListen, ImplicitTLS: true, Server: build("pop3s")})
	}
	return out
}
