package eas

import (
	"context"
	"net/http"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// Limits an administrator sets at run time (global settings), read on each request so a change
// applies at once on every instance.

// heartbeat is the range of heartbeats a device may ask for in Ping and Sync.
type heartbeat struct{ min, max time.Duration }

// heartbeatBounds reads the global settings; a row without them keeps the configured bounds.
func (s *Server) heartbeatBounds(ctx context.Context) (heartbeat, error) {
	h := heartbeat{s.opts.HeartbeatMin, s.opts.HeartbeatMax}
	g, err := s.accounts.GlobalSettings(ctx)
	if err != nil {
		return h, err
	}
	if g.EASHeartbeatMinSeconds > 0 && g.EASHeartbeatMaxSeconds >= g.EASHeartbeatMinSeconds {
		h = heartbeat{time.Duration(g.EASHeartbeatMinSeconds) * time.Second, time.Duration(g.EASHeartbeatMaxSeconds) * time.Second}
	}
	return h, nil
}

// statusDeviceQuota is the common status "DeviceQuotaExceeded" (MS-ASCMD 2.2.2): the account
// has as many devices as it may.
const statusDeviceQuota = "177"

// refuseNewDevice answers a device the account has no room for; no device row exists for it.
// Every new device is sent to Provision first, which answers Status 177; another command gets
// the same status in its response from 14.0 on, or HTTP 449 (go to Provision) before.
func (s *Server) refuseNewDevice(w http.ResponseWriter, req *Request) {
	root := rootOf[req.Cmd]
	if req.Cmd == "Provision" {
		root = "Provision:Provision"
	}
	switch {
	case req.Cmd != "Provision" && !req.AtLeast("14.0"):
		http.Error(w, "provisioning required", 449)
	case root == "":
		http.Error(w, "device quota exceeded", http.StatusForbidden)
	default:
		s.write(w, wbxml.New(root, wbxml.NewText("Status", statusDeviceQuota)))
	}
}
