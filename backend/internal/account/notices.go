package account

import (
	"context"
	"net/netip"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Notifier tells an account's owner of a security event by mail (package notice); it returns
// at once and never fails the caller.
type Notifier interface {
	Notify(ctx context.Context, a *store.Account, n notice.Notice)
}

// UseNotices gives the service the security notices; without it none is sent.
func (s *Service) UseNotices(n Notifier) { s.notices = n }

func (s *Service) notice(ctx context.Context, a *store.Account, n notice.Notice) {
	if s.notices != nil {
		s.notices.Notify(ctx, a, n)
	}
}

// BrowserMemory is how long a browser counts as seen on an account after its last sign-in
// there: housekeeping keeps web sessions' rows this long past their expiry.
const BrowserMemory = 90 * 24 * time.Hour

// browsersSeen is the store's memory of where an account signed in (its web sessions' rows).
type browsersSeen interface {
	BrowsersSeen(ctx context.Context, accountID uint64, since time.Time, limit int) ([]store.WebSession, error)
}

// noticeNewBrowser sends the "new sign-in" notice when cl is a browser the account has not
// signed in with for BrowserMemory: no web session of the account shows the same browser
// (Browser's summary of the User-Agent, so that browser updates do not count as new) from
// the same network (the /24 of an IPv4 address, the /64 of an IPv6 one, so that a home
// router's new address does not either). An account with no sign-in on record at all (new,
// or last seen before web sessions were recorded) gets none: there is nothing to compare.
// Called before the new session's row is written.
func (s *Service) noticeNewBrowser(ctx context.Context, a *store.Account, cl Client) {
	st, ok := s.store.(browsersSeen)
	if s.notices == nil || !ok {
		return
	}
	rows, err := st.BrowsersSeen(ctx, a.ID, s.now().Add(-BrowserMemory), 1000)
	if err != nil || len(rows) == 0 {
		return
	}
	browser, network := Browser(cl.UserAgent), Network(cl.IP)
	for _, r := range rows {
		if Browser(r.UserAgent) == browser && Network(r.IP) == network {
			return
		}
	}
	s.notice(ctx, a, notice.Notice{Event: notice.NewBrowser, Browser: browser, Address: cl.IP})
}

// Network is the network of an address as "seen" compares it: the /24 of IPv4, the /64 of
// IPv6; anything else as it is.
func Network(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	bits := 64
	if addr.Unmap().Is4() {
		addr, bits = addr.Unmap(), 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return ip
	}
	return p.String()
}
