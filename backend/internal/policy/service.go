package policy

import (
	"context"
	"errors"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is what the policy needs.
type Store interface {
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
	SetTwoFactorSetting(ctx context.Context, level store.SettingLevel, name, value string) error
}

// Service reads and writes the 2FA settings of the three levels.
type Service struct {
	store    Store
	breached *password.Breached
}

// NewService returns the service.
func NewService(st Store) *Service { return &Service{store: st} }

// UseBreached makes every account's password policy refuse passwords found in b (nil: none).
func (s *Service) UseBreached(b *password.Breached) { s.breached = b }

// ErrNotFound: the named domain or COS does not exist.
var ErrNotFound = errors.New("no such domain or COS")

// Decide resolves the effective 2FA state of an account.
func (s *Service) Decide(ctx context.Context, a *store.Account) (Decision, error) {
	if a.Domain.ID == 0 { // loaded without its domain and COS (the auth hot path does that)
		full, err := s.store.AccountByID(ctx, a.ID)
		if err != nil {
			return Decision{}, err
		}
		a = full
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return Decision{}, err
	}
	l := Levels{Domain: Setting(a.Domain.TwoFactor), Global: Setting(g.TwoFactor)}
	if a.COS != nil {
		l.COS = Setting(a.COS.TwoFactor)
	}
	return Resolve(l, a.TwoFactorEnabled), nil
}

// Enabled is Decide reduced to on/off (the authenticator's question).
func (s *Service) Enabled(ctx context.Context, a *store.Account) (bool, error) {
	d, err := s.Decide(ctx, a)
	return d.Enabled, err
}

// Set stores the setting of a level: global (name ignored), domain NAME or cos NAME.
func (s *Service) Set(ctx context.Context, level Level, name string, v Setting) error {
	at := map[Level]store.SettingLevel{LevelGlobal: store.GlobalLevel, LevelDomain: store.DomainLevel, LevelCOS: store.COSLevel}[level]
	if at == 0 {
		return fmt.Errorf("unknown level %q (global, domain or cos)", level)
	}
	err := s.store.SetTwoFactorSetting(ctx, at, name, string(v))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s %q: %w", level, name, ErrNotFound)
	}
	return err
}
