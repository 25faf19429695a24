package eas

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Window sizes of MS-ASCMD: 100 unless the device asks, at most 512.
const (
	defaultWindow = 100
	maxWindow     = 512
)

// syncCollection is one collection of a Sync request, its options remembered for the empty
// and partial requests that later refer to it.
type syncCollection struct {
	ID      string `json:"id"`
	SyncKey string `json:"-"`
	Window  int    `json:"w"`
	Filter  int    `json:"f"`
	// HasFilter: the request carried a FilterType. A Sync without one keeps the filter the
	// collection's state has (as Z-Push and grommunio-sync keep the last one), so leaving out
	// Options does not widen the window to everything.
	HasFilter      bool        `json:"hf,omitempty"`
	Body           bodyOptions `json:"b"`
	DeletesAsMoves bool        `json:"d"`
	GetChanges     bool        `json:"g"`
	// ClientWins: Options/Conflict 0 lets a device's change replace a server change it has not
	// seen yet; the default (1) keeps the server's and sends it to the device (MS-ASCMD).
	ClientWins bool `json:"cw,omitempty"`
	commands   *wbxml.Node
}

type syncRequest struct {
	Collections []*syncCollection `json:"c"`
	Window      int               `json:"w"`
	Wait        int               `json:"-"` // seconds the device is willing to wait for changes
}

// lastSyncCollection keeps the last full Sync request of a device for empty and partial ones.
const lastSyncCollection = "_sync"

var errIncomplete = errors.New("empty or partial Sync with nothing to complete it") // Status 13

// parseSync reads a Sync request; an empty body or Partial takes the rest from the last
// request. The keys of collections that come from the cache are the device's current keys.
func (s *Server) parseSync(ctx context.Context, c *call) (*syncRequest, error) {
	var req syncRequest
	partial := false
	if c.body != nil {
		if c.body.Name != "AirSync:Sync" {
			return nil, errProtocol
		}
		partial = c.body.Has("Partial")
		req.Window = clampWindow(c.body.TextOf("WindowSize"), 0)
		if err := s.parseWait(ctx, c, &req); err != nil {
			return nil, err
		}
		for _, n := range c.body.Child("Collections").All("Collection") {
			col, err := parseCollection(n, c.req.AtLeast("14.0"))
			if err != nil {
				return nil, err
			}
			req.Collections = append(req.Collections, col)
		}
		if !partial {
			if len(req.Collections) == 0 {
				return nil, errProtocol
			}
			return &req, s.rememberSync(ctx, c, &req)
		}
	}
	// Empty or partial: complete from the last request.
	row, err := s.states.store.SyncStateOf(ctx, c.device.ID, lastSyncCollection)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errIncomplete
	} else if err != nil {
		return nil, err
	}
	var last syncRequest
	if err := json.Unmarshal(row.State, &last); err != nil {
		return nil, errIncomplete
	}
	given := map[string]bool{}
	for _, col := range req.Collections {
		given[col.ID] = true
	}
	for _, col := range last.Collections {
		if given[col.ID] {
			continue
		}
		st, err := s.states.store.SyncStateOf(ctx, c.device.ID, col.ID)
		if err != nil {
			continue // reset since: the device will learn with its next full Sync
		}
		col.SyncKey = st.SyncKey
		req.Collections = append(req.Collections, col)
	}
	if req.Window == 0 {
		req.Window = last.Window
	}
	if len(req.Collections) == 0 {
		return nil, errIncomplete
	}
	return &req, s.rememberSync(ctx, c, &req)
}

func (s *Server) rememberSync(ctx context.Context, c *call, req *syncRequest) error {
	data, _ := json.Marshal(req)
	return s.states.store.SaveSyncState(ctx, &store.SyncState{DeviceID: c.device.ID, CollectionID: lastSyncCollection, SyncKey: "-", State: data})
}

func parseCollection(n *wbxml.Node, v14 bool) (*syncCollection, error) {
	col := &syncCollection{ID: n.TextOf("CollectionId"), SyncKey: n.TextOf("SyncKey"), DeletesAsMoves: true, commands: n.Child("Commands")}
	if col.ID == "" || col.SyncKey == "" {
		return nil, errProtocol
	}
	col.Window = clampWindow(n.TextOf("WindowSize"), 0)
	if n.TextOf("DeletesAsMoves") == "0" {
		col.DeletesAsMoves = false
	}
	// GetChanges: default on for a known key (14.0+ and 12.1 alike in practice), off for key 0.
	col.GetChanges = col.SyncKey != "0"
	if g := n.Child("GetChanges"); g != nil {
		col.GetChanges = g.Value() != "0"
	}
	for _, opts := range n.All("Options") {
		if f := opts.TextOf("FilterType"); f != "" {
			col.Filter, _ = strconv.Atoi(f)
			col.HasFilter = true
		}
		if opts.TextOf("Conflict") == "0" {
			col.ClientWins = true
		}
		col.Body = parseBodyOptions(opts, col.Body)
	}
	return col, nil
}

// parseBodyOptions reads MIMESupport and the BodyPreferences of an Options element (Sync's and
// ItemOperations' alike) on top of o.
func parseBodyOptions(opts *wbxml.Node, o bodyOptions) bodyOptions {
	if m := opts.TextOf("AirSync:MIMESupport"); m != "" {
		o.MIMESupport, _ = strconv.Atoi(m)
	}
	for _, bp := range opts.All("AirSyncBase:BodyPreference") {
		t, _ := strconv.Atoi(bp.TextOf("AirSyncBase:Type"))
		tr, _ := strconv.ParseInt(bp.TextOf("AirSyncBase:TruncationSize"), 10, 64)
		o.Prefs = append(o.Prefs, bodyPref{Type: t, Truncation: tr})
	}
	return o
}

func clampWindow(v string, def int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def
	}
	return min(n, maxWindow)
}

var (
	errProtocol = errors.New("sync protocol error") // Status 4
	errBadWait  = errors.New("wait out of range")   // Status 14
)

// badWaitError is errBadWait with the Limit to report: the nearest value the server allows, in
// the unit the device used (minutes for Wait, seconds for HeartbeatInterval).
type badWaitError struct{ limit int }

func (e *badWaitError) Error() string   { return errBadWait.Error() }
func (e *badWaitError) Is(t error) bool { return t == errBadWait }

// parseWait reads Wait (minutes) or HeartbeatInterval (seconds) and checks it against the
// heartbeat bounds of the global settings.
func (s *Server) parseWait(ctx context.Context, c *call, req *syncRequest) error {
	unit, text := 60, c.body.TextOf("Wait")
	if text == "" {
		unit, text = 1, c.body.TextOf("HeartbeatInterval")
	}
	if text == "" {
		return nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || (unit == 60 && n > 59) {
		return &badWaitError{limit: 3540 / unit}
	}
	bounds, err := s.heartbeatBounds(ctx)
	if err != nil {
		return err
	}
	lo, hi := int(bounds.min/time.Second), int(bounds.max/time.Second)
	switch {
	case n*unit < lo:
		return &badWaitError{limit: (lo + unit - 1) / unit}
	case n*unit > hi:
		return &badWaitError{limit: max(1, hi/unit)}
	}
	req.Wait = n * unit
	return nil
}
