package device

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// memStore keeps one account's devices and records the patches written.
type memStore struct {
	Store
	devices map[string]*store.Device
	limit   int
	asked   int // GlobalSettings reads
	patches []store.DevicePatch
}

func (m *memStore) DeviceOf(_ context.Context, _ uint64, id string) (*store.Device, error) {
	if d, ok := m.devices[id]; ok {
		c := *d
		return &c, nil
	}
	return nil, store.ErrNotFound
}

func (m *memStore) GlobalSettings(context.Context) (*store.GlobalSettings, error) {
	m.asked++
	return &store.GlobalSettings{EASMaxDevicesPerAccount: m.limit}, nil
}

func (m *memStore) CreateDeviceWithin(_ context.Context, d *store.Device, limit int) (*store.Device, error) {
	if limit > 0 && len(m.devices) >= limit {
		return nil, store.ErrLimit
	}
	d.ID = uint64(len(m.devices) + 1)
	m.devices[d.DeviceID] = d
	c := *d
	return &c, nil
}

func (m *memStore) UpdateDevice(_ context.Context, id uint64, p store.DevicePatch) error {
	m.patches = append(m.patches, p)
	for _, d := range m.devices {
		if d.ID != id {
			continue
		}
		for dst, v := range map[*string]*string{&d.DeviceType: p.DeviceType, &d.UserAgent: p.UserAgent, &d.ProtocolVersion: p.ProtocolVersion} {
			if v != nil {
				*dst = *v
			}
		}
		if p.LastSyncAt != nil {
			d.LastSyncAt = *p.LastSyncAt
		}
	}
	return nil
}

// A device is created at first contact within the quota (read only then); later requests
// write only what changed, and the last sync at most once a minute.
func TestTouch(t *testing.T) {
	ctx := context.Background()
	m := &memStore{devices: map[string]*store.Device{}, limit: 1}
	s := New(m, nil)
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return at }
	c := Contact{DeviceID: "phone", DeviceType: "iPhone", UserAgent: strings.Repeat("é", 100), ProtocolVersion: "16.1"}
	dev, err := s.Touch(ctx, 1, c)
	if err != nil || dev.DeviceID != "phone" || len(dev.UserAgent) > 191 || !dev.LastSyncAt.Equal(at) || m.asked != 1 {
		t.Fatalf("first contact: %+v, %v, settings read %d times", dev, err, m.asked)
	}
	if _, err := s.Touch(ctx, 1, Contact{DeviceID: "other", DeviceType: "iPhone"}); !errors.Is(err, ErrQuota) || m.devices["other"] != nil {
		t.Fatalf("a device beyond the quota: %v", err)
	}
	at = at.Add(30 * time.Second)
	if _, err := s.Touch(ctx, 1, c); err != nil || len(m.patches) != 0 || m.asked != 2 {
		t.Fatalf("nothing changed within the minute: %d writes, %v, settings read %d times", len(m.patches), err, m.asked)
	}
	c.ProtocolVersion = "14.1"
	if dev, err = s.Touch(ctx, 1, c); err != nil || len(m.patches) != 1 || dev.ProtocolVersion != "14.1" {
		t.Fatalf("a new protocol version: %+v, %v", m.patches, err)
	}
	if p := m.patches[0]; p.ProtocolVersion == nil || *p.ProtocolVersion != "14.1" || p.LastSyncAt == nil || p.UserAgent != nil || p.DeviceType != nil {
		t.Fatalf("the patch of a new protocol version: %+v", p)
	}
	at = at.Add(time.Minute)
	if _, err := s.Touch(ctx, 1, c); err != nil || len(m.patches) != 2 {
		t.Fatalf("a minute later: %d writes, %v", len(m.patches), err)
	}
	if p := m.patches[1]; p.LastSyncAt == nil || !p.LastSyncAt.Equal(at) || p.ProtocolVersion != nil || p.UserAgent != nil {
		t.Fatalf("the patch a minute later: %+v", p)
	}
}
