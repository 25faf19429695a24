package eas

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// DeviceStore is the persistence of devices.
type DeviceStore interface {
	DeviceOf(ctx context.Context, accountID uint64, deviceID string) (*store.Device, error)
	DeviceWithState(ctx context.Context, accountID uint64, deviceID, collection string) (*store.Device, *store.SyncState, error)
	DevicesOf(ctx context.Context, accountID uint64) ([]store.Device, error)
	CreateDeviceWithin(ctx context.Context, d *store.Device, limit int) (*store.Device, error)
	UpdateDevice(ctx context.Context, id uint64, fields map[string]any) error
	DeleteDevice(ctx context.Context, id uint64) error
	DeleteSyncStates(ctx context.Context, deviceID uint64) (int64, error)
}

// ErrNoDevice: the account has no device with that DeviceId.
var ErrNoDevice = errors.New("no such device")

// Devices records devices and carries out the operator's device commands.
type Devices struct {
	store  DeviceStore
	notify mailbox.Notifier
	now    func() time.Time
}

// NewDevices returns the device registry.
func NewDevices(st DeviceStore, n mailbox.Notifier) *Devices {
	return &Devices{store: st, notify: n, now: time.Now}
}

// touchEvery bounds the writes of lastSyncAt: a phone sends many requests a minute.
const touchEvery = time.Minute

// Touch records a request of a device: created at first contact, then its user agent, protocol
// version and last sync, written only when something changed or a minute has passed. A device
// the account has no room for (maxDevices, 0: unlimited) is ErrDeviceQuota and gets no row;
// devices already known keep working whatever the limit.
func (d *Devices) Touch(ctx context.Context, accountID uint64, r *Request, maxDevices func(context.Context) (int, error)) (*store.Device, error) {
	dev, _, err := d.touch(ctx, accountID, r, maxDevices, "")
	return dev, err
}

// TouchWithState is Touch that also reads the device's SyncState of collection, in the same
// statement (nil when it has none, as for a new device): FolderSync needs its hierarchy state
// on every request.
func (d *Devices) TouchWithState(ctx context.Context, accountID uint64, r *Request, maxDevices func(context.Context) (int, error), collection string) (*store.Device, *store.SyncState, error) {
	return d.touch(ctx, accountID, r, maxDevices, collection)
}

func (d *Devices) touch(ctx context.Context, accountID uint64, r *Request, maxDevices func(context.Context) (int, error), collection string) (*store.Device, *store.SyncState, error) {
	now := d.now().UTC().Truncate(time.Millisecond)
	var dev *store.Device
	var st *store.SyncState
	var err error
	if collection == "" {
		dev, err = d.store.DeviceOf(ctx, accountID, r.DeviceID)
	} else {
		dev, st, err = d.store.DeviceWithState(ctx, accountID, r.DeviceID, collection)
	}
	if errors.Is(err, store.ErrNotFound) {
		limit := 0
		if maxDevices != nil {
			if limit, err = maxDevices(ctx); err != nil {
				return nil, nil, err
			}
		}
		dev, err := d.store.CreateDeviceWithin(ctx, &store.Device{AccountID: accountID, DeviceID: r.DeviceID, DeviceType: r.DeviceType,
			UserAgent: clip(r.UserAgent, 191), ProtocolVersion: r.ProtocolVersion, FirstSyncAt: now, LastSyncAt: now}, limit)
		if errors.Is(err, store.ErrLimit) {
			return nil, nil, ErrDeviceQuota
		}
		return dev, nil, err
	} else if err != nil {
		return nil, nil, err
	}
	fields := map[string]any{}
	if ua := clip(r.UserAgent, 191); ua != "" && ua != dev.UserAgent {
		fields["user_agent"], dev.UserAgent = ua, ua
	}
	if r.ProtocolVersion != dev.ProtocolVersion {
		fields["protocol_version"], dev.ProtocolVersion = r.ProtocolVersion, r.ProtocolVersion
	}
	if r.DeviceType != dev.DeviceType {
		fields["device_type"], dev.DeviceType = r.DeviceType, r.DeviceType
	}
	if len(fields) > 0 || now.Sub(dev.LastSyncAt) >= touchEvery {
		fields["last_sync_at"], dev.LastSyncAt = now, now
		if err := d.store.UpdateDevice(ctx, dev.ID, fields); err != nil {
			return nil, nil, err
		}
	}
	return dev, st, nil
}

// List returns an account's devices.
func (d *Devices) List(ctx context.Context, accountID uint64) ([]store.Device, error) {
	return d.store.DevicesOf(ctx, accountID)
}

func (d *Devices) find(ctx context.Context, accountID uint64, deviceID string) (*store.Device, error) {
	dev, err := d.store.DeviceOf(ctx, accountID, deviceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoDevice
	}
	return dev, err
}

// Remove forgets a device and its SyncStates; its open Ping ends.
func (d *Devices) Remove(ctx context.Context, accountID uint64, deviceID string) error {
	dev, err := d.find(ctx, accountID, deviceID)
	if err != nil {
		return err
	}
	if err := d.store.DeleteDevice(ctx, dev.ID); err != nil {
		return err
	}
	d.notify.Publish(mailbox.Change{AccountID: accountID}) // wakes the device's Ping to notice
	return nil
}

// Reset drops a device's SyncStates: its next Sync gets Status 3 and FolderSync Status 9, and
// it resyncs from key 0.
func (d *Devices) Reset(ctx context.Context, accountID uint64, deviceID string) (int64, error) {
	dev, err := d.find(ctx, accountID, deviceID)
	if err != nil {
		return 0, err
	}
	n, err := d.store.DeleteSyncStates(ctx, dev.ID)
	if err == nil {
		d.notify.Publish(mailbox.Change{AccountID: accountID})
	}
	return n, err
}

// ResetAccount resets every device of an account and returns how many there were.
func (d *Devices) ResetAccount(ctx context.Context, accountID uint64) (int, error) {
	devs, err := d.store.DevicesOf(ctx, accountID)
	if err != nil {
		return 0, err
	}
	for _, dev := range devs {
		if _, err := d.store.DeleteSyncStates(ctx, dev.ID); err != nil {
			return 0, err
		}
	}
	if len(devs) > 0 {
		d.notify.Publish(mailbox.Change{AccountID: accountID})
	}
	return len(devs), nil
}

// clip cuts s to at most n bytes on a character boundary, invalid UTF-8 (a raw header)
// replaced: MySQL refuses a value that is not UTF-8, and a device's every request would fail.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
