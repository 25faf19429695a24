package httpapi

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

type deviceResponse struct {
	DeviceID        string `json:"deviceId"`
	DeviceType      string `json:"deviceType"`
	UserAgent       string `json:"userAgent"`
	ProtocolVersion string `json:"protocolVersion"`
	Model           string `json:"model"`
	FriendlyName    string `json:"friendlyName"`
	OS              string `json:"os"`
	Provisioned     bool   `json:"provisioned"`
	WipeState       string `json:"wipeState"`
	// WipeScope is what the wipe removes (device, account); absent when none was asked for.
	WipeScope       string     `json:"wipeScope,omitempty"`
	WipeRequestedAt *time.Time `json:"wipeRequestedAt,omitempty"`
	WipeDoneAt      *time.Time `json:"wipeDoneAt,omitempty"`
	// AccountOnlyWipe: the device speaks EAS 16.1, so only this account's data can be wiped.
	AccountOnlyWipe bool      `json:"accountOnlyWipe"`
	FirstSyncAt     time.Time `json:"firstSyncAt"`
	LastSyncAt      time.Time `json:"lastSyncAt"`
	Access          string    `json:"access"`
	AccessBy        string    `json:"accessBy"`
	Suspended       bool      `json:"suspended"`
	// Loop is the last sync loop the server broke by skipping an item; absent when none.
	Loop *deviceLoop `json:"loop,omitempty"`
}

type deviceLoop struct {
	Collection string    `json:"collection"`
	Item       string    `json:"item"`
	Count      int       `json:"count"`
	LastAt     time.Time `json:"lastAt"`
}

func toDeviceLoop(d *store.Device) *deviceLoop {
	l := device.LoopOf(d)
	if l == nil {
		return nil
	}
	return &deviceLoop{Collection: l.Collection, Item: l.Item, Count: l.Count, LastAt: l.LastAt.UTC()}
}

func toDevices(devs []store.Device) []deviceResponse {
	items := make([]deviceResponse, len(devs))
	for i, d := range devs {
		wipe := d.WipeState
		if wipe == "" {
			wipe = "none"
		}
		items[i] = deviceResponse{DeviceID: d.DeviceID, DeviceType: d.DeviceType, UserAgent: d.UserAgent,
			ProtocolVersion: d.ProtocolVersion, Model: d.Model, FriendlyName: d.FriendlyName, OS: d.OS,
			Provisioned: d.PolicyKey != "", WipeState: wipe, FirstSyncAt: d.FirstSyncAt.UTC(), LastSyncAt: d.LastSyncAt.UTC(),
			Access: string(device.AccessOf(&d)), AccessBy: orNone(d.AccessBy), Suspended: d.Suspended,
			Loop: toDeviceLoop(&d), WipeScope: device.WipeScopeOf(&d), WipeRequestedAt: utcOrNil(d.WipeRequestedAt),
			WipeDoneAt: utcOrNil(d.WipeDoneAt), AccountOnlyWipe: device.CanWipeAccountOnly(&d)}
	}
	return items
}

func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
