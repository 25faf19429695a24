package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

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

// myDevices lists the caller's own EAS devices (the settings page shows them read-only).
func (s *server) myDevices(c *gin.Context) {
	devs, err := s.devices.List(c.Request.Context(), principal(c).Account.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": toDevices(devs)})
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
