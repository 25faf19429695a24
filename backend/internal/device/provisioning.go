package device

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// RequestWipe asks the device to wipe itself; it is delivered at its next Provision, which
// its next command is sent to (the held Ping is woken to get there sooner).
func (s *Service) RequestWipe(ctx context.Context, accountID uint64, deviceID string) error {
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return err
	}
	wipe := store.WipeRequested
	if err := s.store.UpdateDevice(ctx, dev.ID, store.DevicePatch{WipeState: &wipe}); err != nil {
		return err
	}
	s.notify.Publish(mailbox.Change{AccountID: accountID})
	return nil
}

// WipeDone records the device's acknowledgement of a remote wipe (id: its row).
func (s *Service) WipeDone(ctx context.Context, id uint64) error {
	done := store.WipeDone
	return s.store.UpdateDevice(ctx, id, store.DevicePatch{WipeState: &done})
}

// OfferPolicy keeps the temporary policy key of the first step of Provision, which the
// acknowledgement must carry.
func (s *Service) OfferPolicy(ctx context.Context, id uint64, tempKey string) error {
	return s.store.UpdateDevice(ctx, id, store.DevicePatch{PendingKey: &tempKey})
}

// AcceptPolicy makes the device provisioned with its final key.
func (s *Service) AcceptPolicy(ctx context.Context, id uint64, finalKey string) error {
	none := ""
	return s.store.UpdateDevice(ctx, id, store.DevicePatch{PolicyKey: &finalKey, PendingKey: &none})
}

// Information is what a device says about itself (Settings DeviceInformation Set); "" is
// not said.
type Information struct {
	Model, FriendlyName, OS, UserAgent string
}

// SetInformation keeps what the device said, each value cut to its column; nothing said,
// nothing written. What it said may match a rule (the model and OS are known only now), so
// its access is reconsidered.
func (s *Service) SetInformation(ctx context.Context, dev *store.Device, info Information) error {
	var p store.DevicePatch
	for _, f := range []struct {
		v   string
		dst **string
	}{{info.Model, &p.Model}, {info.FriendlyName, &p.FriendlyName}, {info.OS, &p.OS}, {info.UserAgent, &p.UserAgent}} {
		if f.v != "" {
			v := clip(f.v, 191)
			*f.dst = &v
		}
	}
	if p.Empty() {
		return nil
	}
	if err := s.store.UpdateDevice(ctx, dev.ID, p); err != nil {
		return err
	}
	for _, f := range []struct {
		v   *string
		dst *string
	}{{p.Model, &dev.Model}, {p.FriendlyName, &dev.FriendlyName}, {p.OS, &dev.OS}, {p.UserAgent, &dev.UserAgent}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	return s.reconsider(ctx, dev.AccountID, dev)
}
