package eas

import (
	"context"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// A quarantined device provisions and syncs, as with Exchange, but sees one folder, an Inbox
// holding one generated notice, until an admin decides. Nothing of it is stored: its keys are
// fixed strings no real SyncState ever has ("Q1", "Q2"), so after approval its next FolderSync
// meets an unknown key (Status 9) and the phone fetches the real hierarchy from key 0, and a
// Sync of the notice folder gets Status 12 (hierarchy changed). Its real SyncStates, if it had
// any, are left untouched.
const (
	noticeFolder = "quarantine"
	noticeItem   = "quarantine:1"
	noticeKey    = "Q1" // the hierarchy's key, and the notice folder's before the notice
	noticeSent   = "Q2" // the notice folder's key once the notice went out

	syncStatusInvalidKey = "3"
	syncStatusHierarchy  = "12"
)

// quarantined wraps a command of a quarantined device: Provision and Settings run as usual
// (the device says who it is), FolderSync, Sync, GetItemEstimate and Ping see only the notice,
// everything else is refused with common Status 130 (AccessDenied; HTTP 403 before 14.0).
func (s *Server) quarantined(cmd string, real commandFunc) commandFunc {
	return func(ctx context.Context, c *call) (*wbxml.Node, error) {
		if cmd == "Provision" || cmd == "Settings" {
			return real(ctx, c)
		}
		if err := s.devices.SendQuarantineNotice(ctx, c.account, c.device); err != nil {
			s.log.Warn("eas: quarantine notice", "account", c.account.Email, "device", c.device.DeviceID, "err", err)
		}
		switch cmd {
		case "FolderSync":
			return quarantineFolderSync(c), nil
		case "Sync":
			return s.quarantineSync(c), nil
		case "GetItemEstimate":
			return quarantineEstimate(c), nil
		case "Ping":
			return s.quarantinePing(ctx, c)
		}
		s.commonStatus(c, statusAccessDenied, "this device is waiting for an administrator's approval")
		return nil, errHandled
	}
}

func quarantineFolderSync(c *call) *wbxml.Node {
	resp := wbxml.New("FolderHierarchy:FolderSync")
	if c.body == nil || c.body.Name != "FolderHierarchy:FolderSync" || !c.body.Has("SyncKey") {
		return resp.Add(wbxml.NewText("Status", "10"))
	}
	switch c.body.TextOf("SyncKey") {
	case "0":
		return resp.Add(wbxml.NewText("Status", "1"), wbxml.NewText("SyncKey", noticeKey), wbxml.New("Changes",
			wbxml.NewText("Count", "1"), wbxml.New("Add", wbxml.NewText("ServerId", noticeFolder),
				wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Inbox"), wbxml.NewText("Type", "2"))))
	case noticeKey:
		return resp.Add(wbxml.NewText("Status", "1"), wbxml.NewText("SyncKey", noticeKey), wbxml.New("Changes", wbxml.NewText("Count", "0")))
	}
	// A key of the real hierarchy (a device quarantined after it synced): start over.
	return resp.Add(wbxml.NewText("Status", "9"))
}

// quarantineSync answers each collection: the notice folder gets the notice after its initial
// key, any other collection is told the hierarchy changed. An empty Sync gets an empty answer
// (nothing changed).
func (s *Server) quarantineSync(c *call) *wbxml.Node {
	if c.body == nil {
		return nil
	}
	cols := wbxml.New("Collections")
	for _, col := range c.body.Child("Collections").All("Collection") {
		id, key := col.TextOf("CollectionId"), col.TextOf("SyncKey")
		n := wbxml.New("Collection")
		switch {
		case id != noticeFolder:
			n.Add(wbxml.NewText("SyncKey", key), wbxml.NewText("CollectionId", id), wbxml.NewText("Status", syncStatusHierarchy))
		case key == "0":
			n.Add(wbxml.NewText("SyncKey", noticeKey), wbxml.NewText("CollectionId", id), wbxml.NewText("Status", "1"))
		case key == noticeKey:
			n.Add(wbxml.NewText("SyncKey", noticeSent), wbxml.NewText("CollectionId", id), wbxml.NewText("Status", "1"),
				wbxml.New("Commands", wbxml.New("Add", wbxml.NewText("ServerId", noticeItem),
					wbxml.New("ApplicationData", emailData(s.noticeItem(c), bodyOptions{})...))))
		case key == noticeSent:
			n.Add(wbxml.NewText("SyncKey", noticeSent), wbxml.NewText("CollectionId", id), wbxml.NewText("Status", "1"))
		default:
			n.Add(wbxml.NewText("SyncKey", "0"), wbxml.NewText("CollectionId", id), wbxml.NewText("Status", syncStatusInvalidKey))
		}
		cols.Add(n)
	}
	return wbxml.New("AirSync:Sync", cols)
}

// noticeItem is the notice as the device sees it; it exists only in this answer.
func (s *Server) noticeItem(c *call) *store.Item {
	return &store.Item{Subject: device.NoticeSubject, FromAddr: "Tessera <postmaster@" + domainPart(c.account.Email) + ">",
		ToAddr: c.account.Email, ReceivedAt: c.device.FirstSyncAt, BodyText: device.NoticeText(c.device), Importance: 1}
}

func domainPart(email string) string {
	for i := len(email) - 1; i >= 0; i-- {
		if email[i] == '@' {
			return email[i+1:]
		}
	}
	return "localhost"
}

func quarantineEstimate(c *call) *wbxml.Node {
	resp := wbxml.New("GetItemEstimate:GetItemEstimate")
	for _, col := range c.body.Child("Collections").All("Collection") {
		id, est, status := col.TextOf("CollectionId"), "0", "1"
		if id != noticeFolder {
			status = "2" // a collection the device does not have now
		} else if col.TextOf("AirSync:SyncKey") == noticeKey {
			est = "1"
		}
		resp.Add(wbxml.New("Response", wbxml.NewText("Status", status),
			wbxml.New("Collection", wbxml.NewText("CollectionId", id), wbxml.NewText("Estimate", est))))
	}
	return resp
}

// quarantinePing holds like a Ping that sees no change (there is none to see) until its
// heartbeat ends (Status 1) or the device's access changes (Status 7: the phone FolderSyncs
// and meets its real hierarchy, or the block). It is not counted among the held Pings of the
// registry: a quarantined device has the one notice folder only.
func (s *Server) quarantinePing(ctx context.Context, c *call) (*wbxml.Node, error) {
	bounds, err := s.heartbeatBounds(ctx)
	if err != nil {
		return nil, err
	}
	hb := bounds.min
	if n, err := strconv.Atoi(c.body.TextOf("HeartbeatInterval")); err == nil {
		hb = min(max(time.Duration(n)*time.Second, bounds.min), bounds.max)
	}
	changes, stop := s.mailbox.Notifier().Subscribe(c.account.ID)
	defer stop()
	timer := time.NewTimer(hb)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, errHandled
		case <-timer.C:
			return wbxml.New("Ping:Ping", wbxml.NewText("Status", "1")), nil
		case ch := <-changes:
			if ch.FolderID != 0 {
				continue // a delivery: the quarantined device sees none
			}
			dev, err := s.devices.Get(ctx, c.account.ID, c.device.DeviceID)
			if err != nil || device.AccessOf(dev) != policy.DeviceQuarantined || dev.Suspended {
				return wbxml.New("Ping:Ping", wbxml.NewText("Status", "7")), nil
			}
		}
	}
}
