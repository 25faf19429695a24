package eas

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/policy"
)

// Common status codes of device access (MS-ASCMD 2.2.2).
const (
	statusDeviceBlocked = "129" // DeviceIsBlockedForThisUser
	statusAccessDenied  = "130" // AccessDenied
)

// SuspendedRetryAfter is what a suspended device is told to wait before it asks again: an HTTP
// 503 with Retry-After is the answer phones back off from without dropping their state (they
// treat it as a busy server, as for throttling), where a protocol status would make them
// resync or show an error. Fifteen minutes keeps a suspended phone's polling cheap and lets a
// resumed one come back within a quarter of an hour.
const SuspendedRetryAfter = 15 * time.Minute

// refused answers a device that may not go on and reports whether it did: a blocked device
// gets common Status 129 (DeviceIsBlockedForThisUser) in its command's response from 14.0 on,
// Provision included, and HTTP 403 before 14.0 (no common statuses) or for a command without
// a WBXML response; a suspended device gets 503 with Retry-After. Neither touches the device's
// SyncStates.
func (s *Server) refused(c *call) bool {
	switch {
	case device.AccessOf(c.device) == policy.DeviceBlocked:
		s.commonStatus(c, statusDeviceBlocked, "this device is blocked for this account")
		return true
	case c.device.Suspended:
		c.w.Header().Set("Retry-After", strconv.Itoa(int(SuspendedRetryAfter/time.Second)))
		http.Error(c.w, "sync of this device is suspended", http.StatusServiceUnavailable)
		return true
	}
	return false
}

// commonStatus sends a common status in the command's own response (14.0 and later), or
// HTTP 403 with text where there is none.
func (s *Server) commonStatus(c *call, status, text string) {
	root, ok := rootOf[c.req.Cmd]
	if c.req.Cmd == "Provision" {
		root, ok = "Provision:Provision", true
	}
	if !ok || !c.req.AtLeast("14.0") {
		http.Error(c.w, text, http.StatusForbidden)
		return
	}
	s.write(c.w, wbxml.New(root, wbxml.NewText("Status", status)))
}
