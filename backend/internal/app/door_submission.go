package app

import (
	"crypto/tls"
	"net/url"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/submission"
)

// submissionDoors: SMTP submission with STARTTLS and over implicit TLS, one server behind
// both, sending through the path EAS SendMail uses.
func (a *App) submissionDoors(tlsCfg *tls.Config) []Door {
	cfg := a.Config
	if cfg.SubmissionListen == "" && cfg.SubmissionsListen == "" {
		return nil
	}
	domain := "localhost"
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	srv := submission.New(submission.Deps{
		Auth:   a.Authn,
		Sender: mailbox.NewSender(a.Mailbox, a.Store, cfg.SMTPRelay),
		Log:    a.Log.With("door", "submission"),
	}, submission.Options{
		TLS:               tlsCfg,
		PlaintextLoopback: cfg.MailPlaintextLoopback,
		SaveSent:          cfg.SubmissionSaveSent,
		Domain:            domain,
	})
	return []Door{
		{Name: "submission", Addr: cfg.SubmissionListen, Server: srv},
		{Name: "submissions", Addr: cfg.SubmissionsListen, ImplicitTLS: true, Server: srv},
	}
}
