package device

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/policy"
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

// newDeviceClaimer marks a device's "new device" notice as sent (package store).
type newDeviceClaimer interface {
	ClaimNewDeviceNotice(ctx context.Context, id uint64) (bool, error)
}

// noticeNewDevice tells the account's owner that a device syncs for the first time: once per
// device (the first of its concurrent first requests claims it), and only for a device that
// may sync — a quarantined one gets the quarantine notice instead, a blocked one syncs nothing.
func (s *Service) noticeNewDevice(ctx context.Context, dev *store.Device) {
	claimer, ok := s.store.(newDeviceClaimer)
	if s.notices == nil || s.access == nil || !ok || AccessOf(dev) != policy.DeviceAllowed {
		return
	}
	if mine, err := claimer.ClaimNewDeviceNotice(ctx, dev.ID); err != nil || !mine {
		return
	}
	a, err := s.access.AccountByID(ctx, dev.AccountID)
	if err != nil {
		return
	}
	name := dev.DeviceType
	if name == "" {
		name = "device"
	}
	s.notice(ctx, a, notice.Notice{Event: notice.NewDevice, Device: name + " (" + dev.DeviceID + ")"})
}
