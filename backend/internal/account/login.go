package account

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Login checks a username and the account password for the web through the one authenticator.
// Every failure is authn.ErrInvalidCredentials (or an authn.ThrottledError).
func (s *Service) Login(ctx context.Context, username, pw, clientIP string) (*store.Account, *session.Issued, error) {
	g, err := s.authn.Authenticate(ctx, authn.Request{Service: authn.Web, Username: username, Secret: pw, ClientIP: clientIP})
	if err != nil {
		return nil, nil, err
	}
	a, err := s.store.AccountByID(ctx, g.Account.ID) // with domain and COS, for the response
	if err != nil {
		return nil, nil, err
	}
	iss, err := s.sessions.Issue(a.ID, a.TokenVersion)
	if err != nil {
		return nil, nil, err
	}
	_ = s.store.TouchLogin(ctx, a.ID, s.now())
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionLogin, Outcome: audit.OutcomeSuccess, ClientIP: clientIP})
	return a, iss, nil
}
