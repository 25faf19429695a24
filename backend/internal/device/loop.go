package device

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Loop is a sync loop the EAS server broke: the device sent the same failing command on one
// item of one collection Count times, and the item was skipped.
type Loop struct {
	Collection string    `json:"collection"`
	Item       string    `json:"item"`
	Count      int       `json:"count"`
	LastAt     time.Time `json:"lastAt"`
}

// LoopOf reads a device's recorded loop; nil when there is none (or it cannot be read: the
// record is informative only).
func LoopOf(d *store.Device) *Loop {
	if d.SyncLoop == "" {
		return nil
	}
	var l Loop
	if json.Unmarshal([]byte(d.SyncLoop), &l) != nil {
		return nil
	}
	return &l
}

// RecordLoop writes the loop on the device and audits it (actor system).
func (s *Service) RecordLoop(ctx context.Context, email string, d *store.Device, l Loop, ip string) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	v := string(b)
	if err := s.store.UpdateDevice(ctx, d.ID, store.DevicePatch{SyncLoop: &v}); err != nil {
		return err
	}
	d.SyncLoop = v
	if s.audit != nil {
		s.audit.Record(ctx, audit.Event{Actor: audit.ActorSystem, Account: email, Action: audit.ActionDeviceSyncLoop,
			Outcome: audit.OutcomeFailure, ClientIP: ip,
			Reason: d.DeviceID + ": item " + l.Item + " in collection " + l.Collection + " skipped after " + strconv.Itoa(l.Count) + " failures"})
	}
	return nil
}
