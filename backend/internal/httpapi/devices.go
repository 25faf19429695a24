package httpapi

import (
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

type deviceResponse struct {
	DeviceID        string    `json:"deviceId"`
	DeviceType      string    `json:"deviceType"`
	UserAgent       string    `json:"userAgent"`
	ProtocolVersion string    `json:"protocolVersion"`
	Model           string    `json:"model"`
	FriendlyName    string    `json:"friendlyName"`
	OS              string    `json:"os"`
	Provisioned     bool      `json:"provisioned"`
	WipeState       string    `json:"wipeState"`
	FirstSyncAt     time.Time `json:"firstSyncAt"`
	LastSyncAt      time.Time `json:"lastSyncAt"`
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
			Provisioned: d.PolicyKey != "", WipeState: wipe, FirstSyncAt: d.FirstSyncAt.UTC(), LastSyncAt: d.LastSyncAt.UTC()}
	}
	return items
}
