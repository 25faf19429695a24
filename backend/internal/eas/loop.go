package eas

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/device"
)

// Loop detection (as Z-Push's LoopDetection): a device whose change of one item keeps failing
// resends it with every Sync — or retries the same key again and again — and never gets
// further. The server counts the failures of each device's command on each item; from the
// loopLimit-th within loopWindow on, it answers that command with a per-item Status the
// device accepts (so it drops the change), skips the item and records the loop on the device.
// The same goes for an item the server cannot encode: the Sync fails and the device retries it;
// from the loopLimit-th failure on the item is left out of the answer (collectionNode).
// One retry of the previous key is not a loop: it is answered as the first time (syncreplay.go).
// A device's Add that fails (the same ClientId in the same collection, with the same error) is
// counted too; at the loop it keeps its Status 6, which MS-ASCMD defines as "do not resend this
// item" and which Z-Push answers too (an Add has no ServerId to acknowledge with Status 1), and
// the loop is recorded the same way, so the administrator sees which device is stuck.
// The counts live in memory: after a restart a loop is simply found again.
const (
	loopLimit  = 3
	loopWindow = 10 * time.Minute
)

type loopKey struct {
	device     uint64
	collection string
	op, item   string
}

type loopCount struct {
	n    int
	last time.Time
	why  string // the error: another error starts the count anew
}

type loopDetector struct {
	mu     sync.Mutex
	counts map[loopKey]loopCount
}

func newLoopDetector() *loopDetector { return &loopDetector{counts: map[loopKey]loopCount{}} }

// failed counts one failure of a command and returns how many there were in a row, each within
// loopWindow of the one before.
func (d *loopDetector) failed(k loopKey, now time.Time) int { return d.failedWith(k, "", now) }

// failedWith is failed for a failure whose error is why: only the same error in a row counts.
func (d *loopDetector) failedWith(k loopKey, why string, now time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.counts) > 10000 { // forget the stale ones now and then
		for key, c := range d.counts {
			if now.Sub(c.last) > loopWindow {
				delete(d.counts, key)
			}
		}
	}
	c := d.counts[k]
	if now.Sub(c.last) > loopWindow || c.why != why {
		c.n = 0
	}
	c.n++
	c.last, c.why = now, why
	d.counts[k] = c
	return c.n
}

// succeeded forgets a command's failures: only failures in a row make a loop.
func (d *loopDetector) succeeded(k loopKey) {
	d.mu.Lock()
	delete(d.counts, k)
	d.mu.Unlock()
}

// looping counts a failure of the device's op on item and reports whether it is now a loop to
// break; a loop found is recorded on the device (and audited). A failure to record it is
// logged only: the skip matters more than the record.
func (s *Server) looping(ctx context.Context, c *call, collection, op, item string) bool {
	return s.loopingWith(ctx, c, collection, op, item, "")
}

// loopingWith is looping for a failure whose error is why.
func (s *Server) loopingWith(ctx context.Context, c *call, collection, op, item, why string) bool {
	n := s.loops.failedWith(loopKey{device: c.device.ID, collection: collection, op: op, item: item}, why, s.now())
	if n < loopLimit {
		return false
	}
	if op == "Add" && n > loopLimit {
		return true // a device that goes on resending the refused Add: recorded (and audited) once
	}
	l := device.Loop{Collection: collection, Item: item, Count: n, LastAt: s.now().UTC()}
	if err := s.devices.RecordLoop(ctx, c.account.Email, c.device, l, clientIP(c.r)); err != nil {
		s.log.Warn("eas: recording a sync loop", "device", c.device.DeviceID, "count", strconv.Itoa(n), "err", err)
	}
	return true
}
