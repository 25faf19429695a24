package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func acctKey(email string) string { return "acct:" + email }
func addrKey(ip string) string    { return "ip:" + ip }

// throttled returns a ThrottledError when the account or the address must wait.
func (s *Service) throttled(ctx context.Context, email, clientIP string) error {
	wait := time.Duration(0)
	for _, c := range []struct {
		l   Limiter
		key string
	}{{s.byAcct, acctKey(email)}, {s.byAddr, addrKey(clientIP)}} {
		w, err := c.l.Check(ctx, c.key)
		if err != nil {
			return err
		}
		wait = max(wait, w)
	}
	if wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, email, clientIP string) {
	if _, err := s.byAcct.Fail(ctx, acctKey(email)); err != nil {
		s.log.Error("throttle", "err", err)
	}
	if _, err := s.byAddr.Fail(ctx, addrKey(clientIP)); err != nil {
		s.log.Error("throttle", "err", err)
	}
}

// Login checks a username and the account password for the web. Every failure is the same
// ErrInvalidCredentials (or a ThrottledError); the reason goes to the audit log only.
func (s *Service) Login(ctx context.Context, username, pw, clientIP string) (*store.Account, *session.Issued, error) {
	email, _, nerr := NormalizeEmail(username)
	if nerr != nil {
		email = username // still throttled and audited under what was typed
	}
	fail := func(reason string) (*store.Account, *session.Issued, error) {
		s.recordFailure(ctx, email, clientIP)
		s.audit.Record(ctx, audit.Event{Actor: email, Account: email, Action: audit.ActionLoginFailed, Outcome: audit.OutcomeFailure, Reason: reason, ClientIP: clientIP})
		return nil, nil, ErrInvalidCredentials
	}
	if err := s.throttled(ctx, email, clientIP); err != nil {
		s.audit.Record(ctx, audit.Event{Actor: email, Account: email, Action: audit.ActionLoginThrottled, Outcome: audit.OutcomeFailure, Reason: err.Error(), ClientIP: clientIP})
		return nil, nil, err
	}
	if nerr != nil {
		password.VerifyDummy(pw)
		return fail("malformed username")
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		password.VerifyDummy(pw) // the same time as a real check: timing says nothing about existence
		return fail("no such account")
	} else if err != nil {
		return nil, nil, err
	}
	ok, err := password.Verify(pw, a.PasswordHash)
	if err != nil {
		return nil, nil, fmt.Errorf("account %d: %w", a.ID, err)
	}
	if !ok {
		return fail("wrong password")
	}
	if a.Status != store.StatusActive {
		return fail("account " + a.Status)
	}
	if password.NeedsRehash(a.PasswordHash) {
		if h, err := password.Hash(pw); err == nil {
			_ = s.store.RehashPassword(ctx, a.ID, a.PasswordHash, h)
		}
	}
	_ = s.byAcct.Reset(ctx, acctKey(email))
	iss, err := s.sessions.Issue(a.ID, a.TokenVersion)
	if err != nil {
		return nil, nil, err
	}
	_ = s.store.TouchLogin(ctx, a.ID, s.now())
	s.audit.Record(ctx, audit.Event{Actor: email, Account: email, Action: audit.ActionLogin, Outcome: audit.OutcomeSuccess, ClientIP: clientIP})
	return a, iss, nil
}
