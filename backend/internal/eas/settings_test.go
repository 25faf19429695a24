package eas

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// settingsAccounts counts the writes Settings makes.
type settingsAccounts struct {
	AccountStore
	writes int
}

func (a *settingsAccounts) AccountByID(context.Context, uint64) (*store.Account, error) {
	return &store.Account{}, nil
}
func (a *settingsAccounts) SetOof(context.Context, uint64, string) error { a.writes++; return nil }

// settingsDevices counts the device writes into the same tally.
type settingsDevices struct {
	device.Store
	acc *settingsAccounts
}

func (d settingsDevices) UpdateDevice(context.Context, uint64, store.DevicePatch) error {
	d.acc.writes++
	return nil
}

// Settings writes nothing when its answer cannot be encoded: the phone would never hear of the
// change (here an address with a NUL, which WBXML text cannot carry, stands for any encoding
// error); when it can, both writes happen.
func TestSettingsWritesOnlyAnAnswerThatEncodes(t *testing.T) {
	body := wbxml.New("Settings:Settings", wbxml.New("UserInformation", wbxml.New("Get")),
		wbxml.New("DeviceInformation", wbxml.New("Set", wbxml.NewText("Model", "Pixel"))),
		wbxml.New("Oof", wbxml.New("Set", wbxml.NewText("OofState", "0"))))
	for _, tc := range []struct {
		email  string
		writes int
	}{{"a\x00@example.com", 0}, {"a@example.com", 2}} {
		for _, version := range []string{"12.1", "14.0", "14.1", "16.1"} {
			acc := &settingsAccounts{}
			s := &Server{accounts: acc, devices: device.New(settingsDevices{acc: acc}, nil)}
			c := &call{req: &Request{ProtocolVersion: version}, account: &store.Account{ID: 1, Email: tc.email}, device: &store.Device{ID: 1}, body: body}
			resp, err := s.settings(context.Background(), c)
			if acc.writes != tc.writes || (tc.writes == 0) != (err != nil) {
				t.Errorf("%q at %s: %d writes, err %v", tc.email, version, acc.writes, err)
			}
			if err == nil {
				if _, err := wbxml.Marshal(resp); err != nil {
					t.Errorf("%s: %v", version, err)
				}
			}
		}
	}
}
