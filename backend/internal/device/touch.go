package device

import (
	"context"
	"errors"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Contact is what a request of a device says of it (the EAS query string and User-Agent).
type Contact struct {
	DeviceID, DeviceType, UserAgent, ProtocolVersion string
}

// ErrQuota: a new device would exceed easMaxDevicesPerAccount.
var ErrQuota = errors.New("device quota exceeded")

// touchEvery bounds the writes of lastSyncAt: a phone sends many requests a minute.
const touchEvery = time.Minute

// Touch records a request of a device: created at first contact, then its user agent, protocol
// version and last sync, written only when something changed or a minute has passed. A device
// the account has no room for (easMaxDevicesPerAccount, 0: unlimited) is ErrQuota and gets no
// row; devices already known keep working whatever the limit.
func (s *Service) Touch(ctx context.Context, accountID uint64, c Contact) (*store.Device, error) {
	dev, _, err := s.touch(ctx, accountID, c, "")
	return dev, err
}

// TouchWithState is Touch that also reads the device's SyncState of collection, in the same
// statement (nil when it has none, as for a new device): FolderSync needs its hierarchy state
// on every request.
func (s *Service) TouchWithState(ctx context.Context, accountID uint64, c Contact, collection string) (*store.Device, *store.SyncState, error) {
	return s.touch(ctx, accountID, c, collection)
}

func (s *Service) touch(ctx context.Context, accountID uint64, c Contact, collection string) (*store.Device, *store.SyncState, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	var dev *store.Device
	var st *store.SyncState
	var err error
	if collection == "" {
		dev, err = s.store.DeviceOf(ctx, accountID, c.DeviceID)
	} else {
		dev, st, err = s.store.DeviceWithState(ctx, accountID, c.DeviceID, collection)
	}
	if errors.Is(err, store.ErrNotFound) {
		dev, err := s.create(ctx, &store.Device{AccountID: accountID, DeviceID: c.DeviceID, DeviceType: c.DeviceType,
			UserAgent: clip(c.UserAgent, 191), ProtocolVersion: c.ProtocolVersion, FirstSyncAt: now, LastSyncAt: now})
		return dev, nil, err
	} else if err != nil {
		return nil, nil, err
	}
	var p store.DevicePatch
	changed := false
	if ua := clip(c.UserAgent, 191); ua != "" && ua != dev.UserAgent {
		p.UserAgent, dev.UserAgent, changed = &ua, ua, true
	}
	if c.ProtocolVersion != dev.ProtocolVersion {
		p.ProtocolVersion, dev.ProtocolVersion, changed = &c.ProtocolVersion, c.ProtocolVersion, true
	}
	if c.DeviceType != dev.DeviceType {
		p.DeviceType, dev.DeviceType, changed = &c.DeviceType, c.DeviceType, true
	}
	if changed || now.Sub(dev.LastSyncAt) >= touchEvery {
		p.LastSyncAt, dev.LastSyncAt = &now, now
		if err := s.store.UpdateDevice(ctx, dev.ID, p); err != nil {
			return nil, nil, err
		}
	}
	if changed { // what the rules match may have changed
		if err := s.reconsider(ctx, accountID, dev); err != nil {
			return nil, nil, err
		}
	}
	return dev, st, nil
}

// create records a device at first contact, within the quota, read only now that a new
// device appears.
// Its access state is decided here too, by the rules and the setting of the account's levels.
func (s *Service) create(ctx context.Context, d *store.Device) (*store.Device, error) {
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return nil, err
	}
	access, by, decided, err := s.decide(ctx, d.AccountID, d, true)
	if err != nil {
		return nil, err
	}
	if decided {
		d.Access, d.AccessBy = string(access), by
	}
	dev, err := s.store.CreateDeviceWithin(ctx, d, g.EASMaxDevicesPerAccount)
	if errors.Is(err, store.ErrLimit) {
		return nil, ErrQuota
	}
	if err == nil && decided && (access != policy.DeviceAllowed || by == ByRule) {
		s.recordAccess(ctx, d.AccountID, dev, audit.ActorSystem, "")
	}
	if err == nil {
		s.noticeNewDevice(ctx, dev)
	}
	return dev, err
}
