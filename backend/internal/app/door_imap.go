package app

import (
	"crypto/tls"

	"github.com/tessera-mail/tessera/backend/internal/imap"
)

// imapDoors: the IMAP door (STARTTLS offered with tlsCfg) and the IMAPS door (implicit TLS),
// one server behind both so that the IDLE bound and the gauge count every session.
func (a *App) imapDoors(tlsCfg *tls.Config) []Door {
	if a.Config.IMAPListen == "" && a.Config.IMAPSListen == "" {
		return nil
	}
	srv := a.NewIMAPServer(tlsCfg)
	return []Door{
		{Name: "imap", Addr: a.Config.IMAPListen, Server: srv},
		{Name: "imaps", Addr: a.Config.IMAPSListen, ImplicitTLS: true, Server: srv},
	}
}

// NewIMAPServer builds the IMAP server from the App's services (tests serve it on their own
// listeners).
func (a *App) NewIMAPServer(tlsCfg *tls.Config) *imap.Server {
	var idle imap.Gauge
	if a.Metrics != nil {
		idle = a.Metrics.IMAPIdle
	}
	return imap.New(imap.Deps{Mailbox: a.Mailbox, Authn: a.Authn, Log: a.Log, Idle: idle},
		imap.Options{TLS: tlsCfg, PlaintextLoopback: a.Config.MailPlaintextLoopback, MaxIdle: a.Config.IMAPMaxIdle})
}
