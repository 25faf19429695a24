package eas

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// wipeElement is the Provision element of a wipe of that scope: RemoteWipe for the whole
// device, AccountOnlyRemoteWipe (EAS 16.1, MS-ASPROV 2.2.2.1) for this account's data only.
func wipeElement(scope string) string {
	if scope == store.WipeScopeAccount {
		return "AccountOnlyRemoteWipe"
	}
	return "RemoteWipe"
}

// wipeExchange is the wipe part of Provision (MS-ASPROV 3.2.5.1.2): the device's
// acknowledgement of a directive, or the directive itself while a wipe is pending. ok says
// whether resp is the whole answer; when not, the request is an ordinary policy exchange.
//
//   - An acknowledgement (<RemoteWipe> or <AccountOnlyRemoteWipe> with Status) of the pending
//     wipe's own element with Status 1 records it as done, audited, and is answered Status 1
//     with the element; a failure (Status 2) leaves it pending and is answered Status 2 with
//     the directive again, as the spec asks. An acknowledgement of the other element, or
//     with nothing pending, records nothing: a wipe already done is answered with its own
//     element again (a retried acknowledgement), no wipe at all with Status 1 alone, so an
//     acknowledgement never starts a wipe nobody asked for.
//   - A pending wipe answers any other Provision with the directive and no policy. An
//     account-only wipe needs 16.1 (it is refused for older devices when requested); should
//     the device now speak an older version, it cannot be told, so it gets Status 2 and no
//     policy — it stays cut off, as if wiped, until it speaks 16.1 again — rather than a
//     whole-device wipe nobody chose.
func (s *Server) wipeExchange(ctx context.Context, c *call, resp *wbxml.Node) (*wbxml.Node, bool, error) {
	d := c.device
	scope := device.WipeScopeOf(d)
	for _, el := range []string{"RemoteWipe", "AccountOnlyRemoteWipe"} {
		ack := c.body.Child(el)
		if ack == nil {
			continue
		}
		switch {
		case d.WipeState == store.WipeRequested && el == wipeElement(scope) && ack.TextOf("Status") == "1":
			if err := s.devices.WipeDone(ctx, d, c.account.Email, clientIP(c.r)); err != nil {
				return nil, true, err
			}
			s.log.Warn("eas: remote wipe acknowledged", "account", c.account.Email, "device", d.DeviceID, "scope", scope)
			return resp.Add(wbxml.NewText("Status", "1"), wbxml.New(el)), true, nil
		case d.WipeState == store.WipeRequested && el == wipeElement(scope):
			s.log.Warn("eas: remote wipe failed on the device", "account", c.account.Email, "device", d.DeviceID,
				"scope", scope, "status", ack.TextOf("Status"))
			return resp.Add(wbxml.NewText("Status", "2"), wbxml.New(el)), true, nil
		case d.WipeState == store.WipeDone && el == wipeElement(scope):
			return resp.Add(wbxml.NewText("Status", "1"), wbxml.New(el)), true, nil
		case d.WipeState == store.WipeRequested:
			break // the other element: not this wipe's acknowledgement; the directive follows
		default:
			return resp.Add(wbxml.NewText("Status", "1")), true, nil
		}
	}
	if d.WipeState != store.WipeRequested {
		return nil, false, nil
	}
	if scope == store.WipeScopeAccount && !c.req.AtLeast(device.AccountOnlyWipeVersion) {
		s.log.Warn("eas: account-only wipe pending for a device below 16.1", "account", c.account.Email,
			"device", d.DeviceID, "version", c.req.ProtocolVersion)
		return resp.Add(wbxml.NewText("Status", "2")), true, nil
	}
	s.log.Warn("eas: delivering remote wipe", "account", c.account.Email, "device", d.DeviceID, "scope", scope)
	return resp.Add(wbxml.NewText("Status", "1"), wbxml.New(wipeElement(scope))), true, nil
}
