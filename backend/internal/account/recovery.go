package account

import (
	"context"
	"net/mail"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// maxAddress is the longest address SMTP carries (RFC 5321's path limit less its brackets).
const maxAddress = 254

// RecoveryAddress checks addr as the recovery address of the account own: a bare address
// (no display name), ASCII (the relay may not speak SMTPUTF8), with a domain name, and not
// the account's own address — a copy there would go where the notice already is. It returns
// the address lower-cased; "" (after trimming) clears it.
func RecoveryAddress(own, addr string) (string, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return "", nil
	}
	if len(addr) > maxAddress {
		return "", invalid("the recovery address is longer than %d characters", maxAddress)
	}
	for _, r := range addr {
		if r < 0x21 || r > 0x7e {
			return "", invalid("the recovery address must be a plain address like name@example.org")
		}
	}
	p, err := mail.ParseAddress(addr)
	at := strings.LastIndexByte(addr, '@')
	if err != nil || p.Name != "" || p.Address != addr || at < 1 ||
		!strings.Contains(addr[at+1:], ".") || strings.HasSuffix(addr, ".") {
		return "", invalid("the recovery address must be a plain address like name@example.org")
	}
	if strings.EqualFold(addr, own) {
		return "", invalid("the recovery address must differ from the account's own address")
	}
	return addr, nil
}

// SetRecoveryEmail is the user's own change of their recovery address ("" clears it). A
// change is audited and sends recovery_changed to the Inbox, the new address and the old one.
func (s *Service) SetRecoveryEmail(ctx context.Context, p *Principal, addr, clientIP string) (*store.Account, error) {
	a := p.Account
	addr, err := RecoveryAddress(a.Email, addr)
	if err != nil {
		return nil, err
	}
	cur, err := s.store.AccountByID(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if cur.RecoveryEmail == addr {
		return cur, nil
	}
	if err := s.store.UpdateAccount(ctx, a.ID, store.AccountPatch{RecoveryEmail: &addr}, false); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionAccountUpdated,
		Outcome: audit.OutcomeSuccess, Reason: "recovery_email=" + addr, ClientIP: clientIP})
	updated, err := s.store.AccountByID(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	s.notice(ctx, updated, notice.Notice{Event: notice.RecoveryChanged, Address: clientIP,
		Recovery: addr, OldRecovery: cur.RecoveryEmail})
	return updated, nil
}
